import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildWebhookEvent, checkBotUrl, signatureOf, verificationUrl } from '../../src/core/webhooks/webhookEvent';
import type { Message } from '../../src/core/graph/models';

const message = (over: Partial<Message>): Message => ({
  id: 'm_1',
  createdTime: 1_763_790_000_000,
  to: [],
  attachments: [],
  tags: [],
  reactions: [],
  shares: [],
  raw: {},
  ...over,
});

describe('Webhook events for Replay as Webhook Event', () => {
  it('signs with HMAC-SHA256 of the exact bytes (RFC 4231 test case 2)', async () => {
    assert.equal(
      await signatureOf('what do ya want for nothing?', 'Jefe'),
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs non-ASCII bodies as UTF-8, like Node does, and differs per secret', async () => {
    const body = JSON.stringify({ text: 'Chào Anh Lê 👋' });
    const expected = `sha256=${createHmac('sha256', 's3cret').update(Buffer.from(body, 'utf8')).digest('hex')}`;
    assert.equal(await signatureOf(body, 's3cret'), expected);
    assert.notEqual(await signatureOf(body, 'other'), expected);
  });

  it("builds a person's message as Meta's `messages` event", () => {
    const event = buildWebhookEvent(
      message({ text: 'Hi', from: { id: 'psid1', name: 'Anh Lê' }, attachments: [{ mimeType: 'image/jpeg', url: 'https://x/y.jpg' }] }),
      { platform: 'messenger', entityId: 'page1', ownIds: ['page1'], nowMs: 5 },
    );
    assert.deepEqual(event, {
      object: 'page',
      entry: [
        {
          id: 'page1',
          time: 5,
          messaging: [
            {
              sender: { id: 'psid1' },
              recipient: { id: 'page1' },
              timestamp: 1_763_790_000_000,
              message: { mid: 'm_1', text: 'Hi', attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }] },
            },
          ],
        },
      ],
    });
  });

  it("builds the Page's own message as an echo, on Instagram with the account's ID", () => {
    const event = buildWebhookEvent(message({ text: 'Ok', from: { id: 'ig1' }, to: [{ id: 'igsid9' }] }), {
      platform: 'instagram',
      entityId: 'ig1',
      ownIds: ['page1', 'ig1'],
      nowMs: 7,
    });
    assert.equal(event.object, 'instagram');
    const item = event.entry[0]?.messaging[0];
    assert.deepEqual(item?.sender, { id: 'ig1' });
    assert.deepEqual(item?.recipient, { id: 'igsid9' });
    assert.equal(item?.message.is_echo, true);
  });

  it('names each attachment by its MIME type and leaves out those without a URL', () => {
    const event = buildWebhookEvent(
      message({
        from: { id: 'psid1' },
        attachments: [
          { mimeType: 'image/png', url: 'https://x/a.png' },
          { mimeType: 'video/mp4', url: 'https://x/b.mp4' },
          { mimeType: 'audio/mpeg', url: 'https://x/c.mp3' },
          { mimeType: 'application/pdf', url: 'https://x/d.pdf' },
          { url: 'https://x/e' },
          { mimeType: 'image/jpeg', previewUrl: 'https://x/f-preview.jpg' },
          { mimeType: 'image/jpeg', name: 'no-url.jpg' },
        ],
      }),
      { platform: 'messenger', entityId: 'page1', ownIds: ['page1'], nowMs: 5 },
    );
    assert.deepEqual(event.entry[0]?.messaging[0]?.message.attachments, [
      { type: 'image', payload: { url: 'https://x/a.png' } },
      { type: 'video', payload: { url: 'https://x/b.mp4' } },
      { type: 'audio', payload: { url: 'https://x/c.mp3' } },
      { type: 'file', payload: { url: 'https://x/d.pdf' } },
      { type: 'file', payload: { url: 'https://x/e' } },
      { type: 'image', payload: { url: 'https://x/f-preview.jpg' } },
    ]);
  });

  it('leaves the attachments key out of a message that has none it can send', () => {
    const context = { platform: 'messenger' as const, entityId: 'page1', ownIds: ['page1'], nowMs: 5 };
    const textOnly = buildWebhookEvent(message({ text: 'Hi', from: { id: 'psid1' } }), context);
    assert.deepEqual(textOnly.entry[0]?.messaging[0]?.message, { mid: 'm_1', text: 'Hi' });
    const urlLess = buildWebhookEvent(message({ from: { id: 'psid1' }, attachments: [{ mimeType: 'image/png' }] }), context);
    assert.deepEqual(urlLess.entry[0]?.messaging[0]?.message, { mid: 'm_1' });
  });

  it("falls back to the thread's person, and invents no ID when that is unknown too", () => {
    const context = { platform: 'messenger' as const, entityId: 'page1', ownIds: ['page1'], nowMs: 5 };
    const ids = (m: Message, personId?: string) => {
      const item = buildWebhookEvent(m, { ...context, personId }).entry[0]?.messaging[0];
      return [item?.sender.id, item?.recipient.id];
    };
    // A message without `from` is taken as the thread's person's.
    assert.deepEqual(ids(message({ text: 'Hi' }), 'psid7'), ['psid7', 'page1']);
    assert.deepEqual(ids(message({ text: 'Hi' })), ['', 'page1']);
    // The Page's own message whose `to` names only the Page.
    assert.deepEqual(ids(message({ text: 'Ok', from: { id: 'page1' }, to: [{ id: 'page1' }] }), 'psid7'), ['page1', 'psid7']);
    assert.deepEqual(ids(message({ text: 'Ok', from: { id: 'page1' }, to: [{ id: 'page1' }] })), ['page1', '']);
  });

  it('accepts loopback bot URLs without confirmation, flags other hosts, refuses others', () => {
    assert.deepEqual(checkBotUrl('http://127.0.0.1:3000/webhook'), { ok: true, url: 'http://127.0.0.1:3000/webhook', loopback: true });
    const remote = checkBotUrl('https://bot.example.com/webhook');
    assert.ok(remote.ok && !remote.loopback);
    assert.equal(checkBotUrl('ftp://127.0.0.1/').ok, false);
    assert.equal(checkBotUrl('http://user:pw@127.0.0.1/').ok, false);
    assert.equal(checkBotUrl('not a url').ok, false);
    // Copied from a web page: a non-breaking space the URL parser would keep in the path.
    assert.deepEqual(checkBotUrl('\u00a0http://127.0.0.1:3000/webhook\u00a0'), {
      ok: true,
      url: 'http://127.0.0.1:3000/webhook',
      loopback: true,
    });
  });

  it('builds the handshake URL', () => {
    const url = new URL(verificationUrl('http://127.0.0.1:3000/webhook?x=1', 'v t', '42'));
    assert.equal(url.searchParams.get('hub.mode'), 'subscribe');
    assert.equal(url.searchParams.get('hub.verify_token'), 'v t');
    assert.equal(url.searchParams.get('hub.challenge'), '42');
    assert.equal(url.searchParams.get('x'), '1');
  });
});
