// What every command handler receives: the shared services plus the UI state the commands act on (the tree, result
// and report documents) and the long-lived things commands start (log channels). Built once in
// extension.ts.
import type { ReportDocuments } from '../editors/reportDocuments';
import type { ResultDocuments } from '../editors/resultDocuments';
import type { Services } from '../services';
import type { ClustersTreeModel } from '../views/treeModel';
import type { ErrorReporter } from './errorReporter';
import type { LogChannels } from './logChannels';

export interface CommandContext extends Services {
  tree: ClustersTreeModel;
  results: ResultDocuments;
  reports: ReportDocuments;
  logChannels: LogChannels;
  errors: ErrorReporter;
}
