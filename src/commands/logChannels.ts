// The output channels of ETL and pod logs and the follows that write into them. One channel per ETL and per pod;
// following stops when the user asks again, when the log ends, or when the window closes (dispose).
import * as vscode from 'vscode';
import { Disposable, disposeAll, type DisposableLike } from '../services/lifecycle';

/**
 * Plain output channels: a log channel would stamp each line with the time it was fetched, which reads as the time
 * it happened. Lines keep the time their source wrote (when it wrote one); snapshots say when they were taken.
 */
export class LogChannels extends Disposable {
  private readonly channels = new Map<string, vscode.OutputChannel>();
  private readonly followers = new Map<string, DisposableLike>();

  constructor() {
    super();
    this.register({ dispose: () => this.closeAll() });
  }

  /** "AIStore ETL: <etl>". */
  forEtl(etl: string): vscode.OutputChannel {
    return this.channel(`AIStore ETL: ${etl}`);
  }

  /** "AIStore pod: <pod>". */
  forPod(pod: string): vscode.OutputChannel {
    return this.channel(`AIStore pod: ${pod}`);
  }

  following(key: string): DisposableLike | undefined {
    return this.followers.get(key);
  }

  follow(key: string, handle: DisposableLike): void {
    this.followers.set(key, handle);
  }

  /** Stops following `key`; true when it was followed. */
  unfollow(key: string): boolean {
    const f = this.followers.get(key);
    this.followers.delete(key);
    void f?.dispose();
    return f !== undefined;
  }

  /** Forgets `key` without disposing it, when its follow ended by itself — unless a newer follow replaced it. */
  ended(key: string, handle: DisposableLike): void {
    if (this.followers.get(key) === handle) this.followers.delete(key);
  }

  private channel(name: string): vscode.OutputChannel {
    let c = this.channels.get(name);
    if (!c) {
      c = vscode.window.createOutputChannel(name, 'log');
      this.channels.set(name, c);
    }
    return c;
  }

  private closeAll(): void {
    disposeAll([...this.followers.values()]);
    this.followers.clear();
    disposeAll([...this.channels.values()]);
    this.channels.clear();
  }
}
