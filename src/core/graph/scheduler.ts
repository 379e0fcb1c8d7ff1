import { Emitter } from '../events';
import { GraphError } from './errors';
import { peakUsage, Usage } from './usage';

/** Time, injectable so the policy is unit-tested with a fake clock. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface SchedulerOptions {
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Retries after the first attempt for transient failures. */
  readonly maxRetries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Longest a call waits for a rate limit or Retry-After before failing instead. */
  readonly maxWaitMs?: number;
  /** Requests in flight while usage is low. */
  readonly concurrency?: number;
  /** Above this usage (percent), one request at a time, spaced out. */
  readonly slowDownAbove?: number;
  /** Pause when Meta says the limit is hit but not for how long. */
  readonly defaultPauseMs?: number;
}

/** App-wide (4) and user-wide (17) limits stop every call; the others stop calls with that token. */
const GLOBAL_LIMIT_CODES = new Set([4, 17]);
const GLOBAL = '*';

/**
 * When Graph requests may go out. Transient failures are retried a few times with exponential
 * backoff and jitter; rate-limited calls pause every call to that business object (its token) until
 * Meta says access is regained; token and request errors are never retried. Concurrency drops to one
 * as the usage headers climb, so the extension slows down before Meta blocks it.
 */
export class RequestScheduler {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly options: Required<Omit<SchedulerOptions, 'clock' | 'random'>>;
  private readonly pausedUntil = new Map<string, number>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private lastUsage = 0;
  private peakInFlight = 0;
  private readonly usageChanged = new Emitter<number>();
  /** The highest usage percentage Meta reported, after each response that reported any. */
  readonly onDidChangeUsage = this.usageChanged.event;

  constructor(options: SchedulerOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.options = {
      maxRetries: options.maxRetries ?? 2,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 8000,
      maxWaitMs: options.maxWaitMs ?? 30_000,
      concurrency: options.concurrency ?? 6,
      slowDownAbove: options.slowDownAbove ?? 75,
      defaultPauseMs: options.defaultPauseMs ?? 60_000,
    };
  }

  /** The highest usage percentage of the last response that reported any. */
  get usage(): number {
    return this.lastUsage;
  }

  get maxInFlight(): number {
    return this.peakInFlight;
  }

  /** When calls with this token (or all calls) may go out again; undefined when not paused. */
  pausedFor(key: string): number | undefined {
    const until = Math.max(this.pausedUntil.get(key) ?? 0, this.pausedUntil.get(GLOBAL) ?? 0);
    return until > this.clock.now() ? until : undefined;
  }

  /** Feeds the usage headers of every response. */
  observe(usage: Usage): void {
    const peak = peakUsage(usage);
    if (usage.app || usage.page || usage.business.length > 0) {
      this.lastUsage = peak;
      this.usageChanged.fire(peak);
    }
  }

  /** Forgets every pause (the user chose to try again now). */
  resume(): void {
    this.pausedUntil.clear();
  }

  /**
   * Runs one call. `retryTransient: false` is for calls that change something (sending a message):
   * after a timeout or a 5xx Meta may have done it already, so it is not sent again.
   */
  async run<T>(key: string, attempt: () => Promise<T>, signal?: AbortSignal, retryTransient = true): Promise<T> {
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) {
        throw cancelled();
      }
      await this.waitForPause(key, signal);
      await this.acquire(signal);
      let result: T;
      try {
        result = await attempt();
      } catch (error) {
        this.release();
        if (!(error instanceof GraphError)) {
          throw error;
        }
        if (error.kind === 'rateLimited') {
          this.pause(key, error);
          if (retry >= 1 || (error.retryAfterMs ?? this.options.defaultPauseMs) > this.options.maxWaitMs) {
            throw error;
          }
          continue;
        }
        if (!error.retryable || !retryTransient || retry >= this.options.maxRetries) {
          throw retry > 0 ? error.with({ attempts: retry + 1 }) : error;
        }
        const backoff = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** retry);
        const delay = Math.max(error.retryAfterMs ?? 0, backoff * (0.5 + this.random() * 0.5));
        if (delay > this.options.maxWaitMs) {
          throw error;
        }
        await this.clock.sleep(delay, signal);
        continue;
      }
      this.release();
      return result;
    }
  }

  private pause(key: string, error: GraphError): void {
    const scope = error.code !== undefined && GLOBAL_LIMIT_CODES.has(error.code) ? GLOBAL : key;
    const until = this.clock.now() + (error.retryAfterMs ?? this.options.defaultPauseMs);
    this.pausedUntil.set(scope, Math.max(this.pausedUntil.get(scope) ?? 0, until));
  }

  /** Waits out a short pause; a long one fails at once, without a request. */
  private async waitForPause(key: string, signal?: AbortSignal): Promise<void> {
    const until = this.pausedFor(key);
    if (until === undefined) {
      return;
    }
    const wait = until - this.clock.now();
    if (wait > this.options.maxWaitMs) {
      throw new GraphError({
        kind: 'rateLimited',
        message: 'Calls are paused because Meta rate-limited them.',
        retryAfterMs: wait,
        pausedUntil: until,
      });
    }
    await this.clock.sleep(wait, signal);
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    const slow = this.lastUsage > this.options.slowDownAbove;
    const limit = slow ? 1 : this.options.concurrency;
    while (this.inFlight >= limit) {
      await this.nextTurn(signal);
    }
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    if (slow) {
      // Spread calls out as usage nears 100%: up to 2 s between calls.
      try {
        await this.clock.sleep(Math.min(2000, (this.lastUsage - this.options.slowDownAbove) * 80), signal);
      } catch (error) {
        this.release();
        throw error;
      }
    }
  }

  /** Waits for a slot; an abort (Cancel, Sign Out, host change) leaves the queue at once. */
  private nextTurn(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(cancelled());
    }
    return new Promise<void>((resolve, reject) => {
      const turn = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(turn);
        if (index >= 0) {
          this.waiting.splice(index, 1);
        }
        reject(cancelled());
      };
      this.waiting.push(turn);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }
}

function cancelled(): GraphError {
  return new GraphError({ kind: 'cancelled', message: 'The request was cancelled.' });
}
