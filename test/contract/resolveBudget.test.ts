import * as assert from 'node:assert/strict';
import { GraphClient } from '../../src/core/graph/client';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { Credentials, GraphTransport } from '../../src/core/graph/transport';
import { ResolutionCache } from '../../src/core/ids/cache';
import { findIdsWithOwners } from '../../src/core/ids/extract';
import { Owner, ownerCredentials, Resolution, UnresolvedError } from '../../src/core/ids/resolve';
import { resolveMany, ResolveManyOptions, ResolveManyReport } from '../../src/core/ids/resolveMany';
import { GraphSimulator, startSimulator } from '../../simulator/index';
import {
  accountsOf,
  bareList,
  baseline,
  differences,
  ID_WORLD,
  IdFile,
  mixedLog,
  Outcome,
  webhookLog,
  withoutAppScopedId,
} from '../../bench/idFiles';

/** Every question that went over the wire: (token, ID, fields), from the URLs and batch bodies. */
function recordingFetch(questions: string[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    const token = new Headers(init?.headers).get('authorization') ?? '';
    const note = (path: string, params: URLSearchParams) => {
      const fields = params.get('fields') ?? '';
      const list = params.get('ids')?.split(',') ?? [path.split('/').filter(Boolean).pop() ?? ''];
      list.forEach((id) => questions.push(`${token}|${id}|${fields}`));
    };
    const body = typeof init?.body === 'string' ? new URLSearchParams(init.body) : undefined;
    const batch = body?.get('batch');
    if (batch) {
      for (const item of JSON.parse(batch) as { relative_url: string }[]) {
        const rel = new URL(item.relative_url, 'http://x/');
        note(rel.pathname, rel.searchParams);
      }
    } else if (url.searchParams.has('ids') || /^\/v\d+\.\d+\/\d+$/.test(url.pathname)) {
      note(url.pathname, url.searchParams);
    }
    return fetch(input, init);
  };
}

describe("Bulk resolution spends no more of Meta's calls than the budget (issue 18, real HTTP, the simulator's call accounting)", function () {
  this.timeout(120_000);
  let sim: GraphSimulator;
  const { accounts, files } = { accounts: {} as ReturnType<typeof accountsOf>, files: [] as IdFile[] };
  const expected = new Map<string, Map<string, Outcome>>();
  let accountIds: Set<string>;

  before(async () => {
    sim = await startSimulator({ ...ID_WORLD, latencyMs: 0, limits: { app: 1e9, user: 1e9, page: 1e9 } });
    Object.assign(accounts, accountsOf(sim.world));
    accountIds = new Set(
      accounts.owners.flatMap((o) => [o.account.id, ...(o.kind === 'page' && o.account.instagram ? [o.account.instagram.id] : [])]),
    );
    const log = webhookLog(sim.world);
    files.push(log, bareList(log), mixedLog(sim.world));
    const client = new GraphClient(new GraphTransport({ fetch, host: sim.url }));
    for (const file of files) {
      expected.set(file.name, await baseline(client, file, accounts.apps, 8));
    }
  });
  after(() => sim.stop());

  async function resolveFile(file: IdFile, options: ResolveManyOptions & { latencyMs?: number } = {}) {
    const questions: string[] = [];
    const client = new GraphClient(
      new GraphTransport({ fetch: recordingFetch(questions), host: sim.url, scheduler: new RequestScheduler({ concurrency: 6 }) }),
    );
    const call = <T>(o: Owner, work: (c: GraphClient, creds: Credentials) => Promise<T>) =>
      work(client, ownerCredentials(o, accounts.apps));
    sim.latencyMs = options.latencyMs ?? 0;
    sim.reset();
    let report: ResolveManyReport | undefined;
    const started = performance.now();
    const found = findIdsWithOwners(file.text, accountIds);
    const results = await resolveMany(call, found.ids, accounts.owners, {
      concurrency: 6,
      ...options,
      hints: found.hints,
      onReport: (r) => (report = r),
    });
    const ms = performance.now() - started;
    sim.latencyMs = 0;
    return { results, report: report as ResolveManyReport, calls: sim.calls(), questions, ms };
  }

  for (const [index, timeBudgetMs] of [
    [0, 1500],
    [1, 3000],
    [2, 1500],
  ] as const) {
    it(`file ${index + 1} (webhook log, bare list, mixed log): calls ≤ IDs + fallbacks + discovery ≤ 2 %, requests ≤ ⌈IDs/50⌉ × 1.5 + discovery, < ${timeBudgetMs} ms at 50 ms latency, nothing lost`, async () => {
      const file = files[index] ?? assert.fail('a file');
      const { results, report, calls, questions, ms } = await resolveFile(file, { latencyMs: 50 });
      const ids = file.ids.length;
      const fallbacks = withoutAppScopedId(sim.world, file);
      assert.equal(ids, 1000);
      assert.ok(report.discoveryCalls <= ids * 0.02, `${report.discoveryCalls} discovery calls`);
      if (index !== 1) {
        assert.equal(report.discoveryCalls, 0, 'the file names every owner');
      }
      assert.ok(
        calls.total <= ids + fallbacks + report.discoveryCalls,
        `${calls.total} calls > ${ids} + ${fallbacks} + ${report.discoveryCalls}`,
      );
      assert.ok(
        calls.httpRequests <= Math.ceil(ids / 50) * 1.5 + report.discoveryRequests,
        `${calls.httpRequests} requests (${report.discoveryRequests} discovery)`,
      );
      assert.ok(ms < timeBudgetMs, `${ms.toFixed(0)} ms`);
      assert.deepEqual(
        differences(expected.get(file.name) ?? new Map(), results),
        [],
        "the same linked IDs and explanations as the seeds' flow",
      );
      const twice = questions.filter((q, i) => questions.indexOf(q) !== i);
      assert.deepEqual(twice, [], 'no question asked twice');
    });
  }

  it('asks nothing for IDs in the cache', async () => {
    const file = files[0] ?? assert.fail('a file');
    const first = await resolveFile(file);
    const cache = new ResolutionCache(() => 3_600_000);
    first.results.forEach((r) => (r instanceof UnresolvedError ? undefined : cache.set('h', r)));
    const cachedIds = file.ids.filter((id) => cache.get('h', id));
    assert.ok(cachedIds.length > 700);
    const again = await resolveFile({ ...file, text: cachedIds.join('\n') }, { cached: (id) => cache.get('h', id) });
    assert.equal(again.calls.total, 0);
    assert.equal(again.calls.httpRequests, 0);
    assert.equal(again.results.size, cachedIds.length);
  });

  it("a chunk with IDs that fail (another Page's, deleted, never used the app) costs those IDs only, not the chunk", async () => {
    const [pageA, pageB] = sim.world.pages;
    assert.ok(pageA && pageB);
    const ownA = sim.world.people
      .filter((p) => p.psids.has(pageA.id) && p.asids.has(pageA.appId))
      .slice(0, 47)
      .map((p) => p.psids.get(pageA.id) ?? '');
    const notUser =
      sim.world.people.find((p) => p.psids.has(pageA.id) && !p.asids.has(pageA.appId))?.psids.get(pageA.id) ?? assert.fail('a person');
    const ofB = sim.world.people.find((p) => p.psids.has(pageB.id))?.psids.get(pageB.id) ?? assert.fail('a person');
    const deleted = '1099999999999999';
    // A log that says page_id=A on every line, wrongly for one ID.
    const text = [...ownA, notUser, ofB, deleted].map((id) => `INFO message page_id=${pageA.id} psid=${id}`).join('\n');
    const { results, calls, questions } = await resolveFile({ name: 'chunk', text, ids: [], owner: new Map(), lines: 50 });
    assert.ok([...ownA, notUser].every((id) => !(results.get(id) instanceof UnresolvedError)));
    const b = results.get(ofB);
    assert.ok(b && !(b instanceof UnresolvedError) && b.via.id === pageB.id, 'found on its own Page');
    assert.ok(results.get(deleted) instanceof UnresolvedError);
    // 50 own calls, 1 fallback; the other Page's ID: a probe and at most one more wrong guess; the deleted ID: a probe.
    assert.ok(calls.total <= 50 + 1 + 2 + 1 + 1, `${calls.total} calls`);
    assert.equal(questions.filter((q) => ownA.some((id) => q.includes(`|${id}|`))).length, ownA.length, 'each good ID asked once');
  });
});

describe("Rate-aware pacing with the simulator's realistic limits (5,000 calls per token per hour)", function () {
  this.timeout(60_000);

  function rateLimitErrors(results: Map<string, Resolution | UnresolvedError>): string[] {
    return [...results.values()]
      .filter(
        (r): r is UnresolvedError =>
          r instanceof UnresolvedError && r.reason?.code !== undefined && /^(4|17|613|8000\d)$/.test(String(r.reason.code)),
      )
      .map((r) => r.message);
  }

  it('a 10,000-ID webhook log of 4 Pages (two of them to ~85 % of their budget) finishes without a single (#4), (#17), (#613) or 8000x error, one request at a time per token past 60 %', async () => {
    const sim = await startSimulator({ ...ID_WORLD, people: 7000, conversationsPerPage: 3600, latencyMs: 2, itemCostMs: 0 });
    try {
      const { apps, owners } = accountsOf(sim.world);
      const accountIds = new Set(
        owners.flatMap((o) => [o.account.id, ...(o.kind === 'page' && o.account.instagram ? [o.account.instagram.id] : [])]),
      );
      // The Pages with Instagram get 3,300 senders each: with the fallbacks, about 85 % of their hourly budget.
      const file = webhookLog(sim.world, 10_000, 6, 11, [1800, 1500, 1697, 1800, 1500, 1697]);
      assert.equal(file.ids.length, 10_000);
      const client = new GraphClient(new GraphTransport({ fetch, host: sim.url, scheduler: new RequestScheduler({ concurrency: 6 }) }));
      const inFlight = new Map<string, number>();
      const overlapAbove = new Map<string, number>();
      const call = async <T>(o: Owner, work: (c: GraphClient, creds: Credentials) => Promise<T>): Promise<T> => {
        const token = o.kind === 'page' ? o.account.token : o.account.id;
        const used = sim.calls().byToken.find((t) => t.subjectId === o.account.id)?.calls ?? 0;
        inFlight.set(token, (inFlight.get(token) ?? 0) + 1);
        if (used > 0.62 * 5000) {
          overlapAbove.set(token, Math.max(overlapAbove.get(token) ?? 0, inFlight.get(token) ?? 0));
        }
        try {
          return await work(client, ownerCredentials(o, apps));
        } finally {
          inFlight.set(token, (inFlight.get(token) ?? 1) - 1);
        }
      };
      sim.reset();
      const found = findIdsWithOwners(file.text, accountIds);
      let report: ResolveManyReport | undefined;
      const results = await resolveMany(call, found.ids, owners, { hints: found.hints, concurrency: 6, onReport: (r) => (report = r) });
      assert.deepEqual(rateLimitErrors(results), []);
      const accounting = sim.calls();
      for (const t of accounting.byToken) {
        assert.ok(t.calls <= 5000, `${t.subjectId}: ${t.calls} calls, over the limit`);
      }
      assert.ok((report?.peakUsage ?? 0) > 60, `usage reached ${report?.peakUsage}%: pacing was exercised`);
      assert.ok([...overlapAbove.values()].every((n) => n === 1) && overlapAbove.size > 0, 'one request at a time per token past 60 %');
      const resolved = [...results.values()].filter((r) => !(r instanceof UnresolvedError)).length;
      const psids = file.ids.filter((id) => sim.world.scopedIds.get(id)?.scope === 'page').length;
      assert.equal(resolved, psids, 'every PSID resolved');
      assert.ok(
        sim.log.every((r) => r.status < 400),
        'no request failed',
      );
    } finally {
      await sim.stop();
    }
  });

  it('10,000 IDs of one Page (more than its hourly budget) stop before the limit: no rate-limit error, the rest left unasked with the reason', async () => {
    const sim = await startSimulator({
      seed: 9,
      businesses: 1,
      pagesPerBusiness: 1,
      appsPerBusiness: 1,
      people: 15_000,
      conversationsPerPage: 5,
      latencyMs: 2,
      itemCostMs: 0,
    });
    try {
      const { apps, pages, owners } = accountsOf(sim.world);
      const page = pages[0] ?? assert.fail('a Page');
      const ids = sim.world.people
        .map((p) => p.psids.get(page.id))
        .filter((x): x is string => x !== undefined)
        .slice(0, 10_000);
      assert.equal(ids.length, 10_000);
      const client = new GraphClient(new GraphTransport({ fetch, host: sim.url, scheduler: new RequestScheduler({ concurrency: 6 }) }));
      sim.reset();
      const results = await resolveMany((o, work) => work(client, ownerCredentials(o, apps)), ids, owners, {
        hints: new Map(ids.map((id) => [id, { id: page.id, certain: true }])),
        concurrency: 6,
        // Shorter spacing than the default (up to 2 s) keeps the test short; the rule is the same.
        pacing: { delayPerPercentMs: 5, maxDelayMs: 100 },
      });
      assert.deepEqual(rateLimitErrors(results), []);
      const used = sim.calls().byToken.find((t) => t.subjectId === page.id)?.calls ?? 0;
      assert.ok(used <= 0.9 * 5000 && used > 0.8 * 5000, `${used} calls`);
      const unasked = [...results.values()].filter((r) => r instanceof UnresolvedError);
      assert.ok(unasked.length > 5000);
      assert.ok(unasked.every((r) => r instanceof UnresolvedError && r.reason?.kind === 'rateLimited' && /Not asked/.test(r.message)));
      assert.ok(
        sim.log.every((r) => r.status < 400),
        'no request failed',
      );
    } finally {
      await sim.stop();
    }
  });
});
