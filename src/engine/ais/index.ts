// Public surface of the AIS REST client (docs/CONTRACTS.md).
export * from './types';
export { AisClient } from './client';
export { AisError, isAbortError, HINT_ETL_EXISTS, HINT_NEEDS_K8S, HINT_NO_ETL_BUILD } from './errors';
export { parseAisVersion, dialectFor, commTypesFor, acceptsCodeInit, LOCAL_DEPLOYMENT } from './version';
export { initTimeoutMs, sniffInitKind, type EtlDebugTarget } from './etl-api';
export { summarizeSnaps } from './job-api';
export { parseBucket, uname } from './paths';
export { ENTRY_IS_DIR, LS_NO_RECURSION } from './bucket-api';
export { bucketNameError, MAX_BUCKET_NAME_LENGTH } from './names';
export { etlStage, isEtlRunning, ETL_STAGES, type EtlStageName } from './etl-stage';
