// Pod spec YAML (InitSpecMsg, deprecated in 5.0): the server's checks (etl-api.md §4.3) plus what fails later
// on the target (affinity) and what the CLI maps from annotations.
import { isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { CommType, EtlDefinition, EtlDiagnostic } from './types';
import { checkCommType, checkDuration, checkName, findCommandPort, parseGoBool } from './fields';
import { asMap, asSeq, diag, getNode, getPair, stringValue, type AnyNode, type YamlSource } from './yamlAst';

const READINESS_LINES = ['readinessProbe:', '  httpGet:', '    path: /health', '    port: default'];
const READINESS_FLOW = 'readinessProbe: {httpGet: {path: /health, port: default}}';

interface Annotations {
  commType?: CommType;
  initTimeout?: string;
  supportDirectPut?: boolean;
  directPutNode?: AnyNode;
  map?: YAMLMap;
}

function annotationString(src: YamlSource, node: AnyNode, key: string, out: EtlDiagnostic[]): string | undefined {
  if (isScalar(node) && typeof node.value !== 'string' && node.value !== null) {
    const quoted = `"${String(node.value)}"`;
    out.push(
      diag(
        'error',
        'annotation-not-string',
        `Annotation ${key}: ${String(node.value)} is not a string; Kubernetes annotations are strings, so the pod spec fails to parse — write ${quoted}.`,
        src.node(node),
        src.replace(`Change to ${quoted}`, node, quoted),
      ),
    );
    return undefined;
  }
  return stringValue(node);
}

/** The CLI maps these annotations onto init fields (cmd/cli/cli/etl.go: populateCommonFields). */
function readAnnotations(src: YamlSource, metadata: YAMLMap | undefined, out: EtlDiagnostic[]): Annotations {
  const map = asMap(getNode(metadata, 'annotations'));
  const res: Annotations = { map };
  if (!map) return res;
  const ct = getNode(map, 'communication_type');
  if (ct) {
    const s = annotationString(src, ct, 'communication_type', out);
    if (s !== undefined) res.commType = checkCommType(src, ct, out);
  }
  const wt = getNode(map, 'wait_timeout');
  if (wt) res.initTimeout = checkDuration(src, wt, 'wait_timeout annotation', out);
  const dp = getNode(map, 'support_direct_put');
  if (dp) {
    res.directPutNode = dp;
    const s = annotationString(src, dp, 'support_direct_put', out);
    if (s !== undefined) {
      res.supportDirectPut = parseGoBool(s);
      if (res.supportDirectPut === undefined) {
        out.push(
          diag(
            'error',
            'annotation-bool',
            `Annotation support_direct_put: "${s}" is not a boolean: write "true" or "false".`,
            src.node(dp),
          ),
        );
      }
    }
  }
  return res;
}

function checkTopLevel(src: YamlSource, root: YAMLMap, out: EtlDiagnostic[]): boolean {
  const insert = (title: string, line: string) => src.prependToMap(title, root, line);
  const kindPair = getPair(root, 'kind');
  const kind = stringValue(kindPair?.value);
  if (!kindPair) {
    out.push(
      diag(
        'error',
        'pod-kind-missing',
        'Pod spec has no "kind": add `kind: Pod` (Kubernetes cannot decode it otherwise).',
        src.firstLine(root),
        insert('Add kind: Pod', 'kind: Pod'),
      ),
    );
  } else if (kind !== 'Pod') {
    out.push(
      diag(
        'error',
        'pod-kind',
        `expected pod spec, got: ${kind ?? String((kindPair.value as AnyNode)?.toJSON?.())} — AIS runs one Pod per target; put the container into a \`kind: Pod\` spec or use a runtime spec.`,
        src.node(kindPair.value as AnyNode),
      ),
    );
    return false;
  }
  const api = getPair(root, 'apiVersion');
  if (!api) {
    out.push(
      diag(
        'error',
        'pod-apiversion-missing',
        'Pod spec has no "apiVersion": add `apiVersion: v1` (Kubernetes cannot decode it otherwise).',
        src.firstLine(root),
        insert('Add apiVersion: v1', 'apiVersion: v1'),
      ),
    );
  } else if (stringValue(api.value) !== 'v1') {
    out.push(
      diag(
        'error',
        'pod-apiversion',
        'A Pod has `apiVersion: v1`.',
        src.node(api.value as AnyNode),
        src.replace('Change to v1', api.value as AnyNode, 'v1'),
      ),
    );
  }
  return true;
}

function checkAffinity(src: YamlSource, spec: YAMLMap, out: EtlDiagnostic[]): void {
  const affinity = asMap(getNode(spec, 'affinity'));
  const node = getPair(affinity, 'nodeAffinity');
  if (node) {
    out.push(
      diag(
        'error',
        'pod-node-affinity',
        "error in YAML spec: pod should not have any NodeAffinities defined — AIS pins each ETL pod to its target's node; remove nodeAffinity.",
        src.key(node),
      ),
    );
  }
  const anti = getPair(affinity, 'podAntiAffinity');
  if (anti) {
    out.push(
      diag(
        'error',
        'pod-anti-affinity',
        'error in YAML spec, pod should not have any NodeAntiAffinities defined — remove podAntiAffinity (AIS places ETL pods itself).',
        src.key(anti),
      ),
    );
  }
}

function commandArgs(container: YAMLMap): { text: string; node?: Node }[] {
  const out: { text: string; node?: Node }[] = [];
  for (const key of ['command', 'args']) {
    for (const item of asSeq(getNode(container, key))?.items ?? []) {
      if (isScalar(item)) out.push({ text: String(item.value ?? ''), node: item });
    }
  }
  return out;
}

/** Reports a ports list that is not exactly one port; returns the single port's map when there is one. */
function singlePort(src: YamlSource, container: YAMLMap, cmdPort: number | undefined, out: EtlDiagnostic[]) {
  const portsPair = getPair(container, 'ports');
  const ports = asSeq(portsPair?.value);
  const count = ports?.items.length ?? 0;
  if (count === 1) return { item: ports!.items[0] as Node, port: asMap(ports!.items[0]) };
  const guess = cmdPort ?? 8000;
  const fix = !portsPair
    ? src.appendToMap(
        'Add a port named "default"',
        container,
        ['ports:', '  - name: default', `    containerPort: ${guess}`],
        `ports: [{name: default, containerPort: ${guess}}]`,
      )
    : undefined;
  out.push(
    diag(
      'error',
      'pod-ports',
      `unsupported number of container ports (${count}), expected: 1 — the ETL server listens on exactly one port, named "default".`,
      portsPair ? src.key(portsPair) : src.firstLine(container),
      fix,
    ),
  );
  return undefined;
}

function checkPortName(src: YamlSource, item: Node, port: YAMLMap | undefined, out: EtlDiagnostic[]): void {
  const namePair = getPair(port, 'name');
  const name = stringValue(namePair?.value);
  if (name === 'default') return;
  const fix = namePair
    ? src.replace('Rename the port to "default"', namePair.value as AnyNode, 'default')
    : src.appendToMap('Name the port "default"', port, ['name: default']);
  out.push(
    diag(
      'error',
      'pod-port-name',
      `expected port name: "default", got: "${name ?? ''}" — AIS finds the ETL server by the port named "default".`,
      namePair ? src.node(namePair.value as AnyNode) : src.firstLine(item),
      fix,
    ),
  );
}

function checkPorts(src: YamlSource, container: YAMLMap, out: EtlDiagnostic[]): number | undefined {
  const cmdPort = findCommandPort(commandArgs(container));
  const single = singlePort(src, container, cmdPort?.port, out);
  if (!single) return undefined;
  const { item, port } = single;
  checkPortName(src, item, port, out);
  const cpNode = getNode(port, 'containerPort');
  const containerPort = isScalar(cpNode) && typeof cpNode.value === 'number' ? cpNode.value : undefined;
  if (containerPort === undefined) {
    out.push(
      diag(
        'error',
        'pod-container-port',
        'The "default" port needs a numeric containerPort (the port the ETL server listens on).',
        src.firstLine(item),
      ),
    );
  } else if (cmdPort && cmdPort.port !== containerPort) {
    out.push(
      diag(
        'warning',
        'pod-port-mismatch',
        `containerPort ${containerPort} differs from the port in the command line (${cmdPort.port}): the target connects to containerPort, so the server must listen there.`,
        src.node(cpNode),
        src.replace(`Set containerPort to ${cmdPort.port}`, cpNode, String(cmdPort.port)),
      ),
    );
  }
  return containerPort;
}

/** The httpGet probe must name a path and the "default" port. */
function checkProbeTarget(src: YamlSource, probe: YAMLMap | undefined, httpGet: YAMLMap, out: EtlDiagnostic[]): void {
  const pathNode = getNode(httpGet, 'path');
  if (!stringValue(pathNode)) {
    const fix = pathNode
      ? src.replace('Use /health', pathNode, '/health')
      : src.appendToMap('Add path: /health', httpGet, ['path: /health']);
    out.push(
      diag(
        'error',
        'pod-readiness-path',
        'expected non-empty path for readinessProbe (e.g. /health).',
        pathNode ? src.node(pathNode) : src.key(getPair(probe, 'httpGet')),
        fix,
      ),
    );
  }
  const portNode = getNode(httpGet, 'port');
  if (stringValue(portNode) !== 'default') {
    const fix = portNode
      ? src.replace('Use port "default"', portNode, 'default')
      : src.appendToMap('Add port: default', httpGet, ['port: default']);
    out.push(
      diag(
        'error',
        'pod-readiness-port',
        'readinessProbe port must be the "default" port (by name, not number).',
        portNode ? src.node(portNode) : src.key(getPair(probe, 'httpGet')),
        fix,
      ),
    );
  }
}

function checkReadiness(src: YamlSource, container: YAMLMap, anchor: AnyNode, out: EtlDiagnostic[]): void {
  const probePair = getPair(container, 'readinessProbe');
  if (!probePair) {
    // Warning, not error: the tutorial-era clusters (≤3.8) and the local cluster accept it; AIS ≥3.9 rejects it.
    out.push(
      diag(
        'warning',
        'pod-readiness-missing',
        'readinessProbe is missing: AIS 3.9 and later (incl. 5.0) reject this spec ("readinessProbe section is required in a container spec"). Add an httpGet probe on /health, port "default".',
        src.firstLine(anchor),
        src.appendToMap(
          'Add a readinessProbe (GET /health on port "default")',
          container,
          READINESS_LINES,
          READINESS_FLOW,
        ),
      ),
    );
    return;
  }
  const probe = asMap(probePair.value);
  const httpGet = asMap(getNode(probe, 'httpGet'));
  if (!httpGet) {
    out.push(
      diag(
        'error',
        'pod-readiness-httpget',
        'httpGet missing in the readinessProbe — AIS only supports HTTP probes: use httpGet with path /health and port "default".',
        src.key(probePair),
      ),
    );
    return;
  }
  checkProbeTarget(src, probe, httpGet, out);
}

function checkWsDirectPut(
  src: YamlSource,
  metadata: YAMLMap | undefined,
  ann: Annotations,
  out: EtlDiagnostic[],
): void {
  if (ann.commType !== 'ws://' || ann.supportDirectPut === true) return;
  const fix = ann.directPutNode
    ? src.replace('Set support_direct_put to "true"', ann.directPutNode, '"true"')
    : (src.appendToMap('Add support_direct_put: "true"', ann.map, ['support_direct_put: "true"']) ??
      src.appendToMap('Add support_direct_put: "true"', metadata, ['annotations:', '  support_direct_put: "true"']));
  out.push(
    diag(
      'error',
      'ws-needs-direct-put',
      'WebSocket without direct put is not supported: set the annotation support_direct_put: "true" (and make sure your server implements direct put).',
      src.node(getNode(ann.map, 'communication_type')),
      fix,
    ),
  );
}

/** Checks the single server container; returns its image ('' when there is none to deploy). */
function checkContainers(src: YamlSource, spec: YAMLMap, specPair: Pair | undefined, out: EtlDiagnostic[]): string {
  const containersPair = getPair(spec, 'containers');
  const containers = asSeq(containersPair?.value);
  const count = containers?.items.length ?? 0;
  if (count !== 1) {
    out.push(
      diag(
        'error',
        'pod-containers',
        `unsupported number of containers (${count}), expected: 1 — an ETL pod runs exactly one server container (initContainers are fine).`,
        containersPair ? src.key(containersPair) : src.key(specPair),
      ),
    );
    return '';
  }
  const item = containers!.items[0] as Node;
  const container = asMap(item);
  if (!container) {
    out.push(
      diag(
        'error',
        'pod-container-invalid',
        'The container must be a map with name, image, ports and readinessProbe.',
        src.node(item),
      ),
    );
    return '';
  }
  const image = stringValue(getNode(container, 'image')) ?? '';
  if (!image)
    out.push(
      diag(
        'error',
        'pod-image-missing',
        'The container has no image: set `image:` to the ETL server image (e.g. docker.io/aistore/md5_server:v1).',
        src.firstLine(item),
      ),
    );
  checkPorts(src, container, out);
  checkReadiness(src, container, item, out);
  return image;
}

function noteDeprecatedKind(src: YamlSource, root: YAMLMap, out: EtlDiagnostic[]): void {
  const kindPair = getPair(root, 'kind');
  if (!kindPair) return;
  out.push(
    diag(
      'info',
      'pod-spec-deprecated',
      'Pod specs (InitSpecMsg) are deprecated in AIS 5.0 and planned for removal in 5.1; a runtime spec (runtime.image) is the supported form.',
      src.pair(kindPair),
    ),
  );
}

function noteReplacedVolumes(src: YamlSource, spec: YAMLMap, out: EtlDiagnostic[]): void {
  const volumes = getPair(spec, 'volumes');
  if (!volumes) return;
  out.push(
    diag(
      'info',
      'pod-volumes-replaced',
      "AIS replaces the pod's volumes and volumeMounts with the target's own volumes (mounted read-only), so these are dropped.",
      src.key(volumes),
    ),
  );
}

export function parsePodSpecDoc(
  doc: Document.Parsed,
  src: YamlSource,
  podYaml: string,
  out: EtlDiagnostic[],
): Extract<EtlDefinition, { kind: 'pod-spec' }> | undefined {
  const root = asMap(doc.contents)!;
  if (!checkTopLevel(src, root, out)) return undefined;
  noteDeprecatedKind(src, root, out);
  const metadata = asMap(getNode(root, 'metadata'));
  const nameNode = getNode(metadata, 'name');
  const name = nameNode ? checkName(src, nameNode, out) : undefined;
  const ann = readAnnotations(src, metadata, out);

  const specPair = getPair(root, 'spec');
  const spec = asMap(specPair?.value);
  if (!spec) {
    out.push(
      diag(
        'error',
        'pod-spec-missing',
        'Pod spec has no "spec" map with containers.',
        specPair ? src.key(specPair) : src.firstLine(root),
      ),
    );
    return undefined;
  }
  checkAffinity(src, spec, out);
  noteReplacedVolumes(src, spec, out);
  const image = checkContainers(src, spec, specPair, out);
  checkWsDirectPut(src, metadata, ann, out);
  const def: Extract<EtlDefinition, { kind: 'pod-spec' }> = { kind: 'pod-spec', podYaml, image };
  if (name !== undefined) def.name = name;
  if (ann.commType) def.commType = ann.commType;
  if (ann.initTimeout) def.initTimeout = ann.initTimeout;
  if (ann.supportDirectPut !== undefined) def.supportDirectPut = ann.supportDirectPut;
  return def;
}
