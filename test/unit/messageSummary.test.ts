import * as assert from 'node:assert/strict';
import { matchesFilter, messageContent, otherParticipant, participantName } from '../../src/core/explorer/messageSummary';
import { decodeConversation, decodeMessage } from '../../src/core/graph/models';

const PAGE = { id: '1001', name: 'Northwind Outdoor' };
const PERSON = { id: '2002', name: 'Anh Lê', username: 'anh.le' };

const message = (raw: Record<string, unknown>) => decodeMessage({ id: 'm_1', created_time: '2026-11-20T10:00:00+0000', ...raw }, 'message');
const conversation = (raw: Record<string, unknown>) => decodeConversation({ id: 't_1', ...raw }, 'conversation');

describe('What a message row shows', () => {
  it('is the text of a text message', () => {
    assert.deepEqual(messageContent(message({ from: PERSON, message: 'Where is\nmy order?' })), { kind: 'text', text: 'Where is' });
  });

  it('is the attachments, with their names and the first one’s type, ahead of any text', () => {
    const content = messageContent(
      message({
        from: PERSON,
        message: 'see these',
        attachments: { data: [{ name: '', mime_type: 'image/png' }, { mime_type: 'video/mp4' }, { name: 'invoice.pdf' }] },
      }),
    );
    assert.deepEqual(content, { kind: 'attachments', text: 'see these', names: ['invoice.pdf'], mimeType: 'image/png' });
  });

  it('is a sticker for a sticker', () => {
    assert.deepEqual(messageContent(message({ from: PERSON, sticker: 'https://scontent.xx.fbcdn.net/s.png' })), { kind: 'sticker' });
  });

  it('is unavailable only when just the ID and time came back', () => {
    assert.deepEqual(messageContent(message({})), { kind: 'unavailable' });
    assert.deepEqual(messageContent(message({ from: PERSON })), { kind: 'text', text: '' }, 'a sender but no text');
    assert.deepEqual(messageContent(message({ message: '\u200b' })), { kind: 'text', text: '' }, 'a text with nothing visible in it');
  });
});

describe('The other side of a thread', () => {
  it('is the participant who is not the Page, wherever it is listed', () => {
    assert.equal(otherParticipant(conversation({ participants: { data: [PAGE, PERSON] } }), [PAGE.id])?.id, PERSON.id);
    assert.equal(otherParticipant(conversation({ participants: { data: [PERSON, PAGE] } }), [PAGE.id])?.id, PERSON.id);
  });

  it('is the Page itself in a thread with nobody else, and nobody in a thread without participants', () => {
    assert.equal(otherParticipant(conversation({ participants: { data: [PAGE] } }), [PAGE.id])?.id, PAGE.id);
    assert.equal(otherParticipant(conversation({}), [PAGE.id]), undefined);
  });

  it('is named by name, else @username, else ID', () => {
    assert.equal(participantName({ id: '2002', name: 'Anh Lê', username: 'anh.le' }), 'Anh Lê');
    assert.equal(participantName({ id: '2002', username: 'anh.le' }), '@anh.le');
    assert.equal(participantName({ id: '2002', name: '\u200b' }), '2002');
    assert.equal(participantName(undefined), '');
  });
});

describe('The conversation filter', () => {
  const thread = conversation({ snippet: 'Where is my order?', participants: { data: [PAGE, PERSON] } });

  it('matches name, username, ID and snippet, whatever the case and surrounding spaces', () => {
    for (const filter of ['anh lê', '  ANH.LE  ', '2002', 'MY ORDER']) {
      assert.equal(matchesFilter(thread, filter), true, filter);
    }
    assert.equal(matchesFilter(thread, 'refund'), false);
  });

  it('lets every conversation through when empty, even one with nothing to match', () => {
    assert.equal(matchesFilter(conversation({}), ''), true);
    assert.equal(matchesFilter(conversation({}), '   '), true);
  });
});
