// schemas/*.schema.json (for the Red Hat YAML extension's yamlValidation), checked with a small draft-07 subset
// validator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { tutorial } from './helpers';

/** The draft-07 keywords the validator understands (KEYWORDS) plus annotations. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  if?: Schema;
  then?: Schema;
  not?: Schema;
  anyOf?: Schema[];
  definitions?: Record<string, Schema>;
  [annotation: string]: unknown;
}

/** The parts of the tutorial Pod spec the mutations below change. */
interface PodFixture {
  kind: string;
  metadata: { annotations?: Record<string, unknown> };
  spec: {
    affinity?: unknown;
    containers: { ports: { name: string }[]; readinessProbe?: unknown }[];
  };
}
const SCHEMAS = join(__dirname, '..', '..', '..', '..', 'schemas');
const load = (f: string): Schema => JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8'));
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'definitions']);
const KEYWORDS = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'if',
  'then',
  'not',
  'anyOf',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Errors as "path: problem"; supports exactly the keywords in KEYWORDS. */
function validate(root: Schema, s: Schema, v: unknown, path = '$'): string[] {
  if (s.$ref) return validate(root, root.definitions![String(s.$ref).replace('#/definitions/', '')], v, path);
  const errs: string[] = [];
  const t = typeOf(v);
  if (s.type) {
    const types = ([] as string[]).concat(s.type);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return [`${path}: expected ${types.join('|')}, got ${t}`];
  }
  if (s.enum && !s.enum.some((e: unknown) => e === v)) errs.push(`${path}: not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && s.const !== v) errs.push(`${path}: must be ${JSON.stringify(s.const)}`);
  if (typeof v === 'string') {
    if (s.pattern && !new RegExp(s.pattern, 'u').test(v)) errs.push(`${path}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && v.length < s.minLength) errs.push(`${path}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && v.length > s.maxLength) errs.push(`${path}: longer than ${s.maxLength}`);
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) errs.push(`${path}: < ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) errs.push(`${path}: > ${s.maximum}`);
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) errs.push(`${path}: missing ${r}`);
    for (const [k, val] of Object.entries(o)) {
      if (s.properties?.[k]) errs.push(...validate(root, s.properties[k], val, `${path}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${path}: unknown property ${k}`);
      else if (typeof s.additionalProperties === 'object')
        errs.push(...validate(root, s.additionalProperties, val, `${path}.${k}`));
    }
  }
  if (t === 'array') {
    const a = v as unknown[];
    if (s.minItems !== undefined && a.length < s.minItems) errs.push(`${path}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && a.length > s.maxItems) errs.push(`${path}: more than ${s.maxItems} items`);
    const items = s.items;
    if (items) a.forEach((x, i) => errs.push(...validate(root, items, x, `${path}[${i}]`)));
  }
  if (s.if && validate(root, s.if, v, path).length === 0 && s.then) errs.push(...validate(root, s.then, v, path));
  if (s.not && validate(root, s.not, v, path).length === 0) errs.push(`${path}: matches a forbidden shape`);
  if (s.anyOf && !s.anyOf.some((x: Schema) => validate(root, x, v, path).length === 0))
    errs.push(`${path}: matches none of anyOf`);
  return errs;
}

function keywordsUsed(s: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(s)) s.forEach((x) => keywordsUsed(x, out));
  else if (s && typeof s === 'object') {
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties' || k === 'definitions') {
        Object.values(v as object).forEach((x) => keywordsUsed(x, out));
        out.add(k);
        continue;
      }
      if (k === 'enum' || k === 'const' || k === 'required') {
        out.add(k);
        continue;
      }
      out.add(k);
      keywordsUsed(v, out);
    }
  }
  return out;
}

const runtimeSchema = load('runtime-spec.schema.json');
const podSchema = load('pod-spec.schema.json');

describe('JSON schemas', () => {
  it('use only keywords this validator understands (so nothing is silently unchecked)', () => {
    for (const s of [runtimeSchema, podSchema]) {
      const unknown = [...keywordsUsed(s)].filter((k) => !KEYWORDS.has(k) && !ANNOTATIONS.has(k));
      assert.deepEqual(unknown, []);
    }
  });

  it('runtime spec: the etl-api.md examples pass, each document of a multi-doc file too', () => {
    const docs = parseAllDocuments(
      'name: test-etl1\nruntime:\n    image: aistorage/transformer_hello_world:latest\n---\nname: hello-world-etl\ncommunication: ws://\nsupport_direct_put: true\ninit_timeout: 5m\nobj_timeout: 45s\nruntime:\n  image: x\n  command: ["a"]\n  env: [{name: N, value: "4"}]\nresources: {requests: {memory: 256Mi, cpu: 1}}\n',
    );
    assert.ok(Array.isArray(docs));
    for (const d of docs as { toJS(): unknown }[])
      assert.deepEqual(validate(runtimeSchema, runtimeSchema, d.toJS()), []);
  });

  it('runtime spec: bad values are rejected', () => {
    const bad: [string, RegExp][] = [
      ['name: My_ETL\nruntime: {image: x}', /\$\.name: does not match/],
      ['name: md5-etl\ncommunication: hpush\nruntime: {image: x}', /\$\.communication: not one of/],
      ['name: md5-etl\ninit_timeout: 45\nruntime: {image: x}', /\$\.init_timeout: expected string/],
      ['name: md5-etl\nobj_timeout: 45sec\nruntime: {image: x}', /\$\.obj_timeout: does not match/],
      ['name: md5-etl\ncommunication: ws://\nruntime: {image: x}', /\$: missing support_direct_put/],
      ['name: md5-etl\nruntime: {command: [x]}', /\$\.runtime: missing image/],
      ['name: md5-etl\ncomunication: ws://\nruntime: {image: x}', /unknown property comunication/],
    ];
    for (const [text, re] of bad)
      assert.match(validate(runtimeSchema, runtimeSchema, parse(text)).join('\n'), re, text);
  });

  it('pod spec: the tutorial spec passes; broken pods are rejected', () => {
    const pod = parse(tutorial('spec.yaml'));
    assert.deepEqual(validate(podSchema, podSchema, pod), []);
    const mutate = (f: (p: PodFixture) => void) => {
      const p: PodFixture = parse(tutorial('spec.yaml'));
      f(p);
      return validate(podSchema, podSchema, p).join('\n');
    };
    assert.match(
      mutate((p) => {
        p.kind = 'Deployment';
      }),
      /\$\.kind: must be "Pod"/,
    );
    assert.match(
      mutate((p) => {
        p.spec.containers.push(p.spec.containers[0]);
      }),
      /containers: more than 1 items/,
    );
    assert.match(
      mutate((p) => {
        p.spec.containers[0].ports[0].name = 'http';
      }),
      /ports\[0\]\.name: must be "default"/,
    );
    assert.match(
      mutate((p) => {
        p.spec.containers[0].readinessProbe = { httpGet: { path: '/health', port: 8000 } };
      }),
      /httpGet\.port: must be "default"/,
    );
    assert.match(
      mutate((p) => {
        p.spec.affinity = { nodeAffinity: {} };
      }),
      /affinity: matches a forbidden shape/,
    );
    assert.match(
      mutate((p) => {
        p.metadata.annotations = { support_direct_put: true };
      }),
      /support_direct_put: expected string/,
    );
  });
});
