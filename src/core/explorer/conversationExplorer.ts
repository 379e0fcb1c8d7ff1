import { PageAccount } from '../accounts/accounts';
import { Emitter } from '../events';
import { GraphClient } from '../graph/client';
import { asGraphError, GraphError } from '../graph/errors';
import { Conversation, Folder, Message, Platform } from '../graph/models';
import { Page } from '../graph/paging';
import { Credentials } from '../graph/transport';
import { matchesFilter } from './messageSummary';
import {
  ConversationNode,
  EmptyNode,
  ErrorNode,
  ExplorerNode,
  HostErrorNode,
  ListOwner,
  LoadMoreNode,
  MessageNode,
  PageNode,
  PlatformNode,
} from './nodes';
import { PagedList } from './pagedList';

export const FOLDERS: readonly Folder[] = ['inbox', 'other', 'page_done', 'spam', 'pending'];

/** Shown instead of fresh lists: a Refresh All the host did not answer, and the address that did not. */
export interface StaleLists {
  readonly error: GraphError;
  /** The Graph host that did not answer, when the failure names it. */
  readonly origin?: string;
}

/** Failures that mean the host did not answer at all (as opposed to answering with an error). */
const UNANSWERED: ReadonlySet<string> = new Set(['network', 'timeout']);

/** What the explorer needs from its host: accounts and calls, settings, remembered folders, progress and a log. */
export interface ExplorerHost {
  /** Why no Graph call can be made (a refused host setting), or undefined. */
  hostProblem(): string | undefined;
  pages(): Promise<PageAccount[]>;
  call<T>(page: PageAccount, work: (client: GraphClient, credentials: Credentials) => Promise<T>): Promise<T>;
  pageSizes(): { readonly conversations: number; readonly messages: number };
  folderOf(pageId: string): Folder;
  rememberFolder(pageId: string, folder: Folder): Promise<void>;
  /** Shows that a load is under way (VS Code: the view's progress bar). */
  withProgress<T>(work: Promise<T>): Promise<T>;
  warn(message: string): void;
}

/**
 * The state behind the conversations tree: which lists are loaded, how far, and what failed.
 * Loading a level costs one Graph request: conversations come with participants, snippet and
 * counts through field expansion, and a Page with Instagram loads both platforms in one batch.
 */
export class ConversationExplorer {
  private readonly changed = new Emitter<ExplorerNode | undefined>();
  /** A node (or, with undefined, everything) must be shown again. */
  readonly onDidChange = this.changed.event;
  private readonly filterChanged = new Emitter<string>();
  readonly onDidChangeFilter = this.filterChanged.event;
  private readonly pageNodes = new Map<string, PageNode>();
  private filterText = '';
  /** What each conversation list showed before a Refresh All, until its reload succeeds or fails. */
  private readonly beforeRefresh = new WeakMap<PagedList<Conversation>, Conversation[]>();
  /** Each listed thread's newest messages, by node ID, until the thread is first opened. */
  private readonly newestMessages = new Map<string, () => Page<Message>>();
  private staleLists: StaleLists | undefined;
  /** Loads a render has settled: another render awaiting the same load would take the kept list for a fresh one. */
  private readonly settledLoads = new WeakSet<Promise<void>>();
  private readonly staleChanged = new Emitter<StaleLists | undefined>();
  /** A Refresh All failed for lack of an answer (the old lists are kept), or a later load succeeded. */
  readonly onDidChangeStale = this.staleChanged.event;

  constructor(private readonly host: ExplorerHost) {}

  /** Set while the tree shows lists a Refresh All could not reload because the host did not answer. */
  get stale(): StaleLists | undefined {
    return this.staleLists;
  }

  get filter(): string {
    return this.filterText;
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    this.filterChanged.fire(this.filterText);
    this.changed.fire(undefined);
  }

  async roots(): Promise<ExplorerNode[]> {
    const problem = this.host.hostProblem();
    if (problem !== undefined) {
      return [new HostErrorNode(problem)];
    }
    const pages = await this.host.pages();
    const live = new Set(pages.map((p) => p.id));
    for (const [id, node] of this.pageNodes) {
      if (!live.has(id)) {
        this.pageNodes.delete(id);
        // A removed Page's messages go with it.
        [...this.newestMessages.keys()].filter((key) => key.startsWith(`${node.id}/`)).forEach((key) => this.newestMessages.delete(key));
      }
    }
    return pages.map((page) => this.pageNode(page));
  }

  async children(node: ExplorerNode): Promise<ExplorerNode[]> {
    switch (node.kind) {
      case 'page':
        if (node.groups.length > 0) {
          await this.host.withProgress(this.prefetchPlatforms(node));
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
      case 'platform':
        return node.pageNode;
      case 'conversation':
      case 'message':
      case 'loadMore':
      case 'error':
      case 'empty':
        return node.parent;
      default:
        return undefined;
    }
  }

  async loadMore(owner: ListOwner): Promise<void> {
    await this.host.withProgress(listOf(owner).loadMore());
    this.changed.fire(owner);
  }

  async retry(owner: ListOwner): Promise<void> {
    await this.host.withProgress(listOf(owner).retry());
    this.changed.fire(owner);
  }

  /** Forgets what a node loaded (or everything) and shows it again. */
  refresh(node?: ExplorerNode): void {
    const target = node && (node.kind === 'page' || node.kind === 'platform' || node.kind === 'conversation') ? node : undefined;
    if (!target) {
      // A real refresh: every list is asked again; what it showed is kept only to show if nothing answers.
      for (const page of this.pageNodes.values()) {
        for (const list of conversationLists(page)) {
          if (list.items.length > 0) {
            this.beforeRefresh.set(list, [...list.items]);
          }
        }
        resetPage(page);
      }
      this.changed.fire(undefined);
      return;
    }
    if (target.kind === 'page') {
      resetPage(target);
    } else if (target.kind === 'platform') {
      target.list.reset();
      forgetConversations(target.pageNode, target);
    } else {
      // Refreshed on its own, a thread asks again: the messages its list brought are forgotten.
      this.newestMessages.delete(target.id);
      target.messages.reset();
      target.messageNodes.clear();
    }
    this.changed.fire(target);
  }

  /** The folder a Page's threads are listed from; remembered per Page (not a secret). */
  async setFolder(node: PageNode, folder: Folder): Promise<void> {
    await this.host.rememberFolder(node.page.id, folder);
    node.folder = folder;
    resetPage(node);
    this.changed.fire(node);
  }

  /**
   * The thread with one person, by PSID or IGSID (`user_id=`): asks the Page the ID belongs to when
   * that is known (a PSID is scoped to one Page), else each Page and platform in turn; adds the
   * thread to its list if it is not loaded yet, and returns its node for revealing.
   */
  async findThread(
    userId: string,
    signal?: AbortSignal,
    ownerPageId?: string,
  ): Promise<{ node?: ConversationNode; tried: number; errors: GraphError[] }> {
    const all = await this.roots();
    const owner = all.find((n) => n.kind === 'page' && n.page.id === ownerPageId);
    const pages = owner ? [owner] : all;
    const errors: GraphError[] = [];
    let tried = 0;
    for (const pageNode of pages) {
      if (pageNode.kind !== 'page') {
        continue;
      }
      for (const platform of pageNode.platforms) {
        tried++;
        try {
          const result = await this.host.call(pageNode.page, (client, creds) =>
            client.listConversations(creds, pageNode.page.id, { platform, userId, signal }),
          );
          const found = result.items[0];
          if (found) {
            return { node: this.insertFound(pageNode, platform, found), tried, errors };
          }
        } catch (error) {
          const failure = asGraphError(error);
          if (failure.kind === 'cancelled') {
            throw failure;
          }
          // badRequest, notFound, permission: not this Page's user; the ID is scoped to another Page or account.
          if (failure.kind !== 'badRequest' && failure.kind !== 'notFound' && failure.kind !== 'permission') {
            errors.push(failure);
          }
        }
      }
    }
    return { tried, errors };
  }

  dispose(): void {
    this.changed.dispose();
    this.filterChanged.dispose();
    this.staleChanged.dispose();
  }

  private insertFound(pageNode: PageNode, platform: Platform, conversation: Conversation): ConversationNode {
    const owner = pageNode.groups.find((g) => g.platform === platform) ?? pageNode;
    // Where it belongs among the loaded threads (newest first), not pinned on top.
    const kept = conversationListOf(owner).insertInOrder(conversation, (a, b) => (a.updatedTime ?? 0) >= (b.updatedTime ?? 0));
    this.changed.fire(owner);
    return this.conversationNode(owner, platform, kept);
  }

  private pageNode(page: PageAccount): PageNode {
    let node = this.pageNodes.get(page.id);
    if (!node) {
      node = new PageNode(page, this.host.folderOf(page.id));
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

  private conversationList(node: PageNode, platform: Platform): PagedList<Conversation> {
    return new PagedList((after) =>
      this.logFailure(
        `the ${platform} conversations of Page ${node.page.id}`,
        this.host.call(node.page, (client, creds) =>
          client.listConversations(creds, node.page.id, {
            platform,
            folder: node.folder,
            limit: this.host.pageSizes().conversations,
            after,
            newestMessages: after === undefined ? this.host.pageSizes().messages : undefined,
          }),
        ),
      ),
    );
  }

  private messageList(node: PageNode, conversationId: string): PagedList<Message> {
    return new PagedList(
      (after) =>
        this.cameWithList(node, conversationId, after) ??
        this.logFailure(
          `the messages of ${conversationId}`,
          this.host.call(node.page, (client, creds) =>
            client.listMessages(creds, conversationId, { limit: this.host.pageSizes().messages, after }),
          ),
        ),
    );
  }

  /**
   * A thread's first page of messages as its list brought it, used once: a thread refreshed on its
   * own asks the Graph API again. Undecodable, it is asked for instead.
   */
  private cameWithList(node: PageNode, conversationId: string, after: string | undefined): Promise<Page<Message>> | undefined {
    const key = node.conversations.get(conversationId)?.id;
    const newest = key === undefined || after !== undefined ? undefined : this.newestMessages.get(key);
    if (key === undefined || newest === undefined) {
      return undefined;
    }
    this.newestMessages.delete(key);
    try {
      return Promise.resolve(newest());
    } catch (error) {
      this.host.warn(`The messages that came with ${conversationId} could not be read; asking for them: ${asGraphError(error).message}`);
      return undefined;
    }
  }

  /** Both platforms' first pages in one batch request, when neither is loaded yet. */
  private async prefetchPlatforms(node: PageNode): Promise<void> {
    if (!node.groups.every((g) => g.list.state === 'idle')) {
      return;
    }
    const queries = node.groups.map((g) => ({
      platform: g.platform,
      folder: node.folder,
      limit: this.host.pageSizes().conversations,
      newestMessages: this.host.pageSizes().messages,
    }));
    let results: (Page<Conversation> | GraphError)[];
    try {
      results = await this.host.call(node.page, (client, creds) => client.listConversationsBatch(creds, node.page.id, queries));
    } catch (error) {
      const failure = asGraphError(error);
      this.host.warn(`Loading the conversations of ${node.page.id} failed: ${failure.message}`);
      node.groups.forEach((g) => {
        if (!this.keepBeforeRefresh(g.list, failure)) {
          g.list.seedError(failure);
        }
      });
      return;
    }
    node.groups.forEach((g) => this.beforeRefresh.delete(g.list));
    this.markFresh();
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
    const asked = list.state === 'idle' || list.state === 'loading';
    const load = list.ensureLoaded();
    await this.host.withProgress(load);
    if (asked && owner.kind !== 'conversation' && !this.settledLoads.has(load)) {
      this.settledLoads.add(load);
      this.settleRefresh(conversationListOf(owner));
    }
    const out: ExplorerNode[] =
      owner.kind === 'conversation'
        ? owner.messages.items.map((message) => this.messageNode(owner, message))
        : this.visibleConversations(owner);
    if (list.error) {
      out.push(new ErrorNode(owner, list.error));
    } else if (list.hasMore) {
      out.push(new LoadMoreNode(owner));
    } else if (out.length === 0) {
      out.push(new EmptyNode(owner));
    }
    return out;
  }

  private visibleConversations(owner: PageNode | PlatformNode): ExplorerNode[] {
    const platform = owner.kind === 'platform' ? owner.platform : 'messenger';
    return conversationListOf(owner)
      .items.filter((conversation) => !this.filterText || matchesFilter(conversation, this.filterText))
      .map((conversation) => this.conversationNode(owner, platform, conversation));
  }

  private conversationNode(owner: PageNode | PlatformNode, platform: Platform, conversation: Conversation): ConversationNode {
    const pageNode = owner.pageNode;
    let node = pageNode.conversations.get(conversation.id);
    // Rows render again and again; only a thread just listed (new here, or from a reloaded list) brings fresh messages.
    const justListed = !node || node.parent !== owner || node.conversation !== conversation;
    if (!node || node.parent !== owner) {
      node = new ConversationNode(owner, platform, conversation, this.messageList(pageNode, conversation.id));
      pageNode.conversations.set(conversation.id, node);
    } else {
      node.conversation = conversation;
    }
    // The first page of threads brings each thread's newest messages: opening one costs no request.
    if (justListed && conversation.newestMessages) {
      this.newestMessages.set(node.id, conversation.newestMessages);
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

  /** After a conversation list's (re)load: keeps what it showed before if the host did not answer, else it is fresh. */
  private settleRefresh(list: PagedList<Conversation>): void {
    if (list.state === 'failed' && list.error) {
      this.keepBeforeRefresh(list, list.error);
    } else if (list.state === 'loaded') {
      this.beforeRefresh.delete(list);
      this.markFresh();
    }
  }

  /** Shows a list's items from before Refresh All again, marked stale, when the reload got no answer. */
  private keepBeforeRefresh(list: PagedList<Conversation>, failure: GraphError): boolean {
    const before = this.beforeRefresh.get(list);
    if (!before || !UNANSWERED.has(failure.kind)) {
      return false;
    }
    this.beforeRefresh.delete(list);
    list.seed({ items: before });
    if (!this.staleLists) {
      this.staleLists = { error: failure, origin: failure.origin };
      this.staleChanged.fire(this.staleLists);
    }
    return true;
  }

  private markFresh(): void {
    if (this.staleLists) {
      this.staleLists = undefined;
      this.staleChanged.fire(undefined);
    }
  }

  /** Logs a failed load once, when it happens (the tree re-renders its error row many times). */
  private logFailure<T>(what: string, load: Promise<T>): Promise<T> {
    return load.catch((error: unknown) => {
      this.host.warn(`Loading ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
  }
}

function resetPage(node: PageNode): void {
  node.list?.reset();
  node.groups.forEach((g) => g.list.reset());
  node.conversations.clear();
}

/** The conversation lists of a Page: its own, or one per platform group. */
function conversationLists(node: PageNode): PagedList<Conversation>[] {
  return node.list ? [node.list] : node.groups.map((g) => g.list);
}

/** Drops the conversation nodes (and their loaded messages) under one platform group. */
function forgetConversations(page: PageNode, owner: PlatformNode): void {
  for (const [id, node] of page.conversations) {
    if (node.parent === owner) {
      page.conversations.delete(id);
    }
  }
}

/** The list a Page (without Instagram) or a platform group pages its threads from. */
function conversationListOf(owner: PageNode | PlatformNode): PagedList<Conversation> {
  if (owner.kind === 'platform') {
    return owner.list;
  }
  if (!owner.list) {
    throw new Error(`Page ${owner.page.id} lists its threads per platform.`);
  }
  return owner.list;
}

export function listOf(owner: ListOwner): PagedList<Conversation> | PagedList<Message> {
  return owner.kind === 'conversation' ? owner.messages : conversationListOf(owner);
}
