import * as assert from 'node:assert/strict';
import { PageAccount } from '../../src/core/accounts/accounts';
import {
  ConversationNode,
  EmptyNode,
  ErrorNode,
  HostErrorNode,
  LoadMoreNode,
  MessageNode,
  PageNode,
  PlatformNode,
} from '../../src/core/explorer/nodes';
import { PagedList } from '../../src/core/explorer/pagedList';
import { CONVERSATION_FIELDS, MESSAGE_DETAIL_FIELDS, MESSAGE_FIELDS } from '../../src/core/graph/client';
import { GraphError } from '../../src/core/graph/errors';
import { Conversation, Message } from '../../src/core/graph/models';

const messengerOnly: PageAccount = { kind: 'page', id: '11111', name: 'Northwind', token: 'EAApage-one-0000', scopes: [], tasks: [] };
const withInstagram: PageAccount = { ...messengerOnly, id: '22222', instagram: { id: '17841', username: 'sakura' } };

function never<T extends { readonly id: string }>(): PagedList<T> {
  return new PagedList<T>(() => new Promise(() => undefined));
}

const thread: Conversation = {
  id: 't_1',
  participants: [
    { id: '17841', name: 'sakura' },
    { id: '22222', name: 'Sakura' },
    { id: '905', name: 'Person' },
  ],
  raw: { id: 't_1' },
};
const said: Message = { id: 'm_1', createdTime: 0, to: [], attachments: [], tags: [], reactions: [], shares: [], raw: { id: 'm_1' } };

describe('Explorer nodes: each row’s stable ID, Graph ID and the request behind it (Copy as curl)', () => {
  it('a Page lists Messenger alone, or Messenger and Instagram, and knows its own IDs in threads', () => {
    const plain = new PageNode(messengerOnly, 'inbox');
    const both = new PageNode(withInstagram, 'other');
    assert.equal(plain.id, 'page/11111');
    assert.deepEqual(plain.platforms, ['messenger']);
    assert.deepEqual(both.platforms, ['messenger', 'instagram']);
    assert.deepEqual(plain.ownIds, ['11111']);
    assert.deepEqual(both.ownIds, ['22222', '17841']);
    assert.deepEqual(plain.request(), {
      path: '11111/conversations',
      params: { platform: 'messenger', folder: 'inbox', fields: CONVERSATION_FIELDS },
    });
  });

  it("a platform group answers for its platform's account, list and request", () => {
    const page = new PageNode(withInstagram, 'other');
    const list = never<Conversation>();
    list.seed({ items: [thread] });
    const instagram = new PlatformNode(page, 'instagram', list);
    const messenger = new PlatformNode(page, 'messenger', never());
    assert.equal(instagram.id, 'page/22222/instagram');
    assert.equal(instagram.graphId, '17841');
    assert.equal(messenger.graphId, '22222');
    assert.deepEqual(instagram.raw(), { page: '22222', platform: 'instagram', folder: 'other', data: [{ id: 't_1' }] });
    assert.deepEqual(instagram.request(), {
      path: '22222/conversations',
      params: { platform: 'instagram', folder: 'other', fields: CONVERSATION_FIELDS },
    });
  });

  it('a thread, a message and the status rows under them have IDs of their own', () => {
    const page = new PageNode(withInstagram, 'inbox');
    const group = new PlatformNode(page, 'instagram', never());
    const conversation = new ConversationNode(group, 'instagram', thread, never());
    assert.equal(conversation.participant?.id, '905', 'neither the Page nor its Instagram account');
    assert.deepEqual(conversation.request(), { path: 't_1', params: { fields: `messages{${MESSAGE_FIELDS}}` } });
    const message = new MessageNode(conversation, said);
    assert.equal(message.id, 'page/22222/conversation/t_1/message/m_1');
    assert.deepEqual(message.request(), { path: 'm_1', params: { fields: MESSAGE_DETAIL_FIELDS } });
    assert.equal(new LoadMoreNode(conversation).id, 'page/22222/conversation/t_1/more');
    assert.equal(new ErrorNode(group, new GraphError({ kind: 'network', message: 'down' })).id, 'page/22222/instagram/error');
    assert.equal(new EmptyNode(page).id, 'page/22222/empty');
    const refused = new HostErrorNode('refused');
    assert.equal(refused.id, 'hostError');
    assert.equal(refused.request(), undefined);
    assert.equal(refused.raw(), undefined);
  });
});
