// Debug runs: one local run under debugpy per debug session. The configuration provider starts the run, the adapter
// factory connects VS Code to its debugpy port, and the result opens in the result editor when the run returns.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import { freePort, runTransformLocally, type LocalRunResult } from '../engine/run';
import { RESULT_SCHEME } from '../editors/resultDocuments';
import { UiError } from '../services/errors';
import type { AisEtlDebugConfiguration } from './config';
import { ensureDebugpyWithConsent } from './debugpyConsent';
import { prepareInput, type DebugInput } from './input';

export const RUN_ID_KEY = '__aisetlRunId';

export interface DebugOutcome {
  ok: boolean;
  result?: vscode.Uri;
  error?: string;
  traceback?: string;
}

interface ActiveRun {
  port: number;
  abort: AbortController;
  outcome: Promise<DebugOutcome>;
  exited: boolean;
}

export class DebugRuns implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly ended = new vscode.EventEmitter<DebugOutcome>();
  /** Fires when a debug run returned (result opened) or failed. */
  readonly onDidEnd = this.ended.event;

  constructor(private readonly s: CommandContext) {}

  /** Starts the run under debugpy (waiting for the debugger) and returns its id for the adapter factory. */
  async start(c: AisEtlDebugConfiguration): Promise<string> {
    const file = c.file as string;
    if (!fs.existsSync(file)) {
      throw new UiError(`The ETL file ${file} does not exist`, { hint: 'fix "file" in the debug configuration' });
    }
    await vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file && d.isDirty)?.save();
    await ensureDebugpyWithConsent(c.python, this.s.log);
    const input = await prepareInput(this.s, c);
    const abort = new AbortController();
    const port = await freePort();
    let run: LocalRunResult;
    try {
      // The first run of an ETLServer class builds the SDK's venv: say what is happening meanwhile.
      const title = `Starting ${path.basename(file)} under the debugger on ${input.object}…`;
      const where = { location: vscode.ProgressLocation.Window, title };
      run = await vscode.window.withProgress(where, () =>
        runTransformLocally({
          file,
          kind: c.kind,
          input: fs.createReadStream(input.file),
          objectName: input.objectName,
          etlArgs: c.etlArgs,
          aisVersion: c.aisVersion,
          python: c.python,
          signal: abort.signal,
          debug: { port, waitForClient: true },
          log: (l) => this.s.log.info(`[debug ${path.basename(file)}] ${l}`),
        }),
      );
    } catch (e) {
      input.remove();
      throw e;
    }
    const id = crypto.randomUUID();
    const outcome = this.finish(run, input, file, abort.signal).finally(() => {
      input.remove();
      this.runs.delete(id);
    });
    void outcome.then((o) => this.ended.fire(o));
    const active: ActiveRun = { port, abort, outcome, exited: false };
    void run.exitInfo.then(() => {
      active.exited = true;
    });
    this.runs.set(id, active);
    return id;
  }

  port(id: string): number | undefined {
    return this.runs.get(id)?.port;
  }
  outcome(id: string): Promise<DebugOutcome> | undefined {
    return this.runs.get(id)?.outcome;
  }

  /** The debug session ended (Stop, or detached): nothing of the run may keep running. */
  stop(id: string): void {
    const r = this.runs.get(id);
    // A run that returned by itself is still saving its result: only a run still going is stopped.
    if (r && !r.exited) r.abort.abort();
  }

  private async finish(
    run: LocalRunResult,
    input: DebugInput,
    file: string,
    signal: AbortSignal,
  ): Promise<DebugOutcome> {
    const etl = `debug ${path.basename(file)}`;
    const where = { cluster: input.cluster, bucket: input.bucket, object: input.object };
    const saved = this.s.results.save(run.output, { ...where, etl, signal });
    const [exit, result] = await Promise.all([run.exitInfo, saved.catch(() => undefined)]);
    if (!exit.ok) {
      const { message, traceback, hint } = exit.error;
      if (!signal.aborted) {
        this.s.log.error(`${message}\n${traceback}`);
        void vscode.window.showErrorMessage(`${message} — ${hint}`, 'Show log').then((x) => {
          if (x) this.s.log.show();
        });
      }
      return { ok: false, error: message, traceback };
    }
    if (!result) return { ok: false, error: 'the result could not be saved' };
    const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RESULT_SCHEME);
    const viewColumn = open?.viewColumn ?? vscode.ViewColumn.Beside;
    await vscode.window.showTextDocument(result.uri, { preview: true, viewColumn });
    return { ok: true, result: result.uri };
  }

  dispose(): void {
    for (const r of this.runs.values()) r.abort.abort();
    this.ended.dispose();
  }
}
