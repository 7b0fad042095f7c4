// Workspace Trust: in Restricted Mode the extension browses clusters and reads objects and logs, but nothing that
// runs this workspace's code: deploying an ETL (on the local cluster its code runs as a local process, and a Dockerfile
// next to a spec is built locally), testing one (a test deployment), debugging one, and pip for the ETL Python (run
// from the workspace folder, where a `pip` module of the workspace would be imported instead). The menus hide these
// commands (`isWorkspaceTrusted` in package.json); this check covers every other way in (CodeLens, palette, another
// extension).
import { UiError } from './errors';

const RUNS_ETL_CODE = "it runs this workspace's ETL code (on the local cluster as a process on this machine)";

/** Why each command is off in Restricted Mode. */
const REASONS: ReadonlyMap<string, string> = new Map([
  ['aistore.deployEtl', RUNS_ETL_CODE],
  ['aistore.testOnObject', RUNS_ETL_CODE],
  ['aistore.testOnFile', RUNS_ETL_CODE],
  ['aistore.debugEtl', "it runs this workspace's ETL code on this machine under the debugger"],
  ['aistore.debugEtlOnObject', "it runs this workspace's ETL code on this machine under the debugger"],
  ['aistore.attachEtl', "it starts debug sessions, and VS Code debugs only in a trusted workspace's window"],
  ['aistore.installEtlSdk', "it runs pip from this workspace's folder, where the workspace's own modules come first"],
]);

export const RUNS_WORKSPACE_CODE: ReadonlySet<string> = new Set(REASONS.keys());

/** The error shown when `title` is invoked in an untrusted workspace; undefined when it may run. */
export function restrictedModeError(id: string, title: string, trusted: boolean): UiError | undefined {
  const reason = REASONS.get(id);
  if (trusted || !reason) return undefined;
  return new UiError(`${title} is disabled in Restricted Mode: ${reason}.`, {
    hint:
      'if you trust this folder, choose "Manage Workspace Trust" and trust it; browsing clusters, ' +
      'objects and logs works without it',
  });
}
