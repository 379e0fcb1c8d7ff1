import * as assert from 'node:assert/strict';
import { PageAccount } from '../../src/core/accounts/accounts';
import { GraphClient, LinkedIds, LinkedIdsAnswer, LinkedIdsAsk, ThreadParticipants } from '../../src/core/graph/client';
import { GraphError } from '../../src/core/graph/errors';
import { Credentials } from '../../src/core/graph/transport';
import { OwnerHint } from '../../src/core/ids/extract';
import { candidateOwners, Owner, Resolution, UnresolvedError } from '../../src/core/ids/resolve';
import { resolveMany, ResolveManyOptions, ResolveManyReport } from '../../src/core/ids/resolveMany';
import { app, inboxPage, page, notFound, notInstalledError } from './support/accountFixtures';

// How resolveMany spends its requests: pacing near the rate limit, failures of whole requests and
// of fallback questions, and the thread listings that find owners. The Graph here is scripted per ID.

const rateLimited = () => new GraphError({ kind: 'rateLimited', code: 4, message: '(#4) Application request limit reached' });

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);

interface Request {
  readonly owner: string;
  readonly kind: 'ask' | 'probe' | 'list';
  readonly asks?: LinkedIdsAsk[];
  readonly ids?: readonly string[];
  readonly stream?: string;
}

/** What an item answers: its linked IDs, an error, or nothing (left out of the response). */
type Item = LinkedIds | GraphError | undefined;

const linked = (id: string, owner: Owner): LinkedIds => ({
  id,
  idsForApps: [],
  idsForPages: [{ id, page: { id: owner.account.id, name: owner.account.name } }],
});

/** A Graph whose every answer the test scripts; by default each ID is its `people` owner's. */
class ScriptedGraph {
  readonly requests: Request[] = [];
  readonly callsBy = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  finished = 0;
  private readonly waiting: { n: number; wake: () => void }[] = [];
  /** Usage percent a response reports; by default none. */
  usage: (owner: string, request: Request) => number | undefined = () => undefined;
  /** Thrown for a whole `?ids=` request. */
  requestError: (owner: string, request: Request) => GraphError | undefined = () => undefined;
  item: (owner: Owner, id: string, pagesOnly: boolean) => Item = (owner, id) =>
    this.people.get(id) === owner.account.id ? linked(id, owner) : notFound(id);
  /** Threads per stream (`pageId:platform`), listed `pageSize` at a time. */
  readonly threads = new Map<string, string[][]>();
  readonly listingError = new Map<string, GraphError>();
  pageSize = 100;

  constructor(readonly people: Map<string, string> = new Map()) {}

  /** Usage as calls charged to the account: a budget of 100 calls. */
  usageByCalls(): void {
    this.usage = (owner) => this.callsBy.get(owner) ?? 0;
  }

  /** Resolves once `n` requests have been answered. */
  whenFinished(n: number): Promise<void> {
    return this.finished >= n ? Promise.resolve() : new Promise((wake) => this.waiting.push({ n, wake }));
  }

  listings(stream: string): number {
    return this.requests.filter((r) => r.kind === 'list' && r.stream === stream).length;
  }

  /** Fallback (`pagesOnly`) questions, in order. */
  fallbackQuestions(): LinkedIdsAsk[] {
    return this.requests.flatMap((r) => (r.asks ?? []).filter((q) => q.pagesOnly));
  }

  call = async <T>(owner: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>): Promise<T> => {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 1));
      return await work(this.client(owner), { accessToken: 'token' });
    } finally {
      this.inFlight--;
      this.finished++;
      this.waiting.filter((w) => w.n <= this.finished).forEach((w) => w.wake());
    }
  };

  private charge(owner: string, calls: number): void {
    this.callsBy.set(owner, (this.callsBy.get(owner) ?? 0) + calls);
  }

  private client(owner: Owner): GraphClient {
    const key = owner.account.id;
    const fake = {
      linkedIdsAsk: async (_c: Credentials, asks: readonly LinkedIdsAsk[]): Promise<LinkedIdsAnswer> => {
        await Promise.resolve();
        const request: Request = { owner: key, kind: 'ask', asks: [...asks] };
        this.requests.push(request);
        this.charge(
          key,
          asks.reduce((n, a) => n + a.ids.length, 0),
        );
        const failure = this.requestError(key, request);
        if (failure) {
          throw failure;
        }
        const results = new Map<string, LinkedIds | GraphError>();
        for (const ask of asks) {
          const answers = ask.ids.map((id) => this.item(owner, id, ask.pagesOnly ?? false));
          // An `?ids=` question fails as a whole.
          const failed = ask.ids.length > 1 ? answers.find((a): a is GraphError => a instanceof GraphError) : undefined;
          ask.ids.forEach((id, i) => {
            const answer = failed ?? answers[i];
            if (answer) {
              results.set(id, answer);
            }
          });
        }
        return { results, usage: this.usage(key, request) };
      },
      missingIds: async (_c: Credentials, list: readonly string[]) => {
        await Promise.resolve();
        const request: Request = { owner: key, kind: 'probe', ids: [...list] };
        this.requests.push(request);
        this.charge(key, list.length);
        return { missing: new Set(list.filter((id) => !this.people.has(id))), usage: this.usage(key, request) };
      },
      threadParticipants: async (
        _c: Credentials,
        pageId: string,
        platform: string,
        options: { after?: string },
      ): Promise<ThreadParticipants> => {
        await Promise.resolve();
        const stream = `${pageId}:${platform}`;
        const request: Request = { owner: key, kind: 'list', stream };
        this.requests.push(request);
        this.charge(key, 1);
        const failure = this.listingError.get(stream);
        if (failure) {
          throw failure;
        }
        return { ...inboxPage(this.threads.get(stream) ?? [], options.after, this.pageSize), usage: this.usage(key, request) };
      },
    };
    return fake as unknown as GraphClient;
  }
}

const certain = (list: readonly string[], owner: { id: string }) =>
  new Map(list.map((id): [string, OwnerHint] => [id, { id: owner.id, certain: true }]));

async function resolve(graph: ScriptedGraph, owners: readonly Owner[], list: readonly string[], options: ResolveManyOptions = {}) {
  let report: ResolveManyReport | undefined;
  const results = await resolveMany(graph.call, list, owners, { concurrency: 1, ...options, onReport: (r) => (report = r) });
  return { results, report: report as ResolveManyReport };
}

const resolved = (results: Map<string, Resolution | UnresolvedError>) =>
  [...results.values()].filter((r) => !(r instanceof UnresolvedError));
const unresolved = (results: Map<string, Resolution | UnresolvedError>) =>
  [...results.values()].filter((r): r is UnresolvedError => r instanceof UnresolvedError);

/** A sleep that records its delays and refuses to pace forever. */
function recordingSleep(): { slept: number[]; sleep: (ms: number) => Promise<void> } {
  const slept: number[] = [];
  return {
    slept,
    sleep: (ms) => {
      slept.push(ms);
      return slept.length > 50 ? Promise.reject(new Error('pacing never ends')) : Promise.resolve();
    },
  };
}

describe('resolveMany: pacing near the rate limit', () => {
  const p1 = page(1);
  const owners = candidateOwners([p1], []);

  it('near the stop usage, sends the halves that still fit, up to exactly the stop usage, spaced 80 ms per percent above the slow-down usage', async () => {
    const list = ids('51', 91);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.usageByCalls();
    const { slept, sleep } = recordingSleep();
    const { results, report } = await resolve(graph, owners, list, { hints: certain(list, p1), pacing: { sleep } });
    // 46 at 0 %, then the other 45 would reach 91 %: 23, 11, 6, 3, and the last 1 that reaches 90 % exactly.
    assert.deepEqual(
      graph.requests.map((r) => r.asks?.length),
      [46, 23, 11, 6, 3, 1],
    );
    assert.equal(new Set(graph.requests.flatMap((r) => r.asks ?? []).flatMap((q) => q.ids)).size, 90, 'no ID asked twice');
    assert.equal(resolved(results).length, 90);
    assert.equal(graph.callsBy.get(p1.id), 90, 'never past 90 %');
    assert.deepEqual(slept, [720, 1600, 2000, 2000, 2000], '(usage - 60) × 80 ms, at most 2 s');
    const [left] = unresolved(results);
    assert.equal(left?.reason?.kind, 'rateLimited');
    assert.equal(report.peakUsage, 90);
    assert.deepEqual(report.stoppedAccounts, [`page:${p1.id}`]);
  });

  it('a request that reaches the stop usage exactly goes out whole', async () => {
    const list = ids('52', 90);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.usageByCalls();
    const { slept, sleep } = recordingSleep();
    const { results } = await resolve(graph, owners, list, { hints: certain(list, p1), pacing: { sleep } });
    assert.deepEqual(
      graph.requests.map((r) => r.asks?.length),
      [45, 45],
    );
    assert.equal(resolved(results).length, 90);
    assert.deepEqual(slept, [2000]);
  });

  it('up to the slow-down usage, requests go out at once, without waiting', async () => {
    const list = ids('53', 60);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.usageByCalls();
    const { slept, sleep } = recordingSleep();
    const { results } = await resolve(graph, owners, list, { hints: certain(list, p1), pacing: { sleep } });
    assert.equal(resolved(results).length, 60);
    assert.deepEqual(slept, [], 'the second 30 reach 60 % exactly');
  });

  it('an account whose usage is already past the stop usage is asked nothing more, and each ID says why', async () => {
    const list = ids('54', 60);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    // Other tools share the app's budget: 95 % after the first request.
    graph.usage = () => 95;
    const { results, report } = await resolve(graph, owners, list, { hints: certain(list, p1), pacing: { sleep: async () => {} } });
    assert.equal(graph.requests.length, 1);
    const left = unresolved(results);
    assert.equal(left.length, 30);
    assert.ok(
      left.every(
        (r) =>
          r.message ===
          'Not asked: Page 1 has used 95% of its rate limit, and these 30 calls could take it past 90%. Try again when its usage has come down.',
      ),
      left[0]?.message,
    );
    assert.equal(report.peakUsage, 95);
  });

  /** 50 IDs: 30 time out once (asked again), 5 never used the app (the Page-only question), 15 answer at 50 %. */
  function halfwayWorld(list: readonly string[]): ScriptedGraph {
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.usageByCalls();
    const timedOut = new Set<string>();
    graph.item = (owner, id, pagesOnly) => {
      const i = list.indexOf(id);
      if (i < 30 && !timedOut.has(id)) {
        timedOut.add(id);
        return new GraphError({ kind: 'timeout', message: 'timed out' });
      }
      if (i >= 30 && i < 35 && !pagesOnly) {
        return notInstalledError();
      }
      return linked(id, owner);
    };
    return graph;
  }

  it('above the slow-down usage, a request waits for the one in flight even after its spacing', async () => {
    const list = ids('55', 50);
    const graph = halfwayWorld(list);
    // The retried 30 (80 %) wait their spacing while the 5 Page-only questions (55 %) go at once.
    const { results } = await resolve(graph, owners, list, {
      hints: certain(list, p1),
      concurrency: 2,
      pacing: { sleep: async () => {} },
    });
    assert.equal(resolved(results).length, 50);
    assert.equal(graph.maxInFlight, 1, 'one request at a time above 60 %');
  });

  it('a request that waited its spacing is not sent when the answers meanwhile took the usage past the stop usage', async () => {
    const list = ids('56', 50);
    const graph = halfwayWorld(list);
    const usageByCalls = graph.usage;
    graph.usage = (owner, request) => (request.asks?.some((q) => q.pagesOnly) ? 95 : usageByCalls(owner, request));
    // The spacing of the retried 30 ends after the Page-only question answered 95 %.
    const { results } = await resolve(graph, owners, list, {
      hints: certain(list, p1),
      concurrency: 2,
      pacing: {
        sleep: async () => {
          await graph.whenFinished(2);
          await new Promise((r) => setTimeout(r, 0));
        },
      },
    });
    assert.equal(graph.requests.length, 2);
    const left = unresolved(results);
    assert.equal(left.length, 30);
    assert.ok(left.every((r) => r.reason?.kind === 'rateLimited' && /^Not asked/.test(r.message)));
  });
});

describe('resolveMany: failures of whole requests and questions', () => {
  const p1 = page(1);
  const owners = candidateOwners([p1], []);

  it('a rate-limit answer to a request stops the account: its other requests are not sent', async () => {
    const list = ids('61', 100);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.requestError = () => rateLimited();
    const { results, report } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    assert.equal(graph.requests.length, 1);
    assert.ok(unresolved(results).every((r) => r.message === '(#4) Application request limit reached'));
    assert.equal(unresolved(results).length, 100);
    assert.deepEqual(report.stoppedAccounts, [`page:${p1.id}`]);
  });

  it('a host that refuses a request ends the whole run, instead of failing only its IDs', async () => {
    const list = ids('60', 10);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.requestError = () => new GraphError({ kind: 'hostRefused', message: 'not a Graph host' });
    await assert.rejects(
      resolve(graph, owners, list, { hints: certain(list, p1) }),
      (e: unknown) => e instanceof GraphError && e.kind === 'hostRefused',
    );
  });

  it('a rate-limit answer to one ID stops the account: its other requests are not sent', async () => {
    const list = ids('62', 100);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.item = (owner, id) => (id === list[0] || id === list[50] ? rateLimited() : linked(id, owner));
    const { results, report } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    assert.equal(graph.requests.length, 1);
    assert.equal(resolved(results).length, 49);
    assert.ok(unresolved(results).every((r) => r.reason?.kind === 'rateLimited'));
    assert.deepEqual(report.stoppedAccounts, [`page:${p1.id}`]);
  });

  it('IDs of a request that failed for a passing reason are asked once more, and the account is not stopped', async () => {
    const list = ids('63', 50);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    let failures = 1;
    graph.requestError = () => (failures-- > 0 ? new GraphError({ kind: 'transient', message: 'try again' }) : undefined);
    const { results, report } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    assert.equal(graph.requests.length, 2);
    assert.equal(resolved(results).length, 50);
    assert.deepEqual(report.stoppedAccounts, []);
  });

  it("a failed request's usage headers count: the highest of the app's, the Page's and the business figures", async () => {
    const list = ids('64', 10);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.requestError = () =>
      new GraphError({
        kind: 'malformed',
        message: 'garbled answer',
        usage: {
          app: { callCount: 30, totalTime: 95, totalCputime: 10 },
          page: { callCount: 20, totalTime: 20, totalCputime: 20 },
          business: [{ businessObjectId: 'b1', callCount: 40, totalTime: 41, totalCputime: 42 }],
        },
      });
    const { report } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    assert.equal(report.peakUsage, 95);
  });

  it('an ID the answer leaves out is told it is missing from the response', async () => {
    const list = ids('65', 3);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.item = (owner, id) => (id === list[1] ? undefined : linked(id, owner));
    const { results } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    const missing = results.get(list[1] ?? '');
    assert.ok(missing instanceof UnresolvedError);
    assert.equal(missing.message, `${list[1]} is missing from the response.`);
    assert.equal(missing.reason?.kind, 'notFound');
  });

  it('the Page-only questions go 50 IDs per ?ids=', async () => {
    const list = ids('66', 60);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.item = (owner, id, pagesOnly) => (pagesOnly ? linked(id, owner) : notInstalledError());
    const { results } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    assert.deepEqual(
      graph.fallbackQuestions().map((q) => q.ids.length),
      [50, 10],
    );
    assert.equal(resolved(results).length, 60);
  });

  it('a Page-only question that fails as a whole asks each ID alone once; one that fails alone is told, with no empty question sent', async () => {
    const list = ids('67', 3);
    const deleted = list[2] ?? '';
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.usageByCalls();
    graph.item = (owner, id, pagesOnly) => (!pagesOnly ? notInstalledError() : id === deleted ? notFound(id) : linked(id, owner));
    const { results } = await resolve(graph, owners, list, { hints: certain(list, p1), pacing: { sleep: async () => {} } });
    assert.deepEqual(
      graph.fallbackQuestions().map((q) => q.ids.length),
      [3, 1, 1, 1],
      'the group, then each alone',
    );
    assert.equal(resolved(results).length, 2);
    const gone = results.get(deleted);
    assert.ok(gone instanceof UnresolvedError);
    assert.equal(gone.reason?.kind, 'notFound');
    assert.equal(gone.tried, 1);
  });

  it("a single person's Page-only question that fails is not asked again", async () => {
    const list = ids('68', 1);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.item = (_owner, id, pagesOnly) => (pagesOnly ? notFound(id) : notInstalledError());
    const { results } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    assert.equal(graph.fallbackQuestions().length, 1);
    const r = results.get(list[0] ?? '');
    assert.ok(r instanceof UnresolvedError);
    assert.equal(r.reason?.kind, 'notFound');
  });

  it('a rate limit on a Page-only question is told to its IDs, not asked again one by one', async () => {
    const list = ids('69', 3);
    const graph = new ScriptedGraph(new Map(list.map((id) => [id, p1.id])));
    graph.item = (_owner, _id, pagesOnly) => (pagesOnly ? rateLimited() : notInstalledError());
    const { results } = await resolve(graph, owners, list, { hints: certain(list, p1) });
    assert.equal(graph.fallbackQuestions().length, 1);
    assert.ok(unresolved(results).length === 3 && unresolved(results).every((r) => r.reason?.kind === 'rateLimited'));
  });

  it("an app's (#10) not-installed answer sends the ID on to the next account, not to the Page-only question", async () => {
    const a1 = app(1);
    const id = '7000001';
    const graph = new ScriptedGraph(new Map([[id, p1.id]]));
    graph.item = (owner, asked) => (owner.kind === 'app' ? notInstalledError() : linked(asked, owner));
    const { results } = await resolve(graph, candidateOwners([p1], [a1]), [id], {
      hints: new Map([[id, { id: a1.id, certain: false }]]),
    });
    const r = results.get(id);
    assert.ok(r && !(r instanceof UnresolvedError) && r.via.id === p1.id);
    assert.equal(graph.fallbackQuestions().length, 0);
  });

  it('an existence check counts as one discovery request', async () => {
    const [p2, p3] = [page(2), page(3)];
    const graph = new ScriptedGraph();
    const { results, report } = await resolve(graph, candidateOwners([p1, p2, p3], []), ['7000002'], { discover: false });
    assert.equal(graph.requests.filter((r) => r.kind === 'probe').length, 1);
    assert.ok(results.get('7000002') instanceof UnresolvedError);
    assert.equal(report.discoveryCalls, 1);
    assert.equal(report.discoveryRequests, 1);
  });
});

describe("resolveMany: finding owners in the Pages' threads", () => {
  const [p1, p2, p3] = [page(1), page(2, '178410002'), page(3)];
  const m1 = `${p1.id}:messenger`;
  const m2 = `${p2.id}:messenger`;
  const m3 = `${p3.id}:messenger`;

  /** Threads of the given people with the Page. */
  const threadsOf = (people: readonly string[], with_: string) => people.map((id) => [id, with_]);
  /** `n` IDs, all owned by `owner`, so those found nowhere are answered by the Page tried first. */
  function world(list: readonly string[], owner: PageAccount, others: [readonly string[], PageAccount][] = []): ScriptedGraph {
    const people = new Map(list.map((id) => [id, owner.id]));
    others.forEach(([l, o]) => l.forEach((id) => people.set(id, o.id)));
    return new ScriptedGraph(people);
  }

  it("lists a Page's Instagram threads too, so their people are asked of that Page only", async () => {
    const fb = ids('71', 25);
    const ig = ids('72', 5);
    const graph = world(fb, p1, [[ig, p2]]);
    graph.threads.set(m1, threadsOf(fb, p1.id));
    graph.threads.set(`${p2.id}:instagram`, threadsOf(ig, '178410002'));
    const { results } = await resolve(graph, candidateOwners([p1, p2], []), [...fb, ...ig]);
    assert.equal(graph.listings(`${p2.id}:instagram`), 1);
    assert.equal(resolved(results).length, 30);
    const asks = graph.requests.filter((r) => r.kind === 'ask');
    assert.ok(
      asks.every((r) => (r.asks ?? []).every((q) => q.ids.every((id) => graph.people.get(id) === r.owner))),
      'no ID asked of the wrong Page',
    );
  });

  it('lists within its budget of 2 % of the IDs, even while every page still holds the IDs', async () => {
    const list = ids('73', 250);
    const graph = world(list, p1);
    // Each page of 100 threads starts and ends with one of the IDs: every inbox looks worth another page.
    [p1, p2, p3].forEach((p, n) => {
      const threads = Array.from({ length: 1000 }, (_, i) => [
        i % 100 === 0 || i % 100 === 99 ? (list[n * 20 + Math.floor(i / 50)] ?? '') : `9${n}${i}`,
        p.id,
      ]);
      graph.threads.set(`${p.id}:messenger`, threads);
    });
    const owners = candidateOwners([page(1), page(2), page(3)], []);
    const { report } = await resolve(graph, owners, list);
    assert.equal(graph.requests.filter((r) => r.kind === 'list').length, 5, '250 × 2 %');
    assert.deepEqual([graph.listings(m1), graph.listings(m2), graph.listings(m3)], [2, 2, 1]);
    assert.equal(report.discoveryCalls, 5);
    assert.equal(report.discoveryRequests, 5);
  });

  /** 200 hinted IDs raise the budget; the `list` IDs have no hint. */
  const hintedFiller = ids('79', 200);

  it('stops listing once every ID without a hint is found', async () => {
    const list = ids('74', 25);
    const graph = world(list, p1, [[hintedFiller, p2]]);
    graph.threads.set(m1, [...threadsOf(ids('75', 75), p1.id), ...threadsOf(list, p1.id), ...threadsOf(ids('76', 500), p1.id)]);
    await resolve(graph, candidateOwners([page(1), page(2), page(3)], []), [...list, ...hintedFiller], {
      hints: certain(hintedFiller, p2),
    });
    assert.equal(graph.listings(m1), 1);
  });

  it("stops listing a Page where the file's people end: a page whose last tenth holds none of them", async () => {
    const list = ids('77', 300);
    const graph = world(list, p1);
    graph.threads.set(m1, [...threadsOf(list.slice(0, 20), p1.id), ...threadsOf(ids('78', 280), p1.id)]);
    graph.threads.set(m3, threadsOf(ids('80', 300), p3.id));
    const { results } = await resolve(graph, candidateOwners([page(1), page(3)], []), list);
    assert.deepEqual([graph.listings(m1), graph.listings(m3)], [1, 1]);
    assert.equal(resolved(results).length, 300);
  });

  it("goes on listing a Page while the file's people reach into the last tenth of a page", async () => {
    const list = ids('81', 150);
    const graph = world(list, p1);
    // The last of them at thread 90 of 100: the first thread of the last tenth.
    graph.threads.set(m1, [
      ...threadsOf(list.slice(0, 91), p1.id),
      ...threadsOf(ids('82', 9), p1.id),
      ...threadsOf(list.slice(91, 111), p1.id),
    ]);
    await resolve(graph, candidateOwners([page(1), page(3)], []), list);
    assert.equal(graph.listings(m1), 2);
  });

  it('a conversation that moved down a page while listing still counts as one of the file’s people', async () => {
    const list = ids('83', 200);
    const graph = world(list, p1);
    // New conversations pushed the last ten of page 1 onto the end of page 2.
    graph.threads.set(m1, [
      ...threadsOf(list.slice(0, 100), p1.id),
      ...threadsOf(list.slice(100, 105), p1.id),
      ...threadsOf(ids('84', 85), p1.id),
      ...threadsOf(list.slice(90, 100), p1.id),
      ...threadsOf(list.slice(105, 200), p1.id),
    ]);
    await resolve(graph, candidateOwners([page(1), page(3)], []), list);
    assert.equal(graph.listings(m1), 3);
  });

  it("ends a Page's listing at a page without the file's people, even when the host sends two threads a page", async () => {
    const list = ids('85', 200);
    const graph = world(list, p1);
    graph.pageSize = 2;
    graph.threads.set(m1, threadsOf(list, p1.id));
    graph.threads.set(m3, threadsOf(ids('86', 10), p3.id));
    await resolve(graph, candidateOwners([page(1), page(3)], []), list);
    assert.deepEqual([graph.listings(m1), graph.listings(m3)], [3, 1]);
  });

  it("skips a Page whose threads can't be listed: listed once, counted, and the IDs are still resolved", async () => {
    const list = ids('87', 200);
    const graph = world(list, p1);
    graph.threads.set(m1, threadsOf(list, p1.id));
    graph.listingError.set(m3, new GraphError({ kind: 'permission', code: 200, message: 'Requires pages_messaging' }));
    const { results, report } = await resolve(graph, candidateOwners([page(1), page(3)], []), list);
    assert.deepEqual([graph.listings(m1), graph.listings(m3)], [2, 1]);
    assert.equal(report.discoveryCalls, 3);
    assert.equal(report.discoveryRequests, 3);
    assert.equal(resolved(results).length, 200);
  });

  it('a host that refuses during listing ends the run', async () => {
    const list = ids('88', 30);
    const graph = world(list, p1);
    graph.listingError.set(m3, new GraphError({ kind: 'hostRefused', message: 'not a Graph host' }));
    await assert.rejects(
      resolve(graph, candidateOwners([page(1), page(3)], []), list),
      (e: unknown) => e instanceof GraphError && e.kind === 'hostRefused',
    );
  });
});
