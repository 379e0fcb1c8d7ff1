import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/vscode/activate';
import type { ConversationNode, PageNode } from '../../../src/core/explorer/nodes';
import type { GraphSimulator } from '../../../simulator/index';
import { assertInLanguage, checkWalkthrough, screenshotNotifications, shipped, showThread, VIETNAMESE } from '../support/displayLanguage';
import { activateExtension } from '../support/extension';
import { control, startSimulatorFor, useGraphHost } from '../support/simulator';
import { eventually, notificationTexts, ui, uiDriverAvailable } from '../support/ui';

/**
 * What a Vietnamese user sees, read from the DOM of the real VS Code: the walkthrough, the three
 * views, a notification and an error row, each in Vietnamese with no English sentence. The stub
 * language pack leaves VS Code's own chrome in English (VS Code ships no Vietnamese).
 */
describe('Messenger Explorer with the Vietnamese display language (--locale vi)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: GraphSimulator;
  const { nls, bundle } = shipped('vi');
  /** The threads of the first Page without Instagram: a Page's threads sit right under it (level 2). */
  const threadLevel = 2;
  const threadsOfAPage = async () => {
    const pages = (await api.trees.conversations.getChildren()).filter((n): n is PageNode => n.kind === 'page');
    const plain = pages.find((p) => !p.page.instagram) ?? assert.fail('a Page without Instagram');
    return (await api.trees.conversations.getChildren(plain)).filter((n): n is ConversationNode => n.kind === 'conversation');
  };
  const title = (key: string) => nls[key] ?? assert.fail(`no ${key} in package.nls.vi.json`);

  before(async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sim?.stop();
    if (api) {
      await useGraphHost(api, undefined);
    }
  });

  it("runs with Vietnamese as VS Code's display language", () => {
    assert.equal(vscode.env.language, 'vi');
    assert.equal(vscode.l10n.t('Load more…'), bundle['Load more…']);
    assert.match(bundle['Load more…'], VIETNAMESE);
  });

  it('shows the walkthrough in Vietnamese: its steps and the drawings of the steps', async () => {
    await checkWalkthrough('vi');
  });

  it('shows the welcome view and the view titles in Vietnamese', async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    const welcome = await eventually(
      async () => {
        const text = await ui.welcomeText(title('view.conversations'));
        assert.ok(text.includes(title('command.connectSimulator').replace(/…$/, '')), `welcome: ${text}`);
        return text;
      },
      15_000,
      'the Vietnamese welcome view',
    );
    assertInLanguage('vi', welcome, 'the welcome view');
    const headers = await ui.visibleText('.pane-header h3');
    for (const key of ['view.conversations', 'view.linkedIds', 'view.accounts']) {
      assert.ok(
        headers.some((h) => h.toLowerCase().includes(title(key).toLowerCase())),
        `${key} in the pane headers: ${headers.join(' | ')}`,
      );
    }
    await ui.screenshot('vi-welcome');
  });

  it('says "connected" in a Vietnamese notification, and lists threads in Vietnamese', async () => {
    sim = await startSimulatorFor(api, { seed: 11, conversationsPerPage: 40 });
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    const connected = bundle['Connected to the local simulator as {0}: {1} Page(s).'].split('{0}')[0].trim();
    const notification = await eventually(
      async () => (await notificationTexts()).find((t) => t.includes(connected)) ?? assert.fail(`"${connected}" in the notifications`),
      15_000,
      'the Vietnamese notification',
    );
    assertInLanguage('vi', notification, 'the notification');
    await screenshotNotifications('vi-notification');

    const thread = (await threadsOfAPage())[0] ?? assert.fail('a thread');
    await showThread(api, thread);
    const rows = await eventually(
      async () => {
        const r = await ui.treeRows(title('view.conversations'));
        assert.ok(
          r.some((row) => row.level > threadLevel),
          r.map((row) => row.label).join(' | '),
        );
        return r;
      },
      20_000,
      'messages under the thread',
    );
    // Our template on a thread: "2 chưa đọc · 14 tin · 3 giờ trước · <snippet>". Names, snippets and
    // message texts are the people's own words, in whatever language they wrote.
    const threadRows = rows.filter((r) => r.level === threadLevel);
    assert.ok(threadRows.length > 0, rows.map((r) => `${r.level} ${r.label}`).join(' | '));
    for (const row of threadRows) {
      assert.match(row.description, VIETNAMESE, `the thread ${row.label}: ${row.description}`);
    }
    await ui.screenshot('vi-tree');
  });

  it('shows an error row in Vietnamese', async () => {
    const thread = (await threadsOfAPage())[1] ?? assert.fail('a second thread');
    await control(sim, '/faults', {
      rules: [
        { kind: 'graphError', code: 10, message: '(#10) Requires pages_messaging permission', match: thread.conversation.id, times: 1 },
      ],
    });
    // A thread's first messages come with its Page: refreshed on its own, the thread asks again, and that request fails.
    await vscode.commands.executeCommand('messengerExplorer.refreshNode', thread);
    await showThread(api, thread);
    const prefix = bundle['Could not load: {0}'].split('{0}')[0];
    const errorRow = await eventually(
      async () =>
        (await ui.treeRows(title('view.conversations'))).find((r) => r.label.startsWith(prefix)) ??
        assert.fail(`a row starting with "${prefix}"`),
      20_000,
      'the error row',
    );
    // The label and what a screen reader says: ours in Vietnamese; Meta's own message is not repeated in English.
    assertInLanguage('vi', errorRow.label, 'the error row');
    assertInLanguage('vi', errorRow.ariaLabel, "the error row's accessible name");
    assert.doesNotMatch(errorRow.ariaLabel, /\.\.|。。/, 'one full stop, not two');
    await ui.screenshot('vi-error');
  });

  it('shows the Linked IDs and Accounts views in Vietnamese', async () => {
    await vscode.commands.executeCommand('messengerExplorer.openSampleWebhook');
    await vscode.commands.executeCommand('messengerExplorer.resolveAtCursor');
    await vscode.commands.executeCommand('messengerExplorer.linkedIds.focus');
    const via = bundle['via Page {0}'].split('{0}')[0].trim();
    const linked = await eventually(
      async () => {
        const r = await ui.treeRows(title('view.linkedIds'));
        assert.ok(
          r.some((row) => row.description.startsWith(via)),
          r.map((row) => `${row.label} — ${row.description}`).join(' | '),
        );
        return r;
      },
      20_000,
      'the resolved ID in Linked IDs',
    );
    for (const row of linked.filter((r) => r.level === 1)) {
      assertInLanguage('vi', row.ariaLabel, `the Linked IDs row ${row.label}`);
    }
    await ui.screenshot('vi-linked-ids');

    await vscode.commands.executeCommand('messengerExplorer.accounts.focus');
    const accounts = await eventually(
      async () => {
        const r = (await ui.treeRows(title('view.accounts'))).filter((row) => row.level === 1);
        assert.ok(r.length > 0, 'accounts');
        return r;
      },
      15_000,
      'the accounts',
    );
    for (const row of accounts) {
      assertInLanguage('vi', row.description, `the account ${row.label}`);
    }
    await ui.screenshot('vi-accounts');
  });
});
