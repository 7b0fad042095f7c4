// The engine client (AisClient) against the real aisnode v1.5.0, then the same table of checks against our local
// cluster. Every case records what the client observed; on aisnode it must meet the case's expectation, and on the
// local cluster it must equal what aisnode gave (aisnode is the reference): each difference is one failing case,
// and its message names the request, what aisnode answered and what the local cluster answered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AisClient, AisError } from '../../src/engine/ais/index';
import { localClusterMissing, peer, startAisnode, startLocal, type RunningCluster } from './lib/peers';

const LIST_BCK = 'ais://conf-list';   // exactly N_OBJECTS objects, for pagination
const MISC_BCK = 'ais://conf-misc';   // a few objects for head / range / errors
const N_OBJECTS = 2500;
const PAGE = 1000;
const BODY = 'hello world 0123456789';   // 22 bytes, checksum and ranges are checked on it
const listName = (i: number): string => `p/${String(i).padStart(5, '0')}.txt`;

interface Ctx { c: AisClient }
interface Case {
  name: string;                                  // also the request, as the report reads it
  observe(x: Ctx): Promise<unknown>;             // a JSON-comparable record of what the client saw
  expect?(obs: any): void;                       // what both clusters must satisfy (aisnode defines the rest)
  expectAisnode?(obs: any): void;                // aisnode-only facts (version, no ETL build)
  expectLocal?(obs: any): void;                  // local-only facts
  compare?: boolean;                             // false: the two clusters are meant to differ here
  /** A documented difference (README "Known differences"): `what` names it; both clusters are compared on
   * `comparable(obs)` (the observation minus the differing fields), and expectAisnode/expectLocal pin each side's
   * value so that a change on either side is noticed. */
  documented?: { what: string; comparable(obs: any): unknown };
}

const MD5_BODY = '777c5b6951ba24faf4c4ee990c79ead2';  // md5('hello world 0123456789')
const XXHASH2_BODY = 'ca76ac1853bee157';             // xxhash64 (cespare/xxhash/v2, seed 0) of the same

/** Node IDs and paths differ between clusters; the rest of an error message must not. */
const norm = (s: string): string => s.replace(/\b[pt]\[[A-Za-z0-9_-]+\]/g, 'NODE').replace(/\s+/g, ' ').trim();

async function errorOf(p: Promise<unknown>): Promise<{ status?: number; tcode?: string; message: string } | 'no error'> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    if (!(e instanceof AisError)) throw e;
    return { status: e.status, ...(e.tcode ? { tcode: e.tcode } : {}), message: norm(e.aisMessage) };
  }
}

async function readAll(p: Promise<{ body: NodeJS.ReadableStream }>): Promise<string> {
  const s = await p;
  const chunks: Buffer[] = [];
  for await (const ch of s.body) chunks.push(Buffer.from(ch as Buffer));
  return Buffer.concat(chunks).toString();
}

/** The shape of a value, not the value: digits become 9 (times, sizes in formats). */
const shape = (v: string | undefined): string | undefined => v?.replace(/[0-9]/g, '9');

async function listPages(c: AisClient, bucket: string, pageSize: number, props?: string): Promise<{ sizes: number[]; names: string[]; lastToken: string; tokensNonEmpty: boolean }> {
  const sizes: number[] = [];
  const names: string[] = [];
  let token = '';
  let tokensNonEmpty = true;
  for (let i = 0; i < 10; i++) {
    const page = await c.listObjectsPage(bucket, { pageSize, continuationToken: token, ...(props ? { props } : {}) });
    sizes.push(page.entries.length);
    names.push(...page.entries.map((e) => e.name));
    if (!page.continuationToken) return { sizes, names, lastToken: '', tokensNonEmpty };
    if (page.continuationToken === token) { tokensNonEmpty = false; break; }
    token = page.continuationToken;
  }
  return { sizes, names, lastToken: token, tokensNonEmpty };
}

const CASES: Case[] = [
  {
    name: 'version detection: GET /v1/daemon?what=node_status',
    compare: false,
    async observe({ c }) {
      const i = await c.refreshCluster();
      return { major: i.version.major, minor: i.version.minor, dialect: i.dialect, deployment: i.deployment, local: i.local, etl: i.etl, codeInit: i.codeInit, commTypes: i.commTypes };
    },
    expectAisnode(o) {
      assert.deepEqual({ major: o.major, minor: o.minor, dialect: o.dialect, local: o.local, etl: o.etl, codeInit: o.codeInit },
        { major: 5, minor: 0, dialect: 'v5.0', local: false, etl: 'not-built', codeInit: false });
      assert.deepEqual(o.commTypes, ['hpush://', 'hpull://', 'ws://']);
    },
    expectLocal(o) {
      assert.equal(o.deployment, 'aisetl-local');
      assert.equal(o.local, true);
      assert.equal(o.etl, 'available');
      // the local cluster emulates 5.0 by default: the same dialect as aisnode, only ETL is built in
      assert.deepEqual({ major: o.major, minor: o.minor, dialect: o.dialect, codeInit: o.codeInit }, { major: 5, minor: 0, dialect: 'v5.0', codeInit: false });
      assert.deepEqual(o.commTypes, ['hpush://', 'hpull://', 'ws://']);
    },
  },
  {
    name: 'health: GET /v1/health',
    observe: async ({ c }) => c.health(),
    expect: (o) => assert.equal(o, true),
  },
  {
    name: 'list buckets: GET /v1/buckets (presence=2) includes the created buckets',
    async observe({ c }) {
      const all = await c.listBuckets();
      return all.filter((b) => b.name.startsWith('conf-')).map((b) => `${b.provider}://${b.name}`).sort();
    },
    expect: (o) => assert.deepEqual(o, [LIST_BCK, MISC_BCK]),
  },
  {
    name: 'head bucket props: HEAD /v1/buckets/conf-misc (provider, checksum type, versioning)',
    async observe({ c }) {
      const h = await c.headBucket(MISC_BCK);
      const p = JSON.parse(h['ais-bucket-props'] ?? '{}') as { provider?: string; checksum?: { type?: string }; versioning?: { enabled?: boolean } };
      return { provider: p.provider, checksum: p.checksum?.type, versioning: p.versioning?.enabled };
    },
    expect: (o) => assert.equal(o.provider, 'ais'),
    documented: { what: 'checksums are md5 and versioning is off on the local cluster', comparable: (o) => ({ provider: o.provider }) },
    expectAisnode: (o) => assert.deepEqual(o, { provider: 'ais', checksum: 'xxhash2', versioning: true }),
    expectLocal: (o) => assert.deepEqual(o, { provider: 'ais', checksum: 'md5', versioning: false }),
  },
  {
    name: 'create existing bucket: POST /v1/buckets/conf-misc {create-bck} -> 409',
    observe: ({ c }) => errorOf(c.createBucket(MISC_BCK)),
    expect: (o) => assert.equal(o.status, 409),
  },
  {
    name: 'bad bucket name: POST /v1/buckets/bad%20name {create-bck} -> 400',
    observe: ({ c }) => errorOf(c.createBucket('ais://bad name')),
    expect: (o) => assert.equal(o.status, 400),
  },
  {
    name: 'too long bucket name: POST /v1/buckets/aaa…(100) -> 400',
    observe: ({ c }) => errorOf(c.createBucket(`ais://${'a'.repeat(100)}`)),
    expect: (o) => assert.equal(o.status, 400),
  },
  {
    name: 'missing bucket: HEAD /v1/buckets/conf-nope -> 404',
    observe: ({ c }) => errorOf(c.headBucket('ais://conf-nope')),
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'missing bucket: GET /v1/objects/conf-nope/x -> 404',
    observe: ({ c }) => errorOf(readAll(c.getObject('ais://conf-nope', 'x'))),
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'missing bucket: PUT /v1/objects/conf-nope/x -> 404',
    observe: ({ c }) => errorOf(c.putObject('ais://conf-nope', 'x', 'abc')),
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'missing bucket: GET /v1/buckets/conf-nope {list} -> 404',
    observe: ({ c }) => errorOf(c.listObjectsPage('ais://conf-nope')),
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'missing object: GET /v1/objects/conf-misc/nope -> 404',
    observe: ({ c }) => errorOf(readAll(c.getObject(MISC_BCK, 'nope'))),
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'missing object: HEAD /v1/objects/conf-misc/nope -> 404',
    observe: ({ c }) => errorOf(c.headObject(MISC_BCK, 'nope')),
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'missing object: DELETE /v1/objects/conf-misc/nope -> 404',
    observe: ({ c }) => errorOf(c.deleteObject(MISC_BCK, 'nope')),
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'object round trip: PUT then GET /v1/objects/conf-misc/a/b.txt',
    observe: ({ c }) => readAll(c.getObject(MISC_BCK, 'a/b.txt')),
    expect: (o) => assert.equal(o, BODY),
  },
  {
    name: 'head object props: HEAD /v1/objects/conf-misc/a/b.txt (size, checksum, version, present, atime, ais-* headers)',
    async observe({ c }) {
      const p = await c.headObject(MISC_BCK, 'a/b.txt');
      const aisHeaders = Object.keys(p.headers).filter((k) => k.startsWith('ais-')).sort();
      return { size: p.size, checksumType: p.checksumType, checksumValue: p.checksumValue, version: p.version, present: p.present,
        atimeShape: p.atime === undefined ? undefined : /^\d{16,20}$/.test(p.atime) ? 'unix-ns' : p.atime, aisHeaders };
    },
    expect(o) {
      assert.equal(o.size, BODY.length);
      assert.equal(o.present, true);
    },
    documented: { what: 'the local cluster checksums objects with md5', comparable: (o) => ({ ...o, checksumType: undefined, checksumValue: undefined }) },
    expectAisnode: (o) => assert.deepEqual([o.checksumType, o.checksumValue], ['xxhash2', XXHASH2_BODY]),
    expectLocal: (o) => assert.deepEqual([o.checksumType, o.checksumValue], ['md5', MD5_BODY]),
  },
  {
    name: 'range GET: GET /v1/objects/conf-misc/a/b.txt Range: bytes=2-5 -> 206',
    async observe({ c }) {
      const s = await c.getObject(MISC_BCK, 'a/b.txt', { range: { start: 2, end: 5 } });
      const chunks: Buffer[] = [];
      for await (const ch of s.body) chunks.push(Buffer.from(ch as Buffer));
      return { status: s.status, size: s.size, body: Buffer.concat(chunks).toString(), contentRange: s.headers['content-range'], acceptRanges: s.headers['accept-ranges'] };
    },
    expect: (o) => assert.equal(o.body, BODY.slice(2, 6)),
  },
  {
    name: 'open range GET: GET /v1/objects/conf-misc/a/b.txt Range: bytes=10- -> 206',
    async observe({ c }) {
      const s = await c.getObject(MISC_BCK, 'a/b.txt', { range: { start: 10 } });
      const chunks: Buffer[] = [];
      for await (const ch of s.body) chunks.push(Buffer.from(ch as Buffer));
      return { status: s.status, body: Buffer.concat(chunks).toString(), contentRange: s.headers['content-range'] };
    },
    expect: (o) => assert.equal(o.body, BODY.slice(10)),
  },
  {
    name: 'unsatisfiable range: GET /v1/objects/conf-misc/a/b.txt Range: bytes=100- -> 416',
    observe: ({ c }) => errorOf(readAll(c.getObject(MISC_BCK, 'a/b.txt', { range: { start: 100 } }))),
    expect: (o) => assert.equal(o.status, 416),
  },
  {
    name: `list pagination: ${N_OBJECTS} objects, page size ${PAGE}`,
    async observe({ c }) {
      const r = await listPages(c, LIST_BCK, PAGE);
      const expected = Array.from({ length: N_OBJECTS }, (_, i) => listName(i));
      return { sizes: r.sizes, lastToken: r.lastToken, tokensNonEmpty: r.tokensNonEmpty, allNamesInOrder: JSON.stringify(r.names) === JSON.stringify(expected) };
    },
    expect: (o) => assert.equal(o.allNamesInOrder, true),
  },
  {
    name: 'list session id: GET /v1/buckets/conf-list {list, pagesize 1000} answers a non-empty "uuid"',
    async observe({ c }) {
      const page = await c.listObjectsPage(LIST_BCK, { pageSize: PAGE });
      return { uuid: page.uuid ? 'non-empty' : 'empty or missing' };
    },
    // the Python SDK's list_objects_iter stops only when a page has no token AND a uuid was given; without it, it restarts forever
    expect: (o) => assert.equal(o.uuid, 'non-empty'),
  },
  {
    name: 'list without page size: GET /v1/buckets/conf-list {list, pagesize 0} -> one page',
    async observe({ c }) {
      const page = await c.listObjectsPage(LIST_BCK);
      return { n: page.entries.length, more: page.continuationToken !== '' };
    },
  },
  {
    name: 'list entry fields, default props: GET /v1/buckets/conf-misc {list}',
    async observe({ c }) {
      const page = await c.listObjectsPage(MISC_BCK);
      return page.entries.map((e) => ({ ...e, ...(e.atime ? { atime: shape(e.atime) } : {}), ...(e.location ? { location: 'present' } : {}) }));
    },
  },
  {
    name: 'list entry fields, props=name,size,checksum,atime,version,location',
    async observe({ c }) {
      const page = await c.listObjectsPage(MISC_BCK, { props: 'name,size,checksum,atime,version,location' });
      return page.entries.map((e) => ({ ...e, ...(e.atime ? { atime: shape(e.atime) } : {}), ...(e.location ? { location: 'present' } : {}) }));
    },
    documented: { what: 'the local cluster checksums objects with md5', comparable: (o) => o.map((e: { checksum?: string }) => ({ ...e, checksum: undefined })) },
    expectAisnode: (o) => assert.equal(o.find((e: { name: string }) => e.name === 'a/b.txt')?.checksum, XXHASH2_BODY),
    expectLocal: (o) => assert.equal(o.find((e: { name: string }) => e.name === 'a/b.txt')?.checksum, MD5_BODY),
  },
  {
    name: 'list with prefix: GET /v1/buckets/conf-list {list, prefix "p/001"}',
    async observe({ c }) {
      const page = await c.listObjectsPage(LIST_BCK, { prefix: 'p/001' });
      return { n: page.entries.length, first: page.entries[0]?.name, last: page.entries.at(-1)?.name };
    },
    expect: (o) => assert.equal(o.n, 100),
  },
  {
    name: 'list without recursion: GET /v1/buckets/conf-misc {list, flags LsNoRecursion}',
    async observe({ c }) {
      const page = await c.listObjectsPage(MISC_BCK, { noRecursion: true });
      return page.entries.map((e) => ({ name: e.name, isDir: e.isDir, flags: e.flags, size: e.size }));
    },
    expect: (o) => assert.ok(o.some((e: { name: string; isDir: boolean }) => e.name === 'a/' && e.isDir)),
  },
  {
    name: 'object name with "..": PUT /v1/objects/conf-misc/../x',
    observe: ({ c }) => errorOf(c.putObject(MISC_BCK, '../x', 'abc')),
  },
  {
    name: 'delete object: DELETE /v1/objects/conf-misc/del.txt then HEAD -> 404',
    async observe({ c }) {
      await c.putObject(MISC_BCK, 'del.txt', 'x');
      await c.deleteObject(MISC_BCK, 'del.txt');
      return errorOf(c.headObject(MISC_BCK, 'del.txt'));
    },
    expect: (o) => assert.equal(o.status, 404),
  },
  {
    name: 'ETL list: GET /v1/etl',
    compare: false,
    observe: ({ c }) => errorOf(c.listEtls()).then((e) => (e === 'no error' ? 'no error' : { ...e, hint: undefined })),
    async expectAisnode(o) {
      assert.equal(o.status, 501);
      assert.equal(o.tcode, 'ErrUnsupp');
    },
    expectLocal: (o) => assert.equal(o, 'no error'),
  },
  {
    name: 'ETL errors carry the "built without ETL" hint: GET /v1/etl and GET ?etl_name=x on aisnode',
    compare: false,
    async observe({ c }) {
      const hints: (string | undefined)[] = [];
      for (const p of [c.listEtls(), readAll(c.getObject(MISC_BCK, 'a/b.txt', { etl: { name: 'conf-x' } }))]) {
        try { await p; hints.push('no error'); } catch (e) { hints.push(e instanceof AisError ? `${e.status} ${e.message}` : String(e)); }
      }
      return hints;
    },
    expectAisnode(o) {
      for (const h of o) assert.match(h, /^501 .*built without ETL/i);
    },
    expectLocal(o) {
      assert.equal(o[0], 'no error');
      assert.match(o[1], /^404 /, 'a GET with an unknown ETL name must fail with 404 on the local cluster');
    },
  },
  {
    name: 'destroy bucket: DELETE /v1/buckets/conf-tmp then HEAD -> 404',
    async observe({ c }) {
      await c.createBucket('ais://conf-tmp');
      await c.putObject('ais://conf-tmp', 'x', 'x');
      await c.destroyBucket('ais://conf-tmp');
      return errorOf(c.headBucket('ais://conf-tmp'));
    },
    expect: (o) => assert.equal(o.status, 404),
  },
];

async function seed(c: AisClient): Promise<void> {
  await c.createBucket(LIST_BCK);
  await c.createBucket(MISC_BCK);
  await c.putObject(MISC_BCK, 'a/b.txt', BODY);
  await c.putObject(MISC_BCK, 'top.txt', 'top');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < N_OBJECTS) {
      const i = next++;
      await c.putObject(LIST_BCK, listName(i), `object ${i}\n`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** One describe per cluster: start it, seed it, run every case, stop it. */
function suite(title: string, skip: string | undefined, start: () => Promise<RunningCluster>, check: (k: Case, obs: unknown) => void): void {
  describe(title, { skip }, () => {
    let cluster: RunningCluster | undefined;
    let c: AisClient | undefined;
    let startErr: unknown;
    before(async () => {
      try {
        cluster = await start();
        c = new AisClient({ endpoint: cluster.endpoint, timeoutMs: 60_000 });
        await seed(c);
      } catch (e) {
        startErr = e;
      }
    });
    after(async () => {
      await c?.close();
      await cluster?.stop();
    });
    for (const k of CASES) {
      it(k.documented ? `${k.name} [documented difference: ${k.documented.what}]` : k.name, async () => {
        if (startErr) throw new Error(`cluster could not be started or seeded: ${(startErr as Error).message}`);
        check(k, await k.observe({ c: c! }));
      });
    }
  });
}

const reference = new Map<string, unknown>();
const aisnode = peer('AISETL_AISNODE');
const aisnodeSkip = 'skip' in aisnode ? `aisnode not installed: ${aisnode.skip}` : undefined;

suite('engine client vs real aisnode v1.5.0', aisnodeSkip, startAisnode, (k, obs) => {
  reference.set(k.name, k.documented ? k.documented.comparable(obs) : obs);
  k.expect?.(obs);
  k.expectAisnode?.(obs);
});

suite('engine client vs local cluster (aisnode is the reference)', localClusterMissing(), () => startLocal(2), (k, obs) => {
  k.expect?.(obs);
  k.expectLocal?.(obs);
  if (k.compare === false || !reference.has(k.name)) return;
  const ref = reference.get(k.name);
  const mine = k.documented ? k.documented.comparable(obs) : obs;
  const also = k.documented ? ` (apart from the documented difference: ${k.documented.what})` : '';
  assert.deepEqual(mine, ref, `local cluster differs from aisnode for ${k.name}${also}\n  aisnode: ${JSON.stringify(ref)}\n  local:   ${JSON.stringify(mine)}`);
});
