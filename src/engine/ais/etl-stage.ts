// The stages AIS reports for an ETL (`etl.Stage*` in ext/etl), as one lowercase name the UI can switch on. AIS has
// spelled them in different cases across versions, so every comparison goes through here.

export const ETL_STAGES = ['initializing', 'running', 'aborted', 'stopped'] as const;
export type EtlStageName = (typeof ETL_STAGES)[number] | 'unknown';

export function etlStage(stage: string | undefined): EtlStageName {
  const s = (stage ?? '').toLowerCase();
  return (ETL_STAGES as readonly string[]).includes(s) ? (s as EtlStageName) : 'unknown';
}

/** True when objects can be transformed through the ETL now. */
export function isEtlRunning(stage: string | undefined): boolean {
  return etlStage(stage) === 'running';
}
