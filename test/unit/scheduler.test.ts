import * as assert from 'node:assert/strict';
import { GraphError } from '../../src/core/graph/errors';
import { Clock, realClock, RequestScheduler } from '../../src/core/graph/scheduler';

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

// What mutation testing found the tests above did not pin (test/mutation/SURVIVORS.md).
describe('RequestScheduler: limits and counts', () => {
  it('says how many attempts a call made when it gives up after retrying, and none when it failed once', async () => {
    const scheduler = new RequestScheduler({ clock: new FakeClock(), random: () => 1, maxRetries: 2 });
    await assert.rejects(scheduler.run('t', failingThen([transient(), transient(), transient()], 1).attempt), { attempts: 3 });
    const once = (await scheduler
      .run('t', failingThen([new GraphError({ kind: 'notFound', message: 'x' })], 1).attempt)
      .catch((e: unknown) => e)) as GraphError;
    assert.equal(once.attempts, undefined);
  });

  it('caps the backoff at maxDelayMs and refuses a backoff longer than the longest wait', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, random: () => 1, baseDelayMs: 1000, maxDelayMs: 1500, maxRetries: 3 });
    await scheduler.run('t', failingThen([transient(), transient(), transient()], 1).attempt);
    assert.deepEqual(clock.sleeps, [1000, 1500, 1500]);

    const tight = new FakeClock();
    const short = new RequestScheduler({ clock: tight, random: () => 1, baseDelayMs: 1000, maxWaitMs: 999 });
    const op = failingThen([transient()], 1);
    await assert.rejects(short.run('t', op.attempt), { kind: 'transient' });
    assert.equal(op.calls(), 1);
    assert.deepEqual(tight.sleeps, []);
    const exact = new FakeClock();
    await new RequestScheduler({ clock: exact, random: () => 1, baseDelayMs: 1000, maxWaitMs: 1000 }).run(
      't',
      failingThen([transient()], 1).attempt,
    );
    assert.deepEqual(exact.sleeps, [1000], 'a wait of exactly maxWaitMs is still waited');
  });

  it('retries a rate-limited call once only, and not at all when Meta gives no time and the default pause is too long', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, maxWaitMs: 30_000 });
    const limited = () => new GraphError({ kind: 'rateLimited', code: 80006, message: 'limit', retryAfterMs: 1000 });
    const twice = failingThen([limited(), limited(), limited()], 'ok');
    await assert.rejects(scheduler.run('a', twice.attempt), { kind: 'rateLimited' });
    assert.equal(twice.calls(), 2);

    const unknown = new RequestScheduler({ clock: new FakeClock(), maxWaitMs: 30_000, defaultPauseMs: 60_000 });
    const noTime = failingThen([new GraphError({ kind: 'rateLimited', code: 32, message: 'limit' })], 'ok');
    await assert.rejects(unknown.run('b', noTime.attempt), { kind: 'rateLimited', code: 32 });
    assert.equal(noTime.calls(), 1);
    const pausedUntil = unknown.pausedFor('b');
    assert.ok(pausedUntil !== undefined && pausedUntil - 1_000_000 === 60_000, `paused for the default pause: ${pausedUntil}`);

    const fits = new FakeClock();
    const waits = new RequestScheduler({ clock: fits, maxWaitMs: 30_000, defaultPauseMs: 30_000 });
    assert.equal(
      await waits.run('c', failingThen([new GraphError({ kind: 'rateLimited', code: 32, message: 'limit' })], 'ok').attempt),
      'ok',
    );
    assert.deepEqual(fits.sleeps, [30_000]);
  });

  it('keeps the longer of two pauses, ends a pause at its last millisecond, and says until when calls are paused', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, maxWaitMs: 1000 });
    const limit = (ms: number) => new GraphError({ kind: 'rateLimited', code: 80006, message: 'limit', retryAfterMs: ms });
    // Two calls in flight with one token are both limited; the shorter answer, arriving last, must not shorten the pause.
    const later = (ms: number, delay: number) => () => new Promise<number>((_, reject) => setTimeout(() => reject(limit(ms)), delay));
    await Promise.all([assert.rejects(scheduler.run('k', later(50_000, 1))), assert.rejects(scheduler.run('k', later(10_000, 5)))]);
    assert.equal(scheduler.pausedFor('k'), 1_050_000);
    assert.equal(scheduler.pausedFor('other'), undefined);
    const refused = (await scheduler.run('k', failingThen([], 1).attempt).catch((e: unknown) => e)) as GraphError;
    assert.equal(refused.kind, 'rateLimited');
    assert.equal(refused.retryAfterMs, 50_000);
    assert.equal(refused.pausedUntil, 1_050_000);
    clock.time = 1_050_000;
    assert.equal(scheduler.pausedFor('k'), undefined, 'over at the instant it ends');
    clock.time = 1_049_000;
    assert.equal(scheduler.pausedFor('k'), 1_050_000);
    assert.equal(await scheduler.run('k', failingThen([], 'waited').attempt), 'waited', 'a pause of exactly maxWaitMs is waited out');
    assert.deepEqual(clock.sleeps, [1000]);
  });

  it('pauses only the token for limits other than 4 and 17', async () => {
    const scheduler = new RequestScheduler({ clock: new FakeClock(), maxWaitMs: 1000 });
    const page = new GraphError({ kind: 'rateLimited', code: 32, message: 'Page limit', retryAfterMs: 3_600_000 });
    await assert.rejects(scheduler.run('a', failingThen([page], 1).attempt));
    assert.equal(await scheduler.run('b', failingThen([], 2).attempt), 2);
    const user = new GraphError({ kind: 'rateLimited', code: 17, message: 'User limit', retryAfterMs: 3_600_000 });
    await assert.rejects(scheduler.run('c', failingThen([user], 1).attempt));
    assert.ok(scheduler.pausedFor('b'), 'code 17 pauses every token');
  });

  it('reports usage only from responses that carry it, and spaces calls by how far usage is above the threshold', async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock });
    const seen: number[] = [];
    scheduler.onDidChangeUsage((u) => seen.push(u));
    scheduler.observe({ business: [] });
    assert.deepEqual(seen, []);
    scheduler.observe({ page: { callCount: 10, totalTime: 0, totalCputime: 0 }, business: [] });
    scheduler.observe({ business: [{ businessObjectId: 'b', callCount: 20, totalTime: 0, totalCputime: 0 }] });
    assert.deepEqual(seen, [10, 20]);

    scheduler.observe(usage(75));
    await scheduler.run('t', failingThen([], 1).attempt);
    assert.deepEqual(clock.sleeps, [], 'at the threshold: not slowed');
    scheduler.observe(usage(100));
    await scheduler.run('t', failingThen([], 1).attempt);
    assert.deepEqual(clock.sleeps, [2000]);
    const over = new RequestScheduler({ clock, slowDownAbove: 10 });
    over.observe(usage(80));
    await over.run('t', failingThen([], 1).attempt);
    assert.deepEqual(clock.sleeps, [2000, 2000], 'never more than 2 s apart');
    assert.equal(over.maxInFlight, 1);
  });

  it('lets a cancelled caller leave the queue without taking a turn, and frees its slot when cancelled while spaced out', async () => {
    const scheduler = new RequestScheduler({ clock: new FakeClock(), concurrency: 1 });
    let release!: () => void;
    const first = scheduler.run('t', () => new Promise<number>((r) => (release = () => r(1))));
    const controller = new AbortController();
    const waiting = scheduler.run('t', failingThen([], 2).attempt, controller.signal);
    const third = scheduler.run('t', failingThen([], 3).attempt);
    await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    await assert.rejects(waiting, { kind: 'cancelled' });
    release();
    assert.deepEqual(await Promise.all([first, third]), [1, 3]);

    const busy = new RequestScheduler({ clock: new FakeClock(), concurrency: 1 });
    let done!: () => void;
    const holder = busy.run('t', () => new Promise<number>((r) => (done = () => r(1))));
    const late = new AbortController();
    const queued = failingThen([], 2);
    const cancelledEarly = busy.run('t', queued.attempt, late.signal);
    late.abort(); // after the call's own check, before it asks for a slot
    await assert.rejects(cancelledEarly, { kind: 'cancelled' });
    done();
    assert.equal(await holder, 1);
    assert.equal(queued.calls(), 0);

    const aborting: Clock = { now: () => 0, sleep: () => Promise.reject(new GraphError({ kind: 'cancelled', message: 'x' })) };
    const spaced = new RequestScheduler({ clock: aborting, concurrency: 1 });
    spaced.observe(usage(90));
    await assert.rejects(spaced.run('t', failingThen([], 1).attempt), { kind: 'cancelled' });
    spaced.observe(usage(0));
    assert.equal(await spaced.run('t', failingThen([], 'slot freed').attempt), 'slot freed');
  });
});

describe('RequestScheduler: cancelled before it starts', () => {
  it('sends nothing for a call cancelled before it ran, even with a free slot', async () => {
    const controller = new AbortController();
    controller.abort();
    const op = failingThen([], 1);
    await assert.rejects(new RequestScheduler({ clock: new FakeClock() }).run('t', op.attempt, controller.signal), { kind: 'cancelled' });
    assert.equal(op.calls(), 0);
  });
});

describe('realClock', () => {
  it('sleeps, and rejects as cancelled when aborted before or during the sleep', async () => {
    const started = Date.now();
    await realClock.sleep(20);
    assert.ok(Date.now() - started >= 15);
    const before = new AbortController();
    before.abort();
    await assert.rejects(realClock.sleep(10, before.signal), { kind: 'cancelled' });
    const during = new AbortController();
    const sleeping = realClock.sleep(10_000, during.signal);
    during.abort();
    await assert.rejects(sleeping, { kind: 'cancelled' });
    assert.ok(Math.abs(realClock.now() - Date.now()) < 5);
  });
});
