// The `aistore-etl` debugger: configurations (launch.json snippets, defaults from the active editor, a prompt for
// the input), and debugpy's own adapter reached over TCP. The session attaches to the run started for it.
import * as vscode from 'vscode';
import { resolveObject } from '../commands/transformObject';
import type { CommandContext } from '../commands/context';
import { CancelledError, formatError, isCancellation } from '../services/errors';
import { DEBUG_TYPE, INITIAL_CONFIGURATIONS, configProblem, type AisEtlDebugConfiguration } from './config';
import { RUN_ID_KEY, type DebugRuns } from './runs';
import { attachInfo } from './attachConfig';

type Folder = vscode.WorkspaceFolder | undefined;

export class EtlDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly s: CommandContext,
    private readonly runs: DebugRuns,
  ) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return INITIAL_CONFIGURATIONS;
  }

  /** F5 without launch.json, or a configuration missing its file or input: fill them from the editor / a prompt. */
  async resolveDebugConfiguration(
    _f: Folder,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (attachInfo(config)) return config; // attaching to a running local ETL: nothing to run
    const c = { ...config } as AisEtlDebugConfiguration;
    c.type ||= DEBUG_TYPE;
    c.request ||= 'launch';
    c.name ||= 'Debug ETL';
    c.file ||= vscode.window.activeTextEditor?.document.uri.fsPath;
    try {
      if (c.object === undefined && !c.inputFile) Object.assign(c, await this.askInput());
    } catch (e) {
      if (!isCancellation(e)) void vscode.window.showErrorMessage(formatError(e));
      return undefined;
    }
    return c;
  }

  /** Variables are substituted: start the run under debugpy, and attach to it. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    _f: Folder,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (attachInfo(config)) return config;
    const c = config as AisEtlDebugConfiguration;
    const problem = configProblem(c);
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return undefined;
    }
    try {
      const id = await this.runs.start(c);
      // debugpy is told to attach: the process already runs and waits for the debugger.
      return { ...c, request: 'attach', [RUN_ID_KEY]: id, justMyCode: c.justMyCode ?? true };
    } catch (e) {
      if (!isCancellation(e)) {
        this.s.log.error(`debug ${c.file}: ${formatError(e)}`);
        void vscode.window.showErrorMessage(formatError(e));
      }
      return undefined;
    }
  }

  private async askInput(): Promise<Partial<AisEtlDebugConfiguration>> {
    const OBJECT = '$(database) An object of a cluster…';
    const FILE = '$(file) A local file…';
    const title = 'Debug ETL: which bytes should the transform get?';
    const pick = await vscode.window.showQuickPick([OBJECT, FILE], { title });
    if (!pick) throw new CancelledError();
    if (pick === OBJECT) {
      const o = await resolveObject(this.s, {}, 'Debug ETL on object');
      return { object: { cluster: o.cluster, bucket: o.bucket, object: o.object } };
    }
    const f = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Debug on this file',
      title: 'Debug ETL on file',
    });
    if (!f?.[0]) throw new CancelledError();
    return { inputFile: f[0].fsPath };
  }
}

export class EtlDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly runs: DebugRuns) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const attach = attachInfo(session.configuration);
    if (attach) return new vscode.DebugAdapterServer(attach.port, attach.host);
    const id = String(session.configuration[RUN_ID_KEY] ?? '');
    const port = this.runs.port(id);
    if (port === undefined) {
      throw new Error(
        'This AIStore ETL debug session has no run (it ended or was not started); ' + 'start debugging again.',
      );
    }
    return new vscode.DebugAdapterServer(port, '127.0.0.1');
  }
}
