import { GraphError } from '../graph/errors';

/** What the transport asks before a token leaves: may it go to this host, and until when. */
export interface CredentialGate {
  /** Why this token must not be sent to `host` (a host key), or undefined when it may. */
  refusal(token: string, host: string): GraphError | undefined;
  /** Aborted the moment the token is removed from `host`, so requests in flight or queued with it stop. */
  lifetimeOf(token: string, host: string): AbortSignal | undefined;
}

/**
 * The tokens the extension may send, each for the Graph host it was stored for. A token is sent
 * only to its own host; Remove and Sign Out take tokens off the list, which aborts every request
 * still using them. The generation moves on at each removal, so work that read the accounts
 * before it cannot put a removed token back.
 */
export class TokenRegistry implements CredentialGate {
  private readonly entries = new Map<string, AbortController>();
  private current = 0;

  /** Changes whenever a token is taken off the list. */
  get generation(): number {
    return this.current;
  }

  /**
   * Lets `token` go to `host`. Refused (returns false) when tokens were removed since `generation`
   * was read: the caller's view of the accounts is stale.
   */
  allow(host: string, token: string, generation = this.current): boolean {
    if (generation !== this.current) {
      return false;
    }
    const key = entryKey(host, token);
    if (!this.entries.has(key)) {
      this.entries.set(key, new AbortController());
    }
    return true;
  }

  isAllowed(token: string, host: string): boolean {
    return this.entries.has(entryKey(host, token));
  }

  refusal(token: string, host: string): GraphError | undefined {
    if (this.isAllowed(token, host)) {
      return undefined;
    }
    const elsewhere = [...this.entries.keys()].some((key) => key.endsWith(`\n${token}`));
    if (elsewhere) {
      return new GraphError({
        kind: 'hostRefused',
        hostRefusal: 'otherHost',
        host,
        message: `This token was stored for another Graph host; it is not sent to ${host}.`,
      });
    }
    // Removed (Sign Out, Remove) or never stored: the work that wanted it was overtaken.
    return new GraphError({ kind: 'cancelled', message: 'The token was removed, so the request was not sent.' });
  }

  lifetimeOf(token: string, host: string): AbortSignal | undefined {
    return this.entries.get(entryKey(host, token))?.signal;
  }

  /** Takes tokens off `host`'s list and aborts every request that still uses one there. */
  forget(host: string, tokens: Iterable<string>): void {
    this.current += 1;
    for (const token of tokens) {
      const key = entryKey(host, token);
      this.entries.get(key)?.abort();
      this.entries.delete(key);
    }
  }

  /** Sign Out: no token may be sent anywhere any more. */
  clear(): void {
    this.current += 1;
    for (const controller of this.entries.values()) {
      controller.abort();
    }
    this.entries.clear();
  }
}

function entryKey(host: string, token: string): string {
  return `${host}\n${token}`;
}
