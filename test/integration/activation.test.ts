import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './support/extension';
import { eventually, ui, uiDriverAvailable } from './support/ui';

const CONTAINER = 'Messenger Explorer';
const VIEW = 'Conversations';

describe('Activation and the sidebar', () => {
  it('declares lazy activation: after startup, never on *', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'extension is installed');
    const manifest = extension.packageJSON as { activationEvents?: string[] };
    assert.ok(!(manifest.activationEvents ?? []).includes('*'), 'no * activation');
    assert.ok((manifest.activationEvents ?? []).includes('onStartupFinished'), 'activates once the window has started');
  });

  it('activates when its view is opened, and shows the welcome view with no account', async function () {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    const api = await activateExtension();
    assert.ok(api.activationMs < 1000, `activation took ${api.activationMs} ms`);
    await api.internals.vault.clear();
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const text = await eventually(
      async () => {
        const t = await ui.welcomeText(VIEW);
        assert.match(t, /Connect to Local Simulator/);
        return t;
      },
      15_000,
      'the welcome view',
    );
    assert.match(text, /Messenger and Instagram/);
  });

  it('registers every command it contributes', async () => {
    const registered = await vscode.commands.getCommands(true);
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } };
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.includes(id));
    assert.deepEqual(missing, [], 'contributed commands without a handler');
  });

  it('stores, reads and clears a secret through context.secrets', async () => {
    const api = await activateExtension();
    await api.internals.vault.store('graph.example.test', 'page/123', 'secret-value-for-test');
    assert.equal(await api.internals.vault.get('graph.example.test', 'page/123'), 'secret-value-for-test');
    assert.ok((await api.internals.vault.keys()).includes('messengerExplorer/graph.example.test/page/123'));
    await api.internals.vault.clear();
    assert.deepEqual(await api.internals.vault.keys(), []);
    assert.equal(await api.internals.vault.get('graph.example.test', 'page/123'), undefined);
  });

  it('has an activity-bar entry with its own title', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const labels = await ui.visibleText('.activitybar .action-label');
    void labels;
    const aria = await ui.visibleText(`.activitybar .action-item:has(.action-label[aria-label^="${CONTAINER}"])`);
    assert.equal(aria.length, 1);
  });
});
