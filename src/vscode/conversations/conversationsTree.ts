import * as vscode from 'vscode';
import { ExplorerModel } from './explorerModel';
import { ExplorerNode } from './nodes';
import { treeItem } from './treeItems';

/** The sidebar tree: Pages → (Messenger | Instagram) → conversations → messages. */
export class ConversationsTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: ExplorerModel,
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    this.subscriptions = [model.onDidChange((node) => this.changed.fire(node))];
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return treeItem(node, this.nowMs());
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return node ? this.model.children(node) : this.model.roots();
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.model.parent(node);
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.changed.dispose();
  }
}
