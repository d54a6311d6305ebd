import assert from 'node:assert/strict';
import { describeGlobal, folderSummary, notificationKey, safetyBadge } from '../../../../src/core/review';
import type { ImportedGlobal } from '../../../../src/core/modelsafety/types';

describe('model safety presentation', () => {
  it('badges dangerous and suspicious files, not safe or unknown ones, and never with a signing badge letter', () => {
    assert.equal(safetyBadge('dangerous').color, 'charts.red');
    assert.ok(safetyBadge('dangerous').badge);
    assert.ok(safetyBadge('suspicious').badge);
    assert.equal(safetyBadge('unknown').badge, undefined);
    assert.match(safetyBadge('unknown').label, /could not be fully checked/);
    assert.equal(safetyBadge('safe').badge, undefined);
    for (const v of ['dangerous', 'suspicious'] as const) assert.ok(!['✓', '!', '?'].includes(safetyBadge(v).badge!));
    assert.match(safetyBadge('safe').label, /Safe/);
  });

  it('summarises a folder by its worst file, only counting files below it', () => {
    const files = [
      { path: 'models/a/w.safetensors', verdict: 'safe' as const },
      { path: 'models/a/x.pkl', verdict: 'dangerous' as const },
      { path: 'models/ab/y.pkl', verdict: 'suspicious' as const },
    ];
    assert.deepEqual(folderSummary(files, 'models/a'), { verdict: 'dangerous', worstFile: 'models/a/x.pkl', count: 2 });
    assert.deepEqual(folderSummary(files, 'models/ab/'), { verdict: 'suspicious', worstFile: 'models/ab/y.pkl', count: 1 });
    assert.equal(folderSummary(files, 'other'), undefined);
  });

  it('describes a global with hex offsets, member and count', () => {
    const g: ImportedGlobal = {
      module: 'os', name: 'system', verdict: 'dangerous', reason: 'runs a shell command', opcode: 'STACK_GLOBAL', resolved: true,
      locations: [{ offset: 42, member: 'archive/data.pkl' }], count: 2,
    };
    assert.equal(describeGlobal(g), 'os.system (dangerous) via STACK_GLOBAL at offset 0x2a in archive/data.pkl ×2: runs a shell command');
  });

  it('changes the notification key when the file changes', () => {
    assert.notEqual(notificationKey('a.pkl', 10, 1000), notificationKey('a.pkl', 11, 1000));
    assert.equal(notificationKey('a.pkl', 10, 1000.7), notificationKey('a.pkl', 10, 1000.2));
  });
});
