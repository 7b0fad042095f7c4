// Bad input never throws: each case comes back as diagnostics with a clear message.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEtlFile, detectEtlFileKind, MAX_ETL_FILE_BYTES } from '../../../../src/engine/etl';
import { applyFix, only, textAt, tutorial } from './helpers';

describe('bad input', () => {
  it('malformed YAML: syntax errors with positions, no definitions', () => {
    const text = 'name: md5-etl\nruntime:\n  image: [unclosed\n  command: x\n';
    const r = parseEtlFile('e.yaml', text);
    assert.equal(r.kind, 'runtime-spec');
    assert.deepEqual(r.definitions, []);
    const syntax = r.diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(syntax.length >= 1);
    assert.ok(
      syntax.every((d) => d.severity === 'error' && d.range.start.line >= 2),
      JSON.stringify(syntax),
    );
    assert.ok(syntax.every((d) => !d.message.includes('\n')));
  });

  it('duplicate keys are syntax errors at the second key', () => {
    const text = 'name: md5-etl\nname: other-etl\nruntime: {image: x}\n';
    const d = parseEtlFile('e.yaml', text).diagnostics.find((x) => x.code === 'yaml-syntax')!;
    assert.equal(d.range.start.line, 1);
  });

  it('wrong kinds: a non-map document and a YAML list', () => {
    assert.equal(only(parseEtlFile('e.yaml', '- a\n- b\n').diagnostics, 'unknown-document').severity, 'error');
    assert.equal(only(parseEtlFile('e.yaml', 'just a string\n').diagnostics, 'unknown-document').severity, 'error');
    assert.equal(only(parseEtlFile('e.yaml', '').diagnostics, 'empty-yaml').severity, 'error');
  });

  it('a Buffer with invalid UTF-8 gives one diagnostic at the bad byte', () => {
    const buf = Buffer.concat([
      Buffer.from('name: md5-etl\nruntime:\n  image: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const r = parseEtlFile('e.yaml', buf);
    assert.equal(r.diagnostics.length, 1);
    const d = only(r.diagnostics, 'invalid-utf8');
    assert.deepEqual(d.range.start, { line: 2, character: 12 });
    assert.match(d.message, /not valid UTF-8.*save it as UTF-8/);
  });

  it('binary content is refused', () => {
    const r = parseEtlFile('x.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    assert.equal(only(r.diagnostics, 'binary-file').severity, 'error');
    assert.equal(detectEtlFileKind('x.py', 'a\0b'), 'unknown');
  });

  it('20 MiB input (string and Buffer) gives one diagnostic, quickly and without throwing', () => {
    const line = 'x'.repeat(1023) + '\n';
    const big = `name: md5-etl\nruntime: {image: x}\n# ${line.repeat(20 * 1024)}`;
    assert.ok(big.length > MAX_ETL_FILE_BYTES);
    for (const input of [big, Buffer.from(big)]) {
      const r = parseEtlFile('e.yaml', input);
      assert.equal(r.diagnostics.length, 1);
      assert.match(only(r.diagnostics, 'file-too-large').message, /20\.0 MiB, more than the 10 MiB/);
      assert.deepEqual(r.definitions, []);
    }
    assert.equal(detectEtlFileKind('e.yaml', big), 'runtime-spec');
  });

  it('names with capitals/underscores and bad starts/ends', () => {
    const cases: [string, string][] = [
      ['My_ETL_Name', 'name-invalid-chars'],
      ['md5_etl', 'name-invalid-chars'],
      ['abc', 'name-too-short'],
      ['a'.repeat(40), 'name-too-long'],
      ['1md5-etl', 'name-start-end'],
      ['md5-etl-', 'name-start-end'],
      ['""', 'name-empty'],
    ];
    for (const [name, code] of cases) {
      const text = `name: ${name}\nruntime: {image: x}\n`;
      const d = only(parseEtlFile('e.yaml', text).diagnostics, code);
      assert.equal(d.range.start.line, 0, name);
      assert.equal(d.range.start.character, 6, name);
    }
    assert.equal(
      only(parseEtlFile('e.yaml', 'name: 123456\nruntime: {image: x}\n').diagnostics, 'name-not-string').severity,
      'error',
    );
  });

  it('unknown comm types and numbers as timeouts', () => {
    const text = 'name: md5-etl\ncommunication: tcp\ninit_timeout: 45\nobj_timeout: 1.5\nruntime: {image: x}\n';
    const r = parseEtlFile('e.yaml', text);
    assert.equal(textAt(text, only(r.diagnostics, 'comm-type-unknown')), 'tcp');
    const nums = r.diagnostics.filter((d) => d.code === 'timeout-number').map((d) => d.fix!.newText);
    assert.deepEqual(nums, ['"45s"', '"1.5s"']);
  });

  it('an alias bomb does not blow up', () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nname: md5-etl\nruntime: {image: x}\nresources: {requests: *d}\n';
    const r = parseEtlFile('e.yaml', bomb);
    assert.equal(r.kind, 'runtime-spec');
  });
});

describe('line endings and input types', () => {
  it('CRLF files: same diagnostics and fixes as LF (ranges exclude the \\r)', () => {
    const spec = tutorial('spec.yaml');
    const crlf = spec.replace(/\n/g, '\r\n');
    const d = only(parseEtlFile('spec.yaml', crlf).diagnostics, 'pod-readiness-missing');
    assert.deepEqual(d.range, only(parseEtlFile('spec.yaml', spec).diagnostics, 'pod-readiness-missing').range);
    const io = tutorial('io/code.py').replace(/\n/g, '\r\n');
    const loop = only(parseEtlFile('io/code.py', io).diagnostics, 'io-iterates-bytes');
    assert.equal(textAt(io, loop), 'for chunk in sys.stdin.buffer.read():');
    assert.match(
      applyFix(io, loop.fix!),
      /md5 = hashlib\.md5\(\)\r\nmd5\.update\(sys\.stdin\.buffer\.read\(\)\)\r\nsys\.stdout/,
    );
  });

  it('a valid UTF-8 Buffer parses exactly like the string', () => {
    for (const f of ['spec.yaml', 'code.py', 'io/code.py', 'Dockerfile']) {
      assert.deepEqual(parseEtlFile(f, Buffer.from(tutorial(f), 'utf8')), parseEtlFile(f, tutorial(f)), f);
    }
  });
});
