// ETL logs in one output channel per ETL: a snapshot per target or all targets, or "follow" (k8s follow when a
// kubeconfig works, else polling AIS and printing only what is new).
//
// Plain arguments: `aistore.showEtlLogs({ cluster?, etl, target? })` returns `[{ targetId, lines }]`;
// `aistore.followPodLogs({ cluster?, etl, target?, stop? })` starts/stops following and returns whether it follows;
// with `{ cluster?, pod }` (or a pod node) it follows that one pod in its own channel "AIStore pod: <pod>".
// `aistore.followEtlLogs` is the same for the whole ETL: all targets interleaved, each line prefixed `[<target>]`.
import * as vscode from 'vscode';
import type { EtlPod } from '../engine/k8s';
import type { ClusterEntry } from '../services/clusterSources';
import type { ClusterClient } from '../services/engine';
import { formatError } from '../services/errors';
import { mapTracebackToUserFiles } from '../services/tracebacks';
import type { EtlLogsNode, EtlNode, EtlTargetNode, PodNode } from '../views/treeNodes';
import { etlRef, type EtlArg, type EtlRef } from './args';
import type { CommandContext } from './context';
import type { LogChannels } from './logChannels';
import { declareCommand } from './table';
import { pickAnyEtl, pickCluster } from './ui';

const POLL_MS = 2000;
const FOLLOW_TAIL = 200;

/** A line repeated back to back (a note per object, a retry loop) is shown once with its count. */
export function collapseRepeats(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i + 1;
    while (j < lines.length && lines[j] === lines[i]) j++;
    out.push(j - i > 1 ? `${lines[i]}  (×${j - i})` : lines[i]);
    i = j;
  }
  return out;
}

/** The local time of day, for headers that say when a snapshot was taken (log lines keep their own times). */
function clock(): string {
  return new Date().toLocaleTimeString();
}

/** Worker tracebacks (of ETL `etl`, when known) with the user's deployed file in place of the worker's copy. */
export function userFrames(s: CommandContext, text: string, etl?: string): string {
  return mapTracebackToUserFiles(text, (e) => s.deployed.fileOf(e), etl);
}

/** Follow or, when already following (or `stop: true`), stop. */
export interface FollowArgs extends EtlRef {
  pod?: string;
  stop?: boolean;
}

/** The ETL from a tree node or plain args, or picked (from the palette). */
async function resolveEtl(s: CommandContext, arg: EtlArg | undefined, title: string) {
  const given = etlRef(arg);
  const cluster = await pickCluster(s, given.cluster, title);
  const { client, entry } = await s.clientFor(cluster);
  const etl = given.etl ?? (await pickAnyEtl(client, title));
  return { cluster, client, entry, etl, target: given.target };
}

export const showEtlLogs = declareCommand<EtlArg, { targetId: string; lines: number }[]>(
  'aistore.showEtlLogs',
  'Show logs',
  async (s, arg) => {
    const { cluster, client, etl, target } = await resolveEtl(s, arg, 'Show ETL logs');
    const logs = await vscode.window.withProgress(
      { location: { viewId: 'aistore.clusters' }, title: 'Loading logs' },
      () => client.etlLogs(etl, target),
    );
    const ch = s.logChannels.forEtl(etl);
    ch.appendLine(`──── ${etl} on ${cluster}${target ? `, target ${target}` : ', all targets'}, as of ${clock()} ────`);
    const out = logs.map((l) => {
      // Frames in the worker's copy of the code point at the user's file (links in Output).
      const lines = collapseRepeats(
        userFrames(s, l.logs, etl)
          .split('\n')
          .filter((x) => x !== ''),
      );
      ch.appendLine(`[${l.targetId}] ${lines.length ? `${lines.length} lines` : '(no log output yet)'}`);
      for (const line of lines) ch.appendLine(`[${l.targetId}] ${line}`);
      return { targetId: l.targetId, lines: lines.length };
    });
    if (logs.length === 0) ch.appendLine('(no workers answered: is the ETL running?)');
    ch.show(true);
    return out;
  },
);

export const followPodLogs = declareCommand<EtlTargetNode | PodNode | EtlLogsNode | FollowArgs, boolean>(
  'aistore.followPodLogs',
  'Follow logs',
  async (s, arg) => {
    const pod = arg && 'kind' in arg ? (arg.kind === 'etlPod' ? arg.pod.name : undefined) : arg?.pod;
    const stop = !!arg && !('kind' in arg) && arg.stop === true;
    if (pod) return followOnePod(s, { cluster: etlRef(arg).cluster, pod, stop });
    return followEtl(s, arg, stop);
  },
);

/** "Follow logs (all targets)" on an ETL node: every pod's log interleaved with `[<target>]` prefixes. */
export const followEtlLogs = declareCommand<EtlNode | FollowArgs, boolean>(
  'aistore.followEtlLogs',
  'Follow logs (all targets)',
  (s, arg) => {
    const ref = etlRef(arg);
    const stop = !!arg && !('kind' in arg) && arg.stop === true;
    return followEtl(s, { cluster: ref.cluster, etl: ref.etl }, stop);
  },
);

/** Following one pod in its own channel (tail 200), or stopping it when already following (or `stop`). */
async function followOnePod(s: CommandContext, t: { cluster?: string; pod: string; stop: boolean }): Promise<boolean> {
  const cluster = await pickCluster(s, t.cluster, 'Follow pod logs');
  const key = `${cluster}/pod/${t.pod}`;
  const ch = s.logChannels.forPod(t.pod);
  const wasFollowing = s.logChannels.unfollow(key);
  if (wasFollowing || t.stop) {
    if (wasFollowing)
      ch.appendLine(`──── stopped following ${t.pod} (run "Follow logs" on the pod to follow it again) ────`);
    return false;
  }
  const api = await s.k8s.require(s.registry.resolve(cluster), `Following the log of pod ${t.pod}`);
  ch.appendLine(
    `──── following pod ${t.pod} in ${api.namespace} (last ${FOLLOW_TAIL} lines, then new ones) — stops when the ` +
      'pod\'s log ends, when you run "Follow logs" on the pod again, or when this window closes ────',
  );
  ch.show(true);
  let ended = false;
  const ref: { handle?: { dispose(): void } } = {}; // onEnd may in principle run before followLogs returns
  const handle = (ref.handle = api.followLogs(t.pod, {
    tail: FOLLOW_TAIL,
    onLine: (l) => ch.appendLine(l),
    onEnd: (reason) => {
      ended = true;
      if (ref.handle) s.logChannels.ended(key, ref.handle);
      // 'disposed': stopped by the user (said above) or the window is closing with its channels.
      if (reason !== 'disposed') ch.appendLine(`──── stopped following ${t.pod}: ${reason} ────`);
    },
  }));
  if (!ended) s.logChannels.follow(key, handle);
  return !ended;
}

async function followEtl(s: CommandContext, arg: EtlArg | undefined, stop: boolean): Promise<boolean> {
  const { cluster, client, entry, etl, target } = await resolveEtl(s, arg, 'Follow ETL logs');
  const key = `${cluster}/${etl}/${target ?? '*'}`;
  const ch = s.logChannels.forEtl(etl);
  if (s.logChannels.unfollow(key) || stop) {
    ch.appendLine(`──── stopped following ${key} ────`);
    return false;
  }
  ch.appendLine(
    `──── following ${etl}${target ? ` on ${target}` : ' (all targets)'} (run "Follow logs" again to stop) ────`,
  );
  ch.show(true);
  if (entry.source !== 'local' && (await followPods(s, entry, { key, etl, target, ch }))) return true;
  s.logChannels.follow(key, await pollAisLogs(client, etl, target, ch, (t) => userFrames(s, t, etl)));
  return true;
}

interface FollowTarget {
  key: string;
  etl: string;
  target?: string;
  ch: vscode.OutputChannel;
}

/** Kubernetes: a real follow of each pod's log, lines prefixed with the target. False when there is no pod. */
async function followPods(s: CommandContext, entry: ClusterEntry, f: FollowTarget): Promise<boolean> {
  const api = await s.k8s.forCluster(entry);
  if ('unavailable' in api) {
    f.ch.appendLine(`Kubernetes not reachable: ${api.unavailable} — polling the AIS API instead`);
    return false;
  }
  const listed = await api.listEtlPods(f.etl).catch((err: unknown) => {
    f.ch.appendLine(`(warning) list pods: ${formatError(err)}`);
    return [] as EtlPod[];
  });
  const pods = listed.filter((p) => !f.target || p.targetId === f.target);
  if (!pods.length) {
    f.ch.appendLine(`No pods of ${f.etl} in namespace ${api.namespace} — polling the AIS API instead`);
    return false;
  }
  const channels: LogChannels = s.logChannels;
  const handle = api.followAllLogs(pods, {
    tail: FOLLOW_TAIL,
    onLine: (l) => f.ch.appendLine(l),
    onEnd: (r) => f.ch.appendLine(r === 'disposed' ? '(stopped)' : `(log ended: ${r})`),
    onAllEnded: () => {
      if (channels.following(f.key) !== handle) return;
      channels.ended(f.key, handle);
      f.ch.appendLine(`──── stopped following ${f.etl}: every pod's log ended ────`);
    },
  });
  channels.follow(f.key, handle);
  return true;
}

/** AIS API: poll and print what's new since the last poll (logs only grow while the worker lives). */
async function pollAisLogs(
  client: ClusterClient,
  etl: string,
  target: string | undefined,
  ch: vscode.OutputChannel,
  mapFrames: (text: string) => string,
): Promise<{ dispose(): void }> {
  const seen = new Map<string, number>();
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const l of await client.etlLogs(etl, target)) {
        const from = seen.get(l.targetId) ?? 0;
        const start = l.logs.length < from ? 0 : from; // restarted worker: its log starts over
        for (const line of mapFrames(l.logs.slice(start)).split('\n'))
          if (line) ch.appendLine(`[${l.targetId}] ${line}`);
        seen.set(l.targetId, l.logs.length);
      }
    } catch (err) {
      ch.appendLine(`(warning ${clock()}) logs: ${formatError(err)}`);
    } finally {
      busy = false;
    }
  };
  await poll();
  const timer = setInterval(() => void poll(), POLL_MS);
  return { dispose: () => clearInterval(timer) };
}
