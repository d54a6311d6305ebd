import * as assert from 'node:assert/strict';
import { createScanner, type Finding, type Scanner } from '../../../../src/core/scanning/index';

/** Flow across functions of one file: parameters take their callers' arguments, helpers their returns. */
describe('scanning data flow across functions', () => {
  let scanner: Scanner;
  before(() => {
    scanner = createScanner();
  });
  after(() => scanner.dispose());

  const scan = async (code: string, lang: string): Promise<Finding[]> => (await scanner.scan(code, lang)).findings;
  const only = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

  it('a request value passed to a helper reaches the sink inside it (Python, Flask)', async () => {
    const code = [
      'from flask import request',
      'def find_user(name):',
      '    cursor.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
      '',
      '@app.route("/u")',
      'def view():',
      '    return find_user(request.args.get("name"))',
      '',
    ].join('\n');
    const [f] = only(await scan(code, 'python'), 'sql-injection');
    assert.ok(f, 'expected a finding');
    assert.equal(f.severity, 'high');
    assert.match(f.flow?.source ?? '', /request\.args\.get\("name"\).*via find_user\(\) at line 7/);
    assert.equal(f.flow?.sourceRange.startLine, 6);
  });

  it('maps arguments to parameters by position, keyword and Python self', async () => {
    const code = [
      'from flask import request',
      'class Repo:',
      '    def run(self, table, where):',
      '        os.system("psql -c " + where)',
      '',
      '@app.route("/a")',
      'def a():',
      '    Repo().run("t", request.args["w"])',
      '',
    ].join('\n');
    assert.equal(only(await scan(code, 'python'), 'command-injection').filter((f) => f.severity === 'high').length, 1);
    // The tainted argument feeds the other parameter: no proven flow into the sink.
    const other = code.replace('Repo().run("t", request.args["w"])', 'Repo().run(request.args["w"], "x")');
    assert.deepEqual(only(await scan(other, 'python'), 'command-injection').filter((f) => f.severity === 'high'), []);
    const byKeyword = code.replace('Repo().run("t", request.args["w"])', 'Repo().run(where=request.args["w"], table="t")');
    assert.equal(only(await scan(byKeyword, 'python'), 'command-injection').filter((f) => f.severity === 'high').length, 1);
  });

  it('follows Express handlers into local helpers (JavaScript)', async () => {
    const code = [
      "const { exec } = require('child_process');",
      'function listDir(dir) {',
      "  exec('ls ' + dir, (err, out) => console.log(out));",
      '}',
      "app.get('/ls', (req, res) => {",
      '  listDir(req.query.dir);',
      "  res.send('ok');",
      '});',
    ].join('\n');
    const [f] = only(await scan(code, 'javascript'), 'command-injection');
    assert.ok(f, 'expected a finding');
    assert.match(f.flow?.source ?? '', /req\.query\.dir.*via listDir\(\)/);
  });

  it('follows Go handlers and Java servlets into helpers', async () => {
    const go = [
      'package main',
      'func lookup(db *sql.DB, id string) {',
      '\tdb.Query(fmt.Sprintf("SELECT * FROM t WHERE id = %s", id))',
      '}',
      'func handler(w http.ResponseWriter, r *http.Request) {',
      '\tlookup(db, r.URL.Query().Get("id"))',
      '}',
    ].join('\n');
    assert.equal(only(await scan(go, 'go'), 'sql-injection').filter((f) => f.severity === 'high').length, 1);
    const java = [
      'class S extends HttpServlet {',
      '  private void run(String cmd) throws Exception {',
      '    Runtime.getRuntime().exec("sh -c " + cmd);',
      '  }',
      '  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {',
      '    run(req.getParameter("c"));',
      '  }',
      '}',
    ].join('\n');
    assert.equal(only(await scan(java, 'java'), 'command-injection').filter((f) => f.severity === 'high').length, 1);
  });

  it('a helper that reads a source taints what it returns', async () => {
    const code = ['def get_name():', '    return input("name? ")', '', 'def main():', '    os.system("echo " + get_name())', ''].join('\n');
    const [f] = only(await scan(code, 'python'), 'command-injection');
    assert.ok(f, 'expected a finding');
    assert.equal(f.severity, 'high');
    assert.match(f.flow?.source ?? '', /input/);
  });

  it('a helper that escapes on every return sanitises; one that does not, does not', async () => {
    const escaped = [
      "const escapeHtml = require('escape-html');",
      'function clean(s) { return escapeHtml(s); }',
      "app.get('/', (req, res) => { res.send('<p>' + clean(req.query.q) + '</p>'); });",
    ].join('\n');
    assert.deepEqual(only(await scan(escaped, 'javascript'), 'xss'), []);
    const trimmed = escaped.replace('return escapeHtml(s);', 'return s.trim();');
    assert.equal(only(await scan(trimmed, 'javascript'), 'xss').length, 1);
  });

  it('a helper that only returns constants makes the result constant', async () => {
    const code = ['def table():', '    return "users"', '', 'def q(cursor):', '    cursor.execute("SELECT * FROM " + table())', ''].join('\n');
    assert.deepEqual(only(await scan(code, 'python'), 'sql-injection'), []);
    const dynamic = code.replace('return "users"', 'return os.environ["T"] + input()');
    assert.equal(only(await scan(dynamic, 'python'), 'sql-injection').length, 1);
  });

  it('does not treat a CLI harness handing argv to a function as remote input', async () => {
    const code = [
      "const fs = require('fs');",
      'function show(p) { return fs.readFileSync(p, "utf8"); }',
      'if (require.main === module) { console.log(show(process.argv[2])); }',
    ].join('\n');
    assert.deepEqual(only(await scan(code, 'javascript'), 'path-traversal').filter((f) => f.severity === 'high'), []);
  });

  it('terminates on mutual recursion and self-recursion', async () => {
    const code = [
      'from flask import request',
      'def a(x):',
      '    return b(x)',
      'def b(y):',
      '    os.system("echo " + a(y))',
      '    return b(y)',
      '@app.route("/r")',
      'def r():',
      '    a(request.args["x"])',
      '',
    ].join('\n');
    const res = await scanner.scan(code, 'python');
    assert.equal(res.truncated, false);
    assert.ok(only(res.findings, 'command-injection').length >= 1);
  });

  it('a validator that stops the request guards the URL or path after it', async () => {
    const head = ['import requests', 'from flask import request, abort', 'def _resolve_public(u):', '    if urlparse(u).hostname in BLOCKED:', '        raise ValueError("blocked")', ''];
    const route = (body: string[]) => [...head, '@app.route("/f")', 'def f():', '    url = request.args["u"]', ...body, '    return requests.get(url).text', ''].join('\n');
    const ssrf = async (code: string) => only(await scan(code, 'python'), 'ssrf').length;
    assert.equal(await ssrf(route(['    _resolve_public(url)'])), 0, 'same-file helper that raises');
    assert.equal(await ssrf(route(['    validate_url(url)'])), 0, 'validator by name');
    assert.equal(await ssrf(route(['    if not is_allowed_host(url):', '        abort(400)'])), 0, 'if-guard with a validator predicate');
    // Not validators: an existence check, a logging helper, a validator called after the sink.
    assert.equal(await ssrf(route(['    if not os.path.exists(url):', '        abort(404)'])), 1);
    assert.equal(await ssrf(route(['    log_url(url)'])), 1);
    assert.equal(await ssrf([...head, '@app.route("/f")', 'def f():', '    url = request.args["u"]', '    t = requests.get(url).text', '    validate_url(url)', '    return t', ''].join('\n')), 1);
  });

  it('a local helper that resolves a path and checks its prefix is a containment check', async () => {
    const code = [
      "const path = require('path');",
      "const ROOT = path.join(__dirname, 'files');",
      'function inRoot(name) {',
      '  const p = path.resolve(ROOT, String(name));',
      '  if (!p.startsWith(ROOT + path.sep)) return null;',
      '  return p;',
      '}',
      "app.get('/f', (req, res) => { const p = inRoot(req.query.n); if (!p) return res.sendStatus(404); res.sendFile(p); });",
    ].join('\n');
    assert.deepEqual(only(await scan(code, 'javascript'), 'path-traversal'), []);
    const unchecked = code.replace('  if (!p.startsWith(ROOT + path.sep)) return null;\n', '');
    assert.equal(only(await scan(unchecked, 'javascript'), 'path-traversal').length, 1);
  });

  it('helpers named for making a value safe guard redirects; other helpers do not', async () => {
    const code = (fn: string, body = "if (typeof v !== 'string' || v.length > 200) return '/'; return v;") =>
      [`function ${fn}(v) { ${body} }`, `app.post('/login', (req, res) => { res.redirect(${fn}(req.query.next)); });`].join('\n');
    assert.deepEqual(only(await scan(code('safeReturnPath'), 'javascript'), 'open-redirect'), []);
    assert.equal(only(await scan(code('returnPath'), 'javascript'), 'open-redirect').length, 1);
    // Whatever its name, a helper that lets through only local paths ("/x", not "//host") is the check.
    assert.deepEqual(only(await scan(code('returnPath', "if (!v.startsWith('/') || v.startsWith('//')) return '/'; return v;"), 'javascript'), 'open-redirect'), []);
  });

  it('what a network fetch returns is the response, not the request data in its URL', async () => {
    const code = [
      "app.get('/p', async (req, res) => {",
      '  const upstream = await fetch(req.query.url);',
      "  const type = upstream.headers.get('content-type');",
      "  res.setHeader('Content-Type', type);",
      "  res.setHeader('X-Source', req.query.url);",
      '});',
    ].join('\n');
    const headers = only(await scan(code, 'javascript'), 'header-injection');
    assert.deepEqual(headers.map((f) => f.range.startLine), [4]);
  });

  it('a binding in a branch the use is not in does not hide the value before it', async () => {
    const code = (body: string) =>
      ['package m', 'func cb(w http.ResponseWriter, r *http.Request) {', '\tnext := r.URL.Query().Get("next")', body, '\thttp.Redirect(w, r, next, http.StatusFound)', '}'].join('\n');
    assert.equal(only(await scan(code('\tif next == "" {\n\t\tnext = "/app"\n\t}'), 'go'), 'open-redirect').length, 1);
    // Reassigned unconditionally: the constant is what reaches the redirect.
    assert.deepEqual(only(await scan(code('\tnext = "/app"'), 'go'), 'open-redirect'), []);
  });

  it('a negated validator anywhere in an if condition that leaves the function guards the value', async () => {
    const code = (cond: string) =>
      ['from flask import request, abort', '@app.route("/f")', 'def f():', '    url = request.args["u"]', `    if ${cond}:`, '        abort(400)', '    return requests.get(url).text', ''].join('\n');
    assert.deepEqual(only(await scan(code('not url.startswith("https://") or not is_public_host(url)'), 'python'), 'ssrf'), []);
    assert.equal(only(await scan(code('not url.startswith("https://") or not has_content(url)'), 'python'), 'ssrf').length, 1);
  });
});
