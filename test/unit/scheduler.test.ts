import * as assert from 'node:assert/strict';
import { GraphError } from '../../src/core/graph/errors';
import { Clock, RequestScheduler } from '../../src/core/graph/scheduler';

/** A clock whose sleeps return at once and move time forward, recording each wait. */
class FakeClock implements Clock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(new GraphError({ kind: 'cancelled', message: 'cancelled' }));
    }
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

const transient = () => new GraphError({ kind: 'transient', httpStatus: 503, message: 'Service unavailable' });
const usage = (percent: number) => ({ app: { callCount: percent, totalTime: 0, totalCputime: 0 }, business: [] });

function failingThen<T>(errors: GraphError[], value: T): { attempt: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    attempt: () => {
      const error = errors[calls++];
      return error ? Promise.reject(error) : Promise.resolve(value);
    },
    calls: () => calls,
  };
}

describe('RequestScheduler', () => {
  it('retries transient failures with exponential backoff and jitter, a bounded number of times', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, random: () => 1, baseDelayMs: 500, maxRetries: 2 });
    const ok = failingThen([transient(), transient()], 'done');
    assert.equal(await scheduler.run('t', ok.attempt), 'done');
    assert.equal(ok.calls(), 3);
    assert.deepEqual(clock.sleeps, [500, 1000]);

    const never = failingThen([transient(), transient(), transient(), transient()], 'never');
    await assert.rejects(scheduler.run('t', never.attempt), { kind: 'transient' });
    assert.equal(never.calls(), 3, 'first attempt plus two retries');
  });

  it('never retries a call that changes something (sending a message): it may already have happened', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, random: () => 1, maxRetries: 2 });
    const once = failingThen([transient()], 'sent twice');
    await assert.rejects(scheduler.run('t', once.attempt, undefined, false), { kind: 'transient' });
    assert.equal(once.calls(), 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('draws the jitter between half and all of the backoff', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, random: () => 0, baseDelayMs: 400 });
    await scheduler.run('t', failingThen([transient()], 1).attempt);
    assert.deepEqual(clock.sleeps, [200]);
  });

  it('honours Retry-After, and gives up when it is longer than the longest wait', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, random: () => 1, maxWaitMs: 30_000 });
    const short = new GraphError({ kind: 'transient', httpStatus: 503, message: 'busy', retryAfterMs: 5000 });
    await scheduler.run('t', failingThen([short], 1).attempt);
    assert.deepEqual(clock.sleeps, [5000]);
    const long = new GraphError({ kind: 'transient', httpStatus: 503, message: 'busy', retryAfterMs: 120_000 });
    const op = failingThen([long], 1);
    await assert.rejects(scheduler.run('t', op.attempt), { kind: 'transient' });
    assert.equal(op.calls(), 1);
  });

  it('never retries token, permission or request errors', async () => {
    const scheduler = new RequestScheduler({ clock: new FakeClock() });
    for (const kind of ['invalidToken', 'permission', 'badRequest', 'appSecretProof', 'notFound', 'malformed'] as const) {
      const op = failingThen([new GraphError({ kind, message: kind })], 1);
      await assert.rejects(scheduler.run('t', op.attempt), { kind });
      assert.equal(op.calls(), 1, kind);
    }
  });

  it('waits for estimated_time_to_regain_access and pauses every call with that token meanwhile', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, maxWaitMs: 30_000 });
    const limited = new GraphError({ kind: 'rateLimited', code: 80006, message: 'too many calls', retryAfterMs: 20_000 });
    assert.equal(await scheduler.run('page-token', failingThen([limited], 'ok').attempt), 'ok');
    assert.deepEqual(clock.sleeps, [20_000]);

    const long = new GraphError({ kind: 'rateLimited', code: 80006, message: 'too many calls', retryAfterMs: 600_000 });
    await assert.rejects(scheduler.run('page-token', failingThen([long], 'ok').attempt), { kind: 'rateLimited' });
    assert.ok(scheduler.pausedFor('page-token'));
    const blocked = failingThen([], 'ok');
    await assert.rejects(scheduler.run('page-token', blocked.attempt), /paused/);
    assert.equal(blocked.calls(), 0, 'no request while paused');
    assert.equal(await scheduler.run('other-page-token', failingThen([], 'other').attempt), 'other', 'other business objects go on');
    clock.time += 600_001;
    assert.equal(await scheduler.run('page-token', failingThen([], 'again').attempt), 'again');
  });

  it('pauses everything for app-level (4) and user-level (17) limits', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock });
    const app = new GraphError({ kind: 'rateLimited', code: 4, message: 'Application request limit reached', retryAfterMs: 3_600_000 });
    await assert.rejects(scheduler.run('a', failingThen([app], 1).attempt), { kind: 'rateLimited' });
    const other = failingThen([], 1);
    await assert.rejects(scheduler.run('b', other.attempt), /paused/);
    assert.equal(other.calls(), 0);
    scheduler.resume();
    assert.equal(await scheduler.run('b', failingThen([], 2).attempt), 2);
  });

  it('keeps at most the configured number of requests in flight, and one at a time above 75% usage', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, concurrency: 3 });
    let running = 0;
    let peak = 0;
    const slow = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return 1;
    };
    await Promise.all(Array.from({ length: 10 }, () => scheduler.run('t', slow)));
    assert.equal(peak, 3);
    scheduler.observe(usage(90));
    assert.equal(scheduler.usage, 90);
    peak = 0;
    await Promise.all(Array.from({ length: 5 }, () => scheduler.run('t', slow)));
    assert.equal(peak, 1);
    assert.ok(clock.sleeps.length >= 5 && clock.sleeps.every((ms) => ms === 1200), `spaced out: ${clock.sleeps.join(',')}`);
  });

  it('stops waiting when cancelled', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(scheduler.run('t', failingThen([transient()], 1).attempt, controller.signal), { kind: 'cancelled' });
  });
});
