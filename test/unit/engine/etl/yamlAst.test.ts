import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { asMap, getNode, YamlSource } from '../../../../src/engine/etl/yamlAst';
import { applyFix } from './helpers';

function source(text: string): { src: YamlSource; root: YAMLMap } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return { src: new YamlSource(text, lineCounter), root: asMap(doc.contents)! };
}

describe('YamlSource.prependToMap', () => {
  it('puts the line before the first key, at its column', () => {
    const text = 'spec:\n  image: x\n  port: 8000\n';
    const { src, root } = source(text);
    const fix = src.prependToMap('Add name', asMap(getNode(root, 'spec'))!, 'name: y');
    assert.equal(fix.title, 'Add name');
    assert.equal(applyFix(text, fix), 'spec:\n  name: y\n  image: x\n  port: 8000\n');
  });

  it('an empty map gets the line at the document start', () => {
    const text = '{}\n';
    const { src, root } = source(text);
    assert.equal(applyFix(text, src.prependToMap('Add kind', root, 'kind: Pod')), 'kind: Pod\n{}\n');
  });
});
