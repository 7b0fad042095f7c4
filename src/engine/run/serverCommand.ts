// The host command line for a server ETL: from a Pod/runtime spec (container paths → files next to the spec, the
// containerPort → a free local port) or from a server.py directly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { parseEtlFile, type CommType } from '../etl';
import { hostCommand } from '../local/workers/containerCommand';
import { LocalRunError } from './traceback';

export interface ServerCommand {
  script: string;
  args: string[];
  containerPort: number;
  hostPort: number;
  commType: CommType;
  readinessPath?: string;
  env: { name: string; value: string }[];
  notes: string[];
}

const RUNTIME_PORT = 8000;

export function serverCommand(file: string, python: string, hostPort: number, etlClass = false): ServerCommand {
  if (etlClass) {
    // The runtime image serves an ETLServer class on 8000 with GET /health; here on a free port.
    const env = [{ name: 'AISETL_PORT', value: String(hostPort) }];
    return {
      script: file,
      args: [],
      containerPort: RUNTIME_PORT,
      hostPort,
      commType: 'hpush://',
      readinessPath: '/health',
      env,
      notes: [],
    };
  }
  if (file.endsWith('.py')) return fromScript(file, hostPort);
  const text = fs.readFileSync(file, 'utf8');
  const parsed = parseEtlFile(file, text);
  const def = parsed.definitions[0];
  if (def?.kind === 'runtime-spec') {
    const argv = [...(def.command ?? [])];
    const env = (def.env ?? []).map((e) => ({ name: e.name, value: e.value ?? '' }));
    const readinessPath = '/health';
    const ctx = { python, hostPort, containerPort: RUNTIME_PORT, commType: def.commType, env, readinessPath };
    return fromArgv(file, argv, ctx);
  }
  if (def?.kind === 'pod-spec') {
    const c = podContainer(def.podYaml);
    const ctx = { python, hostPort, containerPort: c.port, commType: def.commType, env: c.env };
    return fromArgv(file, [...c.command, ...c.args], ctx);
  }
  throw new LocalRunError(
    `${path.basename(file)} is not a Pod or runtime spec this can run locally.`,
    '',
    'Open the spec of the ETL (or its server.py) and run that.',
  );
}

function fromScript(file: string, hostPort: number): ServerCommand {
  const text = fs.readFileSync(file, 'utf8');
  const args: string[] = [];
  // Tutorial-style servers take --listen/--port; others are told the port through the environment.
  if (/['"]--listen['"]/.test(text)) args.push('--listen', '127.0.0.1');
  if (/['"]--port['"]/.test(text)) args.push('--port', String(hostPort));
  const env = [
    { name: 'PORT', value: String(hostPort) },
    { name: 'ETL_PORT', value: String(hostPort) },
  ];
  const notes = args.length ? [] : [`${path.basename(file)} takes no --port: it must listen on $PORT (${hostPort})`];
  return { script: file, args, containerPort: hostPort, hostPort, commType: 'hpush://', env, notes };
}

interface ArgvContext {
  python: string;
  hostPort: number;
  containerPort: number;
  commType?: CommType;
  env: { name: string; value: string }[];
  readinessPath?: string;
}

function fromArgv(specFile: string, argv: string[], c: ArgvContext): ServerCommand {
  const dir = path.dirname(specFile);
  // A container path like /code/server.py is the file of that name next to the spec (the image's build context).
  const local = (a: string): string => path.join(dir, path.basename(a));
  const mapped = argv.map((a) => (a.startsWith('/') && fs.existsSync(local(a)) ? local(a) : a));
  const host = hostCommand(mapped, { containerPort: c.containerPort, hostPort: c.hostPort, python: c.python });
  const script = host.command === c.python ? host.args[0] : undefined;
  if (!script || !script.endsWith('.py') || !fs.existsSync(script)) {
    const shown = argv.join(' ') || 'the image default';
    throw new LocalRunError(
      `The spec's command (${shown}) does not run a Python file next to ` +
        `${path.basename(specFile)}, so it cannot be run or debugged locally.`,
      '',
      "Put the server's .py file next to the spec (as in the image's build context) " +
        'or open the .py file and run it.',
    );
  }
  return {
    script,
    args: host.args.slice(1),
    containerPort: c.containerPort,
    hostPort: c.hostPort,
    commType: c.commType ?? 'hpush://',
    readinessPath: c.readinessPath,
    env: c.env,
    notes: host.notes,
  };
}

interface PodContainer {
  command: string[];
  args: string[];
  port: number;
  env: { name: string; value: string }[];
}

function podContainer(podYaml: string): PodContainer {
  const pod = parseDocument(podYaml).toJS() as { spec?: { containers?: Record<string, unknown>[] } };
  const c = pod.spec?.containers?.[0] ?? {};
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const ports = Array.isArray(c.ports) ? (c.ports as { containerPort?: number }[]) : [];
  const rawEnv = Array.isArray(c.env) ? (c.env as { name: string; value?: string }[]) : [];
  const env = rawEnv.map((e) => ({ name: e.name, value: String(e.value ?? '') }));
  return { command: strings(c.command), args: strings(c.args), port: ports[0]?.containerPort ?? RUNTIME_PORT, env };
}
