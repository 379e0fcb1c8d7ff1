import * as vscode from 'vscode';
import { Commands } from '../constants';
import { isFromPage, messageContent, otherParticipant, participantName } from '../../core/explorer/messageSummary';
import { safeMetaLink } from '../../core/explorer/links';
import { blockText, exactTime, inlineText, messageTime, relativeTime } from '../../core/explorer/text';
import { Folder, Platform } from '../../core/graph/models';
import { errorText, graphErrorSummary } from '../errorText';
import { hostErrorItem } from '../hostErrorItem';
import {
  ConversationNode,
  EmptyNode,
  ErrorNode,
  ExplorerNode,
  LoadMoreNode,
  MessageNode,
  PageNode,
  PlatformNode,
} from '../../core/explorer/nodes';
import { redact } from '../redaction';
import { ExtensionRuntime } from '../runtime';

const None = vscode.TreeItemCollapsibleState.None;
const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;

/**
 * Tree items for the conversations tree. Every string from the API is untrusted: labels are
 * neutralised single lines and tooltips are plain strings, so nothing is rendered as Markdown or HTML.
 */
export function treeItem(node: ExplorerNode, nowMs: number, runtime: ExtensionRuntime): vscode.TreeItem {
  switch (node.kind) {
    case 'page':
      return pageItem(node);
    case 'platform':
      return platformItem(node);
    case 'conversation':
      return conversationItem(node, nowMs);
    case 'message':
      return messageItem(node, nowMs);
    case 'loadMore':
      return loadMoreItem(node);
    case 'error':
      return errorItem(node, runtime);
    case 'empty':
      return emptyItem(node);
    case 'hostError':
      return hostErrorItem(node.reason);
  }
}

export function folderLabel(folder: Folder): string {
  switch (folder) {
    case 'inbox':
      return vscode.l10n.t('Inbox');
    case 'other':
      return vscode.l10n.t('Other (message requests)');
    case 'page_done':
      return vscode.l10n.t('Done');
    case 'spam':
      return vscode.l10n.t('Spam');
    case 'pending':
      return vscode.l10n.t('Pending');
  }
}

export function platformLabel(platform: Platform): string {
  return platform === 'messenger' ? vscode.l10n.t('Messenger') : vscode.l10n.t('Instagram');
}

function pageItem(node: PageNode): vscode.TreeItem {
  const page = node.page;
  const name = inlineText(page.name, 80) || page.id;
  const item = new vscode.TreeItem(name, Collapsed);
  item.id = node.id;
  const folder = node.folder === 'inbox' ? '' : folderLabel(node.folder);
  item.description = [folder, page.instagram ? vscode.l10n.t('Messenger and Instagram') : vscode.l10n.t('Messenger')]
    .filter(Boolean)
    .join(' · ');
  item.iconPath = new vscode.ThemeIcon('organization');
  item.contextValue = 'page';
  item.tooltip = [
    name,
    vscode.l10n.t('Page ID: {0}', page.id),
    page.category ? inlineText(page.category, 80) : '',
    page.instagram
      ? vscode.l10n.t('Instagram: {0}', page.instagram.username ? `@${inlineText(page.instagram.username, 60)}` : page.instagram.id)
      : '',
    vscode.l10n.t('Folder: {0}', folderLabel(node.folder)),
  ]
    .filter(Boolean)
    .join('\n');
  item.accessibilityInformation = { label: vscode.l10n.t('Page {0}, {1}', name, item.description) };
  return item;
}

function platformItem(node: PlatformNode): vscode.TreeItem {
  const label = platformLabel(node.platform);
  const item = new vscode.TreeItem(label, Collapsed);
  item.id = node.id;
  const loaded = node.list.items.length;
  let description = '';
  if (loaded > 0) {
    description = node.list.hasMore ? vscode.l10n.t('{0} threads, more to load', loaded) : vscode.l10n.t('{0} threads', loaded);
  }
  item.description = description;
  item.iconPath = new vscode.ThemeIcon(node.platform === 'messenger' ? 'comment-discussion' : 'device-camera');
  item.contextValue = `platform.${node.platform}`;
  item.accessibilityInformation = { label: vscode.l10n.t('{0} conversations of {1}', label, inlineText(node.pageNode.page.name, 80)) };
  return item;
}

function conversationItem(node: ConversationNode, nowMs: number): vscode.TreeItem {
  const conversation = node.conversation;
  const person = otherParticipant(conversation, node.pageNode.ownIds);
  const name = participantName(person) || conversation.id;
  const item = new vscode.TreeItem(name, Collapsed);
  item.id = node.id;
  const when = conversation.updatedTime === undefined ? '' : relativeTime(conversation.updatedTime, nowMs, vscode.env.language);
  const unread = conversation.unreadCount ? vscode.l10n.t('{0} unread', conversation.unreadCount) : '';
  const count = conversation.messageCount === undefined ? '' : vscode.l10n.t('{0} msgs', conversation.messageCount);
  const snippet = inlineText(conversation.snippet, 80);
  item.description = [unread, count, when, snippet].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon(
    conversation.unreadCount ? 'comment-unresolved' : 'comment',
    conversation.unreadCount ? new vscode.ThemeColor('charts.blue') : undefined,
  );
  item.contextValue = `conversation${safeMetaLink(conversation.link) ? '.link' : ''}`;
  item.tooltip = [
    name,
    person ? vscode.l10n.t('{0}: {1}', node.platform === 'instagram' ? 'IGSID' : 'PSID', person.id) : '',
    conversation.updatedTime === undefined
      ? ''
      : vscode.l10n.t('Updated: {0} ({1})', exactTime(conversation.updatedTime, vscode.env.language), when),
    conversation.messageCount === undefined ? '' : vscode.l10n.t('Messages: {0}', conversation.messageCount),
    conversation.unreadCount === undefined ? '' : vscode.l10n.t('Unread: {0}', conversation.unreadCount),
    snippet ? `\n${blockText(conversation.snippet, 500)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  item.accessibilityInformation = { label: vscode.l10n.t('Conversation with {0}, {1}', name, item.description) };
  // Click or Enter reads the thread as a transcript; the twistie still lists its messages in the tree.
  item.command = { command: Commands.openConversation, title: vscode.l10n.t('Open Conversation'), arguments: [node] };
  return item;
}

function messageItem(node: MessageNode, nowMs: number): vscode.TreeItem {
  const message = node.message;
  const content = messageContent(message);
  const sender = participantName(message.from) || (message.from?.id ?? '');
  // Messages sit side by side: an exact time keeps their order readable where "1 wk. ago" would not.
  const when = messageTime(message.createdTime, nowMs, vscode.env.language);
  let label: string;
  let icon: string;
  switch (content.kind) {
    case 'text':
      if (message.shares.length > 0) {
        // A shared post or link comes in `shares`, usually with no text of its own.
        const share = message.shares[0];
        const shared = vscode.l10n.t(
          'Shared link: {0}',
          inlineText(share?.name, 80) || inlineText(share?.link, 120) || vscode.l10n.t('attachment'),
        );
        label = [content.text, shared].filter(Boolean).join(' · ');
        icon = 'link';
        break;
      }
      label = content.text || vscode.l10n.t('(empty message)');
      icon = 'comment';
      break;
    case 'attachments': {
      const kind = attachmentKind(content.mimeType);
      label = [content.text, `${kind}: ${content.names.join(', ') || vscode.l10n.t('attachment')}`].filter(Boolean).join(' · ');
      icon = content.mimeType?.startsWith('image/') ? 'file-media' : 'file';
      break;
    }
    case 'sticker':
      label = vscode.l10n.t('Sticker');
      icon = 'reactions';
      break;
    case 'unavailable':
      label = vscode.l10n.t('Details unavailable');
      icon = 'circle-slash';
      break;
  }
  const item = new vscode.TreeItem(label, None);
  item.id = node.id;
  const outgoing = isFromPage(message, node.parent.pageNode.ownIds);
  item.description =
    content.kind === 'unavailable'
      ? vscode.l10n.t('only the 20 most recent Instagram messages have details · {0}', when)
      : [sender, when].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon(icon, outgoing ? new vscode.ThemeColor('charts.green') : undefined);
  item.contextValue = content.kind === 'unavailable' ? 'message.unavailable' : 'message';
  item.tooltip =
    content.kind === 'unavailable'
      ? vscode.l10n.t(
          'Instagram returns the contents of only the 20 most recent messages of a thread; this older message has only its ID and time.\n{0}',
          exactTime(message.createdTime, vscode.env.language),
        )
      : [
          sender ? vscode.l10n.t('From: {0}', sender) : '',
          exactTime(message.createdTime, vscode.env.language),
          '',
          blockText(message.text, 1000),
          ...message.shares.map((sh) => blockText([sh.name, sh.link].filter(Boolean).join('\n'), 500)),
        ]
          .join('\n')
          .trim();
  item.command = { command: Commands.openMessage, title: vscode.l10n.t('Open Message Details'), arguments: [node] };
  item.accessibilityInformation = {
    label: vscode.l10n.t('Message from {0}, {1}: {2}', sender || vscode.l10n.t('unknown sender'), when, label),
  };
  return item;
}

function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), None);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('fold-down');
  item.contextValue = 'loadMore';
  item.command = { command: Commands.loadMore, title: vscode.l10n.t('Load More'), arguments: [node] };
  item.accessibilityInformation = { label: vscode.l10n.t('Load more items') };
  return item;
}

function errorItem(node: ErrorNode, runtime: ExtensionRuntime): vscode.TreeItem {
  const item = new vscode.TreeItem(
    vscode.l10n.t('Could not load: {0}', inlineText(redact(graphErrorSummary(node.error, runtime)), 100)),
    None,
  );
  item.id = node.id;
  item.description = vscode.l10n.t('Retry');
  item.tooltip = errorText(node.error, runtime);
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  item.contextValue = node.error.kind === 'invalidToken' ? 'error.token' : 'error';
  item.command = { command: Commands.retry, title: vscode.l10n.t('Retry'), arguments: [node] };
  // The sentence already ends: the label adds its own full stop, never a second one.
  const said = errorText(node.error, runtime).replace(/[.。]\s*$/, '');
  item.accessibilityInformation = { label: vscode.l10n.t('Error: {0}. Activate to retry.', said) };
  return item;
}

function emptyItem(node: EmptyNode): vscode.TreeItem {
  const owner = node.parent;
  const label =
    owner.kind === 'conversation'
      ? vscode.l10n.t('No messages')
      : vscode.l10n.t('No conversations in {0}', folderLabel(owner.kind === 'page' ? owner.folder : owner.pageNode.folder));
  const item = new vscode.TreeItem(label, None);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('info');
  item.accessibilityInformation = { label };
  item.contextValue = 'empty';
  return item;
}

/** What an attachment is, by its MIME type's family. */
function attachmentKind(mimeType: string | undefined): string {
  const family = mimeType?.split('/')[0];
  const kinds: Record<string, () => string> = {
    image: () => vscode.l10n.t('Photo'),
    video: () => vscode.l10n.t('Video'),
    audio: () => vscode.l10n.t('Audio'),
  };
  return (family && kinds[family]?.()) || vscode.l10n.t('File');
}
