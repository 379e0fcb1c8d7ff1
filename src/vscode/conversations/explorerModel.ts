import * as vscode from 'vscode';
import { Views } from '../constants';
import { PageAccount } from '../../core/accounts/accounts';
import { matchesFilter } from '../../core/explorer/messageSummary';
import { PagedList } from '../../core/explorer/pagedList';
import { asGraphError, GraphError } from '../../core/graph/errors';
import { Conversation, Folder, Message, Platform } from '../../core/graph/models';
import { Page } from '../../core/graph/paging';
import { AccountService } from '../accounts/accountService';
import { ContextKeys, setContext } from '../contextKeys';
import { Logger } from '../logger';
import { setting } from '../settings';
import { ConversationNode, EmptyNode, ErrorNode, ExplorerNode, HostErrorNode, ListOwner, LoadMoreNode, MessageNode, PageNode, PlatformNode } from './nodes';

const FOLDERS_KEY = 'messengerExplorer.folders';
export const FOLDERS: readonly Folder[] = ['inbox', 'other', 'page_done', 'spam', 'pending'];

/**
 * The state behind the conversations tree: which lists are loaded, how far, and what failed.
 * Loading a level costs one Graph request: conversations come with participants, snippet and
 * counts through field expansion, and a Page with Instagram loads both platforms in one batch.
 */
export class ExplorerModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly pageNodes = new Map<string, PageNode>();
  private filterText = '';

  constructor(
    private readonly accounts: AccountService,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {}

  get filter(): string {
    return this.filterText;
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    setContext(ContextKeys.filtered, this.filterText.length > 0);
    this.changed.fire(undefined);
  }

  async roots(): Promise<ExplorerNode[]> {
    const endpoint = this.accounts.session.endpoint;
    if (!endpoint.ok) {
      return [new HostErrorNode(endpoint.reason)];
    }
    const pages = await this.accounts.pages();
    const live = new Set(pages.map((p) => p.id));
    for (const id of this.pageNodes.keys()) {
      if (!live.has(id)) {
        this.pageNodes.delete(id);
      }
    }
    return pages.map((page) => this.pageNode(page));
  }

  async children(node: ExplorerNode): Promise<ExplorerNode[]> {
    switch (node.kind) {
      case 'page':
        if (node.groups.length > 0) {
          await this.withViewProgress(this.prefetchPlatforms(node));
          return node.groups;
        }
        return this.listChildren(node);
      case 'platform':
      case 'conversation':
        return this.listChildren(node);
      default:
        return [];
    }
  }

  parent(node: ExplorerNode): ExplorerNode | undefined {
    switch (node.kind) {
      case 'platform': return node.pageNode;
      case 'conversation': return node.parent;
      case 'message': return node.parent;
      case 'loadMore':
      case 'error':
      case 'empty': return node.parent;
      default: return undefined;
    }
  }

  async loadMore(owner: ListOwner): Promise<void> {
    const list = listOf(owner);
    if (list) {
      await this.withViewProgress(list.loadMore());
      this.changed.fire(owner);
    }
  }

  async retry(owner: ListOwner): Promise<void> {
    const list = listOf(owner);
    if (list) {
      await this.withViewProgress(list.retry());
      this.changed.fire(owner);
    }
  }

  /** Forgets what a node loaded (or everything) and shows it again. */
  refresh(node?: ExplorerNode): void {
    const target = node && (node.kind === 'page' || node.kind === 'platform' || node.kind === 'conversation') ? node : undefined;
    if (!target) {
      for (const page of this.pageNodes.values()) {
        this.resetPage(page);
      }
      this.changed.fire(undefined);
      return;
    }
    if (target.kind === 'page') {
      this.resetPage(target);
    } else if (target.kind === 'platform') {
      target.list.reset();
      forgetConversations(target.pageNode, target);
    } else {
      target.messages.reset();
      target.messageNodes.clear();
    }
    this.changed.fire(target);
  }

  /** The folder a Page's threads are listed from; remembered per Page (not a secret). */
  async setFolder(node: PageNode, folder: Folder): Promise<void> {
    const folders = { ...this.state.get<Record<string, Folder>>(FOLDERS_KEY, {}), [node.page.id]: folder };
    if (folder === 'inbox') {
      delete folders[node.page.id];
    }
    await this.state.update(FOLDERS_KEY, folders);
    node.folder = folder;
    this.resetPage(node);
    this.changed.fire(node);
  }

  /**
   * The thread with one person, by PSID or IGSID (`user_id=`): asks each Page and platform in turn,
   * adds the thread to its list if it is not loaded yet, and returns its node for revealing.
   */
  async findThread(userId: string, signal?: AbortSignal): Promise<{ node?: ConversationNode; tried: number; errors: GraphError[] }> {
    const pages = await this.roots();
    const errors: GraphError[] = [];
    let tried = 0;
    for (const pageNode of pages) {
      if (pageNode.kind !== 'page') {
        continue;
      }
      for (const platform of pageNode.platforms) {
        tried++;
        try {
          const result = await this.accounts.call(pageNode.page, (client, creds) => client.listConversations(creds, pageNode.page.id, { platform, userId, signal }));
          const found = result.items[0];
          if (found) {
            return { node: this.insertFound(pageNode, platform, found), tried, errors };
          }
        } catch (error) {
          if (error instanceof GraphError && (error.kind === 'badRequest' || error.kind === 'notFound' || error.kind === 'permission')) {
            continue; // not this Page's user: the ID is scoped to another Page or account
          }
          if (error instanceof GraphError) {
            errors.push(error);
            continue;
          }
          throw error;
        }
      }
    }
    return { tried, errors };
  }

  private insertFound(pageNode: PageNode, platform: Platform, conversation: Conversation): ConversationNode {
    const owner = pageNode.groups.find((g) => g.platform === platform) ?? pageNode;
    const list = listOf(owner) as PagedList<Conversation>;
    const kept = list.prepend(conversation);
    this.changed.fire(owner);
    return this.conversationNode(owner, platform, kept);
  }

  private pageNode(page: PageAccount): PageNode {
    let node = this.pageNodes.get(page.id);
    if (!node) {
      node = new PageNode(page, this.state.get<Record<string, Folder>>(FOLDERS_KEY, {})[page.id] ?? 'inbox');
      this.pageNodes.set(page.id, node);
      this.buildLists(node);
    } else if (node.page.token !== page.token || Boolean(node.page.instagram) !== Boolean(page.instagram)) {
      node.page = page;
      this.buildLists(node);
    } else {
      node.page = page;
    }
    return node;
  }

  private buildLists(node: PageNode): void {
    node.conversations.clear();
    if (node.page.instagram) {
      node.list = undefined;
      node.groups = node.platforms.map((platform) => new PlatformNode(node, platform, this.conversationList(node, platform)));
    } else {
      node.groups = [];
      node.list = this.conversationList(node, 'messenger');
    }
  }

  private resetPage(node: PageNode): void {
    node.list?.reset();
    node.groups.forEach((g) => g.list.reset());
    node.conversations.clear();
  }

  private conversationList(node: PageNode, platform: Platform): PagedList<Conversation> {
    return new PagedList((after) => this.logFailure(`the ${platform} conversations of Page ${node.page.id}`, this.accounts.call(node.page, (client, creds) => client.listConversations(creds, node.page.id, { platform, folder: node.folder, limit: conversationsPageSize(), after }))));
  }

  private messageList(node: PageNode, conversationId: string): PagedList<Message> {
    return new PagedList((after) => this.logFailure(`the messages of ${conversationId}`, this.accounts.call(node.page, (client, creds) => client.listMessages(creds, conversationId, { limit: messagesPageSize(), after }))));
  }

  /** Both platforms' first pages in one batch request, when neither is loaded yet. */
  private async prefetchPlatforms(node: PageNode): Promise<void> {
    if (!node.groups.every((g) => g.list.state === 'idle')) {
      return;
    }
    const queries = node.groups.map((g) => ({ platform: g.platform, folder: node.folder, limit: conversationsPageSize() }));
    let results: (Page<Conversation> | GraphError)[];
    try {
      results = await this.accounts.call(node.page, (client, creds) => client.listConversationsBatch(creds, node.page.id, queries));
    } catch (error) {
      const failure = asGraphError(error);
      this.log.warn(`Loading the conversations of ${node.page.id} failed: ${failure.message}`);
      node.groups.forEach((g) => g.list.seedError(failure));
      return;
    }
    node.groups.forEach((group, i) => {
      const result = results[i];
      if (result instanceof GraphError || result === undefined) {
        group.list.seedError(result ?? new GraphError({ kind: 'malformed', message: 'The batch response has no entry for this list.' }));
      } else {
        group.list.seed(result);
      }
    });
  }

  private async listChildren(owner: ListOwner): Promise<ExplorerNode[]> {
    const list = listOf(owner);
    if (!list) {
      return [];
    }
    await this.withViewProgress(list.ensureLoaded());
    const out: ExplorerNode[] = [];
    if (owner.kind === 'conversation') {
      for (const message of list.items as readonly Message[]) {
        out.push(this.messageNode(owner, message));
      }
    } else {
      const platform = owner.kind === 'platform' ? owner.platform : 'messenger';
      for (const conversation of list.items as readonly Conversation[]) {
        if (!this.filterText || matchesFilter(conversation, this.filterText)) {
          out.push(this.conversationNode(owner, platform, conversation));
        }
      }
    }
    if (list.error) {
      out.push(new ErrorNode(owner, list.error));
    } else if (list.hasMore) {
      out.push(new LoadMoreNode(owner));
    } else if (out.length === 0) {
      out.push(new EmptyNode(owner));
    }
    return out;
  }

  private conversationNode(owner: PageNode | PlatformNode, platform: Platform, conversation: Conversation): ConversationNode {
    const pageNode = owner.kind === 'page' ? owner : owner.pageNode;
    let node = pageNode.conversations.get(conversation.id);
    if (!node || node.parent !== owner) {
      node = new ConversationNode(owner, platform, conversation, this.messageList(pageNode, conversation.id));
      pageNode.conversations.set(conversation.id, node);
    } else {
      node.conversation = conversation;
    }
    return node;
  }

  private messageNode(owner: ConversationNode, message: Message): MessageNode {
    let node = owner.messageNodes.get(message.id);
    if (!node) {
      node = new MessageNode(owner, message);
      owner.messageNodes.set(message.id, node);
    }
    return node;
  }

  /** Logs a failed load once, when it happens (the tree re-renders its error row many times). */
  private logFailure<T>(what: string, load: Promise<T>): Promise<T> {
    return load.catch((error: unknown) => {
      this.log.warn(`Loading ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
  }

  private withViewProgress<T>(work: Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: Views.conversations } }, () => work));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Drops the conversation nodes (and their loaded messages) under one platform group. */
function forgetConversations(page: PageNode, owner: PlatformNode): void {
  for (const [id, node] of page.conversations) {
    if (node.parent === owner) {
      page.conversations.delete(id);
    }
  }
}

export function listOf(owner: ListOwner): PagedList<Conversation> | PagedList<Message> | undefined {
  return owner.kind === 'conversation' ? owner.messages : owner.list;
}

function conversationsPageSize(): number {
  return setting('conversations.pageSize');
}

function messagesPageSize(): number {
  return setting('messages.pageSize');
}
