// The only place the VS Code layer touches the engine's concrete modules. Everything else sees the interfaces of
// engineTypes.ts, so tests can pass fakes. Kubernetes is reached only through the lazy loader, never at activation.
import type * as AisModule from '../engine/ais';
import { buildInitMessage, parseEtlFile, validateEtlName, normalizeCommType } from '../engine/etl';
import type { ClientOptions, ClusterClient } from './engineTypes';

let ais: typeof AisModule | undefined;

/** The HTTP client (undici, ~1 MB bundled) is evaluated on the first cluster call, not at activation. */
export function createClient(o: ClientOptions): ClusterClient {
  ais ??= require('../engine/ais') as typeof AisModule;
  return new ais.AisClient(o);
}

export const etl = { parseEtlFile, buildInitMessage, validateEtlName, normalizeCommType };
export type EtlEngine = typeof etl;
