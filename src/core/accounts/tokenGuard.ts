import { Emitter } from '../events';
import { GraphError } from '../graph/errors';

/**
 * Remembers which stored tokens the Graph API has rejected (190, 102, 104), so that further calls
 * with them fail at once instead of sending a stream of doomed requests. Cleared when the token
 * is updated or removed.
 */
export class TokenGuard {
  private readonly rejected = new Map<string, GraphError>();
  private readonly changed = new Emitter<string>();
  /** A token was found rejected, or a rejection was forgotten. */
  readonly onDidChange = this.changed.event;

  /** Throws the remembered rejection, if any, without a request. */
  check(key: string): void {
    const error = this.rejected.get(key);
    if (error) {
      throw error;
    }
  }

  rejection(key: string): GraphError | undefined {
    return this.rejected.get(key);
  }

  /** Records a failure; returns true the first time a token is found rejected, so the UI prompts once. */
  report(key: string, error: unknown): boolean {
    if (!(error instanceof GraphError) || error.kind !== 'invalidToken' || this.rejected.has(key)) {
      return false;
    }
    this.rejected.set(key, error);
    this.changed.fire(key);
    return true;
  }

  clear(key?: string): void {
    if (key === undefined) {
      const keys = [...this.rejected.keys()];
      this.rejected.clear();
      keys.forEach((k) => this.changed.fire(k));
    } else if (this.rejected.delete(key)) {
      this.changed.fire(key);
    }
  }

  /** Runs a call with a guarded token: refused at once if rejected before, remembered if rejected now. */
  async run<T>(key: string, call: () => Promise<T>): Promise<T> {
    this.check(key);
    try {
      return await call();
    } catch (error) {
      this.report(key, error);
      throw error;
    }
  }
}
