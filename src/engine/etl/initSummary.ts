// What an init message, as the cluster returns it, says about an ETL at a glance: its comm type and what it runs (a
// runtime name, a runtime image, or the first image of a pod spec). The tree shows this next to each ETL.
import { parse } from 'yaml';

export interface InitSummary {
  commType?: string;
  runtime?: string;
}

export function summarizeInitMsg(init: Record<string, unknown> | undefined): InitSummary {
  if (!init) return {};
  const commType = str(init.comm_type) ?? str(init.communication);
  return { commType, runtime: runtimeOf(init) };
}

function runtimeOf(init: Record<string, unknown>): string | undefined {
  const rt = init.runtime;
  if (typeof rt === 'string') return rt;
  if (isObject(rt) && typeof rt.image === 'string') return rt.image;
  if (typeof init.image === 'string') return init.image;
  return typeof init.spec === 'string' ? podSpecImage(init.spec) : undefined;
}

/** The first container image of a pod spec that arrives base64-encoded (Go's []byte in JSON) or as plain YAML. */
export function podSpecImage(spec: string): string | undefined {
  try {
    const doc: unknown = parse(decodeIfBase64(spec));
    const containers = isObject(doc) && isObject(doc.spec) ? doc.spec.containers : undefined;
    const first: unknown = Array.isArray(containers) ? containers[0] : undefined;
    return isObject(first) ? str(first.image) : undefined;
  } catch {
    return undefined;
  }
}

function decodeIfBase64(s: string): string {
  const compact = s.replace(/\s+/g, '');
  const bytes = Buffer.from(compact, 'base64');
  // Plain YAML is never valid base64 that round-trips (it has ':' and spaces), so this cannot misread a spec.
  return compact !== '' && bytes.toString('base64') === compact ? bytes.toString('utf8') : s;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
