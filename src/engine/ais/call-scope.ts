// One call's cancellation: the caller's AbortSignal plus our own timeout, merged into one signal for undici.
// We keep track of *why* it fired so the error can say "cancelled" or "no answer within N s".

const TIMEOUT = Symbol('ais-timeout');
const CANCEL = Symbol('ais-cancel');

export class CallScope {
  private readonly ac = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onUserAbort = (): void => this.ac.abort(CANCEL);
  timedOut = false;

  constructor(
    private readonly user: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    if (user?.aborted) this.ac.abort(CANCEL);
    else user?.addEventListener('abort', this.onUserAbort, { once: true });
    if (timeoutMs > 0 && !this.ac.signal.aborted) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.ac.abort(TIMEOUT);
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }
  get cancelled(): boolean {
    return this.ac.signal.reason === CANCEL;
  }

  /** Headers are in: from now on only the caller's signal (and undici's idle body timeout) may end the call. */
  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    this.user?.removeEventListener('abort', this.onUserAbort);
  }
}

/** True when `e` is the reason we aborted with (undici rejects with the signal's reason). */
export function isScopeReason(e: unknown): boolean {
  return e === TIMEOUT || e === CANCEL;
}
