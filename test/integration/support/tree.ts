import type { TestApi } from '../../../src/vscode/activate';
import type { ExplorerNode } from '../../../src/core/explorer/nodes';
import { eventually } from './ui';

/** Whether the view has started loading a node's children, the way a click on its twistie does. */
export function loadStarted(node: ExplorerNode): boolean {
  switch (node.kind) {
    case 'page':
      return node.list ? node.list.state !== 'idle' : node.groups.length > 0 && node.groups.every((g) => g.list.state !== 'idle');
    case 'platform':
      return node.list.state !== 'idle';
    case 'conversation':
      return node.messages.state !== 'idle';
    default:
      return true;
  }
}

/**
 * Expands a node in the real tree view through its API (`reveal` with `expand`), as a keyboard or
 * twistie expansion would. A reveal that races the refresh of a parent can be dropped by the view:
 * it asks again, and fails loudly when the view never loaded the node.
 */
export async function expandInView(api: TestApi, node: ExplorerNode): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await api.conversationsView.reveal(node, { expand: true, select: false, focus: false });
    if (
      await eventually(() => loadStarted(node) || Promise.reject(new Error('not yet')), 3_000, 'the view to load the node').then(
        () => true,
        () => false,
      )
    ) {
      return;
    }
  }
  throw new Error(`The view did not load ${node.id} after three reveals.`);
}
