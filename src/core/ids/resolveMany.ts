import { mapLimit } from '../concurrency';
import { GraphClient, LinkedIdsAsk, ThreadParticipants } from '../graph/client';
import { GraphError, GraphErrorKind } from '../graph/errors';
import { Credentials } from '../graph/transport';
import { realClock } from '../graph/scheduler';
import { OwnerHint } from './extract';
import { mostMeaningful, notInstalled, Owner, Resolution, ResolveFilter, UnresolvedError } from './resolve';

/** IDs per `?ids=` question and questions per batch: Meta's limit for both. */
const CHUNK = 50;
/**
 * Threads per listing call when looking for the owners of IDs the file says nothing about: the
 * conversations edge's reported maximum (reference A3); a host that clamps lower just takes more pages.
 */
const LISTING_LIMIT = 200;
/** Listing pays off only for this many IDs without an owner, and only with more than one Page to choose from. */
const DISCOVERY_MIN_IDS = 20;
/** Share of the IDs that finding owners may cost in calls (listings and existence checks). */
const DISCOVERY_SHARE = 0.02;

export interface PacingOptions {
  /** Above this usage (percent, from the usage headers), an account gets one request at a time, spaced out. */
  readonly slowDownAbove?: number;
  /** No request goes out that would take an account's usage above this; its remaining IDs are left unasked. */
  readonly stopAbove?: number;
  /** Spacing per percent above `slowDownAbove`, and its ceiling. */
  readonly delayPerPercentMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ResolveManyOptions {
  readonly filter?: ResolveFilter;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly nowMs?: () => number;
  /** Called as IDs are settled, with how many of the total are done. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * The account each ID belongs to, when known: from the file (`findIdsWithOwners`), the cache's
   * last owner, or the thread the ID came from. A certain hint is the only account asked.
   */
  readonly hints?: ReadonlyMap<string, OwnerHint>;
  /** Resolutions already known (the cache): these IDs cost nothing. */
  readonly cached?: (id: string) => Resolution | undefined;
  /** Look through the Pages' newest threads for the owners of IDs without a hint (default true). */
  readonly discover?: boolean;
  readonly pacing?: PacingOptions;
  /** What the run did, for logs and the benchmark. */
  readonly onReport?: (report: ResolveManyReport) => void;
}

export interface ResolveManyReport {
  /** Calls spent finding owners: thread listings and existence checks. */
  readonly discoveryCalls: number;
  readonly discoveryRequests: number;
  /** Highest usage percentage any account reported. */
  readonly peakUsage: number;
  /** Accounts that were not asked any more because their usage neared the limit. */
  readonly stoppedAccounts: string[];
}

type Call = <T>(owner: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>) => Promise<T>;

/** Failures that mean "not this account's ID": an ID without a certain owner goes on to the next account. */
const TRY_NEXT: readonly GraphErrorKind[] = ['notFound', 'badRequest', 'businessReview', 'permission', 'appSecretProof', 'invalidToken'];
/** Failures of one question worth asking again once (Meta's batch answers `null` for an item that timed out). */
const RETRY_ONCE: readonly GraphErrorKind[] = ['transient', 'timeout', 'network'];
/** Failures that end the whole run. */
const FATAL: readonly GraphErrorKind[] = ['cancelled', 'hostRefused'];

/** An account IDs can be asked with, and how much of its rate budget it has used. */
class Account {
  /** IDs waiting to be asked with the combined query. */
  readonly ask: Job[] = [];
  /** People who never used this Page's app: waiting for the ids_for_pages-only question. */
  readonly fallback: Job[] = [];
  /** IDs this account owns so far (hints, threads, answers): the order unhinted IDs try accounts in. */
  weight = 0;
  usage = 0;
  private first?: { calls: number; usage: number };
  private slope?: number;
  /** Calls answered and calls in flight. */
  answeredCalls = 0;
  inFlightCalls = 0;
  inFlight = 0;
  stopped?: GraphError;
  private readonly idle: (() => void)[] = [];

  constructor(
    readonly owner: Owner,
    readonly index: number,
  ) {}

  get key(): string {
    return `${this.owner.kind}:${this.owner.account.id}`;
  }

  get via(): Resolution['via'] {
    return { kind: this.owner.kind, id: this.owner.account.id, name: this.owner.account.name };
  }

  /** Records a response's usage after `calls` more calls were answered; learns percent per call. */
  observe(calls: number, usage: number | undefined): void {
    this.answeredCalls += calls;
    if (usage === undefined) {
      return;
    }
    this.usage = usage;
    if (!this.first) {
      this.first = { calls: this.answeredCalls, usage };
    } else if (usage - this.first.usage >= 2 && this.answeredCalls > this.first.calls) {
      this.slope = (usage - this.first.usage) / (this.answeredCalls - this.first.calls);
    }
  }

  /** Usage once the calls in flight and `calls` more are counted. Before the slope is known, usage per call so far is the (pessimistic) guess. */
  predicted(calls: number): number {
    const slope = this.slope ?? (this.usage > 0 && this.answeredCalls > 0 ? this.usage / this.answeredCalls : 0);
    return this.usage + slope * (this.inFlightCalls + calls);
  }

  started(calls: number): void {
    this.inFlight++;
    this.inFlightCalls += calls;
  }

  finished(calls: number): void {
    this.inFlight--;
    this.inFlightCalls -= calls;
    this.idle.splice(0).forEach((wake) => wake());
  }

  whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}

interface Job {
  readonly id: string;
  /** Accounts still to try, in order; the first is asked next. */
  readonly candidates: Account[];
  readonly certain: boolean;
  readonly failures: GraphError[];
  probed: boolean;
  retried: boolean;
  /** Its `?ids=` fallback question failed with others: asked on its own. */
  alone: boolean;
  /** Accounts it was asked of. */
  readonly asked: Set<string>;
}

type Task =
  | { readonly kind: 'ask' | 'fallback'; readonly account: Account; readonly jobs: Job[] }
  | { readonly kind: 'probe'; readonly account: Account; readonly jobs: Job[] };

/**
 * Resolves many IDs spending as few of Meta's calls as possible (each `?ids=` ID and each batch
 * item is one call):
 * - each ID is asked once, of the account it belongs to: the one its hint names (the webhook event's
 *   Page, the cache's last owner), or found in the Pages' newest threads (one call per 200
 *   threads), or else the account that owns the most IDs so far;
 * - the combined query goes one ID per batch item (50 per request), so an ID that fails (someone who
 *   never used the Page's app, a deleted ID, another Page's) fails alone, never its chunk;
 * - people who never used the Page's app get the ids_for_pages-only question, 50 per `?ids=`;
 * - an ID without a certain owner that no account could see is checked for existence once before
 *   the remaining accounts are tried;
 * - requests are paced by the usage headers: one at a time per account above `slowDownAbove`, and
 *   none that would take an account over `stopAbove`.
 */
export async function resolveMany(
  call: Call,
  ids: readonly string[],
  owners: readonly Owner[],
  options: ResolveManyOptions = {},
): Promise<Map<string, Resolution | UnresolvedError>> {
  const distinct = [...new Set(ids)];
  const results = new Map<string, Resolution | UnresolvedError>();
  const now = options.nowMs ?? (() => Date.now());
  const accounts = owners.map((owner, i) => new Account(owner, i));
  const byId = new Map<string, Account>();
  for (const a of accounts) {
    byId.set(a.owner.account.id, a);
    if (a.owner.kind === 'page' && a.owner.account.instagram) {
      byId.set(a.owner.account.instagram.id, a);
    }
  }
  const pacing = {
    slowDownAbove: 60,
    stopAbove: 90,
    delayPerPercentMs: 80,
    maxDelayMs: 2000,
    sleep: (ms: number, signal?: AbortSignal) => realClock.sleep(ms, signal),
    ...options.pacing,
  };
  const report = { discoveryCalls: 0, discoveryRequests: 0 };
  const settle = (id: string, value: Resolution | UnresolvedError) => {
    if (!results.has(id)) {
      results.set(id, value);
      options.onProgress?.(results.size, distinct.length);
    }
  };
  const fail = (job: Job, reason?: GraphError) =>
    settle(job.id, new UnresolvedError(job.id, job.asked.size, mostMeaningful(reason ? [...job.failures, reason] : job.failures)));

  // 0 calls: the connected accounts' own IDs, and the cache.
  const unhinted: Job[] = [];
  for (const id of distinct) {
    const own = byId.get(id);
    if (own) {
      settle(
        id,
        new UnresolvedError(
          id,
          0,
          new GraphError({
            kind: 'badRequest',
            message: `${id} is ${ownAccountPhrase(own.owner, id)} ${own.owner.account.name}, not a person's ID.`,
          }),
        ),
      );
      continue;
    }
    const cached = options.cached?.(id);
    if (cached) {
      settle(id, cached);
      continue;
    }
    const hint = options.hints?.get(id);
    const hinted = hint ? byId.get(hint.id) : undefined;
    if (hinted && hint) {
      hinted.weight++;
      const job: Job = {
        id,
        candidates: hint.certain ? [hinted] : [hinted, ...accounts.filter((a) => a !== hinted)],
        certain: hint.certain,
        failures: [],
        probed: false,
        retried: false,
        alone: false,
        asked: new Set<string>(),
      };
      hinted.ask.push(job);
    } else {
      unhinted.push({
        id,
        candidates: [],
        certain: false,
        failures: [],
        probed: false,
        retried: false,
        alone: false,
        asked: new Set<string>(),
      });
    }
  }

  const pages = accounts.filter((a) => a.owner.kind === 'page');
  if (unhinted.length >= DISCOVERY_MIN_IDS && pages.length > 1 && options.discover !== false) {
    // At least one listing per Page and Instagram account: with many Pages, discovery grows by one call per inbox.
    const inboxes = pages.length + pages.filter((a) => a.owner.kind === 'page' && a.owner.account.instagram).length;
    const found = await discover(
      call,
      pages,
      unhinted.map((j) => j.id),
      Math.max(inboxes, Math.floor(distinct.length * DISCOVERY_SHARE)),
      report,
      options.signal,
    );
    for (const job of unhinted.splice(0)) {
      const owner = found.get(job.id);
      if (owner) {
        owner.weight++;
        owner.ask.push({ ...job, candidates: [owner], certain: true });
      } else {
        unhinted.push(job);
      }
    }
  }
  // The rest try the accounts that own the most IDs first (Pages before apps on a tie, as given).
  const order = [...accounts].sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const job of unhinted) {
    const first = order[0];
    if (!first) {
      fail(job);
      continue;
    }
    first.ask.push({ ...job, candidates: [...order] });
  }

  let probes: Job[] = [];
  for (;;) {
    if (options.signal?.aborted) {
      throw new GraphError({ kind: 'cancelled', message: 'The request was cancelled.' });
    }
    const tasks: Task[] = [];
    for (const a of accounts) {
      const askJobs = a.ask.splice(0);
      const chunks = Math.ceil(askJobs.length / CHUNK);
      for (let c = 0; c < chunks; c++) {
        // Even chunks: 120 IDs go as 40+40+40, not 50+50+20.
        tasks.push({
          kind: 'ask',
          account: a,
          jobs: askJobs.slice(Math.floor((c * askJobs.length) / chunks), Math.floor(((c + 1) * askJobs.length) / chunks)),
        });
      }
      const fallbackJobs = a.fallback.splice(0);
      for (let start = 0; start < fallbackJobs.length;) {
        // One request carries up to 50 questions of up to 50 IDs each.
        const take: Job[] = [];
        let questions = 0;
        let grouped = 0;
        while (start < fallbackJobs.length) {
          const job = fallbackJobs[start];
          // A grouped ID opens a question every 50; the 50th question is filled before the request is full.
          const opensQuestion = job.alone || grouped % CHUNK === 0;
          if (opensQuestion && questions === CHUNK) {
            break;
          }
          if (opensQuestion) {
            questions++;
          }
          if (!job.alone) {
            grouped++;
          }
          take.push(job);
          start++;
        }
        tasks.push({ kind: 'fallback', account: a, jobs: take });
      }
    }
    if (probes.length > 0) {
      const probeAccount = [...accounts].filter((a) => !a.stopped).sort((a, b) => a.usage - b.usage || a.index - b.index)[0];
      for (let start = 0; start < probes.length; start += CHUNK) {
        if (probeAccount) {
          tasks.push({ kind: 'probe', account: probeAccount, jobs: probes.slice(start, start + CHUNK) });
        } else {
          probes.slice(start, start + CHUNK).forEach((job) => next(job));
        }
      }
      probes = [];
    }
    if (tasks.length === 0) {
      if (accounts.some((a) => a.ask.length > 0 || a.fallback.length > 0)) {
        continue;
      }
      break;
    }
    // The biggest first, so the round ends sooner.
    tasks.sort((x, y) => y.jobs.length - x.jobs.length);
    await mapLimit(tasks, options.concurrency ?? 4, (task) => run(task), options.signal);
  }
  if (options.signal?.aborted) {
    throw new GraphError({ kind: 'cancelled', message: 'The request was cancelled.' });
  }
  options.onReport?.({
    ...report,
    peakUsage: Math.max(0, ...accounts.map((a) => a.usage)),
    stoppedAccounts: accounts.filter((a) => a.stopped).map((a) => a.key),
  });
  // In the order of the file.
  return new Map(distinct.map((id) => [id, results.get(id) ?? new UnresolvedError(id, 0, undefined)]));

  /** The job goes on to its next account, or is settled when none is left. */
  function next(job: Job): void {
    job.candidates.shift();
    const to = job.candidates[0];
    if (job.certain || !to) {
      fail(job);
    } else {
      to.ask.push(job);
    }
  }

  function failed(job: Job, account: Account, error: GraphError): void {
    if (RETRY_ONCE.includes(error.kind) && !job.retried) {
      job.retried = true;
      account.ask.push(job);
      return;
    }
    job.failures.push(error);
    if (!TRY_NEXT.includes(error.kind)) {
      // Not about which account owns the ID (a timeout, a bad answer, a rate limit): tell it, do not multiply it.
      fail(job);
      return;
    }
    if (!job.certain && !job.probed && error.kind === 'notFound' && job.candidates.length > 2) {
      job.probed = true;
      probes.push(job);
      return;
    }
    next(job);
  }

  async function run(task: Task): Promise<void> {
    const { account } = task;
    const calls = task.jobs.length;
    const asks: LinkedIdsAsk[] = task.kind === 'fallback' ? fallbackAsks(task.jobs) : task.jobs.map((j) => ({ ids: [j.id] }));
    if (
      task.jobs.length > 1 &&
      !account.stopped &&
      account.predicted(calls) > pacing.stopAbove &&
      account.predicted(1) <= pacing.stopAbove
    ) {
      // Near the limit: send the half that may still fit, then the other half, rather than none of it.
      const half = Math.ceil(task.jobs.length / 2);
      await run({ ...task, jobs: task.jobs.slice(0, half) });
      await run({ ...task, jobs: task.jobs.slice(half) });
      return;
    }
    if (!(await paced(account, calls))) {
      task.jobs.forEach((job) => fail(job, account.stopped));
      return;
    }
    task.jobs.forEach((job) => job.asked.add(account.key));
    try {
      if (task.kind === 'probe') {
        const answer = await call(account.owner, (client, creds) =>
          client.missingIds(
            creds,
            task.jobs.map((j) => j.id),
            options.signal,
          ),
        ).catch(unlessFatal);
        report.discoveryCalls += calls;
        report.discoveryRequests++;
        if (answer instanceof GraphError) {
          noteFailedRequest(account, calls, answer);
          // The check only saves calls: without its answer, each ID goes on to the next account.
          task.jobs.forEach((job) => next(job));
          return;
        }
        account.observe(calls, answer.usage);
        for (const job of task.jobs) {
          if (answer.missing?.has(job.id)) {
            // Deleted or never existed: every account would say what the first one said.
            fail(job);
          } else {
            next(job);
          }
        }
        return;
      }
      const answer = await call(account.owner, (client, creds) => client.linkedIdsAsk(creds, asks, options.filter, options.signal)).catch(
        unlessFatal,
      );
      if (answer instanceof GraphError) {
        noteFailedRequest(account, calls, answer);
        // The request failed as a whole: each ID keeps the reason, nothing is re-asked elsewhere blindly.
        task.jobs.forEach((job) => (task.kind === 'fallback' ? fail(job, answer) : failed(job, account, answer)));
        return;
      }
      account.observe(calls, answer.usage);
      for (const job of task.jobs) {
        const value =
          answer.results.get(job.id) ?? new GraphError({ kind: 'notFound', message: `${job.id} is missing from the response.` });
        if (!(value instanceof GraphError)) {
          settle(job.id, { ...value, via: account.via, resolvedAt: now() });
        } else if (task.kind === 'fallback') {
          const question = asks.find((q) => q.ids.includes(job.id));
          if (question && question.ids.length > 1 && !job.alone && value.kind !== 'rateLimited') {
            // A `?ids=` question fails as a whole: each of its IDs is asked once more on its own.
            job.alone = true;
            account.fallback.push(job);
          } else {
            fail(job, value);
          }
        } else if (account.owner.kind === 'page' && notInstalled(value)) {
          // The person never used this Page's app: the ID is this Page's, its other Pages still link.
          account.fallback.push(job);
        } else {
          if (value.kind === 'rateLimited') {
            account.stopped = value;
          }
          failed(job, account, value);
        }
      }
    } finally {
      account.finished(calls);
    }
  }

  /**
   * Reserves a request of `calls` calls with the account: at once while its usage is low; above
   * `slowDownAbove`, one request at a time, spaced out; never one that would take it past `stopAbove`
   * (false, and the account is stopped).
   */
  async function paced(account: Account, calls: number): Promise<boolean> {
    for (;;) {
      if (account.stopped) {
        return false;
      }
      if (account.predicted(calls) > pacing.stopAbove) {
        account.stopped = new GraphError({
          kind: 'rateLimited',
          message: `Not asked: ${account.owner.account.name} has used ${Math.round(account.usage)}% of its rate limit, and these ${calls} calls could take it past ${pacing.stopAbove}%. Try again when its usage has come down.`,
        });
        return false;
      }
      if (account.predicted(calls) <= pacing.slowDownAbove) {
        account.started(calls);
        return true;
      }
      if (account.inFlight > 0) {
        await account.whenIdle();
        continue;
      }
      const delay = Math.min(pacing.maxDelayMs, (account.predicted(calls) - pacing.slowDownAbove) * pacing.delayPerPercentMs);
      account.started(0);
      try {
        await pacing.sleep(delay, options.signal);
      } finally {
        account.finished(0);
      }
      if (account.inFlight === 0 && !account.stopped && account.predicted(calls) <= pacing.stopAbove) {
        account.started(calls);
        return true;
      }
    }
  }
}

/** Rethrows a failure that ends the whole run; any other Graph failure comes back, to be handled per request. */
function unlessFatal(error: unknown): GraphError {
  if (!(error instanceof GraphError) || FATAL.includes(error.kind)) {
    throw error;
  }
  return error;
}

/** A request that failed as a whole still reports the account's usage, and a rate limit stops the account. */
function noteFailedRequest(account: Account, calls: number, error: GraphError): void {
  account.observe(calls, error.usage ? Math.max(account.usage, usagePeak(error)) : undefined);
  if (error.kind === 'rateLimited') {
    account.stopped = error;
  }
}

/** Fallback questions: the IDs 50 per `?ids=`, the ones whose group failed each on its own. */
function fallbackAsks(jobs: readonly Job[]): LinkedIdsAsk[] {
  const asks: LinkedIdsAsk[] = [];
  const grouped = jobs.filter((j) => !j.alone).map((j) => j.id);
  for (let i = 0; i < grouped.length; i += CHUNK) {
    asks.push({ ids: grouped.slice(i, i + CHUNK), pagesOnly: true });
  }
  for (const job of jobs.filter((j) => j.alone)) {
    asks.push({ ids: [job.id], pagesOnly: true });
  }
  return asks;
}

function usagePeak(error: GraphError): number {
  const u = error.usage;
  if (!u) {
    return 0;
  }
  return Math.max(
    0,
    ...[u.app, u.page, ...u.business].filter((f) => f !== undefined).map((f) => Math.max(f.callCount, f.totalTime, f.totalCputime)),
  );
}

/**
 * Finds the Page (or Instagram account) of IDs without a hint by listing the Pages' threads, newest
 * first, with only their participants: the people in a log are the ones who wrote lately, so their
 * threads are on top. Each Page and platform is listed while its last page still held IDs of the
 * file at its end, within `budget` calls in all.
 */
async function discover(
  call: Call,
  pages: readonly Account[],
  ids: readonly string[],
  budget: number,
  report: { discoveryCalls: number; discoveryRequests: number },
  signal?: AbortSignal,
): Promise<Map<string, Account>> {
  const wanted = new Set(ids);
  const found = new Map<string, Account>();
  type Stream = { account: Account; platform: 'messenger' | 'instagram'; after?: string; done: boolean };
  const streams: Stream[] = pages.flatMap((account): Stream[] => [
    { account, platform: 'messenger', done: false },
    ...(account.owner.kind === 'page' && account.owner.account.instagram ? [{ account, platform: 'instagram' as const, done: false }] : []),
  ]);
  let spent = 0;
  while (spent < budget && found.size < wanted.size) {
    const round = streams.filter((s) => !s.done).slice(0, budget - spent);
    if (round.length === 0) {
      break;
    }
    spent += round.length;
    await Promise.all(
      round.map(async (stream) => {
        let page: ThreadParticipants;
        try {
          page = await call(stream.account.owner, (client, creds) =>
            client.threadParticipants(creds, stream.account.owner.account.id, stream.platform, {
              limit: LISTING_LIMIT,
              after: stream.after,
              signal,
            }),
          );
        } catch (error) {
          if (error instanceof GraphError && FATAL.includes(error.kind)) {
            throw error;
          }
          // No access to this Page's threads (or Instagram): its IDs are found by trying instead.
          stream.done = true;
          report.discoveryCalls++;
          report.discoveryRequests++;
          return;
        }
        report.discoveryCalls++;
        report.discoveryRequests++;
        stream.account.observe(1, page.usage);
        let lastHit = -1;
        page.threads.forEach((participants, i) => {
          for (const id of participants) {
            if (wanted.has(id) && !found.has(id)) {
              found.set(id, stream.account);
              lastHit = i;
            } else if (wanted.has(id)) {
              lastHit = i;
            }
          }
        });
        // The file's people sit on top of the list: once the last tenth of a page holds none of them, stop.
        const tail = Math.max(1, Math.ceil(page.threads.length / 10));
        stream.after = page.after;
        stream.done = page.after === undefined || lastHit < page.threads.length - tail;
      }),
    );
  }
  return found;
}

/** What one of the connected accounts' own IDs is: the app, the Page, or the Page's Instagram account. */
function ownAccountPhrase(owner: Owner, id: string): string {
  if (owner.kind === 'app') {
    return 'the app';
  }
  return owner.account.id === id ? 'the Page' : 'the Instagram account of';
}
