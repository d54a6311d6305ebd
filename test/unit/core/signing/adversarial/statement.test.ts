import { strict as assert } from 'node:assert';
import { parseStatement } from '../../../../../src/core/signing';
import { T, rootOf, statement, type Json } from './helpers';

const D = (c: string) => c.repeat(64);
const parse = (st: Json, type = T) => parseStatement(Buffer.from(JSON.stringify(st)), type);
const rejects = (st: Json, code: string) =>
  assert.throws(() => parse(st), (e: { code?: string; message?: string }) => {
    assert.equal(e.code, code, e.message);
    return true;
  });

describe('adversarial: signed statements that must be rejected', () => {
  describe('resource names that no walk can produce', () => {
    for (const name of ['a/../b', '../b', './a', 'a/./b', 'a//b', 'a/', '/etc/passwd', 'a\u0000b', 'C:\\x', '..\\x', 'a/..\\b', '', '.', '..']) {
      it(`files: ${JSON.stringify(name)} → RESOURCE_NAME_INVALID`, () => {
        // '.' alone is the single-file spelling and is valid; mixed with another path it is not.
        const res = name === '.' ? [{ name: '.', digest: D('a') }, { name: 'b', digest: D('b') }] : [{ name, digest: D('a') }];
        rejects(statement(res), 'RESOURCE_NAME_INVALID');
      });
    }
    it('the same name twice → DUPLICATE_RESOURCE (the second digest would shadow the first)', () => {
      rejects(statement([{ name: 'w', digest: D('a') }, { name: 'w', digest: D('b') }]), 'DUPLICATE_RESOURCE');
    });
  });

  describe('ignore_paths', () => {
    for (const p of ['', '.', './', 'a/', '/abs', '../out', 'a/../w', 'a//b', 'x\u0000']) {
      it(`${JSON.stringify(p)} → IGNORE_PATHS_INVALID`, () => rejects(statement([{ name: 'w', digest: D('a') }], { ignore_paths: [p] }), 'IGNORE_PATHS_INVALID'));
    }
    it('an ignore path covering a signed file (or its directory) → IGNORE_PATHS_INVALID', () => {
      rejects(statement([{ name: 'd/w', digest: D('a') }], { ignore_paths: ['d'] }), 'IGNORE_PATHS_INVALID');
      rejects(statement([{ name: 'd/w', digest: D('a') }], { ignore_paths: ['d/w'] }), 'IGNORE_PATHS_INVALID');
    });
    it('ignore_paths that is not a string array → PAYLOAD_MALFORMED', () => {
      rejects(statement([{ name: 'w', digest: D('a') }], { ignore_paths: 'w' }), 'PAYLOAD_MALFORMED');
      rejects(statement([{ name: 'w', digest: D('a') }], { ignore_paths: [1] }), 'PAYLOAD_MALFORMED');
    });
    it('"__proto__" keys do not smuggle in fields (serialization.__proto__.ignore_paths is not an ignore list)', () => {
      const st = statement([{ name: 'w', digest: D('a') }]);
      const text = JSON.stringify(st).replace('"allow_symlinks":false', '"allow_symlinks":false,"__proto__":{"ignore_paths":["extra"],"method":"shards"}');
      const parsed = parseStatement(Buffer.from(text), T);
      assert.equal(parsed.manifest.serialization.ignore_paths, undefined);
      assert.equal(parsed.manifest.serialization.method, 'files');
    });
  });

  describe('algorithms and digests', () => {
    it('resource algorithm differing from hash_type → PAYLOAD_MALFORMED', () => {
      rejects(statement([{ name: 'w', algorithm: 'blake2b', digest: D('a') }]), 'PAYLOAD_MALFORMED');
      rejects(statement([{ name: 'w', algorithm: 'sha256-sharded-1000000000', digest: D('a') }]), 'PAYLOAD_MALFORMED');
      rejects(statement([{ name: 'w', algorithm: 'SHA256', digest: D('a') }]), 'PAYLOAD_MALFORMED');
    });
    it('digest of the wrong length, upper case or odd → rejected', () => {
      rejects(statement([{ name: 'w', digest: 'ab'.repeat(31) }]), 'PAYLOAD_MALFORMED');
      rejects(statement([{ name: 'w', digest: 'AB'.repeat(32) }]), 'PAYLOAD_MALFORMED');
      rejects(statement([{ name: 'w', digest: 'a'.repeat(63) }]), 'PAYLOAD_MALFORMED');
    });
    it('unknown hash_type / method → SERIALIZATION_UNSUPPORTED', () => {
      rejects(statement([{ name: 'w', digest: D('a') }], { hash_type: 'md5' }), 'SERIALIZATION_UNSUPPORTED');
      rejects(statement([{ name: 'w', digest: D('a') }], { method: 'digests' }), 'SERIALIZATION_UNSUPPORTED');
    });
    it('a root digest computed in another order than listed → ROOT_DIGEST_MISMATCH (recomputed in listed order)', () => {
      const st = statement([{ name: 'a', digest: D('1') }, { name: 'b', digest: D('2') }]);
      st.subject[0].digest.sha256 = rootOf([D('2'), D('1')]);
      rejects(st, 'ROOT_DIGEST_MISMATCH');
    });
    it('two subjects, or none → PAYLOAD_MALFORMED', () => {
      const st = statement([{ name: 'w', digest: D('a') }]);
      rejects({ ...st, subject: [st.subject[0], st.subject[0]] }, 'PAYLOAD_MALFORMED');
      rejects({ ...st, subject: [] }, 'PAYLOAD_MALFORMED');
    });
    it('payloadType other than in-toto → PAYLOAD_MALFORMED even if the statement is fine', () => {
      assert.throws(() => parse(statement([{ name: 'w', digest: D('a') }]), 'application/json'), { code: 'PAYLOAD_MALFORMED' });
      assert.throws(() => parse(statement([{ name: 'w', digest: D('a') }]), T + ' '), { code: 'PAYLOAD_MALFORMED' });
    });
  });

  describe('shards', () => {
    const sh = (names: string[], shard_size: unknown = 4) =>
      statement(names.map((name, i) => ({ name, algorithm: 'sha256-sharded-4', digest: D(String(i % 10)) })), { method: 'shards', shard_size });
    for (const size of [0, -4, 1.5, '4', null, 1e300, Number.MAX_SAFE_INTEGER + 2]) {
      it(`shard_size ${JSON.stringify(size)} → rejected`, () => assert.throws(() => parse(sh(['w:0:4'], size))));
    }
    it('a shard longer than shard_size, empty, or reversed → RESOURCE_NAME_INVALID', () => {
      rejects(sh(['w:0:5']), 'RESOURCE_NAME_INVALID');
      rejects(sh(['w:4:4']), 'RESOURCE_NAME_INVALID');
      rejects(sh(['w:4:0']), 'RESOURCE_NAME_INVALID');
    });
    it('non-canonical offsets (leading zeros, signs, spaces) → RESOURCE_NAME_INVALID', () => {
      for (const n of ['w:00:4', 'w:+0:4', 'w: 0:4', 'w:0:4 ', 'w:0x0:4', 'w:0:4e0', 'w:0', 'w']) rejects(sh([n]), 'RESOURCE_NAME_INVALID');
    });
    it('shards with blake3 → SERIALIZATION_UNSUPPORTED (the serializer falls back to files for blake3, so local names would be compared as shards)', () => {
      const st = statement([{ name: 'w:0:4', algorithm: 'blake3', digest: D('a') }], { method: 'shards', shard_size: 4, hash_type: 'blake3' });
      rejects(st, 'SERIALIZATION_UNSUPPORTED');
    });
    it('a path with colons keeps the last two fields as the range', () => {
      const parsed = parse(sh(['a:b:0:4']));
      assert.equal(parsed.manifest.resources[0].name, 'a:b:0:4');
    });
  });

  it('bounded time: 40k resources × 40k ignore paths is checked in well under a few seconds', function () {
    this.timeout(20000);
    const n = 40_000;
    const res = Array.from({ length: n }, (_, i) => ({ name: `d${i % 100}/f${i}`, digest: D('a') }));
    const ignores = Array.from({ length: n }, (_, i) => `x${i}/y`);
    const t0 = Date.now();
    parse(statement(res, { ignore_paths: ignores }));
    const ms = Date.now() - t0;
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});
