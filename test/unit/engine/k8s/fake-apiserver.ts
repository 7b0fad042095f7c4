// A fake kube-apiserver on loopback answering exactly the REST calls src/engine/k8s makes, with the shapes of
// the Kubernetes API (v1 Status errors, List kinds with resourceVersion, watch = JSON lines, chunked logs).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { CoreV1Event, V1Node, V1ObjectMeta, V1Service } from '@kubernetes/client-node';
import { K8sEtlPods } from '../../../../src/engine/k8s/index';
import type { PodJson, Wire } from '../../../../src/engine/k8s/pods';

/** Metadata as the fake keeps it: every stored object has a name; the fake sets resourceVersion and uid. */
type Meta = Wire<V1ObjectMeta> & { name: string };
/** A Pod as the fake stores and streams it (the engine's JSON shape of V1Pod, dates as strings). */
export type FakePod = PodJson & {
  metadata: Meta;
  status: NonNullable<PodJson['status']>;
  spec: NonNullable<PodJson['spec']>;
};
export type FakeEvent = Wire<CoreV1Event>;
export type FakeService = Wire<V1Service>;
export type FakeNode = Wire<V1Node>;
/** An AIStore custom resource: only metadata is read by the fake; the rest is what the test put there. */
export interface FakeCustom {
  metadata: Meta;
  [key: string]: unknown;
}
type AnyObj = { metadata?: Wire<V1ObjectMeta> };
interface Watcher {
  res: ServerResponse;
  ns?: string;
  selector: string;
}
interface Follower {
  res: ServerResponse;
  pod: string;
}
interface Rule {
  method?: string;
  path: RegExp;
  watch?: boolean; /* only watch (true) or only non-watch (false) requests */
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export class FakeApiserver {
  url = '';
  token = 'good-token';
  readonly requests: RecordedRequest[] = [];
  readonly pods = new Map<string, FakePod>(); // "ns/name" → pod
  readonly logs = new Map<string, string>(); // "ns/name" → current container log
  readonly previousLogs = new Map<string, string>();
  events: FakeEvent[] = [];
  services: FakeService[] = [];
  nodes: FakeNode[] = [];
  aistores: FakeCustom[] | undefined = []; // undefined: the CRD is not installed (404)
  forbidden: Rule[] = [];
  private rv = 100;
  private compactedBelow = 0; // a watch from an older resourceVersion gets ERROR 410
  private history: { rv: number; type: string; obj: FakePod }[] = [];
  private watchers = new Set<Watcher>();
  private followers = new Set<Follower>();
  private server = createServer((req, res) => this.handle(req, res));
  private wss: import('ws').WebSocketServer | undefined;

  /** Port-forward connections seen: which pod and port the client asked for. */
  readonly portForwards: { pod: string; port: number }[] = [];

  async start(): Promise<this> {
    this.server.on('upgrade', (req, socket, head) => void this.upgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    for (const f of this.followers) f.res.destroy();
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- state changes, seen by watches and log followers ----
  putPod(pod: FakePod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const type = this.pods.has(key) ? 'MODIFIED' : 'ADDED';
    pod.metadata.resourceVersion = String(++this.rv);
    // An update keeps the pod's identity; only a new pod of the same name gets a new uid.
    pod.metadata.uid ??= this.pods.get(key)?.metadata.uid ?? `uid-${pod.metadata.name}-${this.rv}`;
    this.pods.set(key, pod);
    this.emit(type, pod);
  }

  removePod(ns: string, name: string): FakePod | undefined {
    const key = `${ns}/${name}`;
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    pod.metadata.resourceVersion = String(++this.rv);
    this.emit('DELETED', pod);
    for (const f of [...this.followers])
      if (f.pod === key) {
        f.res.end();
        this.followers.delete(f);
      } // container gone: stream ends
    return pod;
  }

  /** Appends raw text (not necessarily whole lines) to a pod's log and to every follower, as one chunk. */
  appendLog(ns: string, name: string, text: string): void {
    const key = `${ns}/${name}`;
    this.logs.set(key, (this.logs.get(key) ?? '') + text);
    for (const f of this.followers) if (f.pod === key) f.res.write(text);
  }

  endLogStreams(): void {
    for (const f of this.followers) f.res.end();
    this.followers.clear();
  }
  /** Cuts the connections mid-chunk-stream (a proxy or the node going away), without the terminating chunk. */
  breakLogStreams(): void {
    for (const f of this.followers) f.res.socket?.destroy();
    this.followers.clear();
  }
  followerCount(): number {
    return this.followers.size;
  }
  watcherCount(): number {
    return this.watchers.size;
  }

  /** The server ends every open watch cleanly (as the API server does every few minutes). */
  closeWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** History compaction: open watches get ERROR 410 and end; resuming from an old resourceVersion fails too. */
  expireWatches(): void {
    this.compactedBelow = this.rv + 1;
    for (const w of this.watchers) {
      this.writeEvent(w.res, 'ERROR', gone());
      w.res.end();
    }
    this.watchers.clear();
  }

  watchRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.query.get('watch') === 'true');
  }

  private emit(type: string, obj: FakePod): void {
    this.history.push({ rv: this.rv, type, obj: structuredClone(obj) });
    for (const w of this.watchers) {
      if ((w.ns === undefined || w.ns === obj.metadata.namespace) && matchLabels(obj, w.selector))
        this.writeEvent(w.res, type, obj);
    }
  }

  private writeEvent(res: ServerResponse, type: string, obj: unknown): void {
    res.write(`${JSON.stringify({ type, object: obj })}\n`);
  }

  /**
   * The portforward subresource over WebSocket (v4.channel.k8s.io): echoes data upper-cased, so tests see it went
   * through.
   */
  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(u.pathname);
    if (!m || req.headers.authorization !== `Bearer ${this.token}` || !this.pods.has(`${m[1]}/${m[2]}`)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const { WebSocketServer } = await import('ws');
    this.wss ??= new WebSocketServer({
      noServer: true,
      handleProtocols: (protocols) => (protocols.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false),
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const port = Number(u.searchParams.get('ports'));
      this.portForwards.push({ pod: m[2], port });
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16LE(port);
      ws.send(Buffer.concat([Buffer.from([0]), portBytes])); // each stream starts with the port number
      ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0)
          ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(data.subarray(1).toString().toUpperCase())]));
      });
    });
  }

  // ---- HTTP ----
  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: u.pathname, query: u.searchParams });
    if (req.headers.authorization !== `Bearer ${this.token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const isWatch = u.searchParams.get('watch') === 'true';
    const forbidden = (r: Rule) =>
      (!r.method || r.method === method) && r.path.test(u.pathname) && (r.watch === undefined || r.watch === isWatch);
    if (this.forbidden.some(forbidden)) {
      const who = 'User "system:serviceaccount:ais:viewer"';
      const message = `${u.pathname} is forbidden: ${who} cannot ${method.toLowerCase()} this resource`;
      return status(res, 403, 'Forbidden', message);
    }
    if (this.podRoutes(res, method, u) || this.otherRoutes(res, u)) return;
    status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }

  /** Pods: list/watch, log, read/delete. True when the path was one of them. */
  private podRoutes(res: ServerResponse, method: string, u: URL): boolean {
    const q = u.searchParams;
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(u.pathname)) && method === 'GET') {
      if (q.get('watch') === 'true') this.watchPods(res, m[1], q);
      else this.listPods(res, m[1], q.get('labelSelector') ?? '');
      return true;
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(u.pathname)) && method === 'GET') {
      this.podLog(res, m[1], m[2], q);
      return true;
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(u.pathname))) {
      const pod = method === 'DELETE' ? this.removePod(m[1], m[2]) : this.pods.get(`${m[1]}/${m[2]}`);
      if (!pod) status(res, 404, 'NotFound', `pods "${m[2]}" not found`);
      else json(res, 200, { apiVersion: 'v1', kind: 'Pod', ...pod });
      return true;
    }
    return false;
  }

  /** Events, services, nodes and AIStore resources. True when the path was one of them. */
  private otherRoutes(res: ServerResponse, u: URL): boolean {
    let m: RegExpExecArray | null;
    const inNs = (o: { metadata?: { namespace?: string } }, ns: string | undefined) =>
      !ns || o.metadata?.namespace === ns;
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(u.pathname))) {
      const ns = m[1];
      const field = /^involvedObject\.name=(.*)$/.exec(u.searchParams.get('fieldSelector') ?? '');
      const items = this.events.filter(
        (e) => (e.metadata?.namespace ?? ns) === ns && (!field || e.involvedObject?.name === field[1]),
      );
      json(res, 200, list('EventList', items, this.rv));
    } else if ((m = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/services$/.exec(u.pathname))) {
      const ns = m[1];
      json(
        res,
        200,
        list(
          'ServiceList',
          this.services.filter((s) => inNs(s, ns)),
          this.rv,
        ),
      );
    } else if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)$/.exec(u.pathname))) {
      const [ns, name] = [m[1], m[2]];
      const svc = this.services.find((s) => s.metadata?.namespace === ns && s.metadata.name === name);
      if (svc) json(res, 200, svc);
      else status(res, 404, 'NotFound', `services "${name}" not found`);
    } else if (u.pathname === '/api/v1/nodes') {
      json(res, 200, list('NodeList', this.nodes, this.rv));
    } else if ((m = /^\/apis\/ais\.nvidia\.com\/v1beta1(?:\/namespaces\/([^/]+))?\/aistores$/.exec(u.pathname))) {
      const ns = m[1];
      if (!this.aistores) status(res, 404, 'NotFound', 'the server could not find the requested resource');
      else
        json(res, 200, {
          ...list(
            'AIStoreList',
            this.aistores.filter((a) => inNs(a, ns)),
            this.rv,
          ),
          apiVersion: 'ais.nvidia.com/v1beta1',
        });
    } else {
      return false;
    }
    return true;
  }

  private selectPods(ns: string, selector: string): FakePod[] {
    return [...this.pods.values()].filter((p) => p.metadata.namespace === ns && matchLabels(p, selector));
  }

  private listPods(res: ServerResponse, ns: string, selector: string): void {
    json(res, 200, list('PodList', this.selectPods(ns, selector), this.rv));
  }

  private watchPods(res: ServerResponse, ns: string, q: URLSearchParams): void {
    const selector = q.get('labelSelector') ?? '';
    const from = Number(q.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (from && from < this.compactedBelow) {
      this.writeEvent(res, 'ERROR', gone());
      res.end();
      return;
    }
    if (from) {
      for (const h of this.history) {
        if (h.rv > from && h.obj.metadata.namespace === ns && matchLabels(h.obj, selector))
          this.writeEvent(res, h.type, h.obj);
      }
    } else {
      for (const p of this.selectPods(ns, selector)) this.writeEvent(res, 'ADDED', p);
    }
    const w: Watcher = { res, ns, selector };
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }

  private podLog(res: ServerResponse, ns: string, name: string, q: URLSearchParams): void {
    const key = `${ns}/${name}`;
    const pod = this.pods.get(key);
    if (!pod) return status(res, 404, 'NotFound', `pods "${name}" not found`);
    const previous = q.get('previous') === 'true';
    const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
    if (!previous && waiting)
      return status(
        res,
        400,
        'BadRequest',
        `container "${q.get('container')}" in pod "${name}" is waiting to start: ${waiting.reason}`,
      );
    if (previous && !this.previousLogs.has(key))
      return status(
        res,
        400,
        'BadRequest',
        `previous terminated container "${q.get('container')}" in pod "${name}" not found`,
      );
    let text = (previous ? this.previousLogs.get(key) : this.logs.get(key)) ?? '';
    const tail = q.get('tailLines');
    if (tail !== null) {
      const lines = text.split('\n');
      const last = lines[lines.length - 1] === '' ? lines.pop() : undefined;
      text = lines.slice(-Number(tail)).join('\n') + (last === '' && lines.length ? '\n' : '');
      if (Number(tail) === 0) text = '';
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    if (q.get('follow') !== 'true') {
      res.end(text);
      return;
    }
    res.flushHeaders();
    if (text) res.write(text);
    const f: Follower = { res, pod: key };
    this.followers.add(f);
    res.on('close', () => this.followers.delete(f));
  }
}

function gone(): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'too old resource version',
    reason: 'Expired',
    code: 410,
  };
}

function list(kind: string, items: unknown[], rv: number): Record<string, unknown> {
  return { kind, apiVersion: 'v1', metadata: { resourceVersion: String(rv) }, items };
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** Equality (`k=v`) and existence (`k`) terms, comma-separated: what the code under test sends. */
export function matchLabels(obj: AnyObj, selector: string): boolean {
  const labels: Record<string, string> = obj.metadata?.labels ?? {};
  return selector
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const i = term.indexOf('=');
      return i < 0 ? term in labels : labels[term.slice(0, i)] === term.slice(i + 1);
    });
}

// ---- fixtures ----

export interface PodFixture {
  etl: string;
  target: string;
  ns?: string;
  phase?: string;
  ready?: boolean;
  node?: string;
  image?: string;
  restarts?: number;
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason?: string; message?: string };
  lastTerminated?: { exitCode: number; reason?: string };
  unschedulable?: string;
  labelValue?: string;
}

/** The ETL container's status: waiting, terminated or running as the fixture says, restarts in its containerID. */
function containerStatus(f: PodFixture, podName: string, phase: string) {
  const state = f.waiting
    ? { waiting: f.waiting }
    : f.terminated
      ? { terminated: f.terminated }
      : phase === 'Running'
        ? { running: { startedAt: '2026-11-25T10:00:00Z' } }
        : { waiting: { reason: 'ContainerCreating' } };
  return {
    name: f.etl,
    image: f.image ?? 'aistorage/transformer_md5:latest',
    imageID: '',
    ready: !!f.ready,
    restartCount: f.restarts ?? 0,
    state,
    containerID: `containerd://${podName}-${f.restarts ?? 0}`,
    ...(f.lastTerminated ? { lastState: { terminated: f.lastTerminated } } : {}),
  };
}

/** An ETL pod as AIS 5.0 creates it (ext/etl/boot.go): name `<etl>-<lower(tid)>`, labels of reference §8. */
export function etlPod(f: PodFixture): FakePod {
  const name = `${f.etl}-${f.target.toLowerCase()}`;
  const container = f.etl;
  const phase = f.phase ?? (f.ready ? 'Running' : 'Pending');
  const conditions = [
    {
      type: 'PodScheduled',
      status: f.unschedulable ? 'False' : 'True',
      ...(f.unschedulable ? { reason: 'Unschedulable', message: f.unschedulable } : {}),
    },
    { type: 'Ready', status: f.ready ? 'True' : 'False' },
  ];
  return {
    metadata: {
      name,
      namespace: f.ns ?? 'ais',
      creationTimestamp: '2026-11-25T09:59:58Z',
      labels: {
        app: 'ais',
        'app.kubernetes.io/name': 'etl',
        'app.kubernetes.io/component': 'server',
        'nvidia.com/ais-etl-name': f.labelValue ?? name,
        'nvidia.com/ais-etl-target': f.target,
        'nvidia.com/ais-etl-node': f.node ?? 'node-a',
      },
      managedFields: [{ manager: 'aisnode', operation: 'Update' }],
    },
    spec: {
      nodeName: f.unschedulable ? undefined : (f.node ?? 'node-a'),
      containers: [
        {
          name: container,
          image: f.image ?? 'aistorage/transformer_md5:latest',
          ports: [{ name: 'default', containerPort: 8000 }],
        },
      ],
    },
    status: {
      phase,
      conditions,
      startTime: '2026-11-25T10:00:00Z',
      ...(f.unschedulable
        ? {}
        : {
            containerStatuses: [containerStatus(f, name, phase)],
          }),
    },
  };
}

export function podEvent(
  ns: string,
  pod: string,
  reason: string,
  message: string,
  o: { type?: string; count?: number; at?: string } = {},
): FakeEvent {
  return {
    metadata: { name: `${pod}.${reason}.${Math.random().toString(36).slice(2, 8)}`, namespace: ns },
    involvedObject: { kind: 'Pod', name: pod, namespace: ns },
    reason,
    message,
    type: o.type ?? 'Warning',
    count: o.count ?? 1,
    lastTimestamp: o.at ?? '2026-11-25T10:00:05Z',
  };
}

/** A temp folder with a kubeconfig pointing at `server`; removed by the returned cleanup. */
export function tempKubeconfig(
  server: string,
  o: { token?: string; namespace?: string; context?: string; extraContext?: string; raw?: string } = {},
): { dir: string; path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-k8s-'));
  const path = join(dir, 'config');
  const ctx = o.context ?? 'fake';
  const contexts = [
    `- name: ${ctx}\n  context:\n    cluster: fake\n    user: fake${o.namespace ? `\n    namespace: ${o.namespace}` : ''}`,
  ];
  if (o.extraContext)
    contexts.push(`- name: ${o.extraContext}\n  context:\n    cluster: fake\n    user: fake\n    namespace: other`);
  writeFileSync(
    path,
    o.raw ??
      [
        'apiVersion: v1',
        'kind: Config',
        `current-context: ${ctx}`,
        'clusters:',
        '- name: fake',
        '  cluster:',
        `    server: ${server}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: fake',
        '  user:',
        `    token: ${o.token ?? 'good-token'}`,
        'contexts:',
        ...contexts,
        '',
      ].join('\n'),
  );
  return { dir, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `check` until it holds; fails (rather than measuring time) if it never does. */
export async function until(check: () => boolean, what: string, capMs = 10_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A started fake API server and a K8sEtlPods connected to it through a temp kubeconfig (namespace `ns`). */
export async function connectToFake(ns: string): Promise<{ fake: FakeApiserver; k8s: K8sEtlPods; cleanup(): void }> {
  const fake = await new FakeApiserver().start();
  const k = tempKubeconfig(fake.url, { namespace: ns });
  const r = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: k.path });
  if (!(r instanceof K8sEtlPods)) throw new Error(`the fake API server was not usable: ${r.unavailable}`);
  return { fake, k8s: r, cleanup: k.cleanup };
}
