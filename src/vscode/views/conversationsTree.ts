import * as vscode from 'vscode';
import { SecretVault } from '../secretVault';
import { ContextKeys, setContext } from '../contextKeys';

/** A stored credential, as the tree shows it: where it is used and under which name, never its value. */
export interface StoredAccountNode {
  readonly kind: 'account';
  readonly key: string;
  readonly host: string;
  readonly name: string;
}

export type ConversationsNode = StoredAccountNode;

/**
 * The sidebar tree. Until an account is stored it is empty, so VS Code shows the welcome view.
 */
export class ConversationsTreeProvider implements vscode.TreeDataProvider<ConversationsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConversationsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly vault: SecretVault) {}

  refresh(node?: ConversationsNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: ConversationsNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = node.key;
    item.description = node.host;
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = 'account';
    item.accessibilityInformation = { label: vscode.l10n.t('Account {0} on {1}', node.name, node.host) };
    return item;
  }

  async getChildren(node?: ConversationsNode): Promise<ConversationsNode[]> {
    if (node) {
      return [];
    }
    const accounts = (await this.vault.keys()).map(parseKey).filter((a): a is StoredAccountNode => a !== undefined);
    setContext(ContextKeys.hasAccounts, accounts.length > 0);
    return accounts;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function parseKey(key: string): StoredAccountNode | undefined {
  const [, host, ...rest] = key.split('/');
  if (!host || rest.length === 0) {
    return undefined;
  }
  return { kind: 'account', key, host, name: rest.join('/') };
}
