import * as assert from 'node:assert/strict';
import { AppAccount, PageAccount } from '../../src/core/accounts/accounts';
import { GraphClient, LinkedIds, LinkedIdsAnswer, LinkedIdsAsk, ThreadParticipants } from '../../src/core/graph/client';
import { GraphError } from '../../src/core/graph/errors';
import { Credentials } from '../../src/core/graph/transport';
import { findIdsWithOwners, OwnerHint } from '../../src/core/ids/extract';
import { candidateOwners, Owner, UnresolvedError } from '../../src/core/ids/resolve';
import { resolveMany, ResolveManyOptions, ResolveManyReport } from '../../src/core/ids/resolveMany';
import { app, inboxPage, page, notFound, notInstalledError } from './support/accountFixtures';

interface Person {
  /** The account whose token can see this ID. */
  readonly owner: string;
  /** False: ids_for_apps fails with (#10) for a Page token. */
  readonly installed?: boolean;
}

/** A fake Graph: who owns which ID, what each request asked, and the usage it reports. */
class FakeGraph {
  readonly requests: { owner: string; kind: 'ask' | 'probe' | 'list'; asks?: LinkedIdsAsk[]; calls: number }[] = [];
  /** Calls per owner, to report usage from. */
  readonly callsBy = new Map<string, number>();
  inFlight = new Map<string, number>();
  maxInFlightAbove = new Map<string, number>();
  limit = Infinity;
  threads = new Map<string, string[][]>();
  failGroups = false;
  /** Throws this for the whole request of that owner. */
  requestFailure = new Map<string, GraphError>();

  constructor(readonly people: Map<string, Person>) {}

  usage(owner: string): number | undefined {
    return this.limit === Infinity ? undefined : Math.round(((this.callsBy.get(owner) ?? 0) / this.limit) * 100);
  }

  private charge(owner: string, calls: number): void {
    this.callsBy.set(owner, (this.callsBy.get(owner) ?? 0) + calls);
  }

  get totalCalls(): number {
    return [...this.callsBy.values()].reduce((a, b) => a + b, 0);
  }

  answer(owner: Owner, id: string, pagesOnly: boolean): LinkedIds | GraphError {
    const person = this.people.get(id);
    if (!person || person.owner !== owner.account.id) {
      return notFound(id);
    }
    if (owner.kind === 'page' && person.installed === false && !pagesOnly) {
      return notInstalledError();
    }
    return {
      id,
      name: `Person ${id}`,
      idsForApps: pagesOnly ? [] : [{ id: `a${id}`, app: { id: '200001', name: 'App 1' } }],
      idsForPages: [{ id, page: { id: person.owner, name: 'Page' } }],
    };
  }

  call = async <T>(owner: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>): Promise<T> => {
    const key = owner.account.id;
    const usageBefore = this.usage(key) ?? 0;
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    if (usageBefore > 60) {
      this.maxInFlightAbove.set(key, Math.max(this.maxInFlightAbove.get(key) ?? 0, this.inFlight.get(key) ?? 0));
    }
    try {
      await new Promise((r) => setTimeout(r, 1));
      return await work(this.client(owner), { accessToken: owner.kind === 'page' ? owner.account.token : owner.account.id });
    } finally {
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
    }
  };

  private client(owner: Owner): GraphClient {
    const key = owner.account.id;
    const fake = {
      linkedIdsAsk: async (_c: Credentials, asks: readonly LinkedIdsAsk[]): Promise<LinkedIdsAnswer> => {
        await Promise.resolve();
        const calls = asks.reduce((n, a) => n + a.ids.length, 0);
        this.requests.push({ owner: key, kind: 'ask', asks: [...asks], calls });
        this.charge(key, calls);
        const failure = this.requestFailure.get(key);
        if (failure) {
          throw failure;
        }
        const results = new Map<string, LinkedIds | GraphError>();
        for (const ask of asks) {
          const answers = ask.ids.map((id) => this.answer(owner, id, ask.pagesOnly ?? false));
          const failed =
            answers.find((a): a is GraphError => a instanceof GraphError) ??
            (this.failGroups && ask.ids.length > 1 ? new GraphError({ kind: 'transient', message: 'group failed' }) : undefined);
          ask.ids.forEach((id, i) => results.set(id, ask.ids.length > 1 && failed ? failed : (answers[i] ?? notFound(id))));
        }
        return { results, usage: this.usage(key) };
      },
      missingIds: async (_c: Credentials, ids: readonly string[]) => {
        await Promise.resolve();
        this.requests.push({ owner: key, kind: 'probe', calls: ids.length });
        this.charge(key, ids.length);
        return { missing: new Set(ids.filter((id) => !this.people.has(id))), usage: this.usage(key) };
      },
      threadParticipants: async (
        _c: Credentials,
        pageId: string,
        platform: string,
        options: { after?: string },
      ): Promise<ThreadParticipants> => {
        await Promise.resolve();
        this.requests.push({ owner: key, kind: 'list', calls: 1 });
        this.charge(key, 1);
        return { ...inboxPage(this.threads.get(`${pageId}:${platform}`) ?? [], options.after), usage: this.usage(key) };
      },
    };
    return fake as unknown as GraphClient;
  }

  /** How many times each (account, ID, question) was asked. */
  asked(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.requests) {
      for (const ask of r.asks ?? []) {
        for (const id of ask.ids) {
          const key = `${r.owner}|${id}|${ask.pagesOnly ? 'pages' : 'all'}`;
          out.set(key, (out.get(key) ?? 0) + 1);
        }
      }
    }
    return out;
  }
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);

describe('resolveMany: calls as Meta counts them', () => {
  const [p1, p2, p3] = [page(1, '178410001'), page(2), page(3)];
  const apps = [app(1)];
  const owners = candidateOwners([p1, p2, p3], apps);

  function world(groups: [PageAccount | AppAccount, string[], boolean?][]): Map<string, Person> {
    const people = new Map<string, Person>();
    for (const [owner, list, installed] of groups) {
      list.forEach((id) => people.set(id, { owner: owner.id, installed: installed ?? true }));
    }
    return people;
  }

  async function run(graph: FakeGraph, list: readonly string[], options: ResolveManyOptions = {}) {
    let report: ResolveManyReport | undefined;
    const results = await resolveMany(graph.call, list, owners, { concurrency: 4, ...options, onReport: (r) => (report = r) });
    return { results, report: report as ResolveManyReport };
  }

  it('asks each ID once, of the account its certain hint names, one batch item per ID (50 per request)', async () => {
    const a = ids('31', 120);
    const b = ids('32', 30);
    const graph = new FakeGraph(
      world([
        [p1, a],
        [p2, b],
      ]),
    );
    const hints = new Map<string, OwnerHint>([
      ...a.map((id): [string, OwnerHint] => [id, { id: p1.id, certain: true }]),
      ...b.map((id): [string, OwnerHint] => [id, { id: p2.id, certain: true }]),
    ]);
    const { results } = await run(graph, [...a, ...b, ...a.slice(0, 10)], { hints });
    assert.equal(results.size, 150);
    assert.ok([...results.values()].every((r) => !(r instanceof UnresolvedError)));
    assert.equal(graph.totalCalls, 150, 'one call per distinct ID');
    assert.equal(graph.requests.length, 3 + 1, '120 IDs in 3 requests, 30 in 1');
    assert.ok(
      graph.requests.every((r) => (r.asks ?? []).every((q) => q.ids.length === 1)),
      'one ID per batch item',
    );
    assert.ok(
      [...graph.asked().values()].every((n) => n === 1),
      'no ID asked twice',
    );
  });

  it("sends people who never used the Page's app through one ids_for_pages-only ?ids= question, not one per ID", async () => {
    const installed = ids('33', 60);
    const notUsers = ids('34', 40);
    const graph = new FakeGraph(
      world([
        [p1, installed],
        [p1, notUsers, false],
      ]),
    );
    const hints = new Map([...installed, ...notUsers].map((id): [string, OwnerHint] => [id, { id: p1.id, certain: true }]));
    const { results } = await run(graph, [...installed, ...notUsers], { hints });
    assert.equal(graph.totalCalls, 100 + 40, 'IDs + people without an app-scoped ID');
    const fallback = graph.requests.filter((r) => r.asks?.some((q) => q.pagesOnly));
    assert.equal(fallback.length, 1);
    assert.deepEqual(
      fallback[0]?.asks?.map((q) => q.ids.length),
      [40],
      'one ?ids= question',
    );
    const r = results.get(notUsers[0] ?? '');
    assert.ok(r && !(r instanceof UnresolvedError) && r.idsForApps.length === 0 && r.idsForPages.length === 1);
  });

  it('a failing ID fails alone: a deleted ID with a certain owner costs its own call and is explained, nothing else is re-asked', async () => {
    const good = ids('35', 49);
    const graph = new FakeGraph(world([[p1, good]]));
    const hints = new Map([...good, '99999999'].map((id): [string, OwnerHint] => [id, { id: p1.id, certain: true }]));
    const { results } = await run(graph, [...good, '99999999'], { hints });
    assert.equal(graph.totalCalls, 50);
    assert.equal(graph.requests.length, 1);
    const unresolved = results.get('99999999');
    assert.ok(unresolved instanceof UnresolvedError);
    assert.equal(unresolved.tried, 1);
    assert.equal(unresolved.reason?.kind, 'notFound');
  });

  it('IDs without a hint try the account that owns the most IDs so far; an ID none can see is checked for existence once, not asked of every account', async () => {
    const a = ids('36', 40);
    const strays = ids('37', 3);
    const graph = new FakeGraph(
      world([
        [p1, a.slice(0, 30)],
        [p3, [...a.slice(30), ...strays]],
      ]),
    );
    const hints = new Map(a.map((id): [string, OwnerHint] => [id, { id: a.indexOf(id) < 30 ? p1.id : p3.id, certain: false }]));
    const { results, report } = await run(graph, [...a, ...strays, '88888888'], { hints, discover: false });
    for (const id of strays) {
      const r = results.get(id);
      assert.ok(r && !(r instanceof UnresolvedError) && r.via.id === p3.id, `${id} found on Page 3`);
    }
    const unknown = results.get('88888888');
    assert.ok(unknown instanceof UnresolvedError);
    assert.equal(unknown.reason?.kind, 'notFound');
    // 44 own calls; each stray: a wrong guess (Page 1, which owns the most), a probe, then Page 3 (the next most); the unknown ID: a probe, then nothing more.
    assert.equal(report.discoveryCalls, 4);
    assert.equal(graph.totalCalls, 44 + 4 + 3);
    assert.equal(
      graph.requests.filter((r) => r.owner === p2.id || r.owner === apps[0]?.id).length,
      0,
      'the unknown ID is not asked of the remaining accounts',
    );
    assert.ok(
      [...graph.asked().values()].every((n) => n === 1),
      'no ID asked twice of one account',
    );
  });

  it("finds the owners of IDs without a hint in the Pages' newest threads, within 2 % of the IDs, and stops listing where the file's people end", async () => {
    const a = ids('38', 150);
    const b = ids('39', 150);
    const ig = ids('40', 60);
    const graph = new FakeGraph(
      world([
        [p1, a],
        [p2, b],
        [p1, ig],
      ]),
    );
    graph.threads.set(
      `${p1.id}:messenger`,
      [...a, ...ids('41', 500)].map((id) => [id, p1.id]),
    );
    graph.threads.set(
      `${p2.id}:messenger`,
      [...b, ...ids('42', 500)].map((id) => [id, p2.id]),
    );
    graph.threads.set(
      `${p1.id}:instagram`,
      [...ig, ...ids('43', 500)].map((id) => [id, '178410001']),
    );
    const { results, report } = await run(graph, [...a, ...b, ...ig]);
    assert.ok([...results.values()].every((r) => !(r instanceof UnresolvedError)));
    assert.ok(report.discoveryCalls <= 360 * 0.02, `${report.discoveryCalls} discovery calls`);
    assert.equal(graph.totalCalls, 360 + report.discoveryCalls, 'every ID asked once, of its own Page');
    assert.equal(
      graph.requests.filter((r) => r.kind === 'list' && r.owner === p3.id).length,
      1,
      "a Page with none of the file's people is listed once",
    );
  });

  it("gives the connected accounts' own IDs and cached IDs 0 calls", async () => {
    const graph = new FakeGraph(world([]));
    const cachedId = '5555555';
    const { results } = await run(graph, [p1.id, '178410001', apps[0]?.id ?? '', cachedId], {
      cached: (id) =>
        id === cachedId
          ? { id, idsForApps: [], idsForPages: [], via: { kind: 'page', id: p1.id, name: 'Page 1' }, resolvedAt: 1 }
          : undefined,
    });
    assert.equal(graph.totalCalls, 0);
    assert.match((results.get(p1.id) as UnresolvedError).message, /the Page Page 1, not a person/);
    assert.match((results.get('178410001') as UnresolvedError).message, /Instagram account of Page 1/);
    assert.ok(!(results.get(cachedId) instanceof UnresolvedError));
  });

  it('a whole request that fails is told to each of its IDs once, not multiplied over the other accounts', async () => {
    const a = ids('44', 50);
    const graph = new FakeGraph(world([[p1, a]]));
    graph.requestFailure.set(p1.id, new GraphError({ kind: 'malformed', message: 'garbled answer' }));
    const hints = new Map(a.map((id): [string, OwnerHint] => [id, { id: p1.id, certain: false }]));
    const { results } = await run(graph, a, { hints });
    assert.equal(graph.totalCalls, 50);
    assert.ok([...results.values()].every((r) => r instanceof UnresolvedError && r.message === 'garbled answer'));
  });

  it('an ?ids= fallback question that fails as a whole asks each of its IDs once on its own', async () => {
    const notUsers = ids('45', 10);
    const graph = new FakeGraph(world([[p1, notUsers, false]]));
    graph.failGroups = true;
    const hints = new Map(notUsers.map((id): [string, OwnerHint] => [id, { id: p1.id, certain: true }]));
    const { results } = await run(graph, notUsers, { hints });
    assert.ok([...results.values()].every((r) => !(r instanceof UnresolvedError)));
    assert.equal(graph.totalCalls, 10 + 10 + 10);
  });

  it('paces by the usage headers: one request at a time above the slow-down usage, and none that would pass the stop usage', async () => {
    const a = ids('46', 2000);
    const graph = new FakeGraph(world([[p1, a]]));
    graph.limit = 2000;
    const slept: number[] = [];
    const hints = new Map(a.map((id): [string, OwnerHint] => [id, { id: p1.id, certain: true }]));
    const { results, report } = await run(graph, a, {
      hints,
      concurrency: 8,
      pacing: { slowDownAbove: 60, stopAbove: 90, sleep: (ms) => Promise.resolve(void slept.push(ms)) },
    });
    const used = graph.callsBy.get(p1.id) ?? 0;
    assert.ok(used <= 0.9 * 2000, `${used} calls: never past 90 %`);
    assert.ok(used >= 0.8 * 2000, `${used} calls: the budget is used`);
    assert.equal(graph.maxInFlightAbove.get(p1.id), 1, 'one at a time above 60 %');
    assert.ok(slept.length > 0 && slept.every((ms) => ms >= 0 && ms <= 2000), 'spaced out');
    assert.deepEqual(report.stoppedAccounts, [`page:${p1.id}`]);
    const notAsked = [...results.values()].filter((r) => r instanceof UnresolvedError);
    assert.equal(notAsked.length, 2000 - used);
    assert.ok(notAsked.every((r) => r instanceof UnresolvedError && r.reason?.kind === 'rateLimited' && /Not asked/.test(r.message)));
  });
});

describe('findIdsWithOwners', () => {
  it("gives the IDs of a webhook delivery their entry's Page or Instagram account, certain, and skips times", () => {
    const line = (object: string, owner: string, sender: string) =>
      `2026-11-20T12:00:00.000Z INFO POST /webhook ${JSON.stringify({ object, entry: [{ id: owner, time: 1763640000000, messaging: [{ sender: { id: sender }, recipient: { id: owner }, timestamp: 1763640000000, message: { mid: 'm_abc', text: 'order 12345' } }] }] })}`;
    const found = findIdsWithOwners(
      [line('page', '1111111', '2222222'), line('instagram', '178410009', '3333333'), line('page', '1111111', '2222222')].join('\n'),
    );
    assert.deepEqual(found.ids, ['1111111', '2222222', '178410009', '3333333']);
    assert.deepEqual(found.hints.get('2222222'), { id: '1111111', certain: true });
    assert.deepEqual(found.hints.get('3333333'), { id: '178410009', certain: true });
    assert.equal(found.hints.has('1111111'), false);
  });

  it('reads a pretty-printed delivery with several entries for different Pages', () => {
    const text = JSON.stringify(
      {
        object: 'page',
        entry: [
          { id: '1111111', messaging: [{ sender: { id: '2222222' }, recipient: { id: '1111111' } }] },
          { id: '4444444', messaging: [{ sender: { id: '4444444' }, recipient: { id: '5555555' } }] },
        ],
      },
      null,
      2,
    );
    const found = findIdsWithOwners(text);
    assert.deepEqual(found.hints.get('2222222'), { id: '1111111', certain: true });
    assert.deepEqual(found.hints.get('5555555'), { id: '4444444', certain: true }, 'an echo: the person is the recipient');
  });

  it('on a log line, page_id= / app_id= or a known account names the owner of the other IDs (tried first, not certain)', () => {
    const found = findIdsWithOwners(
      [
        'INFO message page_id=1111111 psid=2222222',
        'INFO login app_id=3333333 user_id=4444444',
        'INFO 9999999 wrote 6666666',
        'INFO page=1111111 app=3333333 user=7777777',
      ].join('\n'),
      new Set(['9999999']),
    );
    assert.deepEqual(found.hints.get('2222222'), { id: '1111111', certain: false });
    assert.deepEqual(found.hints.get('4444444'), { id: '3333333', certain: false });
    assert.deepEqual(found.hints.get('6666666'), { id: '9999999', certain: false });
    assert.equal(found.hints.has('7777777'), false, 'two owners on a line: no hint');
  });
});
