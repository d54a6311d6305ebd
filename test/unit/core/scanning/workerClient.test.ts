import * as assert from 'node:assert/strict';
import { CancellationError } from '../../../../src/core/errors';
import { createScanWorkerClient, type ScanWorkerClient } from '../../../../src/core/scanning/index';

describe('scan worker client', function () {
  this.timeout(60_000);
  let client: ScanWorkerClient;
  beforeEach(() => {
    client = createScanWorkerClient();
  });
  afterEach(async () => client.dispose());

  it('scans in a worker thread with the same results as in-thread', async () => {
    const r = await client.scan('import os\nos.system("ls " + input())\n', 'python');
    assert.deepEqual(
      r.findings.map((f) => f.ruleId),
      ['command-injection'],
    );
    assert.equal(r.truncated, false);
  });

  it('returns truncated: true on a pathological document instead of hanging', async () => {
    const minified = 'var a=' + '('.repeat(3000) + '1' + ')'.repeat(3000) + ';' + 'x=y+z;'.repeat(400_000);
    const t0 = Date.now();
    const r = await client.scan(minified, 'javascript', { timeBudgetMs: 100 });
    assert.equal(r.truncated, true);
    assert.ok(Date.now() - t0 < 5000);
    const ok = await client.scan('eval(input())', 'python');
    assert.equal(ok.findings.length, 1);
  });

  it('aborts a running scan at once and keeps serving later scans', async () => {
    const big = 'def f(a):\n    os.system("ls " + a)\n'.repeat(80_000);
    const ac = new AbortController();
    const p = client.scan(big, 'python', { signal: ac.signal, timeBudgetMs: 20_000 });
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(p, (e: unknown) => e instanceof CancellationError);
    const ok = await client.scan('eval(input())', 'python');
    assert.equal(ok.findings[0]?.ruleId, 'code-injection');
  });

  it('kills a worker that overruns its budget and replaces it', async () => {
    const slow = createScanWorkerClient({ hardTimeoutMs: 1 });
    try {
      // A budget the worker cannot meet within budget+1ms of wall time (worker start + grammar load).
      const r = await slow.scan('x = 1\n'.repeat(1000), 'python', { timeBudgetMs: 1 });
      assert.equal(r.truncated, true);
      const again = await slow.scan('eval(input())', 'python', { timeBudgetMs: 10_000 });
      assert.equal(again.findings[0]?.ruleId, 'code-injection');
    } finally {
      await slow.dispose();
    }
  });

  it('rejects pending scans on dispose', async () => {
    const p = client.scan('x = 1', 'python');
    const rejected = assert.rejects(p, (e: unknown) => e instanceof CancellationError);
    await client.dispose();
    await rejected;
  });
});
