import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';
import type { WalkthroughStepState } from './support/uiProtocol';

/** Step ids end so; VS Code puts the extension and walkthrough in front (`<extension>#<walkthrough>#<step>`). */
const RESOLVE = '#messengerExplorer.gettingStarted#resolve';
const TOKENS = '#messengerExplorer.gettingStarted#tokens';

describe('Walkthrough ticks only what the user did, read on the Welcome page', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: GraphSimulator;

  /** The step as the Welcome page shows it (the walkthrough must be the visible editor). */
  const step = async (id: string): Promise<WalkthroughStepState> =>
    (await ui.walkthroughSteps()).find((s) => s.id.endsWith(id)) ?? assert.fail(`the Welcome page shows step ${id}`);
  /** Waits for the step to show as done (or not) and answers it. */
  const stepShows = (id: string, done: boolean, what: string) =>
    eventually(
      async () => {
        const shown = await step(id);
        assert.equal(shown.done, done, `${shown.title}: ${done ? 'ticked' : 'not ticked'}`);
        return shown;
      },
      10_000,
      what,
    );
  /** Opens the walkthrough as its entry in the Conversations view's menu does, and waits for its steps. */
  const openWalkthrough = async () => {
    await vscode.commands.executeCommand('messengerExplorer.gettingStarted');
    await eventually(async () => assert.ok((await ui.walkthroughSteps()).length >= 4), 15_000, 'the walkthrough steps');
  };
  /** Selects a step by its title, then clicks the button in it, as a person does. */
  const clickStepButton = async (id: string, button: string) => {
    const { title } = await step(id);
    await ui.clickText(`.getting-started-step[data-step-id$="${id}"] .step-title`, title);
    await ui.clickText(`.getting-started-step[data-step-id$="${id}"] .button-container .monaco-button`, button);
  };

  before(async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 4 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Setup no UI offers: a profile that ticked these steps before starts with them open again.
    await openWalkthrough();
    await vscode.commands.executeCommand('setContext', 'messengerExplorer.resolvedAnId', false);
    for (const id of [RESOLVE, TOKENS]) {
      await vscode.commands.executeCommand('welcome.markStepIncomplete', (await step(id)).id);
    }
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim?.stop();
  });

  it('"Resolve Linked IDs" pressed on the Welcome page with no ID at hand says so, and the step stays open', async () => {
    await openWalkthrough();
    await stepShows(RESOLVE, false, 'the resolve step open at the start');
    await vscode.commands.executeCommand('notifications.clearAll');
    await clickStepButton(RESOLVE, 'Resolve Linked IDs');
    const said = await eventually(
      async () => (await notificationTexts()).find((t) => /No ID under the cursor/.test(t)) ?? assert.fail('no notification yet'),
      10_000,
      'the notification',
    );
    assert.match(said, /Put the cursor on a PSID/);
    await ui.screenshot('walkthrough-resolve-not-ticked');
    // Give a wrong tick every chance to show: the step list is rebuilt on context changes.
    await stepShows(RESOLVE, false, 'the resolve step still open after a failed resolution');
  });

  it('a real resolution from an editor ticks the step', async () => {
    await vscode.commands.executeCommand('messengerExplorer.openSampleWebhook');
    const resolution = await vscode.commands.executeCommand<{ id: string } | undefined>('messengerExplorer.resolveAtCursor');
    assert.ok(resolution?.id, 'resolved the sample’s PSID');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await openWalkthrough();
    await stepShows(RESOLVE, true, 'the resolve step ticked after a resolution');
    await ui.screenshot('walkthrough-resolve-ticked');
  });

  it('"Know where your tokens are": opening the sidebar does not tick it; its Show Accounts button does', async () => {
    await openWalkthrough();
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    await vscode.commands.executeCommand('messengerExplorer.accounts.focus');
    await stepShows(TOKENS, false, 'the tokens step open after the sidebar opened');
    await clickStepButton(TOKENS, 'Show Accounts');
    await stepShows(TOKENS, true, 'the tokens step ticked by its own button');
  });
});
