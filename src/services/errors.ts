// The two error types of the VS Code layer. UiError is what a command throws when the user must act: a message, a
// hint saying what to do, the underlying cause and optional follow-up actions. CancelledError is the user saying no
// (a dismissed prompt, Cancel on a progress notification): it is logged, never shown as a failure.

/** A follow-up offered next to the error message (e.g. "Show logs" of the ETL that failed to deploy). */
export interface UiAction {
  title: string;
  run(): unknown;
}

export interface UiErrorOptions {
  hint?: string;
  cause?: unknown;
  actions?: UiAction[];
}

export class UiError extends Error {
  readonly hint?: string;
  readonly actions: UiAction[];
  constructor(message: string, o: UiErrorOptions = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'UiError';
    this.hint = o.hint;
    this.actions = o.actions ?? [];
  }
}

export class CancelledError extends Error {
  constructor(what = 'Cancelled') {
    super(what);
    this.name = 'CancelledError';
  }
}

/** `message — hint` for errors that carry a hint (UiError, engine errors), the message otherwise. */
export function formatError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const hint = 'hint' in err ? err.hint : undefined;
  const msg = err.message || err.name;
  return typeof hint === 'string' && hint && !msg.includes(hint) ? `${msg.replace(/[.\s]+$/, '')} — ${hint}` : msg;
}

/** True when the user (or a Cancel button) aborted: such errors are not reported as failures. */
export function isCancellation(err: unknown): boolean {
  if (err instanceof CancelledError) return true;
  if (!(err instanceof Error)) return false;
  return err.name === 'AbortError' || ('code' in err && err.code === 'ABORT_ERR') || err.name === 'Canceled';
}
