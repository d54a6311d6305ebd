/**
 * Taint sources and sanitizers, per rule family, as text patterns over compacted expressions
 * (see `compactCallee`). Kept as data so reviewers can see exactly what counts as untrusted.
 */
import type { RuleLanguage } from './languages';

/** What kind of untrusted data a source yields. */
export type SourceKind = 'request' | 'cli' | 'llm' | 'env' | 'archive';

export interface SourcePattern {
  kind: SourceKind;
  /** Tested against the compacted text of member/subscript/call expressions (prefix match unless noted). */
  re: RegExp;
  label: string;
}

const LLM_COMMON: SourcePattern[] = [
  { kind: 'llm', re: /\.choices\[\d+\]\.(?:message\.content|text|delta\.content)/, label: 'LLM completion text' },
  { kind: 'llm', re: /\.content\[\d+\]\.text/, label: 'LLM message text' },
  { kind: 'llm', re: /\.output_text$|\.outputText$/, label: 'LLM response text' },
  { kind: 'llm', re: /(?:^|\.)(?:chat\.completions|completions|messages|responses)\.create\(\)$/, label: 'LLM API call' },
  { kind: 'llm', re: /(?:^|\.)(?:generate_content|generateContent|generateText|streamText)\(\)/, label: 'LLM API call' },
  { kind: 'llm', re: /(?:^|\.)(?:litellm\.completion|ollama\.chat|ollama\.generate)\(\)$/, label: 'LLM API call' },
  {
    kind: 'llm',
    re: /(?:^|\.)(?:\w*(?:llm|chain|agent|chat|gpt|claude|openai|anthropic|model|assistant|executor)\w*)\.(?:invoke|ainvoke|predict|run|arun|call|complete|chat|generate_text)\(\)$/i,
    label: 'LLM/chain output',
  },
];

/** Names of archive members: attacker-chosen paths when the archive is untrusted (zip slip). */
const ARCHIVE = 'archive entry name';

const PY: SourcePattern[] = [
  { kind: 'archive', re: /^(?:member|m|ti|tarinfo|tar_info|zinfo|zip_info|info|entry)\.(?:name|filename)$/, label: ARCHIVE },
  { kind: 'request', re: /^(?:flask\.)?request\.(?:args|form|values|json|files|data|cookies|headers|GET|POST|COOKIES|FILES|META|body|query_params|path_params|get_json|get_data|stream|environ)\b/, label: 'HTTP request data' },
  { kind: 'request', re: /^self\.request\.(?:GET|POST|query_params|data|body|arguments|get_argument)\b/, label: 'HTTP request data' },
  { kind: 'request', re: /^self\.get_(?:argument|query_argument|body_argument)\(\)/, label: 'HTTP request data' },
  { kind: 'cli', re: /^(?:raw_)?input\(\)$/, label: 'input()' },
  { kind: 'cli', re: /^sys\.(?:argv|stdin)\b/, label: 'sys.argv' },
  { kind: 'cli', re: /^(?:args|parser\.parse_args\(\))\.\w+$/, label: 'command-line arguments' },
  ...LLM_COMMON,
];

const JS: SourcePattern[] = [
  { kind: 'archive', re: /^(?:entry|header|zipEntry|fileEntry)\.(?:path|fileName|name|entryName)$/, label: ARCHIVE },
  { kind: 'request', re: /^(?:req|request|ctx\.request|ctx)\.(?:query|body|params|headers|cookies|files|file|url|originalUrl|path|hostname)\b/, label: 'HTTP request data' },
  { kind: 'request', re: /^(?:req|request)\.(?:param|get|header)\(\)/, label: 'HTTP request data' },
  // Fetch-API Request (Next.js route handlers, Remix, Hono, workers): `await request.json()`.
  { kind: 'request', re: /^(?:req|request|c\.req)\.(?:json|formData|text)\(\)$/, label: 'HTTP request body' },
  { kind: 'request', re: /^(?:window\.|document\.)?location\.(?:hash|search|href|pathname)\b|^document\.(?:URL|documentURI|referrer|cookie)\b/, label: 'browser URL/cookie' },
  { kind: 'request', re: /^(?:event|e|evt|msg|message)\.data\b/, label: 'postMessage data' },
  { kind: 'request', re: /\.searchParams\.get\(\)$|^(?:searchParams|params|query)\.get\(\)$/, label: 'URL parameter' },
  { kind: 'cli', re: /^process\.argv\b/, label: 'process.argv' },
  // DOM text read back (CodeQL xss-through-dom): what a user typed or the page shows as text
  // becomes markup again when written to innerHTML/$.html/append.
  { kind: 'request', re: /^(?:\$|jQuery)[\w$]*(?:\(\))?(?:\.\w+\(\))*\.(?:val|text)\(\)$/, label: 'DOM text (jQuery .val()/.text())' },
  { kind: 'request', re: /^(?:document\.(?:getElementById|querySelector)\(\)|(?:e|evt|event)\.(?:target|currentTarget)|[\w$]*(?:[iI]nput|[fF]ield|[tT]extarea|[tT]ext[bB]ox)[\w$]*(?:\.current)?)\.value$|\.(?:textContent|innerText)$/, label: 'DOM text (input value / textContent)' },
  ...LLM_COMMON,
];

const JAVA: SourcePattern[] = [
  { kind: 'archive', re: /^(?:\w*(?:[eE]ntry)|ze|je|te)\.getName\(\)$/, label: ARCHIVE },
  {
    kind: 'request',
    re: /^(?:request|req|httpRequest|servletRequest|httpServletRequest)\.(?:getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getQueryString|getCookies|getInputStream|getReader|getPathInfo|getRequestURI|getRequestURL|getPart|getParts)\(\)/,
    label: 'HTTP request data',
  },
  { kind: 'request', re: /^(?:\w+\.)?getParameter\(\)$/, label: 'HTTP request parameter' },
  // The client-chosen name of an upload (Spring MultipartFile, Servlet Part).
  { kind: 'request', re: /\.(?:getOriginalFilename|getSubmittedFileName)\(\)$/, label: 'uploaded file name' },
  { kind: 'cli', re: /^args\[/, label: 'main(String[] args)' },
  { kind: 'cli', re: /^(?:scanner|sc|in|input|reader|br)\.(?:next|nextLine|readLine)\(\)$/, label: 'console input' },
];

const GO: SourcePattern[] = [
  { kind: 'archive', re: /^(?:header|hdr|th|tarHeader|f|zf|zipFile)\.Name$/, label: ARCHIVE },
  // net/http, and the *http.Request inside Gin/Echo/QOR contexts (`c.Request.URL.Query()`, `c.Request().FormValue()`).
  { kind: 'request', re: /^(?:r|req|request|\w+\.Request(?:\(\))?)\.(?:URL\.Query\(\)|URL\.RawQuery|URL\.Path|Form|PostForm|FormValue\(\)|PostFormValue\(\)|Header\.Get\(\)|Body|Cookie\(\)|MultipartForm|FormFile\(\))/, label: 'HTTP request data' },
  { kind: 'request', re: /^(?:c|ctx)\.(?:Query|DefaultQuery|Param|PostForm|DefaultPostForm|GetQuery|GetPostForm|FormValue|QueryParam|Params|GetHeader|Cookie|FormFile)\(\)$/, label: 'HTTP request data' },
  { kind: 'request', re: /^mux\.Vars\(\)$/, label: 'route variables' },
  { kind: 'request', re: /^(?:chi\.URLParam(?:FromCtx)?|(?:ps|params|p)\.ByName|(?:r|req|request)\.PathValue)\(\)$/, label: 'route variables' },
  // App helpers named for reading a request parameter (`utils.ParamString(r, ":id")`, `getQueryParam(r, "q")`).
  { kind: 'request', re: /^(?:\w+\.)?(?:[pP]aram(?:String|Int\d*|Str|Value)|(?:[gG]et(?:Query|Path|Route|Form|URL|Url)?|[qQ]uery|[pP]ath|[rR]oute|[fF]orm|URL|[uU]rl)Param(?:String|Value)?)\(\)$/, label: 'request parameter helper' },
  { kind: 'cli', re: /^os\.Args\b/, label: 'os.Args' },
  { kind: 'cli', re: /^flag\.(?:Arg|Args)\(\)$/, label: 'command-line arguments' },
];

const C: SourcePattern[] = [
  { kind: 'archive', re: /^archive_entry_pathname\(\)$/, label: ARCHIVE },
  { kind: 'cli', re: /^argv\[/, label: 'argv' },
  { kind: 'env', re: /^(?:std\.)?getenv\(\)$/, label: 'getenv()' },
  // C++ web frameworks: cpp-httplib and Crow (`req.get_param_value("q")`, `req.url_params.get("q")`), Drogon (`req->getParameter("q")`).
  { kind: 'request', re: /^(?:req|request)\.(?:get_param_value\(\)|get_header_value\(\)|get_file_value\(\)|body\b|matches\[|path_params\b|params\b|url_params\.get\(\)|getParameter\(\)|getOptionalParameter\(\)|getBody\(\)|getHeader\(\)|getCookie\(\)|getPath\(\)|getQuery\(\))/, label: 'HTTP request data' },
];

const RUBY: SourcePattern[] = [
  { kind: 'archive', re: /^(?:entry|e)\.(?:name|full_name)$/, label: ARCHIVE },
  { kind: 'request', re: /^params\b/, label: 'request params' },
  { kind: 'request', re: /^request\.(?:params|query_string|body|headers|cookies|env|raw_post|path|url|referer|query_parameters|request_parameters)\b/, label: 'HTTP request data' },
  { kind: 'request', re: /^cookies\[/, label: 'cookies' },
  { kind: 'cli', re: /^ARGV\b|^(?:\$stdin\.|STDIN\.)?gets\b/, label: 'ARGV / stdin' },
];

const PHP: SourcePattern[] = [
  { kind: 'request', re: /^\$_(?:GET|POST|REQUEST|COOKIE|FILES|SERVER)\b/, label: 'PHP superglobal' },
  { kind: 'request', re: /^\$request\.(?:input|get|query|post|all|cookie|header|string|json|route|file)\(\)/, label: 'HTTP request data' },
  // Laravel's dynamic input properties (`$request->email`) and uploaded files' client-side names.
  { kind: 'request', re: /^\$request\.[a-z_]\w*$/, label: 'HTTP request input' },
  { kind: 'request', re: /\.getClientOriginalName\(\)$/, label: 'uploaded file name' },
  { kind: 'request', re: /^(?:file_get_contents\(\)|filter_input\(\))$/, label: 'HTTP request data' },
  { kind: 'cli', re: /^\$argv\b/, label: '$argv' },
];

const RUST: SourcePattern[] = [
  { kind: 'cli', re: /^(?:std\.)?env\.args\(\)/, label: 'env::args()' },
  // actix-web HttpRequest accessors.
  { kind: 'request', re: /^(?:req|request)\.(?:match_info|query_string|uri|headers|path)\(\)/, label: 'HTTP request data' },
];

const CSHARP: SourcePattern[] = [
  { kind: 'archive', re: /^\w*[eE]ntry\.(?:FullName|Name)$/, label: ARCHIVE },
  { kind: 'request', re: /^(?:Request|HttpContext\.Request|context\.Request)\.(?:Query|Form|QueryString|Params|Cookies|Headers|Body|Path|RawUrl)\b/, label: 'HTTP request data' },
  { kind: 'request', re: /^Request\[/, label: 'HTTP request data' },
  { kind: 'cli', re: /^args\[|^Console\.ReadLine\(\)$/, label: 'console input' },
];

export const SOURCES: Record<RuleLanguage, SourcePattern[]> = {
  python: PY,
  javascript: JS,
  java: JAVA,
  go: GO,
  c: C,
  ruby: RUBY,
  php: PHP,
  rust: RUST,
  csharp: CSHARP,
};

const LLM_HINT = 'choices|content\\[|output_?[tT]ext|create\\s*\\(|generate|[iI]nvoke|predict|\\.a?run\\s*\\(|\\.call\\s*\\(|complete|chat|completion|streamText';

/**
 * Per family, a regex that matches any text containing a source (a superset of SOURCES, plus
 * framework parameter annotations). Code without a match cannot carry taint, so taint-only
 * sinks skip evaluating it.
 */
export const SOURCE_HINT: Record<RuleLanguage, RegExp> = {
  python: new RegExp(`member|tarinfo|tar_info|zinfo|zip_info|info\\.filename|entry|request|input\\s*\\(|argv|stdin|args\\.|parse_args|get_argument|@\\w+(?:\\.\\w+)*\\.(?:route|get|post|put|delete|patch|api_route|websocket)\\s*\\(|Query\\(|Body\\(|Form\\(|Path\\(|Header\\(|Cookie\\(|File\\(|${LLM_HINT}`),
  javascript: new RegExp(`entry|header|zipEntry|fileEntry|req|request|ctx|location|document\\.|\\.data\\b|searchParams|params|query|argv|\\.val\\(|\\.text\\(|\\.value\\b|textContent|innerText|${LLM_HINT}`),
  java: /[eE]ntry|\bze\b|\bje\b|\bte\b|request|req\b|Request|getParameter|getOriginalFilename|getSubmittedFileName|args\[|scanner|readLine|next\(|@(?:RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|QueryParam|PathParam|FormParam|ModelAttribute|RequestPart)/,
  go: /\b(?:header|hdr|th|tarHeader|f|zf|zipFile)\.Name\b|\b(?:r|req|request|c|ctx)\.|mux\.Vars|os\.Args|flag\.|URLParam|ByName|\.Request\b|Param(?:String|Int|Str|Value)?\s*\(/,
  c: /argv|getenv|archive_entry_pathname|\breq(?:uest)?\s*(?:\.|->)|\bf?gets\s*\(|\brecv\s*\(|\bread\s*\(\s*(?:0|STDIN_FILENO)\b/,
  ruby: /entry|\be\.(?:name|full_name)|params|request|cookies|ARGV|gets/,
  php: /\$_(?:GET|POST|REQUEST|COOKIE|FILES|SERVER)|\$request|file_get_contents|filter_input|\$argv/,
  rust: /env::args|env\.args|args\(\)|match_info|query_string|\breq\b|\brequest\b/,
  csharp: /[eE]ntry|Request|HttpContext|context\.|args\[|ReadLine|\[\s*From(?:Query|Body|Route|Form|Header)/,
};

/** Sink categories a sanitizer protects (bit mask). */
export const enum San {
  None = 0,
  Sql = 1,
  Shell = 2,
  Html = 4,
  Path = 8,
  Url = 16,
  Code = 32,
  Regex = 64,
  Header = 128,
  All = 255,
}

/** Sanitizer/validator functions by last callee segment or full compacted callee. */
const SANITIZERS: Array<[RegExp, San]> = [
  // Conversions to numbers/booleans/UUIDs make any sink safe.
  [/^(?:int|float|bool|abs|len|round|uuid\.UUID|UUID|Number|parseInt|parseFloat|Boolean|Math\.\w+|(?:Integer|Long|Double|Float|Short)\.(?:parseInt|parseLong|parseDouble|parseFloat|valueOf)|strconv\.(?:Atoi|ParseInt|ParseUint|ParseFloat|ParseBool)|intval|floatval|boolval|(?:int|long)\.Parse|(?:Int32|Int64|Guid)\.Parse|Convert\.ToInt\d*|atoi|atol|strtol|strtoul|hash|hashlib\.\w+|md5|sha\d+)$/, San.All],
  [/(?:^|\.)(?:to_i|to_f|to_sym|hexdigest|count|size|length)$/, San.All],
  [/^(?:BigDecimal(?:\.new)?|Integer|Float|Rational)$/, San.All],
  [/^(?:shlex\.quote|pipes\.quote|quote|escapeshellarg|escapeshellcmd|Shellwords\.escape|Shellwords\.shellescape|shellescape|shellwords\.quote|shellQuote|shell_quote)$/, San.Shell],
  [/(?:^|\.)(?:shellescape)$/, San.Shell],
  [/^(?:html\.escape|cgi\.escape|escape|markupsafe\.escape|Markup\.escape|bleach\.clean|bleach\.linkify|DOMPurify\.sanitize|purify\.sanitize|sanitize|sanitizeHtml|sanitizeHTML|escapeHtml|escapeHTML|escape_html|xss|filterXSS|he\.encode|he\.escape|_\.escape|lodash\.escape|validator\.escape|encodeURIComponent|encodeURI|StringEscapeUtils\.escapeHtml\d?|HtmlUtils\.htmlEscape|Encode\.forHtml\w*|ESAPI\.encoder\(\)\.encodeForHTML\w*|html\.EscapeString|template\.HTMLEscapeString|template\.HTMLEscaper|url\.QueryEscape|url\.PathEscape|h|html_escape|ERB\.Util\.html_escape|CGI\.escapeHTML|Rack\.Utils\.escape_html|sanitize|strip_tags|htmlspecialchars|htmlentities|HttpUtility\.HtmlEncode|WebUtility\.HtmlEncode|HtmlEncoder\.Default\.Encode|Encoder\.HtmlEncode|escape_javascript|json\.dumps|JSON\.stringify|jsonify|json_encode)$/, San.Html],
  [/(?:^|\.)(?:escape|sanitize|escapeHtml|escape_html|htmlEscape|textContent)$/, San.Html],
  // Go's encoding/json escapes <, > and & in strings: marshalled JSON cannot open a tag.
  [/^json\.Marshal(?:Indent)?$/, San.Html],
  // Functions named for escaping/sanitizing/encoding HTML do that (html_escape_once, escapeXml, encodeForHTML…).
  [/(?:escape|sanitiz|purif|encodeFor|html_?encode|encode_?html|xml_?encode|strip_?tags)\w*$/i, San.Html],
  // jQuery's text-then-html idiom escapes: $('<div/>').text(x).html().
  [/\.text\(\)\.html$/, San.Html],
  // Abbreviated escapers (eHtml, escHtml, encHTML), AngularJS $sanitize / $sce.getTrustedHtml.
  [/^(?:e|esc|enc)_?html$/i, San.Html],
  [/^(?:\$sanitize|\$sce\.getTrustedHtml)$/, San.Html],
  // Timestamps are numbers.
  [/^(?:Date\.now|performance\.now)$|\.getTime$/, San.All],
  [/^(?:os\.path\.basename|basename|secure_filename|werkzeug\.utils\.secure_filename|safe_join|werkzeug\.security\.safe_join|path\.basename|filepath\.Base|path\.Base|FilenameUtils\.getName|Path\.GetFileName|File\.basename|sanitize_filename|sanitizeFilename|pathlib\.Path\(\)\.name)$/, San.Path],
  [/(?:^|\.)(?:getFileName\(\)\.toString|getName|basename|name)$/, San.Path],
  [/^(?:conn\.escape|connection\.escape|mysql\.escape|db\.escape|pool\.escape|escapeLiteral|escapeIdentifier|pg\.escapeLiteral|mysqli_real_escape_string|mysql_real_escape_string|pg_escape_string|pg_escape_literal|sqlite3\.escape|quote_identifier|sql\.Identifier|SqlString\.escape)$/, San.Sql],
  [/(?:^|\.)(?:real_escape_string|escape_string|escapeLiteral|quote|sanitize_sql\w*|quote_column_name)$/, San.Sql],
  // Go lib/pq quoting.
  [/^pq\.(?:QuoteIdentifier|QuoteLiteral)$/, San.Sql],
  [/^(?:re\.escape|escapeRegExp|_\.escapeRegExp|lodash\.escapeRegExp|escapeStringRegexp|Pattern\.quote|regexp\.QuoteMeta|Regexp\.escape|Regexp\.quote|preg_quote|Regex\.Escape)$/, San.Regex],
  [/^(?:encodeURIComponent|url\.QueryEscape|url\.PathEscape|URLEncoder\.encode|CGI\.escape|ERB\.Util\.url_encode|rawurlencode|Uri\.EscapeDataString|HttpUtility\.UrlEncode|WebUtility\.UrlEncode)$/, San.Url | San.Html | San.Header | San.Path],
  [/^(?:url_has_allowed_host_and_scheme|is_safe_url|urlencode|quote_plus|urllib\.parse\.quote|urllib\.parse\.quote_plus|urllib\.parse\.urlencode)$/, San.Url | San.Html | San.Header],
  // ast.literal_eval only builds literals. (json.loads/JSON.parse are not listed: a field of the
  // parsed body handed to eval is still code from the client.)
  [/^ast\.literal_eval$/, San.Code],
  // Helpers named for making a value safe (safeNext, safe_redirect_target, sanitizePath, clean_url,
  // validatedHost) return a checked value for URL/path/header sinks; HTML, SQL and shell need their own escapers.
  [/(?:^|\.)_?(?:get_?|to_?|make_?)?(?:safe|sanitiz|sanitis|clean|validat)(?!_?(?:load|dump|substitute|eval)\b)\w*$/i, San.Url | San.Path | San.Header],
  // Rails 7 url_from: nil unless the URL points at this host.
  [/^url_from$/, San.Url | San.Header],
  // What a network fetch returns is the remote response, not the (maybe untrusted) URL it was given;
  // eval of fetched code stays visible.
  [/^(?:requests|httpx|urllib3|axios|got|superagent|needle|http|https|HTTParty|RestClient|Faraday|Net::HTTP|Net\.HTTP|restTemplate|webClient|httpClient|http\.DefaultClient)\.(?:get|post|put|patch|delete|head|request|Get|Post|Head|PostForm|Do|send|sendAsync|getForObject|getForEntity|postForObject|postForEntity|exchange|get_response|post_form)$|^(?:fetch|axios|got|urlopen|urllib\.request\.urlopen|urllib2\.urlopen)$|\.(?:openStream|urlopen)$/, San.All & ~San.Code],
  // Likewise a child process's output is what the program printed, not its arguments.
  [/^(?:subprocess\.(?:check_output|getoutput|run)|exec\.Command(?:Context)?\([^)]*\)\.(?:Output|CombinedOutput))$|\.(?:CombinedOutput|Output)$/, San.All & ~San.Code],
  // What a file read returns is the file's content, not the (maybe untrusted) path it was given.
  [/(?:^|\.)(?:readFileSync|read_text|read_bytes|readAllBytes|readAllLines|readString|ReadAllText|ReadAllBytes|ReadAllLines|ReadFile)$|^(?:fs\.promises|fsp|fsPromises)\.readFile$/, San.All & ~San.Path],
];

/** Sanitizer mask for a compacted callee, or San.None. */
export function sanitizerMask(callee: string, name: string): San {
  let mask = San.None;
  for (const [re, m] of SANITIZERS) if (re.test(callee) || re.test(name)) mask |= m;
  return mask;
}
