// Turning any thrown value into the one line a user sees. Engine errors (AisError) carry a `.hint` saying what to do.

/** `message — hint` for engine errors, the message for other errors, a string for anything else. */
export function formatError(err: unknown): string {
  if (err instanceof Error) {
    const hint = (err as { hint?: unknown }).hint;
    const msg = err.message || err.name;
    return typeof hint === 'string' && hint && !msg.includes(hint) ? `${msg.replace(/[.\s]+$/, '')} — ${hint}` : msg;
  }
  return String(err);
}

/** True when the user (or a Cancel button) aborted the operation: such errors are not reported as failures. */
export function isCancellation(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR' || err.name === 'Canceled';
}

/** A user-facing error for wrong command arguments or missing prerequisites. */
export class UserError extends Error {
  constructor(message: string, readonly hint?: string) { super(message); this.name = 'UserError'; }
}

/** An error the command already showed to the user (with its own actions); the command wrapper only records it. */
export class ReportedError extends Error {
  constructor(readonly original: unknown, message: string) { super(message); this.name = 'ReportedError'; }
}
