// Debugging ETLs: the `aistore-etl` debugger type (adapter = debugpy's), the debug commands and the CodeLens
// command for a document position. extension.ts calls registerDebugging once.
import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import { registerCommands } from '../commands';
import type { RegisteredCommand } from '../commands/table';
import { attachEtl } from './attach';
import { debugEtl, debugEtlOnObject } from './commands';
import { DEBUG_TYPE } from './config';
import { EtlDebugAdapterFactory, EtlDebugConfigurationProvider } from './provider';
import { DebugRuns, RUN_ID_KEY } from './runs';

export { debugLenses } from './lenses';

let current: DebugRuns | undefined;

/** The active debug runs (integration tests wait on their outcome). */
export function debugRuns(): DebugRuns | undefined {
  return current;
}

export function registerDebugging(context: vscode.ExtensionContext, ctx: CommandContext): void {
  const runs = new DebugRuns(ctx);
  current = runs;
  const commands: RegisteredCommand[] = [debugEtl, debugEtlOnObject, attachEtl];
  context.subscriptions.push(
    runs,
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new EtlDebugConfigurationProvider(ctx, runs)),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new EtlDebugAdapterFactory(runs)),
    vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.type === DEBUG_TYPE) runs.stop(String(session.configuration[RUN_ID_KEY] ?? ''));
    }),
    ...registerCommands(ctx, commands),
  );
}
