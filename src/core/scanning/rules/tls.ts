/** TLS certificate/host verification disabled (CWE-295). */
import type { Node } from 'web-tree-sitter';
import type { Hit, Matcher } from '../rule';
import { defineRule } from '../rule';
import { isFalse, isTrue, kw, replaceFix } from './helpers';

const MSG = 'TLS certificate verification is disabled: anyone on the network path can impersonate the server';

const pyCall: Matcher = {
  kind: 'call', trigger: /verify|unverified_context|stdlib_context|cert_reqs|ssl\s*=/,
  check: (c, ctx) => {
    const v = kw(c, 'verify') ?? kw(c, 'verify_ssl') ?? kw(c, 'ssl_verify') ?? (/^aiohttp|ClientSession|TCPConnector|\.(?:get|post|put|delete|patch|request)$/.test(c.callee) ? kw(c, 'ssl') : undefined);
    if (v && isFalse(v) && v.text !== '0' && !/^None$/.test(v.text)) return { node: v, fixes: [replaceFix('Verify certificates', v, 'True', ctx)] };
    if (/^ssl\._create_unverified_context$|^ssl\._create_stdlib_context$/.test(c.callee)) return { message: `${c.callee}() creates a context that does not verify certificates` };
    const cr = kw(c, 'cert_reqs');
    if (cr && /CERT_NONE/.test(cr.text)) return { node: cr };
    return undefined;
  },
};

const pyBinding: Matcher = {
  kind: 'binding', trigger: /verify|check_hostname|_create_default_https_context|PYTHONHTTPSVERIFY|CA_BUNDLE|DISABLE_SSL_VERIFY/,
  check: (b) => {
    if (!b.value) return undefined;
    if (/\.verify_mode$/.test(b.targetText) && /CERT_NONE/.test(b.value.text)) return { node: b.value };
    if (/\.check_hostname$/.test(b.targetText) && isFalse(b.value)) return { node: b.value, message: 'Hostname checking is disabled: any valid certificate for any host is accepted' };
    if (/(?:^|\.)_create_default_https_context$/.test(b.targetText) && /_create_unverified_context/.test(b.value.text)) return { node: b.value };
    if (/\.verify$/.test(b.targetText) && isFalse(b.value) && b.value.text !== '0') return { node: b.value };
    if (/environ\[["'](?:PYTHONHTTPSVERIFY|CURL_CA_BUNDLE|REQUESTS_CA_BUNDLE|HF_HUB_DISABLE_SSL_VERIFY)["']\]/.test(b.targetText) && /^["'](?:0|)["']$/.test(b.value.text)) return { node: b.value };
    return undefined;
  },
};

const jsBinding: Matcher = {
  kind: 'binding', trigger: /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|strictSSL|verifySSL|checkServerIdentity/,
  check: (b) => {
    if (!b.value) return undefined;
    const key = b.targetText.replace(/^["']|["']$/g, '');
    if (/(?:^|\.)rejectUnauthorized$/.test(key) && isFalse(b.value)) return { node: b.value };
    if (/NODE_TLS_REJECT_UNAUTHORIZED/.test(key) && /^["'`]?0["'`]?$/.test(b.value.text)) return { node: b.value };
    if (/(?:^|\.)(?:strictSSL|verifySSL|secure)$/.test(key) && isFalse(b.value) && /strictSSL|verifySSL/.test(key)) return { node: b.value };
    if (/(?:^|\.)checkServerIdentity$/.test(key) && /=>\s*(?:undefined|null|\{\s*\})|function\s*\([^)]*\)\s*\{\s*(?:return\s*(?:undefined|null)?;?\s*)?\}/.test(b.value.text)) return { node: b.value, message: 'checkServerIdentity that accepts everything disables hostname verification' };
    return undefined;
  },
};

const goBinding: Matcher = {
  kind: 'binding', trigger: /InsecureSkipVerify/,
  check: (b) => (b.value && /(?:^|\.)InsecureSkipVerify$/.test(b.targetText) && isTrue(b.value) ? { node: b.value } : undefined),
};

function trustAll(n: Node): Hit | undefined {
  // An X509TrustManager whose checkServerTrusted body is empty or just returns.
  const t = n.text;
  if (/checkServerTrusted\s*\([^)]*\)\s*(?:throws\s+[\w.,\s]+)?\{\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(?:return\s*;\s*)?\}/.test(t)) return { message: 'This X509TrustManager accepts every certificate (empty checkServerTrusted)' };
  if (/boolean\s+verify\s*\([^)]*\)\s*\{\s*return\s+true\s*;\s*\}/.test(t)) return { message: 'This HostnameVerifier accepts every host name' };
  return undefined;
}

const javaMatchers: Matcher[] = [
  { kind: 'node', trigger: /checkServerTrusted|HostnameVerifier|boolean\s+verify/, types: ['class_body'], check: (n) => (n.parent?.type === 'object_creation_expression' || n.parent?.type === 'class_declaration' ? trustAll(n) : undefined) },
  { kind: 'node', trigger: /HostnameVerifier/, anchor: /->\s*true\b/, types: ['lambda_expression'], check: (n) => (/^\(\s*\w+\s*,\s*\w+\s*\)\s*->\s*true$/.test(n.text) && /setHostnameVerifier|setDefaultHostnameVerifier|HostnameVerifier/.test(n.parent?.parent?.text ?? '') ? { message: 'This HostnameVerifier accepts every host name' } : undefined) },
  { kind: 'node', trigger: /ALLOW_ALL_HOSTNAME_VERIFIER|NoopHostnameVerifier|AllowAllHostnameVerifier|TrustAllStrategy|TrustSelfSignedStrategy/, types: ['field_access', 'object_creation_expression'], check: (n) => (/(?:^|\.)ALLOW_ALL_HOSTNAME_VERIFIER$|(?:^|\.)NoopHostnameVerifier\.INSTANCE$|^new\s+(?:NoopHostnameVerifier|AllowAllHostnameVerifier|TrustAllStrategy|TrustSelfSignedStrategy)\s*\(/.test(n.text) ? { message: 'Host name / certificate verification is turned off' } : undefined) },
  { kind: 'call', names: ['loadTrustMaterial'], check: (c) => (c.args.some((a) => /TrustAllStrategy|->\s*true/.test(a.text)) ? {} : undefined) },
];

const csMatchers: Matcher[] = [
  {
    kind: 'binding', trigger: /CertificateValidationCallback|ServerCertificateCustomValidationCallback/,
    check: (b) => (b.value && /(?:ServerCertificateValidationCallback|ServerCertificateCustomValidationCallback|RemoteCertificateValidationCallback)$/.test(b.targetText) && /=>\s*true\b|\{\s*return\s+true\s*;\s*\}|DangerousAcceptAnyServerCertificateValidator/.test(b.value.text) ? { node: b.value } : undefined),
  },
];

export const tlsVerificationDisabled = defineRule({
  id: 'tls-verification-disabled',
  name: 'TLS certificate verification disabled',
  cwe: 'CWE-295',
  severity: 'high',
  pattern: 11,
  message: MSG,
  why: 'OpenSSF AI code assistant guide: "use HTTPS by default … and disable insecure protocols"; turning verification off (verify=False, rejectUnauthorized:false, InsecureSkipVerify) makes HTTPS trivially interceptable, including model and API downloads.',
  description: 'verify=False, unverified SSL contexts, CERT_NONE, check_hostname=False, rejectUnauthorized:false, NODE_TLS_REJECT_UNAUTHORIZED=0, Go InsecureSkipVerify:true, Java trust-all TrustManager/HostnameVerifier, .NET validation callbacks returning true, Ruby VERIFY_NONE, PHP/C curl verify options off, Rust danger_accept_invalid_certs.',
  matchers: {
    python: [pyCall, pyBinding],
    javascript: [jsBinding],
    go: [goBinding],
    java: javaMatchers,
    csharp: csMatchers,
    ruby: [
      { kind: 'binding', trigger: /verify_mode/, check: (b) => (b.value && /(?:^|\.|:)verify_mode$/.test(b.targetText.replace(/^:/, '')) && /VERIFY_NONE/.test(b.value.text) ? { node: b.value } : undefined) },
      { kind: 'node', trigger: /VERIFY_NONE/, types: ['scope_resolution'], check: (n) => (/^OpenSSL::SSL::VERIFY_NONE$/.test(n.text) && !/verify_mode\s*[=:]/.test(n.parent?.text ?? '') ? { node: n } : undefined) },
    ],
    php: [
      { kind: 'call', names: ['curl_setopt'], check: (c) => (/CURLOPT_SSL_VERIFY(?:PEER|HOST)$/.test(c.args[1]?.text ?? '') && isFalse(c.args[2]) ? { node: c.args[2] } : undefined) },
      { kind: 'binding', trigger: /VERIFY|verify/, check: (b) => (b.pair && /^(?:CURLOPT_SSL_VERIFY(?:PEER|HOST)|['"]verify_peer(?:_name)?['"]|['"]verify['"])$/.test(b.targetText) && b.value && isFalse(b.value) ? { node: b.value } : undefined) },
    ],
    c: [
      { kind: 'call', names: ['curl_easy_setopt'], check: (c) => (/CURLOPT_SSL_VERIFY(?:PEER|HOST)$/.test(c.args[1]?.text ?? '') && /^0L?$|^false$/.test(c.args[2]?.text ?? '') ? { node: c.args[2] } : undefined) },
      { kind: 'call', names: ['SSL_CTX_set_verify', 'SSL_set_verify'], check: (c) => (/SSL_VERIFY_NONE/.test(c.args[1]?.text ?? '') ? { node: c.args[1] } : undefined) },
    ],
    rust: [{ kind: 'call', names: ['danger_accept_invalid_certs', 'danger_accept_invalid_hostnames', 'set_verify'], check: (c) => (isTrue(c.args[0]) || /SslVerifyMode::NONE/.test(c.args[0]?.text ?? '') ? {} : undefined) }],
  },
});
