import * as assert from 'node:assert/strict';
import { GraphClient, LinkedIds, MESSAGE_FIELDS } from '../../src/core/graph/client';
import { GraphError } from '../../src/core/graph/errors';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { GraphTransport } from '../../src/core/graph/transport';
import { FakeGraph, failure, json } from './support/fakeGraphHost';

const HOST = 'http://127.0.0.1:4580';
const TOKEN = 'EAAreads-token-000000';
const CREDS = { accessToken: TOKEN, appSecret: 'app-secret-000' };

function setup(scheduler?: RequestScheduler) {
  const graph = new FakeGraph();
  const transport = new GraphTransport({ fetch: graph.fetch, host: HOST, scheduler });
  const client = new GraphClient(transport);
  /** What request i asked for: its path under the version, and its query and form fields. */
  const sent = (i: number) => {
    const url = new URL(graph.sent[i].url);
    const prefix = `/${transport.apiVersion}/`;
    assert.ok(url.pathname.startsWith(prefix), url.pathname);
    const body = graph.sent[i].init.body;
    return {
      method: graph.sent[i].init.method,
      path: url.pathname.slice(prefix.length),
      query: url.searchParams,
      form: new URLSearchParams(typeof body === 'string' ? body : ''),
    };
  };
  /** The items of batch request i, as sent. */
  const batchItems = (i: number) => JSON.parse(sent(i).form.get('batch') ?? 'null') as { method: string; relative_url: string }[];
  return { graph, client, sent, batchItems };
}

/** Every request carried the token only in its Authorization header, with appsecret_proof beside it. */
function assertSigned(graph: FakeGraph): void {
  assert.ok(graph.sent.length > 0);
  graph.sent.forEach((request, i) => {
    assert.equal(graph.headers(i).Authorization, `Bearer ${TOKEN}`);
    const body = typeof request.init.body === 'string' ? request.init.body : '';
    assert.ok(!request.url.includes(TOKEN) && !body.includes(TOKEN), 'the token must not travel in the URL or body');
    const proof = new URL(request.url).searchParams.get('appsecret_proof') ?? new URLSearchParams(body).get('appsecret_proof');
    assert.match(proof ?? '', /^[0-9a-f]{64}$/, 'appsecret_proof missing');
  });
}

function linkedOf(value: LinkedIds | GraphError | undefined): LinkedIds {
  assert.ok(
    value !== undefined && !(value instanceof GraphError),
    `expected linked IDs, got ${value instanceof GraphError ? value.message : 'nothing'}`,
  );
  return value;
}

function errorOf(value: LinkedIds | GraphError | undefined): GraphError {
  assert.ok(value instanceof GraphError, `expected an error, got ${JSON.stringify(value)}`);
  return value;
}

/** A paging block that has a next page after `cursor`. */
const more = (cursor: string) => ({ cursors: { after: cursor }, next: `${HOST}/v1/x?after=${cursor}` });
const person = (id: string, pageIds: string[] = []) => ({
  id,
  name: `Person ${id}`,
  ids_for_apps: { data: [] },
  ids_for_pages: { data: pageIds.map((p) => ({ id: p, page: { id: 'P1', name: 'Page' } })) },
});
const batchAnswer = (body: unknown, headers: { name: string; value: string }[] = []) => ({
  code: 200,
  headers,
  body: JSON.stringify(body),
});
const appUsage = (percent: number) => JSON.stringify({ call_count: percent, total_time: 1, total_cputime: 1 });
const rateLimited = () => json({ error: { message: 'Application request limit reached', code: 4 } }, 403);

describe('Graph client reads and sends (fake Graph host)', () => {
  describe('malformed answers name the field that was wrong', () => {
    it('lists of Pages, conversations, messages and linked IDs', async () => {
      const { graph, client } = setup();
      const bad = { data: 'not a list' };
      graph.answers.push(() => json(bad));
      assert.equal((await failure(client.listManagedPages(CREDS))).field, 'accounts.data');
      graph.answers.push(() => json(bad));
      assert.equal((await failure(client.listConversations(CREDS, 'P1', { platform: 'messenger' }))).field, 'conversations.data');
      graph.answers.push(() => json(bad));
      assert.equal((await failure(client.idsForApps(CREDS, 'U1'))).field, 'ids_for_apps.data');
      graph.answers.push(() => json(bad));
      assert.equal((await failure(client.idsForPages(CREDS, 'U1'))).field, 'ids_for_pages.data');
      graph.answers.push(() => json([]));
      assert.equal((await failure(client.listMessages(CREDS, 't_1'))).field, 'conversation');
      graph.answers.push(() => json({ messages: bad }));
      assert.equal((await failure(client.listMessages(CREDS, 't_1'))).field, 'conversation.messages.data');
      graph.answers.push(() => json(bad));
      assert.equal((await failure(client.listMessages(CREDS, 't_1', { after: 'c1' }))).field, 'messages.data');
      graph.answers.push(() => json([]));
      assert.equal((await failure(client.getMessage(CREDS, 'm_1'))).field, 'message');
      graph.answers.push(() => json({}));
      assert.equal((await failure(client.getMessage(CREDS, 'm_1'))).field, 'message.id');
      graph.answers.push(() => json([]));
      assert.equal((await failure(client.linkedIds(CREDS, 'U1'))).field, 'user');
      graph.answers.push(() => json({ id: 'U1', ids_for_apps: bad }));
      assert.equal((await failure(client.linkedIds(CREDS, 'U1'))).field, 'user.ids_for_apps.data');
      graph.answers.push(() => json([]));
      assert.equal((await failure(client.getMany(CREDS, ['U1'], 'id'))).field, 'response');
      graph.answers.push(() => json({ U1: 5 }));
      assert.equal((await failure(client.getMany(CREDS, ['U1'], 'id'))).field, 'response.U1');
      graph.answers.push(() => json({ U1: { id: 'U1', ids_for_pages: bad } }));
      assert.equal((await failure(client.linkedIdsMany(CREDS, ['U1']))).field, 'response.U1.ids_for_pages.data');
    });

    it('a batch of conversation lists fails item by item, naming the item', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json([batchAnswer({ data: [] }), batchAnswer({ data: 5 })]));
      const [first, second] = await client.listConversationsBatch(CREDS, 'P1', [{ platform: 'messenger' }, { platform: 'instagram' }]);
      assert.deepEqual(first, { items: [] });
      assert.ok(second instanceof GraphError);
      assert.equal(second.field, 'batch[1].conversations.data');
    });
  });

  describe('messages of a conversation', () => {
    it('the first page comes by field expansion on the conversation; a thread without messages is empty', async () => {
      const { graph, client, sent } = setup();
      graph.answers.push(() => json({ id: 't_1' }));
      assert.deepEqual(await client.listMessages(CREDS, 't_1', { limit: 5 }), { items: [] });
      assert.equal(sent(0).path, 't_1');
      assert.equal(sent(0).query.get('fields'), `messages.limit(5){${MESSAGE_FIELDS}}`);
      assertSigned(graph);
    });

    it('a later page comes from the messages edge with the after cursor and the default limit', async () => {
      const { graph, client, sent } = setup();
      graph.answers.push(() => json({ data: [{ id: 'm_1', created_time: '2026-01-01T00:00:00+0000' }], paging: more('c2') }));
      const page = await client.listMessages(CREDS, 't_1', { after: 'c1' });
      assert.deepEqual(
        page.items.map((m) => m.id),
        ['m_1'],
      );
      assert.equal(page.after, 'c2');
      assert.equal(sent(0).path, 't_1/messages');
      assert.equal(sent(0).query.get('fields'), MESSAGE_FIELDS);
      assert.equal(sent(0).query.get('limit'), '20');
      assert.equal(sent(0).query.get('after'), 'c1');
      assertSigned(graph);
    });
  });

  describe('sending a message (Send API)', () => {
    it('posts the recipient, RESPONSE type and text as form fields to the Page messages edge', async () => {
      const { graph, client, sent } = setup();
      graph.answers.push(() => json({ recipient_id: '9001', message_id: 'm_sent' }));
      assert.deepEqual(await client.sendMessage(CREDS, 'P1', '9001', 'Hello 👋'), { recipientId: '9001', messageId: 'm_sent' });
      const request = sent(0);
      assert.equal(request.method, 'POST');
      assert.equal(request.path, 'P1/messages');
      assert.deepEqual(JSON.parse(request.form.get('recipient') ?? ''), { id: '9001' });
      assert.equal(request.form.get('messaging_type'), 'RESPONSE');
      assert.deepEqual(JSON.parse(request.form.get('message') ?? ''), { text: 'Hello 👋' });
      assertSigned(graph);
    });

    it("returns the recipient Meta names, falling back to the one asked for, and Meta's message ID", async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ recipient_id: '7007', message_id: 'm_a' }));
      assert.deepEqual(await client.sendMessage(CREDS, 'P1', '9001', 'hi'), { recipientId: '7007', messageId: 'm_a' });
      graph.answers.push(() => json({ message_id: 'm_b' }));
      assert.deepEqual(await client.sendMessage(CREDS, 'P1', '9001', 'hi'), { recipientId: '9001', messageId: 'm_b' });
    });

    it('an answer without a message ID, or not an object, is malformed and names the field', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ recipient_id: '9001' }));
      assert.equal((await failure(client.sendMessage(CREDS, 'P1', '9001', 'hi'))).field, 'send.message_id');
      graph.answers.push(() => json({ recipient_id: 5, message_id: 'm' }));
      assert.equal((await failure(client.sendMessage(CREDS, 'P1', '9001', 'hi'))).field, 'send.recipient_id');
      graph.answers.push(() => json([]));
      assert.equal((await failure(client.sendMessage(CREDS, 'P1', '9001', 'hi'))).field, 'send');
    });

    it('is not sent again after a server error, even with a retrying scheduler (no double message)', async () => {
      const { graph, client } = setup(new RequestScheduler({ baseDelayMs: 0, maxDelayMs: 0, maxRetries: 3 }));
      const serverError = () => json({ error: { message: 'An unexpected error has occurred.', code: 2, is_transient: true } }, 500);
      graph.answers.push(serverError, serverError, serverError, serverError);
      await failure(client.sendMessage(CREDS, 'P1', '9001', 'hi'));
      assert.equal(graph.sent.length, 1);
    });
  });

  describe('nodes by ID (?ids=)', () => {
    it('asks nothing for no IDs and refuses more than 50 before sending', async () => {
      const { graph, client } = setup();
      assert.deepEqual(await client.getMany(CREDS, [], 'id'), {});
      const refused = await failure(
        client.getMany(
          CREDS,
          Array.from({ length: 51 }, (_, i) => `${1000 + i}`),
          'id',
        ),
      );
      assert.equal(refused.kind, 'badRequest');
      assert.match(refused.message, /50 .*51/);
      assert.equal(graph.sent.length, 0);
    });

    it('sends 50 IDs comma-separated in one request and keys the answer by ID', async () => {
      const { graph, client, sent } = setup();
      const ids = Array.from({ length: 50 }, (_, i) => `${1000 + i}`);
      graph.answers.push(() => json({ 1000: { id: '1000' }, 1001: { id: '1001' } }));
      assert.deepEqual(await client.getMany(CREDS, ids, 'id,name'), { 1000: { id: '1000' }, 1001: { id: '1001' } });
      assert.equal(sent(0).path, '');
      assert.equal(sent(0).query.get('ids'), ids.join(','));
      assert.equal(sent(0).query.get('fields'), 'id,name');
      assertSigned(graph);
    });
  });

  describe('linked IDs follow nested edges past their first page', () => {
    it('stops after 20 further pages of a nested edge that never ends', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ id: 'U1', ids_for_apps: { data: [], paging: more('a0') } }));
      let n = 0;
      for (let i = 0; i < 30; i++) {
        graph.answers.push(() => json({ data: [{ id: `A${n}`, app: { id: 'APP', name: 'App' } }], paging: more(`a${++n}`) }));
      }
      const linked = await client.linkedIds(CREDS, 'U1');
      assert.equal(linked.idsForApps.length, 20);
      assert.equal(graph.sent.length, 21);

      const pages = setup();
      pages.graph.answers.push(() => json({ id: 'U1', ids_for_pages: { data: [], paging: more('p0') } }));
      let m = 0;
      for (let i = 0; i < 30; i++) {
        pages.graph.answers.push(() => json({ data: [{ id: `S${m}`, page: { id: 'P', name: 'Page' } }], paging: more(`p${++m}`) }));
      }
      assert.equal((await pages.client.linkedIds(CREDS, 'U1')).idsForPages.length, 20);
      assert.equal(pages.graph.sent.length, 21);
    });
  });

  describe('linked IDs one by one in a batch (linkedIdsEach)', () => {
    it('a malformed answer fails only its own ID, naming the item', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json([batchAnswer(person('U1')), batchAnswer([]), batchAnswer({ id: 'U3', ids_for_apps: { data: 5 } })]));
      const out = await client.linkedIdsEach(CREDS, ['U1', 'U2', 'U3']);
      assert.equal(linkedOf(out.get('U1')).name, 'Person U1');
      assert.equal(errorOf(out.get('U2')).field, 'batch[1]');
      assert.equal(errorOf(out.get('U3')).field, 'batch[2].ids_for_apps.data');
    });

    it('a rate limit while following a nested edge stops the whole run', async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json([batchAnswer({ id: 'U1', ids_for_apps: { data: [], paging: more('a1') } })]));
      graph.answers.push(rateLimited);
      assert.equal((await failure(client.linkedIdsEach(CREDS, ['U1']))).kind, 'rateLimited');
    });

    it('cancelling while following a nested edge stops the whole run', async () => {
      const { graph, client } = setup();
      const stop = new AbortController();
      graph.answers.push(() => json([batchAnswer({ id: 'U1', ids_for_apps: { data: [], paging: more('a1') } })]));
      graph.answers.push(() => {
        stop.abort();
        throw new DOMException('aborted', 'AbortError');
      });
      assert.equal((await failure(client.linkedIdsEach(CREDS, ['U1'], {}, stop.signal))).kind, 'cancelled');
    });
  });

  describe('linked-ID questions of one account (linkedIdsAsk)', () => {
    it('a lone question with several IDs is one GET with ?ids= and its own fields', async () => {
      const { graph, client, sent } = setup();
      graph.answers.push(() => json({ U1: person('U1', ['S1']), U2: person('U2') }));
      const { results, usage } = await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2'], pagesOnly: true }], { page: 'P1' });
      assert.equal(graph.sent.length, 1);
      assert.equal(sent(0).method, 'GET');
      assert.equal(sent(0).path, '');
      assert.equal(sent(0).query.get('ids'), 'U1,U2');
      assert.equal(sent(0).query.get('fields'), 'name,ids_for_pages.page(P1)');
      assert.deepEqual(
        linkedOf(results.get('U1')).idsForPages.map((p) => p.id),
        ['S1'],
      );
      assert.equal(linkedOf(results.get('U2')).id, 'U2');
      assert.equal(usage, undefined, 'no usage headers, no usage');
      assertSigned(graph);
    });

    it("a lone question's missing or null IDs are not found; a malformed one fails the rest", async () => {
      const { graph, client } = setup();
      graph.answers.push(() => json({ U1: person('U1'), U3: null }));
      const { results } = await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2', 'U3'] }]);
      assert.equal(linkedOf(results.get('U1')).id, 'U1');
      for (const id of ['U2', 'U3']) {
        const missing = errorOf(results.get(id));
        assert.equal(missing.kind, 'notFound');
        assert.match(missing.message, new RegExp(id));
      }
      graph.answers.push(() => json({ U1: person('U1'), U2: 5 }));
      const malformed = (await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2'] }])).results;
      assert.equal(errorOf(malformed.get('U2')).field, 'response.U2');
      graph.answers.push(() => json({ U1: person('U1'), U2: { id: 'U2', ids_for_apps: { data: 5 } } }));
      const badEdge = (await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2'] }])).results;
      assert.equal(errorOf(badEdge.get('U2')).field, 'response.U2.ids_for_apps.data');
      graph.answers.push(() => json([]));
      const notObject = (await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2'] }])).results;
      assert.equal(errorOf(notObject.get('U1')).field, 'response');
      assert.equal(errorOf(notObject.get('U2')).field, 'response');
    });

    it("a lone question's failed request fails each of its IDs, with the usage it reported", async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json({ error: { message: 'Invalid parameter', code: 100 } }, 400, {
          'x-business-use-case-usage': JSON.stringify({ P1: [{ call_count: 30 }] }),
        }),
      );
      const { results, usage } = await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2'] }]);
      assert.equal(errorOf(results.get('U1')).kind, 'badRequest');
      assert.equal(errorOf(results.get('U2')).kind, 'badRequest');
      assert.equal(usage, 30);
    });

    it('reports the usage of a plain GET from X-App-Usage or X-Page-Usage alone', async () => {
      for (const header of ['x-app-usage', 'x-page-usage']) {
        const { graph, client } = setup();
        graph.answers.push(() => json({ U1: person('U1'), U2: person('U2') }, 200, { [header]: appUsage(42) }));
        assert.equal((await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2'] }])).usage, 42, header);
      }
    });

    it('a lone question with one ID goes as a batch of one item that asks for that node', async () => {
      const { graph, client, sent, batchItems } = setup();
      graph.answers.push(() => json([batchAnswer(person('U1'))]));
      const { results } = await client.linkedIdsAsk(CREDS, [{ ids: ['U1'] }]);
      assert.equal(sent(0).method, 'POST');
      assert.deepEqual(batchItems(0), [
        { method: 'GET', relative_url: `U1?fields=${encodeURIComponent('name,ids_for_apps,ids_for_pages')}` },
      ]);
      assert.equal(linkedOf(results.get('U1')).id, 'U1');
    });

    it('several questions go as one batch: one item per question, ?ids= for a question of several', async () => {
      const { graph, client, sent, batchItems } = setup();
      graph.answers.push(() =>
        json(
          [batchAnswer({ U1: person('U1'), U2: person('U2') }, [{ name: 'X-App-Usage', value: appUsage(60) }]), batchAnswer(person('U3'))],
          200,
          { 'x-app-usage': appUsage(10) },
        ),
      );
      const { results, usage } = await client.linkedIdsAsk(CREDS, [{ ids: ['U1', 'U2'] }, { ids: ['U3'], pagesOnly: true }]);
      assert.equal(graph.sent.length, 1);
      assert.equal(sent(0).method, 'POST');
      assert.equal(sent(0).form.get('include_headers'), 'true');
      assert.deepEqual(batchItems(0), [
        { method: 'GET', relative_url: `?ids=U1,U2&fields=${encodeURIComponent('name,ids_for_apps,ids_for_pages')}` },
        { method: 'GET', relative_url: `U3?fields=${encodeURIComponent('name,ids_for_pages')}` },
      ]);
      assert.deepEqual(
        ['U1', 'U2', 'U3'].map((id) => linkedOf(results.get(id)).name),
        ['Person U1', 'Person U2', 'Person U3'],
      );
      assert.equal(usage, 60, 'the highest of the response and item headers');
      assertSigned(graph);
    });

    it('the filter reaches the nested-edge follow-ups of a batch item', async () => {
      const { graph, client, sent } = setup();
      graph.answers.push(() =>
        json([batchAnswer(person('U1')), batchAnswer({ id: 'U2', ids_for_apps: { data: [], paging: more('a1') } })]),
      );
      graph.answers.push(() => json({ data: [{ id: 'A9', app: { id: 'APP9', name: 'App' } }] }));
      const { results } = await client.linkedIdsAsk(CREDS, [{ ids: ['U1'] }, { ids: ['U2'] }], { app: 'APP9' });
      assert.equal(sent(1).path, 'U2/ids_for_apps');
      assert.equal(sent(1).query.get('app'), 'APP9');
      assert.equal(sent(1).query.get('after'), 'a1');
      assert.deepEqual(
        linkedOf(results.get('U2')).idsForApps.map((a) => a.id),
        ['A9'],
      );
    });

    it('a malformed batch item fails its own IDs, keeping those already decoded, and names the item', async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json([
          batchAnswer([]),
          batchAnswer({ U2: person('U2'), U3: 5, U4: person('U4') }),
          batchAnswer({ id: 'U5', ids_for_apps: { data: 5 } }),
        ]),
      );
      const { results } = await client.linkedIdsAsk(CREDS, [{ ids: ['U1'] }, { ids: ['U2', 'U3', 'U4'] }, { ids: ['U5'] }]);
      assert.equal(errorOf(results.get('U1')).field, 'batch[0]');
      assert.equal(linkedOf(results.get('U2')).id, 'U2');
      assert.equal(errorOf(results.get('U3')).field, 'batch[1].U3');
      assert.equal(errorOf(results.get('U4')).field, 'batch[1].U3', 'the rest of the item fails with it');
      assert.equal(errorOf(results.get('U5')).field, 'batch[2].ids_for_apps.data');

      graph.answers.push(() => json([batchAnswer(person('U1')), batchAnswer(7)]));
      const notObject = (await client.linkedIdsAsk(CREDS, [{ ids: ['U1'] }, { ids: ['U2', 'U3'] }])).results;
      assert.equal(errorOf(notObject.get('U2')).field, 'batch[1]');
    });

    it('a rate limit while following a batch item stops the whole run', async () => {
      const { graph, client } = setup();
      graph.answers.push(() =>
        json([batchAnswer(person('U1')), batchAnswer({ id: 'U2', ids_for_pages: { data: [], paging: more('p1') } })]),
      );
      graph.answers.push(rateLimited);
      assert.equal((await failure(client.linkedIdsAsk(CREDS, [{ ids: ['U1'] }, { ids: ['U2'] }]))).kind, 'rateLimited');
    });

    it('takes 50 questions in one batch and refuses 51 before sending', async () => {
      const { graph, client, batchItems } = setup();
      const asks = Array.from({ length: 51 }, (_, i) => ({ ids: [`${1000 + i}`] }));
      const refused = await failure(client.linkedIdsAsk(CREDS, asks));
      assert.equal(refused.kind, 'badRequest');
      assert.match(refused.message, /50 .*51/);
      assert.equal(graph.sent.length, 0);
      graph.answers.push(() => json(asks.slice(0, 50).map((a) => batchAnswer(person(a.ids[0])))));
      const { results } = await client.linkedIdsAsk(CREDS, asks.slice(0, 50));
      assert.equal(batchItems(0).length, 50);
      assert.equal(results.size, 50);
    });
  });
});
