// Buckets: list, create, destroy, head; objects listing page by page (JSON, never msgpack).
import { bucketPath, parseBucket } from './paths';
import type { Transport } from './transport';
import type { Bck, CallOptions, ListBucketsOptions, ListObjectsOptions, ObjEntry, ObjPage } from './types';

/** api/apc/lsmsg.go */
export const LS_NO_RECURSION = 1 << 11;
export const ENTRY_IS_DIR = 1 << 8;
/** apc.FltPresent: buckets present in the cluster (what `ais ls` shows by default) */
const PRESENT_IN_CLUSTER = '2';

export async function listBuckets(t: Transport, o?: ListBucketsOptions): Promise<Bck[]> {
  const list = await t.json<Bck[] | null>({
    method: 'GET',
    path: '/v1/buckets',
    query: { provider: o?.provider || undefined, presence: PRESENT_IN_CLUSTER },
    json: { action: 'list', name: '', value: null },
    ctx: { call: 'list buckets' },
    opts: o,
  });
  return (list ?? []).map((b) => ({
    name: b.name,
    provider: b.provider,
    ...(b.namespace ? { namespace: b.namespace } : {}),
  }));
}

export async function createBucket(t: Transport, bucket: string, o?: CallOptions): Promise<void> {
  const b = parseBucket(bucket);
  await t.empty({
    method: 'POST',
    path: bucketPath(b),
    query: { provider: b.provider },
    json: { action: 'create-bck', name: '', value: null },
    ctx: { call: `create bucket ${bucket}` },
    opts: o,
  });
}

export async function destroyBucket(t: Transport, bucket: string, o?: CallOptions): Promise<void> {
  const b = parseBucket(bucket);
  await t.empty({
    method: 'DELETE',
    path: bucketPath(b),
    query: { provider: b.provider },
    json: { action: 'destroy-bck', name: '', value: null },
    ctx: { call: `destroy bucket ${bucket}`, bucket },
    opts: o,
  });
}

export async function headBucket(t: Transport, bucket: string, o?: CallOptions): Promise<Record<string, string>> {
  const b = parseBucket(bucket);
  return t.empty({
    method: 'HEAD',
    path: bucketPath(b),
    query: { provider: b.provider },
    ctx: { call: `read bucket ${bucket}`, bucket },
    opts: o,
  });
}

interface WireEntry {
  name: string;
  size?: string | number;
  checksum?: string;
  atime?: string;
  version?: string;
  location?: string;
  flags?: number;
}
interface WireLsoRes {
  uuid?: string;
  continuation_token?: string;
  entries?: WireEntry[] | null;
}

export async function listObjectsPage(t: Transport, bucket: string, o: ListObjectsOptions = {}): Promise<ObjPage> {
  const b = parseBucket(bucket);
  const flags = o.noRecursion ? LS_NO_RECURSION : 0;
  const res = await t.json<WireLsoRes | null>({
    method: 'GET',
    path: bucketPath(b),
    query: { provider: b.provider },
    json: {
      action: 'list',
      name: '',
      value: {
        prefix: o.prefix ?? '',
        pagesize: o.pageSize ?? 0,
        uuid: o.uuid ?? '',
        props: o.props ?? '',
        continuation_token: o.continuationToken ?? '',
        flags: String(flags),
        target: '',
      },
    },
    ctx: { call: `list objects in ${bucket}`, bucket },
    opts: o,
  });
  return {
    entries: (res?.entries ?? []).map(toEntry),
    continuationToken: res?.continuation_token ?? '',
    ...(res?.uuid ? { uuid: res.uuid } : {}),
  };
}

/** Lazily, one page per request, only when the consumer asks for more. */
export async function* listObjects(t: Transport, bucket: string, o: ListObjectsOptions = {}): AsyncGenerator<ObjEntry> {
  let token = o.continuationToken ?? '';
  let uuid = o.uuid;
  for (;;) {
    const page = await listObjectsPage(t, bucket, { ...o, continuationToken: token, uuid });
    yield* page.entries;
    if (!page.continuationToken || page.continuationToken === token) return;
    token = page.continuationToken;
    uuid = page.uuid ?? uuid;
  }
}

function toEntry(e: WireEntry): ObjEntry {
  const out: ObjEntry = { name: e.name, size: e.size === undefined || e.size === '' ? 0 : Number(e.size) };
  if (e.checksum) out.checksum = e.checksum;
  if (e.atime) out.atime = e.atime;
  if (e.version) out.version = e.version;
  if (e.location) out.location = e.location;
  if (e.flags !== undefined) {
    out.flags = e.flags;
    out.isDir = (e.flags & ENTRY_IS_DIR) !== 0;
  }
  return out;
}
