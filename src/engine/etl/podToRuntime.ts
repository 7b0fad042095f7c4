// Pod spec (InitSpecMsg, deprecated in 5.0, removal planned for 5.1) → runtime spec (ETLSpecMsg). What maps:
// image, command + args, env, resources, the CLI's annotations (communication_type, wait_timeout,
// support_direct_put) and metadata.name. Everything a runtime spec cannot say is a diagnostic on its own line.
import { isScalar, stringify, type Document, type Pair, type YAMLMap } from 'yaml';
import type { EtlDiagnostic } from './types';
import { normalizeCommType, suggestEtlName } from './names';
import { findCommandPort, parseGoBool } from './fields';
import { RUNTIME_CONTAINER_PORT } from './runtimeSpec';
import { parseYamlDocuments, yamlDocKind } from './yamlFile';
import { asMap, asSeq, diag, getNode, getPair, keyName, stringValue, toPlain, YamlSource } from './yamlAst';

export const CONVERT_CODE = 'pod-to-runtime-lost';

/** Container keys that carry over (or need no counterpart: AIS names the container and always pulls). */
// volumeMounts, volumes and affinity: AIS replaces or refuses them for Pod specs too (podSpec.ts reports those).
const CONTAINER_MAPPED = new Set([
  'name',
  'image',
  'command',
  'args',
  'env',
  'resources',
  'ports',
  'readinessProbe',
  'imagePullPolicy',
  'volumeMounts',
]);
const SPEC_MAPPED = new Set(['containers', 'volumes', 'affinity']);
const ANNOTATIONS_MAPPED = new Set(['communication_type', 'wait_timeout', 'support_direct_put']);

interface Ctx {
  src: YamlSource;
  doc: Document;
  out: EtlDiagnostic[];
}

function lost(c: Ctx, p: Pair, what: string, why = 'a runtime spec has no such field'): void {
  c.out.push(
    diag(
      'info',
      CONVERT_CODE,
      `Not expressible in a runtime spec: ${what} (${why}); converting drops it.`,
      c.src.pair(p),
    ),
  );
}

function lostKeys(c: Ctx, map: YAMLMap | undefined, keep: Set<string>, where: string, why?: string): void {
  for (const p of map?.items ?? []) {
    const k = keyName(p);
    if (k !== undefined && !keep.has(k)) lost(c, p, `${where}${k}`, why);
  }
}

function commandOf(c: Ctx, container: YAMLMap): string[] | undefined {
  const strings = (key: string) =>
    asSeq(getNode(container, key))?.items.map((n) => (isScalar(n) ? String(n.value) : ''));
  const command = strings('command');
  const args = strings('args');
  if (!command && args) {
    lost(
      c,
      getPair(container, 'args')!,
      'args without command',
      'runtime.command replaces the image ENTRYPOINT and there is no args field: write the full command',
    );
    return undefined;
  }
  return command ? [...command, ...(args ?? [])] : undefined;
}

/** Runtime containers listen on 8000: rewrite the command's port and say so on the containerPort line. */
function portTo8000(c: Ctx, container: YAMLMap, command: string[] | undefined): string[] | undefined {
  const port = asMap(asSeq(getNode(container, 'ports'))?.items[0]);
  const cp = getPair(port, 'containerPort');
  const value = isScalar(cp?.value) ? Number(cp.value.value) : undefined;
  if (!cp || value === undefined || value === RUNTIME_CONTAINER_PORT) return command;
  const at = command ? findCommandPort(command.map((text) => ({ text }))) : undefined;
  const rewritten = at ? command!.map((t) => (t === String(at.port) ? String(RUNTIME_CONTAINER_PORT) : t)) : command;
  const how = at
    ? `the converted command listens on ${RUNTIME_CONTAINER_PORT} instead`
    : `make the server listen on ${RUNTIME_CONTAINER_PORT}`;
  lost(
    c,
    cp,
    `containerPort ${value}`,
    `AIS always connects to port ${RUNTIME_CONTAINER_PORT} of a runtime container; ${how}`,
  );
  return rewritten;
}

function probeLost(c: Ctx, container: YAMLMap): void {
  const probe = getPair(container, 'readinessProbe');
  const path = stringValue(getNode(asMap(getNode(asMap(probe?.value), 'httpGet')), 'path'));
  if (probe && path !== '/health') {
    lost(
      c,
      probe,
      `readinessProbe on ${path ?? 'no HTTP path'}`,
      'AIS probes GET /health of a runtime container: serve /health',
    );
  }
  const pull = getPair(container, 'imagePullPolicy');
  if (pull && stringValue(pull.value) !== 'Always')
    lost(c, pull, `imagePullPolicy ${stringValue(pull.value) ?? ''}`, 'AIS always pulls runtime images');
}

function annotations(c: Ctx, metadata: YAMLMap | undefined, spec: Record<string, unknown>): void {
  const ann = asMap(getNode(metadata, 'annotations'));
  const ct = normalizeCommType(stringValue(getNode(ann, 'communication_type')) ?? '');
  if (ct && ct !== 'io://') spec.communication = ct;
  else if (ct === 'io://')
    lost(c, getPair(ann, 'communication_type')!, 'communication io://', 'AIS 5.0 removed io://; hpush:// is used');
  const wait = stringValue(getNode(ann, 'wait_timeout'));
  if (wait) spec.init_timeout = wait;
  const dp = parseGoBool(stringValue(getNode(ann, 'support_direct_put')) ?? '');
  if (dp !== undefined) spec.support_direct_put = dp;
  lostKeys(c, ann, ANNOTATIONS_MAPPED, 'annotation ');
  lostKeys(c, metadata, new Set(['name', 'annotations']), 'metadata.');
}

function convertDoc(c: Ctx, root: YAMLMap, fallbackName: string): Record<string, unknown> | undefined {
  const metadata = asMap(getNode(root, 'metadata'));
  const spec = asMap(getNode(root, 'spec'));
  const container = asMap(asSeq(getNode(spec, 'containers'))?.items[0]);
  if (!container) return undefined;
  const out: Record<string, unknown> = { name: stringValue(getNode(metadata, 'name')) ?? fallbackName };
  const runtime: Record<string, unknown> = { image: stringValue(getNode(container, 'image')) ?? '' };
  const command = portTo8000(c, container, commandOf(c, container));
  if (command) runtime.command = command;
  const env = getNode(container, 'env');
  if (env) runtime.env = toPlain(env, c.doc);
  out.runtime = runtime;
  annotations(c, metadata, out);
  const resources = getNode(container, 'resources');
  if (resources) out.resources = toPlain(resources, c.doc);
  probeLost(c, container);
  lostKeys(c, container, CONTAINER_MAPPED, 'container ');
  lostKeys(c, spec, SPEC_MAPPED, 'spec.', 'AIS builds the pod of a runtime spec itself');
  lostKeys(c, root, new Set(['apiVersion', 'kind', 'metadata', 'spec']), '');
  return out;
}

export interface PodConversion {
  /** The runtime spec YAML (several documents when the file had several Pod specs). */
  yaml: string;
  /** One per field that could not be carried over, on its line in the Pod spec. */
  diagnostics: EtlDiagnostic[];
  converted: number;
}

function header(fileName: string, diags: EtlDiagnostic[]): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const lines = [
    `# Runtime spec converted from the Pod spec ${base} (Pod specs are deprecated in AIS 5.0, removal planned for ` +
      `5.1).`,
    `# AIS builds the pod itself: the container must listen on port ${RUNTIME_CONTAINER_PORT} and answer GET /health.`,
  ];
  for (const d of diags)
    lines.push(
      `# Not converted (${base}:${d.range.start.line + 1}): ` +
        `${d.message.replace(/^Not expressible in a runtime spec: /, '')}`,
    );
  return `${lines.join('\n')}\n`;
}

/** Converts every Pod spec document of the file; never throws (a broken file converts nothing). */
export function convertPodSpecToRuntimeSpec(fileName: string, text: string): PodConversion {
  const { docs, lineCounter } = parseYamlDocuments(text);
  const src = new YamlSource(text, lineCounter);
  const base = suggestEtlName((fileName.split(/[\\/]/).pop() ?? '').replace(/\.(ya?ml|json)$/i, '')) ?? 'my-etl';
  const diagnostics: EtlDiagnostic[] = [];
  const specs: string[] = [];
  for (const doc of docs) {
    const root = asMap(doc.contents);
    if (!root || doc.errors.length > 0 || yamlDocKind(doc) !== 'pod-spec') continue;
    const spec = convertDoc({ src, doc, out: diagnostics }, root, base);
    if (spec) specs.push(stringify(spec, { lineWidth: 0 }));
  }
  return {
    yaml: specs.length ? header(fileName, diagnostics) + specs.join('---\n') : '',
    diagnostics,
    converted: specs.length,
  };
}

/** Where the converted spec goes: never over an existing file. */
export function convertedSpecFileName(podFileName: string, exists: (name: string) => boolean): string {
  const base = podFileName.replace(/\.(ya?ml|json)$/i, '');
  const candidates = ['etl_spec.yaml', `${base}.etl.yaml`];
  for (let i = 2; i < 100; i++) candidates.push(`${base}-${i}.etl.yaml`);
  const free = candidates.find((n) => !exists(n));
  if (!free)
    throw new Error(
      `No free file name for the converted spec next to ${podFileName}: remove old conversions and try again.`,
    );
  return free;
}

/** Lines the Pod spec will lose on conversion, as info diagnostics for the editor. */
export function conversionDiagnostics(fileName: string, text: string): EtlDiagnostic[] {
  return convertPodSpecToRuntimeSpec(fileName, text).diagnostics;
}
