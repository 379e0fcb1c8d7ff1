import { PageAccount } from '../../core/accounts/accounts';
import { PagedList } from '../../core/explorer/pagedList';
import { GraphError } from '../../core/graph/errors';
import { Conversation, Folder, Message, Platform } from '../../core/graph/models';

/**
 * The conversations tree's nodes. They are long-lived objects, reused across refreshes: VS Code
 * finds the node to refresh by identity, and their ids keep expansion state stable.
 */
export type ExplorerNode = PageNode | PlatformNode | ConversationNode | MessageNode | LoadMoreNode | ErrorNode | EmptyNode | HostErrorNode;

/** A node whose children are a paged Graph list: a Page without Instagram, a platform group, a conversation. */
export type ListOwner = PageNode | PlatformNode | ConversationNode;

export class PageNode {
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

  get platforms(): Platform[] {
    return this.page.instagram ? ['messenger', 'instagram'] : ['messenger'];
  }

  /** The IDs the Page itself has in threads: its own, and its Instagram account's. */
  get ownIds(): string[] {
    return this.page.instagram ? [this.page.id, this.page.instagram.id] : [this.page.id];
  }
}

export class PlatformNode {
  readonly kind = 'platform';

  constructor(
    readonly pageNode: PageNode,
    readonly platform: Platform,
    readonly list: PagedList<Conversation>,
  ) {}

  get id(): string {
    return `${this.pageNode.id}/${this.platform}`;
  }
}

export class ConversationNode {
  readonly kind = 'conversation';
  readonly messageNodes = new Map<string, MessageNode>();

  constructor(
    readonly parent: PageNode | PlatformNode,
    readonly platform: Platform,
    public conversation: Conversation,
    readonly messages: PagedList<Message>,
  ) {}

  get pageNode(): PageNode {
    return this.parent.kind === 'page' ? this.parent : this.parent.pageNode;
  }

  get id(): string {
    return `${this.pageNode.id}/conversation/${this.conversation.id}`;
  }
}

export class MessageNode {
  readonly kind = 'message';

  constructor(
    readonly parent: ConversationNode,
    public message: Message,
  ) {}

  get id(): string {
    return `${this.parent.id}/message/${this.message.id}`;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(readonly parent: ListOwner) {}
  get id(): string {
    return `${this.parent.id}/more`;
  }
}

export class ErrorNode {
  readonly kind = 'error';
  constructor(
    readonly parent: ListOwner,
    readonly error: GraphError,
  ) {}
  get id(): string {
    return `${this.parent.id}/error`;
  }
}

export class EmptyNode {
  readonly kind = 'empty';
  constructor(readonly parent: ListOwner) {}
  get id(): string {
    return `${this.parent.id}/empty`;
  }
}

export class HostErrorNode {
  readonly kind = 'hostError';
  readonly id = 'hostError';
  constructor(readonly reason: string) {}
}
