import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { GraphSimulator, startSimulator } from '../../simulator/index';
import { DEFAULT_LIMITS } from '../../simulator/rateLimit';

/**
 * The Send API as a bot's own HTTP client sees it (issue 21): every documented request form, the
 * answer `{recipient_id, message_id}`, the message in the thread as the Page's, and Meta's errors.
 */
type Json = Record<string, unknown>;
interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

const proofOf = (token: string, secret: string) => createHmac('sha256', secret).update(token).digest('hex');

describe('Send API (raw HTTP, issue 21)', function () {
  this.timeout(20_000);
  let sim: GraphSimulator;
  let page: { id: string; token: string; proof: string; instagram: string };
  let people: { psid: string; igsid?: string }[];
  let next = 0;

  before(async () => {
    sim = await startSimulator({ seed: 7, itemCostMs: 0 });
    const p = sim.world.pages.find((x) => x.instagram) ?? assert.fail('a Page with Instagram');
    const secret = sim.world.app(p.appId)?.secret ?? assert.fail('its app');
    page = { id: p.id, token: p.accessToken, proof: proofOf(p.accessToken, secret), instagram: p.instagram?.id ?? '' };
    people = sim.world.people
      .filter((x) => x.psids.has(p.id))
      .map((x) => ({ psid: x.psids.get(p.id) ?? '', ...(x.igsids.has(page.instagram) ? { igsid: x.igsids.get(page.instagram) } : {}) }));
  });
  after(() => sim.stop());
  beforeEach(() => {
    sim.reset();
  });

  /** A person of the Page who has not been used by another test yet. */
  function person(withInstagram = false): { psid: string; igsid?: string } {
    for (;;) {
      const p = people[next++] ?? assert.fail('enough people');
      if (!withInstagram || p.igsid) {
        return p;
      }
    }
  }

  async function writes(from: string, text = 'Hi there'): Promise<Json> {
    return sim.controlRequest<Json>('/inbound', { page: page.id, from, text });
  }

  /** POST /{page-id}/messages with a JSON body, the token in the Authorization header, the proof in the query. */
  async function send(body: Json, path = `${page.id}/messages`, token = page.token, proof: string | null = page.proof): Promise<Answer> {
    const response = await fetch(`${sim.url}/v26.0/${path}${proof ? `?appsecret_proof=${proof}` : ''}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
  }

  async function get(path: string, params: Record<string, string> = {}): Promise<Json> {
    const query = new URLSearchParams({ ...params, appsecret_proof: page.proof });
    const response = await fetch(`${sim.url}/v26.0/${path}?${query.toString()}`, { headers: { Authorization: `Bearer ${page.token}` } });
    return (await response.json()) as Json;
  }

  function assertError(answer: Answer, code: number, subcode?: number, message?: RegExp): void {
    const error = answer.body.error as Json | undefined;
    assert.ok(error, `an error envelope: ${JSON.stringify(answer.body)}`);
    assert.ok(answer.status >= 400, `HTTP ${answer.status}`);
    assert.equal(error.code, code, JSON.stringify(error));
    assert.equal(error.error_subcode, subcode, JSON.stringify(error));
    assert.equal(typeof error.message, 'string');
    assert.match(error.type as string, /^(OAuthException|GraphMethodException)$/);
    assert.equal(typeof error.fbtrace_id, 'string');
    if (message) {
      assert.match(error.message as string, message);
    }
  }

  describe("a text reply lands in the thread as the Page's", () => {
    it('answers {recipient_id, message_id}; the Conversations API returns it, newest, from the Page', async () => {
      const { psid } = person();
      const inbound = await writes(psid, 'Where is my order?');
      const answer = await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'On its way 🚚' } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(Object.keys(answer.body), ['recipient_id', 'message_id']);
      assert.equal(answer.body.recipient_id, psid);
      assert.match(answer.body.message_id as string, /^m_[A-Za-z0-9_-]+$/);
      const threads = await get(`${page.id}/conversations`, { platform: 'messenger', user_id: psid });
      assert.equal(((threads.data as Json[])[0] ?? {}).id, inbound.thread);
      const messages = await get(`${String(inbound.thread)}/messages`, { fields: 'id,message,from,to' });
      const [newest, previous] = messages.data as Json[];
      assert.equal(newest?.id, answer.body.message_id);
      assert.equal(newest?.message, 'On its way 🚚');
      assert.equal((newest?.from as Json).id, page.id);
      assert.equal((((newest?.to as Json).data as Json[])[0] ?? {}).id, psid);
      assert.equal(previous?.message, 'Where is my order?');
      assert.equal((previous?.from as Json).id, psid);
      const list = await get(`${page.id}/conversations`, { platform: 'messenger', fields: 'id,snippet,message_count', limit: '1' });
      assert.equal(((list.data as Json[])[0] ?? {}).id, inbound.thread, 'the thread moved to the top');
      assert.equal(((list.data as Json[])[0] ?? {}).snippet, 'On its way 🚚');
    });

    it("takes every documented form: form with Meta's single quotes, query string only, JSON with the token inside, /me/messages", async () => {
      const { psid } = person();
      await writes(psid);
      const form = await fetch(`${sim.url}/v26.0/${page.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          recipient: `{'id':'${psid}'}`,
          messaging_type: 'RESPONSE',
          message: "{'text':'hello, world'}",
          access_token: page.token,
          appsecret_proof: page.proof,
        }).toString(),
      });
      assert.equal(form.status, 200, await form.clone().text());
      const query = new URLSearchParams({
        recipient: JSON.stringify({ id: psid }),
        messaging_type: 'RESPONSE',
        message: JSON.stringify({ text: 'hello,world' }),
        access_token: page.token,
        appsecret_proof: page.proof,
      });
      const viaQuery = await fetch(`${sim.url}/v26.0/${page.id}/messages?${query.toString()}`, { method: 'POST' });
      assert.equal(viaQuery.status, 200, await viaQuery.clone().text());
      const json = await fetch(`${sim.url}/v26.0/me/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          access_token: page.token,
          appsecret_proof: page.proof,
          recipient: { id: psid },
          messaging_type: 'UPDATE',
          message: { text: 'json' },
        }),
      });
      const body = (await json.json()) as Json;
      assert.equal(json.status, 200, JSON.stringify(body));
      assert.equal(body.recipient_id, psid);
      const requests = sim.log.filter((r) => r.path.endsWith('/messages')).map((r) => r.tokenSource);
      assert.deepEqual(requests, ['form', 'query', 'json']);
    });

    it("sends inside a batch, as the reference's messaging-api fixture does", async () => {
      const { psid } = person();
      await writes(psid);
      const recipient = encodeURIComponent(JSON.stringify({ id: psid }));
      const response = await fetch(`${sim.url}/v26.0/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          access_token: page.token,
          appsecret_proof: page.proof,
          include_headers: false,
          batch: [
            { method: 'POST', relative_url: 'me/messages', body: `messaging_type=RESPONSE&recipient=${recipient}&sender_action=typing_on` },
            {
              method: 'POST',
              relative_url: 'me/messages',
              body: `messaging_type=RESPONSE&recipient=${recipient}&message=${encodeURIComponent(JSON.stringify({ text: 'Hi' }))}`,
            },
            {
              method: 'POST',
              relative_url: 'me/messages',
              body: `messaging_type=RESPONSE&recipient=${encodeURIComponent('{"id":"1"}')}&message=${encodeURIComponent('{"text":"x"}')}`,
            },
          ],
        }),
      });
      const items = (await response.json()) as { code: number; body: string }[];
      assert.deepEqual(
        items.map((i) => i.code),
        [200, 200, 400],
      );
      assert.deepEqual(JSON.parse(items[0]?.body ?? ''), { recipient_id: psid });
      assert.match((JSON.parse(items[1]?.body ?? '') as Json).message_id as string, /^m_/);
      assert.equal(((JSON.parse(items[2]?.body ?? '') as Json).error as Json).error_subcode, 2018001);
    });
  });

  describe("Meta's errors", () => {
    it('an unknown recipient, or the PSID of another Page: (#100) No matching user found, 2018001', async () => {
      assertError(
        await send({ recipient: { id: '1234567890123' }, messaging_type: 'RESPONSE', message: { text: 'x' } }),
        100,
        2018001,
        /No matching user found/,
      );
      const other = sim.world.pages.find((p) => p.id !== page.id) ?? assert.fail('another Page');
      const stranger = sim.world.people.find((p) => p.psids.has(other.id))?.psids.get(other.id) ?? assert.fail('a PSID of another Page');
      assertError(await send({ recipient: { id: stranger }, messaging_type: 'RESPONSE', message: { text: 'x' } }), 100, 2018001);
    });

    it('bad parameters: recipient, message and sender_action together or neither, empty text, 2000 characters', async () => {
      const { psid } = person();
      await writes(psid);
      assertError(await send({ messaging_type: 'RESPONSE', message: { text: 'x' } }), 100, undefined, /recipient is required/);
      assertError(await send({ recipient: { id: 'not-an-id' }, message: { text: 'x' } }), 100, undefined, /recipient\[id\]/);
      assertError(await send({ recipient: { id: psid }, message: { text: 'x' }, sender_action: 'typing_on' }), 100, 2018014);
      assertError(await send({ recipient: { id: psid }, messaging_type: 'RESPONSE' }), 100, 2018015);
      assertError(await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: '' } }), 100, 2018034);
      assertError(
        await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'a'.repeat(2001) } }),
        100,
        undefined,
        /message\[text\] must be less than or equal to 2000/,
      );
      assert.equal(
        (await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: '😀'.repeat(2000) } })).status,
        200,
        '2000 characters (not UTF-16 units) are allowed',
      );
      assertError(
        await send({ recipient: { id: psid }, messaging_type: 'SOMETIME', message: { text: 'x' } }),
        100,
        undefined,
        /messaging_type/,
      );
    });

    it('bad attachments: no type, no payload, a URL that is not one, an attachment_id of nobody; a template of an unknown type', async () => {
      const { psid } = person();
      await writes(psid);
      const attach = (attachment: unknown) => send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { attachment } });
      assertError(
        await attach({ payload: { url: 'https://example.com/a.png' } }),
        100,
        undefined,
        /message\[attachment\]\[type\] is required/,
      );
      assertError(await attach({ type: 'image' }), 100, undefined, /message\[attachment\]\[payload\] is required/);
      assertError(await attach({ type: 'image', payload: { url: 'not a url' } }), 100, 2018008);
      assertError(await attach({ type: 'image', payload: { attachment_id: '999999999999999' } }), 100, 2018074);
      assertError(await attach({ type: 'template', payload: { template_type: 'mystery' } }), 100, undefined, /Invalid template type/);
      assertError(await attach({ type: 'sticker', payload: { url: 'https://example.com/a.png' } }), 100);
    });

    it('the 24-hour standard messaging window (10/2018278); HUMAN_AGENT lifts it for 7 days; retired and unknown tags', async () => {
      const { psid } = person();
      await writes(psid);
      const text = { recipient: { id: psid }, message: { text: 'Following up' } };
      assert.equal((await send({ ...text, messaging_type: 'UPDATE' })).status, 200, 'inside the window');
      await sim.controlRequest('/clock', { advanceHours: 25 });
      assertError(await send({ ...text, messaging_type: 'RESPONSE' }), 10, 2018278, /outside of allowed window/);
      assertError(await send({ ...text, messaging_type: 'UPDATE' }), 10, 2018278);
      assert.equal((await send({ ...text, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })).status, 200, 'HUMAN_AGENT within 7 days');
      assertError(await send({ ...text, messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' }), 100, 1893061);
      assertError(await send({ ...text, messaging_type: 'MESSAGE_TAG', tag: 'SHIPPING_UPDATE' }), 100, undefined, /Invalid tag/);
      assertError(await send({ ...text, messaging_type: 'RESPONSE', tag: 'HUMAN_AGENT' }), 100, undefined, /MESSAGE_TAG/);
      await sim.controlRequest('/clock', { advanceHours: 24 * 7 });
      assertError(await send({ ...text, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }), 10, 2018278);
      await writes(psid, 'Hello again');
      assert.equal((await send({ ...text, messaging_type: 'RESPONSE' })).status, 200, "the person's new message reopens the window");
      sim.settings.updateTagsRetired = false;
      try {
        await sim.controlRequest('/clock', { advanceHours: 30 * 24 });
        assert.equal(
          (await send({ ...text, messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' })).status,
          200,
          'before 27 Apr 2026 the update tags lifted the window',
        );
      } finally {
        sim.settings.updateTagsRetired = true;
      }
    });

    it('a person who never wrote to the Page is outside the window', async () => {
      const psid =
        sim.world.people
          .map((p) => p.psids.get(page.id))
          .find((id) => id && !sim.world.thread(page.id, 'messenger', sim.world.scopedIds.get(id)?.person.index ?? -1)) ??
        assert.fail('a PSID without a thread');
      assertError(await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Hi' } }), 10, 2018278);
    });

    it("tokens: a user token, another Page's token in the path, no appsecret_proof", async () => {
      const { psid } = person();
      await writes(psid);
      const body = { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'x' } };
      const user = sim.credentials().userToken;
      const userAnswer = await send(
        body,
        `${page.id}/messages`,
        user,
        proofOf(user, sim.world.app(sim.world.tokens.get(user)?.appId ?? '')?.secret ?? ''),
      );
      assertError(userAnswer, 200);
      assert.equal(userAnswer.status, 403);
      const other = sim.world.pages.find((p) => p.id !== page.id) ?? assert.fail('another Page');
      assertError(await send(body, `${other.id}/messages`), 100, 33);
      assertError(await send(body, `${page.id}/messages`, page.token, null), 100, undefined, /appsecret_proof/);
    });

    it('rate limits: Send API calls per second per Page (613/2534040) and the Messenger business use case (80006)', async () => {
      const { psid } = person();
      await writes(psid);
      const body = { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'x' } };
      sim.settings.sendPerSecond = 2;
      try {
        const answers = await Promise.all([send(body), send(body), send(body)]);
        assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 400]);
        assertError(answers.find((a) => a.status === 400) ?? assert.fail('one refused'), 613, 2534040);
      } finally {
        sim.settings.sendPerSecond = 300;
      }
      sim.limiter.reset();
      sim.limiter.limits = { ...DEFAULT_LIMITS, page: 1 };
      try {
        assert.equal((await send(body)).status, 200);
        const limited = await send(body);
        assertError(limited, 80006);
        const usage = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string }[]>;
        assert.equal(usage[page.id]?.[0]?.type, 'messenger');
      } finally {
        sim.limiter.limits = DEFAULT_LIMITS;
      }
    });
  });

  describe('attachments, templates, quick replies, sender actions', () => {
    it("an image by URL, reusable, then sent again by attachment_id; it shows in the thread's attachments", async () => {
      const { psid } = person();
      const inbound = await writes(psid);
      const first = await send({
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: { attachment: { type: 'image', payload: { url: 'https://example.com/shirt.png', is_reusable: true } } },
      });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(Object.keys(first.body), ['recipient_id', 'message_id', 'attachment_id']);
      const again = await send({
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: { attachment: { type: 'image', payload: { attachment_id: first.body.attachment_id } } },
      });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      const uploaded = await send(
        { message: { attachment: { type: 'file', payload: { url: 'https://example.com/invoice.pdf', is_reusable: true } } } },
        `${page.id}/message_attachments`,
      );
      assert.match(uploaded.body.attachment_id as string, /^\d+$/);
      const file = await send({
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: { attachment: { type: 'file', payload: { attachment_id: uploaded.body.attachment_id } } },
      });
      assert.equal(file.status, 200);
      const messages = await get(`${String(inbound.thread)}/messages`, { fields: 'message,attachments', limit: '3' });
      const [pdf, image] = messages.data as Json[];
      assert.equal((((pdf?.attachments as Json).data as Json[])[0] ?? {}).file_url, 'https://example.com/invoice.pdf');
      assert.equal(((((image?.attachments as Json).data as Json[])[0]?.image_data ?? {}) as Json).url, 'https://example.com/shirt.png');
      const otherPage = sim.world.pages.find((p) => p.id !== page.id) ?? assert.fail('another Page');
      const otherPerson = sim.world.people.find((p) => p.psids.has(otherPage.id))?.psids.get(otherPage.id) ?? '';
      await sim.controlRequest('/inbound', { page: otherPage.id, from: otherPerson, text: 'hi' });
      const otherProof = proofOf(otherPage.accessToken, sim.world.app(otherPage.appId)?.secret ?? '');
      const foreign = await send(
        {
          recipient: { id: otherPerson },
          messaging_type: 'RESPONSE',
          message: { attachment: { type: 'image', payload: { attachment_id: first.body.attachment_id } } },
        },
        `${otherPage.id}/messages`,
        otherPage.accessToken,
        otherProof,
      );
      assertError(foreign, 100, 2018074);
    });

    it('generic and button templates, validated as documented', async () => {
      const { psid } = person();
      await writes(psid);
      const template = (payload: Json) =>
        send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { attachment: { type: 'template', payload } } });
      const generic = await template({
        template_type: 'generic',
        elements: [
          {
            title: 'Blue shirt',
            subtitle: 'Cotton',
            image_url: 'https://example.com/s.png',
            buttons: [
              { type: 'postback', title: 'Buy', payload: 'BUY_SHIRT' },
              { type: 'web_url', url: 'https://example.com', title: 'View' },
            ],
          },
        ],
      });
      assert.equal(generic.status, 200, JSON.stringify(generic.body));
      const button = await template({
        template_type: 'button',
        text: 'What next?',
        buttons: [{ type: 'postback', title: 'Talk to a human', payload: 'HUMAN' }],
      });
      assert.equal(button.status, 200, JSON.stringify(button.body));
      assertError(await template({ template_type: 'generic', elements: [] }), 100);
      assertError(
        await template({ template_type: 'generic', elements: [{ subtitle: 'no title' }] }),
        100,
        undefined,
        /\[title\] is required/,
      );
      assertError(await template({ template_type: 'button', text: 'x', buttons: [] }), 100);
      assertError(
        await template({
          template_type: 'button',
          text: 'x',
          buttons: [{ type: 'postback', title: 'A title far longer than twenty', payload: 'P' }],
        }),
        100,
      );
      assertError(
        await template({ template_type: 'button', text: 'x'.repeat(641), buttons: [{ type: 'postback', title: 'Ok', payload: 'P' }] }),
        100,
      );
    });

    it('quick replies: up to 13, a title and a payload for text; the documented errors', async () => {
      const { psid } = person();
      await writes(psid);
      const quick = (quick_replies: unknown) =>
        send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Pick a color:', quick_replies } });
      assert.equal(
        (
          await quick([
            { content_type: 'text', title: 'Red', payload: 'PICK_RED', image_url: 'http://example.com/img/red.png' },
            { content_type: 'text', title: 'Green', payload: 'PICK_GREEN' },
            { content_type: 'user_email' },
          ])
        ).status,
        200,
      );
      assertError(await quick([]), 194, undefined, /too few elements/);
      assertError(await quick([{ content_type: 'text', payload: 'P' }]), 100, 2018098);
      assertError(await quick([{ content_type: 'text', title: 'T' }]), 100, 2018099);
      assertError(await quick([{ title: 'T', payload: 'P' }]), 100, undefined, /\[content_type\] is required/);
      assertError(await quick([{ content_type: 'location' }]), 100, undefined, /deprecated/);
      assertError(await quick(Array.from({ length: 14 }, (_, i) => ({ content_type: 'text', title: `C${i}`, payload: `P${i}` }))), 100);
    });

    it("sender actions answer {recipient_id} only; mark_seen clears the thread's unread count", async () => {
      const { psid } = person();
      const inbound = await writes(psid);
      assert.ok(((await get(String(inbound.thread), { fields: 'unread_count' })).unread_count as number) > 0);
      for (const action of ['typing_on', 'typing_off', 'mark_seen']) {
        const answer = await send({ recipient: { id: psid }, sender_action: action });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.deepEqual(answer.body, { recipient_id: psid });
      }
      assert.equal((await get(String(inbound.thread), { fields: 'unread_count' })).unread_count, 0);
      assertError(await send({ recipient: { id: psid }, sender_action: 'dance' }), 100);
    });
  });

  describe('Instagram messaging through the Page', () => {
    it('an IGSID recipient: same endpoint and Page token, the Instagram thread, 1000 bytes, its own window error (10/2534022), HUMAN_AGENT only', async () => {
      const { igsid } = person(true);
      const id = igsid ?? assert.fail('an IGSID');
      const inbound = await sim.controlRequest<Json>('/inbound', { page: page.id, from: id, text: 'Hi from Instagram' });
      assert.equal(inbound.platform, 'instagram');
      assert.match(inbound.thread as string, /^aWdf/);
      const answer = await send({ recipient: { id }, messaging_type: 'RESPONSE', message: { text: 'Hello on Instagram' } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.recipient_id, id);
      assert.match(answer.body.message_id as string, /^aWdGG/);
      const messages = await get(`${String(inbound.thread)}/messages`, { fields: 'message,from' });
      assert.equal(((messages.data as Json[])[0]?.from as Json).id, page.instagram);
      assertError(
        await send({ recipient: { id }, messaging_type: 'RESPONSE', message: { text: 'é'.repeat(501) } }),
        100,
        undefined,
        /less than or equal to 1000/,
      );
      assert.equal((await send({ recipient: { id }, messaging_type: 'RESPONSE', message: { text: 'é'.repeat(500) } })).status, 200);
      assertError(
        await send({ recipient: { id }, messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE', message: { text: 'x' } }),
        100,
        undefined,
        /Invalid tag/,
      );
      await sim.controlRequest('/clock', { advanceHours: 25 });
      assertError(await send({ recipient: { id }, messaging_type: 'RESPONSE', message: { text: 'late' } }), 10, 2534022);
      assert.equal(
        (await send({ recipient: { id }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'A human here' } })).status,
        200,
      );
    });
  });
});
