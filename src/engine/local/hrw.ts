// Rendezvous (highest random weight) placement: every object name maps to exactly one target, and adding a
// target moves only ~1/N of the objects. Not bit-compatible with AIS's xxhash-based HRW (clients go through the
// gateway, which redirects), but stable across restarts because it depends only on target IDs and the name.

/** 64-bit FNV-1a over UTF-8 bytes, as two 32-bit halves to stay in fast integer math. */
export function digest(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  const bytes = Buffer.from(s, 'utf8');
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/** splitmix64 finalizer: mixes the xor of target and object digests into a well-spread weight. */
function mix(x: bigint): bigint {
  x = (x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n & 0xffffffffffffffffn;
  x = (x ^ (x >> 27n)) * 0x94d049bb133111ebn & 0xffffffffffffffffn;
  return x ^ (x >> 31n);
}

export interface HrwNode { id: string; idDigest: bigint }

export function hrwNode(nodeId: string): HrwNode { return { id: nodeId, idDigest: digest(nodeId) }; }

/** The node owning `uname` (e.g. "ais/@#/bucket/object"). */
export function hrwSelect<T extends HrwNode>(nodes: readonly T[], uname: string): T {
  if (nodes.length === 0) throw new Error('no targets in the cluster map');
  const d = digest(uname);
  let best = nodes[0];
  let bestW = -1n;
  for (const n of nodes) {
    const w = mix(n.idDigest ^ d);
    if (w > bestW) { bestW = w; best = n; }
  }
  return best;
}

/** AIS's uname for an ais:// bucket object in the global namespace. */
export function uname(bucket: string, objName: string): string { return `ais/@#/${bucket}/${objName}`; }
