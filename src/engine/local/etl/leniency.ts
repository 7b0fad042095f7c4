// What the local cluster accepts although the AIS release it emulates would not: only on 3.29, only for the tutorial,
// and every one recorded on the ETL (list and details answer `local_leniencies`) so the user sees "works locally only".

export type LeniencyId = 'hpush-post-fallback' | 'pod-spec-no-readiness-probe';
export interface Leniency {
  id: LeniencyId;
  note: string;
}

const NOTES: Record<LeniencyId, string> = {
  'hpush-post-fallback':
    'works locally only: the ETL server answered PUT with 501 (not implemented); AIS sends PUT ' +
    'for hpush://, the local 3.29 cluster retried with POST and keeps using POST for this ETL. Implement do_PUT ' +
    '(and GET /health) to run on a real cluster.',
  'pod-spec-no-readiness-probe':
    'works locally only: the Pod spec has no readinessProbe, which AIS rejects ' +
    '("readinessProbe section is required in a container spec"); the local 3.29 cluster waits for the port instead. ' +
    'Add readinessProbe: {httpGet: {path: /health, port: default}} and serve GET /health.',
};

export function leniency(id: LeniencyId): Leniency {
  return { id, note: NOTES[id] };
}
