import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { ConversationNode, ExplorerNode, PageNode } from '../../src/core/explorer/nodes';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, ui, uiDriverAvailable } from './support/ui';

describe('Say only what is true: stale lists after a failed Refresh All, and the walkthrough steps', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: GraphSimulator | undefined;

  /** A Page's threads, through its Messenger group when it has Instagram. */
  const threadsOf = async (page: PageNode): Promise<ExplorerNode[]> => {
    let rows = await api.trees.conversations.getChildren(page);
    const messenger = rows.find((r) => r.kind === 'platform' && r.platform === 'messenger');
    if (messenger) {
      rows = await api.trees.conversations.getChildren(messenger);
    }
    return rows;
  };

  before(async () => {
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 5 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
  });
  after(async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim?.stop();
  });

  it('keeps a non-secret marker that accounts exist, for telling once when a host forgot them', async () => {
    assert.ok(sim);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    await eventually(() => assert.equal(api.storage.globalState.get('messengerExplorer.hadAccounts'), true), 10_000, 'the marker is set');
    const stored = JSON.stringify(api.storage.globalState.keys().map((k) => [k, api.storage.globalState.get(k)]));
    assert.ok(!stored.includes((await api.internals.accounts.pages())[0]?.token ?? '\u0000'), 'no token in globalState');
  });

  it('opens the Accounts view from the walkthrough through a command of its own (what the step completes on)', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('messengerExplorer.walkthrough.showAccounts'));
    // From another sidebar view, as from the walkthrough's link: the Accounts view comes up with the keyboard in it.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('messengerExplorer.walkthrough.showAccounts');
    if (uiDriverAvailable()) {
      await eventually(
        async () =>
          assert.equal((await ui.visibleText('.pane:has(.pane-header[aria-label^="Accounts"]):focus-within .pane-header')).length, 1),
        5_000,
        'the Accounts view shown and focused',
      );
    }
  });

  it('after Refresh All with the host stopped, asks again, keeps the threads and says in the view that they are stale', async () => {
    assert.ok(sim);
    const page = (await api.trees.conversations.getChildren()).find((n): n is PageNode => n.kind === 'page');
    assert.ok(page, 'a Page');
    const before = (await threadsOf(page)).filter((n): n is ConversationNode => n.kind === 'conversation').map((n) => n.conversation.id);
    assert.ok(before.length > 0);
    assert.ok(!api.views.conversations.message, 'no message while the lists are fresh');
    const origin = sim.url;
    await sim.stop();
    sim = undefined;
    const logged = api.internals.log.lines?.length ?? 0;
    await vscode.commands.executeCommand('messengerExplorer.refresh');
    const [again] = (await api.trees.conversations.getChildren()).filter(
      (n): n is PageNode => n.kind === 'page' && n.page.id === page.page.id,
    );
    assert.ok(again);
    const after = (await threadsOf(again)).filter((n): n is ConversationNode => n.kind === 'conversation').map((n) => n.conversation.id);
    assert.deepEqual(after, before, 'the threads loaded before are still shown');
    assert.ok(
      (api.internals.log.lines ?? []).slice(logged).some((l) => /Loading the (messenger )?conversations/.test(l)),
      'Refresh All asked for the lists again (and the failure was logged)',
    );
    const message =
      (await eventually(
        () => api.views.conversations.message ?? assert.fail('no message yet'),
        10_000,
        'the view says the lists are stale',
      )) ?? '';
    assert.match(message, /Could not refresh/);
    assert.ok(message.includes(new URL(origin).host), `the message names the host: ${message}`);
  });
});
