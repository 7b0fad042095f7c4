import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectEtlFileKind, type EtlFileKind } from '../../../../src/engine/etl';
import { tutorial } from './helpers';

describe('detectEtlFileKind', () => {
  it('recognises every tutorial file', () => {
    assert.equal(detectEtlFileKind('code.py', tutorial('code.py')), 'python-transform');
    assert.equal(detectEtlFileKind('io/code.py', tutorial('io/code.py')), 'io-script');
    assert.equal(detectEtlFileKind('spec.yaml', tutorial('spec.yaml')), 'pod-spec');
    assert.equal(detectEtlFileKind('Dockerfile', tutorial('Dockerfile')), 'dockerfile');
    assert.equal(detectEtlFileKind('server.py', tutorial('server.py')), 'unknown');
  });

  const table: [string, string, EtlFileKind][] = [
    ['etl.yaml', 'name: md5-etl\nruntime:\n  image: x\n', 'runtime-spec'],
    ['etl.yml', '---\nname: a-etl-1\nruntime: {image: x}\n---\nname: a-etl-2\nruntime: {image: y}\n', 'runtime-spec'],
    ['pod.yaml', 'apiVersion: v1\nkind: Pod\nspec: {}\n', 'pod-spec'],
    ['pod.yaml', 'kind: Pod\nmetadata: {name: x}\n', 'pod-spec'],
    ['deploy.yaml', 'kind: Deployment\nspec: {}\n', 'pod-spec'],
    ['pod.json', '{"apiVersion":"v1","kind":"Pod","spec":{"containers":[]}}', 'pod-spec'],
    ['broken.yaml', 'name: x\nruntime:\n  image: [unclosed\n', 'runtime-spec'],
    ['config.yaml', 'foo: bar\n', 'unknown'],
    ['md5.Dockerfile', 'FROM alpine\n', 'dockerfile'],
    ['Dockerfile.dev', 'FROM alpine\n', 'dockerfile'],
    ['Untitled-1', '# comment\nFROM python:3.11\nCMD ["python"]\n', 'dockerfile'],
    ['Untitled-2', 'def transform(b):\n    return b\n', 'python-transform'],
    ['Untitled-3', 'import sys\nsys.stdout.write(sys.stdin.read())\n', 'io-script'],
    ['Untitled-4', 'runtime:\n  image: x\n', 'runtime-spec'],
    ['t.py', 'class X:\n    def transform(self, b):\n        return b\n', 'python-transform'],
    ['t.py', 'from mylib import transform\n', 'python-transform'],
    ['t.py', 'import sys\nfor line in sys.stdin:\n    print(line.upper())\n', 'io-script'],
    ['t.py', 'print("hello")\n', 'unknown'],
    ['t.py', '# def transform(x) is only mentioned in a comment\nprint(1)\n', 'unknown'],
  ];
  for (const [name, text, kind] of table) {
    it(`${name}: ${JSON.stringify(text.slice(0, 40))} → ${kind}`, () =>
      assert.equal(detectEtlFileKind(name, text), kind));
  }
});
