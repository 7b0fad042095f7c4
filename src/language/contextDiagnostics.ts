// Diagnostics that need more than the file's own text: whether a .py without a transform is meant as an ETL
// (opened through our commands, in a folder with ETL specs, or importing aistore), whether it is the server a spec
// next to it runs (then the current AIS contract applies), and whether the interpreter that deploys ETLServer classes
// has the SDK. Pure: the folder and the interpreter are read by the caller.
import {
  importsAistore,
  serverContractDiagnostics,
  serverUsageFromSpec,
  type EtlDiagnostic,
  type EtlFileKind,
  type EtlSdkProbe,
} from '../engine/etl';
import { importedBySibling, type FolderInfo } from './etlFolder';

export interface ContextInputs {
  fileName: string;
  text: string;
  kind: EtlFileKind;
  /** The engine's own diagnostics for the file. */
  diagnostics: EtlDiagnostic[];
  markedAsEtl: boolean;
  folder: FolderInfo;
  /** Asked only for files that need the SDK; undefined while the interpreter has not answered yet. */
  sdk: () => EtlSdkProbe | undefined;
}

export const NO_SDK_CODE = 'etl-class-no-aistore';

function aistoreLine(text: string): number {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s*(?:from\s+aistore\b|import\s+aistore\b)/.test(l));
  if (at >= 0) return at;
  return Math.max(
    0,
    lines.findIndex((l) => /^class\s/.test(l)),
  );
}

function lineRange(text: string, line: number): EtlDiagnostic['range'] {
  const len = (text.split('\n')[line] ?? '').replace(/\r$/, '').length;
  return { start: { line, character: 0 }, end: { line, character: len } };
}

export function sdkDiagnostics(text: string, sdk: EtlSdkProbe | undefined): EtlDiagnostic[] {
  if (!sdk) return [];
  const range = lineRange(text, aistoreLine(text));
  const who = `${sdk.python}${sdk.executable && sdk.executable !== sdk.python ? ` (${sdk.executable})` : ''}`;
  if (sdk.error) {
    return [
      {
        severity: 'warning',
        code: NO_SDK_CODE,
        range,
        message:
          `The Python that deploys ETL classes, ${who}, could not be run (${sdk.error}): install Python ` +
          `3.10+ with "aistore[etl]", or set AISETL_PYTHON.`,
      },
    ];
  }
  if (!sdk.sdk) {
    return [
      {
        severity: 'warning',
        code: NO_SDK_CODE,
        range,
        message:
          `aistore is not installed in ${who}, Python ${sdk.version ?? '?'}: Deploy runs the SDK's init_class there. ` +
          `Install it: "${sdk.executable ?? sdk.python}" -m pip install "aistore[etl]" (quick fix), or set ` +
          `AISETL_PYTHON to an interpreter that has it.`,
      },
    ];
  }
  if (sdk.supportedPythons?.length && sdk.version && !sdk.supportedPythons.includes(sdk.version)) {
    return [
      {
        severity: 'warning',
        code: 'etl-class-python-unsupported',
        range,
        message:
          `aistore ${sdk.sdk} ships ETL classes only from Python ${sdk.supportedPythons.join(', ')} (one runtime ` +
          `image per version); ` +
          `${who} is Python ${sdk.version}: set AISETL_PYTHON to a supported interpreter.`,
      },
    ];
  }
  return [];
}

export function contextualDiagnostics(i: ContextInputs): EtlDiagnostic[] {
  if (!/\.py$/i.test(i.fileName)) return [];
  if (i.kind === 'python-etl-class') return sdkDiagnostics(i.text, i.sdk());
  if (i.kind !== 'unknown') return [];
  const usage = i.folder.specs
    .map((s) => serverUsageFromSpec(i.fileName, s, i.folder.dockerfile))
    .find((u) => u !== undefined);
  if (usage) return serverContractDiagnostics(i.text, usage);
  const usesSdk = importsAistore(i.text);
  const meant = i.markedAsEtl || usesSdk || (i.folder.specs.length > 0 && !importedBySibling(i.fileName, i.folder));
  const noEntry = i.diagnostics.find((d) => d.code === 'python-no-transform');
  const out: EtlDiagnostic[] = meant && noEntry ? [{ ...noEntry, severity: 'warning' }] : [];
  return usesSdk && /aistore\.sdk\.etl/.test(i.text) ? [...out, ...sdkDiagnostics(i.text, i.sdk())] : out;
}
