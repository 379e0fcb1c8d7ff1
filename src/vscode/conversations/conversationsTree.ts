import * as vscode from 'vscode';
import { ConversationExplorer } from '../../core/explorer/conversationExplorer';
import { DisposableStore } from '../../core/events';
import { ExplorerNode } from '../../core/explorer/nodes';
import { ExtensionRuntime } from '../runtime';
import { treeItem } from './treeItems';

/** The sidebar tree: Pages → (Messenger | Instagram) → conversations → messages. */
export class ConversationsTreeProvider extends DisposableStore implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly changed = this._register(new vscode.EventEmitter<ExplorerNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: ConversationExplorer,
    private readonly runtime: ExtensionRuntime,
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    super();
    this._register(model.onDidChange((node) => this.changed.fire(node)));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return treeItem(node, this.nowMs(), this.runtime);
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return node ? this.model.children(node) : this.model.roots();
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.model.parent(node);
  }
}
