/**
 * Typed extension settings. package.json declares them (what a user sees in the Settings UI);
 * this zod schema is what the code trusts. Each setting is parsed on its own so that one bad
 * value falls back to its default and yields one issue naming the setting, never a crash.
 */
import { z } from 'zod';

/** A Sigstore identity the user trusts: certificate SAN (email or URI) and OIDC issuer. */
export const SigstoreIdentitySchema = z.object({
  identity: z.string().min(1),
  issuer: z.string().url(),
});
export type SigstoreIdentity = z.infer<typeof SigstoreIdentitySchema>;

const nonEmptyStrings = z.array(z.string().min(1));

/**
 * One entry per setting, keyed by its full id without the `trustlens.` prefix.
 * Defaults here must equal the defaults in package.json (a unit test checks it).
 */
export const SETTING_SCHEMAS = {
  'models.include': nonEmptyStrings.default([]),
  'models.exclude': nonEmptyStrings.default([]),
  'models.maxEntries': z.number().int().min(100).max(10_000_000).default(200_000),
  'models.verifyOnOpen': z.boolean().default(true),
  'signing.signatureFileName': z
    .string()
    .min(1)
    .refine((s) => !/[\\/]/.test(s) && s !== '.' && s !== '..', 'must be a plain file name (no slashes)')
    .default('model.sig'),
  'signing.hashAlgorithm': z.enum(['sha256', 'blake2b']).default('sha256'),
  'signing.sigstoreInstance': z.enum(['public-good', 'staging']).default('public-good'),
  'signing.rememberPassphrase': z.boolean().default(false),
  'trust.publicKeys': nonEmptyStrings.default([]),
  'trust.certificateRoots': nonEmptyStrings.default([]),
  'trust.sigstoreIdentities': z.array(SigstoreIdentitySchema).default([]),
  'badges.showUnsigned': z.boolean().default(false),
} as const;

export type SettingKey = keyof typeof SETTING_SCHEMAS;
export type Settings = { [K in SettingKey]: z.output<(typeof SETTING_SCHEMAS)[K]> };

/** Trust settings: in an untrusted workspace only their user (global) values count. */
export const TRUST_SETTING_KEYS: readonly SettingKey[] = ['trust.publicKeys', 'trust.certificateRoots', 'trust.sigstoreIdentities'];

/** The configuration section every setting lives under. */
export const SETTINGS_SECTION = 'trustlens';

/**
 * The effective raw value of a trust list from its per-scope values. Trust lists ADD UP across
 * scopes (user + workspace + folder), unlike other settings where the workspace value replaces
 * the user's: trusting a signer in your user settings must not be undone by a workspace that
 * lists its own keys. In an untrusted workspace (`workspaceTrusted` false) only the user value
 * counts, so a cloned repository cannot make its own signer trusted. A non-array value is
 * returned as is, so that validation names the setting.
 */
export function mergeTrustLists(
  values: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined,
  workspaceTrusted: boolean,
): unknown {
  if (!values) return undefined;
  const parts = (workspaceTrusted ? [values.globalValue, values.workspaceValue, values.workspaceFolderValue] : [values.globalValue]).filter((v) => v !== undefined);
  if (parts.length === 0) return undefined;
  const bad = parts.find((v) => !Array.isArray(v));
  if (bad !== undefined) return bad;
  const seen = new Set<string>();
  return (parts as unknown[][]).flat().filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A setting whose value was rejected; `setting` is the full id, e.g. `trustlens.models.include`. */
export interface SettingIssue {
  setting: string;
  message: string;
}

/**
 * Parses raw values (as read from the host; `undefined` = not set) into typed settings.
 * Never throws: an invalid value is replaced by the default and reported in `issues`.
 */
export function parseSettings(raw: Partial<Record<SettingKey, unknown>>): { settings: Settings; issues: SettingIssue[] } {
  const issues: SettingIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTING_SCHEMAS) as SettingKey[]) {
    const schema = SETTING_SCHEMAS[key] as z.ZodType;
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) {
      out[key] = parsed.data;
    } else {
      issues.push({ setting: `${SETTINGS_SECTION}.${key}`, message: describeIssue(parsed.error) });
      out[key] = schema.parse(undefined);
    }
  }
  return { settings: out as Settings, issues };
}

/** The default of every setting (what `parseSettings({})` yields). */
export function defaultSettings(): Settings {
  return parseSettings({}).settings;
}

function describeIssue(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid value';
  const where = first.path.length ? ` at ${first.path.join('.')}` : '';
  return `${first.message}${where}`;
}
