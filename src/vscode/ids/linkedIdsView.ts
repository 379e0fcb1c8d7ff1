import * as vscode from 'vscode';
import { Commands } from '../constants';
import { DisposableStore } from '../../core/events';
import { inlineText } from '../../core/explorer/text';
import { LinkedApp, LinkedPage } from '../../core/graph/models';
import { Resolution } from '../../core/ids/resolve';

const HISTORY = 20;

export interface ResolutionNode {
  readonly kind: 'resolution';
  readonly resolution: Resolution;
}

export interface LinkedNode {
  readonly kind: 'linkedApp' | 'linkedPage';
  readonly parent: ResolutionNode;
  /** The linked ID: an ASID (app) or a PSID (Page). */
  readonly id: string;
  readonly owner: { readonly id: string; readonly name?: string; readonly link?: string; readonly category?: string };
}

export interface NoLinksNode {
  readonly kind: 'noLinks';
  readonly parent: ResolutionNode;
}

export type LinkedIdsNode = ResolutionNode | LinkedNode | NoLinksNode;

/** The Linked IDs view: the latest resolutions, each with the same person's IDs in other apps and Pages. */
export class LinkedIdsProvider extends DisposableStore implements vscode.TreeDataProvider<LinkedIdsNode> {
  private readonly changed = this._register(new vscode.EventEmitter<LinkedIdsNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly history: ResolutionNode[] = [];
  private readonly children = new Map<ResolutionNode, LinkedIdsNode[]>();

  /** Shows a resolution first (replacing an older one of the same ID) and returns its node. */
  show(resolution: Resolution): ResolutionNode {
    const index = this.history.findIndex((n) => n.resolution.id === resolution.id);
    if (index >= 0) {
      const [old] = this.history.splice(index, 1);
      if (old) {
        this.children.delete(old);
      }
    }
    const node: ResolutionNode = { kind: 'resolution', resolution };
    this.history.unshift(node);
    for (const dropped of this.history.splice(HISTORY)) {
      this.children.delete(dropped);
    }
    this.changed.fire(undefined);
    return node;
  }

  clear(): void {
    this.history.length = 0;
    this.children.clear();
    this.changed.fire(undefined);
  }

  getChildren(node?: LinkedIdsNode): LinkedIdsNode[] {
    if (!node) {
      return this.history;
    }
    if (node.kind !== 'resolution') {
      return [];
    }
    let children = this.children.get(node);
    if (!children) {
      const r = node.resolution;
      children = [
        ...r.idsForApps.map((a: LinkedApp): LinkedNode => ({ kind: 'linkedApp', parent: node, id: a.id, owner: a.app })),
        ...r.idsForPages.map((p: LinkedPage): LinkedNode => ({ kind: 'linkedPage', parent: node, id: p.id, owner: p.page })),
      ];
      if (children.length === 0) {
        children = [{ kind: 'noLinks', parent: node }];
      }
      this.children.set(node, children);
    }
    return children;
  }

  getParent(node: LinkedIdsNode): LinkedIdsNode | undefined {
    return node.kind === 'resolution' ? undefined : node.parent;
  }

  getTreeItem(node: LinkedIdsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'resolution': {
        const r = node.resolution;
        const name = inlineText(r.name, 80);
        const item = new vscode.TreeItem(
          name ? `${r.id} · ${name}` : r.id,
          node === this.history[0] ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `resolution/${r.id}`;
        const via = inlineText(r.via.name, 60);
        item.description = r.via.kind === 'page' ? vscode.l10n.t('via Page {0}', via) : vscode.l10n.t('via app {0}', via);
        item.tooltip = vscode.l10n.t(
          '{0}: {1} app-scoped and {2} page-scoped IDs, resolved with the token of {3} at {4}.',
          r.id,
          r.idsForApps.length,
          r.idsForPages.length,
          via,
          new Date(r.resolvedAt).toLocaleTimeString(vscode.env.language),
        );
        item.iconPath = new vscode.ThemeIcon('person');
        item.contextValue = 'resolution';
        item.accessibilityInformation = { label: vscode.l10n.t('Linked IDs of {0} {1}, {2}', r.id, name, item.description) };
        return item;
      }
      case 'linkedApp':
      case 'linkedPage': {
        const ownerName = inlineText(node.owner.name, 80) || node.owner.id;
        const item = new vscode.TreeItem(ownerName, vscode.TreeItemCollapsibleState.None);
        item.id = `resolution/${node.parent.resolution.id}/${node.kind}/${node.owner.id}`;
        item.description = node.id;
        const kind = node.kind === 'linkedApp' ? vscode.l10n.t('App-scoped ID (ASID)') : vscode.l10n.t('Page-scoped ID (PSID)');
        item.tooltip = [
          `${kind}: ${node.id}`,
          `${node.kind === 'linkedApp' ? vscode.l10n.t('App') : vscode.l10n.t('Page')}: ${ownerName} (${node.owner.id})`,
          node.owner.category ? vscode.l10n.t('Category: {0}', inlineText(node.owner.category, 80)) : '',
          node.owner.link ? inlineText(node.owner.link, 200) : '',
        ]
          .filter(Boolean)
          .join('\n');
        item.iconPath = new vscode.ThemeIcon(node.kind === 'linkedApp' ? 'package' : 'organization');
        item.contextValue = node.kind;
        item.accessibilityInformation = { label: `${kind} ${node.id}, ${ownerName}` };
        // Enter or a click does what people do most with the row: open the thread on that Page, copy an app's ID.
        item.command =
          node.kind === 'linkedPage'
            ? { command: Commands.openLinkedThread, title: vscode.l10n.t('Open Thread with This Person'), arguments: [node] }
            : { command: Commands.copyLinkedId, title: vscode.l10n.t('Copy ID'), arguments: [node] };
        return item;
      }
      case 'noLinks': {
        const label = vscode.l10n.t('No linked IDs in other apps or Pages of this business');
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        item.accessibilityInformation = { label };
        return item;
      }
    }
  }
}
