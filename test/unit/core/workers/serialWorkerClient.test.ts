import { strict as assert } from 'node:assert';
import { Worker } from 'node:worker_threads';
import { CancellationError, TrustLensError } from '../../../../src/core/errors';
import { createSerialWorkerClient, type SerialWorkerClient, type WorkerErrorReply, type WorkerProgressReply } from '../../../../src/core/workers/serialWorkerClient';

/**
 * A tiny inline worker. `wait`: answers after `ms` (so a client sending several requests at once
 * would get answers out of order); `spin`: busy-loops until the cancel slot holds its id;
 * `hang`: busy-loops forever; `fail`: an error reply; `progress`: two progress messages first;
 * `seen`: the log of what this worker received.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const slot = new Int32Array(workerData.cancel);
const seen = [];
parentPort.on('message', (m) => {
  seen.push(m.op + ':' + m.value);
  const done = (value) => parentPort.postMessage({ type: 'done', id: m.id, value });
  if (m.op === 'wait') setTimeout(() => done(m.value), m.ms);
  else if (m.op === 'spin') {
    while (Atomics.load(slot, 0) !== m.id) {}
    seen.push('cancelled:' + m.value);
    parentPort.postMessage({ type: 'error', id: m.id, code: 'CANCELLED', message: 'cancelled', cancelled: true });
  } else if (m.op === 'hang') for (;;) {}
  else if (m.op === 'fail') parentPort.postMessage({ type: 'error', id: m.id, code: 'TEST_FAILED', message: 'boom ' + m.value, cancelled: false });
  else if (m.op === 'progress') {
    parentPort.postMessage({ type: 'progress', id: m.id, done: 1, total: 2, detail: 'a' });
    parentPort.postMessage({ type: 'progress', id: m.id, done: 2, total: 2 });
    done(m.value);
  } else if (m.op === 'seen') done(seen.join(','));
});
`;

type Body = { op: string; value?: string; ms?: number };
type Reply = { type: 'done'; id: number; value: string } | WorkerErrorReply | WorkerProgressReply;

describe('serial worker client', function () {
  this.timeout(20_000);
  let spawned: number;
  let client: SerialWorkerClient<Body, Extract<Reply, { type: 'done' }>>;
  const timedOut = (value: string) => () => ({ type: 'done' as const, id: 0, value });
  /** A request with a 10 s timeout (never reached unless said otherwise). */
  const send = (body: Body, extra: { signal?: AbortSignal; timeoutMs?: number; onTimeout?: () => never } = {}) =>
    client.request(body, { timeoutMs: 10_000, onTimeout: timedOut('timeout'), ...extra }).then((r) => r.value);

  beforeEach(() => {
    spawned = 0;
    client = createSerialWorkerClient<Body, Reply>({
      name: 'test worker',
      spawn: (cancel) => (spawned++, new Worker(WORKER, { eval: true, workerData: { cancel } })),
    });
  });
  afterEach(() => client.dispose());

  it('starts the worker lazily and serves requests one at a time in order', async () => {
    assert.equal(spawned, 0);
    const order: string[] = [];
    const all = ['a', 'b', 'c'].map((v, i) => send({ op: 'wait', value: v, ms: 60 - 30 * i }).then((r) => (order.push(r), r)));
    assert.deepEqual(await Promise.all(all), ['a', 'b', 'c']);
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.equal(spawned, 1);
  });

  it('drops an aborted queued request without sending it, leaving the active one alone', async () => {
    const ctrl = new AbortController();
    const first = send({ op: 'wait', value: 'first', ms: 50 });
    const queued = send({ op: 'wait', value: 'queued', ms: 0 }, { signal: ctrl.signal });
    ctrl.abort();
    await assert.rejects(queued, CancellationError);
    assert.equal(await first, 'first');
    assert.equal(await send({ op: 'seen' }), 'wait:first,seen:undefined');
    await assert.rejects(send({ op: 'wait' }, { signal: AbortSignal.abort() }), CancellationError);
  });

  it('cancels the active request through the shared slot and keeps serving on the same worker', async () => {
    const ctrl = new AbortController();
    const spinning = send({ op: 'spin', value: 's' }, { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 30);
    await assert.rejects(spinning, CancellationError);
    // The worker saw the cancel (it logged it) and its late error reply did not touch this request.
    assert.equal(await send({ op: 'seen' }), 'spin:s,cancelled:s,seen:undefined');
    assert.equal(spawned, 1);
  });

  it('kills a worker that overruns its timeout, settles with onTimeout, and replaces the worker', async () => {
    const started = Date.now();
    const stuck = send({ op: 'hang', value: 'h' }, { timeoutMs: 300 });
    const behind = send({ op: 'seen' });
    assert.equal(await stuck, 'timeout');
    assert.ok(Date.now() - started >= 290, `settled after ${Date.now() - started} ms`);
    // The request queued behind ran on a fresh worker, which never saw the stuck one.
    assert.equal(await behind, 'seen:undefined');
    assert.equal(spawned, 2);
    const thrown = new TrustLensError('TEST_TIMEOUT', 'too slow');
    await assert.rejects(
      send({ op: 'hang' }, {
        timeoutMs: 100,
        onTimeout: () => {
          throw thrown;
        },
      }),
      (e) => e === thrown,
    );
    assert.equal(await send({ op: 'wait', value: 'after', ms: 0 }), 'after');
    assert.equal(spawned, 3);
  });

  it('turns error replies into TrustLensError and forwards progress', async () => {
    await assert.rejects(send({ op: 'fail', value: 'x' }), (e) => TrustLensError.is(e, 'TEST_FAILED') && e.message === 'boom x');
    const calls: unknown[] = [];
    const r = await client.request({ op: 'progress', value: 'p' }, { timeoutMs: 10_000, onTimeout: timedOut('t'), onProgress: (...a) => calls.push(a) });
    assert.equal(r.value, 'p');
    assert.deepEqual(calls, [
      [1, 2, 'a'],
      [2, 2, undefined],
    ]);
  });

  it('rejects a request whose worker cannot start, then serves the next one', async () => {
    let fail = true;
    const c = createSerialWorkerClient<Body, Reply>({
      name: 'flaky worker',
      spawn: (cancel) => {
        if (fail) throw new TrustLensError('WORKER_NOT_FOUND', 'nope');
        return new Worker(WORKER, { eval: true, workerData: { cancel } });
      },
    });
    try {
      await assert.rejects(c.request({ op: 'seen' }, { timeoutMs: 10_000, onTimeout: timedOut('t') }), (e) => TrustLensError.is(e, 'WORKER_NOT_FOUND'));
      fail = false;
      assert.equal((await c.request({ op: 'wait', value: 'ok', ms: 0 }, { timeoutMs: 10_000, onTimeout: timedOut('t') })).value, 'ok');
    } finally {
      await c.dispose();
    }
  });

  it('reports a worker that exits as WORKER_FAILED', async () => {
    const c = createSerialWorkerClient<Body, Reply>({ name: 'exiting worker', spawn: () => new Worker('process.exit(3)', { eval: true }) });
    try {
      await assert.rejects(c.request({ op: 'seen' }, { timeoutMs: 10_000, onTimeout: timedOut('t') }), (e) => TrustLensError.is(e, 'WORKER_FAILED') && /exiting worker exited/.test(e.message));
    } finally {
      await c.dispose();
    }
  });

  it('dispose rejects the active, queued and later requests with CancellationError', async () => {
    const active = send({ op: 'hang' }).catch((e: unknown) => e);
    const queued = send({ op: 'seen' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await client.dispose();
    assert.ok((await active) instanceof CancellationError, String(await active));
    assert.ok((await queued) instanceof CancellationError, String(await queued));
    await assert.rejects(send({ op: 'seen' }), (e) => e instanceof CancellationError && /test worker disposed/.test(e.message));
  });
});
