// What a process's open fds are, by kind, so a leak check can tell a leaked file or client socket from a
// keep-alive pool that legitimately keeps up to N idle connections to an ETL worker.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

interface TcpSocket {
  listening: boolean;
  local: number;
  remote: number;
}

/** inode → TCP socket, from /proc/<pid>/net/tcp{,6} (the process's network namespace). */
function tcpByInode(pid: number): Map<string, TcpSocket> {
  const out = new Map<string, TcpSocket>();
  const port = (a: string) => parseInt(a.split(':')[1], 16);
  for (const f of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${f}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length >= 10) out.set(c[9], { listening: c[3] === '0A', local: port(c[1]), remote: port(c[2]) });
    }
  }
  return out;
}

/** The link target of every open fd of `pid` (fds closed while we look are skipped). */
function fdTargets(pid: number): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      out.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** The TCP ports `pid` listens on. */
export function listenPorts(pid: number): Set<number> {
  const tcp = tcpByInode(pid);
  const ports = new Set<number>();
  for (const t of fdTargets(pid)) {
    const s = tcp.get(/^socket:\[(\d+)\]$/.exec(t)?.[1] ?? '');
    if (s?.listening) ports.add(s.local);
  }
  return ports;
}

/** Direct children of `pid` (all its threads'). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    } catch {
      // thread gone
    }
  }
  return out;
}

/**
 * Open fds of `pid` counted by kind: "file <path>", "pipe", "anon_inode:…", "tcp listen :P",
 * "tcp in :P" (a connection accepted on our port P) and "tcp out :P" (a connection we opened to port P).
 * Ephemeral ports are left out, so two censuses compare by kind.
 */
export function fdCensus(pid: number): Map<string, number> {
  const tcp = tcpByInode(pid);
  const targets = fdTargets(pid);
  const own = listenPorts(pid);
  const counts = new Map<string, number>();
  for (const t of targets) {
    const inode = /^socket:\[(\d+)\]$/.exec(t)?.[1];
    const s = inode ? tcp.get(inode) : undefined;
    let kind: string;
    if (inode && !s) kind = 'socket (not TCP)';
    else if (s?.listening) kind = `tcp listen :${s.local}`;
    else if (s) kind = own.has(s.local) ? `tcp in :${s.local}` : `tcp out :${s.remote}`;
    else if (t.startsWith('pipe:')) kind = 'pipe';
    else if (t.startsWith('anon_inode:')) kind = t;
    else kind = `file ${t}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

export const fdTotal = (census: Map<string, number>): number => [...census.values()].reduce((a, b) => a + b, 0);

/** Kinds that have more fds in `after` than in `before`, with the growth: "file /x/y +2". */
export function fdGrowth(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [kind, n] of after) {
    const grew = n - (before.get(kind) ?? 0);
    if (grew > 0) out.push(`${kind} +${grew}`);
  }
  return out;
}
