// B2: stream one big object through AisClient.getObject from a loopback server that generates the bytes,
// against a raw node:http GET of the same bytes in the same run; and the client's peak RSS growth
// (nothing may be buffered: target < 64 MiB). BENCH_B2_BYTES overrides the 2 GiB size for quick runs.
import http from 'node:http';
import { AisClient } from '../src/engine/ais';
import { startByteServer } from './lib/byte-server';
import { MiB, RssSampler } from './lib/rss';
import { mibPerSec, timed } from './lib/timing';
import type { BenchResult } from './lib/types';

const DEFAULT_BYTES = 2 * 1024 * MiB;
const ROUNDS = 2;
const WARMUP_BYTES = 64 * MiB;

function rawGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: new http.Agent({ keepAlive: false }) }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
        });
        res.on('end', () => resolve(n));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function clientGet(client: AisClient, size: number): Promise<number> {
  const r = await client.getObject('bench', String(size));
  let n = 0;
  for await (const c of r.body) n += (c as Buffer).length;
  return n;
}

interface Sample {
  mibs: number;
  rssGrowth: number;
}

async function measure(bytes: number, fn: () => Promise<number>): Promise<Sample> {
  const rss = new RssSampler();
  rss.start();
  const { result, ms } = await timed(fn);
  const { growth } = rss.stop();
  if (result !== bytes) throw new Error(`B2: expected ${bytes} bytes, got ${result}`);
  return { mibs: mibPerSec(bytes, ms), rssGrowth: growth };
}

/**
 * ROUNDS of each path, alternating the order so that noise from other processes, and first-run heap growth, hit both
 * sides; the client goes first in round 0 (the harder case for its RSS number).
 */
async function alternateRounds(
  url: string,
  client: AisClient,
  bytes: number,
): Promise<{ raw: Sample[]; cli: Sample[] }> {
  const raw: Sample[] = [];
  const cli: Sample[] = [];
  const rawRound = async (): Promise<void> => {
    raw.push(await measure(bytes, () => rawGet(`${url}/v1/objects/bench/${bytes}`)));
  };
  const cliRound = async (): Promise<void> => {
    cli.push(await measure(bytes, () => clientGet(client, bytes)));
  };
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      await cliRound();
      await rawRound();
    } else {
      await rawRound();
      await cliRound();
    }
  }
  return { raw, cli };
}

export async function run(): Promise<BenchResult[]> {
  const bytes = Number(process.env.BENCH_B2_BYTES ?? DEFAULT_BYTES);
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new Error(`BENCH_B2_BYTES must be a positive byte count, got "${process.env.BENCH_B2_BYTES}"`);
  const server = await startByteServer();
  const client = new AisClient({ endpoint: server.url });
  try {
    // Warm up both paths (JIT, connection pool, V8 heap sizing). The first MiBs through a fresh process grow RSS by
    // tens of MiB whatever reads them (V8 enlarges its young generation under allocation pressure); we report that
    // cold number separately so the measured rounds show what depends on the object size.
    const cold = await measure(WARMUP_BYTES, () => clientGet(client, WARMUP_BYTES));
    await rawGet(`${server.url}/v1/objects/bench/${WARMUP_BYTES}`);
    const { raw, cli } = await alternateRounds(server.url, client, bytes);
    const best = (s: Sample[]): number => Math.max(...s.map((x) => x.mibs));
    const worstRss = (s: Sample[]): number => Math.max(...s.map((x) => x.rssGrowth)) / MiB;
    const rounds = (s: Sample[]): string => s.map((x) => (x.rssGrowth / MiB).toFixed(1)).join(' / ');
    const size = `${(bytes / MiB).toFixed(0)} MiB, best of ${ROUNDS}`;
    return [
      { name: 'raw node:http GET', value: best(raw), unit: 'MiB/s', note: size },
      {
        name: 'AisClient.getObject',
        value: best(cli),
        unit: 'MiB/s',
        baseline: { name: 'raw node:http GET', value: best(raw) },
        note: size,
      },
      {
        name: 'AisClient.getObject peak RSS growth',
        value: worstRss(cli),
        unit: 'MiB',
        target: { op: '<', value: 64 },
        note: `worst round; rounds ${rounds(cli)} (client first in round 1, after warm-up)`,
      },
      {
        name: 'AisClient cold-start RSS growth',
        value: cold.rssGrowth / MiB,
        unit: 'MiB',
        note: `first ${WARMUP_BYTES / MiB} MiB in a fresh process`,
      },
      {
        name: 'raw node:http peak RSS growth',
        value: worstRss(raw),
        unit: 'MiB',
        note: `reference; rounds ${rounds(raw)}`,
      },
    ];
  } finally {
    await client.close();
    await server.close();
  }
}
