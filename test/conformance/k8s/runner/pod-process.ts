// One ETL pod's container run as a host process on hostIP:nodePort, the address the AIS target dials
// (boot.go setPodAddr). The container command is mapped the way the local cluster maps it (its image store,
// the runtime_python emulation, the containerPort → local port shim), imported from src/engine/local. A
// runtime_python container without a command that carries ETL_CLASS_PAYLOAD (init_class) runs what the image's
// entrypoint would: the local cluster's class bootstrap, on a venv of the payload's Python with the SDK + PACKAGES.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { hostPathFor, hostWorkdir, resolveLocalImage, type LocalImage } from '../../../../src/engine/local/images';
import {
  classBootstrapArgv,
  classInterpreter,
  hasClassPayload,
} from '../../../../src/engine/local/workers/classRuntime';
import { hostCommand } from '../../../../src/engine/local/workers/containerCommand';
import { healthStatus } from '../../../../src/engine/local/workers/health';
import { ManagedProcess, describeExit } from '../../../../src/engine/local/workers/managedProcess';
import { LogRing } from '../../../../src/engine/local/workers/logRing';
import { tcpAccepts } from '../../../../src/engine/local/workers/ports';
import { findPython, runtimeDir } from '../../../../src/engine/local/workers/python';
import {
  builtOnRuntimePython,
  isRuntimePythonImage,
  runtimePythonRequirements,
} from '../../../../src/engine/local/workers/runtimePython';
import { ensureVenv, venvEnv } from '../../../../src/engine/local/workers/venv';
import { CriLogFile } from './cri-log';

export interface PodProcessOptions {
  imageStore: string;
  venvCache: string;
  workRoot: string;
  logDir: string;
  host: string;
}

export interface RunningPod {
  readonly logFile: string;
  /** Resolves when the server answers its readiness probe (2xx on the probe path, or a TCP accept without one). */
  readonly ready: Promise<void>;
  /** Resolves with the exit code and the log tail when the process ended on its own. */
  readonly exited: Promise<{ code: number; message: string }>;
  kill(): Promise<void>;
}

type Env = { name: string; value: string }[];

function containerEnv(c: V1Container): Env {
  return (c.env ?? []).map((e) => ({ name: e.name, value: e.value ?? '' }));
}

function containerPort(c: V1Container): number {
  return c.ports?.[0]?.containerPort ?? 8000;
}

/** init_class: without a command, the runtime image's entrypoint unpickles the class in ETL_CLASS_PAYLOAD. */
function isClassPayload(c: V1Container, env: Env): boolean {
  return isRuntimePythonImage(c.image ?? '') && !c.command?.length && hasClassPayload(env);
}

function argvFor(c: V1Container, image: LocalImage | undefined, classPayload: boolean): string[] {
  if (classPayload) return classBootstrapArgv();
  if (c.command?.length) return [...c.command, ...(c.args ?? [])];
  return [...(image?.entrypoint ?? []), ...(c.args ?? image?.cmd ?? [])];
}

/** What the container runs: its image (and the local image behind it), command, env and folder on this machine. */
interface Run {
  name: string;
  image: string;
  local: LocalImage | undefined;
  argv: string[];
  env: Env;
  classPayload: boolean;
  cwd: string;
}

async function pythonFor(r: Run, o: PodProcessOptions, log: (l: string) => void): Promise<string> {
  // the payload only unpickles in the Python X.Y of the image tag; that venv also holds the SDK and PACKAGES
  if (r.classPayload) {
    const { name, image, env } = r;
    return classInterpreter({ name, image, env, venvCache: o.venvCache, log, timeoutMs: 300_000 });
  }
  const py = await findPython();
  const local = r.local;
  const lookup = (tag: string): LocalImage | undefined => resolveLocalImage(tag, { storeDir: o.imageStore });
  // runtime_python, or an image built FROM it, ships the SDK: the command or the file it runs may import it
  const shipsSdk = local ? builtOnRuntimePython(local, lookup) : isRuntimePythonImage(r.image);
  const sources = { hostPath: local && ((p: string) => hostPathFor(local, p)), cwd: r.cwd };
  const reqs = shipsSdk ? runtimePythonRequirements(r.argv, r.env, sources) : [];
  return reqs.length ? ensureVenv(reqs, py, o.venvCache, log, 300_000) : py.exe;
}

function processEnv(name: string, port: number, nodePort: number, classPayload: boolean, env: Env): NodeJS.ProcessEnv {
  const penv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PYTHONUNBUFFERED: '1',
    HOSTNAME: name,
    AISETL_PORT_MAP: `${port}:${nodePort}`,
    // the class bootstrap binds this port itself, and its server workers import a module next to it
    AISETL_HOST_PORT: String(nodePort),
    PYTHONPATH: [path.join(runtimeDir(), 'portmap'), ...(classPayload ? [runtimeDir()] : [])].join(path.delimiter),
  };
  for (const e of env) penv[e.name] = e.value;
  return penv;
}

/** The probe the kubelet would run: the container's readinessProbe httpGet path, else a TCP connect. */
function probe(c: V1Container, host: string, port: number): () => Promise<boolean> {
  const p = c.readinessProbe?.httpGet?.path;
  if (!p) return () => tcpAccepts(host, port, 500);
  return async () => {
    const s = await healthStatus(host, port, p, 1000);
    return s >= 200 && s < 300;
  };
}

export async function startPodProcess(pod: V1Pod, nodePort: number, o: PodProcessOptions): Promise<RunningPod> {
  const name = pod.metadata?.name ?? 'pod';
  const c = pod.spec!.containers[0];
  const logFile = path.join(o.logDir, `${name}.log`);
  const cri = new CriLogFile(logFile);
  const ring = new LogRing(200);
  const note = (l: string): void => {
    cri.line('stderr', `[pod-runner] ${l}`);
    ring.push(l);
  };
  const image = isRuntimePythonImage(c.image ?? '')
    ? undefined
    : resolveLocalImage(c.image ?? '', { storeDir: o.imageStore });
  const env = containerEnv(c);
  const classPayload = isClassPayload(c, env);
  const argv = argvFor(c, image, classPayload);
  if (!argv.length)
    throw new Error(`image ${c.image} is not in the local image store and the container has no command`);
  const cwd = image ? hostWorkdir(image) : path.join(o.workRoot, name);
  fs.mkdirSync(cwd, { recursive: true });
  const python = await pythonFor({ name, image: c.image ?? '', local: image, argv, env, classPayload, cwd }, o, note);
  const port = containerPort(c);
  const cmd = hostCommand(argv, { image, containerPort: port, hostPort: nodePort, python });
  const penv = processEnv(name, port, nodePort, classPayload, [
    ...Object.entries(image?.env ?? {}).map(([n, v]) => ({ name: n, value: v })),
    ...env,
  ]);
  Object.assign(penv, venvEnv(python, await findPython(), penv.PATH)); // the image's python and pip are the venv's
  for (const n of cmd.notes) note(n);
  note(`running ${[cmd.command, ...cmd.args].map((a) => (a.length > 60 ? a.slice(0, 57) + '…' : a)).join(' ')}`);
  const proc = new ManagedProcess({ command: cmd.command, args: cmd.args, cwd, env: penv, log: ring });
  proc.child.stdout?.on('data', (d: Buffer) => cri.write('stdout', d));
  proc.child.stderr?.on('data', (d: Buffer) => cri.write('stderr', d));
  const check = probe(c, o.host, nodePort);
  const ready = (async () => {
    for (let wait = 50; !proc.hasExited; wait = Math.min(wait * 1.5, 500)) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, wait));
    }
    throw new Error('exited before it was ready');
  })();
  ready.catch(() => undefined);
  const exited = proc.exited.then((e) => ({ code: e.code ?? 137, message: `${describeExit(e)}\n${ring.tail(20)}` }));
  return {
    logFile,
    ready,
    exited,
    async kill() {
      await proc.kill();
      cri.close();
    },
  };
}
