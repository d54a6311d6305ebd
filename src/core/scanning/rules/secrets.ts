/** Hard-coded credentials (CWE-798): provider token formats in any string, and literals bound to secret names. */
import type { Node } from 'web-tree-sitter';
import type { Matcher } from '../rule';
import { defineRule } from '../rule';
import type { RuleLanguage } from '../languages';
import { lastName, SECRET_NAME } from './helpers';

/** Provider token formats (after gitleaks' rules). Each requires the provider's fixed prefix. */
const TOKENS: Array<[RegExp, string]> = [
  [/\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}/, 'OpenAI API key'],
  [/\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b/, 'OpenAI API key'],
  [/\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}/, 'OpenAI API key'],
  [/\bsk-ant-(?:api03|admin01|oat01|ort01)-[A-Za-z0-9_-]{20,}/, 'Anthropic API key'],
  [/\bhf_[A-Za-z]{34}\b/, 'Hugging Face token'],
  [/\bapi_org_[A-Za-z]{34}\b/, 'Hugging Face org token'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b/, 'GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{60,}/, 'GitHub fine-grained token'],
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, 'AWS access key id'],
  [/\bxox[baprs]-[A-Za-z0-9-]{10,}/, 'Slack token'],
  [/https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/, 'Slack webhook'],
  [/\b(?:sk|rk)_live_[A-Za-z0-9]{20,}/, 'Stripe live key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'Google API key'],
  [/\bglpat-[A-Za-z0-9_-]{20}\b/, 'GitLab token'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'npm token'],
  [/\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/, 'SendGrid key'],
  [/\bgsk_[A-Za-z0-9]{52}\b/, 'Groq API key'],
  [/\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b/, 'LangSmith key'],
  [/\br8_[A-Za-z0-9]{37}\b/, 'Replicate token'],
  [/\bpplx-[A-Za-z0-9]{48}\b/, 'Perplexity key'],
  // The header alone (a PEM being assembled from a generated key) is not a key: require key material after it.
  [/-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|\s|[A-Za-z-]+:[^\n]*)*[A-Za-z0-9+/]{40}/, 'private key'],
];
const TOKEN_PREFILTER = /sk-|hf_|api_org_|gh[pousr]_|github_pat_|A[KSBC][IC]A|xox|hooks\.slack|_live_|AIza|glpat-|npm_|SG\.|gsk_|lsv2_|r8_|pplx-|PRIVATE KEY/;

/** Values that are placeholders, not secrets. */
const PLACEHOLDER = /^(?:|\s+|x+|\*+|\.+|-+|#+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%\(?\w*\)?s|your[-_ ].*|.*[-_]here|changeme_?|placeholder|example|dummy|test|none|null|undefined|todo|tbd|xxx.*|redacted|secret|password|passwd|token|api[-_]?key|\w+_(?:KEY|TOKEN|SECRET|PASSWORD))$/i;

function literalSecret(value: Node | null | undefined, ctx: { val(n: Node): { c: boolean; str: boolean; text: string } }): string | undefined {
  if (!value) return undefined;
  const v = ctx.val(value);
  if (!v.c || !v.str) return undefined;
  const s = v.text;
  if (s.length < 4 || s.length > 300 || /\s/.test(s) || PLACEHOLDER.test(s)) return undefined;
  // Format strings, paths and URLs without credentials are not secrets.
  if (/[{}%$]/.test(s) || /^(?:https?:\/\/|\/|\.\/)/.test(s)) return undefined;
  return s;
}

const stringToken: Matcher = {
  kind: 'string', trigger: /sk-|hf_|api_org_|gh[pousr]_|github_pat_|A[KSBC][IC]A|xox|hooks\.slack|_live_|AIza|glpat-|npm_|SG\.|gsk_|lsv2_|r8_|pplx-|PRIVATE KEY/,
  check: (n, content) => {
    if (!TOKEN_PREFILTER.test(content)) return undefined;
    for (const [re, what] of TOKENS) if (re.test(content)) return { message: `Hard-coded ${what} in source; load it from the environment or a secret manager and revoke this one` };
    return undefined;
  },
};

const PASSWORD_NAME = /pass(?:word|wd|phrase)?$|pwd$/i;

const secretBinding: Matcher = {
  kind: 'binding', trigger: /pass|pwd|secret|key|token|credential/i,
  check: (b, ctx) => {
    const name = lastName(b.targetText);
    if (!SECRET_NAME.test(name) || /(?:_|^)(?:name|field|label|prompt|placeholder|type|key_?name|url|path|file|env|header|param|len|length|min|max|count|id|regex|pattern|hint|message|msg|error|column|col)$|^(?:is|has|show|use|enable|require)_?/i.test(name)) return undefined;
    const s = literalSecret(b.value, ctx);
    if (!s) return undefined;
    // A value equal to (or derived from) the name is a label, e.g. PASSWORD_KEY = "password".
    if (s.toLowerCase().replace(/[-_]/g, '') === name.toLowerCase().replace(/[-_]/g, '')) return undefined;
    const pw = PASSWORD_NAME.test(name);
    return { node: b.value ?? undefined, cwe: pw ? 'CWE-259' : 'CWE-798', message: `Hard-coded ${pw ? 'password' : 'secret'} assigned to \`${name}\`; read it from the environment or a secret manager` };
  },
};

const SECRET_PARAM = /^(?:password|passwd|pwd|pass|secret|api_key|apikey|api_token|token|access_token|auth_token|client_secret|secret_key|private_key|access_key|aws_secret_access_key|aws_access_key_id|key_password|db_password)$/i;

const secretArg: Matcher = {
  kind: 'call', trigger: /(?:password|passwd|pwd|pass|secret|api_key|apikey|api_token|token|access_token|auth_token|client_secret|secret_key|private_key|access_key|aws_secret_access_key|aws_access_key_id|key_password|db_password)\s*[=:]/i,
  check: (c, ctx) => {
    for (const [k, v] of c.kwargs) {
      if (!SECRET_PARAM.test(k)) continue;
      const s = literalSecret(v, ctx);
      if (s) return { node: v, cwe: /pass|pwd/i.test(k) ? 'CWE-259' : 'CWE-798', message: `Hard-coded credential passed as \`${k}\`; read it from the environment or a secret manager` };
    }
    return undefined;
  },
};

/** Java/C#/C/Go/Rust: a call like `DriverManager.getConnection(url, "user", "pw")`. */
const connectPassword: Matcher = {
  kind: 'call',
  names: ['getConnection', 'connect', 'PasswordAuthentication', 'SetBasicAuth', 'setPassword', 'withPassword', 'UsernamePasswordCredentials', 'NetworkCredential', 'mysql_real_connect', 'mysqli_connect', 'mysqli', 'PDO', 'auth', 'basic_auth', 'login'],
  check: (c, ctx) => {
    const idx = c.name === 'setPassword' || c.name === 'withPassword' ? 0 : c.name === 'mysql_real_connect' ? 3 : c.name === 'PDO' ? 2 : c.name === 'mysqli_connect' || c.name === 'mysqli' ? 2 : c.name === 'SetBasicAuth' || c.name === 'basic_auth' || c.name === 'auth' || c.name === 'login' || c.name === 'PasswordAuthentication' || c.name === 'UsernamePasswordCredentials' || c.name === 'NetworkCredential' ? 1 : 2;
    const a = c.args[idx];
    if (!a || !/^["'`@]/.test(a.text)) return undefined;
    const s = literalSecret(a, ctx);
    return s ? { node: a, cwe: 'CWE-259', message: `Hard-coded password passed to ${c.name}; read it from configuration or a secret manager` } : undefined;
  },
};

/** A string literal with no interpolation (`'k3y'`, `` `k3y` ``). */
function jsLiteral(n: Node | undefined): boolean {
  return !!n && ((n.type === 'string' && n.text.length > 2) || (n.type === 'template_string' && !/\$\{/.test(n.text) && n.text.length > 2));
}

/**
 * JS APIs whose argument is a signing/session key, given a literal: `jwt.sign(p, 'k')`,
 * `jwt.verify(t, 'k')`, `session({ secret: 'k' })`, `cookieParser('k')`, `createHmac(alg, 'k')`.
 * Any literal there is the key itself, placeholder-looking or not: tokens signed with it can be forged.
 */
const jsKeyArg: Matcher = {
  kind: 'call',
  names: ['sign', 'verify', 'session', 'cookieSession', 'expressSession', 'cookieParser', 'createHmac', 'createCipheriv', 'createDecipheriv', 'encrypt', 'decrypt'],
  check: (c) => {
    let a: Node | undefined;
    if (c.name === 'sign' || c.name === 'verify') a = /^(?:jwt|jsonwebtoken|JWT)$/.test(c.receiver?.text ?? '') ? c.args[1] : undefined;
    // `CryptoJS.AES.encrypt(data, 'passphrase')`, `createCipheriv(alg, 'k…', iv)`: the cipher key itself.
    else if (c.name === 'encrypt' || c.name === 'decrypt') a = /^CryptoJS\.(?:AES|DES|TripleDES|Rabbit|RC4|RC4Drop)$/.test(c.receiver?.text ?? '') ? c.args[1] : undefined;
    else if (c.name === 'createCipheriv' || c.name === 'createDecipheriv') a = c.args[1]?.type === 'call_expression' && /^Buffer\.from\s*\(\s*["'`]/.test(c.args[1].text) ? c.args[1].childForFieldName('arguments')?.namedChildren[0] : c.args[1];
    else if (c.name === 'cookieParser') a = c.args[0];
    else if (c.name === 'createHmac') a = c.args[1];
    else {
      const opts = c.args[0]?.type === 'object' ? c.args[0] : undefined;
      const p = opts?.namedChildren.find((x) => x.type === 'pair' && /^["']?(?:secret|keys)["']?$/.test(x.childForFieldName('key')?.text ?? ''));
      const v = p?.childForFieldName('value') ?? undefined;
      a = v?.type === 'array' ? v.namedChildren.find((x) => jsLiteral(x)) : v;
    }
    // `process.env.JWT_SECRET || 'dev-secret'`: the literal is the key whenever the variable is unset.
    const fallback = a?.type === 'binary_expression' && /^(?:\|\||\?\?)$/.test(a.childForFieldName('operator')?.text ?? '') ? (a.childForFieldName('right') ?? undefined) : undefined;
    const lit = fallback ?? a;
    if (!lit || !jsLiteral(lit) || /BEGIN (?:RSA )?PUBLIC KEY|BEGIN CERTIFICATE/.test(lit.text)) return undefined;
    const what = c.name === 'createHmac' ? 'HMAC' : c.name === 'sign' || c.name === 'verify' ? 'JWT signing' : /crypt|Cipher/.test(c.name) ? 'encryption' : 'session/cookie signing';
    const harm = what === 'encryption' ? 'decrypt the data' : 'forge tokens';
    return { node: lit, cwe: 'CWE-798', message: fallback ? `The ${what} key falls back to a literal when the variable is unset: deployments that miss it use a key anyone can read; fail at startup instead` : `The ${what} key is a literal in the source: anyone with the code can ${harm}; load it from the environment or a secret manager` };
  },
};

/** A database/broker URL with a literal password (`mongodb://admin:S3cret@host/db`). */
const jsUrlCredential: Matcher = {
  kind: 'string',
  trigger: /\b(?:mongodb(?:\+srv)?|postgres(?:ql)?|mysql|mariadb|mssql|redis|rediss|amqps?):\/\/[^:/\s'"`@]+:[^@/\s'"`]+@/,
  check: (n, content) => {
    const m = /^(?:mongodb(?:\+srv)?|postgres(?:ql)?|mysql|mariadb|mssql|redis|rediss|amqps?):\/\/[^:/\s@]+:([^@/\s]+)@/.exec(content);
    if (!m || /\$\{|^(?:<[^>]*>|\*+|x+|password|pass|pwd|secret|changeme|your[-_]?\w*)$/i.test(m[1])) return undefined;
    return { node: n, cwe: 'CWE-798', message: 'A database URL carries a literal password: it ships with every copy of the code; read the URL (or the password) from the environment' };
  },
};

const ALL: RuleLanguage[] = ['python', 'javascript', 'java', 'go', 'c', 'ruby', 'php', 'rust', 'csharp'];

export const hardcodedProviderKey = defineRule({
  id: 'hardcoded-provider-key',
  name: 'Hard-coded API key or token',
  cwe: 'CWE-798',
  severity: 'high',
  pattern: 10,
  message: 'Hard-coded API key or token in source',
  why: 'OpenSSF AI code assistant guide: "Never include API keys, passwords, or secrets in code … use environment variables or secure vault references"; leaked provider keys are abused within minutes.',
  description: 'String literals matching provider token formats (OpenAI, Anthropic, Hugging Face, GitHub, AWS, Slack, Stripe, Google, GitLab, npm, SendGrid, Groq, LangSmith, Replicate) or a private key block.',
  matchers: Object.fromEntries(ALL.map((l) => [l, [stringToken]])),
});

/** A password-like literal: 4+ characters without spaces (not `"Bearer "`), not a placeholder or a format. */
const CRED_LITERAL = /^"(?!(?:password|changeme|<[^>]*>|\*+|x+)")[^"%\\\s]{4,64}"$/i;

/**
 * C/C++: the password/secret/token a user supplied is compared with a literal
 * (`strcmp(password, "s3cret") == 0`, `if (token == "abc123")`): the credential is in the binary.
 */
/** `#define ADMIN_PASS "Sup3rS3cret!"`: a credential baked in as a macro. */
const cDefineSecret: Matcher = {
  kind: 'node', trigger: /#\s*define\s+\w*(?:PASS|PWD|SECRET|TOKEN|API_?KEY|PASSPHRASE)\w*\s+"/i,
  types: ['preproc_def'],
  check: (n) => {
    const name = n.childForFieldName('name')?.text ?? '';
    const value = n.childForFieldName('value')?.text.trim() ?? '';
    const lit = /^"([^"\\\s]{4,})"$/.exec(value)?.[1];
    if (!lit || !SECRET_NAME.test(name) || /(?:_|^)(?:LEN|LENGTH|SIZE|MAX|MIN|PROMPT|LABEL|FILE|PATH|ENV|VAR|NAME|FIELD|HEADER|KEY_?NAME)$/i.test(name)) return undefined;
    // Placeholders and labels are not credentials.
    if (/^(?:changeme|change_me|password|secret|token|xxx+|\*+|your_?\w*|<[^>]*>|\$\{?\w+\}?|%s)$/i.test(lit) || lit.toLowerCase().replace(/[-_]/g, '') === name.toLowerCase().replace(/[-_]/g, '')) return undefined;
    const pw = PASSWORD_NAME.test(name);
    return { node: n.childForFieldName('value') ?? n, cwe: pw ? 'CWE-259' : 'CWE-798', message: `Hard-coded ${pw ? 'password' : 'secret'} in macro \`${name}\`; read it from the environment or a protected file` };
  },
};

const cSecretCompare: Matcher[] = [
  {
    kind: 'call', names: ['strcmp', 'strncmp', 'strcasecmp', 'memcmp', 'CRYPTO_memcmp', 'compare'],
    check: (c) => {
      const args = c.name === 'compare' && c.receiver ? [c.receiver, c.args[0]] : c.args.slice(0, 2);
      const [a, b] = args;
      if (!a || !b) return undefined;
      const [lit, other] = CRED_LITERAL.test(b.text) ? [b, a] : CRED_LITERAL.test(a.text) ? [a, b] : [];
      return lit && other && SECRET_NAME.test(lastName(other.text.replace(/\.c_str\(\)$/, ''))) ? { node: lit, message: `\`${other.text}\` is checked against a password written in the code: anyone with the binary can read it; compare a salted hash from protected storage` } : undefined;
    },
  },
  {
    kind: 'compare', trigger: /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|pin)\w*\s*[!=]=\s*"|"\s*[!=]=\s*\w*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|pin)/i,
    check: (_n, l, r, op) => {
      if (op !== '==' && op !== '!=') return undefined;
      const [lit, other] = CRED_LITERAL.test(r.text) ? [r, l] : CRED_LITERAL.test(l.text) ? [l, r] : [];
      return lit && other && SECRET_NAME.test(lastName(other.text)) ? { node: lit, message: `\`${other.text}\` is compared with a password written in the code; compare a salted hash from protected storage` } : undefined;
    },
  },
];

export const hardcodedPassword = defineRule({
  id: 'hardcoded-password',
  name: 'Hard-coded password or secret',
  cwe: 'CWE-798',
  severity: 'medium',
  pattern: 10,
  message: 'Hard-coded password or secret',
  why: 'OpenSSF AI code assistant guide: "Never include API keys, passwords, or secrets in code"; pyscg-0041. Secrets in source end up in every clone and in the model\'s next training set.',
  description: 'A literal string assigned to a variable/field/key named like a password, secret, token or API key, or passed as such an argument.',
  matchers: Object.fromEntries(ALL.map((l) => [l, l === 'python' || l === 'ruby' || l === 'csharp' || l === 'php' ? [secretBinding, secretArg, connectPassword] : l === 'javascript' ? [secretBinding, connectPassword, jsKeyArg, jsUrlCredential] : l === 'c' ? [secretBinding, connectPassword, ...cSecretCompare, cDefineSecret] : [secretBinding, connectPassword]])),
});
