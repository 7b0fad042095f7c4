// What the real-Kubernetes tests get from netns.sh (env), plus small tools: an admin API client, kubeconfig copies,
// a TCP relay that can cut every connection (to see watches reconnect), and polling with a deadline.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  ApiextensionsV1Api,
} from '@kubernetes/client-node';

export const NS = 'ais';

export interface Harness {
  endpoint: string; // the real AIS proxy (http://127.0.0.1:PORT)
  kubeconfig: string; // admin (system:masters)
  limitedKubeconfig: string; // user "limited": authenticated, no RBAC rights unless a test grants some
  imageStore: string; // the pod runner's local image store
  podLogDir: string; // the CRI log files the pod runner writes (kwok serves them)
  venvProblem?: string; // why the ETL venvs could not be made (prepare.ts)
  venvCache: string; // the venvs prepare.ts made ($AISETL_K8S_VENVS)
  classProblem?: string; // why the ETLServer class's venvs could not be made (prepare.ts)
}

const problem = (file: string): string | undefined => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);

/** The harness, or why these tests cannot run (they are then skipped with that reason). */
export function harness(): Harness | { skip: string } {
  const e = process.env;
  if (!e.AISETL_K8S_AIS_ENDPOINT || !e.AISETL_K8S_KUBECONFIG || !e.AISETL_K8S_WORK) {
    return { skip: 'needs the real-Kubernetes harness: run bash test/conformance/k8s/run.sh' };
  }
  const venvs = e.AISETL_K8S_VENVS ?? '';
  return {
    endpoint: e.AISETL_K8S_AIS_ENDPOINT,
    kubeconfig: e.AISETL_K8S_KUBECONFIG,
    limitedKubeconfig: e.AISETL_K8S_LIMITED_KUBECONFIG ?? '',
    imageStore: e.AISETL_K8S_IMAGES ?? '',
    podLogDir: path.join(e.AISETL_K8S_WORK, 'runner', 'logs'),
    venvProblem: problem(path.join(venvs, '.unavailable')),
    venvCache: venvs,
    classProblem: problem(path.join(venvs, '.class-unavailable')),
  };
}

export interface Admin {
  kc: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  rbac: RbacAuthorizationV1Api;
  ext: ApiextensionsV1Api;
}

export function admin(h: Harness): Admin {
  const kc = new KubeConfig();
  kc.loadFromFile(h.kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    ext: kc.makeApiClient(ApiextensionsV1Api),
  };
}

/** A copy of `file` with another server address and/or token, written next to `dir`. */
export function kubeconfigVariant(
  file: string,
  dir: string,
  name: string,
  o: { server?: string; token?: string },
): string {
  let text = fs.readFileSync(file, 'utf8');
  if (o.server) text = text.replace(/server: "[^"]+"/, `server: "${o.server}"`);
  if (o.token) text = text.replace(/token: "[^"]+"/, `token: "${o.token}"`);
  const out = path.join(dir, `${name}.kubeconfig`);
  fs.writeFileSync(out, text, { mode: 0o600 });
  return out;
}

export function apiServer(file: string): { host: string; port: number } {
  const m = /server: "https:\/\/([^:]+):(\d+)"/.exec(fs.readFileSync(file, 'utf8'));
  if (!m) throw new Error(`no server address in ${file}`);
  return { host: m[1], port: Number(m[2]) };
}

/** A TCP relay to the apiserver whose connections can all be cut at once. */
export async function relay(to: {
  host: string;
  port: number;
}): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const socks = new Set<net.Socket>();
  const srv = net.createServer((a) => {
    const b = net.connect(to.port, to.host);
    for (const s of [a, b]) {
      socks.add(s);
      s.on('close', () => socks.delete(s));
      s.on('error', () => s.destroy());
    }
    a.pipe(b);
    b.pipe(a);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const cut = (): void => {
    for (const s of socks) s.destroy();
  };
  return {
    port: (srv.address() as net.AddressInfo).port,
    cut,
    close: () =>
      new Promise<void>((r) => {
        cut();
        srv.close(() => r());
      }),
  };
}

/** Polls `fn` until it returns something truthy; the error names what was awaited and the last value seen. */
export async function waitFor<T>(
  what: string,
  ms: number,
  fn: () => Promise<T> | T,
  everyMs = 200,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      last = await fn();
    } catch (e) {
      last = e;
    }
    if (last && !(last instanceof Error)) return last as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
