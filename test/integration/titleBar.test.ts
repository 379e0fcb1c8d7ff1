import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { startSimulatorFor, useGraphHost } from './support/simulator';
import { pageRowOf, threadRowsOfPage } from './support/rows';
import { expandInView } from './support/tree';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';

/**
 * VS Code hands a view's title-bar buttons the selected row as their argument. Each button is
 * clicked here with a row selected, and must do what its title says.
 */
describe('Title-bar buttons with a row selected', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: GraphSimulator;

  const quickInputVisible = async () => (await ui.visibleText('.quick-input-widget .quick-input-title')).join(' ');
  const closeQuickInput = () => vscode.commands.executeCommand('workbench.action.closeQuickOpen');

  before(async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 13 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
  });
  after(async () => {
    if (!api) {
      return;
    }
    await closeQuickInput();
    await vscode.commands.executeCommand('messengerExplorer.clearFilter');
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });
  beforeEach(() => vscode.commands.executeCommand('notifications.clearAll'));

  /** The Pages without Instagram, whose threads hang directly under their rows. */
  const plainPages = async () =>
    Promise.all(sim.world.pages.filter((p) => !p.instagram).map(async (p) => (await pageRowOf(api, p.id)).node));

  it('Refresh All refreshes every Page, not only the selected one', async () => {
    const pages = await plainPages();
    assert.ok(pages.length >= 2, 'two Pages without Instagram');
    for (const page of pages) {
      await expandInView(api, page);
    }
    await eventually(async () => assert.ok((await ui.treeRows('Conversations')).some((r) => r.level === 2)), 10_000, 'threads shown');
    await ui.clickRow('Conversations', pages[0]?.page.name ?? '');
    const before = sim.log.length;
    await ui.clickTitleAction('Conversations', 'Refresh All');
    await eventually(
      () => {
        const reloaded = new Set(sim.log.slice(before).map((r) => r.path.split('/')[0]));
        for (const page of pages) {
          assert.ok(reloaded.has(page.page.id), `Page ${page.page.name} was reloaded`);
        }
      },
      10_000,
      'every expanded Page reloaded',
    );
  });

  it('Filter Conversations… asks for the text, even with a row selected', async () => {
    const [page] = await plainPages();
    assert.ok(page);
    await ui.clickRow('Conversations', page.page.name);
    await ui.clickTitleAction('Conversations', 'Filter Conversations');
    await eventually(async () => assert.match(await quickInputVisible(), /Filter Conversations/), 5_000, 'the filter input box');
    const [thread] = await threadRowsOfPage(api, page);
    const person =
      thread?.node.kind === 'conversation' ? thread.node.conversation.participants.find((p) => p.id !== page.page.id) : undefined;
    assert.ok(person?.name);
    await ui.type(person.name);
    await ui.press('Enter');
    await eventually(
      () => assert.equal(api.views.conversations.description, `Filter: ${person.name}`),
      5_000,
      'the filter shown on the view',
    );
    await vscode.commands.executeCommand('messengerExplorer.clearFilter');
    assert.deepEqual(await notificationTexts(), [], 'no error');
  });

  it("Find a User's Thread… asks for the ID, even with a row selected", async () => {
    const [page] = await plainPages();
    assert.ok(page);
    await ui.clickRow('Conversations', page.page.name);
    await ui.clickTitleAction('Conversations', 'Find a User');
    await eventually(async () => assert.match(await quickInputVisible(), /Find a User/), 5_000, 'the ID input box');
    await closeQuickInput();
    assert.deepEqual(await notificationTexts(), [], 'no error');
  });

  it('Resolve Linked IDs… asks for the ID, even with a Linked IDs row selected', async () => {
    const [page] = await plainPages();
    assert.ok(page);
    const thread = (await api.trees.conversations.getChildren(page)).find((n) => n.kind === 'conversation');
    await vscode.commands.executeCommand('messengerExplorer.resolveParticipant', thread);
    const rows = await eventually(
      async () => {
        const all = await ui.treeRows('Linked IDs');
        assert.ok(all.length > 0);
        return all;
      },
      10_000,
      'a Linked IDs row',
    );
    await ui.clickRow('Linked IDs', rows[0]?.label ?? '');
    await ui.clickTitleAction('Linked IDs', 'Resolve Linked IDs');
    await eventually(async () => assert.match(await quickInputVisible(), /Resolve Linked IDs/), 5_000, 'the ID input box');
    await closeQuickInput();
    assert.deepEqual(await notificationTexts(), [], 'no error');
  });

  it('Check Tokens checks every token, even with an account row selected', async () => {
    const rows = await eventually(
      async () => {
        const all = await ui.treeRows('Accounts');
        assert.ok(all.length > 1);
        return all;
      },
      10_000,
      'account rows',
    );
    await ui.clickRow('Accounts', rows.at(-1)?.label ?? '');
    const before = sim.log.length;
    await ui.clickTitleAction('Accounts', 'Check Tokens');
    const tokens = (await api.internals.accounts.accounts()).filter((a) => a.kind !== 'app').length;
    // Each token is inspected with /debug_token inside a batch request of its own.
    await eventually(
      () =>
        assert.ok(
          sim.log.slice(before).filter((r) => r.method === 'POST' && (r.batchSize ?? 0) > 0).length >= tokens,
          `debug_token for ${tokens} tokens`,
        ),
      10_000,
      'every token checked',
    );
    assert.deepEqual(await notificationTexts(), [], 'no error');
  });
});
