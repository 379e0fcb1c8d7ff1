import { TokenRecord } from './world';

export interface RateLimits {
  /** Calls per window for each token kind. */
  readonly app: number;
  readonly user: number;
  readonly page: number;
  readonly windowMs: number;
}

export const DEFAULT_LIMITS: RateLimits = { app: 5000, user: 5000, page: 5000, windowMs: 3_600_000 };

/** A rolling-window call counter per token, reporting usage the way Meta's headers do. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    public limits: RateLimits = DEFAULT_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  reset(): void {
    this.calls.clear();
  }

  /** Records `count` calls (a `?ids=` request counts each ID); returns the usage percentage and whether the call is over the limit. */
  record(token: TokenRecord, count = 1): { percent: number; blocked: boolean; regainMinutes: number } {
    const now = this.clock();
    const list = (this.calls.get(token.token) ?? []).filter((t) => now - t < this.limits.windowMs);
    for (let i = 0; i < Math.max(1, count); i++) {
      list.push(now);
    }
    this.calls.set(token.token, list);
    const limit = this.limits[token.kind];
    const percent = Math.min(100, Math.round((list.length / limit) * 100));
    const blocked = list.length > limit;
    const oldest = list[0] ?? now;
    const regainMinutes = blocked ? Math.max(1, Math.ceil((this.limits.windowMs - (now - oldest)) / 60_000)) : 0;
    return { percent, blocked, regainMinutes };
  }

  /** The code Meta returns when this token is over its limit. */
  static codeFor(token: TokenRecord, businessType: 'messenger' | 'instagram' | 'pages' | undefined): number {
    if (token.kind === 'app') {
      return 4;
    }
    if (token.kind === 'user') {
      return 17;
    }
    return businessType === 'instagram' ? 80002 : businessType === 'messenger' ? 80006 : 80001;
  }
}
