/**
 * The OpenSSF guidance line a hover quotes for a finding, keyed by CWE. Quotes are from the
 * OpenSSF "Security-Focused Guide for AI Code Assistant Instructions" (AI-Instr, 2025-08-01),
 * the "Concise Guide for Developing More Secure Software" and the Secure Coding Guide for
 * Python (pyscg), as collected in the project's CODE-RULES-NOTES §1. The CWE mapping is ours.
 */

export interface GuidanceLine {
  quote: string;
  source: string;
}

const G = (quote: string, source: string): GuidanceLine => ({ quote, source });

const PARAMETERISE = G('Use parameterized queries for database access.', 'OpenSSF AI Code Assistant Instructions');
const ESCAPE = G('Escape special characters in user-generated content before rendering it in HTML.', 'OpenSSF AI Code Assistant Instructions');
const VALIDATE = G('User inputs should be checked for expected format and length.', 'OpenSSF AI Code Assistant Instructions');
const SECRETS = G('Never include API keys, passwords, or secrets in code; use environment variables or secure vault references.', 'OpenSSF AI Code Assistant Instructions');
const CONST_TIME = G('Use constant-time comparison for session identifiers, API keys, authentication tokens, password hashes, or nonces.', 'OpenSSF AI Code Assistant Instructions');
const ERRORS = G('Do not expose internal details or secrets in error messages.', 'OpenSSF AI Code Assistant Instructions');
const LOGS = G('Avoid logging sensitive information or PII.', 'OpenSSF AI Code Assistant Instructions');
const TLS = G('Use HTTPS by default, require strong encryption algorithms, and disable insecure protocols.', 'OpenSSF AI Code Assistant Instructions');
const PRIVILEGE = G('Follow least privilege: drop privileges and use secure file modes.', 'OpenSSF AI Code Assistant Instructions');
const TEMP = G('Avoid temp files without proper randomness.', 'OpenSSF AI Code Assistant Instructions');
const CRYPTO = G('Prefer high-level libraries for cryptography rather than rolling your own.', 'OpenSSF AI Code Assistant Instructions');
const DESERIALISE = G('Never suggest turning off security features like XML entity security or type checking during deserialization.', 'OpenSSF AI Code Assistant Instructions');
const EXEC = G('Do not use exec/eval on user input; use the subprocess module with shell=False.', 'OpenSSF AI Code Assistant Instructions');
const BOUNDS = G('Always use bounds-checked functions, avoid dangerous functions like gets, and include buffer size constants.', 'OpenSSF AI Code Assistant Instructions');
const UNSAFE = G('Avoid using unsafe blocks unless absolutely necessary and document any unsafe usage.', 'OpenSSF AI Code Assistant Instructions');
const DEPS = G('Do not add dependencies that may be malicious or hallucinated; pin versions and verify integrity.', 'OpenSSF AI Code Assistant Instructions');
const HEADERS = G("Use frameworks' built-in protections for cookies and sessions, and appropriate security headers.", 'OpenSSF AI Code Assistant Instructions');
const REGEX = G('Correctly use regular expressions: anchor validation patterns and avoid catastrophic backtracking.', 'OpenSSF Concise Guide (#29)');
const ARCHIVES = G('Extract archives safely.', 'OpenSSF Secure Coding Guide for Python (pyscg-0012)');
const FORMAT = G('Prevent format string injection.', 'OpenSSF Secure Coding Guide for Python (pyscg-0008)');
const REVIEW = G('Review AI-generated changes before accepting them, and verify them with other programs (tests, linters, SAST).', 'OpenSSF Secure AI/ML-Driven Software Development');

const BY_CWE: Readonly<Record<string, GuidanceLine>> = {
  'CWE-89': PARAMETERISE, 'CWE-90': PARAMETERISE, 'CWE-643': PARAMETERISE,
  'CWE-79': ESCAPE, 'CWE-116': ESCAPE,
  'CWE-20': VALIDATE, 'CWE-601': VALIDATE, 'CWE-918': VALIDATE,
  'CWE-798': SECRETS, 'CWE-259': SECRETS, 'CWE-321': SECRETS,
  'CWE-208': CONST_TIME,
  'CWE-209': ERRORS, 'CWE-200': ERRORS, 'CWE-489': ERRORS,
  'CWE-532': LOGS, 'CWE-312': LOGS, 'CWE-117': LOGS,
  'CWE-319': TLS, 'CWE-295': TLS, 'CWE-326': TLS,
  'CWE-732': PRIVILEGE, 'CWE-250': PRIVILEGE, 'CWE-276': PRIVILEGE,
  'CWE-377': TEMP,
  'CWE-327': CRYPTO, 'CWE-328': CRYPTO, 'CWE-916': CRYPTO, 'CWE-759': CRYPTO, 'CWE-330': CRYPTO, 'CWE-338': CRYPTO, 'CWE-329': CRYPTO, 'CWE-323': CRYPTO, 'CWE-335': CRYPTO, 'CWE-347': CRYPTO,
  'CWE-502': DESERIALISE, 'CWE-611': DESERIALISE,
  'CWE-94': EXEC, 'CWE-95': EXEC, 'CWE-78': EXEC, 'CWE-77': EXEC,
  'CWE-120': BOUNDS, 'CWE-242': BOUNDS, 'CWE-676': BOUNDS, 'CWE-787': BOUNDS, 'CWE-190': BOUNDS, 'CWE-680': BOUNDS, 'CWE-121': BOUNDS, 'CWE-476': BOUNDS, 'CWE-416': BOUNDS, 'CWE-590': BOUNDS,
  'CWE-119': UNSAFE,
  'CWE-829': DEPS, 'CWE-494': DEPS, 'CWE-1104': DEPS, 'CWE-1357': DEPS, 'CWE-345': DEPS,
  'CWE-614': HEADERS, 'CWE-1004': HEADERS, 'CWE-352': HEADERS, 'CWE-942': HEADERS, 'CWE-1021': HEADERS,
  'CWE-185': REGEX, 'CWE-1333': REGEX, 'CWE-625': REGEX,
  'CWE-22': ARCHIVES, 'CWE-409': ARCHIVES,
  'CWE-134': FORMAT,
};

/** The guidance line for a CWE id (e.g. "CWE-502"); the general review guidance when unmapped. */
export function guidanceFor(cwe: string): GuidanceLine {
  return BY_CWE[cwe] ?? REVIEW;
}
