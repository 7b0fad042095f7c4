// GET /v1/buckets/<b> with a "list" ActMsg: one page of LsoRes, merged across targets in name order, as JSON or
// msgpack (Accept: application/msgpack, which the Python SDK always sends). The continuation token is the last
// name of the page (opaque to clients); each page walks only what it needs (storage/listing.ts).
// As in AIS (api/apc/lsmsg.go, ais/proxy.go): every answer carries a listing session `uuid` (generated on the first
// page, echoed on the next ones: the Python SDK's list_objects_iter stops only once it has one); empty `props` means
// name + size (name, size, checksum, atime with the LsCached flag); `atime` is formatted with Go's time.RFC822 in UTC.
import { statSync } from 'node:fs';
import { encode } from '@msgpack/msgpack';
import { badRequest } from '../errors';
import { newXactId } from '../ids';
import { mergeByName, walkObjects, walkOneLevel, type WalkEntry } from '../storage/listing';
import type { ClusterContext, TargetNode } from './context';
import { prop } from './http-util';

export const MAX_PAGE = 10_000;
/** How many list entries are stat'ed between two yields to the event loop. */
const STAT_BATCH = 256;
export const LS_CACHED = 1n << 0n;
export const LS_NO_RECURSION = 1n << 11n;
export const LS_NAME_ONLY = 1n << 4n;
export const LS_NAME_SIZE = 1n << 5n;
/** apc.GetPropsDefaultAIS: what an empty `props` means when the LsCached flag is set. */
const PROPS_DEFAULT_AIS = 'name,size,checksum,atime';
export const ENTRY_IS_CACHED = 1 << 6;
export const ENTRY_IS_DIR = 1 << 8;

interface Entry {
  name: string;
  size?: number;
  checksum?: string;
  atime?: string;
  version?: string;
  location?: string;
  flags: number;
}

function parseFlags(v: unknown): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  try {
    return BigInt(v as string | number);
  } catch {
    throw badRequest(`invalid list flags ${JSON.stringify(v)}: expecting an unsigned integer (as a string)`);
  }
}

export interface LsPage {
  uuid: string;
  token: string;
  entries: Entry[];
}

export async function listPage(ctx: ClusterContext, bucket: string, lsmsg: unknown): Promise<LsPage> {
  const prefix = String(prop(lsmsg, 'prefix') ?? '').replace(/\*$/, '');
  const token = String(prop(lsmsg, 'continuation_token') ?? '');
  const rawSize = Number(prop(lsmsg, 'pagesize') ?? 0);
  if (!Number.isFinite(rawSize) || rawSize < 0)
    throw badRequest(`invalid page size ${JSON.stringify(prop(lsmsg, 'pagesize'))}`);
  const pageSize = rawSize === 0 || rawSize > MAX_PAGE ? MAX_PAGE : Math.floor(rawSize);
  const flags = parseFlags(prop(lsmsg, 'flags'));
  const onlyTarget = String(prop(lsmsg, 'target') ?? '');
  const propsStr = String(prop(lsmsg, 'props') ?? '');
  // AIS tests each prop with strings.Contains(props, name) (LsoMsg.WantProp); empty = name,size (NormalizeNameSizeDflt)
  const wanted = propsStr !== '' ? propsStr : (flags & LS_CACHED) !== 0n ? PROPS_DEFAULT_AIS : 'name,size';
  const nameSizeOnly = (flags & LS_NAME_SIZE) !== 0n;
  const props = new Set(
    ['checksum', 'atime', 'version', 'location'].filter((p) => !nameSizeOnly && wanted.includes(p)),
  );
  const nameOnly = (flags & LS_NAME_ONLY) !== 0n;
  const uuid = String(prop(lsmsg, 'uuid') ?? '') || newListUuid();
  const oneLevel = (flags & LS_NO_RECURSION) !== 0n;

  const targets = onlyTarget ? ctx.targets.filter((t) => t.id === onlyTarget) : ctx.targets;
  const owners = new Map<string, TargetNode>();
  const streams = targets.map((t) => {
    const root = t.store.bucketDir(bucket);
    const gen = oneLevel ? walkOneLevel(root, prefix, token) : walkObjects(root, prefix, token);
    return (async function* tag(): AsyncGenerator<WalkEntry> {
      for await (const e of gen) {
        owners.set(e.fullPath, t);
        yield e;
      }
    })();
  });
  const merged = mergeByName(streams);
  // collect the page's names first, then stat them (synchronously, in batches: see toEntry)
  const walked: { e: WalkEntry; t: TargetNode }[] = [];
  let more = false;
  for await (const e of merged) {
    if (walked.length === pageSize) {
      more = true;
      break;
    }
    walked.push({ e, t: owners.get(e.fullPath)! });
    owners.delete(e.fullPath);
  }
  await Promise.all(streams.map((s) => s.return(undefined)));
  const entries: Entry[] = new Array<Entry>(walked.length);
  for (let i = 0; i < walked.length; i++) {
    if (i > 0 && i % STAT_BATCH === 0) await new Promise<void>((r) => setImmediate(r)); // let other requests in
    entries[i] = toEntry(walked[i].e, walked[i].t, props, nameOnly);
  }
  return { uuid, token: more ? entries[entries.length - 1].name : '', entries };
}

/** A listing session ID (AIS: cos.GenUUID, a shortid that starts with a letter). The token alone carries the
 * position, so a session needs no server state: any uuid a client sends back is honoured, even after a restart. */
export function newListUuid(): string {
  const id = newXactId();
  return /^[A-Za-z]/.test(id) ? id : `L${id.slice(1)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** Go's time.RFC822 ("02 Jan 06 15:04 MST") in UTC, as AIS formats list atimes by default (cos.FormatTime). */
export function formatRfc822(d: Date): string {
  return `${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/**
 * Synchronous stat: for a page of names already in the dentry cache, statSync is a few µs each while 1000 async
 * stats through the thread pool cost most of a page's time; listPage yields to the event loop between batches.
 */
function toEntry(e: WalkEntry, t: TargetNode, props: Set<string>, nameOnly: boolean): Entry {
  if (e.isDir) return { name: e.name, flags: ENTRY_IS_DIR };
  const out: Entry = { name: e.name, flags: ENTRY_IS_CACHED };
  if (nameOnly) return out;
  let st;
  try {
    st = statSync(e.fullPath, { throwIfNoEntry: false });
  } catch {
    return out;
  }
  if (!st) return out; // deleted while listing
  out.size = st.size;
  if (props.has('checksum')) out.checksum = t.store.cachedChecksum(e.fullPath, st);
  if (props.has('atime')) out.atime = formatRfc822(st.atime);
  if (props.has('version')) out.version = '1';
  if (props.has('location')) out.location = `t[${t.id}]:mp[${t.store.root}]`;
  return out;
}

export function encodeJson(p: LsPage): Buffer {
  return Buffer.from(
    JSON.stringify({
      uuid: p.uuid,
      continuation_token: p.token,
      flags: 0,
      entries: p.entries.map((e) => ({
        name: e.name,
        ...(e.size !== undefined && { size: String(e.size) }),
        ...(e.checksum && { checksum: e.checksum }),
        ...(e.atime && { atime: e.atime }),
        ...(e.version && { version: e.version }),
        ...(e.location && { location: e.location }),
        flags: e.flags,
      })),
    }),
  );
}

export function encodeMsgpack(p: LsPage): Buffer {
  const m = encode({
    UUID: p.uuid,
    ContinuationToken: p.token,
    Flags: 0,
    Entries: p.entries.map((e) => ({
      n: e.name,
      ...(e.size !== undefined && { s: e.size }),
      ...(e.checksum && { cs: e.checksum }),
      ...(e.atime && { a: e.atime }),
      ...(e.version && { v: e.version }),
      ...(e.location && { t: e.location }),
      f: e.flags,
    })),
  });
  return Buffer.from(m.buffer, m.byteOffset, m.byteLength);
}
