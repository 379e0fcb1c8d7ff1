import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { GraphClient } from '../../src/core/graph/client';
import { GraphError, GraphErrorKind } from '../../src/core/graph/errors';
import { pageAll } from '../../src/core/graph/paging';
import { GraphTransport } from '../../src/core/graph/transport';
import { GraphSimulator, startSimulator } from '../../simulator/index';

async function kindOf(promise: Promise<unknown>): Promise<GraphErrorKind> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GraphError, `expected GraphError, got ${String(error)}`);
    return error.kind;
  }
  assert.fail('expected an error');
}

describe('GraphClient against the simulator (real HTTP)', () => {
  let sim: GraphSimulator;
  let client: GraphClient;
  let userToken: string;
  let messengerPage: { id: string; token: string; appSecret: string; igId?: string };

  before(async () => {
    sim = await startSimulator({ seed: 7 });
    client = new GraphClient(new GraphTransport({ fetch, host: sim.url, timeoutMs: 2000 }));
    userToken = sim.credentials().userToken;
    const app = sim.world.apps[0];
    const page = sim.world.pages[0];
    assert.ok(app && page);
    messengerPage = { id: page.id, token: page.accessToken, appSecret: app.secret, igId: page.instagram?.id };
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  const pageCreds = () => ({ accessToken: messengerPage.token, appSecret: messengerPage.appSecret });

  it('lists managed Pages with their tokens and tasks', async () => {
    const page = await client.listManagedPages({ accessToken: userToken, appSecret: messengerPage.appSecret });
    assert.equal(page.items.length, sim.world.pages.length);
    assert.ok(page.items.every((p) => p.accessToken && p.tasks.includes('MESSAGING')));
    assert.equal(page.items[0]?.instagramAccountId, messengerPage.igId);
  });

  it('never puts the token in the URL', async () => {
    await client.listManagedPages({ accessToken: userToken, appSecret: messengerPage.appSecret });
    assert.ok(sim.log.length > 0);
    assert.ok(sim.log.every((r) => !r.tokenInUrl && r.tokenSource === 'header'));
  });

  it('expands a Page in one request: conversations with participants, snippet and counts', async () => {
    const page = await client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', limit: 25 });
    assert.equal(sim.log.length, 1);
    assert.equal(page.items.length, 25);
    const first = page.items[0];
    assert.ok(first?.id.startsWith('t_'));
    assert.equal(first?.participants.length, 2);
    assert.equal(typeof first?.snippet, 'string');
    assert.equal(typeof first?.messageCount, 'number');
    assert.ok(page.after, 'there is a next page');
    const times = page.items.map((c) => c.updatedTime ?? 0);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    );
  });

  it('pages with cursors to the end, in one request per page', async () => {
    const ids: string[] = [];
    for await (const p of pageAll((after) =>
      client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', limit: 7, after }),
    )) {
      ids.push(...p.items.map((c) => c.id));
    }
    const expected = (sim.world.conversations.get(messengerPage.id) ?? []).filter(
      (c) => c.platform === 'messenger' && c.folder === 'inbox',
    ).length;
    assert.equal(ids.length, expected);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(sim.log.length, Math.ceil(expected / 7));
  });

  it('lists Instagram threads with usernames', async () => {
    const page = await client.listConversations(pageCreds(), messengerPage.id, { platform: 'instagram' });
    assert.ok(page.items.length > 0);
    assert.ok(page.items[0]?.participants.every((p) => p.username !== undefined && p.name === undefined));
  });

  it("finds one user's thread with user_id", async () => {
    const conv = (sim.world.conversations.get(messengerPage.id) ?? []).find((c) => c.platform === 'messenger');
    assert.ok(conv);
    const psid = sim.world.people[conv.personIndex]?.psids.get(messengerPage.id);
    const page = await client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', userId: psid });
    assert.ok(page.items.some((c) => c.id === conv.id));
  });

  it('expands a conversation in one request: messages with from, to, text, attachments', async () => {
    const conv = (await client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', limit: 1 })).items[0];
    assert.ok(conv);
    sim.reset();
    const messages = await client.listMessages(pageCreds(), conv.id, { limit: 20 });
    assert.equal(sim.log.length, 1);
    assert.ok(messages.items.length > 0);
    assert.ok(messages.items.every((m) => m.from && m.to.length === 1));
    const detail = await client.getMessage(pageCreds(), messages.items[0]?.id ?? '');
    assert.equal(detail.id, messages.items[0]?.id);
  });

  it('decodes shared posts (shares) in message lists and details', async () => {
    const conv = (sim.world.conversations.get(messengerPage.id) ?? []).find(
      (c) =>
        c.platform === 'messenger' &&
        c.folder === 'inbox' &&
        sim.world
          .messages(c)
          .slice(0, 20)
          .some((m) => m.shares),
    );
    assert.ok(conv, 'a thread with a shared post');
    const expected = sim.world.messages(conv).find((m) => m.shares);
    const messages = await client.listMessages(pageCreds(), conv.id, { limit: 20 });
    const listed = messages.items.find((m) => m.id === expected?.id);
    assert.deepEqual(
      listed?.shares.map((s) => [s.link, s.name]),
      expected?.shares?.map((s) => [s.link, s.name]),
    );
    const detail = await client.getMessage(pageCreds(), expected?.id ?? '');
    assert.equal(detail.shares[0]?.link, expected?.shares?.[0]?.link);
    assert.ok(
      messages.items
        .filter((m) => m.id !== expected?.id)
        .every((m) => m.shares.length === 0 || sim.world.messages(conv).find((x) => x.id === m.id)?.shares),
    );
  });

  it('refuses details of Instagram messages older than the 20 most recent', async () => {
    const conv = (sim.world.conversations.get(messengerPage.id) ?? []).find((c) => c.platform === 'instagram' && c.messageCount > 21);
    assert.ok(conv, 'an Instagram thread with more than 21 messages');
    const all = [];
    for await (const p of pageAll((after) => client.listMessages(pageCreds(), conv.id, { limit: 50, after }))) {
      all.push(...p.items);
    }
    const old = all[21];
    assert.ok(old);
    assert.equal(old.from, undefined, 'older messages come back with id and created_time only');
    const kind = await kindOf(client.getMessage(pageCreds(), old.id));
    assert.equal(kind, 'messageUnavailable');
  });

  it('resolves linked IDs: PSID → ids_for_apps and ids_for_pages with the Page token and proof', async () => {
    const person = sim.world.people[0];
    const psid = person?.psids.get(messengerPage.id);
    assert.ok(person && psid);
    const apps = await client.idsForApps(pageCreds(), psid);
    assert.ok(apps.items.length > 0);
    assert.ok(apps.items.every((a) => person.asids.get(a.app.id) === a.id));
    const pages = await client.idsForPages(pageCreds(), psid);
    assert.ok(pages.items.some((p) => p.page.id === messengerPage.id && p.id === psid));
    const combined = await client.linkedIds(pageCreds(), psid);
    assert.equal(combined.name, person.name);
    assert.equal(combined.idsForApps.length, apps.items.length);
  });

  it('resolves linked IDs: ASID → ids_for_pages with the app token and proof, filtered by page', async () => {
    const app = sim.world.apps[0];
    const person = sim.world.people[1];
    const asid = person?.asids.get(app?.id ?? '');
    assert.ok(app && person && asid);
    const creds = { accessToken: `${app.id}|${app.secret}`, appSecret: app.secret };
    const pages = await client.idsForPages(creds, asid, { page: messengerPage.id });
    assert.deepEqual(
      pages.items.map((p) => p.page.id),
      person.psids.has(messengerPage.id) ? [messengerPage.id] : [],
    );
    const many = await client.linkedIdsMany(creds, [asid]);
    assert.ok(many.get(asid));
  });

  it('gives the (#200) policy error across businesses', async () => {
    const otherBusinessPage = sim.world.pages.find((p) => p.businessId !== sim.world.pages[0]?.businessId);
    const psid = sim.world.people[0]?.psids.get(otherBusinessPage?.id ?? '');
    assert.ok(psid);
    assert.equal(await kindOf(client.idsForApps(pageCreds(), psid)), 'businessReview');
  });

  it('requires appsecret_proof and rejects a wrong one', async () => {
    assert.equal(
      await kindOf(client.listConversations({ accessToken: messengerPage.token }, messengerPage.id, { platform: 'messenger' })),
      'appSecretProof',
    );
    assert.equal(
      await kindOf(
        client.listConversations({ accessToken: messengerPage.token, appSecret: 'wrong' }, messengerPage.id, { platform: 'messenger' }),
      ),
      'appSecretProof',
    );
  });

  it('accepts the appsecret_time form', async () => {
    const timed = new GraphClient(new GraphTransport({ fetch, host: sim.url, useTimedProof: true }));
    const page = await timed.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', limit: 1 });
    assert.equal(page.items.length, 1);
    assert.ok(sim.log.at(-1)?.query.appsecret_time);
  });

  it('classifies invalid and expired tokens', async () => {
    assert.equal(await kindOf(client.me({ accessToken: 'garbage-token-value' })), 'invalidToken');
    const page = sim.world.pages[1];
    assert.ok(page);
    const record = sim.world.tokens.get(page.accessToken);
    assert.ok(record);
    record.expiresAt = 1;
    assert.equal(
      await kindOf(
        client.listConversations({ accessToken: page.accessToken, appSecret: sim.world.app(page.appId)?.secret }, page.id, {
          platform: 'messenger',
        }),
      ),
      'invalidToken',
    );
    record.expiresAt = 0;
  });

  it('recognises a rejected token inside a batch: the items say 190, the batch call rejects with invalidToken', async () => {
    const page = sim.world.pages.find((p) => p.instagram) ?? assert.fail('a Page with Instagram');
    const record = sim.world.tokens.get(page.accessToken) ?? assert.fail('its token');
    const creds = { accessToken: page.accessToken, appSecret: sim.world.app(page.appId)?.secret };
    const queries = [{ platform: 'messenger' as const }, { platform: 'instagram' as const }];
    assert.equal((await client.listConversationsBatch(creds, page.id, queries)).length, 2, 'healthy first');
    record.valid = false;
    record.invalidSubcode = 460;
    try {
      sim.reset();
      assert.equal(await kindOf(client.listConversationsBatch(creds, page.id, queries)), 'invalidToken');
      // The simulator answered as Meta does: one HTTP 200 whose items carry the rejection.
      assert.equal(sim.log.length, 1);
      assert.equal(sim.log[0]?.status, 200);
      assert.equal(sim.log[0]?.batchSize, 2);
    } finally {
      record.valid = true;
      record.invalidSubcode = undefined;
    }
  });

  it('reports unknown IDs as not found (100/33 and 803)', async () => {
    assert.equal(await kindOf(client.getMessage(pageCreds(), 'm_doesnotexist')), 'notFound');
    assert.equal(await kindOf(client.getMany(pageCreds(), ['999999999999'], 'id')), 'notFound');
  });

  it('reports a rejected parameter as a bad request', async () => {
    const bad = client.transport.request(`${messengerPage.id}/conversations`, pageCreds(), { params: { platform: 'whatsapp' } });
    assert.equal(await kindOf(bad), 'badRequest');
    assert.equal(
      await kindOf(client.transport.request(`${messengerPage.id}/conversations`, pageCreds(), { params: { fields: 'messages{' } })),
      'badRequest',
    );
  });

  it('runs a batch whose items succeed or fail on their own', async () => {
    const results = await client.batch(pageCreds(), [
      { relativeUrl: `${messengerPage.id}/conversations?platform=messenger&limit=2` },
      { relativeUrl: 'm_nothere?fields=id' },
    ]);
    assert.equal(results.length, 2);
    assert.equal(results[0]?.ok, true);
    assert.equal(results[1]?.ok, false);
  });

  it('inspects tokens with /debug_token', async () => {
    const app = sim.world.apps[0];
    assert.ok(app);
    const info = await client.debugToken({ accessToken: `${app.id}|${app.secret}`, appSecret: app.secret }, messengerPage.token);
    assert.equal(info.isValid, true);
    assert.equal(info.type, 'PAGE');
    assert.ok(info.scopes.includes('pages_messaging'));
  });

  it('parses usage headers from every response', async () => {
    const response = await client.transport.request(`${messengerPage.id}/conversations`, pageCreds(), {
      params: { platform: 'messenger', limit: 1 },
    });
    assert.equal(response.usage.business[0]?.businessObjectId, messengerPage.id);
    assert.equal(response.usage.business[0]?.type, 'messenger');
  });

  describe('faults', () => {
    const cases: [string, Parameters<GraphSimulator['faults']['add']>[0], GraphErrorKind][] = [
      ['HTTP 500', { kind: 'status', status: 500 }, 'transient'],
      ['HTTP 503 with Retry-After', { kind: 'status', status: 503, retryAfter: '2' }, 'transient'],
      ['an HTML error page', { kind: 'html', status: 502 }, 'transient'],
      ['malformed JSON', { kind: 'malformed' }, 'malformed'],
      ['a truncated body', { kind: 'truncated' }, 'network'],
      ['a connection reset', { kind: 'reset' }, 'network'],
      ['a timeout', { kind: 'timeout' }, 'timeout'],
      ['a redirect to another host', { kind: 'redirect' }, 'hostRefused'],
      ['rate limit 80006', { kind: 'rateLimit', code: 80006 }, 'rateLimited'],
      ['rate limit 4', { kind: 'rateLimit', code: 4 }, 'rateLimited'],
      ['permission 10', { kind: 'graphError', code: 10, message: '(#10) Permission denied' }, 'permission'],
      [
        'business under review',
        {
          kind: 'graphError',
          code: 200,
          status: 403,
          message: '(#200) Your business is currently going through review to access this API.',
        },
        'businessReview',
      ],
    ];
    /** How many requests the simulator answered with this fault, from its request log. */
    const served = (kind: string) => sim.log.filter((r) => r.fault === kind).length;

    for (const [name, rule, expected] of cases) {
      it(`classifies ${name} as ${expected}`, async () => {
        sim.faults.add({ ...rule, times: 1 });
        const kind = await kindOf(client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', limit: 1 }));
        assert.equal(kind, expected);
        assert.equal(served(rule.kind), 1, 'the fault was served once');
      });
    }

    it('carries Retry-After and the usage of a rate-limited call', async () => {
      sim.faults.add({ kind: 'rateLimit', code: 80006, times: 1 });
      try {
        await client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger' });
        assert.fail('expected an error');
      } catch (error) {
        assert.ok(error instanceof GraphError);
        assert.equal(error.code, 80006);
        assert.ok((error.retryAfterMs ?? 0) > 0);
        assert.ok(error.usage?.business.length);
      }
      assert.equal(served('rateLimit'), 1, 'the rate limit was served once');
    });

    it('stops on a cursor that repeats forever', async () => {
      sim.faults.add({ kind: 'repeatCursor', match: 'conversations' });
      const run = async () => {
        for await (const _ of pageAll((after) =>
          client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', limit: 5, after }),
        )) {
          // consume
        }
      };
      assert.equal(await kindOf(run()), 'malformed');
      assert.equal(sim.log.length, 2, 'the first page, then the page that repeats its cursor');
      assert.equal(served('repeatCursor'), 2, 'both were served with the repeating cursor');
    });

    it('follows empty pages that still have next, within a bound', async () => {
      sim.faults.add({ kind: 'emptyPageWithNext', match: 'conversations', times: 2 });
      const ids: string[] = [];
      for await (const p of pageAll((after) =>
        client.listConversations(pageCreds(), messengerPage.id, { platform: 'messenger', limit: 50, after }),
      )) {
        ids.push(...p.items.map((c) => c.id));
      }
      assert.ok(ids.length > 0);
      assert.equal(sim.log.filter((r) => r.fault === 'emptyPageWithNext').length, 2, 'both empty pages were served and followed');
    });

    it('trips the real rate-limit codes when calls exceed the configured limit', async () => {
      const limited = await startSimulator({ seed: 7, limits: { page: 3 } });
      try {
        const c = new GraphClient(new GraphTransport({ fetch, host: limited.url }));
        const p = limited.world.pages[0];
        const creds = { accessToken: p?.accessToken ?? '', appSecret: limited.world.app(p?.appId ?? '')?.secret };
        for (let i = 0; i < 3; i++) {
          await c.listConversations(creds, p?.id ?? '', { platform: 'messenger', limit: 1 });
        }
        try {
          await c.listConversations(creds, p?.id ?? '', { platform: 'messenger', limit: 1 });
          assert.fail('expected a rate-limit error');
        } catch (error) {
          assert.ok(error instanceof GraphError);
          assert.equal(error.code, 80006);
          assert.equal(error.kind, 'rateLimited');
        }
      } finally {
        await limited.stop();
      }
    });
  });

  it("answers an independent client (curl) the seeds' way, with the token in the query string", async () => {
    const proof = createHmac('sha256', messengerPage.appSecret).update(messengerPage.token).digest('hex');
    // The seeds' request: GET /PAGE-ID/conversations?platform=PLATFORM&access_token=PAGE-ACCESS-TOKEN
    const { stdout: out } = await promisify(execFile)('curl', [
      '-s',
      `${sim.url}/v26.0/${messengerPage.id}/conversations?platform=messenger&access_token=${encodeURIComponent(messengerPage.token)}&appsecret_proof=${proof}`,
    ]);
    const body = JSON.parse(out) as { data: { id: string; updated_time: string }[] };
    assert.deepEqual(Object.keys(body.data[0] ?? {}), ['id', 'updated_time']);
    assert.match(body.data[0]?.updated_time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
  });
});
