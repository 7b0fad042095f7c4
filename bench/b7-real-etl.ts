// B7 (B5 extended to ETL): inline transform latency and a 1,000-object bucket job through AIStore's own ETL
// (aisnode v1.5.0 -tags etl, 2 targets, pods on a real Kubernetes API, run by the pod runner) vs our local cluster
// (2 targets), same ETL (the same AIS 5.0 init message: a transform(bytes) wrapped on runtime_python), same client,
// one run. aisnode is the baseline: ratio = local / aisnode.
//
// Needs the real-Kubernetes harness. `npm run bench -- b7` starts it (test/conformance/k8s/run.sh --bench, which
// runs this file inside the harness's network namespace) and reads the results back.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AisClient } from '../src/engine/ais';
import { AIS50, initBody, wrappedCodeDef } from '../test/conformance/k8s/lib/etls';
import { startLocalProcess } from '../test/conformance/lib/peers';
import type { BenchResult } from './lib/types';

const ROOT = path.resolve(__dirname, '..');
const ETL = 'b7-md5';
const SRC = 'ais://bench-b7';
const N_JOB = Number(process.env.BENCH_B7_OBJECTS ?? 1000);
const N_INLINE = 200;
const BODY = Buffer.alloc(1024, 0x62);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

interface Numbers {
  inlineMs: number;
  inlineP90Ms: number;
  jobS: number;
}

async function drain(s: { body: NodeJS.ReadableStream }): Promise<number> {
  let n = 0;
  for await (const ch of s.body) n += (ch as Buffer).length;
  return n;
}

async function measure(c: AisClient): Promise<Numbers> {
  await c.createBucket(SRC);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N_JOB) {
        const i = next++;
        await c.putObject(SRC, `o/${String(i).padStart(5, '0')}`, BODY);
      }
    }),
  );
  await c.initEtl(initBody(wrappedCodeDef('hpush://'), ETL, AIS50));
  for (let i = 0; i < 20; i++) await drain(await c.getObject(SRC, 'o/00000', { etl: { name: ETL } })); // warm-up
  const lats: number[] = [];
  for (let i = 0; i < N_INLINE; i++) {
    const t0 = process.hrtime.bigint();
    const n = await drain(await c.getObject(SRC, `o/${String(i % N_JOB).padStart(5, '0')}`, { etl: { name: ETL } }));
    lats.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (n !== 32) throw new Error(`inline transform returned ${n} bytes, expected an md5 (32)`);
  }
  const t0 = process.hrtime.bigint();
  const xid = await c.startBucketTransform({ src: SRC, dst: 'ais://bench-b7-out', etl: { name: ETL } });
  const done = await c.waitJob(xid, 'etl-bck', { intervalMs: 100, signal: AbortSignal.timeout(600_000) });
  const jobS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (done.aborted || done.objs !== N_JOB)
    throw new Error(`bucket job ended with ${done.objs}/${N_JOB} objects${done.err ? `: ${done.err}` : ''}`);
  await c.stopEtl(ETL).catch(() => undefined);
  return { inlineMs: median(lats), inlineP90Ms: pct(lats, 0.9), jobS };
}

/** Lets the local cluster's ETL use the harness's pre-made venvs (the harness has no route to PyPI). */
function linkVenvs(dataDir: string): void {
  fs.mkdirSync(path.join(dataDir, '.etl', ETL), { recursive: true });
  fs.symlinkSync(process.env.AISETL_K8S_VENVS ?? '', path.join(dataDir, '.etl', ETL, '.venvs'));
}

/** Inside the harness: measure both clusters. */
async function measureBoth(): Promise<BenchResult[]> {
  const real = new AisClient({ endpoint: process.env.AISETL_K8S_AIS_ENDPOINT!, timeoutMs: 300_000 });
  const local = await startLocalProcess(2, linkVenvs);
  const lc = new AisClient({ endpoint: local.endpoint, timeoutMs: 300_000 });
  try {
    const a = await measure(real);
    const l = await measure(lc);
    const note = `2 targets each; ${N_INLINE} sequential 1 KiB GETs with ?etl=, after 20 warm-up`;
    return [
      {
        name: 'inline transform latency (median)',
        value: l.inlineMs,
        unit: 'ms',
        baseline: { name: 'aisnode ETL on K8s', value: a.inlineMs },
        note,
      },
      {
        name: 'inline transform latency (p90)',
        value: l.inlineP90Ms,
        unit: 'ms',
        baseline: { name: 'aisnode ETL on K8s', value: a.inlineP90Ms },
        note,
      },
      {
        name: `bucket job, ${N_JOB} × 1 KiB`,
        value: l.jobS,
        unit: 's',
        baseline: { name: 'aisnode ETL on K8s', value: a.jobS },
        note: 'etl-bck from start to finished, polled every 100 ms',
      },
    ];
  } finally {
    await Promise.all([real.close(), lc.close()]);
    await local.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  if (process.env.AISETL_K8S_AIS_ENDPOINT) return measureBoth();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-b7-out-')), 'results.json');
  const r = spawnSync('bash', [path.join(ROOT, 'test/conformance/k8s/run.sh'), '--bench', out], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!fs.existsSync(out))
    throw new Error(`the real-Kubernetes harness produced no B7 results (exit ${r.status}); see its output above`);
  const text = fs.readFileSync(out, 'utf8');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const parsed = JSON.parse(text) as BenchResult[] | { error: string };
  if (!Array.isArray(parsed)) throw new Error(parsed.error);
  return parsed;
}

if (require.main === module) {
  const i = process.argv.indexOf('--json');
  const file = i > 0 ? process.argv[i + 1] : undefined;
  run()
    .then((rs) => {
      if (file) fs.writeFileSync(file, JSON.stringify(rs));
      for (const x of rs)
        console.log(
          `${x.name}: local ${x.value.toFixed(2)} ${x.unit} vs ${x.baseline?.name} ${x.baseline?.value.toFixed(2)}`,
        );
    })
    .catch((e: unknown) => {
      if (file) fs.writeFileSync(file, JSON.stringify({ error: (e as Error).message }));
      console.error((e as Error).message);
      process.exitCode = 1;
    });
}
