// Runtime spec YAML (ETLSpecMsg, AIS ≥3.30; also accepted inside InitSpecMsg by 3.29): etl-api.md §4.2.
import { isMap, isScalar, type Document, type Node } from 'yaml';
import type { CommType, EnvVar, EtlDefinition, EtlDiagnostic } from './types';
import { checkBool, checkCommType, checkDuration, checkName, checkUnknownKeys, findCommandPort } from './fields';
import { asMap, asSeq, diag, getNode, getPair, stringValue, toPlain, type AnyNode, type YamlSource } from './yamlAst';

/** ETLSpecMsg always exposes the container on 8000 (ext/etl: DefaultContainerPort). */
export const RUNTIME_CONTAINER_PORT = 8000;
const TOP_KEYS = [
  'name',
  'communication',
  'init_timeout',
  'obj_timeout',
  'support_direct_put',
  'runtime',
  'resources',
  'env',
  'argument',
] as const;
const RUNTIME_KEYS = ['image', 'command', 'env'] as const;
const ENV_KEYS = ['name', 'value', 'valueFrom'] as const;

type RuntimeDef = Extract<EtlDefinition, { kind: 'runtime-spec' }>;

function checkCommand(src: YamlSource, node: AnyNode, out: EtlDiagnostic[]): string[] | undefined {
  if (isScalar(node) && typeof node.value === 'string') {
    const tokens = node.value.trim().split(/\s+/).filter(Boolean);
    out.push(
      diag(
        'error',
        'runtime-command-not-list',
        'runtime.command must be a list of strings (it replaces the image ENTRYPOINT), e.g. ["python", "server.py"].',
        src.node(node),
        src.replace('Split into a list', node, `[${tokens.map((t) => JSON.stringify(t)).join(', ')}]`),
      ),
    );
    return undefined;
  }
  const seq = asSeq(node);
  if (!seq) {
    out.push(
      diag(
        'error',
        'runtime-command-not-list',
        'runtime.command must be a list of strings, e.g. ["python", "server.py"].',
        src.node(node),
      ),
    );
    return undefined;
  }
  const command = commandStrings(src, seq.items as Node[], out);
  if (command) checkCommandPort(src, seq.items as Node[], out);
  return command;
}

/** A value Kubernetes wants as a string but YAML read as a number/bool: an error with a "Quote as" fix. */
function mustQuote(src: YamlSource, node: Node, code: string, message: string): EtlDiagnostic {
  const text = isScalar(node) ? String(node.value) : undefined;
  const fix = text === undefined ? undefined : src.replace(`Quote as "${text}"`, node, JSON.stringify(text));
  return diag('error', code, message, src.node(node), fix);
}

/** The command's items, or undefined (with a quick fix) when one is not a string. */
function commandStrings(src: YamlSource, items: Node[], out: EtlDiagnostic[]): string[] | undefined {
  const command: string[] = [];
  for (const item of items) {
    const s = stringValue(item);
    if (s === undefined) {
      out.push(mustQuote(src, item, 'runtime-command-item', 'Every runtime.command item must be a string: quote it.'));
      return undefined;
    }
    command.push(s);
  }
  return command;
}

function checkCommandPort(src: YamlSource, items: Node[], out: EtlDiagnostic[]): void {
  const port = findCommandPort(items.map((n) => ({ text: stringValue(n) ?? '', node: n })));
  if (!port || port.port === RUNTIME_CONTAINER_PORT) return;
  const fix = port.wholeArg
    ? src.replace(`Listen on ${RUNTIME_CONTAINER_PORT}`, port.node, `"${RUNTIME_CONTAINER_PORT}"`)
    : undefined;
  out.push(
    diag(
      'warning',
      'runtime-port-mismatch',
      `The command listens on port ${port.port}, but AIS connects to the runtime container on port ${RUNTIME_CONTAINER_PORT} (fixed for runtime specs).`,
      src.node(port.node),
      fix,
    ),
  );
}

function checkEnv(
  src: YamlSource,
  doc: Document,
  node: AnyNode,
  where: string,
  out: EtlDiagnostic[],
): EnvVar[] | undefined {
  const seq = asSeq(node);
  if (!seq) {
    out.push(diag('error', 'env-not-list', `${where} must be a list of {name, value} entries.`, src.node(node)));
    return undefined;
  }
  const env: EnvVar[] = [];
  for (const item of seq.items as Node[]) {
    const m = asMap(item);
    const name = stringValue(getNode(m, 'name'));
    if (!m || !name) {
      out.push(
        diag(
          'error',
          'env-invalid',
          `Every ${where} entry needs a string name (and a string value).`,
          src.firstLine(item),
        ),
      );
      continue;
    }
    checkUnknownKeys(src, m, ENV_KEYS, where, out);
    const valueNode = getNode(m, 'value');
    const entry: EnvVar & Record<string, unknown> = { name };
    if (valueNode !== undefined && valueNode !== null) {
      const value = stringValue(valueNode);
      if (value === undefined) {
        const message = `Env ${name}: value must be a string (Kubernetes env values are strings): quote it.`;
        out.push(mustQuote(src, valueNode, 'env-value-not-string', message));
      } else {
        entry.value = value;
      }
    }
    // valueFrom (secrets, field refs) is passed through untouched: the server takes a full corev1.EnvVar.
    const valueFrom = getNode(m, 'valueFrom');
    if (isMap(valueFrom)) entry.valueFrom = toPlain(valueFrom, doc);
    env.push(entry);
  }
  return env;
}

function checkWsDirectPut(
  src: YamlSource,
  root: RootMap,
  commType: CommType | undefined,
  directPut: boolean | undefined,
  out: EtlDiagnostic[],
): void {
  if (commType !== 'ws://' || directPut === true) return;
  const dpNode = getNode(root, 'support_direct_put');
  const fix = dpNode
    ? src.replace('Set support_direct_put: true', dpNode, 'true')
    : src.appendToMap('Add support_direct_put: true', root, ['support_direct_put: true']);
  out.push(
    diag(
      'error',
      'ws-needs-direct-put',
      'WebSocket without direct put is not supported: add `support_direct_put: true` (and make sure your server implements direct put).',
      src.node(getNode(root, 'communication')),
      fix,
    ),
  );
}

type RootMap = NonNullable<ReturnType<typeof asMap>>;

/** `multiDoc`: with several ETLs in one file each needs its own name (no single --name to fall back on). */
export function parseRuntimeSpecDoc(
  doc: Document.Parsed,
  src: YamlSource,
  multiDoc: boolean,
  fileBaseName: string,
  out: EtlDiagnostic[],
): RuntimeDef | undefined {
  const root = asMap(doc.contents)!;
  checkUnknownKeys(src, root, TOP_KEYS, '', out);
  const def: RuntimeDef = { kind: 'runtime-spec', name: '', image: '' };
  def.name = readName(src, root, multiDoc, fileBaseName, out);
  readRuntime(src, doc, root, def, out);
  const topEnv = getNode(root, 'env');
  if (topEnv) {
    // Top-level env ends up in the same container env after runtime.env; one list is enough for the definition.
    const extra = checkEnv(src, doc, topEnv, 'env', out);
    if (extra) def.env = [...(def.env ?? []), ...extra];
  }
  readDeployOptions(src, root, def, out);
  readExtras(src, doc, root, def, out);
  for (const k of Object.keys(def) as (keyof RuntimeDef)[]) if (def[k] === undefined) delete def[k];
  return def;
}

function readName(
  src: YamlSource,
  root: RootMap,
  multiDoc: boolean,
  fileBaseName: string,
  out: EtlDiagnostic[],
): string {
  const namePair = getPair(root, 'name');
  if (namePair) return checkName(src, namePair.value as AnyNode, out) ?? '';
  const suggestion = fileBaseName ? `name: ${fileBaseName}` : 'name: my-etl';
  out.push(
    diag(
      multiDoc ? 'error' : 'warning',
      'name-missing',
      multiDoc
        ? 'Runtime spec has no name: every ETL in a multi-document file needs `name:`.'
        : 'Runtime spec has no name: add `name:` or choose one when deploying.',
      src.firstLine(root),
      src.prependToMap(`Add "${suggestion}"`, root, suggestion),
    ),
  );
  return '';
}

/** runtime: image (required), command, env. */
function readRuntime(src: YamlSource, doc: Document, root: RootMap, def: RuntimeDef, out: EtlDiagnostic[]): void {
  const runtimePair = getPair(root, 'runtime');
  const runtime = asMap(runtimePair?.value);
  if (!runtime) {
    out.push(
      diag(
        'error',
        'runtime-not-map',
        'runtime must be a map with at least `image:` (and optionally command and env).',
        src.key(runtimePair),
      ),
    );
    return;
  }
  checkUnknownKeys(src, runtime, RUNTIME_KEYS, 'runtime', out);
  const imageNode = getNode(runtime, 'image');
  def.image = stringValue(imageNode) ?? '';
  if (!def.image) {
    out.push(
      diag(
        'error',
        'runtime-image-missing',
        'runtime.image must be specified: the container image that serves the ETL on port 8000 (e.g. aistorage/transformer_md5:latest).',
        imageNode ? src.node(imageNode) : src.key(runtimePair),
      ),
    );
  }
  const commandNode = getNode(runtime, 'command');
  if (commandNode) {
    const command = checkCommand(src, commandNode, out);
    if (command) def.command = command;
  }
  const envNode = getNode(runtime, 'env');
  if (envNode) def.env = checkEnv(src, doc, envNode, 'runtime.env', out);
}

/** communication, init_timeout, obj_timeout, support_direct_put (and ws:// needing direct put). */
function readDeployOptions(src: YamlSource, root: RootMap, def: RuntimeDef, out: EtlDiagnostic[]): void {
  const commNode = getNode(root, 'communication');
  if (commNode !== undefined) def.commType = checkCommType(src, commNode, out);
  const initNode = getNode(root, 'init_timeout');
  if (initNode !== undefined) def.initTimeout = checkDuration(src, initNode, 'init_timeout', out);
  const objNode = getNode(root, 'obj_timeout');
  if (objNode !== undefined) def.objTimeout = checkDuration(src, objNode, 'obj_timeout', out);
  const dpNode = getNode(root, 'support_direct_put');
  if (dpNode !== undefined) def.supportDirectPut = checkBool(src, dpNode, 'support_direct_put', out);
  checkWsDirectPut(src, root, def.commType, def.supportDirectPut, out);
}

/** argument (ignored since 4.0) and resources. */
function readExtras(src: YamlSource, doc: Document, root: RootMap, def: RuntimeDef, out: EtlDiagnostic[]): void {
  const argPair = getPair(root, 'argument');
  if (argPair) {
    out.push(
      diag(
        'info',
        'argument-ignored',
        '`argument` is ignored since AIS 4.0 (targets always pass etl_fqn); you can remove it.',
        src.pair(argPair),
      ),
    );
  }
  const resourcesPair = getPair(root, 'resources');
  if (!resourcesPair) return;
  const resources = asMap(resourcesPair.value);
  if (!resources) {
    out.push(
      diag(
        'error',
        'resources-invalid',
        'resources must be a map with requests/limits, e.g. {requests: {memory: 256Mi, cpu: 500m}}.',
        src.key(resourcesPair),
      ),
    );
    return;
  }
  checkUnknownKeys(src, resources, ['requests', 'limits', 'claims'], 'resources', out);
  def.resources = toPlain(resources, doc);
}
