// The ETLs the real-Kubernetes suite deploys, as the extension builds them for an AIS 5.0 cluster: a runtime spec
// on the official runtime image, a plain transform(bytes) wrapped on that image, an ETLServer class serialized by
// the SDK's init_class, and the seed tutorial's Pod spec.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  buildInitClassMessage,
  buildInitMessage,
  parseEtlFile,
  type EtlDefinition,
} from '../../../../src/engine/etl/index';
import type { ClusterInfo } from '../../../../src/engine/ais/index';
import { classRequirements } from '../../../../src/engine/local/workers/classRuntime';
import { findPython } from '../../../../src/engine/local/workers/python';
import { runtimePythonRequirements } from '../../../../src/engine/local/workers/runtimePython';
import { ensureVenv } from '../../../../src/engine/local/workers/venv';

export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
export const TUTORIAL = path.join(REPO, 'test', 'fixtures', 'tutorial');
/** `echo "some text :)" | ais put - transform/shard.in` and its md5, as the tutorial prints it */
export const SHARD_TEXT = 'some text :)\n';
export const SHARD_MD5 = '393c6706efb128fbc442d3f7d084a426';

/** An md5 server written with the SDK's web server framework, as a runtime spec's `python -c` command. */
export const MD5_SERVER_PY = [
  'import hashlib',
  'from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer',
  'class Md5(HTTPMultiThreadedServer):',
  '    def transform(self, data, path, etl_args):',
  '        return hashlib.md5(data).hexdigest().encode()',
  'Md5(host="0.0.0.0", port=8000).start()',
].join('\n');

export const MD5_TRANSFORM_PY =
  'import hashlib\n\n\ndef transform(data):\n    return hashlib.md5(data).hexdigest().encode()\n';

export type Cluster = Pick<ClusterInfo, 'dialect' | 'local' | 'commTypes' | 'codeInit' | 'etl'>;

export function runtimeSpecDef(name: string): EtlDefinition {
  return {
    kind: 'runtime-spec',
    name,
    image: 'aistorage/runtime_python:3.11',
    command: ['python', '-c', MD5_SERVER_PY],
    commType: 'hpush://',
  };
}

export function wrappedCodeDef(commType: 'hpush://' | 'hpull://' = 'hpush://'): EtlDefinition {
  return { kind: 'code', code: MD5_TRANSFORM_PY, runtime: 'python3.11v2', functionName: 'transform', commType };
}

/** The seed's spec.yaml as the extension parses it (image docker.io/aistore/md5_server:v1, no readinessProbe). */
export function seedPodSpecDef(): EtlDefinition {
  const parsed = parseEtlFile('spec.yaml', fs.readFileSync(path.join(TUTORIAL, 'spec.yaml'), 'utf8'));
  const def = parsed.definitions[0];
  if (!def) throw new Error(`the tutorial spec.yaml parsed to no definition: ${JSON.stringify(parsed.diagnostics)}`);
  return def;
}

export function initBody(
  def: EtlDefinition,
  name: string,
  cluster: Cluster,
  initTimeout = '2m',
): Record<string, unknown> {
  return buildInitMessage(def, { name, initTimeout }, cluster).body;
}

/** The AIS 5.0 capabilities the engine derives for a real K8s cluster with ETL. */
export const AIS50: Cluster = {
  dialect: 'v5.0',
  local: false,
  commTypes: ['hpush://', 'hpull://', 'ws://'],
  codeInit: false,
  etl: 'available',
};

/** The venv requirement sets the pod runner needs for these ETLs (made before the network goes away). */
export function venvRequirementSets(): string[][] {
  const sets = new Map<string, string[]>();
  for (const def of [runtimeSpecDef('k8s-prep-rt'), wrappedCodeDef()]) {
    const rt = (initBody(def, 'k8s-prep-x', AIS50).runtime ?? {}) as {
      command?: string[];
      env?: { name: string; value: string }[];
    };
    const reqs = runtimePythonRequirements(rt.command ?? [], rt.env ?? []);
    if (reqs.length) sets.set(reqs.join('\n'), reqs);
  }
  return [...sets.values()];
}

/** md5 as an ETLServer class (HTTPMultiThreadedServer) with a helper module shipped by value and PACKAGES. */
export const CLASS_FIXTURE = path.join(REPO, 'test', 'fixtures', 'etl-class');

/**
 * The init message the extension sends for the class fixture: the SDK's own init_class, run in a cached venv of
 * the local Python with `aistore[etl]` (the user's interpreter), cloudpickles the class for runtime_python:<X.Y>.
 * The first call (prepare.ts) installs that venv from PyPI; later ones (in the network namespace) reuse it.
 */
export async function classInitBody(
  name: string,
  cluster: Cluster,
  venvCache: string,
  log: (l: string) => void = () => undefined,
): Promise<Record<string, unknown>> {
  const py = await findPython();
  const python = await ensureVenv(classRequirements([], py.version), py, venvCache, log, 600_000);
  // a copy, so that importing the module leaves no __pycache__ in the repository
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-k8s-class-'));
  try {
    for (const f of fs.readdirSync(CLASS_FIXTURE)) fs.copyFileSync(path.join(CLASS_FIXTURE, f), path.join(dir, f));
    const file = path.join(dir, 'md5_server.py');
    const def = parseEtlFile(file, fs.readFileSync(file, 'utf8')).definitions[0];
    if (def?.kind !== 'etl-class') throw new Error(`${file} did not parse as an ETLServer class`);
    return (await buildInitClassMessage(file, def, { name }, cluster, { python })).body;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
