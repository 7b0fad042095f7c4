// What the editor shows for a document: the engine's diagnostics for ETL kinds, plus those that depend on the
// folder, on how the user reached the file, and on the ETL interpreter. Diagnostics, quick fixes and the
// "deployable file" context key all read this one answer. Pure: no vscode import.
import type { EtlDiagnostic, EtlFileKind } from '../engine/etl';
import { contextualDiagnostics } from './contextDiagnostics';
import { diagnosticsToPublish, type DocumentRef, type EtlAnalysisCache, type EtlParse } from './etlAnalysis';
import { FolderCache, type FolderInfo } from './etlFolder';
import { isMarkedAsEtl } from './etlIntent';
import type { SdkStatus } from './sdkStatus';

const DEPLOYABLE = new Set<EtlFileKind>([
  'python-transform',
  'python-etl-class',
  'io-script',
  'pod-spec',
  'runtime-spec',
]);
const NO_FOLDER: FolderInfo = { specs: [], pythonModules: [] };

export function isDeployableKind(kind: EtlFileKind): boolean {
  return DEPLOYABLE.has(kind);
}

export interface Published {
  parsed: EtlParse;
  diagnostics: EtlDiagnostic[];
}

export class EtlDiagnosticSource {
  constructor(
    readonly analysis: EtlAnalysisCache,
    readonly sdk: SdkStatus,
    readonly folders = new FolderCache(),
  ) {}

  forDocument(ref: DocumentRef, getText: () => string): Published | undefined {
    const parsed = this.analysis.analyze(ref, getText);
    if (!parsed) return undefined;
    const own = diagnosticsToPublish(parsed);
    if (ref.languageId !== 'python') return { parsed, diagnostics: own };
    const extra = contextualDiagnostics({
      fileName: ref.fileName,
      text: getText(),
      kind: parsed.kind,
      diagnostics: parsed.diagnostics,
      markedAsEtl: isMarkedAsEtl(ref.uri),
      folder: ref.scheme === 'file' ? this.folders.of(ref.fileName) : NO_FOLDER,
      sdk: () => this.sdk.get(),
    });
    return { parsed, diagnostics: [...own, ...extra] };
  }
}
