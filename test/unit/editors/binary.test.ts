import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexDump, looksBinary } from '../../../src/editors/binary';

test('text, UTF-8 and an md5 hex digest are text', () => {
  assert.equal(looksBinary(Buffer.from('393c6706efb128fbc442d3f7d084a426')), false);
  assert.equal(looksBinary(Buffer.from('héllo wörld — ok\n\ttabbed\r\n')), false);
  assert.equal(looksBinary(Buffer.alloc(0)), false);
});

test('a multi-byte character cut at the end of the sample is still text', () => {
  const full = Buffer.from('aaaa€');
  assert.equal(looksBinary(full.subarray(0, full.length - 1)), false);
});

test('NUL bytes, invalid UTF-8 and control-heavy data are binary', () => {
  assert.equal(looksBinary(Buffer.from([0x41, 0x00, 0x42])), true);
  assert.equal(looksBinary(Buffer.from([0xff, 0xfe, 0x41, 0x42, 0x43])), true);
  assert.equal(looksBinary(Buffer.from([1, 2, 3, 4, 5, 0x41])), true);
  assert.equal(looksBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), true); // PNG magic
});

test('hex dump shows offset, bytes and printable characters', () => {
  const lines = hexDump(Buffer.from('Hello, binary world!\x00\x01'), 0x100).split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[0], '00000100  48 65 6c 6c 6f 2c 20 62  69 6e 61 72 79 20 77 6f  |Hello, binary wo|');
  assert.match(lines[1], /^00000110 {2}72 6c 64 21 00 01 +\|rld!\.\.\|$/);
});
