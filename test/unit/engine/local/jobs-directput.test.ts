// Offline direct put, as aisnode 5.0 does it (ais/tgtobj.go): a bucket job tells a single ETL where the destination
// object belongs when another target owns it (`Ais-Node-Url` = that target's URL + escaped uname, with the job's
// uuid and owt=3); a server that PUTs there answers 204 and the object still counts as written, once. 3.29 sends none.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { AisClient } from '../../../../src/engine/ais';
import type { TransformInput, WorkerFactory } from '../../../../src/engine/local/worker-contract';
import { call, codeInit, runtimeInit, standInFactory, startFixture, stopFixture } from './helpers';

const N = 40;
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** The SDK's compose_direct_put_url: the node URL's host, AIS_TARGET_URL's path in front of the node URL's path. */
function composeDirectPut(targetUrl: string, nodeUrl: string): string {
  const node = new URL(nodeUrl);
  return `${node.origin}${new URL(targetUrl).pathname}${node.pathname}${node.search}`;
}

/** Stand-in workers that direct-put their md5 when told a node URL, and record every node URL they were given. */
function directPutFactory(seen: string[]): WorkerFactory {
  const inner = standInFactory();
  return async (spec, ctx) => {
    const w = await inner(spec, ctx);
    const transform = w.transform.bind(w);
    return Object.assign(Object.create(w) as typeof w, {
      transform: async (input: TransformInput, signal?: AbortSignal) => {
        if (!input.nodeUrl) return transform(input, signal);
        seen.push(input.nodeUrl);
        const out = md5(readFileSync(input.fqn!));
        const r = await call('PUT', composeDirectPut(ctx.targetUrl, input.nodeUrl), { body: out });
        if (r.status !== 200) return { status: r.status, headers: {}, body: Readable.from([r.body]) };
        return { status: 204, headers: { 'ais-direct-put-length': String(out.length) }, body: Readable.from([]) };
      },
    });
  };
}

async function runJob(t: TestContext, aisVersion: '3.29' | '5.0', seen: string[]) {
  const f = await startFixture({ aisVersion, factory: directPutFactory(seen) });
  t.after(() => stopFixture(f));
  await call('POST', f.ep + '/v1/buckets/src', { json: { action: 'create-bck' } });
  for (let i = 0; i < N; i++) await call('PUT', `${f.ep}/v1/objects/src/o-${i}`, { body: `object ${i}` });
  const init = aisVersion === '5.0' ? runtimeInit('dp-md5') : codeInit('dp-md5'); // 3.29 has no runtime specs
  assert.equal((await call('PUT', f.ep + '/v1/etl', { json: init })).status, 200);
  const client = new AisClient({ endpoint: f.ep });
  t.after(() => client.close());
  const id = await client.startBucketTransform({ src: 'ais://src', dst: 'ais://dst', etl: { name: 'dp-md5' } });
  const p = await client.waitJob(id, 'etl-bck', { intervalMs: 50 });
  for (let i = 0; i < N; i++)
    assert.equal((await call('GET', `${f.ep}/v1/objects/dst/o-${i}`)).body.toString(), md5(`object ${i}`), `o-${i}`);
  return { id, p };
}

test('5.0: objects another target owns are direct-put there (uuid, owt=3); all counted written once', async (t) => {
  const seen: string[] = [];
  const { id, p } = await runJob(t, '5.0', seen);
  assert.equal(p.aborted, false, p.err);
  assert.equal(p.written, N);
  assert.equal(p.failed, 0);
  assert.ok(seen.length > 0 && seen.length < N, `some, not all, objects belong to the other target (${seen.length})`);
  for (const u of seen) {
    const url = new URL(u);
    assert.match(decodeURIComponent(url.pathname), /^\/ais\/@#\/dst\/o-\d+$/);
    assert.equal(url.searchParams.get('uuid'), id);
    assert.equal(url.searchParams.get('owt'), '3');
  }
});

test('3.29: no Ais-Node-Url in offline jobs; the target writes every result itself', async (t) => {
  const seen: string[] = [];
  const { p } = await runJob(t, '3.29', seen);
  assert.equal(p.written, N);
  assert.deepEqual(seen, []);
});
