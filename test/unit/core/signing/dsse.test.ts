import { strict as assert } from 'node:assert';
import { pae, paeCompat, pythonBytesRepr } from '../../../../src/core/signing/dsse';

describe('DSSE PAE', () => {
  it('encodes type and payload lengths in bytes, not characters', () => {
    const got = pae('application/vnd.in-toto+json', Buffer.from('é{}', 'utf8'));
    assert.equal(got.toString('utf8'), 'DSSEv1 28 application/vnd.in-toto+json 4 é{}');
  });
  it('keeps an empty payload', () => {
    assert.equal(pae('t', new Uint8Array()).toString(), 'DSSEv1 1 t 0 ');
  });
  it('builds the v0.2.0 compat PAE with capital V and the Python bytes repr', () => {
    const got = paeCompat('application/vnd.in-toto+json', Buffer.from('{\n  "a": 1\n}'));
    assert.equal(got.toString(), 'DSSEV1 28 application/vnd.in-toto+json 12 b\'{\\n  "a": 1\\n}\'');
  });
});

describe('pythonBytesRepr', () => {
  // Expected strings are what CPython 3 prints for repr(bytes(...)).
  const cases: [number[] | string, string][] = [
    ['abc', "b'abc'"],
    ["it's", 'b"it\'s"'],
    ['both \' and "', "b'both \\' and \"'"],
    ['tab\tcr\rnl\nbs\\', "b'tab\\tcr\\rnl\\nbs\\\\'"],
    [[0, 0x1f, 0x7f, 0x80, 0xff], "b'\\x00\\x1f\\x7f\\x80\\xff'"],
  ];
  for (const [input, want] of cases) {
    it(`repr of ${JSON.stringify(input)}`, () => {
      const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : Buffer.from(input);
      assert.equal(pythonBytesRepr(bytes), want);
    });
  }
});
