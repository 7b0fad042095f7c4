// Shared test helpers: fixtures, applying a QuickFix to text, reading diagnostics by code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterEtlCapabilities, EtlDiagnostic, QuickFix } from '../../../../src/engine/etl';

export const TUTORIAL_DIR = join(__dirname, '..', '..', '..', 'fixtures', 'tutorial');
export function tutorial(file: string): string {
  return readFileSync(join(TUTORIAL_DIR, file), 'utf8');
}

export const ALL_COMM_TYPES = ['hpush://', 'hpull://', 'ws://', 'io://'] as const;

/** A cluster's ETL capabilities: AIS 5.0 on Kubernetes, unless `o` says otherwise. */
export function etlCluster(o: Partial<ClusterEtlCapabilities> = {}): ClusterEtlCapabilities {
  return {
    dialect: 'v5.0',
    local: false,
    commTypes: ['hpush://', 'hpull://', 'ws://'],
    codeInit: false,
    etl: 'available',
    ...o,
  };
}

/** The runtime spec example of etl-api.md; `cpuLimit` as written in YAML (`1` is a number, `"1"` a string). */
export function helloRuntimeSpec(cpuLimit: string): string {
  return [
    'name: hello-world-etl',
    'communication: hpush://',
    'init_timeout: 5m',
    'obj_timeout: 45s',
    'support_direct_put: true',
    'runtime:',
    '  image: aistorage/transformer_hello_world:latest',
    '  command: ["uvicorn", "fastapi_server:fastapi_app", "--host", "0.0.0.0", "--port", "8000"]',
    '  env:',
    '    - name: NUM_WORKERS',
    '      value: "4"',
    'resources:',
    '  requests: {memory: 256Mi, cpu: 500m}',
    `  limits: {memory: 512Mi, cpu: ${cpuLimit}}`,
    '',
  ].join('\n');
}

function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) throw new Error(`line ${line} is past the end of the text`);
    offset = nl + 1;
  }
  return offset + character;
}

export function applyFix(text: string, fix: QuickFix): string {
  const start = offsetOf(text, fix.range.start.line, fix.range.start.character);
  const end = offsetOf(text, fix.range.end.line, fix.range.end.character);
  return text.slice(0, start) + fix.newText + text.slice(end);
}

export function byCode(diags: EtlDiagnostic[], code: string): EtlDiagnostic[] {
  return diags.filter((d) => d.code === code);
}

export function only(diags: EtlDiagnostic[], code: string): EtlDiagnostic {
  const found = byCode(diags, code);
  if (found.length !== 1)
    throw new Error(`expected exactly one "${code}", got ${found.length}: ${JSON.stringify(diags.map((d) => d.code))}`);
  return found[0];
}

/** Text covered by a range, to assert diagnostics point at the right token. */
export function textAt(text: string, d: { range: QuickFix['range'] }): string {
  return text.slice(
    offsetOf(text, d.range.start.line, d.range.start.character),
    offsetOf(text, d.range.end.line, d.range.end.character),
  );
}

export function errors(diags: EtlDiagnostic[]): EtlDiagnostic[] {
  return diags.filter((d) => d.severity === 'error');
}
