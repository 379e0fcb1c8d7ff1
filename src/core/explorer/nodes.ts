import { PageAccount } from '../accounts/accounts';
import { CONVERSATION_FIELDS, MESSAGE_DETAIL_FIELDS, MESSAGE_FIELDS } from '../graph/client';
import { GraphError } from '../graph/errors';
import { Conversation, Folder, Message, Participant, Platform } from '../graph/models';
import { otherParticipant } from './messageSummary';
import { PagedList } from './pagedList';

/**
 * The conversations tree's nodes. They are long-lived objects, reused across refreshes: VS Code
 * finds the node to refresh by identity, and their ids keep expansion state stable. Each node
 * answers for itself: its Page, its Graph ID, what it was loaded from, the request behind it, and
 * the person it is about.
 */
export type ExplorerNode = PageNode | PlatformNode | ConversationNode | MessageNode | LoadMoreNode | ErrorNode | EmptyNode | HostErrorNode;

/** A node whose children are a paged Graph list: a Page without Instagram, a platform group, a conversation. */
export type ListOwner = PageNode | PlatformNode | ConversationNode;

/** The Graph request behind a node, without credentials (Copy as curl). */
export interface GraphRequest {
  readonly path: string;
  readonly params: Record<string, string>;
}

/** What every node can be asked; undefined where it has no such fact. */
interface NodeFacts {
  readonly id: string;
  /** The Page whose token reads this node. */
  readonly pageNode: PageNode | undefined;
  /** The Graph object this row stands for. */
  readonly graphId: string | undefined;
  /** The person on the other side (a thread's participant, a message's sender). */
  readonly participant: Participant | undefined;
  /** What the node was loaded from, as received; a stored token is never part of it. */
  raw(): unknown;
  request(): GraphRequest | undefined;
}

export class PageNode implements NodeFacts {
  readonly kind = 'page';
  /** Present when the Page has no linked Instagram account: its Messenger threads hang directly under it. */
  list: PagedList<Conversation> | undefined;
  groups: PlatformNode[] = [];
  readonly conversations = new Map<string, ConversationNode>();

  constructor(
    public page: PageAccount,
    public folder: Folder,
  ) {}

  get id(): string {
    return `page/${this.page.id}`;
  }

  get pageNode(): PageNode {
    return this;
  }

  get graphId(): string {
    return this.page.id;
  }

  get participant(): undefined {
    return undefined;
  }

  get platforms(): Platform[] {
    return this.page.instagram ? ['messenger', 'instagram'] : ['messenger'];
  }

  /** The IDs the Page itself has in threads: its own, and its Instagram account's. */
  get ownIds(): string[] {
    return this.page.instagram ? [this.page.id, this.page.instagram.id] : [this.page.id];
  }

  raw(): unknown {
    const { id, name, category, tasks, instagram, appId, scopes, expiresAt } = this.page;
    return {
      id,
      name,
      category,
      tasks,
      instagram_business_account: instagram,
      app_id: appId,
      scopes,
      expires_at: expiresAt,
      folder: this.folder,
    };
  }

  request(): GraphRequest {
    return { path: `${this.page.id}/conversations`, params: { platform: 'messenger', folder: this.folder, fields: CONVERSATION_FIELDS } };
  }
}

export class PlatformNode implements NodeFacts {
  readonly kind = 'platform';

  constructor(
    readonly pageNode: PageNode,
    readonly platform: Platform,
    readonly list: PagedList<Conversation>,
  ) {}

  get id(): string {
    return `${this.pageNode.id}/${this.platform}`;
  }

  get graphId(): string | undefined {
    return this.platform === 'instagram' ? this.pageNode.page.instagram?.id : this.pageNode.page.id;
  }

  get participant(): undefined {
    return undefined;
  }

  raw(): unknown {
    return { page: this.pageNode.page.id, platform: this.platform, folder: this.pageNode.folder, data: this.list.items.map((c) => c.raw) };
  }

  request(): GraphRequest {
    return {
      path: `${this.pageNode.page.id}/conversations`,
      params: { platform: this.platform, folder: this.pageNode.folder, fields: CONVERSATION_FIELDS },
    };
  }
}

export class ConversationNode implements NodeFacts {
  readonly kind = 'conversation';
  readonly messageNodes = new Map<string, MessageNode>();

  constructor(
    readonly parent: PageNode | PlatformNode,
    readonly platform: Platform,
    public conversation: Conversation,
    readonly messages: PagedList<Message>,
  ) {}

  get pageNode(): PageNode {
    return this.parent.pageNode;
  }

  get id(): string {
    return `${this.pageNode.id}/conversation/${this.conversation.id}`;
  }

  get graphId(): string {
    return this.conversation.id;
  }

  get participant(): Participant | undefined {
    return otherParticipant(this.conversation, this.pageNode.ownIds);
  }

  raw(): unknown {
    return this.conversation.raw;
  }

  request(): GraphRequest {
    return { path: this.conversation.id, params: { fields: `messages{${MESSAGE_FIELDS}}` } };
  }
}

export class MessageNode implements NodeFacts {
  readonly kind = 'message';

  constructor(
    readonly parent: ConversationNode,
    public message: Message,
  ) {}

  get id(): string {
    return `${this.parent.id}/message/${this.message.id}`;
  }

  get pageNode(): PageNode {
    return this.parent.pageNode;
  }

  get graphId(): string {
    return this.message.id;
  }

  get participant(): Participant | undefined {
    return this.message.from;
  }

  raw(): unknown {
    return this.message.raw;
  }

  request(): GraphRequest {
    return { path: this.message.id, params: { fields: MESSAGE_DETAIL_FIELDS } };
  }
}

/** Rows that are not Graph objects (Load more, an error, empty, a refused host) have no facts of their own. */
abstract class StatusNode implements NodeFacts {
  abstract readonly id: string;
  abstract readonly pageNode: PageNode | undefined;
  get graphId(): undefined {
    return undefined;
  }
  get participant(): undefined {
    return undefined;
  }
  raw(): undefined {
    return undefined;
  }
  request(): undefined {
    return undefined;
  }
}

/** A row under a list owner. */
abstract class ListStatusNode extends StatusNode {
  constructor(readonly parent: ListOwner) {
    super();
  }
  get pageNode(): PageNode {
    return this.parent.pageNode;
  }
}

export class LoadMoreNode extends ListStatusNode {
  readonly kind = 'loadMore';
  get id(): string {
    return `${this.parent.id}/more`;
  }
}

export class ErrorNode extends ListStatusNode {
  readonly kind = 'error';
  constructor(
    parent: ListOwner,
    readonly error: GraphError,
  ) {
    super(parent);
  }
  get id(): string {
    return `${this.parent.id}/error`;
  }
}

export class EmptyNode extends ListStatusNode {
  readonly kind = 'empty';
  get id(): string {
    return `${this.parent.id}/empty`;
  }
}

/** The one row a view shows when the Graph host setting is refused. */
export class HostErrorNode extends StatusNode {
  readonly kind = 'hostError';
  readonly id = 'hostError';
  readonly pageNode = undefined;
  constructor(readonly reason: string) {
    super();
  }
}
