import * as assert from 'node:assert/strict';
import type { TestApi } from '../../../src/vscode/activate';
import type { ExplorerNode } from '../../../src/core/explorer/nodes';
import { shownRow } from './rows';
import { eventually, ui, uiDriverAvailable } from './ui';
import type { TreeRow } from './uiProtocol';

/** How deep a row sits in the Conversations view (1 for a Page), from the view's own parent chain. */
function levelOf(api: TestApi, node: ExplorerNode): number {
  let level = 1;
  for (let parent = api.trees.conversations.getParent(node); parent; parent = api.trees.conversations.getParent(parent)) {
    level++;
  }
  return level;
}

/** Whether the rendered row of a node shows as expanded, read from the DOM. */
async function shownExpanded(api: TestApi, node: ExplorerNode): Promise<boolean> {
  const { label } = shownRow(api, node);
  const level = levelOf(api, node);
  const rows = await ui.treeRows(api.views.conversations.title ?? 'Conversations');
  return rows.some((row) => row.level === level && row.label === label && row.expanded === true);
}

/**
 * Expands a node in the real tree view through its API (`reveal` with `expand`), as a keyboard
 * expansion does, and waits until the rendered row shows as expanded. A reveal that races the
 * refresh of a parent can be dropped by the view: it asks again, and fails loudly when the row
 * never expands. Without the UI driver (test-electron) it cannot see the row: it then waits for the
 * rows under the node, as the view does.
 */
export async function expandInView(api: TestApi, node: ExplorerNode): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await api.views.conversations.reveal(node, { expand: true, select: false, focus: false });
    if (!uiDriverAvailable()) {
      await api.trees.conversations.getChildren(node);
      return;
    }
    const expanded = await eventually(
      async () => (await shownExpanded(api, node)) || Promise.reject(new Error('not yet')),
      3_000,
      'the row to show as expanded',
    ).then(
      () => true,
      () => false,
    );
    if (expanded) {
      return;
    }
  }
  throw new Error(`The view did not expand the row of ${node.id} after three reveals.`);
}

/** The rows VS Code draws directly under a node's row in the Conversations view (the row must be expanded and on screen). */
export async function renderedRowsUnder(api: TestApi, node: ExplorerNode): Promise<TreeRow[]> {
  const { label } = shownRow(api, node);
  const level = levelOf(api, node);
  const rows = await ui.treeRows(api.views.conversations.title ?? 'Conversations');
  const at = rows.findIndex((row) => row.level === level && row.label === label);
  assert.ok(at >= 0, `the row of ${label} on screen`);
  const under: TreeRow[] = [];
  for (const row of rows.slice(at + 1)) {
    if (row.level <= level) {
      break;
    }
    if (row.level === level + 1) {
      under.push(row);
    }
  }
  return under;
}

/** The error row VS Code draws under a node's row, once it shows: its label, its "Retry" and the sentence a screen reader says. */
export async function renderedErrorRowUnder(
  api: TestApi,
  node: ExplorerNode,
  what = 'the error row',
  timeoutMs = 10_000,
): Promise<TreeRow> {
  return eventually(
    async () => {
      const under = await renderedRowsUnder(api, node);
      return (
        under.find((row) => row.label.startsWith('Could not load')) ??
        assert.fail(`no error row yet: ${under.map((row) => row.label).join(' | ')}`)
      );
    },
    timeoutMs,
    what,
  );
}
