import type { TestApi } from '../../../src/vscode/activate';
import type { ExplorerNode } from '../../../src/core/explorer/nodes';
import { shownRow } from './rows';
import { eventually, ui, uiDriverAvailable } from './ui';

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
