import * as assert from 'node:assert/strict';
import {
  decodeConversation,
  decodeLinkedApp,
  decodeLinkedPage,
  decodeManagedPage,
  decodeMessage,
  decodeParticipant,
  decodeTokenInfo,
} from '../../src/core/graph/models';
import { refusedField } from './support/refusedField';

// The readers of Graph objects: every field they keep, what they do when it is absent, and the
// field they name when it is malformed (decode.ts promises the error names the field).
describe('Graph object readers', () => {
  const t0 = '2022-07-12T19:11:07+0000';
  const ms0 = Date.UTC(2022, 6, 12, 19, 11, 7);

  describe('managed Pages', () => {
    it('keeps name, category, token, tasks and the linked Instagram account', () => {
      const raw = {
        id: '1',
        name: 'Shop',
        category: 'Retail',
        access_token: 'tok',
        tasks: ['MESSAGING'],
        instagram_business_account: { id: '17' },
      };
      assert.deepEqual(decodeManagedPage(raw, 'p'), {
        id: '1',
        name: 'Shop',
        category: 'Retail',
        accessToken: 'tok',
        tasks: ['MESSAGING'],
        instagramAccountId: '17',
      });
    });

    it('a Page without a name is shown by its ID', () => {
      assert.deepEqual(decodeManagedPage({ id: 42 }, 'p'), {
        id: '42',
        name: '42',
        category: undefined,
        accessToken: undefined,
        tasks: [],
        instagramAccountId: undefined,
      });
    });

    it('names a malformed Instagram account', () => {
      assert.equal(
        refusedField(() => decodeManagedPage({ id: '1', instagram_business_account: 'x' }, 'p')),
        'p.instagram_business_account',
      );
      assert.equal(
        refusedField(() => decodeManagedPage({ id: '1', instagram_business_account: {} }, 'p')),
        'p.instagram_business_account.id',
      );
    });
  });

  it('participants keep name, username and email', () => {
    assert.deepEqual(decodeParticipant({ id: '5', name: 'Aiko', username: 'aiko', email: 'a@example.com' }, 'p'), {
      id: '5',
      name: 'Aiko',
      username: 'aiko',
      email: 'a@example.com',
    });
  });

  describe('conversations', () => {
    it('keeps every listed field and the participants', () => {
      const c = decodeConversation(
        {
          id: 't_1',
          updated_time: t0,
          link: '/inbox/1',
          message_count: 7,
          unread_count: 2,
          snippet: 'hi',
          can_reply: false,
          participants: { data: [{ id: '5', name: 'Aiko' }] },
        },
        'p',
      );
      const { raw, newestMessages, ...rest } = c;
      assert.ok(raw);
      assert.equal(newestMessages, undefined);
      assert.deepEqual(rest, {
        id: 't_1',
        updatedTime: ms0,
        link: '/inbox/1',
        messageCount: 7,
        unreadCount: 2,
        snippet: 'hi',
        canReply: false,
        participants: [{ id: '5', name: 'Aiko', username: undefined, email: undefined }],
      });
    });

    it('a conversation with only an ID has no time, no participants and no inline messages', () => {
      const c = decodeConversation({ id: 't_1' }, 'p');
      assert.equal(c.updatedTime, undefined);
      assert.deepEqual(c.participants, []);
      assert.equal(c.newestMessages, undefined);
    });

    it('decodes inline messages when read, naming a malformed one by its place', () => {
      const good = decodeConversation({ id: 't_1', messages: { data: [{ id: 'm_1', created_time: t0 }] } }, 'p');
      assert.deepEqual(
        good.newestMessages?.().items.map((m) => [m.id, m.createdTime]),
        [['m_1', ms0]],
      );
      const bad = decodeConversation({ id: 't_1', messages: { data: [{ id: 'm_1' }] } }, 'p');
      assert.equal(
        refusedField(() => bad.newestMessages?.()),
        'p.messages.data[0].created_time',
      );
    });

    it('names a participant that is not an object', () => {
      assert.equal(
        refusedField(() => decodeConversation({ id: 't_1', participants: { data: ['x'] } }, 'p')),
        'p.participants.data[0]',
      );
    });
  });

  describe('messages', () => {
    const message = (extra: Record<string, unknown>) => ({ id: 'm_1', created_time: t0, ...extra });
    const attachment = (att: Record<string, unknown>) => decodeMessage(message({ attachments: { data: [att] } }), 'p').attachments[0];

    it('an image attachment has its URL and preview; a video attachment its URL', () => {
      const image = attachment({ image_data: { url: 'https://img', preview_url: 'https://prev' } });
      assert.equal(image?.url, 'https://img');
      assert.equal(image?.previewUrl, 'https://prev');
      const video = attachment({ video_data: { url: 'https://vid' } });
      assert.equal(video?.url, 'https://vid');
      assert.equal(video?.previewUrl, undefined);
    });

    it('names malformed image and video data', () => {
      const at = 'p.attachments.data[0]';
      assert.deepEqual(
        [
          { video_data: 'x' },
          { video_data: { url: 1 } },
          { image_data: { url: 1 } },
          { image_data: { url: 'https://img', preview_url: 1 } },
        ].map((att) => refusedField(() => attachment(att))),
        [`${at}.video_data`, `${at}.video_data.url`, `${at}.image_data.url`, `${at}.image_data.preview_url`],
      );
    });

    it('names malformed recipients, tags and reactions by their place', () => {
      assert.deepEqual(
        [{ to: { data: ['x'] } }, { tags: { data: ['x'] } }, { reactions: { data: ['x'] } }, { reactions: { data: [{ users: [] }] } }].map(
          (extra) => refusedField(() => decodeMessage(message(extra), 'p')),
        ),
        ['p.to.data[0]', 'p.tags.data[0]', 'p.reactions.data[0]', 'p.reactions.data[0].reaction'],
      );
    });
  });

  describe('IDs for apps and Pages', () => {
    it('an app keeps its name, link, category and namespace', () => {
      const raw = { id: '91', app: { id: '71', name: 'App', link: 'https://app', category: 'Business', namespace: 'ns' } };
      assert.deepEqual(decodeLinkedApp(raw, 'p'), {
        id: '91',
        app: { id: '71', name: 'App', link: 'https://app', category: 'Business', namespace: 'ns' },
      });
    });

    it('names a malformed app field', () => {
      assert.deepEqual(
        ['x', {}, { id: '71', name: 1 }, { id: '71', link: 1 }, { id: '71', category: 1 }, { id: '71', namespace: 1 }].map((app) =>
          refusedField(() => decodeLinkedApp({ id: '91', app }, 'p')),
        ),
        ['p.app', 'p.app.id', 'p.app.name', 'p.app.link', 'p.app.category', 'p.app.namespace'],
      );
    });

    it('a Page keeps its name, link and category', () => {
      const raw = { id: '81', page: { id: '61', name: 'Shop', link: 'https://page', category: 'Retail' } };
      assert.deepEqual(decodeLinkedPage(raw, 'p'), {
        id: '81',
        page: { id: '61', name: 'Shop', link: 'https://page', category: 'Retail' },
      });
    });

    it('names a malformed Page field', () => {
      assert.deepEqual(
        ['x', {}, { id: '61', name: 1 }, { id: '61', link: 1 }, { id: '61', category: 1 }].map((page) =>
          refusedField(() => decodeLinkedPage({ id: '81', page }, 'p')),
        ),
        ['p.page', 'p.page.id', 'p.page.name', 'p.page.link', 'p.page.category'],
      );
    });
  });

  describe('token debug info', () => {
    it('keeps every field, the error included', () => {
      const data = {
        is_valid: true,
        app_id: 123,
        application: 'My App',
        type: 'USER',
        user_id: '2',
        profile_id: '3',
        scopes: ['pages_messaging'],
        expires_at: 0,
        data_access_expires_at: 1700000000,
        error: { code: 190, subcode: 463, message: 'expired' },
      };
      assert.deepEqual(decodeTokenInfo({ data }), {
        isValid: true,
        appId: '123',
        application: 'My App',
        type: 'USER',
        userId: '2',
        profileId: '3',
        scopes: ['pages_messaging'],
        expiresAt: 0,
        dataAccessExpiresAt: 1700000000,
        error: { code: 190, subcode: 463, message: 'expired' },
      });
    });

    it('an empty answer is an invalid token with nothing known', () => {
      assert.deepEqual(decodeTokenInfo({ data: {} }), {
        isValid: false,
        appId: undefined,
        application: undefined,
        type: undefined,
        userId: undefined,
        profileId: undefined,
        scopes: [],
        expiresAt: undefined,
        dataAccessExpiresAt: undefined,
        error: undefined,
      });
    });

    it('names the malformed part of the answer', () => {
      assert.deepEqual(
        [null, { data: 'x' }, { data: { is_valid: 'yes' } }].map((body) => refusedField(() => decodeTokenInfo(body))),
        ['response', 'response.data', 'response.data.is_valid'],
      );
      assert.deepEqual(
        ['x', { code: '190' }, { subcode: '463' }, { message: 1 }].map((error) => refusedField(() => decodeTokenInfo({ data: { error } }))),
        ['response.data.error', 'response.data.error.code', 'response.data.error.subcode', 'response.data.error.message'],
      );
    });
  });
});
