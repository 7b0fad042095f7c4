// The local runner's public shapes (see index.ts).
import type { Readable } from 'node:stream';

export type LocalRunKind = 'code' | 'io' | 'etl-class' | 'server';

export interface LocalRunRequest {
  /** The user's file: code.py with transform(bytes) | io:// script | .py with an ETLServer subclass |
   *  spec.yaml/server.py of a Pod/runtime spec. */
  file: string;
  /** Detected from the file when omitted. */
  kind?: LocalRunKind;
  input: Readable | Buffer;
  /** bucket/object, for etl_args / path / etl_fqn. */
  objectName?: string;
  etlArgs?: string;
  /** '5.0' (default) | '3.29': what a server receives (etl_fqn + empty body on 4.0+, the body on 3.x). */
  aisVersion?: string;
  /** Interpreter; default: the local Python the local cluster uses (a managed venv for ETLServer classes). */
  python?: string;
  signal?: AbortSignal;
  /** Whole-run limit; not applied while debugging unless given (a stopped breakpoint is not a hang). */
  timeoutMs?: number;
  /** Run under debugpy listening on 127.0.0.1:port. */
  debug?: { port: number; waitForClient: boolean };
  /** Progress and notes (installing packages, a server's PUT answered with 501…). */
  log?: (line: string) => void;
}

export type LocalRunExit = { ok: true } | { ok: false; error: LocalRunError };

export interface LocalRunResult {
  /** The transformed object, streamed; ends when the run ends (check exitInfo for success). */
  output: Readable;
  exitInfo: Promise<LocalRunExit>;
}

/** A failed local run: the Python traceback (already pointing at the user's file) and what to do about it. */
export class LocalRunError extends Error {
  constructor(
    message: string,
    readonly traceback: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'LocalRunError';
  }
}
