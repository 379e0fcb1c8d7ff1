import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AppAccount, PageAccount } from '../src/core/accounts/accounts';
import { mapLimit } from '../src/core/concurrency';
import { PagedList } from '../src/core/explorer/pagedList';
import { GraphClient } from '../src/core/graph/client';
import { Conversation } from '../src/core/graph/models';
import { RequestScheduler } from '../src/core/graph/scheduler';
import { Credentials, GraphTransport } from '../src/core/graph/transport';
import { ResolutionCache } from '../src/core/ids/cache';
import { findIds, findIdsWithOwners } from '../src/core/ids/extract';
import { candidateOwners, Owner, ownerCredentials, Resolution, resolveId, UnresolvedError } from '../src/core/ids/resolve';
import { resolveMany } from '../src/core/ids/resolveMany';
import { GraphSimulator } from '../simulator/index';
import { accountsOf, bareList, baseline, differences, IdFile, mixedLog, Outcome, webhookLog, withoutAppScopedId } from './idFiles';

/** One measured run: Graph requests, calls as Meta counts them, wall time, and (where it matters) heap growth. */
export interface Sample {
  readonly requests: number;
  /** From the simulator's accounting: one per plain request, per `?ids=` ID, per batch item. */
  readonly calls: number;
  readonly ms: number;
  readonly heapMb?: number;
  /** Requests and calls spent finding which account an ID belongs to. */
  readonly discoveryRequests?: number;
  readonly discoveryCalls?: number;
}

export interface Scenario {
  readonly name: string;
  readonly budget: string;
  readonly ours: () => Promise<Sample>;
  /** The documented one-call-per-object flow of the seeds, with the same bound on requests in flight. */
  readonly baseline?: () => Promise<Sample>;
  readonly baselineRuns?: number;
  /** Checks the median sample against the budget; returns what failed. */
  readonly check: (ours: Sample) => string | undefined;
}

export const IN_FLIGHT = 6;

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function measure(sim: GraphSimulator, work: () => Promise<unknown>, heap = false): Promise<Sample> {
  if (heap) {
    collectGarbage();
  }
  const heapBefore = process.memoryUsage().heapUsed;
  // Counts start from zero: the simulator's accounting is what Meta would count.
  sim.reset();
  const started = performance.now();
  const kept = await work();
  const ms = performance.now() - started;
  let heapMb: number | undefined;
  if (heap) {
    collectGarbage();
    heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  }
  void kept;
  const accounting = sim.calls();
  return { requests: accounting.httpRequests, calls: accounting.total, ms, heapMb };
}

export function scenarios(sim: GraphSimulator, idSim: GraphSimulator): Scenario[] {
  const client = () =>
    new GraphClient(new GraphTransport({ fetch, host: sim.url, scheduler: new RequestScheduler({ concurrency: IN_FLIGHT }) }));
  const apps: AppAccount[] = sim.world.apps.map((a) => ({ kind: 'app', id: a.id, name: a.name, secret: a.secret }));
  const page = sim.world.pages[0];
  if (!page) {
    throw new Error('The benchmark world has no Page.');
  }
  const account: PageAccount = {
    kind: 'page',
    id: page.id,
    name: page.name,
    token: page.accessToken,
    appId: page.appId,
    tasks: [],
    scopes: [],
  };
  const owner: Owner = { kind: 'page', account };
  const creds: Credentials = ownerCredentials(owner, apps);
  const owners = candidateOwners([account], apps, { kind: 'page', id: page.id });
  const threads = (sim.world.conversations.get(page.id) ?? []).filter((c) => c.platform === 'messenger' && c.folder === 'inbox');
  const conversationId = threads.find((c) => c.messageCount >= 20)?.id ?? '';
  // People who wrote to the Page through its bot's app, as in a bot's webhook log.
  const appUsers = sim.world.people.filter((p) => p.psids.has(page.id) && p.asids.has(page.appId));
  const psid = appUsers[0]?.psids.get(page.id) ?? '';
  const log = appUsers
    .slice(0, 1000)
    .map(
      (p, i) =>
        `2026-11-20T12:00:${String(i % 60).padStart(2, '0')}Z INFO webhook mid=m_${i} psid=${p.psids.get(page.id) ?? ''} page=${page.id}`,
    )
    .join('\n');
  const call =
    <T>(c: GraphClient) =>
    (o: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>) =>
      work(c, ownerCredentials(o, apps));

  const pageThrough = (limit: number, count: number) => async () => {
    const c = client();
    const list = new PagedList<Conversation>((after) => c.listConversations(creds, page.id, { platform: 'messenger', limit, after }));
    await list.ensureLoaded();
    while (list.hasMore && list.items.length < count) {
      await list.loadMore();
    }
    return list;
  };

  return [
    {
      name: 'expand a Page: 25 conversations with participants, snippet, counts',
      budget: '1 request',
      ours: () => measure(sim, () => client().listConversations(creds, page.id, { platform: 'messenger', limit: 25 })),
      baseline: () =>
        measure(sim, async () => {
          const c = client();
          const ids = (await c.transport.request(`${page.id}/conversations`, creds, { params: { platform: 'messenger', limit: 25 } }))
            .body as { data: { id: string }[] };
          return mapLimit(ids.data, IN_FLIGHT, (t) =>
            c.transport.request(t.id, creds, { params: { fields: 'participants,snippet,message_count,unread_count,updated_time' } }),
          );
        }),
      check: (s) => (s.requests <= 1 ? undefined : `${s.requests} requests`),
    },
    {
      name: 'expand a conversation: 20 messages with from, to, text, attachments',
      budget: '1 request (baseline 21)',
      ours: () => measure(sim, () => client().listMessages(creds, conversationId, { limit: 20 })),
      baseline: () =>
        measure(sim, async () => {
          const c = client();
          const body = (await c.transport.request(conversationId, creds, { params: { fields: 'messages.limit(20)' } })).body as {
            messages: { data: { id: string }[] };
          };
          return mapLimit(body.messages.data, IN_FLIGHT, (m) =>
            c.transport.request(m.id, creds, { params: { fields: 'id,created_time,from,to,message,attachments' } }),
          );
        }),
      check: (s) => (s.requests <= 1 ? undefined : `${s.requests} requests`),
    },
    {
      name: "resolve one ID's linked apps and Pages",
      budget: '≤ 2 requests',
      ours: () => measure(sim, () => resolveId(call(client()), psid, owners)),
      baseline: () =>
        measure(sim, async () => {
          const c = client();
          return Promise.all([c.idsForApps(creds, psid), c.idsForPages(creds, psid)]);
        }),
      check: (s) => (s.requests <= 2 ? undefined : `${s.requests} requests`),
    },
    {
      name: 'resolve the same ID again (cached)',
      budget: '0 requests',
      ours: async () => {
        const cache = new ResolutionCache(() => 3_600_000);
        cache.set('bench', await resolveId(call(client()), psid, owners));
        return measure(sim, async () => cache.get('bench', psid) ?? resolveId(call(client()), psid, owners));
      },
      check: (s) => (s.requests === 0 ? undefined : `${s.requests} requests`),
    },
    {
      name: "resolve all 1,000 distinct IDs of one Page's app users in a generated log file",
      budget: '≤ 20 requests, ≤ 1,000 calls, < 1 s',
      ours: () =>
        measure(sim, () =>
          resolveMany(
            call(client()),
            [...new Set(findIds(log).map((f) => f.id))].filter((id) => id !== page.id),
            owners,
            { concurrency: 4 },
          ),
        ),
      baseline: () =>
        measure(sim, async () => {
          const c = client();
          const ids = [...new Set(findIds(log).map((f) => f.id))].filter((id) => id !== page.id);
          return mapLimit(ids, IN_FLIGHT, (id) => Promise.all([c.idsForApps(creds, id), c.idsForPages(creds, id)]));
        }),
      baselineRuns: 1,
      check: (s) =>
        s.requests <= 20 && s.calls <= 1000 && s.ms < 1000 ? undefined : `${s.requests} requests, ${s.calls} calls, ${s.ms.toFixed(0)} ms`,
    },
    {
      name: 'page through 1,000 conversations with Load more (100 per page)',
      budget: '1 request per page',
      ours: () => measure(sim, pageThrough(100, 1000), true),
      check: (s) => (s.requests <= 10 ? undefined : `${s.requests} requests`),
    },
    {
      name: 'page through 10,000 conversations with Load more (100 per page)',
      budget: '1 request per page; heap < 30 MB',
      ours: () => measure(sim, pageThrough(100, 10_000), true),
      baseline: () =>
        measure(sim, async () => {
          const c = client();
          let after: string | undefined;
          let total = 0;
          do {
            const pageOfIds = await c.listConversations(creds, page.id, { platform: 'messenger', limit: 100, after });
            await mapLimit(pageOfIds.items, IN_FLIGHT, (t) =>
              c.transport.request(t.id, creds, { params: { fields: 'participants,snippet,message_count,unread_count,updated_time' } }),
            );
            total += pageOfIds.items.length;
            after = pageOfIds.after;
          } while (after && total < 10_000);
        }),
      baselineRuns: 1,
      check: (s) => (s.requests <= 101 && (s.heapMb ?? 0) < 30 ? undefined : `${s.requests} requests, ${(s.heapMb ?? 0).toFixed(1)} MB`),
    },
    ...idScenarios(idSim),
  ];
}

/**
 * Files of 1,000 distinct IDs (and repeats) in a world of 2 businesses, 4 Pages (2 with Instagram)
 * and 4 apps, against the seeds' flow given each ID's right token. Budgets (issue 18): calls ≤ IDs +
 * people without an app-scoped ID for their Page + discovery (≤ 2 % of IDs); requests ≤ ⌈IDs/50⌉ ×
 * 1.5 + discovery requests; nothing lost against the baseline.
 */
function idScenarios(sim: GraphSimulator): Scenario[] {
  const transport = () => new GraphTransport({ fetch, host: sim.url, scheduler: new RequestScheduler({ concurrency: IN_FLIGHT }) });
  const { apps, owners } = accountsOf(sim.world);
  const accountIds = new Set(
    owners.flatMap((o) => [o.account.id, ...(o.kind === 'page' && o.account.instagram ? [o.account.instagram.id] : [])]),
  );
  const log = webhookLog(sim.world);
  const files: { file: IdFile; timeBudgetMs: number }[] = [
    { file: log, timeBudgetMs: 1500 },
    { file: bareList(log), timeBudgetMs: 3000 },
    { file: mixedLog(sim.world), timeBudgetMs: 1500 },
  ];
  const cache = new ResolutionCache(() => 3_600_000);
  const out: Scenario[] = files.map(({ file, timeBudgetMs }) => {
    const fallback = withoutAppScopedId(sim.world, file);
    const ids = file.ids.length;
    const discoveryBudget = Math.floor(ids * 0.02);
    let ours: Map<string, Resolution | UnresolvedError> | undefined;
    let expected: Map<string, Outcome> | undefined;
    return {
      name: `resolve a ${file.name}: ${ids.toLocaleString('en')} distinct IDs in ${file.lines.toLocaleString('en')} lines (${fallback} people without an app-scoped ID for their Page)`,
      budget: `≤ ${ids + fallback} + discovery ≤ ${discoveryBudget} calls; ≤ ${Math.ceil(ids / 50) * 1.5} + discovery requests; < ${timeBudgetMs / 1000} s; nothing lost`,
      ours: async () => {
        let discoveryRequests = 0;
        let discoveryCalls = 0;
        const sample = await measure(sim, async () => {
          const c = new GraphClient(transport());
          const found = findIdsWithOwners(file.text, accountIds);
          ours = await resolveMany((o, work) => work(c, ownerCredentials(o, apps)), found.ids, owners, {
            hints: found.hints,
            concurrency: IN_FLIGHT,
            onReport: (r) => ((discoveryRequests = r.discoveryRequests), (discoveryCalls = r.discoveryCalls)),
          });
          if (file === log) {
            ours.forEach((r) => (r instanceof UnresolvedError ? undefined : cache.set('bench', r)));
          }
        });
        return { ...sample, discoveryRequests, discoveryCalls };
      },
      baseline: () =>
        measure(sim, async () => {
          expected = await baseline(new GraphClient(transport()), file, apps, IN_FLIGHT);
        }),
      baselineRuns: 1,
      check: (s) => {
        const problems: string[] = [];
        const discoveryCalls = s.discoveryCalls ?? 0;
        if (s.calls > ids + fallback + discoveryCalls || discoveryCalls > discoveryBudget) {
          problems.push(`${s.calls} calls (${discoveryCalls} discovery)`);
        }
        if (s.requests > Math.ceil(ids / 50) * 1.5 + (s.discoveryRequests ?? 0)) {
          problems.push(`${s.requests} requests (${s.discoveryRequests ?? 0} discovery)`);
        }
        if (s.ms >= timeBudgetMs) {
          problems.push(`${s.ms.toFixed(0)} ms`);
        }
        const lost = expected && ours ? differences(expected, ours) : ['not compared'];
        if (lost.length > 0) {
          problems.push(`${lost.length} IDs differ from the baseline`);
        }
        return problems.length === 0 ? undefined : problems.join(', ');
      },
    };
  });
  out.push({
    name: 'resolve the webhook log again (its resolved IDs cached)',
    budget: '0 calls for cached IDs (only the unresolved ones are asked again)',
    ours: () =>
      measure(sim, async () => {
        const c = new GraphClient(transport());
        const found = findIdsWithOwners(log.text, accountIds);
        return resolveMany((o, work) => work(c, ownerCredentials(o, apps)), found.ids, owners, {
          hints: found.hints,
          cached: (id) => cache.get('bench', id),
        });
      }),
    check: (s) => {
      const uncached = log.ids.filter((id) => !cache.get('bench', id)).length;
      return cache.size > 0 && s.calls <= uncached ? undefined : `${s.calls} calls for ${uncached} uncached IDs (${cache.size} cached)`;
    },
  });
  return out;
}
