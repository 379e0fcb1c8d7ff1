import * as assert from 'node:assert/strict';
import { idAt } from '../../src/core/ids/extract';
import { messengerWebhookSample } from '../../src/core/ids/webhookSample';

describe('messengerWebhookSample', () => {
  it('is a Messenger webhook event with the cursor offset on the sender, not the recipient', () => {
    const sample = messengerWebhookSample('1000000000000001', '7000000000000042', 'Hi "there" \u202e', 1_763_790_000_000);
    const event = JSON.parse(sample.text) as {
      object: string;
      entry: { id: string; time: number; messaging: { sender: { id: string }; recipient: { id: string }; message: { text: string } }[] }[];
    };
    assert.equal(event.object, 'page');
    assert.equal(event.entry[0].id, '1000000000000001');
    assert.equal(event.entry[0].messaging[0].recipient.id, '1000000000000001');
    assert.equal(event.entry[0].messaging[0].message.text, 'Hi "there" \u202e', 'the text survives JSON escaping');
    assert.equal(sample.text.slice(sample.senderOffset, sample.senderOffset + 16), '7000000000000042');
    assert.ok(sample.senderOffset > sample.text.indexOf('"sender"'));
    assert.equal(idAt(sample.text, sample.senderOffset + 3)?.id, '7000000000000042');
  });

  it('puts the cursor on the sender even when the same digits come earlier, inside the Page ID', () => {
    const sample = messengerWebhookSample('17000000000000042', '7000000000000042', 'hi', 1_763_790_000_000);
    assert.ok(sample.text.indexOf('7000000000000042') < sample.text.indexOf('"sender"'), 'the digits do come earlier');
    assert.equal(idAt(sample.text, sample.senderOffset + 3)?.id, '7000000000000042');
  });

  it('gives each sample its own message ID, as Meta gives each message', () => {
    const mid = (timeMs: number) =>
      (JSON.parse(messengerWebhookSample('1', '2', 'hi', timeMs).text) as { entry: { messaging: { message: { mid: string } }[] }[] })
        .entry[0].messaging[0].message.mid;
    assert.match(mid(1_763_790_000_000), /^m_\w+$/);
    assert.notEqual(mid(1_763_790_000_000), mid(1_763_790_001_000));
  });
});
