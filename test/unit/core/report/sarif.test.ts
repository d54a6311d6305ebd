import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { buildSarif, type ReportRule } from '../../../../src/core/report/sarif';
import type { Finding } from '../../../../src/core/scanning/finding';

// The OASIS SARIF 2.1.0 schema as shipped in an npm package (no network in tests).
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }) // the schema's language pattern is not valid with the u flag;
  // The schema is draft-04; its only draft-04-only keyword is the root `id`, so it compiles as
  // draft-07 once that is spelled `$id`.
  const { id, $schema: _draft04, ...rest } = schema;
  return ajv.compile({ $id: id, ...rest });
}

const rules: ReportRule[] = [
  { id: 'sql-injection', name: 'SQL built from untrusted data', cwe: 'CWE-89', severity: 'high', description: 'Query text is built from request data.', why: 'Use parameterised queries.' },
  { id: 'weak-hash', name: 'Weak hash', cwe: 'CWE-328', severity: 'medium', description: 'MD5 is broken.' },
];
const range = (l: number, c: number, l2: number, c2: number) => ({ startLine: l, startCol: c, endLine: l2, endCol: c2 });
const findings: Finding[] = [
  {
    ruleId: 'sql-injection',
    cwe: 'CWE-89',
    severity: 'high',
    message: 'SQL query built from request data',
    why: 'w',
    helpUrl: 'https://cwe.mitre.org/data/definitions/89.html',
    range: range(4, 4, 4, 30),
    flow: { source: 'request.args', sourceRange: range(2, 8, 2, 20), sink: 'cursor.execute' },
  },
  { ruleId: 'weak-hash', cwe: 'CWE-328', severity: 'medium', message: 'MD5', why: 'w', helpUrl: 'https://cwe.mitre.org/data/definitions/328.html', range: range(0, 0, 0, 5) },
  { ruleId: 'not-in-table', cwe: 'CWE-798', severity: 'critical', message: 'secret', why: 'w', helpUrl: 'https://cwe.mitre.org/data/definitions/798.html', range: range(1, 0, 1, 5) },
];

describe('SARIF 2.1.0 report', () => {
  const log = buildSarif({
    version: '0.1.0',
    rules,
    files: [{ path: 'src/my app.py', findings, lines: ['import md5', 'KEY = "x"', 'q = request.args["q"]', '', '    cur.execute("SELECT " + q)'], provenance: [{ range: range(4, 0, 5, 0), source: 'git', tool: 'Claude', evidence: 'commit abc has trailer', at: new Date(0) }] }],
    truncated: ['big.min.js'],
  });

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const validate = validator();
    const ok = validate(JSON.parse(JSON.stringify(log)));
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  it('rejects a broken log (the schema check can fail)', () => {
    const validate = validator();
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(broken), false);
  });

  it('has the rule metadata GitHub code scanning reads', () => {
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'TrustLens');
    assert.match(driver.informationUri, /^https:\/\//);
    const sql = driver.rules[0];
    assert.equal(sql.id, 'sql-injection');
    assert.deepEqual(sql.properties.tags, ['security', 'external/cwe/cwe-89']);
    assert.equal(sql.properties['security-severity'], '8.0');
    assert.ok(Number(sql.properties['security-severity']) >= 7);
    assert.equal(sql.helpUri, 'https://cwe.mitre.org/data/definitions/89.html');
    assert.match(sql.help.markdown, /CWE-89/);
    // a finding whose rule was not in the table gets a descriptor, and a valid index
    const r = JSON.parse(JSON.stringify(log.runs[0].results));
    assert.equal(driver.rules[r[2].ruleIndex].id, 'not-in-table');
    assert.equal(driver.rules[r[2].ruleIndex].properties['security-severity'], '9.5');
  });

  it('emits relative %SRCROOT% locations with 1-based regions, fingerprints, code flows and provenance', () => {
    const r = JSON.parse(JSON.stringify(log.runs[0].results));
    const loc = r[0].locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: 'src/my%20app.py', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(loc.region, { startLine: 5, startColumn: 5, endLine: 5, endColumn: 31 });
    assert.equal(r[0].level, 'error');
    assert.equal(r[1].level, 'warning');
    assert.match(r[0].partialFingerprints['trustlens/v1'], /^[0-9a-f]{32}:1$/);
    const steps = r[0].codeFlows[0].threadFlows[0].locations;
    assert.equal(steps[0].location.physicalLocation.region.startLine, 3);
    assert.equal(steps[1].location.physicalLocation.region.startLine, 5);
    assert.equal(r[0].properties.aiTool, 'Claude');
    assert.equal(r[1].properties.aiGenerated, undefined);
  });
});
