import * as assert from 'node:assert/strict';
import { GraphClient } from '../../src/core/graph/client';
import { GraphError } from '../../src/core/graph/errors';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { Credentials, GraphTransport } from '../../src/core/graph/transport';
import { Usage } from '../../src/core/graph/usage';
import { FakeGraph, failure, json } from './support/fakeGraphHost';

const HOST = 'http://127.0.0.1:4580';
const TOKEN = 'EAAcalls-token-000000';
const USER: Credentials = { accessToken: TOKEN };

function setup(options: { retrying?: boolean } = {}): { graph: FakeGraph; client: GraphClient } {
  const graph = new FakeGraph();
  const scheduler = options.retrying ? new RequestScheduler({ maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1, random: () => 0 }) : undefined;
  return { graph, client: new GraphClient(new GraphTransport({ fetch: graph.fetch, host: HOST, scheduler })) };
}

/** The URL of the i-th request, with its path relative to the API version. */
function sentUrl(graph: FakeGraph, i = 0): { path: string; query: URLSearchParams; method: string } {
  const url = new URL(graph.sent[i].url);
  return { path: url.pathname.replace(/^\/v[\d.]+\/?/, ''), query: url.searchParams, method: graph.sent[i].init.method ?? 'GET' };
}

function sentForm(graph: FakeGraph, i = 0): URLSearchParams {
  const body = graph.sent[i].init.body;
  return new URLSearchParams(typeof body === 'string' ? body : '');
}

function metaError(code: number, message: string, status = 400, extra: Record<string, unknown> = {}): Response {
  return json({ error: { message, type: 'OAuthException', code, fbtrace_id: 'Atrace', ...extra } }, status, {
    'x-app-usage': '{"call_count":12,"total_time":3,"total_cputime":1}',
  });
}

const USAGE_HEADER = { 'x-app-usage': '{"call_count":41,"total_time":7,"total_cputime":2}' };

describe('Graph client calls (fake Graph host)', () => {
  describe('missingIds', () => {
    it('asks for 1 to 50 IDs at once and refuses 0 or 51 before sending anything', async () => {
      const { graph, client } = setup();
      for (const count of [0, 51]) {
        const ids = Array.from({ length: count }, (_, i) => String(100000 + i));
        const error = await failure(client.missingIds(USER, ids));
        assert.equal(error.kind, 'badRequest');
        assert.equal(error.message, `Between 1 and 50 IDs per request, got ${count}.`);
      }
      assert.equal(graph.sent.length, 0);
      const fifty = Array.from({ length: 50 }, (_, i) => String(100000 + i));
      graph.answers.push(() => json({}, 200, USAGE_HEADER));
      const answer = await client.missingIds(USER, fifty);
      assert.equal(graph.sent.length, 1);
      assert.deepEqual(answer, { missing: new Set(), usage: 41 });
    });

    it('sends ?ids=…&fields=id to the version root and says none are missing when Graph answers', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ '1234567': { id: '1234567' } }, 200, USAGE_HEADER));
      const answer = await client.missingIds(USER, ['1234567', '7654321']);
      const { path, query, method } = sentUrl(graph);
      assert.equal(method, 'GET');
      assert.equal(path, '');
      assert.equal(query.get('ids'), '1234567,7654321');
      assert.equal(query.get('fields'), 'id');
      assert.equal(query.get('access_token'), null);
      assert.equal(graph.headers().Authorization, `Bearer ${TOKEN}`);
      assert.deepEqual(answer, { missing: new Set(), usage: 41 });
    });

    it("takes the missing IDs from Meta's #803 message, only those asked and named in full", async () => {
      const { graph, client } = setup();
      graph.answers.push(() => metaError(803, '(#803) Some of the aliases you requested do not exist: 100000000000001,nonexistent_alias'));
      const answer = await client.missingIds(USER, ['100000000000001', '100000000000002', '1']);
      assert.deepEqual(answer, { missing: new Set(['100000000000001']), usage: 12 });
    });

    it('says nothing about missing IDs for any other Graph error, but keeps the usage', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => metaError(100, '(#100) Tried accessing nonexisting field (id) on node 100000000000001'));
      const answer = await client.missingIds(USER, ['100000000000001']);
      assert.deepEqual(answer, { usage: 12 });
    });
  });

  describe('threadParticipants', () => {
    it("asks one page of a Page's threads with only participants and returns their IDs and cursor", async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json(
          {
            data: [
              { id: 't_1', participants: { data: [{ id: '111' }, { id: 222, name: 'Num' }] } },
              { id: 't_2', participants: { data: [{ id: '333' }] } },
            ],
            paging: { cursors: { after: 'CUR2' }, next: `${HOST}/v26.0/p/conversations?after=CUR2` },
          },
          200,
          USAGE_HEADER,
        ),
      );
      const answer = await client.threadParticipants({ accessToken: 'PAGE' }, '9001', 'instagram', { limit: 25, after: 'CUR1' });
      const { path, query } = sentUrl(graph);
      assert.equal(path, '9001/conversations');
      assert.deepEqual(Object.fromEntries(query), { platform: 'instagram', fields: 'participants', limit: '25', after: 'CUR1' });
      assert.deepEqual(answer, { threads: [['111', '222'], ['333']], after: 'CUR2', usage: 41 });
    });

    it('names the exact field of a participant without an ID or not an object', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ data: [{ participants: { data: [{ id: '1' }, { name: 'no id' }] } }] }));
      graph.answers.push(() => json({ data: [{ participants: { data: ['x'] } }] }));
      graph.answers.push(() => json({ error: 'no' }));
      const noId = await failure(client.threadParticipants(USER, '9001', 'messenger'));
      assert.equal(noId.field, 'conversations.data[0].participants.data[1].id');
      const notObject = await failure(client.threadParticipants(USER, '9001', 'messenger'));
      assert.equal(notObject.field, 'conversations.data[0].participants.data[0]');
      const noData = await failure(client.threadParticipants(USER, '9001', 'messenger'));
      assert.equal(noData.field, 'conversations.data');
    });
  });

  describe('batch', () => {
    it('sends nothing for no requests and refuses more than 50', async () => {
      const { graph, client } = setup();
      assert.deepEqual(await client.batch(USER, []), []);
      const many = Array.from({ length: 51 }, (_, i) => ({ relativeUrl: `t_${i}` }));
      const error = await failure(client.batch(USER, many));
      assert.equal(error.kind, 'badRequest');
      assert.equal(error.message, 'At most 50 requests per batch, got 51.');
      assert.equal(graph.sent.length, 0);
      graph.answers.push(() => json(many.slice(0, 50).map(() => ({ code: 200, body: '{}' }))));
      assert.equal((await client.batch(USER, many.slice(0, 50))).length, 50);
      assert.equal(graph.sent.length, 1);
    });

    for (const relativeUrl of ['me?access_token=EAAother', 'me?fields=id&appsecret_proof=abc']) {
      it(`refuses an item carrying its own credentials (${relativeUrl}) before sending`, async () => {
        const { graph, client } = setup();
        const error = await failure(client.batch(USER, [{ relativeUrl: 't_1' }, { relativeUrl }]));
        assert.equal(error.kind, 'badRequest');
        assert.equal(error.message, 'Batch requests must not carry their own credentials.');
        assert.equal(graph.sent.length, 0);
      });
    }

    it('POSTs the items as a batch form to the version root, GET by default, names only where given', async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json([
          { code: 200, body: '{"id":"1"}' },
          { code: 200, body: '{"id":"2"}' },
        ]),
      );
      await client.batch({ accessToken: TOKEN, appSecret: 'shh' }, [
        { relativeUrl: 'debug_token?input_token=abc' },
        { relativeUrl: 't_2?fields=messages', name: 'second', method: 'GET' },
      ]);
      const { path, method, query } = sentUrl(graph);
      assert.equal(method, 'POST');
      assert.equal(path, '');
      assert.equal([...query.keys()].length, 0, 'nothing in the URL');
      const form = sentForm(graph);
      assert.deepEqual(JSON.parse(form.get('batch') ?? ''), [
        { method: 'GET', relative_url: 'debug_token?input_token=abc' },
        { method: 'GET', relative_url: 't_2?fields=messages', name: 'second' },
      ]);
      assert.equal(form.get('include_headers'), 'false');
      assert.match(form.get('appsecret_proof') ?? '', /^[0-9a-f]{64}$/);
      assert.equal(form.get('access_token'), null);
      assert.equal(graph.headers().Authorization, `Bearer ${TOKEN}`);
    });

    it('decodes each item on its own: JSON body, Graph error, not-JSON body, timed-out (null) item', async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json([
          { code: 200, body: '{"id":"1"}' },
          { code: 400, body: JSON.stringify({ error: { message: '(#100) bad field', code: 100 } }) },
          { code: 200, body: '<html>' },
          null,
        ]),
      );
      const results = await client.batch(USER, [{ relativeUrl: 'a' }, { relativeUrl: 'b' }, { relativeUrl: 'c' }, { relativeUrl: 'd' }]);
      assert.deepEqual(results[0], { ok: true, status: 200, body: { id: '1' }, usage: undefined });
      assert.ok(!results[1].ok && results[1].error.code === 100 && results[1].error.httpStatus === 400);
      assert.ok(!results[2].ok);
      assert.equal(results[2].error.kind, 'malformed');
      assert.equal(results[2].error.field, 'batch[2].body');
      assert.equal(results[2].error.message, 'Batch item 2 has a body that is not JSON.');
      assert.ok(!results[3].ok);
      assert.equal(results[3].error.kind, 'transient');
      assert.equal(results[3].error.message, "Batch item 3 timed out on Meta's side.");
    });

    it('treats a missing (undefined) item as timed out too', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json([{ code: 200, body: '{}' }]));
      const results = await client.batch(USER, [{ relativeUrl: 'a' }, { relativeUrl: 'b' }]);
      assert.ok(results[0].ok);
      assert.ok(!results[1].ok && results[1].error.kind === 'transient');
    });

    it('names the field of an answer that is not an array or an item that is not an object', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ not: 'an array' }));
      graph.answers.push(() => json([{ code: 200, body: '{}' }, 'nope']));
      assert.equal((await failure(client.batch(USER, [{ relativeUrl: 'a' }]))).field, 'batch');
      assert.equal((await failure(client.batch(USER, [{ relativeUrl: 'a' }, { relativeUrl: 'b' }]))).field, 'batch[1]');
    });

    it("with includeHeaders, reads each item's usage headers (case-insensitively, skipping junk entries) and reports them", async () => {
      const { graph, client } = setup();
      const good = '{"call_count":33,"total_time":4,"total_cputime":5}';
      graph.answers.push(() =>
        json(
          [
            {
              code: 200,
              body: '{}',
              headers: [
                null,
                { name: 7, value: good },
                { name: 'X-Other', value: 'not usage' },
                { name: 'x-app-usage', value: 42 },
                { name: 'X-App-Usage', value: good },
              ],
            },
            { code: 200, body: '{}', headers: [{ name: 'x-page-usage', value: good }] },
            { code: 200, body: '{}', headers: [{ name: 'X-Business-Use-Case-Usage', value: `{"9001":[${good}]}` }] },
            { code: 200, body: '{}', headers: [{ name: 'Content-Type', value: 'application/json' }] },
            { code: 200, body: '{}', headers: 'not a list' },
          ],
          200,
          USAGE_HEADER,
        ),
      );
      const seen: Usage[] = [];
      const results = await client.batch(
        USER,
        ['a', 'b', 'c', 'd', 'e'].map((relativeUrl) => ({ relativeUrl })),
        undefined,
        { includeHeaders: true, onUsage: (u) => seen.push(u) },
      );
      assert.equal(sentForm(graph).get('include_headers'), 'true');
      const figures = { callCount: 33, totalTime: 4, totalCputime: 5 };
      assert.deepEqual(
        results.map((r) => r.usage),
        [
          { app: figures, business: [] },
          { page: figures, business: [] },
          { business: [{ businessObjectId: '9001', ...figures }] },
          undefined,
          undefined,
        ],
      );
      assert.deepEqual(seen, [
        { app: { callCount: 41, totalTime: 7, totalCputime: 2 }, business: [] },
        { app: figures, business: [] },
        { page: figures, business: [] },
        { business: [{ businessObjectId: '9001', ...figures }] },
      ]);
    });

    it('without includeHeaders, ignores item headers', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json([{ code: 200, body: '{}', headers: [{ name: 'x-app-usage', value: '{"call_count":9}' }] }]));
      const results = await client.batch(USER, [{ relativeUrl: 'a' }]);
      assert.equal(results[0].usage, undefined);
    });
  });

  describe('debugTokens', () => {
    it('inspects 51 tokens in two batches of 50 and 1, tokens only in the POST body', async () => {
      const { graph, client } = setup();
      const tokens = Array.from({ length: 51 }, (_, i) => `EAAinspected${i}`);
      const info = (i: number) => ({
        code: 200,
        body: JSON.stringify({ data: { is_valid: true, app_id: '77', user_id: String(1000 + i) } }),
      });
      graph.answers.push(() => json(Array.from({ length: 50 }, (_, i) => info(i))));
      graph.answers.push(() => json([{ code: 200, body: '{"data":"not an object"}' }]));
      const out = await client.debugTokens(USER, tokens);
      assert.equal(graph.sent.length, 2);
      assert.equal((JSON.parse(sentForm(graph, 0).get('batch') ?? '') as unknown[]).length, 50);
      assert.deepEqual(JSON.parse(sentForm(graph, 1).get('batch') ?? ''), [
        { method: 'GET', relative_url: 'debug_token?input_token=EAAinspected50' },
      ]);
      assert.ok(!graph.sent.some((s) => s.url.includes('EAAinspected')));
      assert.equal(out.length, 51);
      assert.equal((out[49] as { userId?: string }).userId, '1049');
      assert.ok(out[50] instanceof GraphError);
      assert.equal(out[50].field, 'response.data');
    });
  });

  describe('pageProfile', () => {
    it("returns the Page's id, name, category and Instagram account", async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json({ id: '9001', name: 'Shop', category: 'Retail', instagram_business_account: { id: '1784', username: 'shop.ig' } }),
      );
      const profile = await client.pageProfile({ accessToken: 'PAGE' });
      const { path, query } = sentUrl(graph);
      assert.equal(path, 'me');
      assert.equal(query.get('fields'), 'id,name,category,instagram_business_account{id,username}');
      assert.deepEqual(profile, { id: '9001', name: 'Shop', category: 'Retail', instagram: { id: '1784', username: 'shop.ig' } });
    });

    it('falls back to the id for a Page without a name', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ id: '9001' }));
      assert.deepEqual(await client.pageProfile(USER), { id: '9001', name: '9001', category: undefined, instagram: undefined });
    });

    const cases: [string, unknown, string][] = [
      ['an answer that is not an object', [], 'me'],
      ['no id', { name: 'Shop' }, 'me.id'],
      ['a name that is not a string', { id: '1', name: 5 }, 'me.name'],
      ['a category that is not a string', { id: '1', category: 5 }, 'me.category'],
      ['an Instagram account that is not an object', { id: '1', instagram_business_account: 'x' }, 'me.instagram_business_account'],
      ['an Instagram account without id', { id: '1', instagram_business_account: {} }, 'me.instagram_business_account.id'],
      [
        'an Instagram username that is not a string',
        { id: '1', instagram_business_account: { id: '2', username: 3 } },
        'me.instagram_business_account.username',
      ],
    ];
    for (const [what, body, field] of cases) {
      it(`names ${field} for ${what}`, async () => {
        const { graph, client } = setup();
        graph.answers.push(() => json(body));
        const error = await failure(client.pageProfile(USER));
        assert.equal(error.kind, 'malformed');
        assert.equal(error.field, field);
      });
    }
  });

  describe('app', () => {
    it("asks the app's id and name and falls back to the App ID for the name", async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ id: '77', name: 'My Bot' }));
      graph.answers.push(() => json({ id: '77' }));
      assert.deepEqual(await client.app({ accessToken: '77|secret' }, '77'), { id: '77', name: 'My Bot' });
      const { path, query } = sentUrl(graph);
      assert.equal(path, '77');
      assert.equal(query.get('fields'), 'id,name');
      assert.deepEqual(await client.app({ accessToken: '77|secret' }, '77'), { id: '77', name: '77' });
    });

    for (const [body, field] of [
      [[], 'app'],
      [{}, 'app.id'],
      [{ id: '77', name: 1 }, 'app.name'],
    ] as [unknown, string][]) {
      it(`names ${field} in a malformed app answer`, async () => {
        const { graph, client } = setup();
        graph.answers.push(() => json(body));
        assert.equal((await failure(client.app(USER, '77'))).field, field);
      });
    }
  });

  describe('exchangeForLongLived', () => {
    it('POSTs the exchange form with the secret and token in the body only, and returns the new token', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ access_token: 'EAAlong', token_type: 'bearer', expires_in: 5183944 }));
      const token = await client.exchangeForLongLived({ accessToken: 'EAAshort', appSecret: 'ignored' }, '77', 'app-secret');
      assert.deepEqual(token, { accessToken: 'EAAlong', expiresIn: 5183944 });
      const { path, method, query } = sentUrl(graph);
      assert.equal(path, 'oauth/access_token');
      assert.equal(method, 'POST');
      assert.equal([...query.keys()].length, 0);
      assert.deepEqual(Object.fromEntries(sentForm(graph)), {
        grant_type: 'fb_exchange_token',
        client_id: '77',
        client_secret: 'app-secret',
        fb_exchange_token: 'EAAshort',
      });
    });

    it('is not retried after a transient failure (each answer would be a new token)', async () => {
      const { graph, client } = setup({ retrying: true });
      graph.answers.push(() => metaError(2, 'An unexpected error has occurred.', 500, { is_transient: true }));
      graph.answers.push(() => json({ access_token: 'EAAlong' }));
      await failure(client.exchangeForLongLived(USER, '77', 's'));
      assert.equal(graph.sent.length, 1);
    });

    it('names oauth/access_token.access_token when the answer has no token', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ token_type: 'bearer' }));
      assert.equal((await failure(client.exchangeForLongLived(USER, '77', 's'))).field, 'oauth/access_token.access_token');
    });
  });

  describe('deviceLogin', () => {
    it('POSTs the scopes and returns the codes, URL, expiry and interval', async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json({
          code: 'LONGCODE',
          user_code: 'ABCD1234',
          verification_uri: 'https://www.facebook.com/device',
          expires_in: 300,
          interval: 7,
        }),
      );
      const code = await client.deviceLogin({ accessToken: '77|client' }, ['pages_messaging', 'pages_show_list']);
      assert.deepEqual(code, {
        code: 'LONGCODE',
        userCode: 'ABCD1234',
        verificationUri: 'https://www.facebook.com/device',
        expiresIn: 300,
        interval: 7,
      });
      const { path, method } = sentUrl(graph);
      assert.equal(path, 'device/login');
      assert.equal(method, 'POST');
      assert.equal(sentForm(graph).get('scope'), 'pages_messaging,pages_show_list');
    });

    it('uses 420 s and 5 s when Meta leaves out expiry and interval', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ code: 'C', user_code: 'U', verification_uri: 'http://localhost/device' }));
      const code = await client.deviceLogin(USER, []);
      assert.equal(code.expiresIn, 420);
      assert.equal(code.interval, 5);
    });

    for (const uri of [undefined, 'javascript:alert("https://x")', 'ftp://host/?https://']) {
      it(`refuses an answer whose verification URL is not http(s) (${String(uri)})`, async () => {
        const { graph, client } = setup();
        graph.answers.push(() => json({ code: 'C', user_code: 'U', verification_uri: uri }));
        const error = await failure(client.deviceLogin(USER, []));
        assert.equal(error.kind, 'malformed');
        assert.equal(error.field, 'device/login.verification_uri');
        assert.equal(error.message, 'The device login answer has no verification URL.');
      });
    }

    for (const [body, field] of [
      ['nope', 'device/login'],
      [{ user_code: 'U', verification_uri: 'https://x' }, 'device/login.code'],
      [{ code: 'C', verification_uri: 'https://x' }, 'device/login.user_code'],
      [{ code: 'C', user_code: 'U', verification_uri: 5 }, 'device/login.verification_uri'],
    ] as [unknown, string][]) {
      it(`names ${field} in a malformed device login answer`, async () => {
        const { graph, client } = setup();
        graph.answers.push(() => json(body));
        assert.equal((await failure(client.deviceLogin(USER, []))).field, field);
      });
    }

    it('is not retried after a transient failure (each answer is a new code)', async () => {
      const { graph, client } = setup({ retrying: true });
      graph.answers.push(() => metaError(2, 'An unexpected error has occurred.', 500, { is_transient: true }));
      await failure(client.deviceLogin(USER, []));
      assert.equal(graph.sent.length, 1);
    });
  });

  describe('deviceLoginStatus', () => {
    it('POSTs the code and returns the token once approved', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ access_token: 'EAAdevice', expires_in: 5000 }));
      assert.deepEqual(await client.deviceLoginStatus(USER, 'LONGCODE'), { accessToken: 'EAAdevice', expiresIn: 5000 });
      assert.equal(sentUrl(graph).path, 'device/login_status');
      assert.equal(sentForm(graph).get('code'), 'LONGCODE');
    });

    it("throws Meta's pending answer as it came and is not retried", async () => {
      const { graph, client } = setup({ retrying: true });
      graph.answers.push(() => metaError(2, 'An unexpected error has occurred.', 500, { is_transient: true }));
      await failure(client.deviceLoginStatus(USER, 'C'));
      assert.equal(graph.sent.length, 1);
      graph.answers.push(() => metaError(31, 'User has not yet authorized your application.', 400, { error_subcode: 1349174 }));
      const pending = await failure(client.deviceLoginStatus(USER, 'C'));
      assert.equal(pending.subcode, 1349174);
    });

    it('names device/login_status.access_token when the answer has no token', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ expires_in: 5 }));
      assert.equal((await failure(client.deviceLoginStatus(USER, 'C'))).field, 'device/login_status.access_token');
    });
  });

  describe('me', () => {
    it('asks id and name of /me', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ id: '555', name: 'Dev' }));
      graph.answers.push(() => json({ id: '556', name: 3 }));
      assert.deepEqual(await client.me(USER), { id: '555', name: 'Dev' });
      const { path, query } = sentUrl(graph);
      assert.equal(path, 'me');
      assert.equal(query.get('fields'), 'id,name');
      assert.deepEqual(await client.me(USER), { id: '556', name: undefined });
    });

    it('names me.id when the answer has no id, and me when it is not an object', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ name: 'Dev' }));
      graph.answers.push(() => json([1]));
      const noId = await failure(client.me(USER));
      assert.equal(noId.kind, 'malformed');
      assert.equal(noId.field, 'me.id');
      assert.equal(noId.message, 'The Graph API response has no id.');
      assert.equal((await failure(client.me(USER))).field, 'me');
    });
  });

  describe('linkedIds fields and decoding', () => {
    it('asks ids_for_apps and ids_for_pages narrowed to an app and a Page when given', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ id: '1' }));
      graph.answers.push(() => json({ id: '1' }));
      graph.answers.push(() => json({ id: '1' }));
      await client.linkedIds(USER, '1', { app: '77', page: '9001' });
      await client.linkedIds(USER, '1', { page: '9001', pagesOnly: true });
      await client.linkedIds(USER, '1');
      assert.equal(sentUrl(graph, 0).query.get('fields'), 'name,ids_for_apps.app(77),ids_for_pages.page(9001)');
      assert.equal(sentUrl(graph, 1).query.get('fields'), 'name,ids_for_pages.page(9001)');
      assert.equal(sentUrl(graph, 2).query.get('fields'), 'name,ids_for_apps,ids_for_pages');
    });

    it('reads absent or null linked-ID edges as empty', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ id: '1', name: 'A', ids_for_apps: null, ids_for_pages: null }));
      graph.answers.push(() => json({ id: '1' }));
      const empty = { id: '1', idsForApps: [], idsForPages: [] };
      assert.deepEqual(await client.linkedIds(USER, '1'), { ...empty, name: 'A' });
      assert.deepEqual(await client.linkedIds(USER, '1'), { ...empty, name: undefined });
    });

    it('names the malformed linked-ID edge', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ id: '1', ids_for_apps: { data: 'x' } }));
      graph.answers.push(() => json({ id: '1', ids_for_pages: { data: 'x' } }));
      assert.equal((await failure(client.linkedIds(USER, '1'))).field, 'user.ids_for_apps.data');
      assert.equal((await failure(client.linkedIds(USER, '1'))).field, 'user.ids_for_pages.data');
    });
  });
});
