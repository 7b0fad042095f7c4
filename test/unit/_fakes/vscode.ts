// A stand-in for the `vscode` module, installed before the module under test is loaded: `vscode` itself only exists
// inside the extension host. It covers what the commands, views and editors use; window is a scripted FakeWindow.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { posix } from 'node:path';
import { Emitter } from '../../../src/services/emitter';
import { FakeWindow } from './window';

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(p: string): Uri {
    return new Uri('file', '', posix.normalize(p));
  }
  static parse(s: string): Uri {
    const u = new URL(s);
    return new Uri(
      u.protocol.replace(/:$/, ''),
      decodeURIComponent(u.host),
      decodeURIComponent(u.pathname),
      u.search.replace(/^\?/, ''),
    );
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '/', c.query ?? '');
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(u.scheme, u.authority, posix.join(u.path, ...parts), u.query);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

/** VS Code's EventEmitter behaves as the services' own emitter: listeners called in order, dispose removes them. */
export class EventEmitter<T> extends Emitter<T> {}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}

export const executed: { command: string; args: unknown[] }[] = [];
export const clipboard = { text: '' };
export const window = new FakeWindow();
/** The settings of the `aistore` section, as getConfiguration().get/update see them. */
export const config: Record<string, unknown> = {};

export const vscodeFake = {
  Uri,
  EventEmitter,
  Disposable,
  ThemeIcon: class {
    constructor(
      readonly id: string,
      readonly color?: unknown,
    ) {}
  },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  TreeItem: class {
    constructor(
      readonly label: string,
      readonly collapsibleState: number,
    ) {}
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  FileType: { File: 1, Directory: 2 },
  ConfigurationTarget: { Global: 1 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  CodeActionKind: { QuickFix: 'quickfix' },
  window,
  commands: {
    registerCommand: () => ({ dispose() {} }),
    executeCommand: async (command: string, ...args: unknown[]) => {
      executed.push({ command, args });
      return undefined;
    },
  },
  env: {
    clipboard: {
      writeText: async (t: string) => {
        clipboard.text = t;
      },
    },
  },
  workspace: {
    textDocuments: [] as { uri: Uri; getText(): string }[],
    workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
    asRelativePath: (u: Uri) => u.path,
    getConfiguration: () => ({
      get: (k: string) => config[k],
      update: async (k: string, v: unknown) => {
        config[k] = v;
      },
    }),
    fs: {
      readFile: async (u: Uri) => readFileSync(u.fsPath),
      stat: async (u: Uri) => ({ type: statSync(u.fsPath).isDirectory() ? 2 : 1 }),
      createDirectory: async (u: Uri) => {
        mkdirSync(u.fsPath, { recursive: true });
      },
      writeFile: async (u: Uri, data: Uint8Array) => {
        writeFileSync(u.fsPath, data);
      },
    },
  },
};

type Load = (this: unknown, request: string, ...rest: unknown[]) => unknown;
const original = Reflect.get(Module, '_load') as Load;
const load: Load = function (request, ...rest) {
  return request === 'vscode' ? vscodeFake : original.call(this, request, ...rest);
};
Reflect.set(Module, '_load', load);
