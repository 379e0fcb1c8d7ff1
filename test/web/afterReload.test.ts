import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import { eventually as waitFor, ui } from '../integration/support/ui';
import { equal, ok } from './expect';

const EXTENSION_ID = 'messenger-explorer.messenger-explorer';
const GONE = /The accounts connected before are gone: this browser host kept their tokens only in memory/;

/**
 * Runs after the harness reloaded the workbench (the first run left an account connected). The
 * test host, like any web host without a secret storage provider, keeps secrets only in memory.
 */
describe('After a reload of a browser host that keeps secrets only in memory', function () {
  before(async () => {
    const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    ok(extension, `${EXTENSION_ID} is installed`);
    ok(await extension.activate(), 'the test API');
  });

  it('1b. says once why the accounts are gone, and the view offers to connect again', async () => {
    await vscode.commands.executeCommand('messengerExplorer.conversations.focus');
    await vscode.commands.executeCommand('notifications.showList');
    try {
      const said = await waitFor(
        async () => {
          const texts = await ui.visibleText('.notifications-center .notification-list-item-message');
          ok(
            texts.some((t) => GONE.test(t)),
            `the notification: ${JSON.stringify(texts)}`,
          );
          return texts;
        },
        15_000,
        'the notification about the vanished accounts',
      );
      equal(said.filter((t) => GONE.test(t)).length, 1, 'notifications about the vanished accounts');
      const text = said.find((t) => GONE.test(t)) ?? '';
      ok(/a reload removed them\. Connect them again/.test(text), `says what happened and what to do: "${text}"`);
      const welcome = await ui.welcomeText('Conversations');
      ok(/Connect/.test(welcome) && /only in memory/.test(welcome), `the view offers to connect: "${welcome}"`);
      // Opened to its full text, as a person clicks its chevron.
      await ui.clickText('.notifications-center .notification-list-item .codicon-notifications-expand', '');
      await ui.screenshot('web-1b-accounts-gone-after-reload');
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });
});
