/** Insecure configuration and API misuse: XXE, debug mode, error details, CORS, JWT, timing compares, CSRF, cookies. */
import type { Node } from 'web-tree-sitter';
import type { Hit, Matcher, RuleContext } from '../rule';
import { defineRule } from '../rule';
import { isFalse, isTrue, kw, lastName, optionIn } from './helpers';

// ------------------------------------------------------------------ XXE

const JAVA_XXE_GUARD = /disallow-doctype-decl|external-general-entities|ACCESS_EXTERNAL_DTD|ACCESS_EXTERNAL_SCHEMA|setExpandEntityReferences\s*\(\s*false|IS_SUPPORTING_EXTERNAL_ENTITIES\s*,\s*(?:false|Boolean\.FALSE)|SUPPORT_DTD\s*,\s*(?:false|Boolean\.FALSE)|FEATURE_SECURE_PROCESSING|load-external-dtd/;

/** Features set the unsafe way round (they name the hardening, but turn it off). */
const JAVA_XXE_UNGUARD = /disallow-doctype-decl"\s*,\s*false|external-(?:general|parameter)-entities"\s*,\s*true|load-external-dtd"\s*,\s*true|isSupportingExternalEntities"\s*,\s*(?:true|Boolean\.TRUE)|SUPPORT_DTD\s*,\s*(?:true|Boolean\.TRUE)/g;

export const xxe = defineRule({
  id: 'xxe',
  name: 'XML parser resolves external entities',
  cwe: 'CWE-611',
  severity: 'high',
  pattern: 17,
  message: 'XML parser configured (or left by default) to resolve external entities/DTDs: untrusted XML can read local files or reach internal hosts (XXE)',
  why: 'OpenSSF AI code assistant guide: "Never suggest turning off security features like XML entity security"; disable DTDs and external entities.',
  description: 'Java DocumentBuilderFactory/SAXParserFactory/XMLInputFactory/TransformerFactory/SAXReader/SAXBuilder with no DTD/entity hardening in the file; lxml resolve_entities=True/no_network=False/load_dtd=True; PHP LIBXML_NOENT/libxml_disable_entity_loader(false); .NET XmlResolver/DtdProcessing.Parse; libxml2 XML_PARSE_NOENT; Nokogiri noent.',
  matchers: {
    javascript: [
      {
        // libxmljs(2): `parseXml(xml, { noent: true })` substitutes entities, external ones included.
        kind: 'call',
        names: ['parseXml', 'parseXmlString', 'parseXmlAsync', 'parseHtml', 'SaxParser', 'SaxPushParser'],
        check: (c) => {
          const o = optionIn(c, /^(?:noent|dtdload)$/);
          return o && isTrue(o) ? { node: o, message: 'libxmljs with noent/dtdload: true resolves external entities and DTDs in untrusted XML (XXE: local files, internal URLs); leave them off' } : undefined;
        },
      },
    ],
    java: [
      {
        kind: 'call',
        names: ['newInstance', 'newFactory', 'newDefaultFactory', 'SAXReader', 'SAXBuilder', 'createXMLReader', 'newDefaultInstance'],
        check: (c, ctx) => {
          const r = c.receiver?.text ?? '';
          const factory = /^(?:javax\.xml\.\w+\.)?(?:DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|TransformerFactory|SchemaFactory|XMLReaderFactory|SAXTransformerFactory)$/.test(r) || (c.isNew && /^(?:SAXReader|SAXBuilder)$/.test(c.name));
          // Hardening counts where this factory is made (the method, or the class for a field):
          // one hardened helper does not protect another method's parser.
          if (!factory || JAVA_XXE_GUARD.test(ctx.functionText().replace(JAVA_XXE_UNGUARD, '')) || /\b(?:secure|harden|safe|protect)\w*\s*\(/i.test(ctx.functionText())) return undefined;
          return { message: `${c.isNew ? c.name : r} is used without disabling DTDs/external entities (set disallow-doctype-decl or ACCESS_EXTERNAL_DTD="")` };
        },
      },
      {
        // `setFeature(".../disallow-doctype-decl", false)`, `setFeature(".../external-general-entities", true)`: hardening switched off explicitly.
        kind: 'call',
        names: ['setFeature'],
        check: (c) => {
          const [f, v] = c.args;
          if (!f || !v) return undefined;
          const off = (/disallow-doctype-decl"$/.test(f.text) && isFalse(v)) || (/(?:external-(?:general|parameter)-entities|load-external-dtd)"$/.test(f.text) && isTrue(v));
          return off ? { node: v, message: `${f.text.replace(/^".*\//, '"')} set to ${v.text} enables DTDs/external entities (XXE)` } : undefined;
        },
      },
    ],
    python: [
      {
        kind: 'call', trigger: /resolve_entities|no_network|load_dtd|dtd_validation|feature_external/,
        check: (c) => {
          const re = kw(c, 'resolve_entities');
          if (re && isTrue(re)) return { node: re };
          const nn = kw(c, 'no_network');
          if (nn && isFalse(nn)) return { node: nn };
          const dtd = kw(c, 'load_dtd') ?? kw(c, 'dtd_validation');
          if (dtd && isTrue(dtd) && /XMLParser/.test(c.callee)) return { node: dtd };
          if (c.name === 'setFeature' && /feature_external_(?:ges|pes)/.test(c.args[0]?.text ?? '') && isTrue(c.args[1])) return {};
          return undefined;
        },
      },
    ],
    php: [
      { kind: 'node', trigger: /LIBXML_NOENT|LIBXML_DTDLOAD/, types: ['name'], check: (n) => (n.text === 'LIBXML_NOENT' || n.text === 'LIBXML_DTDLOAD' ? { message: `${n.text} makes libxml substitute external entities (XXE)` } : undefined) },
      { kind: 'call', names: ['libxml_disable_entity_loader'], check: (c) => (isFalse(c.args[0]) ? {} : undefined) },
    ],
    csharp: [
      { kind: 'binding', trigger: /XmlResolver|DtdProcessing|ProhibitDtd/, check: (b) => (b.value && /(?:^|\.)XmlResolver$/.test(b.targetText) && /new\s+XmlUrlResolver|new\s+XmlSecureResolver/.test(b.value.text) ? { node: b.value } : /(?:^|\.)DtdProcessing$/.test(b.targetText) && /DtdProcessing\.Parse/.test(b.value?.text ?? '') ? { node: b.value ?? undefined } : /(?:^|\.)ProhibitDtd$/.test(b.targetText) && isFalse(b.value) ? { node: b.value ?? undefined } : undefined) },
    ],
    c: [
      { kind: 'node', trigger: /XML_PARSE_NOENT|XML_PARSE_DTDLOAD/, types: ['identifier'], check: (n) => (n.text === 'XML_PARSE_NOENT' || n.text === 'XML_PARSE_DTDLOAD' ? { message: `${n.text} makes libxml2 substitute external entities (XXE)` } : undefined) },
      { kind: 'call', names: ['xmlSubstituteEntitiesDefault'], check: (c) => (isTrue(c.args[0]) ? {} : undefined) },
    ],
    ruby: [
      { kind: 'call', names: ['noent', 'dtdload'], check: (c) => (c.receiver ? {} : undefined) },
      { kind: 'node', trigger: /NOENT|DTDLOAD/, types: ['scope_resolution'], check: (n) => (/ParseOptions::(?:NOENT|DTDLOAD)$/.test(n.text) ? {} : undefined) },
    ],
  },
});

// ------------------------------------------------------------------ debug mode

export const debugEnabled = defineRule({
  id: 'debug-enabled',
  name: 'Debug mode enabled',
  cwe: 'CWE-489',
  severity: 'medium',
  pattern: 24,
  message: 'Debug mode is on: the interactive debugger/stack traces expose code and allow code execution if deployed',
  why: 'OpenSSF AI code assistant guide: "do not expose internal details or secrets in error messages"; the Werkzeug debugger is a remote shell.',
  description: 'Flask app.run(debug=True), app.debug = True, DEBUG = True in Django settings, Spring @EnableWebSecurity(debug = true).',
  matchers: {
    python: [
      { kind: 'call', names: ['run', 'run_simple'], check: (c, ctx) => { const d = kw(c, 'debug') ?? kw(c, 'use_debugger'); return d && isTrue(d) && ctx.fileHas(/flask|Flask|werkzeug/) ? { node: d } : undefined; } },
      {
        kind: 'binding', trigger: /debug|DEBUG/,
        check: (b, ctx) => {
          if (!b.value || !isTrue(b.value)) return undefined;
          if (/^(?:app|application)\.debug$|config\[["']DEBUG["']\]$/.test(b.targetText)) return { node: b.value };
          if (b.targetText === 'DEBUG' && !ctx.functionNode() && ctx.fileHas(/INSTALLED_APPS|ALLOWED_HOSTS|MIDDLEWARE|ROOT_URLCONF/)) return { node: b.value, message: 'DEBUG = True in Django settings shows detailed error pages with settings and source to anyone' };
          return undefined;
        },
      },
    ],
    java: [
      { kind: 'node', trigger: /@EnableWebSecurity/, types: ['annotation'], check: (n) => (/^@EnableWebSecurity\s*\(\s*debug\s*=\s*true\s*\)$/.test(n.text) ? {} : undefined) },
      {
        // Android WebView remote debugging: any app on a USB-connected machine can inspect and script this app's WebViews. Fine behind a debug-build check.
        kind: 'call',
        names: ['setWebContentsDebuggingEnabled'],
        check: (c, ctx) => (isTrue(c.args[0]) && !/BuildConfig\.DEBUG|FLAG_DEBUGGABLE|isDebug\w*\s*\(/.test(ctx.functionText()) ? { message: 'WebView.setWebContentsDebuggingEnabled(true) ships remote debugging of WebViews in the release build; enable it only when BuildConfig.DEBUG' } : undefined),
      },
    ],
  },
});

// ------------------------------------------------------------------ error details

export const errorDetailsExposed = defineRule({
  id: 'error-details-exposed',
  name: 'Stack trace or exception text sent to the client',
  cwe: 'CWE-209',
  severity: 'low',
  pattern: 24,
  message: 'Exception details/stack trace are returned to the client: they reveal internals useful to attackers',
  why: 'OpenSSF AI code assistant guide: "do not expose internal details or secrets in error messages"; pyscg-0050. Log the details, return a generic message.',
  description: 'traceback.format_exc() or str(exception) in HTTP responses, Express responses carrying err.stack, Java printStackTrace to the response writer.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['jsonify', 'make_response', 'HttpResponse', 'JSONResponse', 'Response', 'JsonResponse', 'abort'],
        check: (c) => {
          const t = c.node.childForFieldName('arguments')?.text ?? '';
          return /traceback\.format_exc\(\)|format_exception\(/.test(t) ? { message: 'A stack trace is sent in the HTTP response' } : undefined;
        },
      },
      {
        kind: 'node', trigger: /traceback|except/, anchor: /\breturn\b/,
        types: ['return_statement'],
        check: (n, ctx) => {
          const t = n.text;
          if (/traceback\.format_exc\(\)/.test(t)) return { message: 'A stack trace is returned from the handler' };
          const fn = ctx.functionNode();
          const decorated = fn?.parent?.type === 'decorated_definition' && /\.(?:route|get|post|put|delete|patch)\s*\(/.test(fn.parent.text.slice(0, 300));
          if (!decorated) return undefined;
          // `except Exception as e: return str(e)` / jsonify({'error': str(e)})
          let p: Node | null = n.parent;
          for (let i = 0; p && i < 4 && p.type !== 'except_clause'; i++) p = p.parent;
          if (!p || p.type !== 'except_clause') return undefined;
          const name = /\bas\s+(\w+)/.exec(p.text.split('\n')[0])?.[1];
          return name && new RegExp(`\\b(?:str|repr)\\(\\s*${name}\\s*\\)|f["'][^"']*\\{${name}\\}`).test(t) ? { message: 'The exception text is returned to the client' } : undefined;
        },
      },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['send', 'json', 'end', 'write', 'render'],
        // Every report needs an error variable somewhere in the file.
        trigger: /\b(?:err|error|e|ex|exception)\b/,
        check: (c) => {
          if (!/^(?:res|response|reply)(?:\.status\(\))?$/.test((c.receiver?.text ?? '').replace(/\(.*\)/, '()'))) return undefined;
          const t = c.node.childForFieldName('arguments')?.text ?? '';
          if (/\b(?:err|error|e|ex|exception)\.stack\b/.test(t)) return { message: 'err.stack is sent in the HTTP response' };
          // The whole error object (`res.json(err)`, `res.send({ error: err })`): driver/system errors
          // serialize their internals (SQL, file paths, codes) to the client.
          const a = c.args[0];
          const whole = a && /\b(?:err|error|ex|exception)\b/.test(t) && (/^(?:err|error|ex|exception)$/.test(a.text) || (a.type === 'object' && a.namedChildren.some((p) => /^(?:err|error|ex|exception)$/.test((p.type === 'pair' ? p.childForFieldName('value') : p)?.text ?? ''))));
          return whole && c.name !== 'render' ? { node: a, severity: 'low', message: 'The error object itself is sent in the HTTP response: database/system errors carry internal details (queries, paths, codes); log it and send a generic message' } : undefined;
        },
      },
    ],
    java: [
      { kind: 'call', names: ['printStackTrace'], check: (c) => (c.args[0] && /getWriter\(\)|getOutputStream\(\)|\bout\b|writer/.test(c.args[0].text) ? { message: 'printStackTrace writes the stack trace into the HTTP response' } : undefined) },
      {
        // `e.printStackTrace(new PrintWriter(sw))` then `sw.toString()` in the response body.
        kind: 'call',
        names: ['printStackTrace'],
        check: (c, ctx) => {
          const sw = /^new\s+PrintWriter\s*\(\s*([A-Za-z_]\w*)\s*\)$/.exec(c.args[0]?.text ?? '')?.[1];
          if (!sw) return undefined;
          const sent = new RegExp(`(?:\\.body\\s*\\(|\\.ok\\s*\\(|\\breturn\\b|\\.write\\s*\\(|\\.print(?:ln)?\\s*\\(|\\.of\\s*\\()[^;]*\\b${sw}\\b`).test(ctx.functionText().slice(c.node.endIndex - (ctx.functionNode()?.startIndex ?? 0)));
          return sent ? { message: 'The stack trace is captured into a string and sent in the HTTP response' } : undefined;
        },
      },
      { kind: 'call', names: ['getStackTrace'], check: (c, ctx) => (/^ExceptionUtils$/.test(c.receiver?.text ?? '') && /ResponseEntity|HttpServletResponse|@(?:Rest)?Controller|@ExceptionHandler/.test(ctx.text) ? { message: 'ExceptionUtils.getStackTrace(e) in a web handler: the stack trace is sent to the client' } : undefined) },
    ],
    ruby: [
      {
        // `render json: { backtrace: e.backtrace }` / `render plain: e.full_message`
        kind: 'call',
        names: ['render', 'json', 'halt'],
        check: (c) => {
          const t = c.node.childForFieldName('arguments')?.text ?? c.node.text;
          return /\.(?:backtrace|full_message|backtrace_locations)\b/.test(t) ? { message: 'The exception backtrace is sent in the HTTP response' } : undefined;
        },
      },
    ],
    go: [
      {
        // runtime/debug.Stack() written to the response.
        kind: 'call',
        names: ['Write', 'Fprint', 'Fprintf', 'Fprintln', 'Error', 'String', 'JSON'],
        check: (c) => (/\bdebug\.Stack\(\)/.test(c.node.childForFieldName('arguments')?.text ?? '') && (/^(?:w|c|ctx|rw|resp|writer)$/.test(c.receiver?.text ?? '') || /^(?:fmt\.Fprint\w*|http\.Error)$/.test(c.callee)) ? { message: 'debug.Stack() is sent in the HTTP response' } : undefined),
      },
    ],
  },
});

// ------------------------------------------------------------------ CORS

const CREDENTIALS = /(?:supports_credentials|allow_credentials|credentials|allowCredentials|AllowCredentials|Access-Control-Allow-Credentials)["']?\s*(?:[:=,(]|=>)\s*["']?(?:True|true)\b/;

export const corsCredentialsWildcard = defineRule({
  id: 'cors-wildcard-credentials',
  name: 'CORS allows any origin with credentials',
  cwe: 'CWE-942',
  severity: 'medium',
  pattern: 0,
  message: 'CORS allows any (or a reflected) origin together with credentials: any website can make authenticated requests and read the responses',
  why: 'OpenSSF AI code assistant guide: "use frameworks\' built-in protections for cookies and sessions"; list trusted origins explicitly.',
  description: 'flask-cors CORS(supports_credentials=True) with default/"*" origins, cors({origin: true|"*", credentials: true}), Access-Control-Allow-Origin "*" or reflected Origin with Allow-Credentials true, Spring allowedOrigins("*") + allowCredentials(true), Go AllowAllOrigins/"*" + AllowCredentials.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['CORS', 'cross_origin', 'add_middleware'],
        check: (c) => {
          const cred = kw(c, 'supports_credentials') ?? kw(c, 'allow_credentials');
          if (!cred || !isTrue(cred)) return undefined;
          const origins = kw(c, 'origins') ?? kw(c, 'allow_origins') ?? kw(c, 'resources');
          return !origins || /["']\*["']/.test(origins.text) ? {} : undefined;
        },
      },
      { kind: 'binding', trigger: /Access-Control-Allow-Origin/i, check: (b, ctx) => (/Access-Control-Allow-Origin/i.test(b.targetText) && b.value && (/^["']\*["']$/.test(b.value.text) || /request\.headers/.test(b.value.text)) && ctx.fileHas(CREDENTIALS) ? { node: b.value } : undefined) },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['cors', 'enableCors', 'register', 'setHeader', 'header', 'set'],
        check: (c, ctx) => {
          if (c.name === 'setHeader' || c.name === 'header' || c.name === 'set') {
            if (!/Access-Control-Allow-Origin/i.test(c.args[0]?.text ?? '')) return undefined;
            const v = c.args[1]?.text ?? '';
            return (/^["'`]\*["'`]$/.test(v) || /(?:req|request)\.headers(?:\.origin|\[["']origin["']\])|req\.get\(\s*["']origin/i.test(v)) && ctx.fileHas(CREDENTIALS) ? { node: c.args[1] } : undefined;
          }
          const cred = optionIn(c, /^credentials$/);
          const origin = optionIn(c, /^origin$/);
          return cred && isTrue(cred) && (!origin || /^(?:true|["'`]\*["'`])$/.test(origin.text)) ? {} : undefined;
        },
      },
    ],
    java: [
      { kind: 'node', trigger: /@CrossOrigin/, types: ['annotation'], check: (n) => (/^@CrossOrigin\b/.test(n.text) && /origins\s*=\s*"\*"|value\s*=\s*"\*"|\(\s*"\*"/.test(n.text) && /allowCredentials\s*=\s*"true"/.test(n.text) ? {} : undefined) },
      { kind: 'call', names: ['allowedOrigins', 'addAllowedOrigin', 'setAllowedOrigins', 'allowedOriginPatterns', 'addAllowedOriginPattern'], check: (c, ctx) => (c.args.some((a) => /"\*"/.test(a.text)) && /allowCredentials\s*\(\s*true|setAllowCredentials\s*\(\s*true/.test(ctx.text) ? {} : undefined) },
      { kind: 'call', names: ['setHeader', 'addHeader'], check: (c, ctx) => (/Access-Control-Allow-Origin/i.test(c.args[0]?.text ?? '') && (/^"\*"$/.test(c.args[1]?.text ?? '') || /getHeader\(\s*"Origin"/i.test(c.args[1]?.text ?? '')) && ctx.fileHas(CREDENTIALS) ? {} : undefined) },
    ],
    go: [
      { kind: 'binding', trigger: /AllowAllOrigins|AllowOrigins|AllowedOrigins/, check: (b, ctx) => (b.pair && b.value && ((/^AllowAllOrigins$/.test(b.targetText) && isTrue(b.value)) || (/^(?:AllowOrigins|AllowedOrigins)$/.test(b.targetText) && /"\*"/.test(b.value.text))) && /AllowCredentials\s*:\s*true/.test(ctx.text) ? { node: b.value } : undefined) },
      { kind: 'call', names: ['Set', 'Add'], check: (c, ctx) => (/Access-Control-Allow-Origin/i.test(c.args[0]?.text ?? '') && (/^"\*"$/.test(c.args[1]?.text ?? '') || /Header\.Get\(\s*"Origin"\s*\)/.test(c.args[1]?.text ?? '')) && ctx.fileHas(CREDENTIALS) ? {} : undefined) },
    ],
  },
});

// ------------------------------------------------------------------ JWT

const isNullish = (n: Node | undefined): boolean => !!n && /^(?:NULL|nullptr|0|\(\s*\w+\s*\*\s*\)\s*(?:NULL|0))$/.test(n.text.trim());

/** OpenSSL signature/certificate verification calls whose result decides validity. */
const OPENSSL_VERIFY = ['EVP_VerifyFinal', 'EVP_DigestVerifyFinal', 'EVP_DigestVerify', 'EVP_PKEY_verify', 'RSA_verify', 'DSA_verify', 'ECDSA_verify', 'ECDSA_do_verify', 'X509_verify', 'X509_REQ_verify', 'X509_CRL_verify', 'X509_verify_cert', 'ED25519_verify', 'crypto_sign_verify_detached', 'crypto_sign_open'];

export const jwtUnverified = defineRule({
  id: 'jwt-unverified',
  name: 'JWT signature not verified',
  cwe: 'CWE-347',
  severity: 'high',
  pattern: 0,
  message: 'The JWT is decoded without verifying its signature (or accepts alg "none"): anyone can forge tokens',
  why: 'OpenSSF AI code assistant guide: use vetted libraries correctly and never turn off security checks; always verify with an explicit algorithm list.',
  description: 'PyJWT decode with verify=False/verify_signature False/algorithms ["none"]; jsonwebtoken algorithms ["none"] or decode() without verify() in the file; auth0 JWT.decode without JWT.require; Go jwt ParseUnverified; Ruby JWT.decode(token, nil, false); .NET RequireSignedTokens/ValidateIssuerSigningKey = false.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['decode'],
        check: (c) => {
          if (!/^(?:jwt|jose\.jwt|pyjwt)\.decode$/.test(c.callee)) return undefined;
          const v = kw(c, 'verify');
          if (v && isFalse(v)) return { node: v };
          const o = kw(c, 'options');
          if (o && /["']verify_signature["']\s*:\s*False/.test(o.text)) return { node: o };
          const a = kw(c, 'algorithms');
          if (a && /["']none["']/i.test(a.text)) return { node: a };
          return undefined;
        },
      },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['verify', 'decode'],
        check: (c, ctx) => {
          if (!/^(?:jwt|jsonwebtoken|JWT)$/.test(c.receiver?.text ?? '')) return undefined;
          if (c.name === 'verify') {
            const a = optionIn(c, /^algorithms$/);
            return a && /["'`]none["'`]/i.test(a.text) ? { node: a } : undefined;
          }
          return ctx.fileHas(/\bjwt\.verify\s*\(|\bjsonwebtoken\.verify\s*\(|\bverify\s*\(/) ? undefined : { message: 'jwt.decode does not verify the signature; use jwt.verify with an algorithms list' };
        },
      },
    ],
    java: [
      { kind: 'call', names: ['decode'], check: (c, ctx) => (c.receiver?.text === 'JWT' && !ctx.fileHas(/JWT\.require\s*\(|\.verify\s*\(/) ? { message: 'JWT.decode does not verify the signature; use JWT.require(algorithm).build().verify(token)' } : undefined) },
      { kind: 'call', names: ['parse', 'parseClaimsJwt', 'parseUnsecuredClaims'], check: (c) => (/Jwts\.parser/.test(c.receiver?.text ?? '') && c.name !== 'parse' ? { message: `${c.name} accepts unsigned tokens` } : undefined) },
    ],
    go: [
      { kind: 'call', names: ['ParseUnverified'], check: () => ({ message: 'ParseUnverified does not check the signature' }) },
      {
        // `tok, _ := jwt.Parse(s, keyFunc)` and then its claims with no `tok.Valid` check: jwt-go returns
        // the parsed claims together with the signature error, so a forged token's claims get used.
        kind: 'call',
        names: ['Parse', 'ParseWithClaims'],
        before: /\bjwt\.$|\bparser\.$|\bParser\(\)\.$/,
        check: (c, ctx) => {
          const asg = c.node.parent?.type === 'expression_list' ? c.node.parent.parent : null;
          const left = asg && /^(?:short_var_declaration|assignment_statement)$/.test(asg.type) ? asg.childForFieldName('left') : null;
          const names = left?.namedChildren ?? [];
          if (names.length !== 2 || names[1].text !== '_' || names[0].text === '_') return undefined;
          const fn = ctx.functionText();
          if (!new RegExp(`\\b${names[0].text}\\.Claims\\b`).test(fn) || new RegExp(`\\b${names[0].text}\\.Valid\\b`).test(fn)) return undefined;
          return { message: `The error from ${c.callee} is discarded and \`${names[0].text}.Valid\` is never checked: a token with a bad signature still yields its claims; check the error (and Valid) before using them` };
        },
      },
    ],
    ruby: [{ kind: 'call', names: ['decode'], check: (c) => (c.receiver?.text === 'JWT' && (isFalse(c.args[2]) || /["']none["']/i.test(c.node.text)) ? {} : undefined) }],
    csharp: [{ kind: 'binding', trigger: /RequireSignedTokens|ValidateIssuerSigningKey/, check: (b) => (/(?:^|\.)(?:RequireSignedTokens|ValidateIssuerSigningKey|RequireExpirationTime)$/.test(b.targetText) && isFalse(b.value) && /RequireSignedTokens|ValidateIssuerSigningKey/.test(b.targetText) ? { node: b.value ?? undefined } : undefined) }],
    c: [
      // libjwt: jwt_decode(&jwt, token, key, key_len) checks the signature only when given a key.
      { kind: 'call', names: ['jwt_decode'], check: (c) => (isNullish(c.args[2]) || /^0+$/.test(c.args[3]?.text ?? '') ? { node: c.args[2], message: 'jwt_decode() with no key (NULL / length 0) parses the token without checking its signature; pass the key and its length (and check the alg)' } : undefined) },
      // jwt-cpp: jwt::decode() only parses; jwt::verify().allow_algorithm(...).verify(decoded) checks.
      { kind: 'call', names: ['decode'], check: (c, ctx) => (/^jwt\.decode$/.test(c.callee) && !ctx.fileHas(/\bjwt::verify\s*[(<]|\.verify\s*\(/) ? { message: 'jwt::decode() does not verify the signature; verify with jwt::verify().allow_algorithm(...).verify(decoded)' } : undefined) },
      // OpenSSL verify calls return 1 = valid, 0 = invalid, < 0 = error: ignoring the result, or
      // testing it for truth (`if (EVP_VerifyFinal(...))`, CVE-2008-5077), accepts bad signatures.
      {
        kind: 'call',
        names: OPENSSL_VERIFY,
        check: (c) => {
          let p = c.node.parent;
          while (p && p.type === 'parenthesized_expression') p = p.parent;
          if (p?.type === 'expression_statement') return { message: `The result of ${c.name}() is ignored: the signature is never checked` };
          const truthy = p?.type === 'condition_clause' || (p?.type === 'unary_expression' && p.text.startsWith('!')) || (p?.type === 'binary_expression' && /^(?:&&|\|\|)$/.test(p.childForFieldName('operator')?.text ?? ''));
          return truthy && /^(?:EVP_VerifyFinal|EVP_DigestVerifyFinal|EVP_DigestVerify|EVP_PKEY_verify|DSA_verify|ECDSA_verify|ECDSA_do_verify|X509_verify|X509_REQ_verify|X509_CRL_verify)$/.test(c.name)
            ? { message: `${c.name}() returns -1 on error, which a truth test treats as a valid signature; compare the result with 1` }
            : undefined;
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ timing-unsafe compare

const SECRETISH = /(?:^|_|[a-z])(?:token|signature|sig|hmac|digest|mac|api_?key|apikey|secret|password_?hash|passwd_?hash|pw_?hash|hash|otp|csrf(?:_?token)?|nonce)$/i;
const NOT_SECRET = /^(?:null|None|nil|undefined|true|false|True|False|""|''|0|-1|\d+)$|\.length$|len\(|\.size\(\)|\.count|typeof|\.type$|_?(?:len|length|count|type|name|id|kind|index|idx)$/i;

/** Suffixes that keep a secret a secret: `signatureHex`, `token_bytes`, `apiKeyValue`. */
const SECRET_SUFFIX = /(?:_?(?:hex|bytes|b64|base64|str|string|value|val|header|param))+$/i;
/** A header/parameter named like a secret: `r.Header.Get("X-Signature")`, `request.headers["X-Hub-Signature-256"]`. */
const SECRET_KEY_LITERAL = /["'`](?:x-)?[\w-]*(?:signature|token|hmac|api-?key|secret|digest)[\w-]*["'`]/i;
/** A value computed by a MAC or digest: `expected := hex.EncodeToString(mac.Sum(nil))`. */
const MAC_VALUE = /\b(?:hmac|HMAC|Mac|mac)\b[\w.]*\s*[.(]|hexdigest|\.digest\s*\(|doFinal\s*\(|\.Sum\s*\(|createHmac|HmacSHA|hmac\.(?:new|New)/;
/** Salted password-hashing functions: comparing their output leaks nothing usable. */
const SALTED_KDF = /\b(?:crypt|crypt_r|bcrypt\w*|scrypt|argon2\w*|pbkdf2\w*|PKCS5_PBKDF2_HMAC\w*|password_hash|hashpw)\s*\(/;

/** Text of the latest assignment to a plain name in the function (`x = …` / `x := …`), if any. */
function definitionText(x: Node, ctx: RuleContext | undefined): string {
  if (!ctx || !/^[A-Za-z_$][\w$]*$/.test(x.text)) return '';
  const defs = [...ctx.functionText().matchAll(new RegExp(`(?<![\\w$.])${x.text.replace(/\$/g, '\\$')}\\s*(?::=|=(?![=~>]))\\s*([^\\n;]*)`, 'g'))];
  return defs.length ? defs[defs.length - 1][1] : '';
}

function secretish(x: Node, ctx: RuleContext | undefined): boolean {
  const ln = lastName(x.text);
  if (SECRETISH.test(ln) || SECRETISH.test(ln.replace(SECRET_SUFFIX, ''))) return true;
  if (SECRET_KEY_LITERAL.test(x.text)) return true;
  return MAC_VALUE.test(definitionText(x, ctx));
}

function compareHit(left: Node, right: Node, ctx?: RuleContext): Hit | undefined {
  const ln = lastName(left.text);
  const rn = lastName(right.text);
  if (NOT_SECRET.test(left.text) || NOT_SECRET.test(right.text)) return undefined;
  if (/^["'`]/.test(left.text) || /^["'`]/.test(right.text)) return undefined;
  if (!secretish(left, ctx) && !secretish(right, ctx)) return undefined;
  if (/^(?:hashCode|hash_code|HashCode|content_?hash|file_?hash|commit_?hash|git_?hash|block_?hash|tx_?hash|info_?hash|etag)$/i.test(ln) || /^(?:hashCode|content_?hash|file_?hash|commit_?hash|etag)$/i.test(rn)) return undefined;
  if ([left, right].some((x) => SALTED_KDF.test(x.text) || SALTED_KDF.test(definitionText(x, ctx)))) return undefined;
  return { message: `\`${left.text.slice(0, 40)}\` and \`${right.text.slice(0, 40)}\` are compared with an early-exit comparison; use a constant-time compare (hmac.compare_digest / crypto.timingSafeEqual / MessageDigest.isEqual / subtle.ConstantTimeCompare)` };
}

const compareM: Matcher = { kind: 'compare', trigger: /(?:token|signature|sig|hmac|digest|mac|api_?key|apikey|secret|hash|otp|csrf|nonce)\w*["'\]\)]*\s*(?:[!=]==?)|(?:[!=]==?)\s*[\w.$@>:-]*(?:token|signature|sig|hmac|digest|mac|api_?key|apikey|secret|hash|otp|csrf|nonce)|(?:[!=]==?)\s*expected\b|\bexpected\s*(?:[!=]==?)/i, check: (_n, l, r, _op, ctx) => compareHit(l, r, ctx) };

export const timingUnsafeCompare = defineRule({
  id: 'timing-unsafe-compare',
  name: 'Secret compared in non-constant time',
  cwe: 'CWE-208',
  severity: 'medium',
  pattern: 0,
  message: 'A secret (token/signature/hash) is compared with ==; the early exit leaks how many bytes matched',
  why: 'OpenSSF AI code assistant guide: "Use constant-time comparison … session identifiers, API keys, authentication tokens, password hashes, or nonces".',
  description: '==/!=/===/equals/strcmp/memcmp where one side is named like a token, signature, HMAC, digest, API key or password hash and neither side is a literal.',
  matchers: {
    python: [compareM],
    javascript: [
      compareM,
      {
        // `hash(input) === user.hashed_password`: a stored password hash compared with ===.
        kind: 'compare',
        trigger: /(?:hashed_?password|encrypted_?password|password_?digest|hashedPw)\b/i,
        check: (_n, l, r) => {
          const named = (x: Node) => /^(?:hashed_?password|encrypted_?password|password_?digest|hashedPw)$/i.test(lastName(x.text));
          if (!named(l) && !named(r)) return undefined;
          const other = named(l) ? r : l;
          if (NOT_SECRET.test(other.text) || /^["'`]/.test(other.text)) return undefined;
          return { message: `\`${l.text.slice(0, 40)}\` and \`${r.text.slice(0, 40)}\` compare a stored password hash with an early-exit comparison; use bcrypt.compare / crypto.timingSafeEqual` };
        },
      },
    ],
    go: [compareM],
    ruby: [compareM],
    php: [compareM],
    csharp: [compareM, { kind: 'call', names: ['Equals', 'SequenceEqual'], check: (c) => (c.receiver && c.args[0] ? compareHit(c.receiver, c.args[0]) : undefined) }],
    java: [compareM, { kind: 'call', names: ['equals', 'contentEquals', 'equalsIgnoreCase'], check: (c, ctx) => (c.receiver && c.args[0] ? compareHit(c.receiver, c.args[0], ctx) : undefined) }, { kind: 'call', names: ['equals'], check: (c) => (c.receiver?.text === 'Arrays' && c.args.length === 2 ? compareHit(c.args[0], c.args[1]) : undefined) }],
    c: [{ kind: 'call', names: ['strcmp', 'memcmp', 'strncmp', 'bcmp'], check: (c, ctx) => (c.args.length >= 2 ? compareHit(c.args[0], c.args[1], ctx) : undefined) }, compareM],
  },
});

// ------------------------------------------------------------------ CSRF disabled

export const csrfDisabled = defineRule({
  id: 'csrf-disabled',
  name: 'CSRF protection disabled',
  cwe: 'CWE-352',
  severity: 'medium',
  pattern: 0,
  message: 'CSRF protection is turned off for this application or endpoint',
  why: 'OpenSSF AI code assistant guide: "use frameworks\' built-in protections for cookies and sessions"; state-changing endpoints need CSRF tokens or SameSite cookies.',
  description: 'Spring http.csrf().disable() / csrf(c -> c.disable()), Django @csrf_exempt, Flask-WTF WTF_CSRF_ENABLED = False, Rails skip_before_action :verify_authenticity_token / protect_from_forgery disabled, ASP.NET [IgnoreAntiforgeryToken].',
  matchers: {
    java: [
      { kind: 'call', names: ['disable'], check: (c) => (/\.csrf\(\)$|^csrf\(\)$/.test(c.receiver ? c.receiver.text.replace(/\s+/g, '') : '') ? {} : undefined) },
      { kind: 'call', names: ['csrf'], check: (c) => (c.args[0] && /disable/.test(c.args[0].text) ? {} : undefined) },
    ],
    python: [
      { kind: 'node', trigger: /csrf/, types: ['decorator'], check: (n) => (/^@(?:csrf\.)?csrf_exempt\b|^@csrf\.exempt\b/.test(n.text) ? {} : undefined) },
      { kind: 'binding', trigger: /CSRF/, check: (b) => (/(?:^|\[["'])(?:WTF_CSRF_ENABLED|CSRF_ENABLED|WTF_CSRF_CHECK_DEFAULT)["']?\]?$/.test(b.targetText) && isFalse(b.value) ? { node: b.value ?? undefined } : undefined) },
    ],
    ruby: [
      { kind: 'call', names: ['skip_before_action', 'skip_before_filter', 'skip_forgery_protection'], check: (c) => (c.name === 'skip_forgery_protection' || c.args.some((a) => /verify_authenticity_token/.test(a.text)) ? {} : undefined) },
      { kind: 'binding', trigger: /allow_forgery_protection/, check: (b) => (/allow_forgery_protection$/.test(b.targetText) && isFalse(b.value) ? {} : undefined) },
    ],
    csharp: [{ kind: 'node', trigger: /IgnoreAntiforgeryToken/, types: ['attribute'], check: (n) => (/^IgnoreAntiforgeryToken\b/.test(n.text) ? {} : undefined) }],
    javascript: [
      {
        // Express with cookie sessions and state-changing routes, but no CSRF middleware (csurf,
        // lusca, csrf-csrf) and no SameSite setting anywhere in the file (CodeQL
        // js/missing-token-validation). Reported once, on the first such route.
        kind: 'call',
        trigger: /express-session|cookie-session|cookieParser|cookie-parser|req\.session\b|passport\.session/,
        anchor: /\b(?:app|router|server|api|\w+Router)\s*\.\s*(?:post|put|patch|delete)\s*\(/,
        check: (c, ctx) => {
          if (!/^(?:post|put|patch|delete)$/.test(c.name) || !/^(?:app|router|server|api|\w+Router)$/.test(c.receiver?.text ?? '') || !/^["'`]\//.test(c.args[0]?.text ?? '')) return undefined;
          if (ctx.fileHas(/csrf|csurf|xsrf|lusca|same_?site/i)) return undefined;
          const first = /\b(?:app|router|server|api|\w+Router)\s*\.\s*(?:post|put|patch|delete)\s*\(\s*["'`]\//.exec(ctx.text);
          if (!first || first.index !== c.node.startIndex) return undefined;
          return { node: c.args[0], severity: 'low', message: 'State-changing routes of an app with cookie-based sessions have no CSRF protection (no csurf/lusca token check, no SameSite cookie): another site can submit this form as the logged-in user' };
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ cookies

const SESSIONISH = /sess|token|auth|jwt|sid\b|remember|login|user_?id|access/i;

export const insecureCookie = defineRule({
  id: 'insecure-cookie',
  name: 'Session cookie without Secure/HttpOnly',
  cwe: 'CWE-614',
  severity: 'low',
  pattern: 0,
  message: 'A session/auth cookie is set without Secure and HttpOnly: it can leak over HTTP or to injected scripts',
  why: 'OpenSSF AI code assistant guide: "use frameworks\' built-in protections for cookies and sessions"; set Secure, HttpOnly and SameSite on session cookies.',
  description: 'set_cookie/res.cookie/new Cookie for session- or token-like cookies with secure/httponly explicitly false or both missing; SESSION_COOKIE_SECURE/HTTPONLY = False.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['set_cookie'],
        check: (c) => {
          const s = kw(c, 'secure');
          const h = kw(c, 'httponly');
          if ((s && isFalse(s)) || (h && isFalse(h))) return { node: s && isFalse(s) ? s : h };
          return !s && !h && SESSIONISH.test(c.args[0]?.text ?? kw(c, 'key')?.text ?? '') ? {} : undefined;
        },
      },
      { kind: 'binding', trigger: /SESSION_COOKIE|CSRF_COOKIE/, check: (b) => (/^(?:SESSION_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY|CSRF_COOKIE_SECURE)$|\[["'](?:SESSION_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY)["']\]$/.test(b.targetText) && isFalse(b.value) ? { node: b.value ?? undefined } : undefined) },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['cookie'],
        check: (c) => {
          if (!/^(?:res|response|reply|ctx)$/.test(c.receiver?.text ?? '')) return undefined;
          const h = optionIn(c, /^httpOnly$/);
          const s = optionIn(c, /^secure$/);
          if ((h && isFalse(h)) || (s && isFalse(s))) return { node: h && isFalse(h) ? h : s };
          return !h && !s && SESSIONISH.test(c.args[0]?.text ?? '') ? {} : undefined;
        },
      },
    ],
    java: [
      { kind: 'call', names: ['setHttpOnly', 'setSecure'], check: (c) => (isFalse(c.args[0]) ? {} : undefined) },
      { kind: 'call', names: ['Cookie'], check: (c, ctx) => (c.isNew && SESSIONISH.test(c.args[0]?.text ?? '') && !/setSecure\s*\(\s*true|setHttpOnly\s*\(\s*true/.test(ctx.functionText()) ? {} : undefined) },
    ],
  },
});

// ------------------------------------------------------------------ Android WebView file access

export const webviewFileAccess = defineRule({
  id: 'webview-file-access',
  name: 'WebView with file access for scripts',
  cwe: 'CWE-200',
  severity: 'medium',
  pattern: 0,
  message: 'This WebView lets page scripts read local files',
  why: 'OpenSSF AI code assistant guide: "Follow least privilege"; Android lint/MobSF: a WebView that runs JavaScript with file access can be made to read app files (file:// pages, injected content) and send them out.',
  description: 'Android WebSettings setAllowFileAccessFromFileURLs(true) / setAllowUniversalAccessFromFileURLs(true), and setAllowFileAccess(true) in a WebView that enables JavaScript.',
  matchers: {
    java: [
      {
        kind: 'call',
        names: ['setAllowFileAccess', 'setAllowFileAccessFromFileURLs', 'setAllowUniversalAccessFromFileURLs'],
        check: (c, ctx) => {
          if (c.args.length !== 1 || !isTrue(c.args[0])) return undefined;
          if (c.name !== 'setAllowFileAccess') return { message: `${c.name}(true) lets JavaScript in file:// pages read other local files${c.name === 'setAllowUniversalAccessFromFileURLs' ? ' and any origin' : ''}; leave it false` };
          return ctx.fileHas(/setJavaScriptEnabled\s*\(\s*true\s*\)/) ? { message: 'setAllowFileAccess(true) on a WebView with JavaScript enabled: scripts in loaded pages can read app files through file:// URLs; set it to false and serve local content with WebViewAssetLoader' } : undefined;
        },
      },
    ],
  },
});
