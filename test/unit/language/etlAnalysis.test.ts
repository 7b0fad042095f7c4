import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  diagnosticsToPublish,
  EtlAnalysisCache,
  isEtlCandidate,
  type DocumentRef,
} from '../../../src/language/etlAnalysis';
import type { EtlParse } from '../../../src/language/etlAnalysis';

const point = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const ref = (over: Partial<DocumentRef> = {}): DocumentRef => ({
  uri: 'file:///w/spec.yaml',
  scheme: 'file',
  languageId: 'yaml',
  fileName: '/w/spec.yaml',
  version: 1,
  ...over,
});

function countingParser(result: EtlParse) {
  const calls: string[] = [];
  return {
    calls,
    parse: (fileName: string, text: string) => {
      calls.push(`${fileName}:${text}`);
      return result;
    },
  };
}

test('python and yaml documents on disk or untitled are candidates; others are not', () => {
  assert.ok(isEtlCandidate({ scheme: 'file', languageId: 'python' }));
  assert.ok(isEtlCandidate({ scheme: 'untitled', languageId: 'yaml' }));
  assert.ok(!isEtlCandidate({ scheme: 'file', languageId: 'json' }));
  assert.ok(!isEtlCandidate({ scheme: 'git', languageId: 'yaml' }));
  assert.ok(!isEtlCandidate({ scheme: 'output', languageId: 'python' }));
});

test('a document version is parsed once; a new version is parsed again', () => {
  const p = countingParser({ kind: 'pod-spec', diagnostics: [] });
  const cache = new EtlAnalysisCache(p.parse);
  cache.analyze(ref(), () => 'v1');
  cache.analyze(ref(), () => 'v1');
  assert.deepEqual(p.calls, ['/w/spec.yaml:v1']);
  cache.analyze(ref({ version: 2 }), () => 'v2');
  assert.deepEqual(p.calls, ['/w/spec.yaml:v1', '/w/spec.yaml:v2']);
  assert.equal(cache.peek('file:///w/spec.yaml')?.kind, 'pod-spec');
  cache.forget('file:///w/spec.yaml');
  assert.equal(cache.peek('file:///w/spec.yaml'), undefined);
});

test('non-candidates are not parsed at all', () => {
  const p = countingParser({ kind: 'pod-spec', diagnostics: [] });
  assert.equal(
    new EtlAnalysisCache(p.parse).analyze(ref({ languageId: 'markdown' }), () => 'x'),
    undefined,
  );
  assert.deepEqual(p.calls, []);
});

test('oversized text and a throwing parser give an empty, unknown result', () => {
  const p = countingParser({ kind: 'pod-spec', diagnostics: [] });
  assert.deepEqual(
    new EtlAnalysisCache(p.parse, 10).analyze(ref(), () => 'x'.repeat(11)),
    { kind: 'unknown', diagnostics: [] },
  );
  assert.deepEqual(p.calls, []);
  const throwing = new EtlAnalysisCache(() => {
    throw new Error('boom');
  });
  assert.deepEqual(
    throwing.analyze(ref(), () => 'x'),
    { kind: 'unknown', diagnostics: [] },
  );
});

test('only ETL kinds publish diagnostics: "not an ETL" on plain Python/YAML stays silent', () => {
  const d = { severity: 'info' as const, message: 'Not an ETL', code: 'python-no-transform', range: point };
  assert.deepEqual(diagnosticsToPublish({ kind: 'unknown', diagnostics: [d] }), []);
  assert.deepEqual(diagnosticsToPublish({ kind: 'dockerfile', diagnostics: [d] }), []);
  for (const kind of ['python-transform', 'python-etl-class', 'io-script', 'pod-spec', 'runtime-spec'] as const) {
    assert.deepEqual(diagnosticsToPublish({ kind, diagnostics: [d] }), [d], kind);
  }
});
