import * as vscode from 'vscode';
import { notificationTexts, ui } from '../integration/support/ui';
import type { WalkthroughStepState } from '../integration/support/uiProtocol';
import { equal, eventually, ok } from './expect';

/** Put in by the harness when it bundles this suite. */
const CONNECT_URL = `${process.env.MX_WEB_SIMULATOR_URL ?? ''}/?key=${encodeURIComponent(process.env.MX_WEB_SIMULATOR_KEY ?? '')}`;
/** Step ids end so; VS Code puts the extension and walkthrough in front (`<extension>#<walkthrough>#<step>`). */
const RESOLVE = '#messengerExplorer.gettingStarted#resolve';
const TOKENS = '#messengerExplorer.gettingStarted#tokens';

/**
 * The browser build's walkthrough ticks what the user did, read on the web workbench's Welcome page.
 * Runs first in its window: VS Code counts each completion event once per window.
 */
describe('Browser build: the walkthrough ticks only what the user did', function () {
  const step = async (id: string): Promise<WalkthroughStepState> => {
    const found = (await ui.walkthroughSteps()).find((s) => s.id.endsWith(id));
    ok(found, `the Welcome page shows step ${id}`);
    return found;
  };
  const stepShows = async (id: string, done: boolean, what: string): Promise<void> => {
    await eventually(async () => (await step(id)).done === done, 10_000, what);
    equal((await step(id)).done, done, `${id} ticked`);
  };
  const openWalkthrough = async (): Promise<void> => {
    await vscode.commands.executeCommand('messengerExplorer.gettingStarted');
    await eventually(async () => (await ui.walkthroughSteps()).length >= 4, 15_000, 'the walkthrough steps');
  };
  /** Selects a step by its title, then clicks the button in it, as a person does. */
  const clickStepButton = async (id: string, button: string): Promise<void> => {
    const { title } = await step(id);
    await ui.clickText(`.getting-started-step[data-step-id$="${id}"] .step-title`, title);
    await ui.clickText(`.getting-started-step[data-step-id$="${id}"] .button-container .monaco-button`, button);
  };

  before(async () => {
    await vscode.extensions.getExtension('messenger-explorer.messenger-explorer')?.activate();
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', CONNECT_URL);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Resolve Linked IDs" pressed on the Welcome page with no ID at hand says so and leaves the step open; a real resolution ticks it', async () => {
    await openWalkthrough();
    await stepShows(RESOLVE, false, 'the resolve step open at the start');
    await vscode.commands.executeCommand('notifications.clearAll');
    await clickStepButton(RESOLVE, 'Resolve Linked IDs');
    await eventually(async () => (await notificationTexts()).some((t) => /No ID under the cursor/.test(t)), 10_000, 'the notification');
    await ui.screenshot('web-4-walkthrough-resolve-not-ticked');
    await stepShows(RESOLVE, false, 'the resolve step still open after a failed resolution');

    await vscode.commands.executeCommand('messengerExplorer.openSampleWebhook');
    const editor = vscode.window.activeTextEditor;
    ok(editor && /"sender"/.test(editor.document.getText()), `the sample webhook is open: ${(await notificationTexts()).join(' / ')}`);
    const resolution = await vscode.commands.executeCommand<{ id: string } | undefined>('messengerExplorer.resolveAtCursor');
    ok(
      resolution?.id,
      `resolved the sample’s PSID at ${editor.selection.active.line}:${editor.selection.active.character}: ${(await notificationTexts()).join(' / ')}`,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await openWalkthrough();
    await stepShows(RESOLVE, true, 'the resolve step ticked after a resolution');
  });

  it('"Know where your tokens are": opening the sidebar does not tick it; its Show Accounts button does', async () => {
    await openWalkthrough();
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    await vscode.commands.executeCommand('messengerExplorer.accounts.focus');
    await openWalkthrough();
    await stepShows(TOKENS, false, 'the tokens step open after the sidebar opened');
    await clickStepButton(TOKENS, 'Show Accounts');
    await stepShows(TOKENS, true, 'the tokens step ticked by its own button');
  });
});
