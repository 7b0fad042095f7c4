// A minimal event emitter with VS Code's `Event` shape, so services stay free of the `vscode` module.
import type { DisposableLike } from './lifecycle';

export type Listener<T> = (e: T) => void;

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (l: Listener<T>): DisposableLike => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}
