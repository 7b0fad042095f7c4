// Dockerfiles next to a Pod spec (the tutorial's "regular flow"): enough parsing to know the base image,
// the server command and its port, and to point at the mistakes that make an ETL pod fail to start. This is the one
// Dockerfile reader: the editor's diagnostics and the local image builder (`aisetl build`) both read through it.
import type { EtlDiagnostic, Range } from './types';
import { findCommandPort } from './fields';
import { LineIndex } from './text';

const KNOWN = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

export interface DockerInstruction {
  keyword: string;
  args: string;
  range: Range;
}
export interface DockerCommand {
  form: 'exec' | 'shell';
  args: string[];
  range: Range;
}
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
export function readDockerInstructions(text: string): DockerInstruction[] {
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
    if (heredoc)
      while (i + 1 < lines.length && lines[++i].trim() !== heredoc[1]) {
        /* skip heredoc body */
      }
  }
  return out;
}

/** Shell-ish word split; quotes may appear inside a word (`K="a b"`), as in COPY/ADD/ENV/EXPOSE arguments. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\' && i + 1 < s.length) cur += s[++i];
    else cur += ch;
  }
  if (inWord) words.push(cur);
  return words;
}

/** `["a","b"]` (exec form) → ['a','b']; anything else (shell form, broken JSON) → undefined. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x): x is string => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

/** ENTRYPOINT/CMD as Docker runs them: exec form as is, shell form as `/bin/sh -c "<text>"`. */
export function commandForm(args: string): string[] {
  return execForm(args) ?? ['/bin/sh', '-c', args];
}

/** ENV K=V K2="v 2" and the legacy ENV K V form. */
export function parseEnv(args: string): [string, string][] {
  if (!/^[^\s=]+=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/.exec(args);
    return m ? [[m[1], m[2]]] : [];
  }
  return splitWords(args).map((w): [string, string] => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, ''] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** `$VAR` / `${VAR}` / `${VAR:-default}` from the ARG/ENV values seen so far. */
export function substitute(s: string, vars: Map<string, string>): string {
  const ref = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return s.replace(
    ref,
    (_m, braced?: string, def?: string, bare?: string) => vars.get(braced ?? bare ?? '') ?? def ?? '',
  );
}

function parseCommand(ins: DockerInstruction, out: EtlDiagnostic[]): DockerCommand {
  const exec = execForm(ins.args);
  if (exec) return { form: 'exec', args: exec, range: ins.range };
  if (ins.args.startsWith('[')) {
    out.push({
      severity: 'warning',
      code: 'dockerfile-exec-form',
      range: ins.range,
      message: `${ins.keyword} looks like exec form but is not a JSON array of strings (use double quotes): Docker will run it through /bin/sh -c instead.`,
    });
  }
  return { form: 'shell', args: commandForm(ins.args), range: ins.range };
}

function parseCopy(ins: DockerInstruction): { sources: string[]; dest: string } | undefined {
  const rest = ins.args.replace(/^(?:--[\w-]+(?:=\S*)?\s+)*/, '');
  const words = execForm(rest) ?? splitWords(rest);
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
    out.push({
      severity: 'warning',
      code: 'dockerfile-multiple-ports',
      range: info.expose[1].range,
      message:
        'More than one port is exposed, but an ETL container serves on exactly one port (the Pod spec port named "default").',
    });
  }
  const cmdPort = findCommandPort(commandArgs(info).map((text) => ({ text })));
  const exposed = info.expose[0];
  if (cmdPort && exposed && cmdPort.port !== exposed.port) {
    out.push({
      severity: 'warning',
      code: 'dockerfile-port-mismatch',
      range: exposed.range,
      message: `EXPOSE ${exposed.port} differs from the port the command listens on (${cmdPort.port}); the Pod spec's containerPort must match the command.`,
    });
  }
}

export function parseDockerfile(text: string): { info: DockerfileInfo; diagnostics: EtlDiagnostic[] } {
  const diagnostics: EtlDiagnostic[] = [];
  const instructions = readDockerInstructions(text);
  const info: DockerfileInfo = { instructions, copies: [], expose: [] };
  let seenFrom = false;
  for (const ins of instructions) {
    const usable = checkInstruction(ins, seenFrom, diagnostics);
    // "before FROM" is said once; a FROM without an image does not count as one
    const isFrom = ins.keyword === 'FROM';
    seenFrom ||= isFrom ? usable === 'yes' : usable !== 'unknown' && ins.keyword !== 'ARG';
    if (usable === 'yes') applyInstruction(ins, info, diagnostics);
  }
  checkWhole(info, instructions, diagnostics);
  checkPorts(info, diagnostics);
  return { info, diagnostics };
}

/** Problems of one instruction on its own; 'yes' when it can be read further. */
function checkInstruction(ins: DockerInstruction, seenFrom: boolean, out: EtlDiagnostic[]): 'yes' | 'no' | 'unknown' {
  const at = { range: ins.range };
  if (!KNOWN.has(ins.keyword)) {
    out.push({
      severity: 'error',
      code: 'dockerfile-unknown-instruction',
      ...at,
      message: `Unknown instruction "${ins.keyword}": Dockerfile instructions are FROM, RUN, COPY, WORKDIR, EXPOSE, ENTRYPOINT, CMD, ENV, ARG, … (a line continuation "\\" may be missing above).`,
    });
    return 'unknown';
  }
  if (!seenFrom && ins.keyword !== 'FROM' && ins.keyword !== 'ARG') {
    out.push({
      severity: 'error',
      code: 'dockerfile-from-first',
      ...at,
      message: `${ins.keyword} before FROM: a Dockerfile must start with FROM <base image> (only ARG may precede it).`,
    });
  }
  if (ins.args === '' && ins.keyword !== 'HEALTHCHECK') {
    out.push({ severity: 'error', code: 'dockerfile-missing-args', ...at, message: `${ins.keyword} needs arguments.` });
    return 'no';
  }
  return 'yes';
}

/** What one instruction adds to the picture of the image. */
function applyInstruction(ins: DockerInstruction, info: DockerfileInfo, out: EtlDiagnostic[]): void {
  switch (ins.keyword) {
    case 'FROM': {
      const image = splitWords(ins.args).find((w) => !w.startsWith('--')) ?? '';
      info.from = { image, range: ins.range };
      info.workdir = undefined;
      break;
    }
    case 'WORKDIR':
      info.workdir = splitWords(ins.args)[0];
      break;
    case 'COPY':
    case 'ADD': {
      const c = parseCopy(ins);
      if (c) info.copies.push({ ...c, range: ins.range });
      else
        out.push({
          severity: 'error',
          code: 'dockerfile-copy-args',
          range: ins.range,
          message: `${ins.keyword} needs at least a source and a destination.`,
        });
      break;
    }
    case 'ENTRYPOINT':
      info.entrypoint = parseCommand(ins, out);
      break;
    case 'CMD':
      info.cmd = parseCommand(ins, out);
      break;
    case 'EXPOSE':
      for (const w of splitWords(ins.args)) {
        const m = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(w);
        if (m) info.expose.push({ port: Number(m[1]), protocol: (m[2] ?? 'tcp').toLowerCase(), range: ins.range });
        else
          out.push({
            severity: 'warning',
            code: 'dockerfile-expose',
            range: ins.range,
            message: `EXPOSE "${w}" is not a port number.`,
          });
      }
      break;
  }
}

/** Problems of the Dockerfile as a whole: base image, and what the container runs. */
function checkWhole(info: DockerfileInfo, instructions: DockerInstruction[], out: EtlDiagnostic[]): void {
  const from = info.from;
  if (!from) {
    const range = instructions[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    out.push({
      severity: 'error',
      code: 'dockerfile-no-from',
      range,
      message: 'No FROM instruction: start the Dockerfile with a base image, e.g. FROM python:3.11-alpine.',
    });
    return;
  }
  const untagged =
    from.image &&
    !/[:@]/.test(from.image.split('/').pop() ?? '') &&
    from.image !== 'scratch' &&
    !from.image.includes('$');
  if (untagged) {
    out.push({
      severity: 'info',
      code: 'dockerfile-untagged-base',
      range: from.range,
      message: `Base image "${from.image}" has no tag: pin one (e.g. ${from.image}:3.11-alpine) so every target pulls the same image.`,
    });
  }
  if (!info.entrypoint && !info.cmd) {
    out.push({
      severity: 'warning',
      code: 'dockerfile-no-entrypoint',
      range: from.range,
      message:
        'No ENTRYPOINT or CMD: the ETL container must start an HTTP server (or set `command:` in the Pod/runtime spec).',
    });
  }
  const ep = info.entrypoint?.form === 'exec' ? info.entrypoint : undefined;
  if (ep && /\.py$/.test(ep.args[0] ?? '')) {
    out.push({
      severity: 'info',
      code: 'dockerfile-script-entrypoint',
      range: ep.range,
      message: `ENTRYPOINT runs ${ep.args[0]} directly: the script needs a "#!/usr/bin/env python" line and the executable bit (chmod +x before COPY), or use ["python", "${ep.args[0]}", …].`,
    });
  }
}
