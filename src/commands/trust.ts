// Workspace Trust: in Restricted Mode the extension browses clusters and reads objects and logs, but nothing that
// runs this workspace's code: deploying an ETL (on the local cluster its code runs as a local process, and a Dockerfile
// next to a spec is built locally) and testing one (a test deployment). The menus hide these commands
// (`isWorkspaceTrusted` in package.json); this check covers every other way in (CodeLens, palette, another extension).
import { UiError } from '../services/errors';

export const RUNS_WORKSPACE_CODE: ReadonlySet<string> = new Set([
  'aistore.deployEtl',
  'aistore.testOnObject',
  'aistore.testOnFile',
]);

/** The error shown when `title` is invoked in an untrusted workspace; undefined when it may run. */
export function restrictedModeError(id: string, title: string, trusted: boolean): UiError | undefined {
  if (trusted || !RUNS_WORKSPACE_CODE.has(id)) return undefined;
  return new UiError(
    `${title} is disabled in Restricted Mode: it runs this workspace's ETL code (on the local cluster ` +
      'as a process on this machine).',
    {
      hint:
        'if you trust this folder, choose "Manage Workspace Trust" and trust it; browsing clusters, ' +
        'objects and logs works without it',
    },
  );
}
