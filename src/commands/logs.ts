// ETL logs in one LogOutputChannel per ETL: a snapshot per target or all targets, or "follow" (k8s follow when a
// kubeconfig works, else polling AIS and printing only what is new).
//
// Plain arguments (tests): `aistore.showEtlLogs({ cluster?, etl, target? })` returns `[{ targetId, lines }]`;
// `aistore.followPodLogs({ cluster?, etl, target?, stop? })` starts/stops following and returns whether it follows.
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
  for (const c of channels.values()) c.dispose();
  channels.clear();
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

export async function followPodLogs(s: Services, arg?: unknown): Promise<boolean> {
  const { cluster, t } = await resolveLogTarget(s, arg, 'Follow ETL logs');
  const key = `${cluster}/${t.etl}/${t.target ?? '*'}`;
  const existing = followers.get(key);
  if (existing || (arg as { stop?: boolean } | undefined)?.stop) { existing?.dispose(); followers.delete(key); channelFor(t.etl).appendLine(`──── stopped following ${key} ────`); return false; }
  const ch = channelFor(t.etl);
  ch.appendLine(`──── following ${t.etl}${t.target ? ` on ${t.target}` : ''} (run "Follow logs" again to stop) ────`);
  ch.show(true);
  const { client, entry } = await s.clientFor(cluster);

  // Kubernetes: a real follow of the pod's log.
  if (entry.source !== 'local') {
    const api = await s.k8s.podsApi();
    const pods = api && (await api.listEtlPods(t.etl).catch(() => []))?.filter((p) => !t.target || p.targetId === t.target);
    if (api && pods && pods.length) {
      const subs = pods.map((p) => api.followLogs(p.name, { tail: 200, onLine: (l) => ch.appendLine(`[${p.targetId}] ${l}`), onEnd: (r) => ch.appendLine(`[${p.targetId}] (log ended: ${r})`) }));
      followers.set(key, { dispose: () => subs.forEach((x) => x.dispose()) });
      return true;
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
