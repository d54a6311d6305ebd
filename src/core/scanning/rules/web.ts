/** Web rules driven by data flow: XSS (79), path traversal (22), SSRF (918), open redirect (601), header injection (113). */
import type { Node } from 'web-tree-sitter';
import type { Hit, Matcher, RuleContext } from '../rule';
import { defineRule } from '../rule';
import type { CallSite } from '../syntax';
import { San, builderName, concatVal, dynamicFor, flowHit, javaCollected, kw, taintFor } from './helpers';
import { goReadsSource } from './misc';

function tainted(ctx: RuleContext, n: Node | undefined, mask: San, sink: string, guard?: RegExp): Hit | undefined {
  if (!n || !ctx.mayTaint() || !ctx.mayTaintExpr(n)) return undefined;
  const v = ctx.val(n);
  const t = taintFor(v, mask);
  if (!t) return undefined;
  // A file named on the command line (argv, stdin) is the invoking user's own choice: opening
  // it is what a CLI tool is for, not a traversal.
  if (mask === San.Path && t.kind === 'cli') return undefined;
  if (guard && guard.test(ctx.functionText())) return undefined;
  return { taint: t, sink, node: n, severity: 'high' };
}

// ------------------------------------------------------------------ XSS

function htmlHit(ctx: RuleContext, n: Node | undefined, sink: string, requireTaint: boolean): Hit | undefined {
  if (!n || (requireTaint && (!ctx.mayTaint() || !ctx.mayTaintExpr(n)))) return undefined;
  const v = ctx.val(n);
  if (requireTaint) {
    const t = taintFor(v, San.Html);
    return t ? { taint: t, sink, node: n, severity: 'high' } : undefined;
  }
  // Without a proven source, markup built from data is medium; an opaque variable is low (flowHit).
  return dynamicFor(v, San.Html) ? flowHit(v, San.Html, sink, n) : undefined;
}

function isRouteHandler(ctx: RuleContext): boolean {
  const fn = ctx.functionNode();
  const p = fn?.parent;
  return !!p && p.type === 'decorated_definition' && /@\w+(?:\.\w+)*\.(?:route|get|post|put|patch|delete)\s*\(/.test(p.text.slice(0, 400));
}

const HTMLISH = /<\s*\/?\s*[a-zA-Z][^>]*>|<\w+/;

/**
 * A URL attribute set from untrusted data that no constant scheme/path prefix pins down: a
 * `javascript:` value runs script when the link is followed or the frame loads.
 */
function urlAttrHit(ctx: RuleContext, n: Node | undefined, sink: string): Hit | undefined {
  if (!n || !ctx.mayTaint() || !ctx.mayTaintExpr(n)) return undefined;
  const v = ctx.val(n);
  const t = taintFor(v, San.Url | San.Html);
  if (!t || (v.str && /^(?:\/|\.|#|\?|https?:|mailto:|tel:)/i.test(v.text))) return undefined;
  // The scheme comes from the leftmost piece: untrusted data after other code-chosen text cannot make it javascript:.
  let left: Node = n;
  while (left.type === 'binary_expression' && left.childForFieldName('operator')?.text === '+') left = left.childForFieldName('left') ?? left;
  if (left !== n && !taintFor(ctx.val(left), San.Url | San.Html)) return undefined;
  return { taint: t, sink, node: n, severity: 'high', message: 'A link/frame URL comes from untrusted input with no fixed scheme: a "javascript:" URL runs script in the page; allow only http(s) URLs' };
}

/**
 * A jQuery object: `$(…)`/`$el`/`jQuery(…)` chains, or a plain variable this function assigned
 * from `$(…)` (`var msg = $('<span>'); msg.html(…)`).
 */
function jqReceiver(r: string, ctx: RuleContext): boolean {
  if (/\$|jQuery/.test(r)) return true;
  const m = /^([A-Za-z_][\w]*)(?:\.\w+\([^()]*\))*$/.exec(r);
  return !!m && new RegExp(`\\b${m[1]}\\s*=\\s*(?:\\$|jQuery)\\s*\\(`).test(ctx.functionText());
}

const pyXss: Matcher[] = [
  {
    kind: 'call',
    names: ['mark_safe', 'Markup', 'SafeString', 'format_html_join', 'render_template_string', 'HTMLResponse', 'make_response', 'HttpResponse', 'Response', 'write'],
    check: (c, ctx) => {
      const a = c.args[0] ?? kw(c, 'content') ?? kw(c, 'source');
      if (/^(?:mark_safe|Markup|SafeString|markupsafe\.Markup|django\.utils\.safestring\.mark_safe)$/.test(c.callee)) return htmlHit(ctx, a, c.callee, false);
      if (/^(?:flask\.)?render_template_string$/.test(c.callee)) {
        const h = htmlHit(ctx, a, c.callee, false);
        return h ? { ...h, message: 'render_template_string with a non-constant template: template injection (SSTI) and XSS; pass data as context variables', cwe: 'CWE-1336' } : undefined;
      }
      if (c.name === 'write' && !/^self\.(?:response\.)?write$|^response\.write$/.test(c.callee)) return undefined;
      // Response bodies: only untrusted data, and only when it looks like HTML or is raw request data.
      if (!a) return undefined;
      const v = ctx.val(a);
      const t = taintFor(v, San.Html);
      return t && (v.str ? HTMLISH.test(v.text) || v.text === '{}' : true) && t.kind !== 'env' ? { taint: t, sink: c.callee, node: a, severity: 'high' } : undefined;
    },
  },
  {
    kind: 'node', trigger: /\.(?:route|get|post|put|patch|delete)\s*\(/, anchor: /\breturn\b/,
    types: ['return_statement'],
    check: (n, ctx) => {
      const e = n.namedChildren[0];
      // A string returned from a Flask/FastAPI-style handler is served as text/html by default.
      if (!e || /^(?:jsonify|json\.dumps|JSONResponse|make_response|Response|redirect|render_template|send_file|abort|None|True|False)\b|^[{[\d]/.test(e.text)) return undefined;
      if (!isRouteHandler(ctx) || !ctx.mayTaint() || !ctx.mayTaintExpr(e)) return undefined;
      const v = ctx.val(e);
      const t = taintFor(v, San.Html);
      if (!t || !v.str) return undefined;
      return { taint: t, sink: 'HTTP response body', node: e, severity: 'high' };
    },
  },
  {
    kind: 'call',
    names: ['Environment', 'Template'],
    check: (c, ctx) => {
      if (!ctx.fileHas(/jinja2/)) return undefined;
      const ae = kw(c, 'autoescape');
      if (ae && /^False$/.test(ae.text)) return { node: ae, message: 'Jinja2 autoescape=False: every {{ value }} is inserted as raw HTML' };
      return undefined;
    },
  },
];

const jsXss: Matcher[] = [
  {
    kind: 'binding', trigger: /innerHTML|outerHTML|dangerouslySetInnerHTML|__html/,
    check: (b, ctx) => {
      if (!b.value) return undefined;
      if (!b.pair && /\.(?:innerHTML|outerHTML)$/.test(b.targetText)) return htmlHit(ctx, b.value, b.targetText.replace(/^.*\./, '.'), false);
      if (b.pair && /^["']?dangerouslySetInnerHTML["']?$/.test(b.targetText)) {
        const obj = b.value.type === 'object' ? b.value : b.value.namedChildren.find((x) => x.type === 'object');
        const html = obj?.namedChildren.find((p) => /^["']?__html["']?$/.test(p.childForFieldName('key')?.text ?? ''))?.childForFieldName('value');
        // `dangerouslySetInnerHTML={this.getMarkup()}`: the markup object is built elsewhere.
        return htmlHit(ctx, html ?? (obj ? undefined : b.value), 'dangerouslySetInnerHTML', false);
      }
      // `{ __html: value }` built in a helper and passed to dangerouslySetInnerHTML later.
      if (b.pair && /^["']?__html["']?$/.test(b.targetText) && ctx.fileHas(/dangerouslySetInnerHTML/)) return htmlHit(ctx, b.value, '__html', false);
      if (!b.pair && /^(?:window\.|document\.)?location(?:\.href)?$/.test(b.targetText)) {
        const v = ctx.val(b.value);
        if (v.str && /^\s*javascript:/i.test(v.text)) return undefined;
        return undefined;
      }
      return undefined;
    },
  },
  {
    kind: 'call',
    names: ['insertAdjacentHTML', 'write', 'writeln', 'html', 'append', 'prepend', 'after', 'before', 'replaceWith', 'send', 'end', 'createContextualFragment', 'parseFromString', '$', 'jQuery'],
    check: (c, ctx) => {
      const r = c.receiver?.text ?? '';
      if ((c.name === '$' || c.name === 'jQuery') && !c.receiver) {
        // `$('<tr>' + name + '</tr>')` parses the string as HTML.
        const a = c.args[0];
        const v = a ? ctx.val(a) : undefined;
        if (a && v && v.str && v.dyn && /^\s*</.test(v.text) && dynamicFor(v, San.Html)) return flowHit(v, San.Html, '$(html)', a);
        // `$(location.hash)`: jQuery builds elements from a selector that looks like markup.
        if (a && v && !v.str && /^(?:identifier|member_expression|call_expression)$/.test(a.type)) return htmlHit(ctx, a, '$(selector)', true);
        return undefined;
      }
      switch (c.name) {
        case 'insertAdjacentHTML':
          return htmlHit(ctx, c.args[1], 'insertAdjacentHTML', false);
        case 'createContextualFragment':
          return htmlHit(ctx, c.args[0], 'createContextualFragment', false);
        case 'write':
        case 'writeln':
          if (/^(?:window\.)?document$/.test(r)) return htmlHit(ctx, c.args[0], `document.${c.name}`, false);
          if (/^(?:res|response|reply)$/.test(r)) return htmlHit(ctx, c.args[0], `${r}.${c.name}`, true);
          return undefined;
        case 'html':
          return jqReceiver(r, ctx) ? htmlHit(ctx, c.args[0], '$.html', false) : undefined;
        case 'send':
        case 'end':
          return /^(?:res|response|reply|ctx)$/.test(r) || /^res\.status\(\)$/.test(r.replace(/\(.*\)/, '()')) ? htmlHit(ctx, c.args[0], `res.${c.name}`, true) : undefined;
        default: {
          if (!c.args[0] || !jqReceiver(r, ctx)) return undefined;
          // jQuery append-family parse strings as HTML: markup built from data is a sink too.
          const v = ctx.val(c.args[0]);
          if (v.str && v.dyn && HTMLISH.test(v.text) && dynamicFor(v, San.Html)) return flowHit(v, San.Html, `$.${c.name}`, c.args[0]);
          return htmlHit(ctx, c.args[0], `$.${c.name}`, true);
        }
      }
    },
  },
  {
    // Angular trust bypasses: the value is marked as safe HTML/URL/script and rendered unescaped.
    kind: 'call',
    names: ['trustAsHtml', 'trustAsJs', 'trustAsResourceUrl', 'trustAs', 'bypassSecurityTrustHtml', 'bypassSecurityTrustScript', 'bypassSecurityTrustUrl', 'bypassSecurityTrustResourceUrl', 'bypassSecurityTrustStyle'],
    check: (c, ctx) => htmlHit(ctx, c.args[c.name === 'trustAs' ? 1 : 0], c.name, false),
  },
  {
    // Handlebars `new SafeString(html)`: the helper's output is inserted without escaping.
    kind: 'call',
    names: ['SafeString'],
    check: (c, ctx) => (c.isNew ? htmlHit(ctx, c.args[0], 'Handlebars.SafeString', false) : undefined),
  },
  {
    // Link/form URLs and iframe srcdoc set from the page URL, a message or an input: `javascript:`
    // URLs run script when followed (srcdoc is a whole document). (An <img> src does not run script.)
    kind: 'binding', trigger: /\.(?:href|action|formAction|srcdoc)\s*=[^=]/,
    check: (b, ctx) => {
      const m = /\.(href|action|formAction|srcdoc)$/.exec(b.targetText);
      if (b.pair || !b.value || !m || /^(?:window\.|document\.|self\.|top\.)?location(?:\.href)?$/.test(b.targetText)) return undefined;
      if (m[1] === 'srcdoc') return htmlHit(ctx, b.value, 'iframe.srcdoc', false);
      return urlAttrHit(ctx, b.value, b.targetText.replace(/^.*\./, '.'));
    },
  },
  {
    // jQuery `$(a).attr('href', url)` / `.prop('href', url)`.
    kind: 'call',
    names: ['attr', 'prop'],
    check: (c, ctx) => (c.args.length === 2 && /^["'`](?:href|action|formaction)["'`]$/i.test(c.args[0].text) && jqReceiver(c.receiver?.text ?? '', ctx) ? urlAttrHit(ctx, c.args[1], `$.${c.name}('href')`) : undefined),
  },
  {
    kind: 'call',
    names: ['setAttribute'],
    check: (c, ctx) => {
      const name = /^["'`]([\w-]+)["'`]$/.exec(c.args[0]?.text ?? '')?.[1]?.toLowerCase() ?? '';
      if (name === 'srcdoc' || /^on[a-z]+$/.test(name)) return htmlHit(ctx, c.args[1], `setAttribute('${name}')`, true);
      return /^(?:href|action|formaction|xlink:href)$/.test(name) ? urlAttrHit(ctx, c.args[1], `setAttribute('${name}')`) : undefined;
    },
  },
  {
    // Koa `ctx.body = `<p>${ctx.query.q}</p>``: a string body is served as text/html.
    kind: 'binding', trigger: /\.body\s*=/,
    check: (b, ctx) => {
      if (b.pair || !b.value || !/^(?:ctx|this|context)\.body$/.test(b.targetText)) return undefined;
      const h = htmlHit(ctx, b.value, 'ctx.body', true);
      return h && HTMLISH.test(ctx.val(b.value).text) ? h : undefined;
    },
  },
  {
    // `s = document.createElement('script'); s.src = params.get('cb')`: loads attacker script.
    kind: 'binding', trigger: /createElement\(\s*['"]script['"]\s*\)/, anchor: /\.src\s*=/,
    check: (b, ctx) => {
      const m = /^([\w$]+)\.src$/.exec(b.targetText);
      if (b.pair || !b.value || !m) return undefined;
      if (!new RegExp(`\\b${m[1].replace(/\$/g, '\\$')}\\s*=\\s*document\\.createElement\\(\\s*['"]script['"]`).test(ctx.functionText())) return undefined;
      // A constant origin (`/api/…`, `https://cdn.example.com/…`) pins where the script comes from.
      if (/^(?:\/(?!\/)|https?:\/\/[^/{}]+\/)/.test(ctx.val(b.value).text)) return undefined;
      const h = htmlHit(ctx, b.value, 'script.src', true);
      return h ? { ...h, message: 'A script element loads a URL from untrusted input: the page runs whatever script that URL serves' } : undefined;
    },
  },
];

const javaXss: Matcher[] = [
  {
    // A Spring handler (@GetMapping & co. in a @RestController, or @ResponseBody) returning
    // markup built from request parameters: the String is written to the response as is.
    // Trigger: a mapping annotation AND a string literal with markup somewhere in the file.
    kind: 'node', trigger: /^(?=[\s\S]*@(?:Get|Post|Put|Patch|Delete|Request)Mapping)(?=[\s\S]*["'][^"'\n]*<\s*\/?[a-zA-Z])/, anchor: /\breturn\b/,
    types: ['return_statement'],
    check: (n, ctx) => {
      // Cheap checks first (this runs on every return of a Spring file): markup somewhere in the
      // file, then the handler's signature, and only then the data flow.
      const e = n.namedChildren[0];
      if (!e) return undefined;
      const fnText = ctx.functionText();
      const head = fnText.slice(0, Math.max(0, fnText.indexOf('{')));
      if (!/@(?:Get|Post|Put|Patch|Delete|Request)Mapping/.test(head) || !/\bString\s+\w+\s*\(/.test(head) || (!ctx.fileHas(/@RestController/) && !/@ResponseBody/.test(head))) return undefined;
      if (/produces\s*=\s*(?:MediaType\.(?:APPLICATION_JSON|TEXT_PLAIN)|"(?:application\/json|text\/plain))/.test(head)) return undefined;
      if (ctx.functionNode()?.type !== 'method_declaration' || !ctx.mayTaint() || !ctx.mayTaintExpr(e)) return undefined;
      const v = ctx.val(e);
      const t = taintFor(v, San.Html);
      return t && v.str && HTMLISH.test(v.text) ? { taint: t, sink: 'Spring handler response body', node: e, severity: 'high' } : undefined;
    },
  },
  {
    kind: 'call',
    names: ['print', 'println', 'write', 'printf', 'append', 'format'],
    check: (c, ctx) => {
      const r = c.receiver?.text ?? '';
      if (!/getWriter\(\)|getOutputStream\(\)|^(?:out|writer|pw|printWriter|w)$/.test(r) || /System\.(?:out|err)/.test(r)) return undefined;
      for (const a of c.args) {
        const h = htmlHit(ctx, a, 'HttpServletResponse writer', true);
        if (h) return h;
        // `html.append(name)…; writer.write(html.toString())`.
        const built = builderName(a);
        const t = built && ctx.mayTaint() ? taintFor(concatVal(javaCollected(built, c.node.startIndex, ctx, /^(?:append|insert)$/), ctx), San.Html) : undefined;
        if (t) return { taint: t, sink: 'HttpServletResponse writer', node: a, severity: 'high' };
      }
      return undefined;
    },
  },
  {
    // The container's error page shows the message; not every container escapes it.
    kind: 'call',
    names: ['sendError'],
    check: (c, ctx) => {
      const h = /^(?:response|resp|res|httpResponse|servletResponse|httpServletResponse)$/.test(c.receiver?.text ?? '') ? htmlHit(ctx, c.args[1], 'HttpServletResponse.sendError', true) : undefined;
      return h ? { ...h, severity: 'medium', message: 'Request data is echoed in the sendError message, which the error page may render as HTML (reflected XSS); leave it out or escape it' } : undefined;
    },
  },
];

/**
 * True when `n` sits in the then-branch of `if x == A || x == B {` and `x` occurs in `text`:
 * there x is one of the compared values (constants), whatever the request sent.
 */
function equalityBranch(n: Node, text: string): boolean {
  for (let p = n.parent, child: Node = n; p && p.type !== 'function_declaration' && p.type !== 'method_declaration' && p.type !== 'func_literal'; child = p, p = p.parent) {
    if (p.type !== 'if_statement' || p.childForFieldName('consequence')?.id !== child.id) continue;
    const m = /^(\w+)\s*==\s*[\w."]+(?:\s*\|\|\s*\1\s*==\s*[\w."]+)*$/.exec(p.childForFieldName('condition')?.text.trim() ?? '');
    if (m && new RegExp(`\\b${m[1]}\\b`).test(text)) return true;
  }
  return false;
}

/**
 * Go: the written value is the result of a helper this file does not define (`linkDeeper(r.URL.Path)`,
 * `render(item)`): what it returns (escaped markup, a template's output) cannot be seen, so the
 * request data passed to it is no evidence of unescaped output. Formatting, strings and
 * conversion functions still carry their arguments.
 */
function goOpaqueCall(a: Node, ctx: RuleContext): boolean {
  const e = a.type === 'type_conversion_expression' ? (a.namedChildren[a.namedChildCount - 1] ?? a) : a;
  if (e.type !== 'call_expression') return false;
  const fn = e.childForFieldName('function')?.text ?? '';
  if (!/^[a-z]\w*$/.test(fn) || /^(?:string|append|copy)$/.test(fn)) return false;
  // The call is a source itself (`getQueryParam(r, "q")`).
  const t = ctx.val(e).taint;
  if (t && t.range.startLine === e.startPosition.row && t.range.startCol === e.startPosition.column) return false;
  return !new RegExp(`\\bfunc\\s+(?:\\([^)]*\\)\\s*)?${fn}\\s*\\(`).test(ctx.text);
}

/** Go: the writer of a call, without a dereference (`(*rw).Write` -> `rw`). */
function goWriterName(c: CallSite): string {
  const isFmt = /^fmt\.F/.test(c.callee) || c.callee === 'io.WriteString';
  return ((isFmt ? c.args[0]?.text : c.receiver?.text) ?? '').replace(/^\(\s*\*\s*(\w+)\s*\)$/, '$1');
}

/** `x`, `x.Error()`, `[]byte(x)`, `string(x)`: the variable a written piece is read from. */
function goPieceName(n: Node): string {
  return /^(?:\[\]byte\s*\(|string\s*\()?\s*([A-Za-z_]\w*)(?:\.Error\(\))?\s*\)?$/.exec(n.text.trim())?.[1] ?? '';
}

/** A string/error/[]byte parameter `name` in a Go signature (`body string`, `a, body string`, `err error`). */
function goStringParam(sig: string, name: string): boolean {
  return !!name && new RegExp(`(?<![\\w.])${name}(?:\\s*,\\s*\\w+)*\\s+(?:string|error|\\[\\]byte)\\b`).test(sig);
}

/**
 * The body a Go writer call sends, as a format and the pieces filling its %s/%v/%q verbs:
 * `fmt.Fprintf(w, f, a...)`, `w.Write([]byte(fmt.Sprintf(f, a...)))`, or one whole piece.
 */
function goBodyPieces(c: CallSite): { format: string; pieces: Node[] } {
  const isFmt = /^fmt\.F/.test(c.callee) || c.callee === 'io.WriteString';
  let args = isFmt ? c.args.slice(1) : c.args;
  if (c.callee === 'fmt.Fprintf' || (args.length === 1 && /^(?:\[\]byte\s*\(\s*)?fmt\.Sprintf\s*\(/.test(args[0].text))) {
    if (c.callee !== 'fmt.Fprintf') {
      const inner = args[0].type === 'type_conversion_expression' ? args[0].namedChildren.find((x) => x.type === 'call_expression') : args[0];
      args = inner?.childForFieldName('arguments')?.namedChildren ?? [];
    }
    const format = args[0]?.text ?? '';
    if (!/^["`]/.test(format)) return { format: '', pieces: [] };
    const verbs = [...format.matchAll(/%[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])/g)].map((m) => m[1]).filter((v) => v !== '%');
    return { format, pieces: verbs.map((v, i) => (/[svq]/.test(v) ? args[i + 1] : undefined)).filter((a): a is Node => !!a) };
  }
  return { format: c.callee === 'fmt.Fprint' || c.callee === 'fmt.Fprintln' ? '' : '%s', pieces: args };
}

/**
 * Go net/http sniffs the Content-Type of a body written with no header set: a response helper
 * (it takes the http.ResponseWriter) that writes its own string/error parameter unescaped at the
 * start of the body, or into markup, serves caller-supplied text as HTML. Low: the caller may
 * pass constant or escaped text; request data reaching it is reported by the matcher above.
 */
function goParamBody(c: CallSite, ctx: RuleContext): Hit | undefined {
  const w = goWriterName(c);
  const sig = signatureText(ctx);
  if (!w || !/^\w+$/.test(w) || !new RegExp(`(?<![\\w.])${w}\\s+\\*?http\\.ResponseWriter\\b`).test(sig)) return undefined;
  // A non-HTML Content-Type set in the function stops the sniffing.
  if (/Content-Type["`]\s*,\s*(?!["`]text\/html)/i.test(ctx.functionText())) return undefined;
  const { format, pieces } = goBodyPieces(c);
  const leading = /^["`]%[-+# 0]*\d*[svq]/.test(format) || format === '%s';
  const markup = HTMLISH.test(format);
  // fmt.Fprintf with a constant prefix that does not open a tag cannot make the body HTML (CodeQL's
  // go/reflected-xss rule); a body built first and written whole (`w.Write([]byte(fmt.Sprintf(…)))`)
  // is judged as CodeQL judges it: any piece.
  const anyPiece = c.callee !== 'fmt.Fprintf' && format !== '';
  for (const [i, p] of pieces.entries()) {
    if (!(markup || anyPiece || (i === 0 && leading) || (format === '' && i === 0))) continue;
    const name = goPieceName(p);
    if (!goStringParam(sig, name)) continue;
    const v = ctx.val(p);
    if (v.c || (v.san & San.Html) !== 0) continue;
    const why = markup ? 'into HTML markup' : 'into an HTTP response with no Content-Type (net/http sniffs one; text starting with markup is served as HTML)';
    return { node: p, sink: `${c.callee} to http.ResponseWriter`, severity: 'low', message: `The parameter \`${name}\` is written unescaped ${why}: XSS when a caller passes user text; escape it (html.EscapeString, html/template) or set a non-HTML Content-Type` };
  }
  return undefined;
}

const goXss: Matcher[] = [
  { kind: 'call', names: ['Fprintf', 'Fprint', 'Fprintln', 'Write', 'WriteString'], check: goParamBody },
  {
    kind: 'call',
    names: ['Fprintf', 'Fprint', 'Fprintln', 'Write', 'WriteString'],
    check: (c, ctx) => {
      const isFmt = /^fmt\.F/.test(c.callee) || c.callee === 'io.WriteString';
      const w = isFmt ? c.args[0]?.text : c.receiver?.text;
      // net/http writers, and Gin's c.Writer (a ResponseWriter too).
      if (!w || !((/^(?:w|rw|writer|resp|res|response|wr)$/.test(w) && ctx.fileHas(/http\.ResponseWriter/)) || (/^(?:c|ctx)\.Writer$/.test(w) && ctx.fileHas(/gin\.Context/)))) return undefined;
      // A response declared text/plain or JSON is not parsed as HTML (Go also sends nosniff with http.Error only).
      if (/"Content-Type"\s*,\s*"(?:text\/plain|application\/json)/i.test(ctx.functionText())) return undefined;
      for (const a of isFmt ? c.args.slice(1) : c.args) {
        if (goOpaqueCall(a, ctx)) continue;
        const h = htmlHit(ctx, a, `${c.callee} to http.ResponseWriter`, true);
        if (h) return h;
      }
      return undefined;
    },
  },
  {
    kind: 'call',
    names: ['HTML', 'JS', 'HTMLAttr', 'URL', 'CSS', 'JSStr'],
    check: (c, ctx) => (/^template\./.test(c.callee) && ctx.fileHas(/"html\/template"/) ? htmlHit(ctx, c.args[0], c.callee, false) : undefined),
  },
  {
    // Echo `c.HTML(code, html)` and Gin/Echo `c.Data(code, "text/html", bytes)` / `c.HTMLBlob`:
    // the body is markup as given (Gin's c.HTML(code, "name.tmpl", data) uses html/template).
    kind: 'call',
    names: ['HTML', 'Data', 'HTMLBlob', 'Blob'],
    check: (c, ctx) => {
      if (!/^(?:c|ctx)$/.test(c.receiver?.text ?? '')) return undefined;
      const body = c.name === 'HTML' ? (c.args.length === 2 ? c.args[1] : undefined) : c.name === 'HTMLBlob' ? c.args[1] : /text\/html|MIMETextHTML/.test(c.args[1]?.text ?? '') ? c.args[2] : undefined;
      return htmlHit(ctx, body, `${c.callee}`, true);
    },
  },
  {
    // http.Error writes the message into the body (text/plain + nosniff on current Go, so medium);
    // CodeQL's go/reflected-xss reports request data reaching it.
    kind: 'call',
    names: ['Error'],
    check: (c, ctx) => {
      if (c.callee !== 'http.Error' || equalityBranch(c.node, c.args[1]?.text ?? '')) return undefined;
      const h = htmlHit(ctx, c.args[1], 'http.Error', true);
      return h ? { ...h, severity: 'medium', message: 'Request data is echoed into the response by http.Error without escaping (reflected XSS when the content type is sniffed or changed); escape it with html.EscapeString or leave it out' } : undefined;
    },
  },
  {
    // text/template does not escape: executing it into a ResponseWriter renders data as HTML.
    kind: 'call',
    names: ['Execute', 'ExecuteTemplate'],
    check: (c, ctx) => {
      if (!ctx.fileHas(/"text\/template"/) || ctx.fileHas(/"html\/template"/) || !/^(?:w|rw|writer|resp|res|response|wr|c\.Writer|ctx\.Writer)$/.test(c.args[0]?.text ?? '')) return undefined;
      // An HTTP response, not a report or file written through an io.Writer.
      if (!ctx.fileHas(/http\.ResponseWriter|gin\.Context|echo\.Context/)) return undefined;
      const h = htmlHit(ctx, c.args[c.args.length - 1], 'text/template Execute to http.ResponseWriter', false);
      return h ? { ...h, message: 'text/template does not HTML-escape: data executed into an HTTP response is rendered as HTML; use html/template' } : undefined;
    },
  },
];

/** ERB tags that print request data without escaping. */
const ERB_UNESCAPED_REQUEST = /<%==[^%]*\b(?:params|request\.|cookies)\b|<%=\s*raw[\s(][^%]*\b(?:params|request\.|cookies)\b|<%=[^%]*\b(?:params|request\.|cookies)\b[^%]*\.html_safe/;

// Sinatra/Roda route blocks: the block's last expression is the response body (text/html).
const RUBY_ROUTE_VERB = /^(?:get|post|put|patch|delete)$/;

function rubyRouteBody(block: Node): Node | null {
  const body = block.namedChildren.find((c) => c.type === 'body_statement') ?? block;
  const last = body.namedChildren.filter((c) => c.type !== 'comment').pop() ?? null;
  return last && last !== body && !/^(?:block_parameters)$/.test(last.type) ? last : null;
}

/** The enclosing Ruby method's parameter list text ('' at top level). */
function rubyParams(ctx: RuleContext): string {
  return ctx.functionNode()?.childForFieldName('parameters')?.text ?? '';
}

/**
 * Without a proven request source, does markup marked html_safe/raw carry data from outside the
 * method? Holes count when they come from the method's parameters, instance variables (model and
 * controller data), other objects' attributes, or serialized data (to_json in a <script>). They
 * do not when every hole is escaped, constant, an application setting read from a constant
 * (`Config.library_url`, `Gem.configuration.css_class`) or the result of one of the class's
 * own helper methods. Unknown shapes count (the finding stays).
 */
function rubyHtmlEvidence(e: Node | null | undefined, ctx: RuleContext, depth = 0): boolean {
  if (!e || depth > 4) return !!e;
  const v = ctx.val(e);
  if (v.c || (v.san & San.Html) !== 0) return false;
  if (taintFor(v, San.Html)) return true;
  const any = (ns: readonly (Node | null)[]) => ns.some((x) => !!x && rubyHtmlEvidence(x, ctx, depth + 1));
  switch (e.type) {
    case 'string':
    case 'heredoc_body':
      return any(e.namedChildren.filter((x) => x?.type === 'interpolation').map((x) => x!.namedChildren[0] ?? null));
    case 'heredoc_beginning': {
      const body = ctx.functionNode()?.descendantsOfType('heredoc_body').find((b) => !!b && b.startIndex > e.startIndex);
      return body ? rubyHtmlEvidence(body, ctx, depth + 1) : true;
    }
    case 'parenthesized_statements':
      return any(e.namedChildren);
    case 'binary':
      return any([e.childForFieldName('left'), e.childForFieldName('right')]);
    case 'conditional':
      return any([e.childForFieldName('consequence'), e.childForFieldName('alternative')]);
    case 'instance_variable':
    case 'class_variable':
    case 'global_variable':
      return true;
    case 'identifier': {
      if (new RegExp(`(?<![\\w@$])${e.text}(?![\\w?!])`).test(rubyParams(ctx))) return true;
      const fn = ctx.functionNode();
      const rhs = (fn?.descendantsOfType(['assignment', 'operator_assignment']) ?? []).filter((a) => !!a && a.startIndex < e.startIndex && a.childForFieldName('left')?.text === e.text).map((a) => a!.childForFieldName('right'));
      // Not assigned here and not a parameter: a call of one of the class's own (helper) methods.
      return rhs.length ? any(rhs) : false;
    }
    case 'call': {
      const method = e.childForFieldName('method')?.text ?? '';
      const recv = e.childForFieldName('receiver');
      if (/^(?:to_json|generate|dump|encode|pretty_generate)$/.test(method)) return true;
      if (!recv) return false;
      // Setting reads rooted at a constant: `Config.url`, `InlineSvg.configuration.css_class`.
      if (/^(?:::)?[A-Z]\w*(?:::[A-Z]\w*)*(?:\.[a-z_]\w*[?!]?)+$/.test(e.text)) return false;
      if (/^(?:gsub|gsub!|tr|sub)$/.test(method) && /^["'\/]\\?</.test(e.childForFieldName('arguments')?.namedChildren[0]?.text ?? '')) return false;
      return rubyHtmlEvidence(recv, ctx, depth + 1) || any(e.childForFieldName('arguments')?.namedChildren ?? []);
    }
    default:
      return true;
  }
}

/** html_safe/raw: proven request data, or markup built from data that comes from outside the method. */
function rubyTrustedHtml(ctx: RuleContext, n: Node | undefined, sink: string): Hit | undefined {
  const h = htmlHit(ctx, n, sink, false);
  return h && (h.taint || rubyHtmlEvidence(n, ctx)) ? h : undefined;
}

const rubyXss: Matcher[] = [
  {
    // Brakeman LinkToHref: `link_to "Site", params[:url]` renders href="javascript:…" when the user says so.
    kind: 'call',
    names: ['link_to'],
    check: (c, ctx) => {
      const href = c.args[1];
      if (c.receiver || !href || /_(?:path|url)\b/.test(href.text) || href.type === 'hash') return undefined;
      const h = htmlHit(ctx, href, 'link_to href', true);
      if (!h) return undefined;
      const v = ctx.val(href);
      // A constant "/…" or "http(s)://…" prefix pins the scheme.
      if (v.str && /^(?:\/|https?:\/\/)/i.test(v.text)) return undefined;
      return { ...h, severity: 'medium', message: 'link_to with a URL from the request: a javascript: URL runs script when clicked (XSS); check the scheme (http/https) or build the URL with a route helper' };
    },
  },
  { kind: 'call', names: ['html_safe'], check: (c, ctx) => (c.receiver ? rubyTrustedHtml(ctx, c.receiver, '.html_safe') : undefined) },
  { kind: 'call', names: ['raw'], check: (c, ctx) => (!c.receiver ? rubyTrustedHtml(ctx, c.args[0], 'raw') : undefined) },
  {
    kind: 'call',
    names: ['render'],
    check: (c, ctx) => {
      const inline = kw(c, 'inline') ?? kw(c, 'html') ?? kw(c, 'text');
      // Rails escapes <%= %> in inline templates; <%== %>, raw and html_safe opt out.
      if (inline && kw(c, 'inline') === inline && inline.type === 'string' && ERB_UNESCAPED_REQUEST.test(inline.text)) return { node: inline, sink: 'render inline:', severity: 'high', message: 'The inline template prints request data unescaped (<%== %>, raw or html_safe)' };
      return inline ? htmlHit(ctx, inline, 'render inline:', kw(c, 'text') !== undefined) : undefined;
    },
  },
  {
    kind: 'node', trigger: /^\s*(?:get|post|put|patch|delete)\s+['"%]/m, anchor: /\bdo\b/,
    types: ['do_block', 'block'],
    check: (n, ctx) => {
      const call = n.parent;
      const verb = call?.type === 'call' ? call.childForFieldName('method')?.text : undefined;
      if (!verb || !RUBY_ROUTE_VERB.test(verb) || call!.childForFieldName('receiver')) return undefined;
      const last = rubyRouteBody(n);
      if (!last || !/^(?:string|binary)$/.test(last.type)) return undefined;
      const h = htmlHit(ctx, last, `${verb} route body`, true);
      return h && HTMLISH.test(ctx.val(last).text) ? h : undefined;
    },
  },
  {
    // Sinatra's erb does not escape <%= %> unless `set :erb, escape_html: true`.
    kind: 'call',
    names: ['erb'],
    check: (c, ctx) => {
      const a = c.args[0];
      if (c.receiver || !a || a.type !== 'string' || ctx.fileHas(/escape_html/)) return undefined;
      return /<%=(?!=)[^%]*\b(?:params|request\.|cookies)\b/.test(a.text) ? { node: a, sink: 'erb inline template', severity: 'high', message: 'Sinatra erb does not escape <%= %> by default: request data in the template is rendered as raw HTML; enable escape_html or use Rack::Utils.escape_html' } : undefined;
    },
  },
];

const phpXss: Matcher[] = [
  {
    // `<?= $x ?>` is `<?php echo $x; ?>`.
    kind: 'node', trigger: /<\?=/,
    types: ['php_tag'],
    check: (n, ctx) => {
      // The tag ends the preceding text_interpolation; the echoed expression follows that.
      const stmt = n.text !== '<?=' ? null : (n.nextNamedSibling ?? (n.parent?.type === 'text_interpolation' ? n.parent.nextNamedSibling : null));
      return stmt?.type === 'expression_statement' ? htmlHit(ctx, stmt.namedChildren[0], '<?=', true) : undefined;
    },
  },
  {
    // Laravel response($content) is served as text/html.
    kind: 'call',
    names: ['response'],
    check: (c, ctx) => (c.receiver ? undefined : htmlHit(ctx, c.args[0], 'response()', true)),
  },
  {
    kind: 'call',
    names: ['printf', 'vprintf'],
    check: (c, ctx) => {
      if (c.receiver) return undefined;
      for (const a of c.args) {
        const h = htmlHit(ctx, a, c.name, true);
        if (h) return h;
      }
      return undefined;
    },
  },
  {
    kind: 'node', trigger: /echo|print/,
    types: ['echo_statement', 'print_intrinsic'],
    check: (n, ctx) => {
      for (const a of n.namedChildren) {
        const h = htmlHit(ctx, a, n.type === 'echo_statement' ? 'echo' : 'print', true);
        if (h) return h;
      }
      return undefined;
    },
  },
];

const csXss: Matcher[] = [
  { kind: 'call', names: ['Raw'], check: (c, ctx) => (/^(?:Html|@Html)$/.test(c.receiver?.text ?? '') ? htmlHit(ctx, c.args[0], 'Html.Raw', false) : undefined) },
  { kind: 'call', names: ['HtmlString', 'MarkupString'], check: (c, ctx) => (c.isNew ? htmlHit(ctx, c.args[0], c.name, false) : undefined) },
  { kind: 'call', names: ['Write', 'WriteAsync'], check: (c, ctx) => (/Response$/.test(c.receiver?.text ?? '') ? htmlHit(ctx, c.args[0], 'Response.Write', true) : undefined) },
];

/** A CGI program (it prints an HTML Content-Type header) or markup in the format itself. */
const C_HTML_OUT = /Content-[Tt]ype:\s*text\/html/;

/**
 * C/C++: request data (CGI QUERY_STRING via getenv, C++ web framework parameters) printed into
 * an HTML page: printf-family output of a CGI program, or cpp-httplib `res.set_content(x, "text/html")`.
 */
const cXss: Matcher[] = [
  {
    kind: 'call', names: ['printf', 'fprintf', 'puts', 'fputs'],
    check: (c, ctx) => {
      if ((c.name === 'fprintf' || c.name === 'fputs') && !/^stdout$/.test(c.args[c.name === 'fprintf' ? 0 : 1]?.text ?? '')) return undefined;
      const fi = c.name === 'fprintf' ? 1 : 0;
      const fmt = c.args[fi]?.text ?? '';
      const cgi = ctx.fileHas(C_HTML_OUT);
      if (!cgi && !/^"[^"]*<\/?(?:html|body|head|title|h[1-6]|p|div|span|a|b|i|em|strong|ul|ol|li|table|tr|td|th|pre|code|form|input|textarea|br|hr|img|script)\b[^"<>]*>/i.test(fmt)) return undefined;
      const pieces = c.name === 'puts' || c.name === 'fputs' ? [c.args[0]] : c.args.slice(fi + 1);
      for (const a of pieces) {
        const h = a ? htmlHit(ctx, a, c.name, true) : undefined;
        // Outside a CGI response, a command-line argument printed as markup is the user's own input.
        if (h && (cgi || h.taint?.kind !== 'cli')) return h;
      }
      return undefined;
    },
  },
  { kind: 'call', names: ['set_content'], check: (c, ctx) => (/html/i.test(c.args[1]?.text ?? '') ? htmlHit(ctx, c.args[0], c.callee, true) : undefined) },
];

export const xss = defineRule({
  id: 'xss',
  name: 'Untrusted data rendered as HTML',
  cwe: 'CWE-79',
  severity: 'medium',
  pattern: 15,
  message: 'Non-constant data is inserted into HTML without escaping (cross-site scripting)',
  why: 'OpenSSF AI code assistant guide: "Escape special characters in user-generated content before rendering it in HTML"; OWASP LLM05: model output rendered as HTML is attacker-controlled.',
  description: 'innerHTML/outerHTML/insertAdjacentHTML/document.write/jQuery .html, React dangerouslySetInnerHTML, mark_safe/Markup/render_template_string, autoescape=False, request data written to responses (Express, Servlets, Go ResponseWriter, PHP echo, ASP.NET), html/template trust casts, Rails html_safe/raw.',
  matchers: { python: pyXss, javascript: jsXss, java: javaXss, go: goXss, ruby: rubyXss, php: phpXss, csharp: csXss, c: cXss },
});

// ------------------------------------------------------------------ path traversal

// A path validator called in the function (isPathSafe(x), validate_path(x), is_within_directory(…)) also counts.
const PATH_GUARD = /\b(?:is|check|validate|verify|ensure|assert)_?\w*(?:[sS]afe|[vV]alid|[wW]ithin|[iI]nside|[aA]llowed|[cC]ontained)\w*\s*\(|\\\.\\\.|startswith|startsWith|HasPrefix|starts_with|start_with\?|StartsWith|is_relative_to|commonpath|str_starts_with|strpos\s*\(|["'`]\.\.(?:[\/\\]|["'`])|[\/\\]\.\.["'`]|includes\(\s*['"]\.\.|Contains\([^)]*"\.\."|contains\(\s*"\.\."|realpath\s*\([^)]*\)\s*(?:!==|===|==|!=)|filepath\.Rel\(/;

/**
 * Node file APIs that read, serve or delete a path (a helper that writes into a directory its
 * caller names is usually a save-to-this-folder utility, so writes are left out).
 */
const JS_FILE_API = /\b(?:readFile|readFileSync|createReadStream|unlink|unlinkSync|rmSync|sendFile|download)\s*\(/;

const pathSink = (names: string[], test: (c: CallSite) => boolean, idx: (c: CallSite) => Node | undefined = (c) => c.args[0], before?: RegExp, guard = PATH_GUARD): Matcher => ({
  kind: 'call',
  names,
  before,
  check: (c, ctx) => (test(c) ? tainted(ctx, idx(c), San.Path, c.callee, guard) : undefined),
});

/** C/C++ code without its comments (string literals kept): a commented-out check is no check. */
function cCode(text: string): string {
  return text.replace(/("(?:\\.|[^"\\\n])*")|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (_m, str: string | undefined) => str ?? ' ');
}

/**
 * C code of the function for guard tests: no comments, and no calls of this file's stub checks
 * (`int is_path_safe(const char *p) { return true; }` validates nothing).
 */
function cGuardCode(ctx: RuleContext): string {
  let code = cCode(ctx.functionText());
  for (const m of ctx.text.matchAll(/\b([A-Za-z_]\w*)\s*\([^()]*\)\s*\{\s*(?:\(void\)\s*\w+\s*;\s*)*return\s+(?:true|1|TRUE)\s*;\s*\}/g)) code = code.split(`${m[1]}(`).join('(');
  return code;
}

/** C path sinks: like pathSink, but the containment check must be in the code (not a comment, not a stub). */
const cPathSink = (names: string[], idx: (c: CallSite) => Node | undefined): Matcher => ({
  kind: 'call',
  names,
  check: (c, ctx) => {
    const hit = tainted(ctx, idx(c), San.Path, c.callee);
    return hit && !PATH_GUARD.test(cGuardCode(ctx)) ? hit : undefined;
  },
});

/** JS/Java prefix checks spelled with indexOf: `if (full.indexOf(root) !== 0) return …`. */
const INDEX_OF_PREFIX_GUARD = /\.indexOf\s*\([^()]*\)\s*(?:!==?|===?)\s*0(?!\d)/;
/**
 * JS containment checks: PATH_GUARD's validator names, regexes over `..`, startsWith, realpath
 * comparisons, plus indexOf prefix checks, `..` searched for or compared (`p.includes('..')`,
 * `seg === '..'`), and dots stripped with a global replace (`p.replace(/\./g, '')`). Unlike
 * PATH_GUARD, a bare `'../'` literal is not a check: `__dirname + '/..'` builds a base directory.
 */
const JS_PATH_GUARD = new RegExp(
  [
    /\b(?:is|check|validate|verify|ensure|assert)_?\w*(?:[sS]afe|[vV]alid|[wW]ithin|[iI]nside|[aA]llowed|[cC]ontained)\w*\s*\(|\\\.\\\.|startsWith|includes\(\s*['"]\.\.|realpath\s*\([^)]*\)\s*(?:!==|===|==|!=)/.source,
    INDEX_OF_PREFIX_GUARD.source,
    /(?:indexOf|includes|lastIndexOf|search|match|split|test|endsWith)\s*\(\s*["'`][^"'`\n]*\.\./.source,
    /(?:===?|!==?)\s*["'`]\.\.[\/\\]?["'`]|["'`]\.\.[\/\\]?["'`]\s*(?:===?|!==?)/.source,
    /\.replace(?:All)?\s*\(\s*\/[^/\n]*\\\.[^/\n]*\/[gimsuy]*\s*,\s*["'`]{2}/.source,
  ].join('|'),
);

/** Text of the enclosing function's signature (everything before the body), '' at top level. */
function signatureText(ctx: RuleContext): string {
  const fn = ctx.functionNode();
  if (!fn) return '';
  const body = fn.childForFieldName('body');
  return body ? fn.text.slice(0, body.startIndex - fn.startIndex) : '';
}

/**
 * semgrep path-join-resolve-traversal for Go/Java/C: a function joins one of its own parameters
 * (a file name its caller passes through) onto a directory and opens the result, with no
 * containment check or basename in the function. `parts` are the joined pieces after the base.
 */
function paramJoinHit(ctx: RuleContext, parts: readonly Node[], sink: string, fileApi: RegExp, guard: RegExp): Hit | undefined {
  if (!parts.some((a) => a.type === 'identifier')) return undefined;
  const sig = signatureText(ctx);
  if (!sig) return undefined;
  const fn = ctx.functionText();
  if (!fileApi.test(fn) || PATH_GUARD.test(fn) || guard.test(fn)) return undefined;
  for (const a of parts) {
    if (a.type !== 'identifier' || !new RegExp(`(?<![\\w$.])${a.text.replace(/\$/g, '\\$')}(?![\\w$])`).test(sig)) continue;
    const v = ctx.val(a);
    if (v.c || (v.san & San.Path) !== 0) continue;
    return { node: a, sink, severity: 'medium', message: `Parameter \`${a.text}\` is joined onto a directory and opened with no check that the result stays inside it (path traversal); resolve it (realpath/Clean/normalize) and check the prefix` };
  }
  return undefined;
}

// Reads, serves and deletes only: a helper that writes into a directory its caller names is
// usually a save-to-this-folder utility (as in the JS matcher above).
const GO_FILE_API = /\b(?:os|ioutil)\.(?:Open|ReadFile|Remove|RemoveAll|ReadDir)\s*\(|http\.ServeFile\s*\(/;
const GO_PATH_GUARD = /filepath\.(?:Base|Rel|IsLocal)\s*\(|\bIsLocal\s*\(|securejoin|SecureJoin|os\.Root|OpenInRoot/;
/** Go file sinks: the generic checks plus filepath.IsLocal/Rel and os.Root (filepath.Base counts only on the value itself, via data flow). */
const GO_SINK_GUARD = new RegExp(`${PATH_GUARD.source}|filepath\\.(?:Rel|IsLocal)\\s*\\(|\\bIsLocal\\s*\\(|securejoin|SecureJoin|os\\.Root|OpenInRoot`);
const JAVA_FILE_API = /new\s+(?:FileInputStream|FileReader|Scanner)\s*\(|Files\.(?:readAllBytes|readAllLines|readString|newInputStream|newBufferedReader|lines|delete|deleteIfExists)\s*\(|\.delete\s*\(\s*\)/;
const JAVA_PATH_GUARD = /getCanonical(?:Path|File)\s*\(|toRealPath\s*\(|normalize\s*\(\s*\)\s*\.\s*startsWith|FilenameUtils\.getName\s*\(|\.getFileName\s*\(\s*\)/;
/**
 * Java sinks: PATH_GUARD, except that `name.startsWith("bin")` (a prefix test against a literal,
 * choosing which entries to handle) is not a containment check; `p.startsWith(base)` is.
 */
const JAVA_SINK_GUARD = new RegExp(`${PATH_GUARD.source.replace('|startsWith|', '|startsWith\\s*\\(\\s*(?!["\'])|')}|(?:normalize|toRealPath|toAbsolutePath|toPath|getCanonicalPath|getCanonicalFile)\\s*\\([^()]*\\)\\s*\\.\\s*startsWith\\s*\\(`);

/** A String path prefix check: the receiver is a canonical/absolute path string. */
const JAVA_STRING_PATH = /(?:getCanonicalPath|getAbsolutePath)\s*\((?:[^()]|\([^()]*\))*\)$/;

/**
 * CodeQL java/partial-path-traversal: `child.getCanonicalPath().startsWith(dir.getCanonicalPath())`
 * compares Strings, so "/srv/app-evil" passes for "/srv/app". Fine when a separator is appended to
 * the directory or a Path-based check (component-wise startsWith) is made as well.
 */
function partialPathCheck(c: CallSite, ctx: RuleContext): Hit | undefined {
  const a = c.args[0];
  if (!a || c.args.length !== 1 || !JAVA_STRING_PATH.test(c.receiver?.text ?? '')) return undefined;
  const fn = ctx.functionText();
  let dir = a.text;
  if (a.type === 'identifier') {
    const id = a.text.replace(/\$/g, '\\$');
    const defs = [...fn.matchAll(new RegExp(`\\b${id}\\s*=(?!=)\\s*([^;]+);`, 'g'))];
    dir = defs.length ? defs[defs.length - 1][1] : '';
    // `dir += File.separator` / `if (!dir.endsWith(File.separator))` somewhere in the function.
    if (new RegExp(`\\b${id}\\s*\\+=|\\b${id}\\s*\\.\\s*endsWith\\s*\\(`).test(fn)) return undefined;
  }
  if (!/(?:getCanonicalPath|getAbsolutePath)\s*\(/.test(dir) || /separator|\+\s*["'][/\\]|endsWith/.test(dir)) return undefined;
  if (/(?:normalize|toRealPath)\s*\([^)]*\)\s*\.\s*startsWith\s*\(|toPath\s*\(\s*\)\s*\.\s*startsWith\s*\(/.test(fn)) return undefined;
  return {
    node: c.node,
    severity: 'medium',
    message: 'Canonical paths compared as Strings with no trailing separator: "/base/dir-evil" starts with "/base/dir" (partial path traversal); compare Path objects (toPath().startsWith) or append File.separator',
  };
}
const C_FILE_API = /\bfopen\s*\([^;]*"r[b+]?"|\bopen\s*\([^;]*O_RDONLY|\b(?:opendir|remove|unlink)\s*\(|\b(?:std::)?ifstream\b/;
const C_PATH_GUARD = /\brealpath\s*\(|canonicalize_file_name\s*\(|\bweakly_canonical\s*\(|\bcanonical\s*\(|\bbasename\s*\(|strstr\s*\([^)]*"\.\.|strchr\s*\([^)]*'\/'|\.find\s*\(\s*"\.\."|\blexically_normal\s*\(/;

export const pathTraversal = defineRule({
  id: 'path-traversal',
  name: 'Untrusted data used as a file path',
  cwe: 'CWE-22',
  severity: 'high',
  pattern: 16,
  message: 'A file path built from untrusted input reaches a file API without normalization and a base-directory check (path traversal)',
  why: 'GitHub\'s Copilot filter targets "path injections"; OpenSSF AI code assistant guide: validate user input. Resolve the path and check it stays inside the allowed directory, or use basename/secure_filename.',
  description: 'Request/CLI/LLM-derived strings reaching open/send_file/fs.readFile/new File/os.Open/File.open/include/fopen and similar, with no basename/secure_filename and no containment check in the function; tarfile.extractall without a filter (zip slip).',
  matchers: {
    python: [
      pathSink(['open', 'send_file', 'FileResponse', 'remove', 'unlink', 'rmdir', 'rmtree', 'copy', 'copyfile', 'move', 'listdir', 'read_text', 'read_bytes', 'write_text', 'write_bytes', 'Path', 'load', 'makedirs', 'mkdir'], (c) => /^(?:open|io\.open|codecs\.open|os\.open|send_file|flask\.send_file|FileResponse|os\.(?:remove|unlink|rmdir|listdir|makedirs|mkdir)|shutil\.(?:rmtree|copy|copyfile|move)|Path|pathlib\.Path)$/.test(c.callee), (c) => c.args[0], /(?:^|[^\w$.\])])\s*$|\b(?:io|codecs|os|shutil|flask|pathlib)\s*\.\s*$/),
      {
        kind: 'call',
        names: ['extractall'],
        check: (c, ctx) => {
          if (!ctx.fileHas(/tarfile/) || kw(c, 'filter') || kw(c, 'members')) return undefined;
          return { cwe: 'CWE-22', severity: 'medium', message: 'tarfile.extractall without filter="data" lets archive members write outside the target directory (../, absolute paths, links)' };
        },
      },
    ],
    javascript: [
      pathSink(['readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'createReadStream', 'createWriteStream', 'unlink', 'unlinkSync', 'readdir', 'readdirSync', 'appendFile', 'appendFileSync', 'rm', 'rmSync', 'open', 'openSync', 'access', 'stat', 'statSync', 'existsSync', 'mkdir', 'mkdirSync'], (c) => /^(?:fs|fsp|fse|fs\.promises|promises|fsPromises|fs-extra)$/.test(c.receiver?.text ?? '') || (!c.receiver && /^(?:readFile|readFileSync|writeFile|writeFileSync|createReadStream|unlink)$/.test(c.name)), undefined, undefined, JS_PATH_GUARD),
      // `res.sendFile(name, { root })`: send refuses paths that leave root.
      pathSink(['sendFile', 'download', 'sendfile'], (c) => /^(?:res|response)$/.test(c.receiver?.text ?? '') && !c.args.slice(1).some((a) => a.type === 'object' && /\broot\s*:/.test(a.text)), undefined, undefined, JS_PATH_GUARD),
      // `res.render(req.query.page)`: the view name is a path under the views directory.
      pathSink(['render'], (c) => /^(?:res|response)$/.test(c.receiver?.text ?? ''), undefined, undefined, JS_PATH_GUARD),
      // Upload handling: the destination of a rename/copy/move, and express-fileupload's file.mv(dest).
      pathSink(['rename', 'renameSync', 'copyFile', 'copyFileSync', 'move', 'moveSync', 'copy', 'copySync'], (c) => /^(?:fs|fsp|fse|fs\.promises|fsPromises|fs-extra)$/.test(c.receiver?.text ?? ''), (c) => c.args[1], undefined, JS_PATH_GUARD),
      {
        kind: 'call',
        names: ['mv'],
        check: (c, ctx) => {
          // express-fileupload: the receiver is an uploaded file (req.files.x, directly or via a local).
          if (!c.receiver || !/^req\.files\b/.test(ctx.val(c.receiver).taint?.label ?? '')) return undefined;
          return tainted(ctx, c.args[0], San.Path, 'UploadedFile.mv', JS_PATH_GUARD);
        },
      },
      {
        // A request-serving helper (`function sendFile_(req, res, path)`) that opens the path its
        // caller derived from the request, with no containment check of its own.
        kind: 'call',
        names: ['readFile', 'readFileSync', 'createReadStream', 'sendFile', 'sendfile'],
        check: (c, ctx) => {
          const a = c.args[0];
          const recv = c.receiver?.text ?? '';
          if (!a || a.type !== 'identifier' || !(/^(?:fs|fsp|fs\.promises|fsPromises)$/.test(recv) || /^(?:res|response)$/.test(recv))) return undefined;
          const fn = ctx.functionNode();
          // Names only: TS annotations and defaults (`req: Request`, `file = ''`) dropped.
          const params = (fn?.childForFieldName('parameters')?.text ?? '').replace(/[()\s]/g, '').split(',').map((x) => x.replace(/[?]?[:=].*$/, ''));
          if (!params.includes(a.text) || !params.some((p) => /^(?:req|request)$/.test(p)) || !params.some((p) => /^(?:res|response)$/.test(p))) return undefined;
          if (JS_PATH_GUARD.test(ctx.functionText()) || ctx.val(a).c) return undefined;
          return { node: a, sink: c.callee, severity: 'medium', message: `\`${a.text}\` is opened by a request handler helper with no check that it stays inside the served directory (path traversal); resolve it and check the prefix` };
        },
      },
      {
        // A file-serving helper of the app's own (`serveStaticFile(res, pathname)`, `this.sendFile_(…)`)
        // handed the request path: the helper's name says it opens that path.
        kind: 'call',
        trigger: /\b(?:serve|send|stream)(?:Static)?File\w*\s*\(|\bserveStatic\w*\s*\(/,
        check: (c, ctx) => {
          if ((c.receiver && !/^(?:this|self)$/.test(c.receiver.text)) || !/^(?:serve|send|stream)(?:Static)?File_?$|^serveStatic\w*$/.test(c.name)) return undefined;
          for (const a of c.args) {
            if (!/^(?:identifier|member_expression|call_expression|binary_expression|template_string)$/.test(a.type) || /^(?:res|response|reply)$/.test(a.text)) continue;
            const h = tainted(ctx, a, San.Path, c.name, JS_PATH_GUARD);
            if (h && h.taint?.kind === 'request') return { ...h, severity: 'medium', message: `The request path is passed to ${c.name}(), which serves that file: with no normalization and base-directory check here, ../ sequences reach files outside the web root` };
          }
          return undefined;
        },
      },
      {
        // semgrep path-join-resolve-traversal: a function joins its own parameter (a file name a
        // caller passes through) onto a base directory and opens it, with no containment check.
        kind: 'call',
        names: ['join', 'resolve'],
        before: /\bpath\.(?:posix\.|win32\.)?$/,
        check: (c, ctx) => {
          if (!/^path(?:\.posix|\.win32)?$/.test(c.receiver?.text ?? '') || c.args.length < 2) return undefined;
          const fn = ctx.functionNode();
          const params = fn?.childForFieldName('parameters')?.text ?? fn?.childForFieldName('parameter')?.text;
          if (!params || !JS_FILE_API.test(ctx.functionText()) || JS_PATH_GUARD.test(ctx.functionText())) return undefined;
          for (const a of c.args.slice(1)) {
            if (a.type !== 'identifier' || !new RegExp(`(?<![\\w$.])${a.text.replace(/\$/g, '\\$')}(?![\\w$])`).test(params)) continue;
            if (ctx.val(a).c) continue;
            return { node: a, sink: c.callee, severity: 'medium', message: `Parameter \`${a.text}\` is joined onto a directory and opened with no check that the result stays inside it (path traversal); resolve it and check the prefix` };
          }
          return undefined;
        },
      },
    ],
    java: [
      pathSink(['File', 'FileInputStream', 'FileOutputStream', 'FileReader', 'FileWriter', 'RandomAccessFile', 'PrintWriter'], (c) => c.isNew, (c) => c.args[c.args.length > 1 && c.name === 'File' ? 1 : 0], undefined, JAVA_SINK_GUARD),
      // (`Paths.get(name).getFileName()` only builds a path to take its last component.)
      pathSink(['get', 'of', 'resolve'], (c) => (/^(?:Paths|Path|java\.nio\.file\.Paths)$/.test(c.receiver?.text ?? '') || (c.name === 'resolve' && !!c.receiver)) && c.node.parent?.childForFieldName('name')?.text !== 'getFileName', (c) => c.args[c.args.length - 1], undefined, JAVA_SINK_GUARD),
      pathSink(['readAllBytes', 'readAllLines', 'readString', 'newInputStream', 'newBufferedReader', 'delete', 'copy', 'write', 'lines'], (c) => c.receiver?.text === 'Files', undefined, undefined, JAVA_SINK_GUARD),
      { kind: 'call', names: ['startsWith'], check: partialPathCheck },
      {
        // Zip slip through an entry variable whose name the source patterns do not know
        // (`ZipEntry e = …; new File(dest, e.getName())`): the declared type says it is an archive member.
        kind: 'call',
        names: ['File', 'FileOutputStream', 'get', 'of', 'resolve'],
        check: (c, ctx) => {
          if (!(c.isNew || /^(?:Paths|Path)$/.test(c.receiver?.text ?? '') || (c.name === 'resolve' && !!c.receiver))) return undefined;
          const a = c.args[c.args.length - 1];
          const v = /^([a-z]\w{0,2})\s*\.\s*getName\s*\(\s*\)$/.exec(a?.text ?? '')?.[1];
          if (!a || !v || !ctx.fileHas(new RegExp(`\\b(?:Zip|Jar|TarArchive|Archive|ZipArchive|SevenZArchive)Entry\\s+${v}\\b`)) || JAVA_SINK_GUARD.test(ctx.functionText())) return undefined;
          return { node: a, sink: c.callee, severity: 'high', message: `The archive entry name \`${a.text}\` is used as a path with no check that it stays inside the target directory (zip slip); normalize it and check the prefix` };
        },
      },
      {
        kind: 'call',
        names: ['File', 'get', 'of', 'resolve'],
        check: (c, ctx) => {
          const join = (c.isNew && c.name === 'File' && c.args.length === 2) || (/^(?:Paths|Path)$/.test(c.receiver?.text ?? '') && c.args.length >= 2) || (c.name === 'resolve' && !!c.receiver && c.args.length === 1);
          return join ? paramJoinHit(ctx, c.name === 'resolve' ? c.args : c.args.slice(1), c.callee, JAVA_FILE_API, JAVA_PATH_GUARD) : undefined;
        },
      },
    ],
    go: [
      pathSink(['Open', 'OpenFile', 'ReadFile', 'Create', 'Remove', 'RemoveAll', 'WriteFile', 'ReadDir', 'Stat', 'Mkdir', 'MkdirAll'], (c) => /^(?:os|ioutil)\./.test(c.callee), undefined, undefined, GO_SINK_GUARD),
      pathSink(['ServeFile'], (c) => /^http\./.test(c.callee), (c) => c.args[2], undefined, GO_SINK_GUARD),
      pathSink(['File', 'FileAttachment'], (c) => /^(?:c|ctx)$/.test(c.receiver?.text ?? ''), undefined, undefined, GO_SINK_GUARD),
      { kind: 'call', names: ['Join'], before: /\b(?:filepath|path)\.$/, check: (c, ctx) => (/^(?:filepath|path)\.Join$/.test(c.callee) ? paramJoinHit(ctx, c.args.slice(1), c.callee, GO_FILE_API, GO_PATH_GUARD) : undefined) },
      // `fmt.Sprintf("%s/%s", dir, name)` and `dir + "/" + name`: the same join spelled by hand.
      { kind: 'call', names: ['Sprintf'], before: /\bfmt\.$/, check: (c, ctx) => (c.callee === 'fmt.Sprintf' && /^["`]%[sv]\/%[sv]["`]$/.test(c.args[0]?.text ?? '') ? paramJoinHit(ctx, c.args.slice(2, 3), c.callee, GO_FILE_API, GO_PATH_GUARD) : undefined) },
      {
        kind: 'node',
        trigger: /\w\s*\+\s*"\/"\s*\+\s*\w/,
        types: ['binary_expression'],
        check: (n, ctx) => {
          // The anchor lands on `dir + "/"`; the join is its parent `dir + "/" + name`.
          const top = n.parent?.type === 'binary_expression' && n.parent.childForFieldName('left')?.id === n.id ? n.parent : n;
          const l = top.childForFieldName('left');
          const r = top.childForFieldName('right');
          if (l?.type !== 'binary_expression' || l.childForFieldName('right')?.text !== '"/"' || !r) return undefined;
          return paramJoinHit(ctx, [r], 'path concatenation', GO_FILE_API, GO_PATH_GUARD);
        },
      },
    ],
    c: [
      cPathSink(['fopen', 'open', 'freopen', 'remove', 'unlink', 'opendir', 'creat'], (c) => c.args[0]),
      // libarchive: an entry's own name joined onto the destination and written to disk (zip slip).
      cPathSink(['archive_entry_set_pathname', 'archive_entry_copy_pathname'], (c) => c.args[1]),
      // C++ streams: `std::ifstream in(path)`, `std::ofstream(path)`, `f.open(path)`.
      cPathSink(['ifstream', 'ofstream', 'fstream', 'open'], (c) => (c.name === 'open' ? (c.receiver ? c.args[0] : undefined) : c.args[0])),
      {
        kind: 'node', trigger: /(?<=\b(?:if|of|f)stream\s+)\w+\s*[({]/, types: ['init_declarator', 'function_declarator'],
        check: (n, ctx) => {
          if (!/^(?:std::)?(?:if|of|f)stream$/.test((n.parent?.childForFieldName('type')?.text ?? '').replace(/\s+/g, ''))) return undefined;
          const args = n.type === 'init_declarator' ? (n.childForFieldName('value') ?? n.namedChildren[n.namedChildren.length - 1]) : n.childForFieldName('parameters');
          let a = args?.namedChildren[0];
          // `std::ifstream in(path);` parses as a function declaration: its "parameter type" is the argument.
          if (a?.type === 'parameter_declaration') {
            // Data flow knows identifiers, not type names: use the same name's last use before here.
            const name = a.namedChildCount === 1 ? a.namedChildren[0].text : '';
            const uses = name ? (ctx.functionNode()?.descendantsOfType('identifier') ?? []).filter((x) => x.text === name && x.endIndex <= n.startIndex) : [];
            a = uses[uses.length - 1];
            // At its own declaration (`std::string p = argv[1];`) the value is the initializer.
            if (a?.parent?.type === 'init_declarator' && a.parent.childForFieldName('declarator')?.id === a.id) a = a.parent.childForFieldName('value') ?? a;
          }
          const hit = a ? tainted(ctx, a, San.Path, 'std::fstream') : undefined;
          return hit && !PATH_GUARD.test(cGuardCode(ctx)) ? hit : undefined;
        },
      },
      {
        kind: 'call',
        names: ['snprintf', 'sprintf'],
        check: (c, ctx) => {
          const i = c.name === 'snprintf' ? 2 : 1;
          const fmt = c.args[i];
          return fmt && /^"[^"]*%s[/\\]+(?:[^"%]*)%s/.test(fmt.text) ? paramJoinHit(ctx, c.args.slice(i + 2), c.callee, C_FILE_API, C_PATH_GUARD) : undefined;
        },
      },
      {
        // C++: `dir + "/" + name` (std::string) or `std::filesystem::path(dir) / name`.
        kind: 'binding',
        trigger: /\+\s*"[/\\]"\s*\+|\)\s*\/\s*\w/,
        check: (b, ctx) => {
          const v = b.value;
          if (!v || v.type !== 'binary_expression' || !/^(?:\w+\s*\+\s*"[/\\]"\s*\+\s*\w+|(?:std::)?(?:filesystem::|fs::)?path\s*\(\s*\w+\s*\)\s*\/\s*\w+)$/.test(v.text)) return undefined;
          const right = v.childForFieldName('right');
          return right ? paramJoinHit(ctx, [right], 'path concatenation', C_FILE_API, C_PATH_GUARD) : undefined;
        },
      },
    ],
    ruby: [
      pathSink(['open', 'read', 'readlines', 'write', 'delete', 'unlink', 'binread', 'foreach', 'new'], (c) => /^(?:File|IO|FileUtils|Pathname)$/.test(c.receiver?.text ?? '') && !(c.receiver?.text === 'IO' && c.name === 'new')),
      pathSink(['send_file', 'send_data'], (c) => !c.receiver && c.name === 'send_file'),
      // FileUtils deletes/copies/moves and Dir listings of a request-named path.
      pathSink(['rm', 'rm_f', 'rm_r', 'rm_rf', 'remove', 'remove_dir', 'remove_file', 'remove_entry', 'cp', 'cp_r', 'mv', 'copy', 'move', 'copy_file', 'mkdir_p', 'touch', 'glob', 'entries', 'children', 'each_child', 'rmdir'], (c) => (/^(?:::)?FileUtils$/.test(c.receiver?.text ?? '') && !/^(?:glob|entries|children|each_child)$/.test(c.name)) || (/^(?:::)?Dir$/.test(c.receiver?.text ?? '') && /^(?:glob|entries|children|each_child|rmdir|delete|unlink)$/.test(c.name))),
      pathSink(['cp', 'cp_r', 'mv', 'copy', 'move', 'copy_file'], (c) => /^(?:::)?FileUtils$/.test(c.receiver?.text ?? ''), (c) => c.args[1]),
      { kind: 'call', names: ['render'], check: (c, ctx) => tainted(ctx, kw(c, 'file') ?? kw(c, 'template') ?? kw(c, 'partial'), San.Path, 'render file:', PATH_GUARD) },
    ],
    php: [
      pathSink(['file_get_contents', 'fopen', 'readfile', 'file', 'unlink', 'file_put_contents', 'opendir', 'scandir', 'rmdir', 'copy', 'rename', 'fpassthru', 'parse_ini_file', 'show_source', 'highlight_file'], (c) => !c.receiver && !PHP_URL_ARG.test(c.args[0]?.text ?? '')),
      // Uploads: the destination built from the client's file name ($_FILES[...]['name']).
      pathSink(['move_uploaded_file'], (c) => !c.receiver, (c) => c.args[1]),
      // Laravel: response()->download($path) / response()->file($path).
      pathSink(['download', 'file'], (c) => /^response\(\)$/.test(c.receiver?.text ?? '')),
      {
        kind: 'node', trigger: /include|require/,
        types: ['include_expression', 'include_once_expression', 'require_expression', 'require_once_expression'],
        check: (n, ctx) => {
          const h = tainted(ctx, n.namedChildren[0], San.Path, 'include', PATH_GUARD);
          return h ? { ...h, message: 'include/require of a path from untrusted input (local/remote file inclusion)', cwe: 'CWE-98' } : undefined;
        },
      },
    ],
    csharp: [
      pathSink(['ReadAllText', 'ReadAllBytes', 'ReadAllLines', 'OpenRead', 'OpenWrite', 'Open', 'WriteAllText', 'WriteAllBytes', 'Delete', 'Exists', 'OpenText', 'Copy', 'Move'], (c) => /^(?:System\.IO\.)?(?:File|Directory)$/.test(c.receiver?.text ?? '')),
      pathSink(['FileStream', 'StreamReader', 'StreamWriter', 'FileInfo', 'DirectoryInfo'], (c) => c.isNew),
      pathSink(['PhysicalFile', 'File'], (c) => !c.receiver),
    ],
    rust: [pathSink(['open', 'create', 'read_to_string', 'read', 'remove_file', 'remove_dir_all', 'write'], (c) => /^(?:std\.)?(?:fs\.)?(?:File\.(?:open|create)|fs\.\w+)$/.test(c.callee))],
  },
});

// ------------------------------------------------------------------ SSRF

const URL_GUARD = /allow(?:ed)?_?(?:hosts?|domains?|list|urls?)|ALLOW(?:ED)?_(?:HOSTS?|DOMAINS?|LIST|URLS?)|allowlist|whitelist|WHITELIST|ALLOWLIST|AllowedHosts|allowedHosts|\.netloc\s*(?:not\s+)?in\b|\.hostname\s*(?:not\s+)?in\b|\.host\s*(?:not\s+)?in\b|url_has_allowed_host/;

/** Checks of an address against private, loopback, link-local or blocked ranges. */
const IP_RANGE_CHECK = /\.is_(?:private|global|loopback|reserved|link_local)\b|\bIs(?:Private|Loopback|LinkLocal\w*|Unspecified)\s*\(|\bis(?:SiteLocal|Loopback|AnyLocal|LinkLocal)Address\s*\(|\b(?:private|loopback|link_local)\?|\b(?:BLOCKED|PRIVATE|DENIED|FORBIDDEN|DISALLOWED)_(?:RANGES|NETWORKS|CIDRS|IPS|NETS)\b|\bisPrivate(?:IP|Ip|Address)?\s*\(/;
/** A hook that sees the connection's resolved address: Go Dialer.Control/DialContext, Ruby http.ipaddr=, a custom resolver/adapter. */
const DIAL_HOOK = /\bControl\s*:\s*func\b|\.Control\s*=|DialContext\s*:|\.ipaddr\s*=|\bHTTPAdapter\b|\blookup\s*:|dnsLookup|\bresolver\b/i;

/** A PHP file-API argument that is a URL (by its name or an http(s) prefix), not a file path. */
const PHP_URL_ARG = /url|uri\b|link|href|endpoint|^["']https?:/i;

const ssrfSink = (names: string[], test: (c: CallSite, ctx: RuleContext) => boolean, idx: (c: CallSite) => Node | undefined = (c) => c.args[0], before?: RegExp): Matcher => ({
  kind: 'call',
  names,
  before,
  check: (c, ctx) => {
    if (!test(c, ctx)) return undefined;
    const a = idx(c);
    // A constant scheme://host/ prefix pins the destination: data after it cannot change the host.
    if (a && /^https?:\/\/[^/{}%]+\//i.test(ctx.val(a).text)) return undefined;
    // The resolved address is checked against private/loopback ranges, here or in a dial hook of
    // the file's HTTP client (Go Dialer.Control, a pinned ipaddr): the SSRF defence itself.
    if (IP_RANGE_CHECK.test(ctx.functionText()) || (IP_RANGE_CHECK.test(ctx.text) && DIAL_HOOK.test(ctx.text))) return undefined;
    return tainted(ctx, a, San.Url, c.callee, URL_GUARD);
  },
});

/** C/C++ checks of a URL component's characters or an escape of it (isalnum loop, regex, strspn, curl_easy_escape). */
const C_URL_GUARD = /\bis(?:alnum|alpha|digit|xdigit)\s*\(|\bregexec\s*\(|\bregex_(?:match|search)\s*\(|\bstr[c]?spn\s*\(|\bstrpbrk\s*\(|find_first_not_of\s*\(|find_first_of\s*\(|curl_(?:easy_)?escape\s*\(|url_?encode|urlEncode|escape\s*\(|allow(?:ed)?_?(?:hosts?|domains?|list)|whitelist/i;

/**
 * C/C++: the enclosing function is called in this file, and only ever with literal arguments
 * (`build_url("https://api.example.com", "v1")`): its parameters carry constants here.
 */
function cOnlyConstantCallers(ctx: RuleContext): boolean {
  const fn = ctx.functionNode();
  const name = ctx.functionName().replace(/^.*(?:::|\.)/, '');
  if (!fn || !/^[A-Za-z_]\w*$/.test(name)) return false;
  const rest = ctx.text.slice(0, fn.startIndex) + ctx.text.slice(fn.endIndex);
  const calls = [...rest.matchAll(new RegExp(`\\b${name}\\s*\\(([^;{}]*)\\)`, 'gm'))];
  const literal = /^\s*(?:(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])'|-?\d[\w.]*|[A-Z_][A-Z0-9_]*)\s*(?:,\s*|$))*$/;
  return calls.length > 0 && calls.every((m) => literal.test(m[1]));
}

/** `x` or `x.c_str()` / `x.data()`: the variable a component is read from. */
function cComponentName(n: Node): string {
  return /^([A-Za-z_]\w*)(?:\s*\.\s*(?:c_str|data)\s*\(\s*\))?$/.exec(n.text.trim())?.[1] ?? '';
}

/**
 * C/C++: a URL assembled from pieces (`"https://%s.%s"`, `api_url + "/" + user_id`) where a
 * piece is a parameter of this function and nothing in the function checks its characters: the
 * caller's value picks the host or the path the server requests (CWE-918). High when a proven
 * untrusted source reaches the piece, low otherwise (the caller may validate).
 */
function cUrlPieces(pieces: readonly Node[], ctx: RuleContext, sink: string): Hit | undefined {
  const sig = signatureText(ctx);
  if (!sig || C_URL_GUARD.test(cCode(ctx.functionText()))) return undefined;
  for (const p of pieces) {
    const name = cComponentName(p);
    if (!name || !new RegExp(`(?<![\\w.])${name}(?![\\w])`).test(sig)) continue;
    const v = ctx.val(p);
    if (v.c || (v.san & San.Url) !== 0) continue;
    const t = taintFor(v, San.Url);
    if (!t && cOnlyConstantCallers(ctx)) return undefined;
    return { node: p, sink, severity: t ? 'high' : 'low', taint: t, message: `The URL is built from the parameter \`${name}\` with no check of its characters: a caller-supplied value chooses the host or path the server requests (SSRF); validate it (allow-list, isalnum) or escape it` };
  }
  return undefined;
}

const C_URL_NAME = /url|uri|endpoint|link/i;

/** Go checks of a URL piece's characters, escapes, or allow-lists in the function. */
const GO_URL_GUARD = /\bregexp\.|\.MatchString\s*\(|\b[iI]s\w*Valid\w*\s*\(|\b[vV]alid(?:ate)?\w*\s*\(|unicode\.Is\w+\s*\(|strings\.(?:ContainsAny|ContainsRune|IndexAny|ContainsFunc|IndexFunc)\s*\(|url\.(?:PathEscape|QueryEscape)\s*\(|allow(?:ed)?_?(?:hosts?|domains?|list)|whitelist|Allow(?:ed)?(?:Hosts?|Domains?|List)/;

/**
 * Go: a URL assembled with Sprintf or `+` whose host part (`"https://%s.%s"`,
 * `"https://" + sub + "." + domain`) or path segment after a base URL (`"%s/%s"` with a URL-named
 * base) is a string parameter of this function, with no character check, escape or allow-list in
 * the function: the caller's value picks the host or path the server requests (CWE-918). High
 * with a proven untrusted source, low otherwise.
 */
/** Names of same-file Go validators whose body is only `return true` (a call to one checks nothing). */
function goStubChecks(ctx: RuleContext): string[] {
  return [...ctx.text.matchAll(/\bfunc\s+(\w+)\s*\([^)]*\)\s*bool\s*\{\s*(?:\/\/[^\n]*\s*)*return\s+true\s*\}/g)].map((m) => m[1]);
}

function goUrlPieces(pieces: readonly Node[], ctx: RuleContext, sink: string): Hit | undefined {
  const sig = signatureText(ctx);
  let code = ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const stubs = goStubChecks(ctx);
  if (stubs.length) code = code.replace(new RegExp(`\\b(?:${stubs.join('|')})\\s*\\(`, 'g'), 'stub(');
  if (!sig || GO_URL_GUARD.test(code)) return undefined;
  for (const p of pieces) {
    const name = /^[A-Za-z_]\w*$/.test(p.text) ? p.text : '';
    if (!name) continue;
    const v = ctx.val(p);
    if (v.c || (v.san & San.Url) !== 0) continue;
    const t = taintFor(v, San.Url);
    if (!t && !new RegExp(`(?<![\\w.])${name}(?:\\s*,\\s*\\w+)*\\s+string\\b`).test(sig)) continue;
    // Fetched in this function: the ssrf sink there reports the flow.
    if (t && /\bhttp\.(?:Get|Post|Head|PostForm|NewRequest\w*)\s*\(/.test(ctx.functionText())) return undefined;
    return { node: p, sink, severity: t ? 'high' : 'low', taint: t, message: `The URL is built from \`${name}\` with no check of its characters: a value like "evil.com/#" or "../admin" chooses the host or path the server requests (SSRF); validate it against an allow-list or a strict pattern, or escape it (url.PathEscape)` };
  }
  return undefined;
}

const GO_URL_NAME = /url|uri|endpoint/i;

/** JS checks of a URL piece's characters (regex test/match, validators), escapes, or allow-lists in the function. */
const JS_URL_GUARD = /\.test\s*\(|\.match\s*\(|\b[iI]s\w*Valid\w*\s*\(|\b[vV]alid(?:ate)?\w*\s*\(|validator\.|encodeURI(?:Component)?\s*\(|allow(?:ed)?_?(?:hosts?|domains?|list)|whitelist|Allow(?:ed)?(?:Hosts?|Domains?|List)|ALLOWED_\w+/;

/**
 * JS: a template URL whose host (`https://${sub}.${domain}`) or path segment after a URL-named
 * base (`${apiUrl}/${userId}`) is a parameter of this function, with no character check, escape
 * or allow-list in the function: the caller's value picks the host or path the server requests
 * (CWE-918). High with a proven untrusted source (unless fetched here: the fetch sink reports it), low otherwise.
 */
const jsUrlTemplate: Matcher = {
  kind: 'node',
  trigger: /`https?:\/\/\$\{|`\$\{[\w$.]+\}\/\$\{/,
  types: ['template_string'],
  check: (n, ctx) => {
    const subs = n.namedChildren.filter((x) => x.type === 'template_substitution').map((x) => x.namedChildren[0]);
    let piece: Node | undefined;
    if (/^`https?:\/\/\$\{[^}]+\}\./i.test(n.text)) piece = subs[0];
    // A path segment only in a URL builder (returned, or stored in a URL-named variable): an inline
    // `fetch(`${API}/${id}`)` in client code is the common, benign shape.
    else if (/^`\$\{[\w$.]+\}\/\$\{[\w$]+\}/.test(n.text) && /url|uri|endpoint|base/i.test(subs[0]?.text ?? '') && (n.parent?.type === 'return_statement' || (n.parent?.type === 'variable_declarator' && /url|uri|endpoint|link/i.test(n.parent.childForFieldName('name')?.text ?? '')))) piece = subs[1];
    if (!piece || piece.type !== 'identifier') return undefined;
    const sig = signatureText(ctx);
    const fn = ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    if (!sig || JS_URL_GUARD.test(fn)) return undefined;
    const v = ctx.val(piece);
    if (v.c || (v.san & San.Url) !== 0) return undefined;
    const t = taintFor(v, San.Url);
    if (!t && !new RegExp(`(?<![\\w$.])${piece.text.replace(/\$/g, '\\$')}(?![\\w$])`).test(sig)) return undefined;
    if (t && /\b(?:fetch|axios|got|request|http|https|superagent|needle|ky)\s*(?:\.\s*\w+\s*)?\(/.test(fn)) return undefined;
    return { node: piece, sink: 'URL template', severity: t ? 'high' : 'low', taint: t, message: `The URL is built from \`${piece.text}\` with no check of its characters: a value like "evil.com/#" or "../admin" chooses the host or path the server requests (SSRF); validate it against an allow-list or a strict pattern, or encodeURIComponent it` };
  },
};

const goUrlBuilders: Matcher[] = [
  {
    // `url.URL{Scheme: "https", Host: sub + "." + domain}`.
    kind: 'binding',
    trigger: /\bHost:\s*\w+\s*\+\s*"\."/,
    check: (b, ctx) => {
      const v = b.value?.type === 'literal_element' ? b.value.namedChildren[0] : b.value;
      const left = v?.type === 'binary_expression' ? v.childForFieldName('left') : null;
      if (!b.pair || b.targetText !== 'Host' || !left) return undefined;
      const first = left.type === 'binary_expression' ? left.childForFieldName('left') : left;
      return first && first.type === 'identifier' && /^"\./.test((left.type === 'binary_expression' ? left.childForFieldName('right') : v?.childForFieldName('right'))?.text ?? '') ? goUrlPieces([first], ctx, 'url.URL Host') : undefined;
    },
  },
  {
    kind: 'call',
    names: ['Sprintf'],
    before: /\bfmt\.$/,
    check: (c, ctx) => {
      const fmt = c.args[0]?.text ?? '';
      if (c.callee !== 'fmt.Sprintf') return undefined;
      // The host: `https://%s.example.com`, `https://%s.%s`.
      if (/^["`]https?:\/\/%[sv]\./i.test(fmt)) return goUrlPieces(c.args.slice(1, 2), ctx, c.callee);
      // A path segment after a URL-named base: `fmt.Sprintf("%s/%s", apiURL, userID)`.
      if (/^["`]%[sv]\/%[sv]["`]$/.test(fmt) && GO_URL_NAME.test(c.args[1]?.text ?? '') && c.args[1]?.type === 'identifier' && !ctx.val(c.args[1]).c) return goUrlPieces(c.args.slice(2, 3), ctx, c.callee);
      return undefined;
    },
  },
  {
    kind: 'node',
    trigger: /"https?:\/\/"\s*\+|(?:[uU]rl|URL|[uU]ri|URI|[eE]ndpoint)\w*\s*\+\s*"\/"\s*\+/,
    types: ['binary_expression'],
    check: (m, ctx) => {
      let n = m;
      while (n.parent?.type === 'binary_expression') n = n.parent;
      const parts: Node[] = [];
      const flatten = (x: Node): void => {
        if (x.type === 'binary_expression' && x.childForFieldName('operator')?.text === '+') {
          const l = x.childForFieldName('left');
          const r = x.childForFieldName('right');
          if (l) flatten(l);
          if (r) flatten(r);
        } else parts.push(x);
      };
      flatten(n);
      if (parts.length < 3) return undefined;
      // `"https://" + sub + "." + domain`: the piece right after the scheme, followed by a dot.
      if (/^"https?:\/\/"$/i.test(parts[0].text) && /^"\./.test(parts[2].text)) return goUrlPieces([parts[1]], ctx, 'URL concatenation');
      // `apiURL + "/" + userID`: a path segment after a URL-named base.
      // (Only `base + "/" + id` with a base that is itself passed in: constant API bases with several
      // segments are ordinary client code.)
      if (parts.length === 3 && GO_URL_NAME.test(parts[0].text) && parts[0].type === 'identifier' && !ctx.val(parts[0]).c && parts[1].text === '"/"') return goUrlPieces([parts[2]], ctx, 'URL concatenation');
      return undefined;
    },
  },
];

export const ssrf = defineRule({
  id: 'ssrf',
  name: 'Untrusted URL fetched by the server',
  cwe: 'CWE-918',
  severity: 'high',
  pattern: 21,
  message: 'The server fetches a URL that comes from untrusted input (SSRF): it can reach internal services and cloud metadata',
  why: 'OWASP LLM05 and the OpenSSF ML-driven guide\'s "lethal trifecta": user- or model-controlled URLs let an attacker use your server to reach private networks. Check the host against an allow-list.',
  description: 'Request/CLI/LLM-derived URLs (or URLs interpolated with such data) reaching requests/urllib/httpx, fetch/axios/http.get, new URL/RestTemplate/HttpClient, http.Get/NewRequest, Net::HTTP/URI.open, curl_init, HttpClient.GetAsync with no allow-list in the function.',
  matchers: {
    python: [
      ssrfSink(['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'request', 'urlopen', 'Request', 'stream', 'urlretrieve'], (c) => /^(?:requests|httpx|urllib\.request|urllib2|urllib|session|client|s|http|aiohttp|self\.session)\.\w+$|^(?:urlopen|urlretrieve|Request)$/.test(c.callee), (c) => (c.name === 'request' ? c.args[1] : c.args[0]) ?? kw(c, 'url'), /(?:^|[^\w$.\])])\s*$|\b(?:requests|httpx|urllib\.request|urllib2|urllib|session|client|s|http|aiohttp|self\.session)\s*\.\s*$/),
    ],
    javascript: [
      ssrfSink(['fetch', 'axios', 'got', 'request', 'needle', 'get', 'post', 'put', 'delete', 'head', 'patch'], (c) => /^(?:fetch|axios|got|request|needle|superagent|nodeFetch)$/.test(c.callee) || /^(?:axios|got|http|https|request|superagent|needle|ky)\.\w+$/.test(c.callee), (c) => c.args[0], /(?:^|[^\w$.\])])\s*$|\b(?:axios|got|http|https|request|superagent|needle|ky)\s*\.\s*$/),
      jsUrlTemplate,
    ],
    java: [
      ssrfSink(['URL', 'HttpGet', 'HttpPost', 'HttpPut', 'HttpDelete', 'HttpHead'], (c) => c.isNew),
      // Raw sockets to a host the request names (port scanning, internal services).
      ssrfSink(['Socket', 'InetSocketAddress'], (c) => c.isNew && c.args.length >= 2),
      // URI.create only parses: the request is made by the client call that receives it.
      ssrfSink(['getForObject', 'getForEntity', 'postForObject', 'postForEntity', 'exchange', 'execute', 'connect', 'uri'], (c) => /restTemplate|RestTemplate|Jsoup|webClient|WebClient|template/.test(c.receiver?.text ?? '') || /\.uri$/.test(c.callee)),
      // Any receiver declared as an HTTP client type (`private final RestTemplate rest`), and OkHttp `new Request.Builder().url(u)`.
      ssrfSink(['getForObject', 'getForEntity', 'postForObject', 'postForEntity', 'exchange', 'url'], (c, ctx) => (c.name === 'url' ? /Builder\(\)$/.test(c.receiver?.text ?? '') : !!c.receiver && /^\w+$/.test(c.receiver.text) && ctx.fileHas(new RegExp(`\\b(?:RestTemplate|RestOperations|WebClient|RestClient|TestRestTemplate)\\s+${c.receiver.text}\\b`)))),
    ],
    go: [
      ssrfSink(['Get', 'Post', 'Head', 'PostForm', 'NewRequest', 'NewRequestWithContext'], (c) => /^(?:http|client|httpClient|c\.client|s\.client)\.\w+$/.test(c.callee), (c) => (c.name === 'NewRequest' ? c.args[1] : c.name === 'NewRequestWithContext' ? c.args[2] : c.args[0])),
      ...goUrlBuilders,
    ],
    ruby: [
      ssrfSink(['get', 'get_response', 'post', 'open', 'new', 'start'], (c) => /^(?:Net::HTTP|URI|HTTParty|Faraday|RestClient|Excon|HTTP|OpenURI)$/.test(c.receiver?.text ?? '') && !(c.receiver?.text === 'URI' && c.name !== 'open')),
      // URI(...) / URI.parse only parse: the request is made by the client call that receives the URI.
    ],
    php: [
      ssrfSink(['curl_init', 'fsockopen', 'get_headers'], (c) => !c.receiver),
      // PHP stream wrappers: file_get_contents/fopen/readfile fetch any http(s):// URL they are given.
      ssrfSink(['file_get_contents', 'fopen', 'readfile', 'file'], (c) => !c.receiver && PHP_URL_ARG.test(c.args[0]?.text ?? '')),
      ssrfSink(['curl_setopt'], (c) => /CURLOPT_URL$/.test(c.args[1]?.text ?? ''), (c) => c.args[2]),
    ],
    c: [
      ssrfSink(['curl_easy_setopt'], (c) => /CURLOPT_URL$/.test(c.args[1]?.text ?? ''), (c) => c.args[2]),
      {
        // `snprintf(url, n, "https://%s.%s", sub, domain)` / `sprintf(full_url, "%s/%s", base, id)`.
        kind: 'call',
        names: ['snprintf', 'sprintf', 'asprintf', '_snprintf', 'g_strdup_printf'],
        check: (c, ctx) => {
          const i = c.name === 'g_strdup_printf' ? 0 : /snprintf$/.test(c.name) ? 2 : 1;
          const fmt = c.args[i]?.text ?? '';
          if ((fmt.match(/%s/g) ?? []).length < 2) return undefined;
          const urlish = /^"https?:\/\/%s/i.test(fmt) || (i > 0 && C_URL_NAME.test(c.args[0]?.text ?? '') && /^"%s[/?#]/.test(fmt));
          return urlish ? cUrlPieces(c.args.slice(i + 1), ctx, c.name) : undefined;
        },
      },
      {
        // C++: `"https://" + sub + "." + domain`, `api_url + "/" + user_id` (std::string).
        kind: 'node',
        trigger: /"https?:\/\/"\s*\+|(?:url|uri|endpoint)\w*\s*\+\s*"[/?]/i,
        types: ['binary_expression'],
        check: (m, ctx) => {
          // The anchor lands on the innermost `a + b`; the URL is the whole chain.
          let n = m;
          while (n.parent?.type === 'binary_expression') n = n.parent;
          const parts: Node[] = [];
          const flatten = (x: Node): void => {
            if (x.type === 'binary_expression' && x.childForFieldName('operator')?.text === '+') {
              const l = x.childForFieldName('left');
              const r = x.childForFieldName('right');
              if (l) flatten(l);
              if (r) flatten(r);
            } else parts.push(x);
          };
          flatten(n);
          const holes = parts.filter((p) => p.type !== 'string_literal');
          if (holes.length < 2 || parts.length < 3) return undefined;
          const first = parts[0];
          const urlish = (first.type === 'string_literal' && /^"https?:\/\/"$/i.test(first.text)) || (C_URL_NAME.test(first.text) && parts[1].type === 'string_literal' && /^"[/?]/.test(parts[1].text));
          return urlish ? cUrlPieces(holes, ctx, 'URL concatenation') : undefined;
        },
      },
    ],
    csharp: [
      ssrfSink(['GetAsync', 'GetStringAsync', 'GetByteArrayAsync', 'GetStreamAsync', 'PostAsync', 'SendAsync', 'Create', 'DownloadString', 'DownloadData', 'OpenRead'], (c) => /client|Client|WebRequest|HttpWebRequest/.test(c.receiver?.text ?? '')),
    ],
  },
});

// ------------------------------------------------------------------ open redirect

const REDIRECT_GUARD = /url_has_allowed_host_and_scheme|is_safe_url|isSafeUrl|is_safe_redirect|allowed_hosts|ALLOWED_HOSTS|allow(?:ed)?_?(?:list|hosts|domains|redirects)|whitelist|startswith\(\s*["']\/["']\)|startsWith\(\s*["']\/["']\)|HasPrefix\([^)]*"\/"\)|\.netloc|\.hostname|\.host\b|\.Host\b|getHost\(\)|Url\.IsLocalUrl|IsLocalUrl|LocalRedirect/;

/**
 * Go: an exported field of a record a lookup call returned (`u, err := store.ByID(ctx, id)` then
 * `u.OriginalURL`): stored data, not the request key the lookup was made with.
 */
function storedField(n: Node | undefined): boolean {
  const m = /^([a-z]\w*)\.[A-Z]\w*$/.exec(n?.text ?? '');
  if (!m || !n) return false;
  let fn: Node | null = n.parent;
  while (fn && fn.type !== 'function_declaration' && fn.type !== 'method_declaration' && fn.type !== 'func_literal') fn = fn.parent;
  return !!fn && new RegExp(`\\b${m[1]}\\s*(?:,\\s*\\w+\\s*)?:?=\\s*[\\w.]+\\.(?:Get|Find|Load|Lookup|Fetch|By|Read|Query|First|Select)\\w*\\(`).test(fn.text);
}

const redirectSink = (names: string[], test: (c: CallSite) => boolean, idx: (c: CallSite) => Node | undefined = (c) => c.args[0]): Matcher => ({
  kind: 'call',
  names,
  check: (c, ctx) => (test(c) ? tainted(ctx, idx(c), San.Url, c.callee, REDIRECT_GUARD) : undefined),
});

export const openRedirect = defineRule({
  id: 'open-redirect',
  name: 'Redirect to an untrusted URL',
  cwe: 'CWE-601',
  severity: 'medium',
  pattern: 22,
  message: 'The redirect target comes from untrusted input (open redirect): phishing links can bounce through your domain',
  why: 'OpenSSF AI code assistant guide: check inputs for expected format; redirect only to relative paths or allow-listed hosts.',
  description: 'Request-derived URLs passed to redirect()/HttpResponseRedirect/res.redirect/sendRedirect/http.Redirect/redirect_to/header("Location: …")/Redirect() without a host allow-list or relative-path check.',
  matchers: {
    python: [redirectSink(['redirect', 'HttpResponseRedirect', 'RedirectResponse', 'HttpResponsePermanentRedirect'], () => true, (c) => c.args[0] ?? kw(c, 'url') ?? kw(c, 'location'))],
    javascript: [
      redirectSink(['redirect'], (c) => /^(?:res|response|reply|ctx)$/.test(c.receiver?.text ?? ''), (c) => c.args[c.args.length - 1]),
      redirectSink(['assign', 'replace'], (c) => /^(?:window\.)?location$/.test(c.receiver?.text ?? '')),
      {
        kind: 'binding', trigger: /location/,
        check: (b, ctx) => (!b.pair && /^(?:window\.|document\.)?location(?:\.href)?$/.test(b.targetText) && b.value ? tainted(ctx, b.value, San.Url, 'location', REDIRECT_GUARD) : undefined),
      },
    ],
    java: [
      redirectSink(['sendRedirect'], () => true),
      // Spring MVC: `new RedirectView(url)`, `new ModelAndView("redirect:" + url)`.
      redirectSink(['RedirectView', 'ModelAndView'], (c) => c.isNew && (c.name === 'RedirectView' || /^"redirect:/.test(c.args[0]?.text ?? ''))),
      {
        // A controller method returning the view name `"redirect:" + url`.
        kind: 'node', trigger: /"redirect:"\s*\+/, types: ['return_statement'],
        check: (n, ctx) => {
          const e = n.namedChildren[0];
          return e && /^"redirect:"\s*\+/.test(e.text) ? tainted(ctx, e, San.Url, 'Spring "redirect:" view', REDIRECT_GUARD) : undefined;
        },
      },
    ],
    go: [redirectSink(['Redirect'], (c) => /^http\.Redirect$/.test(c.callee), (c) => (storedField(c.args[2]) ? undefined : c.args[2])), redirectSink(['Redirect'], (c) => /^(?:c|ctx)$/.test(c.receiver?.text ?? ''), (c) => (storedField(c.args[1]) ? undefined : c.args[1]))],
    ruby: [redirectSink(['redirect_to', 'redirect'], (c) => !c.receiver)],
    php: [
      {
        kind: 'call',
        names: ['header'],
        check: (c, ctx) => {
          const a = c.args[0];
          if (!a || !/^["']Location:/i.test(a.text.replace(/^\(/, ''))) return undefined;
          return tainted(ctx, a, San.Url, 'header(Location)', REDIRECT_GUARD);
        },
      },
      // Laravel: redirect($url), redirect()->to/away($url), Redirect::to($url).
      redirectSink(['redirect', 'to', 'away'], (c) => (c.name === 'redirect' ? !c.receiver : /^(?:redirect\(\)|Redirect)$/.test(c.receiver?.text ?? ''))),
    ],
    csharp: [redirectSink(['Redirect', 'RedirectPermanent'], (c) => !c.receiver || /Response$/.test(c.receiver.text))],
  },
});

// ------------------------------------------------------------------ header injection

const HEADER_GUARD = /\\r|\\n|CRLF|replace\(\s*["'`]\\n|strip\(\)|splitlines/;

/** C/C++ CR/LF handling: a test against '\r'/'\n', a "\r\n" search, iscntrl, or a sanitising helper. */
const C_HEADER_GUARD = /'\\[rn]'|"[^"\n]*\\[rn][^"\n]*"\s*\)|\biscntrl\s*\(|\w*(?:sanitiz|escape|valid)\w*\s*\(/i;

/**
 * A header value that is a string parameter of this function, or a local copied from one
 * (`std::string v = content;`, `strncpy(v, content, n)`), or a proven untrusted source, with no
 * CR/LF handling in the (comment-free) function.
 */
function cHeaderValue(n: Node | undefined, ctx: RuleContext, sink: string): Hit | undefined {
  if (!n) return undefined;
  const code = cCode(ctx.functionText());
  if (C_HEADER_GUARD.test(code)) return undefined;
  const v = ctx.val(n);
  const t = v.c ? undefined : taintFor(v, San.Header);
  if (t) return { taint: t, sink, node: n, severity: 'high' };
  // (The text decides below: `buf[n - 1] = 0` after a copy reads as a constant write of buf.)
  const sig = signatureText(ctx);
  const params = new Set([...sig.matchAll(/(?:char\s*\*\s*|string\s*&?\s*|string_view\s+)(?:const\s+)?([A-Za-z_]\w*)\s*[,)]/g)].map((m) => m[1]));
  const name = cComponentName(n);
  if (!name || !params.size) return undefined;
  const copiedFrom = (local: string): string | undefined => {
    const m = new RegExp(`\\b${local}\\s*(?:=|\\(|\\{)\\s*([A-Za-z_]\\w*)\\s*[;)}]|\\b(?:strn?cpy|strlcpy|memcpy)\\s*\\(\\s*${local}\\s*,\\s*([A-Za-z_]\\w*)\\s*[,)]`).exec(code);
    return m?.[1] ?? m?.[2];
  };
  const from = params.has(name) ? name : copiedFrom(name);
  if (!from || !params.has(from) || cOnlyConstantCallers(ctx)) return undefined;
  return { node: n, sink, severity: 'low', message: `The header value comes from the parameter \`${from}\` with no CR/LF check: a value containing "\\r\\n" adds headers or splits the response; reject or strip CR and LF` };
}

export const headerInjection = defineRule({
  id: 'header-injection',
  name: 'Untrusted data in an HTTP header',
  cwe: 'CWE-113',
  severity: 'medium',
  pattern: 0,
  message: 'An HTTP response header is set from untrusted input; CR/LF in it can split the response or inject headers',
  why: 'OpenSSF AI code assistant guide: check inputs for expected format and length before use; strip CR/LF from header values.',
  description: 'Request-derived values passed to setHeader/addHeader/headers[...]=/Header().Set with no CR/LF removal in the function.',
  matchers: {
    python: [
      { kind: 'binding', trigger: /headers\[/, check: (b, ctx) => (!b.pair && /\.headers\[/.test(b.targetText) && b.value ? tainted(ctx, b.value, San.Header, 'response header', HEADER_GUARD) : undefined) },
      { kind: 'call', names: ['add_header', 'set_header'], check: (c, ctx) => tainted(ctx, c.args[1], San.Header, c.callee, HEADER_GUARD) },
    ],
    javascript: [
      { kind: 'call', names: ['setHeader', 'set', 'header', 'append'], check: (c, ctx) => (/^(?:res|response|reply|ctx)$/.test(c.receiver?.text ?? '') ? tainted(ctx, c.args[1], San.Header, c.callee, HEADER_GUARD) : undefined) },
      {
        // A helper that stores its parameter into a header map (`headers[name] = value`) with no
        // CR/LF check: a value containing "\r\n" splits the response.
        kind: 'binding',
        trigger: /\b[hH]eaders?\s*\[/,
        check: (b, ctx) => {
          if (b.pair || !b.value || b.value.type !== 'identifier' || !/^(?:[\w$]+\.)*[hH]eaders?\[/.test(b.targetText)) return undefined;
          const fn = ctx.functionNode();
          const params = fn?.childForFieldName('parameters')?.text ?? '';
          if (!new RegExp(`(?<![\\w$.])${b.value.text.replace(/\$/g, '\\$')}(?![\\w$])`).test(params) || HEADER_GUARD.test(ctx.functionText().replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')) || ctx.val(b.value).c) return undefined;
          return { node: b.value, severity: 'low', message: `Parameter \`${b.value.text}\` is stored as a header value with no CR/LF check: a value containing "\\r\\n" injects headers or splits the response` };
        },
      },
    ],
    java: [{ kind: 'call', names: ['setHeader', 'addHeader'], check: (c, ctx) => (/response|resp|res/i.test(c.receiver?.text ?? '') ? tainted(ctx, c.args[1], San.Header, c.callee, HEADER_GUARD) : undefined) }],
    go: [
      {
        kind: 'call',
        names: ['Set', 'Add'],
        check: (c, ctx) => {
          const h = /Header\(\)$/.test(c.receiver?.text ?? '') ? tainted(ctx, c.args[1], San.Header, c.callee, HEADER_GUARD) : undefined;
          // The request value itself (or a variable assigned from it), not headers copied from a response it led to.
          return h?.taint && c.args[1] && goReadsSource(c.args[1], h.taint.label, ctx) ? h : undefined;
        },
      },
      {
        // `header[key] = value` on a header map the code builds itself (net/http's writer folds
        // CR/LF, a hand-made map passed on may not): request data, or the function's own string
        // parameter (low) with no CR/LF removal.
        kind: 'binding', trigger: /[hH]eaders?(?:\(\))?\s*\[/,
        check: (b, ctx) => {
          if (b.pair || b.loop || !b.value || !/(?:^|\.)\w*[hH]eaders?(?:\(\))?\s*\[/.test(b.targetText)) return undefined;
          const h = tainted(ctx, b.value, San.Header, 'header map', HEADER_GUARD);
          if (h) return h;
          const name = /^[A-Za-z_]\w*$/.test(b.value.text) ? b.value.text : '';
          // (A strict pattern the value must match is a check too.)
          if (!name || HEADER_GUARD.test(ctx.functionText()) || new RegExp(`\\.MatchString\\(\\s*${name}\\s*\\)`).test(ctx.functionText()) || ctx.val(b.value).c) return undefined;
          if (!new RegExp(`(?<![\\w.])${name}(?:\\s*,\\s*\\w+)*\\s+string\\b`).test(signatureText(ctx))) return undefined;
          return { node: b.value, sink: 'header map', severity: 'low', message: `The parameter \`${name}\` is stored as a header value with no CR/LF removal: a value containing "\\r\\n" injects headers (response splitting); strip or reject CR and LF` };
        },
      },
    ],
    php: [{ kind: 'call', names: ['header'], check: (c, ctx) => (c.args[0] && !/^["']Location:/i.test(c.args[0].text) ? tainted(ctx, c.args[0], San.Header, 'header()', HEADER_GUARD) : undefined) }],
    csharp: [{ kind: 'call', names: ['Add', 'Append', 'AppendHeader', 'AddHeader'], check: (c, ctx) => (/Headers$|Response$/.test(c.receiver?.text ?? '') ? tainted(ctx, c.args[1], San.Header, c.callee, HEADER_GUARD) : undefined) }],
    ruby: [{ kind: 'binding', trigger: /headers\[/, check: (b, ctx) => (!b.pair && /headers\[/.test(b.targetText) && b.value ? tainted(ctx, b.value, San.Header, 'response header', HEADER_GUARD) : undefined) }],
    c: [
      // libmicrohttpd, cpp-httplib / Crow (`res.set_header(k, v)`), a libcurl header list.
      { kind: 'call', names: ['MHD_add_response_header', 'set_header', 'add_header', 'curl_slist_append'], check: (c, ctx) => cHeaderValue(c.args[c.name === 'MHD_add_response_header' ? 2 : 1], ctx, c.callee) },
      {
        // `headers[name] = value` on a header map (std::map / unordered_map).
        kind: 'binding', trigger: /headers?\s*\[.*\]\s*=[^=]/i,
        check: (b, ctx) => (!b.pair && /^(?:\w+(?:\.|->))?(?:resp(?:onse)?_?)?headers?\s*\[/i.test(b.targetText) && b.value ? cHeaderValue(b.value, ctx, 'response header') : undefined),
      },
      {
        // C header records: `strncpy(hdr->entries[i].value, content, n)` into a header-named destination.
        kind: 'call', names: ['strcpy', 'strncpy', 'strlcpy', 'snprintf', 'sprintf', 'memcpy'],
        check: (c, ctx) => (/header/i.test(c.args[0]?.text ?? '') && /(?:value|val|content)\b/i.test(c.args[0]?.text ?? '') ? cHeaderValue(c.args[/printf$/.test(c.name) ? c.args.length - 1 : 1], ctx, c.name) : undefined),
      },
    ],
  },
});

