import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { GraphSimulator, startSimulator } from '../../simulator/index';

/**
 * Webhooks as Meta delivers them (issue 21): subscriptions with the verification handshake, events
 * in the documented shapes, signed over the raw body, batched, retried, logged, redelivered; the
 * person who writes; the change stream.
 */
type Json = Record<string, unknown>;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A bot's endpoint under the test's control: answers the handshake, records POSTs, answers with `reply`. */
class Receiver {
  readonly received: Received[] = [];
  reply: (r: Received, index: number) => { status: number; body?: string; delayMs?: number } = () => ({
    status: 200,
    body: 'EVENT_RECEIVED',
  });
  verifyToken = 'test-verify-token';
  echo: (challenge: string) => string = (c) => c;
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(r);
        if (req.method === 'GET') {
          const q = new URL(r.url, 'http://x').searchParams;
          const ok = q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === this.verifyToken;
          res.writeHead(ok ? 200 : 403).end(ok ? this.echo(q.get('hub.challenge') ?? '') : 'Forbidden');
          return;
        }
        const answer = this.reply(r, this.posts().length - 1);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          res.writeHead(answer.status).end(answer.body ?? '');
        }, answer.delayMs ?? 0);
        this.timers.add(timer);
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/webhook`;
    return this.url;
  }

  posts(): Received[] {
    return this.received.filter((r) => r.method === 'POST');
  }

  payloads(): Json[] {
    return this.posts().map((r) => JSON.parse(r.body) as Json);
  }

  /** Every `entry[].messaging[]` item received, with its entry and object. */
  events(): { object: string; entry: Json; item: Json }[] {
    return this.payloads().flatMap((p) =>
      (p.entry as Json[]).flatMap((entry) => (entry.messaging as Json[]).map((item) => ({ object: p.object as string, entry, item }))),
    );
  }

  async stop(): Promise<void> {
    for (const t of this.timers) {
      clearTimeout(t);
    }
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** Polls until `check` returns a value, for at most `ms`. */
async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 5000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Webhooks and the person who writes (raw HTTP, issue 21)', function () {
  this.timeout(30_000);
  let sim: GraphSimulator;
  let receiver: Receiver;
  let page: { id: string; token: string; proof: string; appId: string; secret: string; instagram: string };
  let psid: string;
  let igsid: string;

  const appToken = () => `${page.appId}|${page.secret}`;

  async function graph(
    method: string,
    path: string,
    params: Record<string, string>,
    token: string,
    proof?: string,
  ): Promise<{ status: number; body: Json }> {
    const form = new URLSearchParams({ ...params, access_token: token, ...(proof ? { appsecret_proof: proof } : {}) });
    const response =
      method === 'GET'
        ? await fetch(`${sim.url}/v26.0/${path}?${form.toString()}`)
        : await fetch(`${sim.url}/v26.0/${path}`, {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString(),
          });
    return { status: response.status, body: (await response.json()) as Json };
  }

  async function subscribe(
    fields = 'messages,messaging_postbacks,message_echoes,message_deliveries,message_reads',
    object = 'page',
    url = receiver.url,
  ): Promise<{ status: number; body: Json }> {
    return graph(
      'POST',
      `${page.appId}/subscriptions`,
      { object, callback_url: url, verify_token: 'test-verify-token', fields },
      appToken(),
    );
  }

  async function install(fields = 'messages,messaging_postbacks,message_echoes,message_deliveries,message_reads'): Promise<void> {
    const answer = await graph('POST', `${page.id}/subscribed_apps`, { subscribed_fields: fields }, page.token, page.proof);
    assert.deepEqual(answer.body, { success: true });
  }

  async function sendText(to: string, text: string): Promise<Json> {
    const response = await fetch(`${sim.url}/v26.0/me/messages?appsecret_proof=${page.proof}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${page.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: { id: to }, messaging_type: 'RESPONSE', message: { text } }),
    });
    const body = (await response.json()) as Json;
    assert.equal(response.status, 200, JSON.stringify(body));
    return body;
  }

  before(async () => {
    sim = await startSimulator({ seed: 11, itemCostMs: 0 });
    const p = sim.world.pages.find((x) => x.instagram) ?? assert.fail('a Page with Instagram');
    const secret = sim.world.app(p.appId)?.secret ?? assert.fail('its app');
    page = {
      id: p.id,
      token: p.accessToken,
      proof: createHmac('sha256', secret).update(p.accessToken).digest('hex'),
      appId: p.appId,
      secret,
      instagram: p.instagram?.id ?? '',
    };
    const person = sim.world.people.find((x) => x.psids.has(p.id) && x.igsids.has(page.instagram)) ?? assert.fail('a person on both');
    psid = person.psids.get(p.id) ?? '';
    igsid = person.igsids.get(page.instagram) ?? '';
  });
  after(() => sim.stop());
  beforeEach(async () => {
    sim.reset();
    Object.assign(sim.settings, { webhookTimeoutMs: 1000, webhookRetryDelaysMs: [20, 40], webhookLegacySignature: true });
    receiver = new Receiver();
    await receiver.start();
  });
  afterEach(async () => {
    // Nothing is delivered to the next test's receiver.
    for (const app of sim.world.apps) {
      sim.platform.webhooks.unsubscribeApp(app.id, undefined, undefined);
    }
    await receiver.stop();
  });

  describe('subscriptions and the verification handshake', () => {
    it('POST /{app-id}/subscriptions (app token) verifies the callback first, then GET lists it', async () => {
      const answer = await subscribe();
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, { success: true });
      const [handshake] = receiver.received;
      assert.equal(handshake?.method, 'GET');
      const q = new URL(handshake?.url ?? '', 'http://x').searchParams;
      assert.equal(q.get('hub.mode'), 'subscribe');
      assert.equal(q.get('hub.verify_token'), 'test-verify-token');
      assert.match(q.get('hub.challenge') ?? '', /^\d+$/);
      const listed = await graph('GET', `${page.appId}/subscriptions`, {}, appToken());
      assert.deepEqual(listed.body, {
        data: [
          {
            object: 'page',
            callback_url: receiver.url,
            active: true,
            fields: ['messages', 'messaging_postbacks', 'message_echoes', 'message_deliveries', 'message_reads'].map((name) => ({
              name,
              version: 'v26.0',
            })),
          },
        ],
      });
    });

    it('a wrong verify token, a challenge not echoed, no bot at all: (#2200) Callback verification failed, nothing subscribed', async () => {
      receiver.verifyToken = 'something-else';
      const refused = await subscribe();
      assert.equal(refused.status, 400);
      assert.equal((refused.body.error as Json).code, 2200);
      assert.match((refused.body.error as Json).message as string, /Callback verification failed.*HTTP Status Code = 403/);
      receiver.verifyToken = 'test-verify-token';
      receiver.echo = () => 'not the challenge';
      const wrongEcho = await subscribe();
      assert.equal((wrongEcho.body.error as Json).code, 2200);
      assert.match((wrongEcho.body.error as Json).message as string, /does not match challenge/);
      const nobody = await subscribe(undefined, 'page', 'http://127.0.0.1:9/webhook');
      assert.equal((nobody.body.error as Json).code, 2200);
      assert.deepEqual((await graph('GET', `${page.appId}/subscriptions`, {}, appToken())).body, { data: [] });
    });

    it("needs the app's own token, a loopback callback URL, known fields", async () => {
      const withPageToken = await graph(
        'POST',
        `${page.appId}/subscriptions`,
        { object: 'page', callback_url: receiver.url, verify_token: 'test-verify-token', fields: 'messages' },
        page.token,
        page.proof,
      );
      assert.equal((withPageToken.body.error as Json).code, 15);
      const remote = await subscribe('messages', 'page', 'https://bot.example.com/webhook');
      assert.equal((remote.body.error as Json).code, 100);
      assert.match((remote.body.error as Json).message as string, /loopback/);
      assert.equal(((await subscribe('messages,not_a_field')).body.error as Json).code, 100);
      assert.equal(receiver.received.length, 0, 'no handshake for a refused subscription');
    });

    it('POST /{page-id}/subscribed_apps (Page token) installs the app; GET lists it with its fields; DELETE removes it', async () => {
      await install('messages,message_echoes');
      const listed = await graph('GET', `${page.id}/subscribed_apps`, {}, page.token, page.proof);
      const app = sim.world.app(page.appId) ?? assert.fail('the app');
      assert.deepEqual(listed.body, {
        data: [
          {
            ...(app.category ? { category: app.category } : {}),
            link: app.link,
            name: app.name,
            id: app.id,
            subscribed_fields: ['messages', 'message_echoes'],
          },
        ],
      });
      assert.equal(
        (
          (await graph('POST', `${page.id}/subscribed_apps`, { subscribed_fields: 'messages,bogus' }, page.token, page.proof)).body
            .error as Json
        ).code,
        100,
      );
      assert.deepEqual((await graph('DELETE', `${page.id}/subscribed_apps`, {}, page.token, page.proof)).body, { success: true });
      assert.deepEqual((await graph('GET', `${page.id}/subscribed_apps`, {}, page.token, page.proof)).body, { data: [] });
    });
  });

  describe("events in Meta's shapes, signed over the raw body", () => {
    beforeEach(async () => {
      assert.equal((await subscribe()).status, 200);
      assert.equal((await subscribe('messages,messaging_postbacks,messaging_seen', 'instagram')).status, 200);
      await install();
    });

    it('a person writes: the thread gets the message and the bot a signed `messages` event (sha256 and legacy sha1 of the raw bytes)', async () => {
      const inbound = await sim.controlRequest<Json>('/inbound', { page: page.id, from: psid, text: 'Grüße aus München / 🙂' });
      assert.match(inbound.thread as string, /^t_/);
      const [post] = await until(() => receiver.posts().length > 0 && receiver.posts(), 5000, 'the webhook');
      assert.ok(post);
      const raw = post.body;
      assert.equal(post.headers['content-type'], 'application/json');
      assert.equal(post.headers['x-hub-signature-256'], `sha256=${createHmac('sha256', page.secret).update(raw).digest('hex')}`);
      assert.equal(post.headers['x-hub-signature'], `sha1=${createHmac('sha1', page.secret).update(raw).digest('hex')}`);
      assert.ok(
        raw.includes('Gr\\u00fc\\u00dfe aus M\\u00fcnchen \\/ \\ud83d\\ude42'),
        `escaped unicode and slashes, as Meta signs them: ${raw}`,
      );
      const reserialised = JSON.stringify(JSON.parse(raw));
      assert.notEqual(
        `sha256=${createHmac('sha256', page.secret).update(reserialised).digest('hex')}`,
        post.headers['x-hub-signature-256'],
        'a bot must hash the raw body, not re-serialised JSON',
      );
      const payload = JSON.parse(raw) as Json;
      assert.equal(payload.object, 'page');
      const [entry] = payload.entry as Json[];
      assert.deepEqual(Object.keys(entry ?? {}), ['id', 'time', 'messaging']);
      assert.equal(entry?.id, page.id);
      assert.equal(typeof entry?.time, 'number');
      const [item] = entry?.messaging as Json[];
      assert.deepEqual(item, {
        sender: { id: psid },
        recipient: { id: page.id },
        timestamp: inbound.timestamp,
        message: { mid: inbound.message_id, text: 'Grüße aus München / 🙂' },
      });
    });

    it('quick replies, attachments, postbacks and read receipts', async () => {
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'Red', quick_reply: { payload: 'PICK_RED' } });
      await sim.controlRequest('/inbound', {
        page: page.id,
        from: psid,
        attachment: { type: 'image', payload: { url: 'https://example.com/cat.jpg' } },
      });
      const postback = await sim.controlRequest<Json>('/inbound', {
        page: page.id,
        from: psid,
        postback: { title: 'Get Started', payload: 'GET_STARTED' },
      });
      await sim.controlRequest('/inbound', { page: page.id, from: psid, read: true });
      const items = await until(() => receiver.events().length >= 4 && receiver.events().map((e) => e.item), 5000, 'four events');
      assert.deepEqual((items[0]?.message as Json).quick_reply, { payload: 'PICK_RED' });
      assert.equal((items[0]?.message as Json).text, 'Red');
      assert.deepEqual((items[1]?.message as Json).attachments, [{ type: 'image', payload: { url: 'https://example.com/cat.jpg' } }]);
      assert.deepEqual(items[2]?.postback, { mid: postback.message_id, title: 'Get Started', payload: 'GET_STARTED' });
      assert.deepEqual(Object.keys(items[3]?.read as Json), ['watermark']);
      assert.deepEqual(items[3]?.sender, { id: psid });
    });

    it("the Page's own send: `message_echoes` (is_echo, app_id as a number) and `message_deliveries`, batched in one POST", async () => {
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'hi' });
      await until(() => receiver.posts().length === 1, 5000, 'the message');
      const sent = await sendText(psid, 'Hello from the Page');
      const [, post] = await until(() => receiver.posts().length >= 2 && receiver.posts(), 5000, 'the echo');
      assert.ok(post);
      assert.ok(post.body.includes(`"app_id":${page.appId}`), 'app_id is written as a number, digits intact');
      const entries = (JSON.parse(post.body) as Json).entry as Json[];
      assert.equal(entries.length, 2, 'echo and delivery batched as two entries');
      const [echo, delivery] = entries.map((e) => (e.messaging as Json[])[0] ?? {});
      assert.deepEqual(echo?.sender, { id: page.id });
      assert.deepEqual(echo?.recipient, { id: psid });
      const message = echo?.message as Json;
      assert.equal(message.is_echo, true);
      assert.equal(message.mid, sent.message_id);
      assert.equal(message.text, 'Hello from the Page');
      assert.deepEqual(delivery?.delivery, { mids: [sent.message_id], watermark: (delivery?.delivery as Json).watermark });
      assert.deepEqual(delivery?.sender, { id: psid });
    });

    it('only the fields the Page installed are delivered', async () => {
      await install('messages');
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'hi' });
      await sendText(psid, 'no echo for you');
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'again' });
      await until(() => receiver.posts().length >= 2, 5000, 'two messages');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        receiver.events().map((e) => (e.item.message as Json).text),
        ['hi', 'again'],
      );
    });

    it('Instagram: object "instagram", entry id the Instagram account, echoes in `messages`, `messaging_seen` with a mid', async () => {
      const inbound = await sim.controlRequest<Json>('/inbound', { page: page.id, from: igsid, text: 'Hi Kitty!' });
      const sent = await sendText(igsid, 'Hi from the shop');
      await sim.controlRequest('/inbound', { page: page.id, from: igsid, read: true });
      const events = await until(() => receiver.events().length >= 3 && receiver.events(), 5000, 'three Instagram events');
      assert.ok(events.every((e) => e.object === 'instagram' && e.entry.id === page.instagram));
      assert.deepEqual(events[0]?.item, {
        sender: { id: igsid },
        recipient: { id: page.instagram },
        timestamp: inbound.timestamp,
        message: { mid: inbound.message_id, text: 'Hi Kitty!' },
      });
      assert.equal((events[1]?.item.message as Json).is_echo, true);
      assert.equal((events[1]?.item.message as Json).mid, sent.message_id);
      assert.deepEqual(events[2]?.item.read, { mid: sent.message_id });
    });
  });

  describe('retries, the delivery log, redelivery', () => {
    beforeEach(async () => {
      await subscribe();
      await install();
    });

    it('a bot that answers 500, then 200: retried with backoff; the log has event, status, latency, attempts and the response', async () => {
      receiver.reply = (_r, i) => (i === 0 ? { status: 500, body: 'boom' } : { status: 200, body: 'EVENT_RECEIVED' });
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'retry me' });
      const log = await until(
        async () => {
          const { deliveries } = await sim.controlRequest<{ deliveries: Json[] }>('/deliveries');
          return deliveries[0]?.status === 'delivered' && deliveries;
        },
        5000,
        'the retry',
      );
      const [d] = log;
      assert.equal(d?.attempts, 2);
      assert.equal(d?.http_status, 200);
      assert.equal(typeof d?.latency_ms, 'number');
      assert.equal(d?.response_body, 'EVENT_RECEIVED');
      assert.deepEqual(
        (d?.events as Json[]).map((e) => e.field),
        ['messages'],
      );
      assert.deepEqual(
        (d?.attempt_log as Json[]).map((a) => a.status),
        [500, 200],
      );
      assert.equal((d?.attempt_log as Json[])[0]?.responseBody, 'boom');
      assert.equal(receiver.posts().length, 2);
      assert.equal(receiver.posts()[0]?.body, receiver.posts()[1]?.body, 'a retry sends the same bytes');
    });

    it('a bot too slow to answer: each attempt times out, retries run out, the delivery failed; a long response body is truncated', async () => {
      sim.settings.webhookTimeoutMs = 100;
      receiver.reply = () => ({ status: 200, body: 'late', delayMs: 400 });
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'too slow' });
      const d = await until(
        async () => {
          const { deliveries } = await sim.controlRequest<{ deliveries: Json[] }>('/deliveries');
          return deliveries[0]?.status === 'failed' && deliveries[0];
        },
        5000,
        'the failure',
      );
      assert.equal(d.attempts, 3, 'the first attempt and the two configured retries');
      assert.equal(d.error, 'timeout');
      receiver.reply = () => ({ status: 403, body: 'x'.repeat(5000) });
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'refused' });
      const refused = await until(
        async () => {
          const { deliveries } = await sim.controlRequest<{ deliveries: Json[] }>('/deliveries');
          return deliveries[1]?.status === 'failed' && deliveries[1];
        },
        5000,
        'the refusal',
      );
      assert.equal(refused.http_status, 403);
      assert.ok((refused.response_body as string).length <= 1025);
    });

    it('redeliver: the same signed bytes again, as a new delivery in the log; GET /deliveries/{id} has the payload and headers', async () => {
      await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'once more' });
      const [first] = await until(
        async () => {
          const { deliveries } = await sim.controlRequest<{ deliveries: Json[] }>('/deliveries');
          return deliveries[0]?.status === 'delivered' && deliveries;
        },
        5000,
        'the delivery',
      );
      const copy = await sim.controlRequest<Json>(`/deliveries/${String(first?.id)}/redeliver`, {});
      assert.equal(copy.redelivery_of, first?.id);
      await until(() => receiver.posts().length === 2, 5000, 'the redelivery');
      assert.equal(receiver.posts()[1]?.body, receiver.posts()[0]?.body);
      assert.equal(receiver.posts()[1]?.headers['x-hub-signature-256'], receiver.posts()[0]?.headers['x-hub-signature-256']);
      const full = await sim.controlRequest<Json>(`/deliveries/${String(first?.id)}`);
      assert.equal((full.payload as Json).object, 'page');
      assert.equal((full.headers as Json)['x-hub-signature-256'], receiver.posts()[0]?.headers['x-hub-signature-256']);
    });
  });

  describe('the person who writes, and the change stream', () => {
    it('inbound: unknown page 404, a PSID of another Page 400, nothing to say 400; a new thread for a first message', async () => {
      const bad = async (body: Json) =>
        (await fetch(`${sim.url}/__simulator/inbound`, { method: 'POST', headers: sim.controlHeaders(), body: JSON.stringify(body) }))
          .status;
      assert.equal(await bad({ page: '1', from: psid, text: 'x' }), 404);
      const other = sim.world.pages.find((p) => p.id !== page.id && p.businessId !== page.id) ?? assert.fail('another Page');
      const stranger =
        sim.world.people.find((p) => p.psids.has(other.id) && !p.psids.has(page.id))?.psids.get(other.id) ??
        sim.world.people.find((p) => p.psids.has(other.id))?.psids.get(other.id) ??
        '';
      assert.equal(await bad({ page: page.id, from: stranger, text: 'x' }), 400);
      assert.equal(await bad({ page: page.id, from: psid }), 400);
      const newcomer =
        sim.world.people.find((p) => p.psids.has(page.id) && !sim.world.thread(page.id, 'messenger', p.index)) ??
        assert.fail('a person without a thread');
      const first = await sim.controlRequest<Json>('/inbound', {
        page: page.id,
        from: newcomer.psids.get(page.id),
        text: 'First time here',
      });
      assert.equal(first.created, true);
      assert.equal(sim.world.conversations.get(page.id)?.[0]?.id, first.thread, 'the new thread is the most recent');
    });

    it('GET /__simulator/events streams thread and delivery changes; the key may be ?key= there and only there', async () => {
      assert.equal((await fetch(`${sim.url}/__simulator/events`)).status, 401);
      assert.equal(
        (await fetch(`${sim.url}/__simulator/deliveries?key=${encodeURIComponent(sim.controlKey)}`)).status,
        401,
        '?key= is for the event stream only',
      );
      await subscribe();
      await install();
      const controller = new AbortController();
      const response = await fetch(`${sim.url}/__simulator/events?key=${encodeURIComponent(sim.controlKey)}`, {
        signal: controller.signal,
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = (response.body ?? assert.fail('a body')).getReader() as ReadableStreamDefaultReader<Uint8Array>;
      const events: { event: string; data: Json }[] = [];
      let buffer = '';
      try {
        const inbound = await sim.controlRequest<Json>('/inbound', { page: page.id, from: psid, text: 'stream me' });
        const deadline = Date.now() + 5000;
        while (!events.some((e) => e.event === 'delivery.updated') && Date.now() < deadline) {
          const chunk = await reader.read();
          if (chunk.done) {
            break;
          }
          buffer += new TextDecoder().decode(chunk.value);
          const blocks = buffer.split('\n\n');
          buffer = blocks.pop() ?? '';
          for (const block of blocks) {
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (event && data) {
              events.push({ event, data: JSON.parse(data) as Json });
            }
          }
        }
        const added = events.find((e) => e.event === 'message.added');
        assert.deepEqual(
          { thread: added?.data.thread, page: added?.data.page, message_id: added?.data.message_id, from: added?.data.from },
          { thread: inbound.thread, page: page.id, message_id: inbound.message_id, from: 'person' },
        );
        assert.ok(events.some((e) => e.event === 'delivery.created'));
        assert.equal(events.find((e) => e.event === 'delivery.updated')?.data.status, 'delivered');
      } finally {
        controller.abort();
        await reader.cancel().catch(() => undefined);
      }
    });

    it('--webhook URL --verify-token T: the CLI subscribes every app and Page after the handshake', async () => {
      const cli = join(resolve(__dirname, '..', '..'), 'simulator', 'cli.js');
      const child = spawn(
        process.execPath,
        [cli, '--port', '0', '--json', '--seed', '3', '--webhook', receiver.url, '--verify-token', 'test-verify-token'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        const line = await new Promise<string>((resolveLine, reject) => {
          let out = '';
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString();
            if (out.includes('\n')) {
              resolveLine(out.split('\n')[0] ?? '');
            }
          });
          child.once('exit', (code) => reject(new Error(`the CLI exited with ${String(code)}`)));
        });
        const started = JSON.parse(line) as { url: string; controlKey: string; apps: { id: string }[]; pages: { id: string }[] };
        const state = await until(
          async () => {
            const r = await fetch(`${started.url}/__simulator/subscriptions`, { headers: { 'x-simulator-key': started.controlKey } });
            const body = (await r.json()) as {
              apps: { app: string; subscriptions: { object: string; callback_url: string }[] }[];
              pages: Json[];
            };
            return body.pages.length === started.pages.length && body;
          },
          10_000,
          "the CLI's subscriptions",
        );
        assert.deepEqual(state.apps.map((a) => a.app).sort(), started.apps.map((a) => a.id).sort());
        assert.ok(
          state.apps.every(
            (a) =>
              a.subscriptions.map((s) => s.object).join() === 'page,instagram' &&
              a.subscriptions.every((s) => s.callback_url === receiver.url),
          ),
        );
        assert.ok(receiver.received.filter((r) => r.method === 'GET').length >= started.apps.length, 'one handshake per app');
      } finally {
        child.kill('SIGTERM');
      }
    });
  });
});
