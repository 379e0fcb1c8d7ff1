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
});
