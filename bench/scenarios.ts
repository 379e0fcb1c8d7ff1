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
import { findIds } from '../src/core/ids/extract';
import { candidateOwners, Owner, ownerCredentials, resolveId } from '../src/core/ids/resolve';
import { resolveMany } from '../src/core/ids/resolveMany';
import { GraphSimulator } from '../simulator/index';

/** One measured run: Graph requests, wall time, and (where it matters) heap growth. */
export interface Sample {
  readonly requests: number;
  readonly ms: number;
  readonly heapMb?: number;
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
  const before = sim.log.length;
  const started = performance.now();
  const kept = await work();
  const ms = performance.now() - started;
  let heapMb: number | undefined;
  if (heap) {
    collectGarbage();
    heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  }
  void kept;
  return { requests: sim.log.length - before, ms, heapMb };
}

export function scenarios(sim: GraphSimulator): Scenario[] {
  const client = () => new GraphClient(new GraphTransport({ fetch, host: sim.url, scheduler: new RequestScheduler({ concurrency: IN_FLIGHT }) }));
  const apps: AppAccount[] = sim.world.apps.map((a) => ({ kind: 'app', id: a.id, name: a.name, secret: a.secret }));
  const page = sim.world.pages[0];
  if (!page) {
    throw new Error('The benchmark world has no Page.');
  }
  const account: PageAccount = { kind: 'page', id: page.id, name: page.name, token: page.accessToken, appId: page.appId, tasks: [], scopes: [] };
  const owner: Owner = { kind: 'page', account };
  const creds: Credentials = ownerCredentials(owner, apps);
  const owners = candidateOwners([account], apps, { kind: 'page', id: page.id });
  const threads = (sim.world.conversations.get(page.id) ?? []).filter((c) => c.platform === 'messenger' && c.folder === 'inbox');
  const conversationId = threads.find((c) => c.messageCount >= 20)?.id ?? '';
  // People who wrote to the Page through its bot's app, as in a bot's webhook log.
  const appUsers = sim.world.people.filter((p) => p.psids.has(page.id) && p.asids.has(page.appId));
  const psid = appUsers[0]?.psids.get(page.id) ?? '';
  const log = appUsers.slice(0, 1000).map((p, i) => `2026-11-20T12:00:${String(i % 60).padStart(2, '0')}Z INFO webhook mid=m_${i} psid=${p.psids.get(page.id) ?? ''} page=${page.id}`).join('\n');
  const call = <T>(c: GraphClient) => (o: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>) => work(c, ownerCredentials(o, apps));

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
      baseline: () => measure(sim, async () => {
        const c = client();
        const ids = (await c.transport.request(`${page.id}/conversations`, creds, { params: { platform: 'messenger', limit: 25 } })).body as { data: { id: string }[] };
        return mapLimit(ids.data, IN_FLIGHT, (t) => c.transport.request(t.id, creds, { params: { fields: 'participants,snippet,message_count,unread_count,updated_time' } }));
      }),
      check: (s) => (s.requests <= 1 ? undefined : `${s.requests} requests`),
    },
    {
      name: 'expand a conversation: 20 messages with from, to, text, attachments',
      budget: '1 request (baseline 21)',
      ours: () => measure(sim, () => client().listMessages(creds, conversationId, { limit: 20 })),
      baseline: () => measure(sim, async () => {
        const c = client();
        const body = (await c.transport.request(conversationId, creds, { params: { fields: 'messages.limit(20)' } })).body as { messages: { data: { id: string }[] } };
        return mapLimit(body.messages.data, IN_FLIGHT, (m) => c.transport.request(m.id, creds, { params: { fields: 'id,created_time,from,to,message,attachments' } }));
      }),
      check: (s) => (s.requests <= 1 ? undefined : `${s.requests} requests`),
    },
    {
      name: 'resolve one ID\'s linked apps and Pages',
      budget: '≤ 2 requests',
      ours: () => measure(sim, () => resolveId(call(client()), psid, owners)),
      baseline: () => measure(sim, async () => {
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
      name: 'resolve all 1,000 distinct IDs in a generated log file',
      budget: '≤ 20 requests, < 1 s',
      ours: () => measure(sim, () => resolveMany(call(client()), [...new Set(findIds(log).map((f) => f.id))].filter((id) => id !== page.id), owners, { concurrency: 4 })),
      baseline: () => measure(sim, async () => {
        const c = client();
        const ids = [...new Set(findIds(log).map((f) => f.id))].filter((id) => id !== page.id);
        return mapLimit(ids, IN_FLIGHT, (id) => Promise.all([c.idsForApps(creds, id), c.idsForPages(creds, id)]));
      }),
      baselineRuns: 1,
      check: (s) => (s.requests <= 20 && s.ms < 1000 ? undefined : `${s.requests} requests, ${s.ms.toFixed(0)} ms`),
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
      baseline: () => measure(sim, async () => {
        const c = client();
        let after: string | undefined;
        let total = 0;
        do {
          const pageOfIds = await c.listConversations(creds, page.id, { platform: 'messenger', limit: 100, after });
          await mapLimit(pageOfIds.items, IN_FLIGHT, (t) => c.transport.request(t.id, creds, { params: { fields: 'participants,snippet,message_count,unread_count,updated_time' } }));
          total += pageOfIds.items.length;
          after = pageOfIds.after;
        } while (after && total < 10_000);
      }),
      baselineRuns: 1,
      check: (s) => (s.requests <= 101 && (s.heapMb ?? 0) < 30 ? undefined : `${s.requests} requests, ${(s.heapMb ?? 0).toFixed(1)} MB`),
    },
  ];
}
