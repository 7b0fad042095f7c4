// Rendezvous (highest random weight) placement: every object name maps to exactly one target, and adding a
// target moves only ~1/N of the objects. Not bit-compatible with AIS's xxhash-based HRW (clients go through the
// gateway, which redirects), but stable across restarts because it depends only on target IDs and the name.
// 32-bit integer math (FNV-1a + murmur3 finaliser) keeps this off the per-object hot path of offline jobs.

/** FNV-1a over the UTF-16 code units (stable, and no UTF-8 encoding allocation per call). */
export function digest(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3 fmix32: spreads the xor of target and object digests into a well-mixed weight. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export interface HrwNode {
  id: string;
  idDigest: number;
}

export function hrwNode(nodeId: string): HrwNode {
  return { id: nodeId, idDigest: mix(digest(nodeId)) };
}

/** The node owning `uname` (e.g. "ais/@#/bucket/object"); ties (astronomically rare) go to the smaller ID. */
export function hrwSelect<T extends HrwNode>(nodes: readonly T[], uname: string): T {
  if (nodes.length === 0) throw new Error('no targets in the cluster map');
  const d = digest(uname);
  let best = nodes[0];
  let bestW = -1;
  for (const n of nodes) {
    const w = mix((n.idDigest ^ d) >>> 0);
    if (w > bestW || (w === bestW && n.id < best.id)) {
      bestW = w;
      best = n;
    }
  }
  return best;
}

/** AIS's uname for an ais:// bucket object in the global namespace. */
export function uname(bucket: string, objName: string): string {
  return `ais/@#/${bucket}/${objName}`;
}
