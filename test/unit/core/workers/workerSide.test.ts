import { strict as assert } from 'node:assert';
import { CancellationError, TrustLensError } from '../../../../src/core/errors';
import { errorReply, sharedCancelSignal } from '../../../../src/core/workers/workerSide';

describe('worker-side helpers', () => {
  it('sharedCancelSignal is aborted exactly while the slot holds its id', () => {
    const slot = new Int32Array(new SharedArrayBuffer(4));
    const signal = sharedCancelSignal(slot, 7);
    assert.equal(signal.aborted, false);
    Atomics.store(slot, 0, 8);
    assert.equal(signal.aborted, false);
    Atomics.store(slot, 0, 7);
    assert.equal(signal.aborted, true);
  });

  it('errorReply keeps a TrustLensError code, flags cancellations, and codes anything else INTERNAL', () => {
    assert.deepEqual(errorReply(1, new TrustLensError('MODELSAFETY_NOT_FOUND', 'gone')), { type: 'error', id: 1, code: 'MODELSAFETY_NOT_FOUND', message: 'gone', cancelled: false });
    const c = errorReply(2, new CancellationError());
    assert.equal(c.cancelled, true);
    assert.equal(c.id, 2);
    assert.deepEqual(errorReply(3, new RangeError('bad')), { type: 'error', id: 3, code: 'INTERNAL', message: 'bad', cancelled: false });
    assert.deepEqual(errorReply(4, 'text'), { type: 'error', id: 4, code: 'INTERNAL', message: 'text', cancelled: false });
  });
});
