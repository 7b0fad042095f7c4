// Fuzz: generated object/bucket names never escape the data folder; mutated init messages always get a 4xx with a
// message and never crash the gateway. Seeded PRNG so failures reproduce.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, realpathSync, rmSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import { startLocalCluster, type LocalCluster } from '../../../../src/engine/local';
import { objNameError, bucketNameError } from '../../../../src/engine/local/storage/names';
import { TargetStore } from '../../../../src/engine/local/storage/target-store';
import { b64, call, codeInit, rawCall } from './helpers';

function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}
const rnd = prng(20261125);
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
const PIECES = [
  '..',
  '.',
  '/',
  '//',
  '\\',
  '\\..\\',
  '%2e%2e',
  '%2F',
  '%00',
  '\0',
  '~',
  '$HOME',
  'a',
  'b/c',
  ' ',
  '\u202e',
  'é',
  '😀',
  '\uD800',
  '.aisetl-tmp-',
  'x'.repeat(200),
  'y'.repeat(300),
  '/etc/passwd',
  'C:\\',
  'bmd.json',
  '.trash-x',
  '*',
  '?',
  '#',
  '%',
  '\n',
  '\t',
  '..%2f',
  '.%2e',
];
function genName(): string {
  let s = '';
  const n = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) s += pick(PIECES);
  return s;
}

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) walkFiles(p, out);
    else out.push(p);
  }
  return out;
}

let dir: string;
let dataDir: string;
let c: LocalCluster;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aisetl-fuzz-'));
  dataDir = join(dir, 'data');
  c = await startLocalCluster({
    dataDir,
    workerFactory: async () => {
      throw new Error('no workers while fuzzing');
    },
  });
  await call('POST', c.endpoint + '/v1/buckets/fz', { json: { action: 'create-bck' } });
});
after(async () => {
  await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('10,000 generated object names: every accepted name maps strictly inside its bucket folder', () => {
  const store = new TargetStore('TTTTTTTT', join(dataDir, 'TTTTTTTT'));
  const bucketDir = resolve(store.bucketDir('fz'));
  let accepted = 0;
  for (let i = 0; i < 10_000; i++) {
    const name = genName();
    if (objNameError(name)) continue;
    accepted++;
    const p = resolve(store.objPath('fz', name));
    assert.ok(p.startsWith(bucketDir + sep), `${JSON.stringify(name)} → ${p}`);
    assert.ok(
      !p
        .slice(bucketDir.length)
        .split(sep)
        .some((s) => s === '..' || s.startsWith('.aisetl-tmp-')),
      JSON.stringify(name),
    );
  }
  assert.ok(accepted > 100, `the generator must also produce valid names (got ${accepted})`);
});

test('10,000 generated bucket names: accepted ones are single safe path segments', () => {
  for (let i = 0; i < 10_000; i++) {
    const name = genName().slice(0, 80);
    if (bucketNameError(name)) continue;
    assert.ok(
      !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..' && !name.startsWith('.'),
      JSON.stringify(name),
    );
  }
});

test('1,500 fuzzed object PUTs over HTTP: 200 or 4xx, and every file on disk is inside the data folder', async () => {
  const before = readdirSync(dir).sort();
  let ok = 0,
    rejected = 0;
  const names = Array.from({ length: 1500 }, () => genName());
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < names.length) {
        const name = names[next++];
        // percent-encode only what HTTP cannot carry raw; keep "..", "%2e", "\\" and "/" as the attacker sends them
        const raw = name.replace(/[^\x21-\x7e]/gu, (ch) => {
          try {
            return encodeURIComponent(ch);
          } catch {
            return '%ED%A0%80';
          }
        });
        const r = await rawCall('PUT', c.endpoint, `/v1/objects/fz/${raw}`, 'data');
        let status = r.status;
        if (status === 307)
          status = (
            await rawCall(
              'PUT',
              String(r.headers.location).replace(/\/v1\/.*$/, ''),
              String(r.headers.location).replace(/^https?:\/\/[^/]+/, ''),
              'data',
            )
          ).status;
        assert.ok(status === 200 || (status >= 400 && status < 500), `${JSON.stringify(name)} → ${status}`);
        if (status === 200) ok++;
        else rejected++;
      }
    }),
  );
  assert.ok(ok > 0 && rejected > 0, `ok=${ok} rejected=${rejected}`);
  assert.deepEqual(readdirSync(dir).sort(), before, 'nothing may appear next to the data folder');
  const root = realpathSync(dataDir) + sep;
  for (const f of walkFiles(dataDir)) {
    assert.ok(realpathSync(f).startsWith(root), f);
    assert.ok(!lstatSync(f).isSymbolicLink(), f);
    // the name index's snapshot and crash journal use the reserved prefix too, next to the bucket folder
    assert.ok(!/^\.aisetl-tmp-(?!index-|ixlog-)/.test(basename(f)), `temp file left behind: ${f}`);
  }
  assert.equal((await call('GET', c.endpoint + '/v1/health')).status, 200);
});

// Values that break a field's type, range, or format: wrong types, extremes, bad durations and runtimes, bad base64.
const JUNK: unknown[] = [
  null,
  0,
  -1,
  Number.MAX_VALUE,
  true,
  '',
  'x'.repeat(5000),
  [],
  {},
  [1, 'a'],
  { a: 1 },
  'hpush',
  'ws://',
  '5m',
  '-5s',
  '1e9h',
  '!!!',
  b64('kind: Pod'),
  b64('\0\0'),
  'python3.11v2',
];
// What replaces one character of a base64-encoded pod spec: breaks its YAML or its pod shape.
const YAML_SPLICES = [
  '',
  ':',
  '- ',
  '\n  ',
  '{',
  ']',
  'containers: 3',
  'ports: []',
  'readinessProbe: {httpGet: {port: 80}}',
];
// Fields an init message may carry, so that a mutation can add one that is missing.
const INIT_FIELDS = [
  'spec',
  'code',
  'runtime',
  'communication',
  'init_timeout',
  'obj_timeout',
  'id',
  'funcs',
  'support_direct_put',
  'chunk_size',
  'env',
  'argument',
];

function mutate(v: unknown, depth = 0): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.15) return pick<unknown>(JUNK);
  if (Array.isArray(v))
    return r < 0.5 ? v.slice(0, Math.floor(rnd() * (v.length + 1))) : v.map((x) => mutate(x, depth + 1));
  if (v && typeof v === 'object') return mutateObject(v as Record<string, unknown>, depth);
  return mutate({}, depth + 1);
}

const isLongBase64 = (x: unknown): x is string => typeof x === 'string' && /^[A-Za-z0-9+/=]+$/.test(x) && x.length > 8;

/** Drops, mutates, renames or corrupts (base64 YAML) one field, or adds a known field with a random value. */
function mutateObject(v: Record<string, unknown>, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = { ...v };
  const keys = Object.keys(o);
  const k = pick(keys.length ? keys : ['name']);
  const op = rnd();
  const field = o[k];
  if (op < 0.25) delete o[k];
  else if (op < 0.5) o[k] = mutate(o[k], depth + 1);
  else if (op < 0.6) {
    o[k.toUpperCase()] = o[k];
    delete o[k];
  } else if (op < 0.75 && isLongBase64(field)) o[k] = spliceBase64Yaml(field);
  else o[pick(INIT_FIELDS)] = mutate(undefined, depth + 1);
  return o;
}

/** Decodes the base64 text, replaces one character with a YAML-breaking splice, and encodes it again. */
function spliceBase64Yaml(encoded: string): string {
  const txt = Buffer.from(encoded, 'base64').toString();
  const i = Math.floor(rnd() * txt.length);
  return b64(txt.slice(0, i) + pick(YAML_SPLICES) + txt.slice(i + 1));
}

const POD =
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: transformer-md5\n  annotations:\n    support_direct_put: 'true'\nspec:\n  containers:\n    - name: server\n      image: docker.io/aistore/md5_server:v1\n      ports:\n        - name: default\n          containerPort: 80\n      command: ['/code/server.py', '--listen', '0.0.0.0', '--port', '80']\n      readinessProbe:\n        httpGet: {path: /health, port: default}\n";
const SEEDS: Record<string, unknown>[] = [
  codeInit('fuzz-code'),
  {
    id: 'fuzz-old1',
    communication: 'hpull://',
    timeout: '0s',
    code: b64('def transform(b): return b'),
    dependencies: b64('requests'),
    runtime: 'python3.10v2',
    Funcs: { transform: 'transform' },
    chunk_size: 0,
    flags: 0,
    argument: '',
  },
  {
    name: 'fuzz-io01',
    communication: 'io://',
    runtime: 'python3.11v2',
    code: b64('import sys\nsys.stdout.write(sys.stdin.read())'),
  },
  {
    name: 'fuzz-spec',
    communication: 'hpush://',
    init_timeout: '5m',
    obj_timeout: '45s',
    support_direct_put: true,
    runtime: {
      image: 'aistorage/transformer_md5:latest',
      command: ['python', 'server.py'],
      env: [{ name: 'A', value: '1' }],
    },
    resources: { requests: { cpu: '1' } },
  },
  { name: 'fuzz-pod1', communication: 'hpush://', init_timeout: '5m', spec: b64(POD) },
  { name: 'fuzz-rts1', spec: b64('name: fuzz-rts1\nruntime:\n  image: aistorage/transformer_md5:latest\n') },
];

test('1,000 mutated init messages → 4xx with a message, never a crash', async () => {
  let n = 0;
  const statuses = new Map<number, number>();
  for (let i = 0; i < 1000; i++) {
    let m: unknown = SEEDS[i % SEEDS.length];
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < rounds; j++) m = mutate(m);
    const body = rnd() < 0.05 ? JSON.stringify(m).slice(0, Math.floor(rnd() * 40)) : JSON.stringify(m);
    const r = await call('PUT', c.endpoint + '/v1/etl', { body, headers: { 'content-type': 'application/json' } });
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status} for ${body.slice(0, 300)}`);
    const e = JSON.parse(r.body.toString());
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
    n++;
  }
  assert.equal(n, 1000);
  assert.equal((await call('GET', c.endpoint + '/v1/health')).status, 200);
  assert.ok((statuses.get(400) ?? 0) > 500, JSON.stringify([...statuses]));
});
