import * as assert from 'node:assert/strict';
import { AppAccount, credentialsFor, PageAccount } from '../../src/core/accounts/accounts';
import { GraphClient } from '../../src/core/graph/client';
import { candidateOwners, Owner, ownerCredentials, resolveId, UnresolvedError } from '../../src/core/ids/resolve';
import { resolveMany } from '../../src/core/ids/resolveMany';
import { GraphTransport } from '../../src/core/graph/transport';
import { GraphSimulator, startSimulator } from '../../simulator/index';
import { rejection } from '../support/rejection';

describe('Resolving linked IDs against the simulator (real HTTP)', () => {
  let sim: GraphSimulator;
  let client: GraphClient;
  let apps: AppAccount[];
  let pages: PageAccount[];
  const call = <T>(owner: Owner, work: (c: GraphClient, creds: ReturnType<typeof credentialsFor>) => Promise<T>) =>
    work(client, ownerCredentials(owner, apps));

  before(async () => {
    sim = await startSimulator({ seed: 21, people: 80 });
    client = new GraphClient(new GraphTransport({ fetch, host: sim.url, timeoutMs: 2000 }));
    apps = sim.world.apps.map((a) => ({ kind: 'app', id: a.id, name: a.name, secret: a.secret }));
    pages = sim.world.pages.map((p) => ({
      kind: 'page',
      id: p.id,
      name: p.name,
      token: p.accessToken,
      appId: p.appId,
      tasks: [],
      scopes: [],
    }));
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  const personWith = (pageId: string) => sim.world.people.find((p) => p.psids.has(pageId) && p.asids.size > 1) ?? assert.fail('a person');

  it('PSID with its Page token: the app- and page-scoped IDs of the same business, in one request', async () => {
    const page = sim.world.pages[0];
    assert.ok(page);
    const person = personWith(page.id);
    const psid = person.psids.get(page.id) ?? '';
    const result = await resolveId(call, psid, candidateOwners(pages, apps, { kind: 'page', id: page.id }));
    assert.equal(sim.log.length, 1);
    assert.equal(result.via.id, page.id);
    assert.equal(result.name, person.name);
    const business = page.businessId;
    const expectedApps = sim.world.apps
      .filter((a) => a.businessId === business && person.asids.has(a.id))
      .map((a) => [a.id, person.asids.get(a.id)]);
    assert.deepEqual(result.idsForApps.map((a) => [a.app.id, a.id]).sort(), expectedApps.sort());
    const expectedPages = sim.world.pages
      .filter((p) => p.businessId === business && person.psids.has(p.id))
      .map((p) => [p.id, person.psids.get(p.id)]);
    assert.deepEqual(result.idsForPages.map((p) => [p.page.id, p.id]).sort(), expectedPages.sort());
    assert.ok(sim.log[0]?.query.appsecret_proof, 'with appsecret_proof');
  });

  it('ASID with its app token, trying Pages first when the kind is unknown, and saying which account answered', async () => {
    const app = sim.world.apps[1];
    assert.ok(app);
    const person = sim.world.people.find((p) => p.asids.has(app.id)) ?? assert.fail('a person');
    const asid = person.asids.get(app.id) ?? '';
    const result = await resolveId(call, asid, candidateOwners(pages, apps));
    assert.deepEqual(result.via, { kind: 'app', id: app.id, name: app.name });
    assert.ok(result.idsForPages.length > 0);
    assert.equal(sim.log.length, pages.length + 1 + apps.findIndex((a) => a.id === app.id));
  });

  it('explains an ID nobody can see, and a missing appsecret_proof', async () => {
    const unknown = await rejection(resolveId(call, '999999999999999', candidateOwners(pages, apps)));
    assert.ok(unknown instanceof UnresolvedError);
    assert.equal(unknown.tried, pages.length + apps.length);
    const page = sim.world.pages[0];
    assert.ok(page);
    const psid = personWith(page.id).psids.get(page.id) ?? '';
    const pageOnly = pages.filter((p) => p.id === page.id);
    const noProof = await rejection(
      resolveId((owner, work) => work(client, ownerCredentials(owner, [])), psid, candidateOwners(pageOnly, [])),
    );
    assert.ok(noProof instanceof UnresolvedError);
    assert.equal(noProof.reason?.kind, 'appSecretProof');
  });

  it('resolves many IDs 50 per request, sorting out the ones another account must answer', async () => {
    const [first, second] = sim.world.pages;
    assert.ok(first && second);
    const firstIds = sim.world.people.map((p) => p.psids.get(first.id)).filter((x): x is string => x !== undefined);
    const secondIds = sim.world.people
      .map((p) => p.psids.get(second.id))
      .filter((x): x is string => x !== undefined)
      .slice(0, 5);
    const ids = [...firstIds, ...firstIds.slice(0, 3), ...secondIds, '999999999999999'];
    let progress = 0;
    const results = await resolveMany(call, ids, candidateOwners(pages, apps), { concurrency: 2, onProgress: (done) => (progress = done) });
    assert.equal(results.size, firstIds.length + secondIds.length + 1);
    assert.equal(progress, results.size);
    for (const id of firstIds) {
      const r = results.get(id);
      assert.ok(r && !(r instanceof UnresolvedError) && r.via.id === first.id, id);
    }
    for (const id of secondIds) {
      const r = results.get(id);
      assert.ok(r && !(r instanceof UnresolvedError) && r.via.id === second.id, id);
    }
    assert.ok(results.get('999999999999999') instanceof UnresolvedError);
    const perAccountRequests = sim.log.length;
    assert.ok(perAccountRequests <= 2 * Math.ceil(ids.length / 50) * (pages.length + apps.length), `${perAccountRequests} requests`);
    assert.ok(
      sim.log.some((r) => (r.batchSize ?? 0) > 1) && sim.log.every((r) => (r.batchSize ?? 0) <= 50),
      'up to 50 questions per request',
    );
  });

  describe('a person linked to more apps and Pages than one page of a nested edge holds', () => {
    let big: GraphSimulator;
    before(async () => {
      big = await startSimulator({
        seed: 5,
        businesses: 1,
        pagesPerBusiness: 28,
        appsPerBusiness: 27,
        people: 6,
        conversationsPerPage: 2,
        itemCostMs: 0,
      });
    });
    after(() => big.stop());

    it('follows the nested ids_for_apps / ids_for_pages cursors so no linked ID is lost (linkedIds, ?ids= and batch)', async () => {
      const c = new GraphClient(new GraphTransport({ fetch, host: big.url, timeoutMs: 2000 }));
      const page = big.world.pages[0] ?? assert.fail('a Page');
      const creds = { accessToken: page.accessToken, appSecret: big.world.app(page.appId)?.secret };
      const person = big.world.people[0] ?? assert.fail('a person');
      const psid = person.psids.get(page.id) ?? '';
      assert.ok(person.asids.size > 25 && person.psids.size > 25, 'more than the 25 of a first page');
      const expectedApps = [...person.asids.entries()].map(([app, id]) => `${app}:${id}`).sort();
      const expectedPages = [...person.psids.entries()].map(([p, id]) => `${p}:${id}`).sort();
      const check = (
        linked: { idsForApps: { id: string; app: { id: string } }[]; idsForPages: { id: string; page: { id: string } }[] } | undefined,
        how: string,
      ) => {
        assert.ok(linked, how);
        assert.deepEqual(linked.idsForApps.map((a) => `${a.app.id}:${a.id}`).sort(), expectedApps, `${how}: ids_for_apps`);
        assert.deepEqual(linked.idsForPages.map((p) => `${p.page.id}:${p.id}`).sort(), expectedPages, `${how}: ids_for_pages`);
      };
      big.reset();
      check(await c.linkedIds(creds, psid), 'linkedIds');
      assert.equal(big.log.length, 3, 'the node, then the second page of each edge');
      assert.ok(
        big.log.slice(1).every((r) => r.query.after && r.tokenSource === 'header'),
        'later pages from the cursor, token in the header',
      );
      check((await c.linkedIdsMany(creds, [psid])).get(psid), 'linkedIdsMany');
      const each = (await c.linkedIdsEach(creds, [psid])).get(psid);
      assert.ok(!(each instanceof Error));
      check(each, 'linkedIdsEach');
    });
  });
});
