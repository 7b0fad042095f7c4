// A scripted stand-in for vscode.window in unit tests: each prompt takes the next scripted answer for its kind, and
// everything shown is recorded. An unscripted prompt is dismissed (undefined), as when the user presses Escape.
// Input boxes run their validateInput on the scripted text; a rejected text is recorded and the next answer is used,
// like a user correcting what they typed.

export interface QuickPickItemLike {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
}
type PickAnswer =
  string | string[] | undefined | ((items: QuickPickItemLike[]) => QuickPickItemLike | QuickPickItemLike[] | undefined);
interface InputOptionsLike {
  value?: string;
  validateInput?(v: string): string | undefined | null | Thenable<string | undefined | null>;
}
type Thenable<T> = PromiseLike<T>;

export interface Shown {
  kind: 'info' | 'warning' | 'error';
  message: string;
  buttons: string[];
  modal: boolean;
}

export class FakeWindow {
  readonly picks: PickAnswer[] = [];
  readonly inputs: (string | undefined)[] = [];
  readonly answers: Record<Shown['kind'], (string | undefined)[]> = { info: [], warning: [], error: [] };
  readonly dialogs: (string[] | undefined)[] = [];
  readonly shown: Shown[] = [];
  readonly rejectedInputs: string[] = [];
  readonly prompts: string[] = [];
  readonly opened: string[] = [];
  readonly progress: string[] = [];
  /** Input boxes shown, with the step counters and validation they had. */
  readonly boxes: FakeInputBox[] = [];
  activeTextEditor: undefined = undefined;
  visibleTextEditors: never[] = [];

  /** Scripts the next answers, in order. */
  pick(...answers: PickAnswer[]): this {
    this.picks.push(...answers);
    return this;
  }
  type(...answers: (string | undefined)[]): this {
    this.inputs.push(...answers);
    return this;
  }
  click(kind: Shown['kind'], ...answers: (string | undefined)[]): this {
    this.answers[kind].push(...answers);
    return this;
  }

  /** Forgets every scripted answer and everything recorded: each test starts from a window nobody used. */
  reset(): void {
    const lists: unknown[][] = [this.picks, this.inputs, this.dialogs, this.shown, this.rejectedInputs, this.prompts];
    lists.push(this.opened, this.progress, this.boxes, ...Object.values(this.answers));
    for (const list of lists) list.length = 0;
  }

  /** Nothing scripted was left unused (a test that scripts a prompt the code never shows is wrong). */
  unused(): string[] {
    const left = [
      this.picks.length && 'quick picks',
      this.inputs.length && 'input boxes',
      this.dialogs.length && 'dialogs',
      ...Object.entries(this.answers).map(([k, v]) => v.length && `${k} messages`),
    ];
    return left.filter((x): x is string => typeof x === 'string');
  }

  async showQuickPick<T extends QuickPickItemLike>(
    items: readonly T[] | Promise<readonly T[]>,
    o?: { title?: string; canPickMany?: boolean },
  ): Promise<T | T[] | undefined> {
    const list = [...(await items)];
    this.prompts.push(`pick: ${o?.title ?? ''}`);
    const a = this.picks.shift();
    const byLabel = (l: string) => {
      const found = list.find((i) => i.label === l);
      if (!found) throw new Error(`fake window: no item "${l}" in [${list.map((i) => i.label).join(', ')}]`);
      return found;
    };
    if (a === undefined) return undefined;
    if (typeof a === 'function') return a(list) as T | T[] | undefined;
    if (Array.isArray(a)) return a.map(byLabel);
    return o?.canPickMany ? [byLabel(a)] : byLabel(a);
  }

  async showInputBox(o: InputOptionsLike & { title?: string; prompt?: string } = {}): Promise<string | undefined> {
    this.prompts.push(`input: ${o.title ?? ''} ${o.prompt ?? ''}`.trim());
    for (;;) {
      if (this.inputs.length === 0) return undefined;
      const v = this.inputs.shift();
      if (v === undefined) return undefined;
      const problem = await o.validateInput?.(v);
      if (!problem) return v;
      this.rejectedInputs.push(`${v}: ${problem}`);
    }
  }

  showInformationMessage(message: string, ...rest: unknown[]): Promise<string | undefined> {
    return this.message('info', message, rest);
  }
  showWarningMessage(message: string, ...rest: unknown[]): Promise<string | undefined> {
    return this.message('warning', message, rest);
  }
  showErrorMessage(message: string, ...rest: unknown[]): Promise<string | undefined> {
    return this.message('error', message, rest);
  }

  private async message(kind: Shown['kind'], message: string, rest: unknown[]): Promise<string | undefined> {
    const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as { modal?: boolean }).modal === true;
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    this.shown.push({ kind, message, buttons, modal });
    return this.answers[kind].shift();
  }

  async showOpenDialog(): Promise<{ fsPath: string }[] | undefined> {
    return this.dialogs.shift()?.map((fsPath) => ({ fsPath }));
  }

  async withProgress<T>(
    o: { title?: string },
    task: (p: { report(v: { message?: string }): void }, token: CancelToken) => Promise<T>,
  ): Promise<T> {
    this.progress.push(o.title ?? '');
    return task(
      {
        report: (v) => {
          if (v.message) this.progress.push(v.message);
        },
      },
      new CancelToken(),
    );
  }

  async showTextDocument(doc: { toString(): string }): Promise<void> {
    this.opened.push(doc.toString());
  }

  createOutputChannel(name: string): FakeChannel {
    return new FakeChannel(name);
  }

  /** An input box answered on show() by the next scripted text, typed as the user would (checks run per value). */
  createInputBox(): FakeInputBox {
    return new FakeInputBox(this);
  }
  /** A quick pick answered on show() by the next scripted pick. */
  createQuickPick<T extends QuickPickItemLike>(): FakeQuickPick<T> {
    return new FakeQuickPick<T>(this);
  }
}

type Handler<T> = (e: T) => void;
class Events<T> {
  private readonly hs: Handler<T>[] = [];
  readonly on = (h: Handler<T>) => {
    this.hs.push(h);
    return { dispose: () => undefined };
  };
  fire(e: T): void {
    for (const h of this.hs) h(e);
  }
}

function stepLabel(o: { title?: string; step?: number; totalSteps?: number }): string {
  return `${o.title ?? ''}${o.step ? ` (${o.step}/${o.totalSteps ?? '?'})` : ''}`;
}

export class FakeInputBox {
  title?: string;
  step?: number;
  totalSteps?: number;
  prompt?: string;
  placeholder?: string;
  ignoreFocusOut = false;
  value = '';
  /** The value the box opened with (the suggestion), before anything was typed. */
  initialValue = '';
  validationMessage?: string | { message: string; severity: number };
  private readonly change = new Events<string>();
  private readonly accept = new Events<void>();
  private readonly hide = new Events<void>();
  readonly onDidChangeValue = this.change.on;
  readonly onDidAccept = this.accept.on;
  readonly onDidHide = this.hide.on;
  private disposed = false;
  constructor(private readonly w: FakeWindow) {}

  show(): void {
    this.w.prompts.push(`input: ${stepLabel(this)} ${this.prompt ?? ''}`.trim());
    this.initialValue = this.value;
    this.w.boxes.push(this);
    queueMicrotask(() => this.answer());
  }
  private answer(): void {
    while (!this.disposed) {
      const v = this.w.inputs.shift();
      if (v === undefined) {
        this.hide.fire();
        return;
      }
      this.value = v;
      this.change.fire(v);
      const before = this.validationMessage;
      this.accept.fire();
      if (this.disposed) return;
      this.w.rejectedInputs.push(`${v}: ${typeof before === 'string' ? before : before?.message}`);
    }
  }
  hideBox(): void {
    this.hide.fire();
  }
  dispose(): void {
    this.disposed = true;
  }
}

export class FakeQuickPick<T extends QuickPickItemLike> {
  title?: string;
  step?: number;
  totalSteps?: number;
  placeholder?: string;
  ignoreFocusOut = false;
  value = '';
  items: T[] = [];
  selectedItems: T[] = [];
  activeItems: T[] = [];
  private readonly accept = new Events<void>();
  private readonly hide = new Events<void>();
  private readonly change = new Events<string>();
  readonly onDidAccept = this.accept.on;
  readonly onDidHide = this.hide.on;
  readonly onDidChangeValue = this.change.on;
  constructor(private readonly w: FakeWindow) {}

  show(): void {
    this.w.prompts.push(`pick: ${stepLabel(this)}`);
    queueMicrotask(() => void this.answer());
  }
  private async answer(): Promise<void> {
    const picked = await this.w.showQuickPick(this.items, { title: this.title }).catch(() => undefined);
    this.w.prompts.pop(); // showQuickPick recorded it without the step counter
    const item = Array.isArray(picked) ? picked[0] : picked;
    if (!item) {
      this.hide.fire();
      return;
    }
    this.selectedItems = [item as T];
    this.accept.fire();
  }
  hideBox(): void {
    this.hide.fire();
  }
  dispose(): void {
    /* nothing held */
  }
}

export class CancelToken {
  isCancellationRequested = false;
  onCancellationRequested() {
    return { dispose() {} };
  }
}

export class FakeChannel {
  readonly lines: string[] = [];
  constructor(readonly name: string) {}
  appendLine(l: string) {
    this.lines.push(l);
  }
  info(l: string) {
    this.lines.push(`[info] ${l}`);
  }
  warn(l: string) {
    this.lines.push(`[warn] ${l}`);
  }
  error(l: string) {
    this.lines.push(`[error] ${l}`);
  }
  debug(l: string) {
    this.lines.push(`[debug] ${l}`);
  }
  show() {}
  dispose() {}
}
