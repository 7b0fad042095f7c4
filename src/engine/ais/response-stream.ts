// The object body handed to callers. It forwards chunks from undici's body with backpressure (nothing is
// buffered beyond the stream's high-water mark), turns transport errors into AisErrors, and releases the call's
// timer/abort listener exactly once when it ends, fails or is destroyed by the consumer.
import { Readable } from 'node:stream';

export class ResponseStream extends Readable {
  private finished = false;

  constructor(
    private readonly src: Readable,
    private readonly mapError: (e: unknown) => Error,
    private readonly onFinish: () => void,
  ) {
    super();
    src.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) src.pause();
    });
    src.on('end', () => this.push(null));
    src.on('error', (e) => this.destroy(this.mapError(e)));
    src.pause();
  }

  override _read(): void {
    this.src.resume();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (!this.src.destroyed) this.src.destroy();
    this.finish();
    cb(err);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinish();
  }
}
