import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A real garbage collection, so heap figures count what is kept, not what is waiting to be freed. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
import { GraphClient } from '../../src/core/graph/client';
import { PagedList } from '../../src/core/explorer/pagedList';
import { Conversation } from '../../src/core/graph/models';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { GraphTransport } from '../../src/core/graph/transport';
import { candidateOwners, ownerCredentials, resolveId } from '../../src/core/ids/resolve';
import { AppAccount, PageAccount } from '../../src/core/accounts/accounts';
import { GraphSimulator, startSimulator } from '../../simulator/index';

describe('Load: bounded requests in flight, usage respected, memory bounded (real HTTP)', function () {
  this.timeout(120_000);
  let sim: GraphSimulator;

  before(async () => {
    sim = await startSimulator({
      seed: 31,
      businesses: 1,
      pagesPerBusiness: 1,
      appsPerBusiness: 2,
      people: 16_000,
      conversationsPerPage: 11_200,
      latencyMs: 5,
    });
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  const pageAccount = (): PageAccount => {
    const p = sim.world.pages[0] ?? assert.fail('a Page');
    return { kind: 'page', id: p.id, name: p.name, token: p.accessToken, appId: p.appId, tasks: [], scopes: [] };
  };
  const apps = (): AppAccount[] => sim.world.apps.map((a) => ({ kind: 'app', id: a.id, name: a.name, secret: a.secret }));

  it('pages through 10,000 conversations with Load more: one request per page, no duplicates, bounded heap', async () => {
    const scheduler = new RequestScheduler();
    const client = new GraphClient(new GraphTransport({ fetch, host: sim.url, scheduler }));
    const page = pageAccount();
    const creds = ownerCredentials({ kind: 'page', account: page }, apps());
    const list = new PagedList<Conversation>((after) =>
      client.listConversations(creds, page.id, { platform: 'messenger', limit: 100, after }),
    );
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    await list.ensureLoaded();
    while (list.hasMore) {
      await list.loadMore();
    }
    const expected = (sim.world.conversations.get(page.id) ?? []).filter((c) => c.platform === 'messenger' && c.folder === 'inbox').length;
    assert.ok(expected >= 10_000, `${expected} threads in the inbox`);
    assert.equal(list.items.length, expected);
    assert.equal(new Set(list.items.map((c) => c.id)).size, expected);
    assert.equal(sim.log.length, Math.ceil(expected / 100));
    assert.equal(sim.maxInFlight, 1);
    assert.ok(
      sim.log.every((r) => !r.tokenInUrl),
      'next pages are built from the cursor, never from a next URL with the token',
    );
    collectGarbage();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    console.log(`      ${expected} conversations, ${sim.log.length} requests, heap growth ${growthMb.toFixed(1)} MB`);
    assert.ok(growthMb < 60, `heap grew ${growthMb.toFixed(1)} MB`);
  });

  it('runs 100 concurrent ID resolutions with at most 6 requests in flight, and one at a time once usage passes 75%', async () => {
    const scheduler = new RequestScheduler({ concurrency: 6 });
    const client = new GraphClient(new GraphTransport({ fetch, host: sim.url, scheduler }));
    const page = pageAccount();
    const owners = candidateOwners([page], apps());
    const psids = sim.world.people
      .slice(0, 100)
      .map((p) => p.psids.get(page.id))
      .filter((x): x is string => x !== undefined);
    const call = <T>(owner: (typeof owners)[number], work: (c: GraphClient, creds: ReturnType<typeof ownerCredentials>) => Promise<T>) =>
      work(client, ownerCredentials(owner, apps()));
    const results = await Promise.all(psids.map((id) => resolveId(call, id, owners)));
    assert.equal(results.length, psids.length);
    assert.ok(sim.maxInFlight <= 6, `${sim.maxInFlight} in flight`);
    assert.ok(sim.maxInFlight > 1, 'requests do overlap');

    // Usage over 75%: with a limit of 100 calls the usage headers climb past 75% within a few dozen lookups.
    sim.reset();
    sim.limiter.limits = { ...sim.limiter.limits, page: 100 };
    for (const id of psids.slice(0, 60)) {
      await resolveId(call, id, owners);
      if (scheduler.usage > 75) {
        break;
      }
    }
    assert.ok(scheduler.usage > 75, `usage ${scheduler.usage}%`);
    sim.maxInFlight = 0;
    await Promise.all(psids.slice(60, 66).map((id) => resolveId(call, id, owners)));
    assert.equal(sim.maxInFlight, 1, 'one request at a time above 75%');
  });
});
