import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseBundleText } from '../../../../../src/core/signing';
import { makeModel, removeTemp } from '../vectors';
import { keyVerify, sha256Hex, signPayload, statement } from './helpers';

describe('adversarial: byte-level fuzzing of a valid bundle', function () {
  this.timeout(60000);
  const tmp: string[] = [];
  after(() => tmp.forEach(removeTemp));

  it('any single-character change is rejected unless it leaves the verified bytes identical', async () => {
    const model = makeModel({ 'w.bin': 'weights', 'cfg.json': '{}' });
    tmp.push(model);
    const st = statement([
      { name: 'cfg.json', digest: sha256Hex('{}') },
      { name: 'w.bin', digest: sha256Hex('weights') },
    ]);
    const text = JSON.stringify(await signPayload(JSON.stringify(st)));
    const original = parseBundleText(text);
    const chars = 'AZaz09+/= "{}[],:\\.x\u00e9\u0000';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: text.length - 1 }), fc.integer({ min: 0, max: chars.length - 1 }), fc.boolean(), async (pos, ci, insert) => {
        const c = chars[ci];
        const mutated = insert ? text.slice(0, pos) + c + text.slice(pos) : text.slice(0, pos) + c + text.slice(pos + 1);
        if (mutated === text) return;
        const r = await keyVerify({ modelPath: model, bundle: mutated });
        if (r.verdict === 'valid') {
          // Only semantically neutral edits (whitespace between tokens, a changed keyid) may pass.
          const p = parseBundleText(mutated);
          assert.ok(p.payload.equals(original.payload), `payload changed yet valid: ${JSON.stringify(mutated.slice(Math.max(0, pos - 20), pos + 20))}`);
          assert.ok(p.signature.equals(original.signature), 'signature bytes changed yet valid');
          assert.equal(p.envelope.payloadType, original.envelope.payloadType);
        }
      }),
      { numRuns: 400 },
    );
  });
});
