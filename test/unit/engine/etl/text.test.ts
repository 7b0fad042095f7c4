import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInputForTest, firstInvalidUtf8, LineIndex } from './textUnderTest';

describe('firstInvalidUtf8', () => {
  it('accepts valid multi-byte text', () => {
    assert.equal(firstInvalidUtf8(Buffer.from('naïve — 日本語 😀', 'utf8')), -1);
  });
  it('finds the first bad byte', () => {
    const cases: [number[], number][] = [
      [[0x61, 0xff, 0x62], 1], // never valid
      [[0x61, 0x62, 0xc3], 2], // truncated 2-byte sequence
      [[0xc0, 0xaf], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // UTF-16 surrogate
      [[0x61, 0xe2, 0x82, 0x41], 1], // bad continuation
      [[0xf4, 0x90, 0x80, 0x80], 0], // > U+10FFFF
    ];
    for (const [bytes, at] of cases) assert.equal(firstInvalidUtf8(Buffer.from(bytes)), at, JSON.stringify(bytes));
  });
});

describe('LineIndex', () => {
  it('maps offsets to 0-based line/character', () => {
    const idx = new LineIndex('ab\ncd\r\nef');
    assert.deepEqual(idx.position(0), { line: 0, character: 0 });
    assert.deepEqual(idx.position(4), { line: 1, character: 1 });
    assert.deepEqual(idx.position(7), { line: 2, character: 0 });
    assert.deepEqual(idx.lineRange(1), { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
    assert.equal(idx.lineCount, 3);
  });
});

describe('decodeInput', () => {
  it('strips a UTF-8 BOM from buffers like editors do', () => {
    const r = decodeInputForTest(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x')]));
    assert.deepEqual(r, { ok: true, text: 'x' });
  });
  it('reports where invalid UTF-8 starts', () => {
    const r = decodeInputForTest(Buffer.concat([Buffer.from('line one\nab'), Buffer.from([0xff]), Buffer.from('\n')]));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.diagnostic.code, 'invalid-utf8');
      assert.deepEqual(r.diagnostic.range.start, { line: 1, character: 2 });
      assert.match(r.diagnostic.message, /0xff at offset 11/);
    }
  });
});
