import * as vscode from 'vscode';
import { PageAccount } from '../../core/accounts/accounts';
import { AccountService } from '../accounts/accountService';

/** A connected Page, the root level of the conversations tree. */
export interface PageNode {
  readonly kind: 'page';
  readonly page: PageAccount;
}

export type ConversationsNode = PageNode;

/**
 * The sidebar tree: Pages → conversations → messages. Until a Page is connected it is empty,
 * so VS Code shows the welcome view.
 */
export class ConversationsTreeProvider implements vscode.TreeDataProvider<ConversationsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConversationsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly service: AccountService) {
    this.subscriptions = [service.store.onDidChange(() => this.refresh()), service.session.onDidChangeEndpoint(() => this.refresh())];
  }

  refresh(node?: ConversationsNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: ConversationsNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.page.name, vscode.TreeItemCollapsibleState.None);
    item.id = `page/${node.page.id}`;
    item.description = node.page.category;
    item.iconPath = new vscode.ThemeIcon('comment-discussion');
    item.contextValue = 'page';
    item.accessibilityInformation = { label: vscode.l10n.t('Page {0}', node.page.name) };
    return item;
  }

  async getChildren(node?: ConversationsNode): Promise<ConversationsNode[]> {
    if (node) {
      return [];
    }
    return (await this.service.pages()).map((page): PageNode => ({ kind: 'page', page }));
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.changed.dispose();
  }
}
