import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { ExplorerNode } from '../../src/core/explorer/nodes';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, ui, uiDriverAvailable } from './support/ui';

interface Provider<T> {
  getChildren(node?: T): vscode.ProviderResult<T[]>;
  getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem>;
}

/** Every item of a tree, depth first, to a depth and a number of children per level. */
async function walk<T>(
  provider: Provider<T>,
  visit: (item: vscode.TreeItem, node: T) => void,
  depth = 4,
  width = 6,
  node?: T,
): Promise<number> {
  let count = 0;
  for (const child of ((await provider.getChildren(node)) ?? []).slice(0, width)) {
    const item = await provider.getTreeItem(child);
    visit(item, child);
    count++;
    if (depth > 1 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
      count += await walk(provider, visit, depth - 1, width, child);
    }
  }
  return count;
}

function checkItem(item: vscode.TreeItem, where: string): void {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  assert.ok(item.accessibilityInformation?.label.trim(), `${where} "${label}" has an accessible label`);
  const icon = item.iconPath;
  assert.ok(
    icon === undefined || icon instanceof vscode.ThemeIcon || (typeof icon === 'object' && 'id' in icon),
    `${where} "${label}" uses a codicon, themed`,
  );
  const color = icon instanceof vscode.ThemeIcon ? icon.color : undefined;
  assert.ok(color === undefined || typeof color.id === 'string', `${where} "${label}" takes its color from a theme token`);
}

describe('Accessibility: labels, theme colors and the keyboard', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sim: GraphSimulator;

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 6, hostile: true });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });

  it('gives every row of every view an accessible label and themed codicons', async () => {
    const conversations = await walk<ExplorerNode>(api.trees.conversations, (item) => checkItem(item, 'Conversations'), 4, 12);
    const accounts = await walk(api.trees.accounts, (item) => checkItem(item, 'Accounts'), 2, 30);
    const page = sim.world.pages[0] ?? assert.fail('a Page');
    const person = sim.world.people.find((p) => p.psids.has(page.id)) ?? assert.fail('a person');
    await vscode.commands.executeCommand('messengerExplorer.resolveId', person.psids.get(page.id));
    const linked = await walk(api.trees.linkedIds, (item) => checkItem(item, 'Linked IDs'), 3, 30);
    assert.ok(conversations > 20 && accounts > 5 && linked > 1, `rows checked: ${conversations}, ${accounts}, ${linked}`);
  });

  it('opens a message from the keyboard alone', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.actions.treeView.messengerExplorer.conversations.collapseAll');
    await vscode.commands.executeCommand('messengerExplorer.conversations.focus');
    // Page → (Messenger) → thread → message: Right expands, Down steps onto the first row under it,
    // Enter opens. Each key is followed by waiting for what it shows.
    const focused = async () => {
      const rows = await ui.treeRows('Conversations');
      const at = rows.findIndex((r) => r.focused);
      assert.ok(at >= 0, 'a focused row');
      return { row: rows[at] ?? assert.fail(), next: rows[at + 1] };
    };
    const depth = sim.world.pages[0]?.instagram ? 4 : 3;
    await ui.press('Home');
    await eventually(async () => assert.equal((await focused()).row.level, 1), 5_000, 'the first Page focused');
    for (let level = 1; level < depth; level++) {
      await ui.press('ArrowRight');
      await eventually(
        async () => {
          const { row, next } = await focused();
          assert.equal(row.expanded, true, `${row.label} expanded`);
          assert.equal(next?.level, level + 1, `a row under ${row.label}`);
        },
        15_000,
        `the row at level ${level} expanded by Right`,
      );
      await ui.press('ArrowDown');
      await eventually(async () => assert.equal((await focused()).row.level, level + 1), 5_000, `Down onto level ${level + 1}`);
    }
    assert.equal((await focused()).row.expanded, undefined, 'a message row (a leaf) is focused');
    await ui.press('Enter');
    await eventually(
      () => assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'messenger-explorer'),
      15_000,
      'a message opened with Enter',
    );
  });
});
