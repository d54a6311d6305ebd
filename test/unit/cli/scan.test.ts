import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { main } from '../../../src/cli/main';

const VULN = 'import os\n\ndef run(p):\n    os.system("ls " + p)\n';
const CLEAN = 'def add(a, b):\n    return a + b\n';

function capture(cwd: string) {
  const c = { out: '', err: '', io: { out: (t: string) => void (c.out += t), err: (t: string) => void (c.err += t), cwd } };
  return c;
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tl-scan-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function scanJson(dir: string, args: string[]) {
  const c = capture(dir);
  const code = await main(['scan', ...args, '--format', 'json'], c.io);
  return { code, json: JSON.parse(c.out), err: c.err };
}

describe('trustlens scan', function () {
  this.timeout(60000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const mk = (files: Record<string, string>) => {
    const d = tree(files);
    dirs.push(d);
    return d;
  };

  it('walks folders outside git honouring .gitignore and skipping dependencies and venvs', async () => {
    const dir = mk({
      '.gitignore': 'ignored/\n*.gen.py\n!keep.gen.py\n',
      'src/app.py': VULN,
      'src/clean.py': CLEAN,
      'src/x.gen.py': VULN,
      'src/keep.gen.py': VULN,
      'ignored/bad.py': VULN,
      'node_modules/pkg/index.js': 'require("child_process").exec(process.argv[2])\n',
      'env/pyvenv.cfg': 'home = /usr\n',
      'env/lib/bad.py': VULN,
      'notes.txt': 'os.system(x)',
    });
    const { code, json } = await scanJson(dir, ['.', '--fail-on', 'none']);
    assert.equal(code, 0);
    assert.equal(json.summary.filesScanned, 3); // app.py, clean.py, keep.gen.py
    assert.deepEqual(json.files.map((f: { path: string }) => f.path).sort(), ['src/app.py', 'src/keep.gen.py']);
    assert.ok(json.files[0].findings.some((f: { cwe: string }) => f.cwe === 'CWE-78'));
  });

  it('exits 1 when a finding reaches --fail-on, 0 below it', async () => {
    const dir = mk({ 'a.py': VULN });
    assert.equal((await scanJson(dir, ['a.py', '--fail-on', 'low'])).code, 1);
    assert.equal((await scanJson(dir, ['a.py', '--fail-on', 'critical'])).code, 0);
    const clean = mk({ 'b.py': CLEAN });
    assert.equal((await scanJson(clean, ['b.py', '--fail-on', 'info'])).code, 0);
  });

  it('--min-severity drops lower findings from the report', async () => {
    const dir = mk({ 'a.py': VULN });
    const { json } = await scanJson(dir, ['a.py', '--min-severity', 'critical', '--fail-on', 'none']);
    assert.deepEqual(json.files, []);
  });

  it('exits 2 on usage errors and missing paths, naming the problem', async () => {
    const dir = mk({ 'a.py': VULN });
    for (const [args, msg] of [
      [[], /at least one file/],
      [['a.py', '--format', 'xml'], /--format/],
      [['a.py', '--fail-on', 'severe'], /--fail-on/],
      [['a.py', '--bogus'], /bogus/],
      [['missing.py'], /no such file/],
    ] as Array<[string[], RegExp]>) {
      const c = capture(dir);
      assert.equal(await main(['scan', ...args], c.io), 2, args.join(' '));
      assert.match(c.err, msg);
    }
  });

  it('writes SARIF 2.1.0 that validates against the schema, to --output', async () => {
    const dir = mk({ 'src/a.py': VULN });
    const c = capture(dir);
    assert.equal(await main(['scan', 'src', '--format', 'sarif', '--output', 'out.sarif', '--fail-on', 'none'], c.io), 0);
    const text = readFileSync(path.join(dir, 'out.sarif'), 'utf8');
    const log = JSON.parse(text);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const { id, $schema: _d4, ...rest } = schema;
    const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile({ $id: id, ...rest });
    assert.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors?.slice(0, 3)));
    const result = log.runs[0].results.find((r: { properties: { cwe: string } }) => r.properties.cwe === 'CWE-78');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'src/a.py');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 4);
    assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, result.ruleId);
  });

  it('--ai-only keeps findings in AI-attributed lines only (git trailers and marker comments), using git ls-files', async () => {
    const dir = mk({ '.gitignore': 'skip.py\n', 'skip.py': VULN });
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com', GIT_AUTHOR_DATE: '@1700000000 +0000', GIT_COMMITTER_DATE: '@1700000000 +0000', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env });
    git('init', '-q');
    writeFileSync(path.join(dir, 'human.py'), VULN);
    writeFileSync(path.join(dir, 'ai.py'), VULN);
    writeFileSync(path.join(dir, 'marked.py'), 'import os\n\ndef run(p):\n    os.system("ls " + p)  # @ai-generated by Copilot\n');
    git('add', 'human.py', '.gitignore');
    git('commit', '-qm', 'human work');
    git('add', 'ai.py');
    git('commit', '-qm', 'agent work\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    const all = await scanJson(dir, ['.', '--fail-on', 'none']);
    assert.deepEqual(all.json.files.map((f: { path: string }) => f.path).sort(), ['ai.py', 'human.py', 'marked.py']);
    const ai = await scanJson(dir, ['.', '--ai-only', '--fail-on', 'medium']);
    assert.equal(ai.code, 1);
    assert.deepEqual(ai.json.files.map((f: { path: string }) => f.path).sort(), ['ai.py', 'marked.py']);
    const byPath = Object.fromEntries(ai.json.files.map((f: { path: string; findings: Array<{ ai: { source: string; tool: string } }> }) => [f.path, f.findings[0].ai]));
    assert.equal(byPath['ai.py'].source, 'git');
    assert.equal(byPath['ai.py'].tool, 'Claude');
    assert.equal(byPath['marked.py'].source, 'marker');
    const tagged = await scanJson(dir, ['.', '--provenance', '--fail-on', 'none']);
    const ais = Object.fromEntries(tagged.json.files.map((f: { path: string; findings: Array<{ ai?: { source: string } }> }) => [f.path, f.findings[0].ai?.source ?? null]));
    assert.deepEqual(ais, { 'ai.py': 'git', 'human.py': null, 'marked.py': 'marker' });
  });

  it('fails clearly on a corrupt provenance store with --ai-only', async () => {
    const dir = mk({ 'a.py': VULN, '.trustlens/ai-ranges.json': '{"version":1,"files":{"a.py":[{}]}}' });
    const c = capture(dir);
    assert.equal(await main(['scan', 'a.py', '--ai-only'], c.io), 2);
    assert.match(c.err, /PROVENANCE_STORE_INVALID/);
  });
});
