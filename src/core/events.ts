/** A subscription: call dispose to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** The shape of VS Code's Event, so a core event can back a TreeDataProvider directly. */
export type Event<T> = (listener: (value: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

/** One small event emitter for the core (which cannot use vscode.EventEmitter). */
export class Emitter<T> implements Disposable {
  private listeners: ((value: T) => unknown)[] = [];

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs === undefined ? listener : listener.bind(thisArgs);
    this.listeners.push(bound);
    const subscription = { dispose: () => (this.listeners = this.listeners.filter((l) => l !== bound)) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}

/**
 * A base for objects that own subscriptions and other disposables: register each once, and one
 * dispose() releases them all, last registered first.
 */
export abstract class DisposableStore implements Disposable {
  private readonly owned: Disposable[] = [];
  private disposed = false;

  protected _register<T extends Disposable>(disposable: T): T {
    if (this.disposed) {
      disposable.dispose();
    } else {
      this.owned.push(disposable);
    }
    return disposable;
  }

  dispose(): void {
    this.disposed = true;
    for (const disposable of this.owned.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}
