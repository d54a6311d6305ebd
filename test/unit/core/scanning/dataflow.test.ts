import * as assert from 'node:assert/strict';
import { createScanner, type Finding, type Scanner } from '../../../../src/core/scanning/index';

describe('scanning data flow', () => {
  let scanner: Scanner;
  before(() => {
    scanner = createScanner();
  });
  after(() => scanner.dispose());

  const scan = async (code: string, lang: string): Promise<Finding[]> => (await scanner.scan(code, lang)).findings;
  const only = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

  it('reports which source reached which sink, with the source range', async () => {
    const code = ['from flask import request', 'def view():', '    q = request.args.get("q")', '    sql = "SELECT * FROM t WHERE name = \'" + q + "\'"', '    cursor.execute(sql)', ''].join('\n');
    const [f] = only(await scan(code, 'python'), 'sql-injection');
    assert.ok(f, 'expected a finding');
    assert.ok(f.flow, 'expected a flow');
    assert.match(f.flow!.source, /request\.args\.get\("q"\)/);
    assert.equal(f.flow!.sourceRange.startLine, 2);
    assert.equal(f.flow!.sink, 'cursor.execute');
    assert.equal(f.range.startLine, 4);
    assert.equal(f.severity, 'high');
  });

  it('follows augmented assignment, f-strings, format, join and % formatting', async () => {
    const cases = [
      `def v():\n    n = input()\n    cmd = "ls "\n    cmd += n\n    os.system(cmd)\n`,
      `def v():\n    n = input()\n    os.system(f"ls {n}")\n`,
      `def v():\n    n = input()\n    os.system("ls {}".format(n))\n`,
      `def v():\n    n = input()\n    os.system(" ".join(["ls", n]))\n`,
      `def v():\n    n = input()\n    os.system("ls %s" % n)\n`,
      `def v():\n    a = input()\n    b = a.strip()\n    c = b\n    os.system("ls " + c)\n`,
    ];
    for (const c of cases) {
      const f = only(await scan(c, 'python'), 'command-injection');
      assert.equal(f.length, 1, c);
      assert.match(f[0].flow?.source ?? '', /input\(\)/, c);
    }
  });

  it('a sanitizer breaks the flow (shell quoting, int(), basename, escaping)', async () => {
    const safe: Array<[string, string, string]> = [
      ['python', `import shlex\ndef v():\n    n = input()\n    os.system("ls " + shlex.quote(n))\n`, 'command-injection'],
      ['python', `def v():\n    n = int(request.args["id"])\n    cursor.execute(f"SELECT * FROM t WHERE id = {n}")\n`, 'sql-injection'],
      ['python', `from flask import request\n@app.route("/f")\ndef f():\n    name = os.path.basename(request.args["n"])\n    return open(os.path.join("/srv", name)).read()\n`, 'path-traversal'],
      ['javascript', `app.get('/', (req, res) => { res.send("<p>" + escapeHtml(req.query.q) + "</p>"); });`, 'xss'],
    ];
    for (const [lang, code, rule] of safe) assert.deepEqual(only(await scan(code, lang), rule), [], code);
  });

  it('an allow-list or equality guard on the untrusted value breaks a SQL flow (barrier guard)', async () => {
    const guarded = `def index\n  dir = params[:order]\n  if %w(ASC DESC).include?(dir)\n    User.order("name #{dir}")\n  end\nend`;
    const open = `def index\n  dir = params[:order]\n  User.order("name #{dir}")\nend`;
    assert.equal(only(await scan(guarded, 'ruby'), 'sql-injection').length, 0);
    assert.equal(only(await scan(open, 'ruby'), 'sql-injection').length, 1);
  });

  it('parameterized queries are not findings even with untrusted values', async () => {
    const code = `from flask import request\ndef v():\n    q = request.args["q"]\n    cursor.execute("SELECT * FROM t WHERE name = %s", (q,))\n    cursor.execute("SELECT * FROM t WHERE name = ?", [q])\n`;
    assert.deepEqual(only(await scan(code, 'python'), 'sql-injection'), []);
  });

  it('method calls on data stay data (receivers are not treated as constants)', async () => {
    const code = `def v(user):\n    cursor.execute("SELECT * FROM t WHERE n = '" + user.name.strip() + "'")\n`;
    assert.equal(only(await scan(code, 'python'), 'sql-injection').length, 1);
    const js = 'function f(emails) { const list = emails.map((x) => x).toString(); return pool.query(`SELECT * FROM t WHERE e IN (${list})`); }';
    assert.equal(only(await scan(js, 'javascript'), 'sql-injection').length, 1);
  });

  it('constant-only inputs are not findings', async () => {
    const code = `def v():\n    table = "users"\n    col = "name"\n    cursor.execute("SELECT " + col + " FROM " + table)\n    os.system("ls " + table)\n    eval("1" + "2")\n`;
    const fs = await scan(code, 'python');
    assert.deepEqual(fs.map((f) => f.ruleId), []);
  });

  it('without a source, a value built here is medium and a pass-through parameter is low', async () => {
    const built = only(await scan(`def v(host):\n    os.system("ping " + host)\n`, 'python'), 'command-injection');
    const passthrough = only(await scan(`def v(cmd):\n    os.system(cmd)\n`, 'python'), 'command-injection');
    assert.equal(built[0]?.severity, 'medium');
    assert.equal(passthrough[0]?.severity, 'low');
    assert.equal(built[0]?.flow, undefined);
  });

  it('treats LLM output as untrusted and says so', async () => {
    const code = `from openai import OpenAI\nclient = OpenAI()\nr = client.chat.completions.create(model="gpt-4o", messages=msgs)\nanswer = r.choices[0].message.content\nexec(answer)\n`;
    const [f] = only(await scan(code, 'python'), 'code-injection');
    assert.ok(f);
    assert.equal(f.severity, 'high');
    assert.match(f.message, /LLM output/);
    const anthropic = `msg = client.messages.create(model="claude", max_tokens=100, messages=m)\nsql = msg.content[0].text\ncursor.execute(sql + " LIMIT 1")\n`;
    // Model output that IS the SQL is still SQL built from untrusted text.
    const g = only(await scan(anthropic.replace('sql + " LIMIT 1"', '"SELECT * FROM t WHERE a = \'" + sql + "\'"'), 'python'), 'sql-injection');
    assert.equal(g.length, 1);
    // Text-to-SQL: the whole query is model output.
    const t2s = `resp = client.chat.completions.create(model="m", messages=m)\ncursor.execute(resp.choices[0].message.content)\n`;
    assert.equal(only(await scan(t2s, 'python'), 'sql-injection')[0]?.severity, 'high');
    const chain = `out = chain.invoke({"q": q})\nsubprocess.run(out, shell=True)\n`;
    assert.equal(only(await scan(chain, 'python'), 'command-injection')[0]?.severity, 'high');
  });

  it('route parameters (Flask/FastAPI decorators, Spring annotations) are request data', async () => {
    const flask = `@app.route("/u/<name>")\ndef u(name):\n    return redirect(name)\n`;
    assert.equal(only(await scan(flask, 'python'), 'open-redirect').length, 1);
    const spring = `class C { void f(@RequestParam String file) throws Exception { new FileInputStream(file); } }`;
    assert.equal(only(await scan(spring, 'java'), 'path-traversal').length, 1);
    const hello = `@app.route("/hello/<username>")\ndef hello(username):\n    return "Hello %s" % username\n`;
    assert.equal(only(await scan(hello, 'python'), 'xss').length, 1);
    const plain = `def u(name):\n    return redirect(name)\n`;
    assert.equal(only(await scan(plain, 'python'), 'open-redirect').length, 0);
  });

  it('scopes are per function: a tainted name in one function does not leak into another', async () => {
    const code = `def a():\n    x = input()\n    return x\ndef b():\n    x = "ls"\n    os.system(x)\n`;
    assert.deepEqual(only(await scan(code, 'python'), 'command-injection'), []);
  });

  it('flows through Express, Gin/net/http, Servlet, PHP and Ruby sources', async () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['javascript', `app.get('/', (req, res) => { const { dir } = req.query; exec('ls ' + dir); }); const { exec } = require('child_process');`, 'command-injection', /req\.query/],
      ['go', `package m\nfunc h(c *gin.Context) { id := c.Query("id"); db.Exec("DELETE FROM t WHERE id = '" + id + "'") }`, 'sql-injection', /c\.Query/],
      ['java', `class A { void f(HttpServletRequest req) throws Exception { String u = req.getParameter("u"); response.sendRedirect(u); } }`, 'open-redirect', /getParameter/],
      ['php', `<?php $f = $_GET['f']; readfile("/srv/" . $f);`, 'path-traversal', /\$_GET/],
      ['ruby', `def show\n  f = params[:f]\n  File.read(f)\nend`, 'path-traversal', /params/],
    ];
    for (const [lang, code, rule, src] of cases) {
      const [f] = only(await scan(code, lang), rule);
      assert.ok(f, `${lang}: expected ${rule}`);
      assert.match(f.flow?.source ?? '', src, lang);
    }
  });
});
