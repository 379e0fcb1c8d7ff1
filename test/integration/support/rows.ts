import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/vscode/activate';
import type { ExplorerNode, PageNode } from '../../../src/core/explorer/nodes';
import { eventually } from './ui';

/**
 * A row of the Conversations view as VS Code renders it: the element the view holds and the
 * TreeItem the extension's own provider gives it (label, description, tooltip, context value).
 * Assertions read these, never the explorer's list state.
 */
export interface ShownRow {
  readonly node: ExplorerNode;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** What the row's menus key on: `page`, `platform.*`, `conversation*`, `message*`, `loadMore`, `error*`, `empty`. */
  readonly contextValue: string;
}

export const isThreadRow = (row: ShownRow): boolean => row.contextValue.startsWith('conversation');
export const isMessageRow = (row: ShownRow): boolean => row.contextValue.startsWith('message');
export const isErrorRow = (row: ShownRow): boolean => row.contextValue.startsWith('error');
export const isLoadMoreRow = (row: ShownRow): boolean => row.contextValue === 'loadMore';

function text(value: string | vscode.TreeItemLabel | vscode.MarkdownString | boolean | undefined): string {
  if (value === undefined || typeof value === 'boolean') {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  return 'label' in value ? value.label : value.value;
}

export function shownRow(api: TestApi, node: ExplorerNode): ShownRow {
  const item = api.trees.conversations.getTreeItem(node);
  return {
    node,
    label: text(item.label),
    description: text(item.description),
    tooltip: text(item.tooltip),
    contextValue: item.contextValue ?? '',
  };
}

/** The rows under a row (or the top-level rows), as the view gets them: a load in flight is awaited, as the view awaits it. */
export async function rowsUnder(api: TestApi, parent?: ExplorerNode): Promise<ShownRow[]> {
  return (await api.trees.conversations.getChildren(parent)).map((node) => shownRow(api, node));
}

/** The rows under a row once they show no error row; a failure shows the error row's text. */
export async function loadedRowsUnder(api: TestApi, parent: ExplorerNode, what = 'the rows', timeoutMs = 10_000): Promise<ShownRow[]> {
  return eventually(
    async () => {
      const rows = await rowsUnder(api, parent);
      const error = rows.find(isErrorRow);
      assert.equal(error, undefined, `an error row: ${error?.label ?? ''}`);
      return rows;
    },
    timeoutMs,
    what,
  );
}

/** The error row under a row, once one shows. */
export async function errorRowUnder(api: TestApi, parent: ExplorerNode, what = 'the error row', timeoutMs = 10_000): Promise<ShownRow> {
  return eventually(async () => (await rowsUnder(api, parent)).find(isErrorRow) ?? assert.fail('no error row yet'), timeoutMs, what);
}

/** A Page's thread rows across its platform rows (Messenger, Instagram), once every list shows without an error row. */
export async function threadRowsOfPage(api: TestApi, page: ExplorerNode, what = 'the threads', timeoutMs = 10_000): Promise<ShownRow[]> {
  const under = await loadedRowsUnder(api, page, what, timeoutMs);
  const platforms = under.filter((row) => row.contextValue.startsWith('platform.'));
  if (platforms.length === 0) {
    return under.filter(isThreadRow);
  }
  const lists = await Promise.all(platforms.map((platform) => loadedRowsUnder(api, platform.node, what, timeoutMs)));
  return lists.flat().filter(isThreadRow);
}

/** The top-level Page rows. */
export async function pageRows(api: TestApi): Promise<ShownRow[]> {
  return (await rowsUnder(api)).filter((row) => row.contextValue === 'page');
}

/** The row of one Page, by its Page ID. */
export async function pageRowOf(api: TestApi, pageId: string): Promise<ShownRow & { readonly node: PageNode }> {
  const row = (await pageRows(api)).find((r) => r.node.kind === 'page' && r.node.page.id === pageId);
  assert.ok(row, `the row of Page ${pageId}`);
  return row as ShownRow & { readonly node: PageNode };
}
