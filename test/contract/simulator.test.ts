import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { GraphSimulator, startSimulator } from '../../simulator/index';
import type { CallAccounting } from '../../simulator/server';

/**
 * The simulator as a bot developer's own Graph client sees it: raw HTTP, Meta's documented request
 * forms, Meta's answer shapes and Meta's call counting (issue 17).
 */
type Json = Record<string, unknown>;

const proofOf = (token: string, secret: string) => createHmac('sha256', secret).update(token).digest('hex');

describe('Simulator fidelity to Meta (raw HTTP, issue 17)', function () {
  this.timeout(20_000);
  let sim: GraphSimulator;
  let page: { id: string; token: string; secret: string; proof: string };
  let userToken: string;

  before(async () => {
    sim = await startSimulator({ seed: 7, itemCostMs: 0 });
    const p = sim.world.pages[0] ?? assert.fail('a Page');
    const secret = sim.world.app(p.appId)?.secret ?? assert.fail('its app');
    page = { id: p.id, token: p.accessToken, secret, proof: proofOf(p.accessToken, secret) };
    userToken = sim.credentials().userToken;
  });
  after(() => sim.stop());
  beforeEach(() => {
    sim.reset();
    sim.itemCostMs = 0;
  });

  /** GET with the token in the Authorization header and the proof in the query string. */
  async function get(
    path: string,
    params: Record<string, string> = {},
    token = page.token,
    proof: string | null = page.proof,
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const query = new URLSearchParams({ ...params, ...(proof ? { appsecret_proof: proof } : {}) });
    const response = await fetch(`${sim.url}/v26.0/${path}?${query.toString()}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
  }

  const messengerThreads = () =>
    (sim.world.conversations.get(page.id) ?? []).filter((c) => c.platform === 'messenger' && c.folder === 'inbox');
  const personOfFirstPage = () => sim.world.people.find((p) => p.psids.has(page.id) && p.asids.size > 0) ?? assert.fail('a person');

  describe('1. nodes always carry id', () => {
    it('a PSID node asked for name and linked IDs, with id last as in the seeds', async () => {
      const psid = personOfFirstPage().psids.get(page.id) ?? '';
      const { status, body } = await get(psid, { fields: 'name,ids_for_apps,ids_for_pages' });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.id, psid);
      assert.deepEqual(Object.keys(body), ['name', 'ids_for_apps', 'ids_for_pages', 'id']);
    });

    it('a conversation asked for messages, /me asked for name, a message asked for its text', async () => {
      const conv = messengerThreads()[0] ?? assert.fail('a thread');
      const thread = await get(conv.id, { fields: 'messages' });
      assert.deepEqual(Object.keys(thread.body), ['messages', 'id']);
      assert.equal(thread.body.id, conv.id);
      const me = await get('me', { fields: 'name' }, userToken, proofOf(userToken, sim.world.apps[0]?.secret ?? ''));
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.id, sim.world.users[0]?.id);
      const pageMe = await get('me', { fields: 'name' });
      assert.equal(pageMe.body.id, page.id);
      const messageId = ((thread.body.messages as Json).data as Json[])[0]?.id as string;
      const message = await get(messageId, { fields: 'message' });
      assert.deepEqual(Object.keys(message.body), ['message', 'id']);
    });

    it('list items and participants asked for without id', async () => {
      const { body } = await get(`${page.id}/conversations`, { platform: 'messenger', fields: 'participants{name}', limit: '5' });
      const items = body.data as Json[];
      assert.equal(items.length, 5);
      for (const item of items) {
        assert.equal(typeof item.id, 'string');
        assert.ok(((item.participants as Json).data as Json[]).every((p) => typeof p.id === 'string' && typeof p.name === 'string'));
      }
    });
  });

  describe('2. paging.next of an edge nested in fields is the next page of that edge', () => {
    /** Follows `next` URLs as a generic client would, with a bound, and returns every item. */
    async function followNext(first: Json): Promise<{ items: Json[]; urls: string[] }> {
      const items = [...(first.data as Json[])];
      const urls: string[] = [];
      let next = (first.paging as Json | undefined)?.next as string | undefined;
      while (next !== undefined) {
        assert.ok(urls.length < 100, 'next never ends');
        assert.ok(!urls.includes(next), `next repeats: ${next}`);
        urls.push(next);
        // Meta's next URL carries the token, not the proof: a client adds it, as it does to every call.
        const url = new URL(next);
        url.searchParams.set('appsecret_proof', page.proof);
        const response = await fetch(url);
        const body = (await response.json()) as Json;
        assert.equal(response.status, 200, JSON.stringify(body));
        items.push(...(body.data as Json[]));
        next = (body.paging as Json | undefined)?.next as string | undefined;
      }
      return { items, urls };
    }

    it('/{conversation}?fields=messages.limit(3){id,message}: next is /{conversation}/messages with the same fields', async () => {
      const conv = messengerThreads().find((c) => c.messageCount > 7) ?? assert.fail('a long thread');
      const { body } = await get(conv.id, { fields: 'messages.limit(3){id,message}' });
      const first = body.messages as Json;
      const next = new URL((first.paging as Json).next as string);
      assert.equal(next.pathname, `/v26.0/${conv.id}/messages`);
      assert.equal(next.searchParams.get('fields'), 'id,message');
      assert.equal(next.searchParams.get('limit'), '3');
      const { items } = await followNext(first);
      assert.equal(items.length, conv.messageCount);
      assert.equal(new Set(items.map((m) => m.id)).size, conv.messageCount);
      assert.ok(items.every((m) => 'message' in m));
    });

    it("/{conversation}?fields=messages (the seeds' request): following next never errors", async () => {
      const conv = messengerThreads().find((c) => c.messageCount > 25) ?? assert.fail('a thread of more than 25 messages');
      const { body } = await get(conv.id, { fields: 'messages' });
      const { items } = await followNext(body.messages as Json);
      assert.equal(items.length, conv.messageCount);
    });

    it('/{page}?fields=conversations.limit(2){id}: next does not loop back to the first page', async () => {
      const { body } = await get(page.id, { fields: 'conversations.limit(2){id}' });
      const { items, urls } = await followNext(body.conversations as Json);
      assert.ok(urls.every((u) => new URL(u).pathname === `/v26.0/${page.id}/conversations`));
      assert.equal(items.length, messengerThreads().length);
      assert.equal(new Set(items.map((c) => c.id)).size, items.length);
    });

    it('/{psid}?fields=ids_for_pages.limit(1): next is /{psid}/ids_for_pages', async () => {
      const person =
        sim.world.people.find(
          (p) =>
            p.psids.has(page.id) &&
            [...p.psids.keys()].filter((id) => sim.world.page(id)?.businessId === sim.world.page(page.id)?.businessId).length > 1,
        ) ?? assert.fail('a person on two Pages of one business');
      const psid = person.psids.get(page.id) ?? '';
      const { body } = await get(psid, { fields: 'ids_for_pages.limit(1)' });
      const edge = body.ids_for_pages as Json;
      assert.equal(new URL((edge.paging as Json).next as string).pathname, `/v26.0/${psid}/ids_for_pages`);
      // The next URL carries the token but, as Meta's, not the proof: add it, as a client must.
      const next = new URL((edge.paging as Json).next as string);
      next.searchParams.set('appsecret_proof', page.proof);
      const second = (await (await fetch(next)).json()) as Json;
      assert.equal((second.data as Json[]).length, 1, JSON.stringify(second));
    });
  });

  describe('3. batch and JSON bodies in every documented form', () => {
    const items = () => [
      { method: 'GET', relative_url: `${page.id}?fields=name` },
      { method: 'GET', relative_url: `${page.id}/conversations?platform=messenger&limit=2` },
    ];
    const checkBatch = async (response: Response, headers = true) => {
      const text = await response.text();
      assert.equal(response.status, 200, text);
      const body = JSON.parse(text) as { code: number; body: string; headers?: unknown[] }[];
      assert.equal(body.length, 2, text);
      assert.deepEqual(
        body.map((b) => b.code),
        [200, 200],
        text,
      );
      assert.equal((JSON.parse(body[0]?.body ?? '{}') as Json).id, page.id);
      assert.equal(
        body.every((b) => Array.isArray(b.headers)),
        headers,
      );
      return body;
    };

    it('form body on POST /, token in the form', async () => {
      const form = new URLSearchParams({ batch: JSON.stringify(items()), access_token: page.token, appsecret_proof: page.proof });
      await checkBatch(await fetch(`${sim.url}/v26.0/`, { method: 'POST', body: form }));
      assert.equal(sim.log.at(-1)?.tokenSource, 'form');
    });

    it("POST /me?batch=…&include_headers=false&access_token=… (query string, as Meta's batch doc)", async () => {
      const query = new URLSearchParams({
        batch: JSON.stringify(items()),
        include_headers: 'false',
        access_token: page.token,
        appsecret_proof: page.proof,
      });
      await checkBatch(await fetch(`${sim.url}/me?${query.toString()}`, { method: 'POST' }), false);
      assert.equal(sim.log.at(-1)?.tokenSource, 'query');
    });

    it('POST /{page} with a JSON body and the token in the Authorization header', async () => {
      await checkBatch(
        await fetch(`${sim.url}/v26.0/${page.id}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${page.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ batch: items(), appsecret_proof: page.proof }),
        }),
      );
      assert.equal(sim.log.at(-1)?.tokenSource, 'header');
    });

    it('a JSON body with the token in it and include_headers as a boolean', async () => {
      await checkBatch(
        await fetch(`${sim.url}/v26.0/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ access_token: page.token, appsecret_proof: page.proof, include_headers: false, batch: items() }),
        }),
        false,
      );
      assert.equal(sim.log.at(-1)?.tokenSource, 'json');
    });

    it("multipart/form-data, as curl -F in Meta's batch doc", async () => {
      const form = new FormData();
      form.set('access_token', page.token);
      form.set('appsecret_proof', page.proof);
      form.set('batch', JSON.stringify(items()));
      await checkBatch(await fetch(`${sim.url}/`, { method: 'POST', body: form }));
    });

    it('named operations referenced with {result=name:$.data.*.id} are left out unless omit_response_on_success is false', async () => {
      const batch = [
        { method: 'GET', name: 'threads', relative_url: `${page.id}/conversations?platform=messenger&limit=3` },
        { method: 'GET', relative_url: '?ids={result=threads:$.data.*.id}&fields=updated_time' },
        {
          method: 'GET',
          name: 'first',
          relative_url: `${page.id}/conversations?platform=messenger&limit=1`,
          omit_response_on_success: false,
        },
        { method: 'GET', relative_url: '{result=first:$.data.0.id}?fields=message_count' },
      ];
      const response = await fetch(`${sim.url}/v26.0/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${page.token}` },
        body: new URLSearchParams({ batch: JSON.stringify(batch), appsecret_proof: page.proof, include_headers: 'false' }),
      });
      const out = (await response.json()) as ({ code: number; body: string } | null)[];
      assert.equal(out[0], null, 'a referenced operation is omitted by default');
      const many = JSON.parse(out[1]?.body ?? '{}') as Json;
      assert.equal(out[1]?.code, 200, out[1]?.body);
      assert.deepEqual(
        Object.keys(many),
        messengerThreads()
          .slice(0, 3)
          .map((c) => c.id),
      );
      assert.equal(out[2]?.code, 200);
      const single = JSON.parse(out[3]?.body ?? '{}') as Json;
      assert.equal(single.id, messengerThreads()[0]?.id);
      assert.equal(typeof single.message_count, 'number');
    });

    it('depends_on: an operation whose dependency failed fails on its own, the others succeed', async () => {
      const batch = [
        { method: 'GET', name: 'missing', relative_url: 'm_doesnotexist?fields=id' },
        { method: 'GET', depends_on: 'missing', relative_url: `${page.id}?fields=name` },
        { method: 'GET', name: 'ok', relative_url: `${page.id}?fields=id` },
        { method: 'GET', depends_on: 'ok', relative_url: `${page.id}?fields=name` },
      ];
      const response = await fetch(`${sim.url}/v26.0/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${page.token}` },
        body: new URLSearchParams({ batch: JSON.stringify(batch), appsecret_proof: page.proof, include_headers: 'false' }),
      });
      const out = (await response.json()) as ({ code: number; body: string } | null)[];
      assert.equal(out[0]?.code, 400);
      assert.equal(out[1]?.code, 400);
      assert.ok((JSON.parse(out[1]?.body ?? '{}') as { error?: unknown }).error);
      assert.equal(out[2], null, 'depended on and succeeded: omitted');
      assert.equal(out[3]?.code, 200);
    });

    it("a JSON POST with Graph's method=GET override reads, as a form POST does", async () => {
      const app = sim.world.apps[0] ?? assert.fail('an app');
      const response = await fetch(`${sim.url}/v26.0/debug_token`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${app.id}|${app.secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: 'GET', input_token: page.token }),
      });
      const body = (await response.json()) as { data?: Json };
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.data?.profile_id, page.id);
    });
  });

  describe('4. an app access token needs no appsecret_proof', () => {
    it("on ids_for_apps, ids_for_pages and the seeds' combined query, even where the app requires the proof", async () => {
      const app = sim.world.apps[0] ?? assert.fail('an app');
      assert.equal(app.requireProof, true);
      const person = sim.world.people.find((p) => p.asids.has(app.id)) ?? assert.fail('a person');
      const asid = person.asids.get(app.id) ?? '';
      const appToken = `${app.id}|${app.secret}`;
      for (const path of [`${asid}/ids_for_apps`, `${asid}/ids_for_pages`]) {
        const r = await get(path, {}, appToken, null);
        assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
      }
      const combined = await get(asid, { fields: 'name,age_range,ids_for_apps,ids_for_pages' }, appToken, null);
      assert.equal(combined.status, 200, JSON.stringify(combined.body));
      const wrong = await get(`${asid}/ids_for_apps`, {}, appToken, '0'.repeat(64));
      assert.equal(wrong.status, 400, 'a proof that is sent must still be right');
      const pageWithout = await get(`${page.id}/conversations`, { platform: 'messenger' }, page.token, null);
      assert.equal(pageWithout.status, 400, 'a Page token still needs the proof');
    });
  });

  describe("5. call accounting like Meta's", () => {
    const calls = async () =>
      (await (await fetch(`${sim.url}/__simulator/calls`, { headers: sim.controlHeaders() })).json()) as CallAccounting;

    it('counts each ?ids= ID in the usage header, the rate limit and the calls endpoint', async () => {
      sim.limiter.limits = { ...sim.limiter.limits, page: 100 };
      try {
        const psids = sim.world.people
          .map((p) => p.psids.get(page.id))
          .filter((x): x is string => x !== undefined)
          .slice(0, 10);
        const r = await get('', { ids: psids.join(','), fields: 'name' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const usage = JSON.parse(r.headers.get('x-business-use-case-usage') ?? '{}') as Record<
          string,
          { type: string; call_count: number }[]
        >;
        assert.equal(usage[page.id]?.[0]?.call_count, 10, '10 IDs of a limit of 100 are 10%');
        const counted = await calls();
        assert.equal(counted.total, 10);
        assert.equal(counted.httpRequests, 1);
        assert.equal(counted.byToken[0]?.calls, 10);
        assert.equal(counted.byToken[0]?.subjectId, page.id);
        assert.ok(!JSON.stringify(counted).includes(page.token), 'tokens are redacted');
        assert.deepEqual(counted.byBusinessObject, [{ id: page.id, type: 'messenger', calls: 10 }]);
        const big = sim.world.people
          .map((p) => p.psids.get(page.id))
          .filter((x): x is string => x !== undefined)
          .slice(0, 40);
        assert.ok(big.length >= 40);
        const limited = [];
        for (let i = 0; i < 3; i++) {
          limited.push((await get('', { ids: big.join(','), fields: 'name' })).body);
        }
        assert.equal((limited[2]?.error as Json | undefined)?.code, 80006, 'over 100 calls after 130 IDs in 4 requests');
      } finally {
        sim.limiter.limits = { ...sim.limiter.limits, page: 5000 };
      }
    });

    it('counts each batch item, per token and business object, and reset clears the counts', async () => {
      const batch = Array.from({ length: 5 }, () => ({
        method: 'GET',
        relative_url: `${page.id}/conversations?platform=messenger&limit=1`,
      }));
      await fetch(`${sim.url}/v26.0/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${page.token}` },
        body: new URLSearchParams({ batch: JSON.stringify(batch), appsecret_proof: page.proof }),
      });
      const counted = await calls();
      assert.equal(counted.total, 5);
      assert.equal(counted.httpRequests, 1);
      assert.equal(sim.log.at(-1)?.calls, 5);
      assert.deepEqual(counted.byApp, [{ appId: sim.world.page(page.id)?.appId, calls: 5 }]);
      await fetch(`${sim.url}/__simulator/reset`, { method: 'POST', headers: sim.controlHeaders(), body: '{}' });
      assert.equal((await calls()).total, 0);
    });

    it('an injected 80006 reports the Messenger business use case, on any Page call', async () => {
      for (const path of [`${page.id}/conversations`, page.id]) {
        sim.faults.add({ kind: 'rateLimit', code: 80006, times: 1 });
        const r = await get(path, { platform: 'messenger' });
        assert.equal(sim.log.at(-1)?.fault, 'rateLimit', `the rate limit was served on ${path}`);
        assert.equal((r.body.error as Json).code, 80006);
        const usage = JSON.parse(r.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string }[]>;
        assert.equal(usage[page.id]?.[0]?.type, 'messenger', path);
      }
    });

    it('server time grows with the work: a batch of 8 takes longer than one call', async () => {
      sim.itemCostMs = 25;
      const time = async (work: () => Promise<unknown>) => {
        const started = performance.now();
        await work();
        return performance.now() - started;
      };
      const one = await time(() => get(`${page.id}/conversations`, { platform: 'messenger', limit: '1' }));
      const batch = Array.from({ length: 8 }, () => ({ method: 'GET', relative_url: `${page.id}?fields=name` }));
      const eight = await time(() =>
        fetch(`${sim.url}/v26.0/`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${page.token}` },
          body: new URLSearchParams({ batch: JSON.stringify(batch), appsecret_proof: page.proof }),
        }),
      );
      assert.ok(one >= 20, `one call ${one.toFixed(0)} ms`);
      assert.ok(eight >= 8 * 25 - 5, `batch of 8 ${eight.toFixed(0)} ms`);
      assert.ok(eight > one + 100, `batch ${eight.toFixed(0)} ms vs one call ${one.toFixed(0)} ms`);
    });
  });

  describe('6. PSID user nodes have the User Profile API fields', () => {
    it('first_name, last_name and profile_pic with the Page token', async () => {
      const person = personOfFirstPage();
      const psid = person.psids.get(page.id) ?? '';
      const { status, body } = await get(psid, { fields: 'first_name,last_name,profile_pic' });
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(Object.keys(body), ['first_name', 'last_name', 'profile_pic', 'id']);
      assert.equal(`${String(body.first_name)} ${String(body.last_name)}`, person.name);
      assert.match(String(body.profile_pic), /^https:\/\//);
    });
  });

  describe('7. messages model shares', () => {
    it('some messages are shared posts: link and title when asked for, id alone by default', async () => {
      let found: { convId: string; id: string } | undefined;
      for (const conv of messengerThreads()) {
        const m = sim.world
          .messages(conv)
          .slice(0, 20)
          .find((x) => x.shares);
        if (m) {
          found = { convId: conv.id, id: m.id };
          break;
        }
      }
      assert.ok(found, 'the world has a shared post');
      await get(found.convId, { fields: 'messages.limit(25){id}' });
      const detailed = await get(found.id, { fields: 'message,shares{link,name}' });
      const share = ((detailed.body.shares as Json).data as Json[])[0];
      assert.match(String(share?.link), /^https:\/\/www\.facebook\.com\/.+\/posts\/\d+\/$/);
      assert.equal(typeof share?.name, 'string');
      assert.equal(detailed.body.message, '');
      const plain = await get(found.id, { fields: 'shares' });
      assert.deepEqual(Object.keys(((plain.body.shares as Json).data as Json[])[0] ?? {}), ['id']);
    });
  });
});
