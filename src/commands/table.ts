// Typed commands: each command declares its argument type once, with its id and title. Tree nodes, CodeLenses and
// notifications build invocations through `build(arg)`, so a wrong argument is a compile error, not a guess at run
// time. No `vscode` import: the registration loop lives in ./index.ts.
import type { CommandContext } from './context';

/** The shape of vscode.Command (a tree item's click, a CodeLens). */
export interface CommandInvocation {
  command: string;
  title: string;
  arguments: unknown[];
  tooltip?: string;
}

export type CommandHandler<A, R> = (ctx: CommandContext, arg: A | undefined) => Promise<R> | R;

/** What the registration loop needs, whatever the argument type. */
export interface RegisteredCommand {
  readonly id: string;
  readonly title: string;
  invoke(ctx: CommandContext, arg: unknown): Promise<unknown>;
}

export class DeclaredCommand<A, R> implements RegisteredCommand {
  constructor(
    readonly id: string,
    readonly title: string,
    private readonly handler: CommandHandler<A, R>,
  ) {}

  /** VS Code hands over whatever the caller passed; callers in this extension are type-checked through build(). */
  invoke(ctx: CommandContext, arg: unknown): Promise<R> {
    return Promise.resolve(this.handler(ctx, arg as A | undefined));
  }

  /** Runs the handler directly (one command reusing another keeps the typed argument and result). */
  run(ctx: CommandContext, arg?: A): Promise<R> {
    return Promise.resolve(this.handler(ctx, arg));
  }

  /** An invocation of this command with `arg`, for a tree item click, a CodeLens or a notification button. */
  build(arg: A, title = this.title, tooltip?: string): CommandInvocation {
    return { command: this.id, title, arguments: [arg], ...(tooltip ? { tooltip } : {}) };
  }
}

export function declareCommand<A = undefined, R = unknown>(
  id: `aistore.${string}`,
  title: string,
  handler: CommandHandler<A, R>,
): DeclaredCommand<A, R> {
  return new DeclaredCommand(id, title, handler);
}
