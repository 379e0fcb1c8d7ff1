import * as assert from 'node:assert/strict';
import { GraphClient, LinkedIds, LinkedIdsAnswer, LinkedIdsAsk, ThreadParticipants } from '../../src/core/graph/client';
import { GraphError } from '../../src/core/graph/errors';
import { Credentials } from '../../src/core/graph/transport';
import { OwnerHint } from '../../src/core/ids/extract';
import { candidateOwners, Owner, Resolution, UnresolvedError } from '../../src/core/ids/resolve';
import { resolveMany, ResolveManyOptions, ResolveManyReport } from '../../src/core/ids/resolveMany';
import { app, inboxPage, page } from './support/accountFixtures';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
const hintsFor = (list: readonly string[], owner: string, certain: boolean) =>
  new Map(list.map((id): [string, OwnerHint] => [id, { id: owner, certain }]));

interface Person {
  /** The account whose token can see this ID; absent: it exists, but none of ours can see it. */
  readonly owner?: string;
  /** False: ids_for_apps fails with (#10) for a Page token. */
  readonly installed?: boolean;
}

interface Request {
  readonly owner: string;
  readonly kind: 'ask' | 'probe' | 'list';
  readonly ids: readonly string[];
  readonly asks?: readonly LinkedIdsAsk[];
  readonly platform?: string;
}

/**
 * A Graph whose answers are scripted per test: who can see which ID, per-ID failures by attempt,
 * the usage each response reports, and the threads each inbox lists. It answers at once (no timers).
 */
class ScriptedGraph {
  readonly requests: Request[] = [];
  readonly people = new Map<string, Person>();
  /** The failure of an ID's n-th question (0-based, any account), if any. */
  readonly itemErrors = new Map<string, (attempt: number) => GraphError | undefined>();
  /** Usage reported by an owner's n-th response (1-based). */
  usage: (owner: string, request: number) => number | undefined = () => undefined;
  /** `${pageId}:${platform}` → participants per thread, newest first. */
  readonly threads = new Map<string, string[][]>();
  /** A `?ids=` question of several IDs fails as a whole. */
  groupsFail = false;
  /** Every existence check fails with this error, once sent. */
  probeError: GraphError | undefined;
  private readonly attempts = new Map<string, number>();
  private readonly responses = new Map<string, number>();

  /** The IDs of the requests of a kind, in the order they were sent. */
  of(kind: Request['kind']): Request[] {
    return this.requests.filter((r) => r.kind === kind);
  }

  /** How often an ID was asked of each account (account ids, in order of asking). */
  askedOf(id: string): string[] {
    return this.of('ask')
      .filter((r) => r.ids.includes(id))
      .map((r) => r.owner);
  }

  private respond(owner: string): number | undefined {
    const n = (this.responses.get(owner) ?? 0) + 1;
    this.responses.set(owner, n);
    return this.usage(owner, n);
  }

  private answer(owner: Owner, id: string, pagesOnly: boolean): LinkedIds | GraphError {
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    const scripted = this.itemErrors.get(id)?.(attempt);
    if (scripted) {
      return scripted;
    }
    const person = this.people.get(id);
    if (!person || person.owner !== owner.account.id) {
      return new GraphError({ kind: 'notFound', code: 100, subcode: 33, message: `Object with ID '${id}' does not exist` });
    }
    if (owner.kind === 'page' && person.installed === false && !pagesOnly) {
      return new GraphError({ kind: 'permission', code: 10, message: '(#10) The user has not installed the app making the request' });
    }
    return { id, idsForApps: [], idsForPages: [{ id, page: { id: person.owner, name: 'Page' } }] };
  }

  call = async <T>(owner: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>): Promise<T> =>
    work(this.client(owner), { accessToken: owner.account.id });

  private client(owner: Owner): GraphClient {
    const key = owner.account.id;
    const fake = {
      linkedIdsAsk: async (_c: Credentials, asks: readonly LinkedIdsAsk[]): Promise<LinkedIdsAnswer> => {
        await Promise.resolve();
        this.requests.push({ owner: key, kind: 'ask', ids: asks.flatMap((a) => a.ids), asks: [...asks] });
        const results = new Map<string, LinkedIds | GraphError>();
        for (const ask of asks) {
          for (const id of ask.ids) {
            results.set(
              id,
              this.groupsFail && ask.ids.length > 1
                ? new GraphError({ kind: 'badRequest', message: 'one of the IDs is invalid' })
                : this.answer(owner, id, ask.pagesOnly ?? false),
            );
          }
        }
        return { results, usage: this.respond(key) };
      },
      // As the real client: 1 to 50 IDs per existence check.
      missingIds: async (_c: Credentials, list: readonly string[]) => {
        await Promise.resolve();
        if (list.length === 0 || list.length > 50) {
          throw new GraphError({ kind: 'badRequest', message: `Between 1 and 50 IDs per request, got ${list.length}.` });
        }
        this.requests.push({ owner: key, kind: 'probe', ids: [...list] });
        if (this.probeError) {
          throw this.probeError;
        }
        return { missing: new Set(list.filter((id) => !this.people.has(id))), usage: this.respond(key) };
      },
      threadParticipants: async (
        _c: Credentials,
        pageId: string,
        platform: string,
        options: { after?: string },
      ): Promise<ThreadParticipants> => {
        await Promise.resolve();
        this.requests.push({ owner: key, kind: 'list', ids: [], platform });
        return { ...inboxPage(this.threads.get(`${pageId}:${platform}`) ?? [], options.after), usage: this.respond(key) };
      },
    };
    return fake as unknown as GraphClient;
  }
}

async function resolve(graph: ScriptedGraph, list: readonly string[], owners: readonly Owner[], options: ResolveManyOptions = {}) {
  let report: ResolveManyReport | undefined;
  const results = await resolveMany(graph.call, list, owners, { concurrency: 8, ...options, onReport: (r) => (report = r) });
  return { results, report: report as ResolveManyReport };
}

const resolvedVia = (value: Resolution | UnresolvedError | undefined): string | undefined =>
  value && !(value instanceof UnresolvedError) ? value.via.id : undefined;

describe('resolveMany: pacing by the usage the responses report', () => {
  const p1 = page(1);

  it('spaces requests by the predicted usage: reported usage plus the learned cost per call, guessed pessimistically until usage has risen 2 %', async () => {
    const graph = new ScriptedGraph();
    const list = ids('51', 200);
    list.forEach((id) => graph.people.set(id, { owner: p1.id }));
    // Usage after each 50-call request: 5 %, then +1 (too little to learn from), +1, +2.
    graph.usage = (_owner, n) => [5, 6, 7, 9][n - 1];
    const slept: number[] = [];
    const { results, report } = await resolve(graph, list, candidateOwners([p1], []), {
      hints: hintsFor(list, p1.id, true),
      concurrency: 1,
      // Every request is spaced, 10 ms per predicted percent: each sleep reads the prediction.
      pacing: {
        slowDownAbove: 0,
        stopAbove: 1000,
        delayPerPercentMs: 10,
        maxDelayMs: 1e6,
        sleep: (ms) => Promise.resolve(void slept.push(ms)),
      },
    });
    assert.ok([...results.values()].every((r) => !(r instanceof UnresolvedError)));
    assert.deepEqual(
      slept.map((ms) => Math.round(ms * 1000) / 1000),
      [
        // 5 % after 50 calls, no slope yet: 0.1 % per call so far, 50 more → 10 %.
        100,
        // 6 % after 100 calls, 1 % above the first: still the average, 0.06 × 50 → 9 %.
        90,
        // 7 % after 150 calls: 2 % over 100 calls since the first → 0.02 per call → 8 %.
        80,
      ],
    );
    assert.equal(report.peakUsage, 9);
  });

  it('without a sleep of its own, a spaced request waits on the real clock', async () => {
    const graph = new ScriptedGraph();
    graph.people.set('5200001', { owner: p1.id, installed: false });
    graph.usage = () => 5;
    const started = Date.now();
    const { results } = await resolve(graph, ['5200001'], candidateOwners([p1], []), {
      hints: hintsFor(['5200001'], p1.id, true),
      // The fallback question comes second, predicted at 10 %: min(60 ms, 9 × 10 ms).
      pacing: { slowDownAbove: 1, stopAbove: 1000, delayPerPercentMs: 10, maxDelayMs: 60 },
    });
    const elapsed = Date.now() - started;
    assert.ok(!(results.get('5200001') instanceof UnresolvedError));
    assert.equal(graph.of('ask').length, 2);
    assert.ok(elapsed >= 50, `${elapsed} ms`);
  });
});

describe('resolveMany: which account is asked, and in what order', () => {
  const [p1, p2, p3] = [page(1), page(2), page(3)];
  const a1 = app(1);

  it('an uncertain hint is asked first; an ID it cannot see is checked for existence once, then each other account once', async () => {
    const graph = new ScriptedGraph();
    const [seenByPage3, deleted, seenByNone] = ['6100001', '6100002', '6100003'];
    graph.people.set(seenByPage3, { owner: p3.id });
    graph.people.set(seenByNone, {});
    // Refused by Page 1 for another reason than "does not exist": no check, straight on to Page 2.
    const refused = '6100004';
    graph.people.set(refused, { owner: p2.id });
    graph.itemErrors.set(refused, (attempt) =>
      attempt === 0 ? new GraphError({ kind: 'badRequest', message: 'not for this Page' }) : undefined,
    );
    const hints = hintsFor([seenByPage3, deleted, refused], p1.id, false);
    const { results } = await resolve(graph, [seenByPage3, deleted, seenByNone, refused], candidateOwners([p1, p2, p3], [a1]), { hints });
    assert.equal(resolvedVia(results.get(refused)), p2.id);
    assert.equal(resolvedVia(results.get(seenByPage3)), p3.id);
    assert.deepEqual(graph.askedOf(seenByPage3), [p1.id, p2.id, p3.id]);
    // Deleted: the existence check settles it after the hinted account.
    const gone = results.get(deleted);
    assert.ok(gone instanceof UnresolvedError && gone.tried === 1 && gone.reason?.kind === 'notFound');
    assert.deepEqual(graph.askedOf(deleted), [p1.id]);
    // Exists, but no account sees it: every account once, in order, and one check only.
    const hidden = results.get(seenByNone);
    assert.ok(hidden instanceof UnresolvedError && hidden.tried === 4 && hidden.reason?.kind === 'notFound');
    assert.deepEqual(graph.askedOf(seenByNone), [p1.id, p2.id, p3.id, a1.id]);
    assert.equal(graph.of('probe').length, 1, 'one existence check for all three');
    assert.deepEqual([...(graph.of('probe')[0]?.ids ?? [])].sort(), [seenByPage3, deleted, seenByNone].sort());
  });

  it('an existence check that fails only skips the check: the IDs go on to the other accounts, and the run ends with answers', async () => {
    for (const probeError of [
      new GraphError({ kind: 'timeout', message: 'No answer within 30 s' }),
      new GraphError({ kind: 'network', message: 'socket hang up' }),
      new GraphError({ kind: 'rateLimited', code: 4, message: 'Application request limit reached' }),
    ]) {
      const graph = new ScriptedGraph();
      graph.probeError = probeError;
      const [seenByPage3, deleted] = ['6100011', '6100012'];
      graph.people.set(seenByPage3, { owner: p3.id });
      const hints = hintsFor([seenByPage3, deleted], p1.id, false);
      const { results, report } = await resolve(graph, [seenByPage3, deleted], candidateOwners([p1, p2, p3], [a1]), { hints });
      assert.equal(graph.of('probe').length, 1, `one check was sent (${probeError.kind})`);
      // A failed request may still have been counted by Meta: the report says what it may have cost.
      assert.deepEqual(
        [report.discoveryRequests, report.discoveryCalls],
        [1, 2],
        `the failed check is in the discovery figures (${probeError.kind})`,
      );
      assert.equal(resolvedVia(results.get(seenByPage3)), p3.id, `resolved after a failed check (${probeError.kind})`);
      const gone = results.get(deleted);
      assert.ok(
        gone instanceof UnresolvedError && gone.reason?.kind === 'notFound',
        `the deleted ID is told "not found" (${probeError.kind})`,
      );
    }
  });

  it('an existence check the host refuses ends the whole run, instead of only skipping the check', async () => {
    const graph = new ScriptedGraph();
    graph.probeError = new GraphError({ kind: 'hostRefused', message: 'not a Graph host' });
    const list = ['6100021', '6100022'];
    await assert.rejects(
      resolve(graph, list, candidateOwners([p1, p2, p3], [a1]), { hints: hintsFor(list, p1.id, false) }),
      (e: unknown) => e instanceof GraphError && e.kind === 'hostRefused',
    );
  });

  it('with only two accounts to try, an ID is not checked for existence: asking the second costs the same', async () => {
    const graph = new ScriptedGraph();
    graph.people.set('6200001', {});
    const { results } = await resolve(graph, ['6200001'], candidateOwners([p1, p2], []));
    const r = results.get('6200001');
    assert.ok(r instanceof UnresolvedError && r.tried === 2);
    assert.equal(graph.of('probe').length, 0);
  });

  it('100 IDs that need an existence check go in two checks of 50', async () => {
    const graph = new ScriptedGraph();
    const list = ids('63', 100);
    const { results, report } = await resolve(graph, list, candidateOwners([p1, p2, p3], []), { hints: hintsFor(list, p1.id, false) });
    assert.deepEqual(
      graph.of('probe').map((r) => r.ids.length),
      [50, 50],
    );
    assert.equal(report.discoveryRequests, 2, 'no third, empty check was tried');
    assert.ok([...results.values()].every((r) => r instanceof UnresolvedError && r.tried === 1));
  });

  it('existence checks go to the least-used account that is not stopped', async () => {
    const graph = new ScriptedGraph();
    const [mine1, mine2, limited, other, unknownOwner] = ['6400001', '6400002', '6400003', '6400004', '6400005'];
    graph.people.set(mine1, { owner: p1.id });
    graph.people.set(mine2, { owner: p1.id });
    graph.people.set(other, { owner: p3.id });
    graph.people.set(unknownOwner, {});
    // Page 2 is stopped by a rate-limited answer that reports no usage; Page 1 reports 3 %, Page 3 1 %.
    graph.itemErrors.set(limited, () => new GraphError({ kind: 'rateLimited', code: 80006, message: 'Page 2 is rate limited' }));
    graph.usage = (owner) => (owner === p1.id ? 3 : owner === p3.id ? 1 : undefined);
    const hints = new Map<string, OwnerHint>([
      ...hintsFor([mine1, mine2], p1.id, true),
      ...hintsFor([limited], p2.id, true),
      ...hintsFor([other], p3.id, true),
    ]);
    const { report } = await resolve(graph, [mine1, mine2, limited, other, unknownOwner], candidateOwners([p1, p2, p3], []), { hints });
    assert.deepEqual(
      graph.of('probe').map((r) => r.owner),
      [p3.id],
    );
    assert.deepEqual(report.stoppedAccounts, [`page:${p2.id}`]);
  });

  it('when every account is stopped, an ID waiting for an existence check goes on to the next account and is told its limit', async () => {
    const graph = new ScriptedGraph();
    // More than two checks' worth, so each 50 goes on once.
    const hidden = ids('65', 101);
    hidden.forEach((id) => graph.people.set(id, {}));
    const limits = ['6500901', '6500902', '6500903'];
    [p1, p2, p3].forEach((p, i) =>
      graph.itemErrors.set(
        limits[i] ?? '',
        () => new GraphError({ kind: 'rateLimited', code: 80006, message: `${p.name} is rate limited` }),
      ),
    );
    const hints = new Map<string, OwnerHint>([
      ...hintsFor(hidden, p1.id, false),
      ...[p1, p2, p3].map((p, i): [string, OwnerHint] => [limits[i] ?? '', { id: p.id, certain: true }]),
    ]);
    const { results, report } = await resolve(graph, [...hidden, ...limits], candidateOwners([p1, p2, p3], []), { hints });
    assert.equal(report.stoppedAccounts.length, 3);
    for (const id of hidden) {
      const r = results.get(id);
      assert.ok(r instanceof UnresolvedError, id);
      assert.equal(r.tried, 1, `${id}: asked of Page 1 only`);
      assert.equal(r.reason?.message, 'Page 2 is rate limited', id);
    }
    assert.equal(graph.of('probe').length, 0);
    assert.deepEqual(
      graph.requests.filter((r) => r.owner !== p1.id).map((r) => r.ids),
      [['6500902'], ['6500903']],
      'nothing more is sent to the stopped Pages',
    );
  });

  it('a question that timed out is asked once more, of the same account, and only once', async () => {
    const graph = new ScriptedGraph();
    const [once, twice, unhinted] = ['6600001', '6600002', '6600003'];
    [once, twice, unhinted].forEach((id) => graph.people.set(id, { owner: p1.id }));
    const transient = (kind: 'transient' | 'timeout' | 'network', times: number) => (attempt: number) =>
      attempt < times ? new GraphError({ kind, message: `${kind} #${attempt}` }) : undefined;
    graph.itemErrors.set(once, transient('transient', 1));
    graph.itemErrors.set(twice, transient('timeout', 2));
    graph.itemErrors.set(unhinted, transient('network', 1));
    const { results } = await resolve(graph, [once, twice, unhinted], candidateOwners([p1, p2], []), {
      hints: hintsFor([once, twice], p1.id, true),
    });
    assert.equal(resolvedVia(results.get(once)), p1.id);
    assert.equal(resolvedVia(results.get(unhinted)), p1.id);
    const failed = results.get(twice);
    assert.ok(failed instanceof UnresolvedError && failed.reason?.kind === 'timeout');
    assert.deepEqual(graph.askedOf(once), [p1.id, p1.id]);
    assert.deepEqual(graph.askedOf(twice), [p1.id, p1.id]);
    assert.deepEqual(graph.askedOf(unhinted), [p1.id, p1.id]);
  });

  it('the biggest request of a round goes first', async () => {
    const graph = new ScriptedGraph();
    const few = ids('67', 10);
    const many = ids('68', 40);
    few.forEach((id) => graph.people.set(id, { owner: p1.id }));
    many.forEach((id) => graph.people.set(id, { owner: p2.id }));
    const hints = new Map([...hintsFor(few, p1.id, true), ...hintsFor(many, p2.id, true)]);
    await resolve(graph, [...few, ...many], candidateOwners([p1, p2], []), { hints, concurrency: 1 });
    assert.deepEqual(
      graph.of('ask').map((r) => [r.owner, r.ids.length]),
      [
        [p2.id, 40],
        [p1.id, 10],
      ],
    );
  });

  it('without any connected account, every ID is unresolved, none tried', async () => {
    const graph = new ScriptedGraph();
    const { results } = await resolve(graph, ['6900001', '6900002'], []);
    assert.deepEqual(
      [...results.values()].map((r) => r instanceof UnresolvedError && r.tried),
      [0, 0],
    );
    assert.equal(graph.requests.length, 0);
  });
});

describe("resolveMany: the ids_for_pages-only questions for people who never used the Page's app", () => {
  const [p1, p2] = [page(1), page(2)];

  const fallbacks = (graph: ScriptedGraph) => graph.of('ask').filter((r) => r.asks?.every((q) => q.pagesOnly));

  it('groups them 50 per question, hinted or not, in one request', async () => {
    const graph = new ScriptedGraph();
    const hinted = ids('71', 60);
    const unhinted = ids('72', 5);
    [...hinted, ...unhinted].forEach((id) => graph.people.set(id, { owner: p1.id, installed: false }));
    const { results } = await resolve(graph, [...hinted, ...unhinted], candidateOwners([p1, p2], []), {
      hints: hintsFor(hinted, p1.id, true),
    });
    assert.ok([...results.values()].every((r) => resolvedVia(r) === p1.id));
    assert.deepEqual(
      fallbacks(graph).map((r) => r.asks?.map((q) => q.ids.length)),
      [[50, 15]],
    );
  });

  it('sends at most 50 questions per request', async () => {
    const graph = new ScriptedGraph();
    const list = ids('73', 2600);
    list.forEach((id) => graph.people.set(id, { owner: p1.id, installed: false }));
    const { results } = await resolve(graph, list, candidateOwners([p1], []), { hints: hintsFor(list, p1.id, true) });
    assert.ok([...results.values()].every((r) => resolvedVia(r) === p1.id));
    const sizes = fallbacks(graph).map((r) => r.asks?.length ?? 0);
    // 2,600 IDs are 52 full questions: 50 in the first request, each of 50 IDs, and 2 in the second.
    assert.deepEqual(sizes, [50, 2], `${sizes.join(', ')} questions`);
    assert.ok(
      fallbacks(graph).every((r) => (r.asks ?? []).every((a) => a.ids.length === 50)),
      'every question full',
    );
  });

  it('IDs whose question failed as a whole are asked alone, still at most 50 questions per request', async () => {
    const graph = new ScriptedGraph();
    const list = ids('74', 60);
    list.forEach((id) => graph.people.set(id, { owner: p1.id, installed: false }));
    graph.groupsFail = true;
    const { results } = await resolve(graph, list, candidateOwners([p1], []), { hints: hintsFor(list, p1.id, true) });
    assert.ok([...results.values()].every((r) => resolvedVia(r) === p1.id));
    assert.deepEqual(
      fallbacks(graph).map((r) => r.asks?.map((q) => q.ids.length)),
      [[50, 10], Array<number>(50).fill(1), Array<number>(10).fill(1)],
    );
  });

  it('IDs asked alone and IDs still grouped in one round: at most 50 questions per request', async () => {
    const graph = new ScriptedGraph();
    // Their group fails once (as a whole), so the next round asks each alone…
    const alone = ids('75', 45);
    // …while these reach the Page a round later (the other Page first), still to be grouped.
    const grouped = ids('76', 300);
    [...alone, ...grouped].forEach((id) => graph.people.set(id, { owner: p1.id, installed: false }));
    alone.forEach((id) =>
      graph.itemErrors.set(id, (attempt) =>
        attempt === 1 ? new GraphError({ kind: 'badRequest', message: 'one of the IDs is invalid' }) : undefined,
      ),
    );
    const hints = new Map([...hintsFor(alone, p1.id, true), ...hintsFor(grouped, p2.id, false)]);
    const { results } = await resolve(graph, [...alone, ...grouped], candidateOwners([p1, p2], []), { hints });
    assert.ok([...results.values()].every((r) => resolvedVia(r) === p1.id));
    const sizes = fallbacks(graph).map((r) => r.asks?.length ?? 0);
    assert.ok(
      sizes.every((n) => n <= 50),
      `${sizes.join(', ')} questions`,
    );
    assert.ok(
      fallbacks(graph).some((r) => (r.asks ?? []).some((q) => q.ids.length === 1) && (r.asks ?? []).some((q) => q.ids.length > 1)),
      `a request mixes IDs asked alone and grouped: ${sizes.join(', ')}`,
    );
  });
});

describe("resolveMany: finding owners in the Pages' threads", () => {
  const [p1, p2] = [page(1, '178410001'), page(2)];
  const a1 = app(1);
  const listed = (graph: ScriptedGraph) =>
    graph
      .of('list')
      .map((r) => `${r.owner}:${r.platform}`)
      .sort();
  const threadsOf = (people: readonly string[], pageId: string, others: number) => [
    ...people.map((id) => [id, pageId]),
    ...ids('79', others).map((id) => [id, pageId]),
  ];

  it('with 20 IDs without a hint, lists each Page and Instagram inbox once and asks each ID of its owner only', async () => {
    const graph = new ScriptedGraph();
    const list = ids('81', 20);
    list.forEach((id) => graph.people.set(id, { owner: p2.id }));
    graph.threads.set(`${p2.id}:messenger`, threadsOf(list, p2.id, 10));
    const { results, report } = await resolve(graph, list, candidateOwners([p1, p2], [a1]));
    assert.deepEqual(listed(graph), [`${p1.id}:instagram`, `${p1.id}:messenger`, `${p2.id}:messenger`]);
    assert.equal(report.discoveryCalls, 3);
    for (const id of list) {
      assert.equal(resolvedVia(results.get(id)), p2.id);
      assert.deepEqual(graph.askedOf(id), [p2.id]);
    }
  });

  it('lists nothing for fewer than 20 IDs, for a single Page, or when told not to', async () => {
    const cases: [string, number, Owner[], boolean?][] = [
      ['19 IDs', 19, candidateOwners([p1, p2], [a1])],
      ['one Page and an app', 20, candidateOwners([p1], [a1])],
      ['discover: false', 20, candidateOwners([p1, p2], [a1]), false],
    ];
    for (const [name, n, owners, discover] of cases) {
      const graph = new ScriptedGraph();
      const list = ids('82', n);
      list.forEach((id) => graph.people.set(id, { owner: p1.id }));
      graph.threads.set(`${p1.id}:messenger`, threadsOf(list, p1.id, 10));
      const { results } = await resolve(graph, list, owners, discover === undefined ? {} : { discover });
      assert.equal(graph.of('list').length, 0, name);
      assert.ok(
        [...results.values()].every((r) => resolvedVia(r) === p1.id),
        name,
      );
    }
  });

  it('spends at most one listing per inbox when that is more than 2 % of the IDs, even if a listing could go on', async () => {
    const graph = new ScriptedGraph();
    const list = ids('83', 30);
    list.forEach((id) => graph.people.set(id, { owner: p1.id }));
    // Page 1's first 100 threads end with 10 of the file's people: its listing would go on.
    const others = ids('84', 300).map((id) => [id, p1.id]);
    others.splice(90, 10, ...list.slice(0, 10).map((id) => [id, p1.id]));
    graph.threads.set(`${p1.id}:messenger`, others);
    const { results, report } = await resolve(graph, list, candidateOwners([p1, p2], []));
    assert.deepEqual(listed(graph), [`${p1.id}:instagram`, `${p1.id}:messenger`, `${p2.id}:messenger`]);
    assert.equal(report.discoveryCalls, 3);
    assert.ok([...results.values()].every((r) => resolvedVia(r) === p1.id));
  });

  it('IDs not found in the threads are tried first with the Page that owns the most of the found ones', async () => {
    const graph = new ScriptedGraph();
    const found = ids('85', 20);
    const notListed = ids('86', 5);
    [...found, ...notListed].forEach((id) => graph.people.set(id, { owner: p2.id }));
    graph.threads.set(`${p2.id}:messenger`, threadsOf(found, p2.id, 10));
    const { results } = await resolve(graph, [...found, ...notListed], candidateOwners([page(1), p2], [a1]));
    for (const id of notListed) {
      assert.equal(resolvedVia(results.get(id)), p2.id);
      assert.deepEqual(graph.askedOf(id), [p2.id]);
    }
    assert.equal(graph.of('probe').length, 0);
  });
});
