// Deploying an ETLServer class the way the SDK's `Etl.init_class` does: the user's own interpreter imports the
// module and runs init_class against a recording client (initClassScript.ts); its Python version picks the runtime
// image, exactly as the SDK does. The result goes through buildInitMessage like every other definition.
import { spawn } from 'node:child_process';
import {
  EtlDefinitionError,
  type BuiltInit,
  type ClusterEtlCapabilities,
  type EtlClassDefinition,
  type EtlClassPayload,
  type InitChoices,
} from './types';
import { validateEtlName } from './names';
import { packagesFromRequirements } from './etlClassConfig';
import { INIT_CLASS_SCRIPT } from './initClassScript';
import { wsServerProblem } from './etlServerClass';
import { buildInitMessage, DEFAULT_INIT_TIMEOUT, DEFAULT_OBJ_TIMEOUT } from './initMessage';

/** The interpreter the extension runs ETL Python with (the local cluster's workers use the same rule). */
export function etlPython(): string {
  return process.env.AISETL_PYTHON || 'python3';
}

/** Keyword arguments of `Etl.init_class`, as the recording script passes them. */
export interface InitClassArgs {
  comm_type: string;
  init_timeout: string;
  obj_timeout: string;
  direct_put: boolean;
  direct_file_access: boolean;
  dependencies: string[];
  os_packages: string[];
  env: Record<string, string>;
}

export interface InitClassOptions {
  /** Interpreter; default etlPython(). */
  python?: string;
  /** Loading the module and pickling the class; default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Header settings of the file, overridden by what the user chose when deploying. */
export function initClassArgs(def: EtlClassDefinition, choices: Partial<InitChoices>): InitClassArgs {
  const env: Record<string, string> = {};
  if (def.numWorkers !== undefined) env.NUM_WORKERS = String(def.numWorkers);
  Object.assign(env, def.env ?? {}, choices.env ?? {});
  const commType = choices.commType ?? def.commType ?? 'hpush://';
  const wsProblem = wsServerProblem(def.server, commType);
  if (wsProblem) throw new EtlDefinitionError(wsProblem);
  return {
    comm_type: commType.replace('://', ''),
    init_timeout: choices.initTimeout ?? def.initTimeout ?? DEFAULT_INIT_TIMEOUT,
    obj_timeout: choices.objTimeout ?? def.objTimeout ?? DEFAULT_OBJ_TIMEOUT,
    direct_put: choices.supportDirectPut ?? def.supportDirectPut ?? true,
    direct_file_access: def.directFqn ?? false,
    dependencies: def.packages ?? packagesFromRequirements(choices.dependencies ?? ''),
    os_packages: def.osPackages ?? [],
    env,
  };
}

interface ScriptAnswer {
  ok: boolean;
  code?: string;
  message?: string;
  python?: string;
  executable?: string;
  sdk?: string;
  body?: Record<string, unknown>;
}

function runScript(
  python: string,
  request: unknown,
  o: InitClassOptions,
): Promise<{ answer?: ScriptAnswer; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Modules written for an image often create the server at import (`app = MyServer().app`), which needs
    // AIS_TARGET_URL; the pod sets it, so set a placeholder here (only the class is shipped, not that instance).
    const env = { ...process.env, AIS_TARGET_URL: process.env.AIS_TARGET_URL || 'http://127.0.0.1:1/not-a-target' };
    const child = spawn(python, ['-c', INIT_CLASS_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], signal: o.signal, env });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new EtlDefinitionError(
          `Loading the ETL module with ${python} did not finish within ` +
            `${Math.round((o.timeoutMs ?? 60_000) / 1000)} s: ` +
            'does it start a server at import time? Put that under `if __name__ == "__main__":`.',
        ),
      );
    }, o.timeoutMs ?? 60_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString('utf8')).slice(-8000);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? new EtlDefinitionError(
              `Python "${python}" could not be run: install Python 3.10+ with "aistore[etl]", or set AISETL_PYTHON ` +
                `to such an interpreter.`,
            )
          : e,
      );
    });
    child.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(out).toString('utf8');
      try {
        resolve({ answer: JSON.parse(text) as ScriptAnswer, stderr });
      } catch {
        resolve({ stderr });
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

function lastLine(s: string): string {
  return s.trim().split('\n').filter(Boolean).pop() ?? s;
}

function failure(a: ScriptAnswer, file: string, python: string): EtlDefinitionError {
  const exe = a.executable ?? python;
  const where = `${exe} (Python ${a.python ?? '?'})`;
  switch (a.code) {
    case 'no-aistore':
      return new EtlDefinitionError(
        `The aistore SDK is not installed in ${where} (${a.message}): run \`"${exe}" -m pip install ` +
          `"aistore[etl]"\`, ` +
          'or set AISETL_PYTHON to an interpreter that has it.',
      );
    case 'sdk-too-old':
      return new EtlDefinitionError(
        `${a.message} (in ${where}): upgrade with \`"${exe}" -m pip install -U "aistore[etl]"\`.`,
      );
    case 'import-error':
      return new EtlDefinitionError(
        `Importing ${file} with ${where} failed: ${lastLine(a.message ?? '')}. Fix the module (full traceback in ` +
          `the log) and deploy again.\n${a.message ?? ''}`,
      );
    case 'sdk-refused':
      return new EtlDefinitionError(
        `The SDK's init_class refused the class in ${where}: ${a.message}. The runtime image is ` +
          'aistorage/runtime_python:<your Python major.minor>: use a Python the SDK supports (AISETL_PYTHON).',
      );
    default:
      return new EtlDefinitionError(`Serializing the ETL class with ${where} failed: ${a.message ?? 'no answer'}`);
  }
}

/** Runs init_class in the user's interpreter and returns what it would have sent. */
export async function serializeEtlClass(
  file: string,
  def: EtlClassDefinition,
  name: string,
  args: InitClassArgs,
  o: InitClassOptions = {},
): Promise<EtlClassPayload> {
  const python = o.python ?? etlPython();
  const { answer, stderr } = await runScript(python, { file, className: def.className, name, args }, o);
  if (!answer)
    throw new EtlDefinitionError(
      `${python} gave no answer while serializing ${def.className}: ${lastLine(stderr) || 'no output'}`,
    );
  if (!answer.ok || !answer.body) throw failure(answer, file, python);
  return {
    body: answer.body,
    python: answer.python ?? '',
    pythonExecutable: answer.executable ?? python,
    sdkVersion: answer.sdk ?? 'unknown',
  };
}

/** detect → validate → build, for an ETLServer class: the async step buildInitMessage cannot do itself. */
export async function buildInitClassMessage(
  file: string,
  def: EtlClassDefinition,
  choices: InitChoices,
  cluster: ClusterEtlCapabilities,
  o: InitClassOptions = {},
): Promise<BuiltInit> {
  const problem = validateEtlName(choices.name ?? '');
  if (problem)
    throw new EtlDefinitionError(`${problem}. Choose a name of 6–32 characters [a-z0-9-], starting with a letter.`);
  const payload = await serializeEtlClass(file, def, choices.name, initClassArgs(def, choices), o);
  return buildInitMessage({ ...def, payload }, choices, cluster);
}

/** What the ETL interpreter offers for init_class: its Python, and the aistore SDK if installed. */
export interface EtlSdkProbe {
  python: string;
  executable?: string;
  version?: string;
  /** aistore version; undefined when not importable */
  sdk?: string;
  /** Python versions the installed SDK's init_class accepts (runtime images exist for those) */
  supportedPythons?: string[];
  /** why the interpreter could not be asked */
  error?: string;
}

const PROBE_SCRIPT = [
  'import json, sys',
  'r = {"executable": sys.executable, "version": "%d.%d" % sys.version_info[:2]}',
  'try:',
  '    from importlib.metadata import version',
  '    import aistore.sdk.etl.webserver',
  '    r["sdk"] = version("aistore")',
  '    from aistore.sdk.etl import etl_const',
  '    r["supported"] = list(getattr(etl_const, "ETL_SUPPORTED_PYTHON_VERSIONS", []))',
  'except Exception:',
  '    pass',
  'print(json.dumps(r))',
].join('\n');

export function probeEtlSdk(python = etlPython(), timeoutMs = 30_000): Promise<EtlSdkProbe> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-c', PROBE_SCRIPT], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ python, error: e.message });
    });
    child.on('close', () => {
      clearTimeout(timer);
      try {
        const r = JSON.parse(out) as { executable: string; version: string; sdk?: string; supported?: string[] };
        resolve({ python, executable: r.executable, version: r.version, sdk: r.sdk, supportedPythons: r.supported });
      } catch {
        resolve({ python, error: `no answer from ${python}` });
      }
    });
  });
}
