// Default ETL names and the checks of the name prompt. A file called code.py, server.py or spec.yaml says nothing:
// its folder names the ETL. The default is free on the target cluster, unless this very file is what runs under it
// (then deploying again is a redeploy, not a collision).
import type { EtlInfo } from '../engine/ais';
import { validateEtlName } from '../engine/etl';
import { etlNameFromFile } from './args';

/** File stems too generic to name an ETL. */
const GENERIC = /^(code|main|server|app|transform|transformer|etl|spec|etl[_-]spec|pod|pod[_-]spec|init[_-]spec)$/i;

/** The name a file suggests: its stem, or its folder's name when the stem is generic. */
export function nameFromPath(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/').filter(Boolean);
  const file = parts.pop() ?? 'etl';
  const stem = file.replace(/\.[^.]+$/, '');
  const folder = parts.pop();
  return etlNameFromFile(GENERIC.test(stem) && folder ? folder : stem);
}

/** `base`, or `base-2`, `base-3`… whichever is not taken (names deployed from this file count as free). */
export function uniqueEtlName(base: string, taken: readonly string[], ownNames: readonly string[] = []): string {
  if (ownNames.includes(base) || !taken.includes(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const candidate = `${base.slice(0, 32 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

export type NameCheck = { error: string } | { warning: string } | undefined;

/** What the name box says as the user types: the broken rule, or that Enter will offer to replace an ETL. */
export function checkEtlName(value: string, existing: readonly EtlInfo[], cluster: string): NameCheck {
  const name = value.trim();
  const problem = validateEtlName(name);
  if (problem) return { error: problem };
  const taken = existing.find((e) => e.name === name);
  if (taken)
    return { warning: `ETL ${name} already exists on ${cluster} (${taken.stage}): Enter offers to replace it` };
  return undefined;
}
