import { z } from 'zod';
import { SEVERITIES } from '../scanning/finding';

/**
 * Settings of the AI code lens, provenance and model-safety features (`trustlens.findings.*`,
 * `trustlens.provenance.*`, `trustlens.modelSafety.*`). Each key is validated on its own: a bad
 * value falls back to its default and yields a message naming the key, the value and what is
 * expected, so one typo never disables a whole feature.
 */

/** VS Code language ids the scanner handles. */
export const SCANNABLE_LANGUAGE_IDS = [
  'python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'java', 'go', 'c', 'cpp', 'ruby', 'php', 'rust', 'csharp',
] as const;

const severity = z.enum(SEVERITIES as [string, ...string[]]) as unknown as z.ZodType<(typeof SEVERITIES)[number]>;

export const FindingsSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  languages: z.array(z.enum(SCANNABLE_LANGUAGE_IDS)).default([...SCANNABLE_LANGUAGE_IDS]),
  minimumSeverity: severity.default('low'),
  raiseInAiCode: z.boolean().default(true),
  severityOverrides: z.record(z.string().min(1), severity).default({}),
  lensScope: z.enum(['aiOnly', 'all']).default('aiOnly'),
  debounceMs: z.number().int().min(50).max(5000).default(400),
  reviewFile: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:/.test(p) && !p.split(/[\\/]/).includes('..'), 'must be a relative path inside the workspace')
    .default('.trustlens/reviews.json'),
});

export const ProvenanceSettingsSchema = z.object({
  liveEdits: z.boolean().default(true),
  gitTrailers: z.boolean().default(true),
  explicitRecords: z.boolean().default(true),
  markers: z.boolean().default(true),
  userMarks: z.boolean().default(true),
  minInsertedLines: z.number().int().min(1).max(1000).default(3),
});

export const ModelSafetySettingsSchema = z.object({
  enabled: z.boolean().default(true),
  notifyOnDangerous: z.boolean().default(true),
  refuseSigningDangerous: z.boolean().default(false),
});

export type FindingsSettings = z.infer<typeof FindingsSettingsSchema>;
export type ProvenanceSettings = z.infer<typeof ProvenanceSettingsSchema>;
export type ModelSafetySettings = z.infer<typeof ModelSafetySettingsSchema>;

/** The three sections, keyed by their configuration section name under `trustlens.`. */
export const AI_CODE_SETTINGS_SECTIONS = {
  findings: FindingsSettingsSchema,
  provenance: ProvenanceSettingsSchema,
  modelSafety: ModelSafetySettingsSchema,
} as const;

/**
 * Parses one section key by key. `raw` is what the host returns for the section (unknown keys
 * are ignored). Returns the typed settings and one message per rejected key.
 */
export function parseSection<S extends z.ZodObject>(section: string, schema: S, raw: unknown): { settings: z.infer<S>; issues: string[] } {
  const input = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  const issues: string[] = [];
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const parsed = field.safeParse(input[key]);
    if (parsed.success) {
      out[key] = parsed.data;
      continue;
    }
    const fallback = field.parse(undefined);
    const why = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ');
    issues.push(`trustlens.${section}.${key}: ${JSON.stringify(input[key])} is not valid (${why}); using ${JSON.stringify(fallback)}`);
    out[key] = fallback;
  }
  return { settings: out as z.infer<S>, issues };
}

export const parseFindingsSettings = (raw: unknown) => parseSection('findings', FindingsSettingsSchema, raw);
export const parseProvenanceSettings = (raw: unknown) => parseSection('provenance', ProvenanceSettingsSchema, raw);
export const parseModelSafetySettings = (raw: unknown) => parseSection('modelSafety', ModelSafetySettingsSchema, raw);
