import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import {
  compareCodePoints,
  compareManifestPaths,
  comparePosixPaths,
  computeRootDigest,
  parseShardName,
} from '../../../../../src/core/signing/serialization';

const shuffle = <T>(xs: T[]): T[] => xs.map((x) => [Math.sin(xs.indexOf(x) * 7919) , x] as const).sort((a, b) => a[0] - b[0]).map((p) => p[1]);

describe('manifest ordering (CPython PurePosixPath)', () => {
  it('orders component-wise, not as plain strings (OMS-NOTES 2.3 example, checked with CPython 3.11)', () => {
    const expected = ['A', 'a/b', 'a/b/c', 'a/c', 'a b', 'a-c', 'a.txt', 'a0', 'ab', 'b', 'z/ä', 'é'];
    assert.deepEqual(shuffle(expected).sort(comparePosixPaths), expected);
    assert.deepEqual(shuffle(expected).sort((a, b) => compareManifestPaths(a, b)), expected);
    // The naive string sort differs, which is the point of this comparator.
    assert.notDeepEqual([...expected].sort(), expected);
  });

  it('puts a/b before a b, a-c and a.txt', () => {
    assert.ok(comparePosixPaths('a/b', 'a b') < 0);
    assert.ok(comparePosixPaths('a b', 'a-c') < 0);
    assert.ok(comparePosixPaths('a-c', 'a.txt') < 0);
    assert.ok(comparePosixPaths('a/b', 'a.txt') < 0);
    assert.equal(comparePosixPaths('a/b', 'a/b'), 0);
  });

  it('compares by code point, so astral characters sort after U+E000-U+FFFF', () => {
    const astral = '\u{1F600}'; // 😀, UTF-16 D83D DE00
    const bmpHigh = '\uFF21'; // Ａ
    assert.ok(astral < bmpHigh, 'JS code-unit order puts the emoji first');
    assert.ok(compareCodePoints(astral, bmpHigh) > 0);
    assert.ok(comparePosixPaths(`d/${astral}`, `d/${bmpHigh}`) > 0);
    assert.ok(compareCodePoints('\u{10000}', '\u{10001}') < 0);
    assert.ok(compareCodePoints('ab', 'abc') < 0);
  });

  it('treats empty and "." components like PurePosixPath does', () => {
    assert.equal(comparePosixPaths('a//b', 'a/b'), 0);
    assert.equal(comparePosixPaths('./a', 'a'), 0);
    assert.ok(comparePosixPaths('.', 'a') < 0);
  });

  it('orders shards by path then numeric start/end, even with different digit counts', () => {
    const names = ['f:16:24', 'f:8:16', 'f:0:8', 'f:100:108', 'e:0:9', 'f.bin:0:1', 'f/g:0:3'];
    const expected = ['e:0:9', 'f:0:8', 'f:8:16', 'f:16:24', 'f:100:108', 'f/g:0:3', 'f.bin:0:1'];
    assert.deepEqual([...names].sort((a, b) => compareManifestPaths(a, b, 'shards')), expected);
    // In files mode the same names are plain paths.
    assert.ok(compareManifestPaths('f:16:24', 'f:8:16', 'files') < 0);
  });

  it('parses shard names from the last two colon-separated integers', () => {
    assert.deepEqual(parseShardName('a:b.bin:0:8'), { path: 'a:b.bin', start: 0, end: 8 });
    assert.deepEqual(parseShardName('.:16:22'), { path: '.', start: 16, end: 22 });
    assert.equal(parseShardName('a:b'), undefined);
    assert.equal(parseShardName('a:1:x'), undefined);
  });
});

describe('computeRootDigest', () => {
  it('is SHA-256 of the empty string for no resources', () => {
    assert.equal(computeRootDigest([]), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('hashes the raw digest bytes in the given order (OMS vectors)', () => {
    const s1 = 'f6310066c7320497ea554260c32c43660bff648cb2a61194832cc086077085e1';
    const s2 = '32dcb1f8e1ae52d5963e56a6ba06ab58b424c15ed2a6b70d2feca1d089370028';
    assert.equal(computeRootDigest([{ digest: s1 }, { digest: s2 }]), '61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226');
    assert.notEqual(computeRootDigest([{ digest: s2 }, { digest: s1 }]), computeRootDigest([{ digest: s1 }, { digest: s2 }]));
  });
  it('handles 64-byte (blake2b) digests', () => {
    const d = 'ab'.repeat(64);
    assert.equal(computeRootDigest([{ digest: d }]), createHash('sha256').update(Buffer.alloc(64, 0xab)).digest('hex'));
  });
  it('rejects non-hex digests with a coded error', () => {
    assert.throws(() => computeRootDigest([{ digest: 'XYZ' }]), { code: 'INVALID_OPTIONS' });
    assert.throws(() => computeRootDigest([{ digest: 'abc' }]), { code: 'INVALID_OPTIONS' });
  });
});
