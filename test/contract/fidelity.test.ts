import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { GraphSimulator, startSimulator } from '../../simulator/index';

/**
 * Fidelity suite: every documented example of the seeds (000/001 ID matching, 002 Conversations
 * API) and of the reference's JSON examples, replayed against the simulator as the docs write the
 * request (token in the query string; appsecret_proof only where the doc writes one or the app
 * requires it), and the answer compared with the doc's example answer field by field.
 *
 * Shape rules: an object must have exactly the example's keys (a key ending in `?` may be absent:
 * "if a field has no data, it will not be returned"); every item of an array must match one of the
 * example's items; leaves must have the example's JSON type; PAGING stands for the `...` the docs
 * write for paging (an object with cursors). When the example ends with `id`, so must the answer.
 */

const PAGING = Symbol('paging');
type Shape = string | number | boolean | null | typeof PAGING | Shape[] | { [key: string]: Shape };

function assertShape(actual: unknown, example: Shape, path = '$'): void {
  if (example === PAGING) {
    assert.ok(isObject(actual), `${path}: paging object`);
    assert.ok(isObject(actual.cursors), `${path}.cursors`);
    assert.equal(typeof actual.cursors.before, 'string', `${path}.cursors.before`);
    assert.equal(typeof actual.cursors.after, 'string', `${path}.cursors.after`);
    for (const key of Object.keys(actual)) {
      assert.ok(['cursors', 'next', 'previous'].includes(key), `${path}: unexpected ${key}`);
    }
    return;
  }
  if (Array.isArray(example)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)?.slice(0, 200)}`);
    if (example.length > 0) {
      assert.ok(actual.length > 0, `${path}: the example has items, the answer none`);
    }
    actual.forEach((item, i) => {
      const failures: string[] = [];
      for (const candidate of example) {
        try {
          assertShape(item, candidate, `${path}[${i}]`);
          return;
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
      assert.fail(`${path}[${i}] matches no example item: ${failures.join(' | ')}`);
    });
    return;
  }
  if (example !== null && typeof example === 'object') {
    assert.ok(isObject(actual), `${path}: expected an object, got ${JSON.stringify(actual)?.slice(0, 200)}`);
    const required = Object.keys(example).filter((k) => !k.endsWith('?'));
    const allowed = new Set(Object.keys(example).map((k) => k.replace(/\?$/, '')));
    for (const key of required) {
      assert.ok(key in actual, `${path}: missing ${key} (answer has ${Object.keys(actual).join(',')})`);
    }
    for (const key of Object.keys(actual)) {
      assert.ok(allowed.has(key), `${path}: ${key} is not in the documented answer`);
      assertShape(actual[key], example[key] ?? (example as Record<string, Shape>)[`${key}?`] ?? null, `${path}.${key}`);
    }
    const exampleKeys = Object.keys(example);
    if (exampleKeys.at(-1) === 'id') {
      assert.equal(Object.keys(actual).at(-1), 'id', `${path}: id comes last, as in the example`);
    }
    return;
  }
  assert.equal(
    actual === null ? 'null' : typeof actual,
    example === null ? 'null' : typeof example,
    `${path}: type of ${JSON.stringify(actual)}`,
  );
}

function isObject(value: unknown): value is Record<string, Record<string, unknown>> & Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;

// ---- The documented example answers, as the docs print them ("paging": ... is PAGING). ----

/** Seed 000/001 "Example queries": the ids_for_apps edge as documented. */
const IDS_FOR_APPS: Shape = {
  data: [
    {
      id: '10152368852405295',
      app: {
        category: 'Business',
        link: 'https://www.facebook.com/games/?app_id=1419232575008550',
        name: "John's Game App",
        id: '1419232575008550',
      },
    },
    {
      id: '645195294',
      app: {
        link: 'https://apps.facebook.com/johnsmovieappns/',
        name: 'JohnsMovieApp',
        namespace: 'johnsmovieappns',
        id: '259773517400382',
      },
    },
  ],
  paging: PAGING,
};
const IDS_FOR_PAGES: Shape = {
  data: [
    {
      id: '12345123',
      page: {
        category: 'Musician',
        link: 'https://www.facebook.com/Johns-Next-Great-Thing-380374449010653/',
        name: "John's Next Great Thing",
        id: '380374449010653',
      },
    },
  ],
  paging: PAGING,
};
const FROM_ASID: Shape = {
  name: 'John Smith',
  age_range: { min: 21 },
  ids_for_apps: IDS_FOR_APPS,
  ids_for_pages: IDS_FOR_PAGES,
  id: '645195294',
};
const FROM_PSID: Shape = {
  name: 'John Smith',
  is_payment_enabled: true,
  ids_for_apps: IDS_FOR_APPS,
  ids_for_pages: IDS_FOR_PAGES,
  id: '645195294',
};

/** Seed 002. */
const CONVERSATIONS: Shape = { data: [{ id: 'CONVERSATION-ID-1', updated_time: 'UNIX-TIMESTAMP' }], 'paging?': PAGING };
const CONVERSATION_OF_USER: Shape = { data: [{ id: 'CONVERSATION-ID' }], 'paging?': PAGING };
const CONVERSATION_MESSAGES: Shape = {
  messages: { data: [{ id: 'Message ID-1', created_time: 'UNIX-TIMESTAMP-MOST-RECENT-MESSAGE' }], 'paging?': PAGING },
  id: 'Conversation ID',
};
const IG_MESSAGE: Shape = {
  id: 'aWdGGiblWZ...',
  created_time: '2022-07-12T19:11:07+0000',
  to: { data: [{ username: 'INSTAGRAM-PROFESSIONAL-ACCOUNT-USERNAME', id: 'INSTAGRAM-PROFESSIONAL-ACCOUNT-ID' }] },
  from: { username: 'INSTAGRAM-USERNAME', id: 'INSTAGRAM-SCOPED-ID' },
  message: 'Hi Kitty!',
};

/** The reference's JSON examples. */
const PARTICIPANT: Shape = { name: 'Chin TestAccount', email: '2638780562860568@facebook.com', id: '2638780562860568' };
const CONVERSATIONS_WITH_FIELDS: Shape = {
  data: [
    {
      id: 't_888909208120764',
      updated_time: '2019-04-24T10:38:15+0000',
      link: '/CHIN-TEST-PAGE-API-541964686328018/inbox/542111299646690/',
      message_count: 6,
      unread_count: 0,
      snippet: 'Chin sent a sticker.',
      can_reply: true,
      is_subscribed: true,
      scoped_thread_key: 't_888909208120764',
      participants: { data: [PARTICIPANT] },
    },
  ],
  paging: PAGING,
};
const MESSAGES_EXPANDED: Shape = {
  messages: {
    data: [
      {
        id: 'm_xdhP2WqFgU8j...',
        created_time: '2019-04-24T10:38:15+0000',
        message: '',
        'sticker?': 'https://scontent.xx.fbcdn.net/v/t39.1997-6/851586_126362170881913_763579892_n.png',
        from: PARTICIPANT,
        to: { data: [PARTICIPANT] },
        tags: { data: [{ name: 'inbox' }] },
      },
    ],
    paging: PAGING,
  },
  id: 't_888909208120764',
};
const ACCOUNTS: Shape = {
  data: [
    {
      access_token: 'EAAG...',
      category: 'Brand',
      category_list: [{ id: '1605186416478696', name: 'Brand' }],
      name: 'Grace Church',
      id: '1093482904102',
      tasks: ['ANALYZE'],
    },
  ],
  paging: PAGING,
};
const DEBUG_TOKEN: Shape = {
  data: {
    app_id: '1419232575008550',
    type: 'PAGE',
    application: 'My Bot App',
    data_access_expires_at: 1798761600,
    expires_at: 0,
    is_valid: true,
    issued_at: 1780000000,
    profile_id: '1093482904102',
    scopes: ['pages_messaging'],
    granular_scopes: [{ scope: 'pages_messaging', target_ids: ['1093482904102'] }],
    user_id: '10229384756',
  },
};
const ERROR_WITH_SUBCODE: Shape = {
  error: {
    message: 'Error validating access token: Session has expired on …',
    type: 'OAuthException',
    code: 190,
    error_subcode: 463,
    fbtrace_id: 'AWpk5h2ceG6',
  },
};
const ERROR: Shape = {
  error: { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100, fbtrace_id: '...' },
};
const APP_USAGE: Shape = { call_count: 28, total_time: 25, total_cputime: 25 };
const BUC_ENTRY: Shape = [{ type: 'messenger', call_count: 97, total_cputime: 23, total_time: 23, estimated_time_to_regain_access: 0 }];

describe('Fidelity: the documented examples of the seeds and the reference, replayed (real HTTP)', () => {
  let sim: GraphSimulator;
  let strict: GraphSimulator;
  const proof = (token: string, secret: string) => createHmac('sha256', secret).update(token).digest('hex');

  before(async () => {
    // Seed 002 writes no appsecret_proof: replay it against apps that do not require one.
    sim = await startSimulator({ seed: 3, requireProof: false, itemCostMs: 0 });
    // The ID-matching examples against apps with "Require App Secret" on (the simulator's default).
    strict = await startSimulator({ seed: 3, itemCostMs: 0 });
  });
  after(async () => {
    await sim.stop();
    await strict.stop();
  });

  /** A GET exactly as a doc writes it: every parameter, the token included, in the query string. */
  async function asDocumented(
    s: GraphSimulator,
    path: string,
    params: Record<string, string>,
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const response = await fetch(`${s.url}/v26.0/${path}?${new URLSearchParams(params).toString()}`);
    return { status: response.status, body: await response.json(), headers: response.headers };
  }
  const ok = (r: { status: number; body: unknown }) => assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));

  describe('seeds 000/001: Connecting with People Across Apps (ID matching)', () => {
    const setup = () => {
      const w = strict.world;
      const business = w.businesses[0]?.id;
      const page = w.pages.find((p) => p.businessId === business) ?? assert.fail('a Page');
      const app = w.app(page.appId) ?? assert.fail('its app');
      const person = w.people[0] ?? assert.fail('a person who used every app and Page');
      const psid = person.psids.get(page.id) ?? assert.fail('a PSID');
      const asid = person.asids.get(app.id) ?? assert.fail('an ASID');
      const appToken = `${app.id}|${app.secret}`;
      const otherApp = w.apps.find((a) => a.businessId === business && a.id !== app.id) ?? assert.fail('a second app');
      const otherPage = w.pages.find((p) => p.businessId === business && p.id !== page.id) ?? assert.fail('a second Page');
      return {
        page,
        app,
        psid,
        asid,
        appToken,
        pageProof: proof(page.accessToken, app.secret),
        appProof: proof(appToken, app.secret),
        otherApp,
        otherPage,
      };
    };

    it('use case 1: GET /{user-psid}/ids_for_apps?access_token=[page_access_token]&appsecret_proof, and ?app=', async () => {
      const x = setup();
      const all = await asDocumented(strict, `${x.psid}/ids_for_apps`, { access_token: x.page.accessToken, appsecret_proof: x.pageProof });
      ok(all);
      assertShape(all.body, IDS_FOR_APPS);
      const one = await asDocumented(strict, `${x.psid}/ids_for_apps`, {
        app: x.otherApp.id,
        access_token: x.page.accessToken,
        appsecret_proof: x.pageProof,
      });
      ok(one);
      assertShape(one.body, IDS_FOR_APPS);
      assert.deepEqual(
        (one.body as { data: { app: { id: string } }[] }).data.map((d) => d.app.id),
        [x.otherApp.id],
      );
    });

    it('use case 2: GET /{user-asid}/ids_for_pages?access_token=[app_access_token]&appsecret_proof, and ?page=', async () => {
      const x = setup();
      const all = await asDocumented(strict, `${x.asid}/ids_for_pages`, { access_token: x.appToken, appsecret_proof: x.appProof });
      ok(all);
      assertShape(all.body, IDS_FOR_PAGES);
      const one = await asDocumented(strict, `${x.asid}/ids_for_pages`, {
        page: x.otherPage.id,
        access_token: x.appToken,
        appsecret_proof: x.appProof,
      });
      ok(one);
      assert.deepEqual(
        (one.body as { data: { page: { id: string } }[] }).data.map((d) => d.page.id),
        [x.otherPage.id],
      );
    });

    it('use case 3: GET /{user-asid}/ids_for_apps?access_token=[app_access_token] (no proof), and ?app=', async () => {
      const x = setup();
      const all = await asDocumented(strict, `${x.asid}/ids_for_apps`, { access_token: x.appToken });
      ok(all);
      assertShape(all.body, IDS_FOR_APPS);
      const one = await asDocumented(strict, `${x.asid}/ids_for_apps`, { app: x.otherApp.id, access_token: x.appToken });
      ok(one);
      assertShape(one.body, IDS_FOR_APPS);
    });

    it("use case 4: GET /{user-psid}/ids_for_pages?access_token=[page_access_token]&appsecret_proof, and the doc's ?app= variant", async () => {
      const x = setup();
      const all = await asDocumented(strict, `${x.psid}/ids_for_pages`, { access_token: x.page.accessToken, appsecret_proof: x.pageProof });
      ok(all);
      assertShape(all.body, IDS_FOR_PAGES);
      // The doc's second example passes app= to ids_for_pages; Graph ignores a parameter the edge does not take.
      const variant = await asDocumented(strict, `${x.psid}/ids_for_pages`, {
        app: x.app.id,
        access_token: x.page.accessToken,
        appsecret_proof: x.pageProof,
      });
      ok(variant);
      assertShape(variant.body, IDS_FOR_PAGES);
    });

    it('example query: GET /{user-asid}?fields=name,age_range,ids_for_apps,ids_for_pages&access_token=[app_access_token]', async () => {
      const x = setup();
      const r = await asDocumented(strict, x.asid, { fields: 'name,age_range,ids_for_apps,ids_for_pages', access_token: x.appToken });
      ok(r);
      assertShape(r.body, FROM_ASID);
      assert.equal((r.body as { id: string }).id, x.asid);
    });

    it('example query: GET /{user-psid}?fields=name,is_payment_enabled,ids_for_apps,ids_for_pages&access_token=[page_access_token]&appsecret_proof', async () => {
      const x = setup();
      const r = await asDocumented(strict, x.psid, {
        fields: 'name,is_payment_enabled,ids_for_apps,ids_for_pages',
        access_token: x.page.accessToken,
        appsecret_proof: x.pageProof,
      });
      ok(r);
      assertShape(r.body, FROM_PSID);
      assert.equal((r.body as { id: string }).id, x.psid);
    });

    it('policy: across businesses the answer is the documented (#200) review error', async () => {
      const x = setup();
      const foreign = strict.world.pages.find((p) => p.businessId !== x.page.businessId) ?? assert.fail('a Page of another business');
      const theirPsid = strict.world.people[0]?.psids.get(foreign.id) ?? assert.fail('a PSID there');
      const r = await asDocumented(strict, `${theirPsid}/ids_for_apps`, { access_token: x.page.accessToken, appsecret_proof: x.pageProof });
      assert.equal(r.status, 403);
      assertShape(r.body, ERROR);
      assert.equal(
        (r.body as { error: { message: string } }).error.message,
        '(#200) Your business is currently going through review to access this API.',
      );
    });
  });

  describe('seed 002: the Conversations API', () => {
    const page = () => sim.world.pages.find((p) => p.instagram) ?? assert.fail('a Page with Instagram');

    for (const platform of ['messenger', 'instagram']) {
      it(`GET /PAGE-ID/conversations?platform=${platform}&access_token=PAGE-ACCESS-TOKEN`, async () => {
        const r = await asDocumented(sim, `${page().id}/conversations`, { platform, access_token: page().accessToken });
        ok(r);
        assertShape(r.body, CONVERSATIONS);
        assert.ok(
          (r.body as { data: { updated_time: string }[] }).data.every((c) => ISO.test(c.updated_time)),
          'ISO-8601 with +0000',
        );
      });
    }

    it('GET /PAGE-ID/conversations?platform=PLATFORM&user_id=PAGE-SCOPED-ID&access_token=…', async () => {
      const conv = (sim.world.conversations.get(page().id) ?? []).find((c) => c.platform === 'messenger') ?? assert.fail('a thread');
      const psid = sim.world.people[conv.personIndex]?.psids.get(page().id) ?? '';
      const r = await asDocumented(sim, `${page().id}/conversations`, {
        platform: 'messenger',
        user_id: psid,
        access_token: page().accessToken,
      });
      ok(r);
      assertShape(r.body, CONVERSATION_OF_USER);
      assert.deepEqual(
        (r.body as { data: { id: string }[] }).data.map((c) => c.id),
        [conv.id],
      );
    });

    it('GET /CONVERSATION-ID?fields=messages&access_token=…', async () => {
      const conv = (sim.world.conversations.get(page().id) ?? [])[0] ?? assert.fail('a thread');
      const r = await asDocumented(sim, conv.id, { fields: 'messages', access_token: page().accessToken });
      ok(r);
      assertShape(r.body, CONVERSATION_MESSAGES);
      assert.equal((r.body as { id: string }).id, conv.id);
    });

    it('GET /MESSAGE-ID?fields=id,created_time,from,to,message&access_token=… (the Instagram example)', async () => {
      const conv =
        (sim.world.conversations.get(page().id) ?? []).find((c) => c.platform === 'instagram') ?? assert.fail('an Instagram thread');
      const messages = sim.world.messages(conv);
      const text =
        messages.slice(0, 20).find((m) => !m.fromPage && m.text !== '' && !m.attachments) ?? assert.fail('a text from the customer');
      sim.world.indexMessages(conv, messages);
      const r = await asDocumented(sim, text.id, { fields: 'id,created_time,from,to,message', access_token: page().accessToken });
      ok(r);
      assertShape(r.body, IG_MESSAGE);
      assert.ok(text.id.startsWith('aWdGG'));
      assert.ok(ISO.test((r.body as { created_time: string }).created_time));
      assert.equal((r.body as { to: { data: { id: string }[] } }).to.data[0]?.id, page().instagram?.id);
    });
  });

  describe("the reference's JSON examples", () => {
    const page = () => sim.world.pages[0] ?? assert.fail('a Page');

    it('conversations with the full field list', async () => {
      const r = await asDocumented(sim, `${page().id}/conversations`, {
        platform: 'messenger',
        fields: 'id,updated_time,link,message_count,unread_count,snippet,can_reply,is_subscribed,scoped_thread_key,participants',
        limit: '1',
        access_token: page().accessToken,
      });
      ok(r);
      assertShape(r.body, CONVERSATIONS_WITH_FIELDS);
      const next = new URL((r.body as { paging: { next: string } }).paging.next);
      assert.equal(next.pathname, `/v26.0/${page().id}/conversations`);
      assert.equal(next.searchParams.get('limit'), '1');
    });

    it('messages through field expansion: messages.limit(2){id,created_time,from,to,message,sticker,tags}', async () => {
      const conv =
        (sim.world.conversations.get(page().id) ?? []).find((c) => c.platform === 'messenger' && c.messageCount > 2) ??
        assert.fail('a thread');
      const r = await asDocumented(sim, conv.id, {
        fields: 'messages.limit(2){id,created_time,from,to,message,sticker,tags}',
        access_token: page().accessToken,
      });
      ok(r);
      assertShape(r.body, MESSAGES_EXPANDED);
      assert.equal(
        new URL((r.body as { messages: { paging: { next: string } } }).messages.paging.next).pathname,
        `/v26.0/${conv.id}/messages`,
      );
    });

    it('/me/accounts and /debug_token', async () => {
      const user = sim.credentials().userToken;
      const accounts = await asDocumented(sim, 'me/accounts', { access_token: user });
      ok(accounts);
      assertShape(accounts.body, ACCOUNTS);
      const app = sim.world.app(page().appId) ?? assert.fail('an app');
      const debug = await asDocumented(sim, 'debug_token', { input_token: page().accessToken, access_token: `${app.id}|${app.secret}` });
      ok(debug);
      assertShape(debug.body, DEBUG_TOKEN);
    });

    it('error envelopes: expired token (190/463), invalid appsecret_proof, 80006', async () => {
      const expiring = strict.world.users[0] ?? assert.fail('a user');
      const record = strict.world.tokens.get(expiring.token) ?? assert.fail('its token');
      const saved = record.expiresAt;
      record.expiresAt = 1;
      try {
        const expired = await asDocumented(strict, 'me', { access_token: expiring.token });
        assertShape(expired.body, ERROR_WITH_SUBCODE);
      } finally {
        record.expiresAt = saved;
      }
      const p = strict.world.pages[0] ?? assert.fail('a Page');
      const badProof = await asDocumented(strict, `${p.id}/conversations`, {
        access_token: p.accessToken,
        appsecret_proof: '0'.repeat(64),
      });
      assertShape(badProof.body, ERROR);
      sim.faults.add({ kind: 'rateLimit', code: 80006, times: 1 });
      const limited = await asDocumented(sim, `${page().id}/conversations`, { platform: 'messenger', access_token: page().accessToken });
      assert.equal(sim.log.at(-1)?.fault, 'rateLimit', 'the injected rate limit was served');
      assertShape(limited.body, { error: { message: '(#80006) …', type: 'OAuthException', code: 80006, fbtrace_id: '...' } });
      const buc = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, unknown>;
      assertShape(buc[page().id], BUC_ENTRY);
      assert.equal((buc[page().id] as { type: string }[])[0]?.type, 'messenger');
    });

    it('usage headers: X-App-Usage for app and user tokens, X-Business-Use-Case-Usage for Page tokens', async () => {
      const app = sim.world.app(page().appId) ?? assert.fail('an app');
      const appCall = await asDocumented(sim, app.id, { access_token: `${app.id}|${app.secret}` });
      ok(appCall);
      assertShape(JSON.parse(appCall.headers.get('x-app-usage') ?? 'null'), APP_USAGE);
      const pageCall = await asDocumented(sim, `${page().id}/conversations`, { platform: 'messenger', access_token: page().accessToken });
      const buc = JSON.parse(pageCall.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, unknown>;
      assert.deepEqual(Object.keys(buc), [page().id]);
      assertShape(buc[page().id], BUC_ENTRY);
    });

    it('the batch example: include_headers=false, an item that fails on its own (803), items in order', async () => {
      const threads = (sim.world.conversations.get(page().id) ?? []).filter((c) => c.platform === 'messenger');
      const t1 = threads[0]?.id ?? assert.fail('a thread');
      const batch = [
        { method: 'GET', relative_url: `${page().id}/conversations?platform=messenger&limit=5` },
        { method: 'GET', relative_url: `?ids=${t1},t_2&fields=snippet` },
        { method: 'GET', relative_url: `${t1}?fields=messages` },
      ];
      const response = await fetch(`${sim.url}/v26.0/`, {
        method: 'POST',
        body: new URLSearchParams({ access_token: page().accessToken, include_headers: 'false', batch: JSON.stringify(batch) }),
      });
      ok({ status: response.status, body: null });
      const out = (await response.json()) as unknown[];
      assertShape(out, [{ code: 200, body: '{…}' }]);
      const parsed = out.map((o) => JSON.parse((o as { body: string }).body) as unknown);
      assert.deepEqual(
        out.map((o) => (o as { code: number }).code),
        [200, 400, 200],
      );
      assertShape(parsed[1], {
        error: {
          message: '(#803) Some of the aliases you requested do not exist: t_2',
          type: 'OAuthException',
          code: 803,
          fbtrace_id: '...',
        },
      });
      assert.equal(
        (parsed[1] as { error: { message: string } }).error.message,
        '(#803) Some of the aliases you requested do not exist: t_2',
      );
      assertShape(parsed[2], CONVERSATION_MESSAGES);
    });
  });
});
