import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TrustLensError } from '../../../../src/core/errors';
import { fingerprintRange, reanchor } from '../../../../src/core/provenance/fingerprint';
import {
  emptyStore,
  parseProvenanceStore,
  readProvenanceStore,
  restoreRanges,
  serializeProvenanceStore,
  toStored,
  writeProvenanceStore,
} from '../../../../src/core/provenance/store';
import { wholeLines, type AiRange } from '../../../../src/core/provenance/types';

const text = 'import os\n\ndef run(cmd):\n    os.system(cmd)\n    return 0\n\nprint(1)\n';
const ai: AiRange = { range: wholeLines(2, 4), source: 'live', tool: 'Copilot', at: new Date('2026-01-02T03:04:05.000Z'), evidence: '3-line block inserted in one edit' };

describe('provenance store', () => {
  it('round-trips through serialize/parse and a file on disk', async () => {
    const store = emptyStore();
    store.files['src/app.py'] = [toStored(ai, fingerprintRange(text, ai.range))];
    const again = parseProvenanceStore(serializeProvenanceStore(store));
    assert.deepEqual(again, store);
    const dir = mkdtempSync(path.join(tmpdir(), 'tl-store-'));
    try {
      const file = path.join(dir, '.trustlens', 'ai-ranges.json');
      await writeProvenanceStore(file, store);
      assert.deepEqual(await readProvenanceStore(file), store);
      assert.equal(readFileSync(file, 'utf8'), serializeProvenanceStore(store));
      assert.deepEqual(await readProvenanceStore(path.join(dir, 'missing.json')), emptyStore());
      writeFileSync(file, '{"version":1,"files":{"a":[{"range":{"startLine":-1}}]}}');
      await assert.rejects(readProvenanceStore(file), (e: unknown) => TrustLensError.is(e, 'PROVENANCE_STORE_INVALID') && /files\.a\.0\.range/.test((e as Error).message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const corrupt: Array<[string, string, RegExp]> = [
    ['truncated JSON', '{"version":1,"files":{', /not valid JSON/],
    ['wrong type', '{"version":1,"files":[]}', /invalid at files/],
    ['bad source', '{"version":1,"files":{"a":[{"range":{"startLine":0,"startCol":0,"endLine":1,"endCol":0},"source":"magic","evidence":"","lineHashes":[]}]}}', /invalid at files\.a\.0\.source/],
    ['bad hash', '{"version":1,"files":{"a":[{"range":{"startLine":0,"startCol":0,"endLine":1,"endCol":0},"source":"user","evidence":"","lineHashes":["zz"]}]}}', /lineHashes/],
  ];
  for (const [name, body, msg] of corrupt) {
    it(`rejects a corrupt store (${name}) with a coded, located error`, () => {
      assert.throws(() => parseProvenanceStore(body, 'ws/.trustlens/ai-ranges.json'), (e: unknown) => TrustLensError.is(e, 'PROVENANCE_STORE_INVALID') && msg.test((e as Error).message) && /ws\/\.trustlens/.test((e as Error).message));
    });
  }
  it('rejects a newer store version with its own code', () => {
    assert.throws(() => parseProvenanceStore('{"version":2,"files":{}}'), (e: unknown) => TrustLensError.is(e, 'PROVENANCE_STORE_UNSUPPORTED_VERSION'));
  });

  it('re-anchors ranges when the file changed outside the editor', () => {
    const stored = [toStored(ai, fingerprintRange(text, ai.range))];
    assert.deepEqual(restoreRanges(stored, text).ranges[0].range, ai.range);
    const moved = '# header\n# more\n' + text;
    const r = restoreRanges(stored, moved);
    assert.deepEqual(r.ranges[0].range, wholeLines(4, 6));
    assert.match(r.ranges[0].evidence, /moved/);
    const reindented = '# header\n' + text.replace('    os.system(cmd)', '\tos.system( cmd )'.replace('( cmd )', '(cmd)'));
    assert.equal(restoreRanges(stored, reindented).ranges[0].range.startLine, 3);
    const edited = text.replace('    return 0', '    return 1');
    const p = restoreRanges(stored, edited);
    assert.deepEqual(p.ranges[0].range, wholeLines(2, 3));
    assert.match(p.ranges[0].evidence, /partly changed/);
    const gone = restoreRanges(stored, 'print(1)\n');
    assert.equal(gone.ranges.length, 0);
    assert.equal(gone.lost.length, 1);
  });

  it('reanchor picks the occurrence nearest to the old position', () => {
    const fp = fingerprintRange('x = 1\n', wholeLines(0, 0));
    const r = reanchor(fp, 5, 'x = 1\na\nb\nc\nd\ne\nf\nx = 1\n');
    assert.deepEqual(r, { status: 'moved', range: wholeLines(7, 7) });
  });
});
