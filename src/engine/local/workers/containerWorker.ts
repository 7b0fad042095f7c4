// Container ETLs (pod spec or runtime spec naming an image): the image comes from the local image store
// (`aisetl build`), or is the official Python runtime image with a `python -c …` command; either way the
// container command runs as a host process on a free local port.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostPathFor, hostWorkdir, resolveLocalImage, type LocalImage } from '../images';
import { workerEnv } from './env';
import { httpProbe, pollUntil, probeSummary, tcpProbe } from './health';
import { hostCommand } from './containerCommand';
import { ManagedProcess } from './managedProcess';
import { freePort } from './ports';
import { HOST, ProcessWorker, type Launch } from './processWorker';
import { findPython, runtimeDir } from './python';
import {
  builtOnRuntimePython,
  isRuntimePythonImage,
  runtimePythonRequirements,
  type SourceLocation,
} from './runtimePython';
import type { ContainerSource } from './types';
import { classBootstrapArgv, classInterpreter, hasClassPayload } from './classRuntime';
import { ensureVenv, sharedVenvCache, venvEnv } from './venv';

export class ContainerWorker extends ProcessWorker {
  // what the emulated AIS sends: 5.0 `etl_fqn` + empty body, 3.29 the bytes (and, leniently, POST after a 501)
  protected get passFqn(): boolean {
    return this.ctx.wire?.fqn ?? false;
  }
  protected override get postFallback(): boolean {
    return this.ctx.wire?.postFallback ?? false;
  }

  protected async launch(): Promise<Launch> {
    const src = this.spec.source as ContainerSource;
    const runtimePython = isRuntimePythonImage(src.image);
    const image = runtimePython ? undefined : this.lookupImage(src.image);
    // init_class: the image's own entrypoint loads ETL_CLASS_PAYLOAD; ours does the same with the SDK's servers
    const classPayload = runtimePython && !src.command?.length && hasClassPayload([...src.env, ...this.spec.env]);
    const argv = classPayload
      ? classBootstrapArgv()
      : src.command?.length
        ? [...src.command, ...(src.args ?? [])]
        : [...(image?.entrypoint ?? []), ...(src.args ?? image?.cmd ?? [])];
    if (!argv.length) {
      throw new Error(
        runtimePython
          ? `ETL "${this.spec.name}": image ${src.image} without a command (e.g. an init_class payload) cannot run on the local cluster; ` +
              'give the runtime a command such as ["python","-c","…"], or deploy the transform as a code ETL.'
          : `ETL "${this.spec.name}": image ${src.image} has no ENTRYPOINT/CMD and the spec no command; add one of them.`,
      );
    }
    for (const w of image?.warnings ?? []) this.note(`image ${image?.tag}: ${w}`);
    const containerPort = src.port ?? (src.origin === 'runtime-spec' ? 8000 : (image?.expose[0] ?? 80));
    const hostPort = await freePort(HOST);
    const cwd = image ? hostWorkdir(image) : this.ctx.workDir;
    const python = classPayload ? await this.classPythonFor(src) : await this.pythonFor(src, argv, image, cwd);
    const cmd = hostCommand(argv, { image, containerPort, hostPort, python });
    for (const n of cmd.notes) this.note(n);
    fs.mkdirSync(this.ctx.workDir, { recursive: true });
    const imageEnv = Object.entries(image?.env ?? {}).map(([name, value]) => ({ name, value }));
    // Python servers that hard-code the container port (e.g. inside `python -c`) bind the local port instead.
    const sitePath = [path.join(runtimeDir(), 'portmap'), ...(classPayload ? [runtimeDir()] : [])];
    const env = workerEnv(this.spec, this.ctx, [...imageEnv, ...src.env], sitePath);
    Object.assign(env, venvEnv(python, await findPython(), env.PATH)); // the image's python and pip are the venv's
    env.AISETL_PORT_MAP = `${containerPort}:${hostPort}`;
    env.AISETL_HOST_PORT = String(hostPort);
    this.note(
      `running ${[cmd.command, ...cmd.args].map((a) => (a.length > 80 ? a.slice(0, 77) + '…' : a)).join(' ')} (cwd ${cwd})`,
    );
    const proc = new ManagedProcess({ command: cmd.command, args: cmd.args, cwd, env, log: this.ring });
    const healthPath = src.readinessPath || '/health';
    let lastStatus = 0;
    const probe =
      src.readinessPath || src.origin === 'runtime-spec'
        ? httpProbe(HOST, hostPort, healthPath, (st) => {
            lastStatus = st;
            this.note(probeSummary(healthPath, hostPort, st));
          })
        : tcpProbe(HOST, hostPort);
    if (!src.readinessPath && src.origin === 'pod-spec') {
      this.note(
        `the pod spec has no readinessProbe: ready when port ${containerPort} (local ${hostPort}) accepts connections`,
      );
    }
    const ready = pollUntil(probe, () => proc.hasExited).then(() => hostPort);
    const tcpOnly = !(src.readinessPath || src.origin === 'runtime-spec');
    return {
      proc,
      ready,
      waitingFor: () => (tcpOnly ? probeSummary('', hostPort, 0) : probeSummary(healthPath, hostPort, lastStatus)),
    };
  }

  private lookupImage(tag: string): LocalImage {
    const img = resolveLocalImage(tag, { storeDir: this.ctx.imageStoreDir });
    if (img) return img;
    throw new Error(
      `ETL "${this.spec.name}": container image "${tag}" is not in the local image store and the local ` +
        `cluster cannot pull images. Build it from its Dockerfile with \`aisetl build -t ${tag} <folder with the Dockerfile>\`, ` +
        "or use the extension's Deploy command on the spec (it builds the Dockerfile next to the spec).",
    );
  }

  private classPythonFor(src: ContainerSource): Promise<string> {
    return classInterpreter({
      name: this.spec.name,
      image: src.image,
      env: [...src.env, ...this.spec.env],
      log: (l) => this.note(l),
      venvCache: this.ctx.venvCacheDir ?? sharedVenvCache(),
      timeoutMs: this.spec.initTimeoutMs,
    });
  }

  /**
   * Local python, or a cached venv with the aistore SDK when the command (or the Python file it runs) imports it on
   * the runtime_python image or an image built FROM it: that image ships the SDK.
   */
  private async pythonFor(src: ContainerSource, argv: string[], image: LocalImage | undefined, cwd: string) {
    const py = await findPython();
    const storeDir = this.ctx.imageStoreDir;
    const lookup = (tag: string): LocalImage | undefined => resolveLocalImage(tag, { storeDir });
    const shipsSdk = image ? builtOnRuntimePython(image, lookup) : isRuntimePythonImage(src.image);
    const sources: SourceLocation = { hostPath: image && ((p) => hostPathFor(image, p)), cwd };
    const reqs = shipsSdk ? runtimePythonRequirements(argv, [...src.env, ...this.spec.env], sources) : [];
    if (!reqs.length) return py.exe;
    // keyed by content: every ETL on the SDK shares one venv instead of installing it again per ETL
    const cache = this.ctx.venvCacheDir ?? sharedVenvCache();
    return ensureVenv(reqs, py, cache, (l) => this.note(l), this.spec.initTimeoutMs);
  }
}
