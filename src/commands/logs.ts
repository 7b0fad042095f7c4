// ETL logs in one LogOutputChannel per ETL: a snapshot per target or all targets, or "follow" (k8s follow when a
// kubeconfig works, else polling AIS and printing only what is new).
//
// Plain arguments (tests): `aistore.showEtlLogs({ cluster?, etl, target? })` returns `[{ targetId, lines }]`;
// `aistore.followPodLogs({ cluster?, etl, target?, stop? })` starts/stops following and returns whether it follows;
// with `{ cluster?, pod }` (or a pod node) it follows that one pod in its own channel "AIStore pod: <pod>".
// `aistore.followEtlLogs` is the same for the whole ETL: all targets interleaved, each line prefixed `[<target>]`.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { etlTarget } from './args';
import { pickAnyEtl } from './etlLifecycle';
import { pickCluster } from './ui';

const channels = new Map<string, vscode.LogOutputChannel>();
const followers = new Map<string, { dispose(): void }>();
const POLL_MS = 2000;

function channelFor(etl: string): vscode.LogOutputChannel {
  let c = channels.get(etl);
  if (!c) { c = vscode.window.createOutputChannel(`AIStore ETL: ${etl}`, { log: true }); channels.set(etl, c); }
  return c;
}

export function disposeLogChannels(): void {
  for (const f of followers.values()) f.dispose();
  followers.clear();
  for (const c of [...channels.values(), ...podChannels.values()]) c.dispose();
  channels.clear();
  podChannels.clear();
}

/** The ETL from a tree node or plain args, or picked (from the palette). */
async function resolveLogTarget(s: Services, arg: unknown, title: string) {
  const given = etlTarget(arg);
  const cluster = await pickCluster(s, given?.cluster, title);
  const { client } = await s.clientFor(cluster);
  const t = given ?? { etl: await pickAnyEtl(client, title) };
  return { cluster, client, t };
}

export async function showEtlLogs(s: Services, arg?: unknown): Promise<{ targetId: string; lines: number }[]> {
  const { cluster, client, t } = await resolveLogTarget(s, arg, 'Show ETL logs');
  const logs = await vscode.window.withProgress({ location: { viewId: 'aistore.clusters' }, title: 'Loading logs' }, () => client.etlLogs(t.etl, t.target));
  const ch = channelFor(t.etl);
  ch.appendLine(`──── ${t.etl} on ${cluster}${t.target ? `, target ${t.target}` : ', all targets'} ────`);
  const out = logs.map((l) => {
    const lines = l.logs.split('\n').filter((x) => x !== '');
    ch.appendLine(`[${l.targetId}] ${lines.length ? `${lines.length} lines` : '(no log output yet)'}`);
    for (const line of lines) ch.appendLine(`[${l.targetId}] ${line}`);
    return { targetId: l.targetId, lines: lines.length };
  });
  if (logs.length === 0) ch.appendLine('(no workers answered: is the ETL running?)');
  ch.show(true);
  return out;
}

/** Args naming one pod: a pod node of the tree, or `{ cluster?, etl?, pod }`. */
export function podTarget(arg: unknown): { cluster?: string; etl?: string; pod: string; target?: string } | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  const pod = typeof o.pod === 'string' && o.pod ? o.pod : undefined;
  if (!pod) return undefined;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { pod, cluster: str(o.cluster) ?? str(o.clusterId), etl: str(o.etl) ?? str(o.etlName), target: str(o.target) ?? str(o.targetId) };
}

const podChannels = new Map<string, vscode.LogOutputChannel>();
function podChannel(pod: string): vscode.LogOutputChannel {
  let c = podChannels.get(pod);
  if (!c) { c = vscode.window.createOutputChannel(`AIStore pod: ${pod}`, { log: true }); podChannels.set(pod, c); }
  return c;
}

/** Following one pod in its own channel (tail 200), or stopping it when already following (or `stop: true`). */
async function followOnePod(s: Services, arg: unknown, t: { cluster?: string; pod: string }): Promise<boolean> {
  const cluster = await pickCluster(s, t.cluster, 'Follow pod logs');
  const key = `${cluster}/pod/${t.pod}`;
  const ch = podChannel(t.pod);
  const existing = followers.get(key);
  if (existing || (arg as { stop?: boolean }).stop) {
    followers.delete(key);
    existing?.dispose();
    if (existing) ch.appendLine(`──── stopped following ${t.pod} (run "Follow logs" on the pod to follow it again) ────`);
    return false;
  }
  const api = await s.k8s.require(s.registry.resolve(cluster), `Following the log of pod ${t.pod}`);
  ch.appendLine(`──── following pod ${t.pod} in ${api.namespace} (last ${FOLLOW_TAIL} lines, then new ones) — stops when the pod's log ends, when you run "Follow logs" on the pod again, or when this window closes ────`);
  ch.show(true);
  let ended = false;
  const ref: { handle?: { dispose(): void } } = {};   // onEnd may in principle run before followLogs returns
  const handle = ref.handle = api.followLogs(t.pod, {
    tail: FOLLOW_TAIL,
    onLine: (l) => ch.appendLine(l),
    onEnd: (reason) => {
      ended = true;
      if (ref.handle && followers.get(key) === ref.handle) followers.delete(key);
      // 'disposed': stopped by the user (said above) or the window is closing with its channels.
      if (reason !== 'disposed') ch.appendLine(`──── stopped following ${t.pod}: ${reason} ────`);
    },
  });
  if (!ended) followers.set(key, handle);
  return !ended;
}

const FOLLOW_TAIL = 200;

export async function followPodLogs(s: Services, arg?: unknown): Promise<boolean> {
  const pod = podTarget(arg);
  if (pod) return followOnePod(s, arg ?? {}, pod);
  const { cluster, t } = await resolveLogTarget(s, arg, 'Follow ETL logs');
  const key = `${cluster}/${t.etl}/${t.target ?? '*'}`;
  const existing = followers.get(key);
  if (existing || (arg as { stop?: boolean } | undefined)?.stop) { existing?.dispose(); followers.delete(key); channelFor(t.etl).appendLine(`──── stopped following ${key} ────`); return false; }
  const ch = channelFor(t.etl);
  ch.appendLine(`──── following ${t.etl}${t.target ? ` on ${t.target}` : ' (all targets)'} (run "Follow logs" again to stop) ────`);
  ch.show(true);
  const { client, entry } = await s.clientFor(cluster);

  // Kubernetes: a real follow of each pod's log, lines prefixed with the target.
  if (entry.source !== 'local') {
    const api = await s.k8s.forCluster(entry);
    if ('unavailable' in api) ch.appendLine(`Kubernetes not reachable: ${api.unavailable} — polling the AIS API instead`);
    else {
      const pods = (await api.listEtlPods(t.etl).catch((err: unknown) => { ch.warn(`list pods: ${(err as Error).message}`); return []; }))
        .filter((p) => !t.target || p.targetId === t.target);
      if (pods.length) {
        const handle = api.followAllLogs(pods, {
          tail: FOLLOW_TAIL,
          onLine: (l) => ch.appendLine(l),
          onEnd: (r) => ch.appendLine(r === 'disposed' ? '(stopped)' : `(log ended: ${r})`),
          onAllEnded: () => { if (followers.get(key) === handle) { followers.delete(key); ch.appendLine(`──── stopped following ${t.etl}: every pod's log ended ────`); } },
        });
        followers.set(key, handle);
        return true;
      }
      ch.appendLine(`No pods of ${t.etl} in namespace ${api.namespace} — polling the AIS API instead`);
    }
  }
  // AIS API: poll and print what's new since the last poll (logs only grow while the worker lives).
  const seen = new Map<string, number>();
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const l of await client.etlLogs(t.etl, t.target)) {
        const from = seen.get(l.targetId) ?? 0;
        const start = l.logs.length < from ? 0 : from; // restarted worker: its log starts over
        for (const line of l.logs.slice(start).split('\n')) if (line) ch.appendLine(`[${l.targetId}] ${line}`);
        seen.set(l.targetId, l.logs.length);
      }
    } catch (err) { ch.warn(`logs: ${(err as Error).message}`); }
    finally { busy = false; }
  };
  await poll();
  const timer = setInterval(() => void poll(), POLL_MS);
  followers.set(key, { dispose: () => clearInterval(timer) });
  return true;
}

/** "Follow logs (all targets)" on an ETL node: every pod's log interleaved with `[<target>]` prefixes. */
export function followEtlLogs(s: Services, arg?: unknown): Promise<boolean> {
  const t = etlTarget(arg);
  if (!t) return followPodLogs(s, arg);
  const rest = (arg && typeof arg === 'object' ? arg : {}) as Record<string, unknown>;
  return followPodLogs(s, { stop: rest.stop, rethrow: rest.rethrow, cluster: t.cluster, etl: t.etl });
}
