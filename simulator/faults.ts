/** Faults the simulator injects, per route or at random, for reliability tests. */
export type FaultKind =
  | 'status' // an HTTP error with a transient Graph error body
  | 'graphError' // a Graph error envelope with the given code/subcode
  | 'rateLimit' // a rate-limit error with usage headers at 100%
  | 'html' // an HTML error page
  | 'malformed' // 200 with a body that is not JSON
  | 'truncated' // 200 with a body cut off mid-stream
  | 'reset' // the connection is destroyed
  | 'timeout' // no answer at all
  | 'redirect' // a redirect to another host
  | 'repeatCursor' // paging whose next cursor never advances
  | 'emptyPageWithNext'; // empty pages that still have next

export interface FaultRule {
  readonly kind: FaultKind;
  /** Substring of the request path (after the version) this rule applies to; all requests when absent. */
  readonly match?: string;
  /** How many times it fires; unlimited when absent. */
  times?: number;
  readonly status?: number;
  readonly retryAfter?: string;
  readonly code?: number;
  readonly subcode?: number;
  readonly message?: string;
  readonly location?: string;
}

export class FaultPlan {
  private rules: FaultRule[] = [];

  constructor(
    private readonly randomRate = 0,
    private readonly random: () => number = Math.random,
  ) {}

  add(...rules: FaultRule[]): void {
    this.rules.push(...rules.map((r) => ({ ...r })));
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** The fault for this request, if any; consumes one use of a counted rule. */
  take(path: string): FaultRule | undefined {
    const rule = this.rules.find((r) => (r.match === undefined || path.includes(r.match)) && (r.times === undefined || r.times > 0));
    if (rule) {
      if (rule.times !== undefined) {
        rule.times--;
      }
      return rule;
    }
    if (this.randomRate > 0 && this.random() < this.randomRate) {
      const kinds: FaultKind[] = ['status', 'reset', 'malformed', 'html'];
      return { kind: kinds[Math.floor(this.random() * kinds.length)], status: 503 };
    }
    return undefined;
  }
}
