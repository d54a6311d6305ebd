import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildStatement,
  parseStatement,
  serializeStatement,
  PREDICATE_TYPE_LEGACY_DIGESTS,
  LEGACY_MODEL_NAME,
} from '../../../../src/core/signing/statement';
import { VerificationError } from '../../../../src/core/signing/verificationError';
import type { Manifest } from '../../../../src/core/signing/types';
import { PAYLOADS } from './vectors';

const T = 'application/vnd.in-toto+json';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** Independent root digest: sha256 over the concatenated raw digests. */
const root = (digests: string[]) => createHash('sha256').update(Buffer.concat(digests.map((d) => Buffer.from(d, 'hex')))).digest('hex');

const BASE: Manifest = {
  modelName: 'mödel',
  resources: [
    { name: 'a/b.bin', algorithm: 'sha256', digest: sha('1') },
    { name: 'c.txt', algorithm: 'sha256', digest: sha('2') },
  ],
  serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['.gitignore', '.git'] },
  rootDigest: root([sha('1'), sha('2')]),
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Statement JSON for BASE, mutated, with the subject digest recomputed unless `keepRoot`. */
function mutated(mutate: (j: Json) => void, keepRoot = false): Buffer {
  const j = JSON.parse(serializeStatement(buildStatement(BASE)).toString()) as Json;
  mutate(j);
  if (!keepRoot && Array.isArray(j.predicate?.resources)) {
    j.subject[0].digest.sha256 = root(j.predicate.resources.map((r: Json) => r.digest));
  }
  return Buffer.from(JSON.stringify(j));
}

function codeOf(payload: Uint8Array, type = T): string | undefined {
  try {
    parseStatement(payload, type);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof VerificationError, String(e));
    return e.code;
  }
}

describe('statement build and serialize', () => {
  it('writes the OMS v1.0 statement with top-level order and sorted ignore paths', () => {
    const text = serializeStatement(buildStatement(BASE)).toString();
    const j = JSON.parse(text);
    assert.deepEqual(Object.keys(j), ['_type', 'subject', 'predicateType', 'predicate']);
    assert.equal(j.predicateType, 'https://model_signing/signature/v1.0');
    assert.deepEqual(j.subject, [{ name: 'mödel', digest: { sha256: BASE.rootDigest } }]);
    assert.deepEqual(j.predicate.serialization, { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['.git', '.gitignore'] });
    assert.ok(text.startsWith('{\n  "_type": '), '2-space indent');
    assert.ok(text.includes('"m\\u00f6del"'), 'non-ASCII escaped like ensure_ascii');
    assert.ok(!text.endsWith('\n'));
  });
  it('is deterministic and parses back to the same manifest', () => {
    const a = serializeStatement(buildStatement(BASE));
    assert.deepEqual(a, serializeStatement(buildStatement(BASE)));
    const parsed = parseStatement(a, T);
    assert.equal(parsed.legacy, false);
    assert.deepEqual(parsed.manifest.resources, BASE.resources);
    assert.equal(parsed.manifest.rootDigest, BASE.rootDigest);
    assert.equal(parsed.manifest.modelName, 'mödel');
  });
  it('writes shard_size only for shards, as an integer', () => {
    const m: Manifest = {
      ...BASE,
      resources: [{ name: 'f:0:8', algorithm: 'sha256-sharded-8', digest: sha('x') }],
      serialization: { method: 'shards', hash_type: 'sha256', allow_symlinks: false, shard_size: 8 },
      rootDigest: root([sha('x')]),
    };
    const text = serializeStatement(buildStatement(m)).toString();
    assert.match(text, /"shard_size": 8\n/);
    assert.equal(parseStatement(Buffer.from(text), T).manifest.serialization.shard_size, 8);
  });
});

describe('statement parser on the model_signing payload goldens', () => {
  // Expected (root, count) per golden come from the vectors README table.
  const expected: Record<string, [string, number]> = {
    sample_model_folder: ['143cc682e555951649f18e2761c3d526d2502996f5e32dc187ef7f8a614f8df7', 10],
    sample_model_folder_shard: ['143cc682e555951649f18e2761c3d526d2502996f5e32dc187ef7f8a614f8df7', 10],
    sample_model_folder_small_shards: ['2139af57fd2a4f324ac7cd0fc04898cce73d0871b363c8eb3fc07ab7da4c8445', 30],
    sample_model_file: ['002d162f867c5eee944e5080d25829b6625be0e3f081f6fbafc7dd655ca2e178', 1],
    sample_model_file_small_shards: ['57d54248751a51781ac2bed647670df0c45d3926e337021585c34a82384b6573', 3],
    deep_model_folder_small_shards: ['fe81b684c60474cea9b27ba1de9993e54bb19806664613758aa4d335ee398497', 8],
    empty_model_file: ['5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456', 1],
    empty_model_folder: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0],
    model_folder_with_empty_file_shard: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0],
  };
  for (const [name, [rootDigest, count]] of Object.entries(expected)) {
    it(`${name}: root ${rootDigest.slice(0, 8)}, ${count} resources`, () => {
      const p = parseStatement(fs.readFileSync(path.join(PAYLOADS, name)), T);
      assert.equal(p.manifest.rootDigest, rootDigest);
      assert.equal(p.manifest.resources.length, count);
    });
  }
  it('reads the float shard_size 1000000000.0 as an integer', () => {
    const p = parseStatement(fs.readFileSync(path.join(PAYLOADS, 'sample_model_folder_shard')), T);
    assert.equal(p.manifest.serialization.shard_size, 1_000_000_000);
    assert.equal(p.manifest.resources[0].algorithm, 'sha256-sharded-1000000000');
  });
});

describe('statement parser rejects malformed statements with a specific code', () => {
  const cases: [string, () => Buffer, string][] = [
    ['two subjects', () => mutated((j) => j.subject.push(j.subject[0])), 'PAYLOAD_MALFORMED'],
    ['no subject', () => mutated((j) => (j.subject = []), true), 'PAYLOAD_MALFORMED'],
    ['uppercase subject digest', () => mutated((j) => (j.subject[0].digest.sha256 = j.subject[0].digest.sha256.toUpperCase()), true), 'PAYLOAD_MALFORMED'],
    ['wrong _type', () => mutated((j) => (j._type = 'https://in-toto.io/Statement/v0.1')), 'PAYLOAD_MALFORMED'],
    ['wrong predicateType', () => mutated((j) => (j.predicateType = 'https://example.com/wrong-predicate/v1.0')), 'PREDICATE_TYPE'],
    ['resource digest edited, root not fixed', () => mutated((j) => (j.predicate.resources[0].digest = sha('evil')), true), 'ROOT_DIGEST_MISMATCH'],
    ['resources reordered (root is over listed order)', () => mutated((j) => j.predicate.resources.reverse(), true), 'ROOT_DIGEST_MISMATCH'],
    ['name with ../', () => mutated((j) => (j.predicate.resources[0].name = '../etc/passwd')), 'RESOURCE_NAME_INVALID'],
    ['name with inner ..', () => mutated((j) => (j.predicate.resources[0].name = 'a/../../b')), 'RESOURCE_NAME_INVALID'],
    ['absolute name', () => mutated((j) => (j.predicate.resources[0].name = '/etc/passwd')), 'RESOURCE_NAME_INVALID'],
    ['windows absolute name', () => mutated((j) => (j.predicate.resources[0].name = 'C:\\x')), 'RESOURCE_NAME_INVALID'],
    ['empty segment', () => mutated((j) => (j.predicate.resources[0].name = 'a//b')), 'RESOURCE_NAME_INVALID'],
    ['dot segment', () => mutated((j) => (j.predicate.resources[0].name = './a')), 'RESOURCE_NAME_INVALID'],
    ['empty name', () => mutated((j) => (j.predicate.resources[0].name = '')), 'RESOURCE_NAME_INVALID'],
    ['NUL in name', () => mutated((j) => (j.predicate.resources[0].name = 'a\u0000b')), 'RESOURCE_NAME_INVALID'],
    ['"." next to other files', () => mutated((j) => (j.predicate.resources[0].name = '.')), 'RESOURCE_NAME_INVALID'],
    ['duplicate names', () => mutated((j) => (j.predicate.resources[1].name = j.predicate.resources[0].name)), 'DUPLICATE_RESOURCE'],
    ['algorithm not the hash_type', () => mutated((j) => (j.predicate.resources[0].algorithm = 'md5')), 'PAYLOAD_MALFORMED'],
    ['short digest', () => mutated((j) => (j.predicate.resources[0].digest = 'abcd')), 'PAYLOAD_MALFORMED'],
    ['non-hex digest', () => mutated((j) => (j.predicate.resources[0].digest = 'zz'.repeat(32))), 'PAYLOAD_MALFORMED'],
    ['missing allow_symlinks', () => mutated((j) => delete j.predicate.serialization.allow_symlinks), 'PAYLOAD_MALFORMED'],
    ['missing resources', () => mutated((j) => delete j.predicate.resources), 'PAYLOAD_MALFORMED'],
    ['unknown method', () => mutated((j) => (j.predicate.serialization.method = 'tarball')), 'SERIALIZATION_UNSUPPORTED'],
    ['unknown hash_type', () => mutated((j) => (j.predicate.serialization.hash_type = 'md5')), 'SERIALIZATION_UNSUPPORTED'],
    ['ignore path with ..', () => mutated((j) => (j.predicate.serialization.ignore_paths = ['../x'])), 'IGNORE_PATHS_INVALID'],
    ['absolute ignore path', () => mutated((j) => (j.predicate.serialization.ignore_paths = ['/tmp'])), 'IGNORE_PATHS_INVALID'],
    ['ignore path "."', () => mutated((j) => (j.predicate.serialization.ignore_paths = ['.'])), 'IGNORE_PATHS_INVALID'],
    ['ignore path hiding a signed file', () => mutated((j) => (j.predicate.serialization.ignore_paths = ['a'])), 'IGNORE_PATHS_INVALID'],
    ['not JSON', () => Buffer.from('{"_type":'), 'PAYLOAD_MALFORMED'],
    ['not UTF-8', () => Buffer.from([0x7b, 0xff, 0x7d]), 'PAYLOAD_MALFORMED'],
  ];
  for (const [label, make, want] of cases) {
    it(`${label} → ${want}`, () => assert.equal(codeOf(make()), want));
  }
  it('a sibling ignore path that only shares a prefix is fine', () => {
    assert.equal(codeOf(mutated((j) => (j.predicate.serialization.ignore_paths = ['a/b', 'c', 'a/b.bin.tmp', 'c.txt.old']))), undefined);
    assert.equal(codeOf(mutated((j) => (j.predicate.serialization.ignore_paths = ['c.txt']))), 'IGNORE_PATHS_INVALID');
  });
  it('wrong payloadType → PAYLOAD_MALFORMED', () => assert.equal(codeOf(mutated(() => {}), 'text/plain'), 'PAYLOAD_MALFORMED'));

  describe('shards', () => {
    const shards = (names: string[], size = 8, algo = 'sha256-sharded-8') =>
      mutated((j) => {
        j.predicate.serialization = { method: 'shards', hash_type: 'sha256', allow_symlinks: false, shard_size: size };
        j.predicate.resources = names.map((name, i) => ({ name, algorithm: algo, digest: sha(String(i)) }));
      });
    it('accepts path:start:end, colons in paths and the spec algorithm spelling', () => {
      assert.equal(codeOf(shards(['a:b.bin:0:8', 'a:b.bin:8:12'])), undefined);
      assert.equal(codeOf(shards(['f:0:8'], 8, 'sha256')), undefined);
    });
    it('rejects bad ranges and names', () => {
      assert.equal(codeOf(shards(['f:8:8'])), 'RESOURCE_NAME_INVALID');
      assert.equal(codeOf(shards(['f:0:9'])), 'RESOURCE_NAME_INVALID');
      assert.equal(codeOf(shards(['f:00:8'])), 'RESOURCE_NAME_INVALID');
      assert.equal(codeOf(shards(['f'])), 'RESOURCE_NAME_INVALID');
      assert.equal(codeOf(shards(['../f:0:8'])), 'RESOURCE_NAME_INVALID');
      assert.equal(codeOf(shards(['f:0:8'], 8, 'sha256-sharded-9')), 'PAYLOAD_MALFORMED');
    });
    it('requires an integral positive shard_size', () => {
      assert.equal(codeOf(shards(['f:0:1'], 1.5, 'sha256-sharded-1.5')), 'PAYLOAD_MALFORMED');
      assert.equal(codeOf(mutated((j) => (j.predicate.serialization.method = 'shards'))), 'PAYLOAD_MALFORMED');
    });
  });
});

describe('legacy v0.1 Digests statement', () => {
  const legacy = (subjects: Json[]) =>
    Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: subjects, predicateType: PREDICATE_TYPE_LEGACY_DIGESTS, predicate: { unused: 'Unused, just passed due to API requirements' } }));
  it('reads one subject per file as files/sha256', () => {
    const p = parseStatement(
      legacy([
        { name: 'signme-1', digest: { sha256: sha('1') }, annotations: { actual_hash_algorithm: 'file-sha256' } },
        { name: 'signme-2', digest: { sha256: sha('2') }, annotations: { actual_hash_algorithm: 'file-sha256' } },
      ]),
      T,
    );
    assert.equal(p.legacy, true);
    assert.equal(p.manifest.modelName, LEGACY_MODEL_NAME);
    assert.deepEqual(p.manifest.serialization, { method: 'files', hash_type: 'sha256', allow_symlinks: false });
    assert.deepEqual(p.manifest.resources.map((r) => r.name), ['signme-1', 'signme-2']);
  });
  it('still validates names and duplicates', () => {
    assert.equal(codeOf(legacy([{ name: '../x', digest: { sha256: sha('1') } }])), 'RESOURCE_NAME_INVALID');
    assert.equal(codeOf(legacy([{ name: 'x', digest: { sha256: sha('1') } }, { name: 'x', digest: { sha256: sha('2') } }])), 'DUPLICATE_RESOURCE');
    assert.equal(codeOf(legacy([{ name: 'x', digest: { sha256: sha('1') }, annotations: { actual_hash_algorithm: 'file-md5' } }])), 'SERIALIZATION_UNSUPPORTED');
  });
});
