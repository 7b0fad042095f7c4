// Dockerfiles next to a Pod spec (the tutorial's "regular flow"): enough parsing to know the base image,
// the server command and its port, and to point at the mistakes that make an ETL pod fail to start.
import type { EtlDiagnostic, Range } from './types';
import { findCommandPort } from './fields';
import { LineIndex } from './text';

const KNOWN = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME',
  'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

export interface DockerInstruction { keyword: string; args: string; range: Range }
export interface DockerCommand { form: 'exec' | 'shell'; args: string[]; range: Range }
export interface DockerfileInfo {
  instructions: DockerInstruction[];
  /** The final stage's base image. */
  from?: { image: string; range: Range };
  workdir?: string;
  copies: { sources: string[]; dest: string; range: Range }[];
  entrypoint?: DockerCommand;
  cmd?: DockerCommand;
  expose: { port: number; protocol: string; range: Range }[];
}

/** Physical lines → instructions (continuations joined, comments and heredoc bodies skipped). */
function logicalInstructions(text: string): DockerInstruction[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const index = new LineIndex(text);
  const escape = /^#\s*escape\s*=\s*`/i.test(lines[0] ?? '') ? '`' : '\\';
  const out: DockerInstruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(#|$)/.test(lines[i])) continue;
    const first = i;
    let joined = '';
    let line = lines[i];
    while (line.trimEnd().endsWith(escape) && i + 1 < lines.length) {
      joined += line.trimEnd().slice(0, -1) + ' ';
      i++;
      while (i < lines.length - 1 && /^\s*#/.test(lines[i])) i++; // comments inside continuations are dropped
      line = lines[i];
    }
    joined += line;
    const m = /^\s*(\S+)\s*(.*)$/.exec(joined)!;
    out.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), range: index.lineRange(first) });
    const heredoc = /<<-?\s*["']?(\w+)["']?/.exec(m[2]);
    if (heredoc) while (i + 1 < lines.length && lines[++i].trim() !== heredoc[1]) { /* skip heredoc body */ }
  }
  return out;
}

function splitShellWords(s: string): string[] {
  return s.match(/"[^"]*"|'[^']*'|\S+/g)?.map((w) => w.replace(/^["']|["']$/g, '')) ?? [];
}

function parseCommand(ins: DockerInstruction, out: EtlDiagnostic[]): DockerCommand {
  if (ins.args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(ins.args);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return { form: 'exec', args: parsed as string[], range: ins.range };
    } catch { /* reported below */ }
    out.push({ severity: 'warning', code: 'dockerfile-exec-form', range: ins.range,
      message: `${ins.keyword} looks like exec form but is not a JSON array of strings (use double quotes): Docker will run it through /bin/sh -c instead.` });
  }
  return { form: 'shell', args: ['/bin/sh', '-c', ins.args], range: ins.range };
}

function parseCopy(ins: DockerInstruction): { sources: string[]; dest: string } | undefined {
  let words: string[];
  const rest = ins.args.replace(/^(?:--[\w-]+(?:=\S*)?\s+)*/, '');
  if (rest.startsWith('[')) {
    try { words = JSON.parse(rest) as string[]; } catch { words = splitShellWords(rest); }
  } else {
    words = splitShellWords(rest);
  }
  if (words.length < 2) return undefined;
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

function commandArgs(info: DockerfileInfo): string[] {
  // Docker appends exec-form CMD to exec-form ENTRYPOINT; a shell-form ENTRYPOINT ignores CMD.
  const ep = info.entrypoint;
  if (ep && ep.form === 'exec') return [...ep.args, ...(info.cmd?.args ?? [])];
  return ep?.args ?? info.cmd?.args ?? [];
}

function checkPorts(info: DockerfileInfo, out: EtlDiagnostic[]): void {
  if (info.expose.length > 1) {
    out.push({ severity: 'warning', code: 'dockerfile-multiple-ports', range: info.expose[1].range,
      message: 'More than one port is exposed, but an ETL container serves on exactly one port (the Pod spec port named "default").' });
  }
  const cmdPort = findCommandPort(commandArgs(info).map((text) => ({ text })));
  const exposed = info.expose[0];
  if (cmdPort && exposed && cmdPort.port !== exposed.port) {
    out.push({ severity: 'warning', code: 'dockerfile-port-mismatch', range: exposed.range,
      message: `EXPOSE ${exposed.port} differs from the port the command listens on (${cmdPort.port}); the Pod spec's containerPort must match the command.` });
  }
}

export function parseDockerfile(text: string): { info: DockerfileInfo; diagnostics: EtlDiagnostic[] } {
  const diagnostics: EtlDiagnostic[] = [];
  const instructions = logicalInstructions(text);
  const info: DockerfileInfo = { instructions, copies: [], expose: [] };
  let seenFrom = false;
  for (const ins of instructions) {
    if (!KNOWN.has(ins.keyword)) {
      diagnostics.push({ severity: 'error', code: 'dockerfile-unknown-instruction', range: ins.range,
        message: `Unknown instruction "${ins.keyword}": Dockerfile instructions are FROM, RUN, COPY, WORKDIR, EXPOSE, ENTRYPOINT, CMD, ENV, ARG, … (a line continuation "\\" may be missing above).` });
      continue;
    }
    if (!seenFrom && ins.keyword !== 'FROM' && ins.keyword !== 'ARG') {
      diagnostics.push({ severity: 'error', code: 'dockerfile-from-first', range: ins.range, message: `${ins.keyword} before FROM: a Dockerfile must start with FROM <base image> (only ARG may precede it).` });
      seenFrom = true;
    }
    if (ins.args === '' && ins.keyword !== 'HEALTHCHECK') {
      diagnostics.push({ severity: 'error', code: 'dockerfile-missing-args', range: ins.range, message: `${ins.keyword} needs arguments.` });
      continue;
    }
    switch (ins.keyword) {
      case 'FROM': {
        seenFrom = true;
        const image = splitShellWords(ins.args).find((w) => !w.startsWith('--')) ?? '';
        info.from = { image, range: ins.range };
        info.workdir = undefined;
        break;
      }
      case 'WORKDIR': info.workdir = splitShellWords(ins.args)[0]; break;
      case 'COPY': case 'ADD': {
        const c = parseCopy(ins);
        if (c) info.copies.push({ ...c, range: ins.range });
        else diagnostics.push({ severity: 'error', code: 'dockerfile-copy-args', range: ins.range, message: `${ins.keyword} needs at least a source and a destination.` });
        break;
      }
      case 'ENTRYPOINT': info.entrypoint = parseCommand(ins, diagnostics); break;
      case 'CMD': info.cmd = parseCommand(ins, diagnostics); break;
      case 'EXPOSE':
        for (const w of splitShellWords(ins.args)) {
          const m = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(w);
          if (m) info.expose.push({ port: Number(m[1]), protocol: (m[2] ?? 'tcp').toLowerCase(), range: ins.range });
          else diagnostics.push({ severity: 'warning', code: 'dockerfile-expose', range: ins.range, message: `EXPOSE "${w}" is not a port number.` });
        }
        break;
    }
  }
  if (!info.from) {
    diagnostics.push({ severity: 'error', code: 'dockerfile-no-from', range: instructions[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'No FROM instruction: start the Dockerfile with a base image, e.g. FROM python:3.11-alpine.' });
  } else if (info.from.image && !/[:@]/.test(info.from.image.split('/').pop()!) && info.from.image !== 'scratch' && !info.from.image.includes('$')) {
    diagnostics.push({ severity: 'info', code: 'dockerfile-untagged-base', range: info.from.range, message: `Base image "${info.from.image}" has no tag: pin one (e.g. ${info.from.image}:3.11-alpine) so every target pulls the same image.` });
  }
  if (!info.entrypoint && !info.cmd && info.from) {
    diagnostics.push({ severity: 'warning', code: 'dockerfile-no-entrypoint', range: info.from.range,
      message: 'No ENTRYPOINT or CMD: the ETL container must start an HTTP server (or set `command:` in the Pod/runtime spec).' });
  }
  const ep = info.entrypoint?.form === 'exec' ? info.entrypoint : undefined;
  if (ep && /\.py$/.test(ep.args[0] ?? '')) {
    diagnostics.push({ severity: 'info', code: 'dockerfile-script-entrypoint', range: ep.range,
      message: `ENTRYPOINT runs ${ep.args[0]} directly: the script needs a "#!/usr/bin/env python" line and the executable bit (chmod +x before COPY), or use ["python", "${ep.args[0]}", …].` });
  }
  checkPorts(info, diagnostics);
  return { info, diagnostics };
}
