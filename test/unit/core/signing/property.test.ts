import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseBundleText } from '../../../../src/core/signing/bundle';
import { parseStatement, serializeStatement, buildStatement } from '../../../../src/core/signing/statement';
import { VerificationError } from '../../../../src/core/signing/verificationError';
import { createKeySigner, createKeyVerifier, verifyModel } from '../../../../src/core/signing';
import { copyVector, PRIV, PUB, removeTemp } from './vectors';
import { computeRootDigest } from '../../../../src/core/signing/serialization';

const T = 'application/vnd.in-toto+json';
const RUNS = 200;

/** A parser may only fail with a coded VerificationError; anything else is a crash. */
function noCrash(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof VerificationError)) throw e;
    return e;
  }
}

describe('property: bundle and statement parsers', () => {
  it('random JSON values and strings never crash the bundle parser', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ mediaType: 'x', verificationMaterial: v, dsseEnvelope: v }))), (text) => {
        noCrash(() => parseBundleText(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('random statements never crash the statement parser, and accepted names are always clean and unique', () => {
    const segment = fc.oneof(fc.constantFrom('..', '.', '', 'a', 'b', 'é', ' ', ':', '\u0000', 'C:', '\\..'), fc.string({ maxLength: 4 }));
    const name = fc.oneof(fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')), fc.constantFrom('/abs', '.', 'x:0:8'));
    const hex = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
    const resource = fc.record({ name, algorithm: fc.constantFrom('sha256', 'blake2b', 'sha256-sharded-8'), digest: hex });
    fc.assert(
      fc.property(
        fc.array(resource, { maxLength: 6 }),
        fc.array(name, { maxLength: 3 }),
        fc.constantFrom('files', 'shards', 'other'),
        fc.boolean(),
        (resources, ignore, method, fixRoot) => {
          const st = {
            _type: 'https://in-toto.io/Statement/v1',
            subject: [{ name: 'm', digest: { sha256: fixRoot ? computeRootDigest(resources) : 'ab'.repeat(32) } }],
            predicateType: 'https://model_signing/signature/v1.0',
            predicate: { serialization: { method, hash_type: 'sha256', allow_symlinks: false, shard_size: 8, ignore_paths: ignore }, resources },
          };
          const out = noCrash(() => parseStatement(Buffer.from(JSON.stringify(st)), T));
          if (out instanceof VerificationError) return;
          const names = (out as ReturnType<typeof parseStatement>).manifest.resources.map((r) => r.name);
          assert.equal(new Set(names).size, names.length);
          for (const n of names) {
            const p = method === 'shards' ? n.replace(/:\d+:\d+$/, '') : n;
            assert.ok(!p.startsWith('/') && !p.includes('\0'), n);
            if (p !== '.') assert.ok(p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), n);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('serialize → parse is the identity on built statements', () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9 _é-]{1,8}(\/[a-zA-Z0-9 _é-]{1,8}){0,2}$/).filter((n) => n.split('/').every((s) => s !== '.' && s !== '..'));
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (names, d) => {
        const resources = names.map((n, i) => ({ name: n, algorithm: 'sha256', digest: Buffer.from(Buffer.from(d).map((x) => x ^ i)).toString('hex') }));
        const manifest = { modelName: 'm', resources, serialization: { method: 'files' as const, hash_type: 'sha256' as const, allow_symlinks: false }, rootDigest: computeRootDigest(resources) };
        assert.deepEqual(parseStatement(serializeStatement(buildStatement(manifest)), T).manifest, manifest);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: mutated bundles never give a false accept', () => {
  let dir: string;
  let text: string;
  let original: Record<string, unknown>;
  before(() => {
    dir = copyVector('v1.1.0-elliptic-key');
    text = fs.readFileSync(path.join(dir, 'model.sig'), 'utf8');
    original = JSON.parse(text);
  });
  after(() => removeTemp(dir));
  const verifier = createKeyVerifier({ publicKeyPem: PUB() });

  it('byte edits of the bundle text: never a crash; valid only if the signed payload is unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(text.length - 1), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'delete', 'insert'), async (pos, byte, op) => {
        const b = Buffer.from(text);
        const m =
          op === 'flip' ? (b[pos] ^= byte, b) : op === 'delete' ? Buffer.concat([b.subarray(0, pos), b.subarray(pos + 1)]) : Buffer.concat([b.subarray(0, pos), Buffer.from([byte]), b.subarray(pos)]);
        const r = await verifyModel({ modelPath: dir, bundle: m, signaturePath: path.join(dir, 'model.sig'), verifier });
        if (r.verdict === 'valid') {
          const j = JSON.parse(m.toString());
          assert.equal(j.dsseEnvelope.payload, (original.dsseEnvelope as { payload: string }).payload, 'accepted a different payload');
          assert.equal(j.dsseEnvelope.signatures[0].sig, (original.dsseEnvelope as { signatures: { sig: string }[] }).signatures[0].sig);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('any change to the decoded payload or signature is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('payload', 'sig'), fc.nat(), fc.integer({ min: 1, max: 255 }), async (field, at, x) => {
        const j = JSON.parse(text);
        const holder = field === 'payload' ? j.dsseEnvelope : j.dsseEnvelope.signatures[0];
        const bytes = Buffer.from(holder[field], 'base64');
        bytes[at % bytes.length] ^= x;
        holder[field] = bytes.toString('base64');
        const r = await verifyModel({ modelPath: dir, bundle: j, signaturePath: path.join(dir, 'model.sig'), verifier });
        assert.equal(r.verdict, 'invalid');
      }),
      { numRuns: 150 },
    );
  });

  it('re-signed statements with edited resources never verify unless they list the real content', async () => {
    const st0 = JSON.parse(Buffer.from((original.dsseEnvelope as { payload: string }).payload, 'base64').toString());
    const signer = createKeySigner({ privateKeyPem: PRIV() });
    await fc.assert(
      fc.asyncProperty(fc.nat(1), fc.constantFrom('name', 'digest', 'algorithm', 'drop', 'dup'), fc.string({ maxLength: 6 }), async (i, what, s) => {
        const st = JSON.parse(JSON.stringify(st0));
        const r0 = st.predicate.resources[i];
        if (what === 'name') r0.name = r0.name + s + 'x';
        else if (what === 'digest') r0.digest = 'ff'.repeat(32);
        else if (what === 'algorithm') r0.algorithm = 'blake2b';
        else if (what === 'drop') st.predicate.resources.splice(i, 1);
        else st.predicate.resources.push({ ...r0 });
        st.subject[0].digest.sha256 = computeRootDigest(st.predicate.resources.filter((r: { digest: string }) => /^([0-9a-f]{2})+$/.test(r.digest)));
        const bundle = await signer.sign(Buffer.from(JSON.stringify(st)), T);
        const r = await verifyModel({ modelPath: dir, bundle, signaturePath: path.join(dir, 'model.sig'), verifier });
        assert.equal(r.verdict, 'invalid', JSON.stringify(st.predicate.resources));
      }),
      { numRuns: 60 },
    );
  });
});
