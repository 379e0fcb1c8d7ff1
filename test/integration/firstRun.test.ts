import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension } from './support/extension';
import { eventually, ui, uiDriverAvailable } from './support/ui';

/**
 * The first activation in a new profile, as a new user meets it. The session's profile is fresh and
 * an extension activates once per session, so this suite runs before every other (support/mochaSuite.ts).
 */
describe('First run: a new user meets the walkthrough and the welcome view', function () {
  this.timeout(60_000);

  it('opens the walkthrough by itself on the first activation in a new profile, and remembers it was shown', async function () {
    const api = await activateExtension();
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await eventually(
      async () => {
        const text = (await ui.visibleText('.gettingStartedContainer')).join('\n');
        assert.match(text, /Get Started with Messenger Explorer/);
        assert.match(text, /Connect an account/);
        assert.match(text, /Resolve an ID from an editor/);
      },
      15_000,
      'the walkthrough, opened by the first activation',
    );
    await ui.screenshot('walkthrough');
    // What keeps it from opening again in this profile.
    assert.equal(api.storage.globalState.get('messengerExplorer.welcomed'), true, 'stored as shown');
    // Beside it, the sidebar's welcome view offers the first step.
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    await eventually(
      async () => assert.match(await ui.welcomeText('Conversations'), /Connect to Local Simulator/),
      15_000,
      'the welcome view',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
