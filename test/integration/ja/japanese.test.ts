import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/vscode/activate';
import type { ConversationNode, PageNode } from '../../../src/core/explorer/nodes';
import type { GraphSimulator } from '../../../simulator/index';
import { checkWalkthrough, screenshotNotifications, showThread } from '../support/displayLanguage';
import { activateExtension, EXTENSION_ID } from '../support/extension';
import { control, faultsServed, logMark, startSimulatorFor, useGraphHost } from '../support/simulator';
import { expandInView } from '../support/tree';
import { eventually, notificationTexts, ui, uiDriverAvailable } from '../support/ui';

/** The translations the extension ships, read from the extension itself. */
function shipped(): { nls: Record<string, string>; bundle: Record<string, string> } {
  const root = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? assert.fail('the extension is installed');
  return {
    nls: JSON.parse(readFileSync(join(root, 'package.nls.ja.json'), 'utf8')) as Record<string, string>,
    bundle: JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>,
  };
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** A translation with its {0}, {1}… placeholders as wildcards, matched whole. */
function templatePattern(translation: string): RegExp {
  const parts = translation.split(/\{\d+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`, 's');
}

describe('Messenger Explorer with the Japanese display language (--locale ja)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: GraphSimulator;
  const { nls, bundle } = shipped();
  const conversationsTitle = nls['view.conversations'];

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
  });

  after(async () => {
    await sim?.stop();
    if (api) {
      await useGraphHost(api, undefined);
    }
  });

  it("runs with Japanese as VS Code's display language", () => {
    assert.equal(vscode.env.language, 'ja');
    assert.equal(vscode.l10n.t('Load more…'), bundle['Load more…']);
    assert.match(bundle['Load more…'], JAPANESE);
  });

  it('shows the walkthrough in Japanese: its steps and the drawings of the steps', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await checkWalkthrough('ja');
  });

  it('shows its view titles and welcome view in Japanese', async () => {
    assert.match(conversationsTitle, JAPANESE);
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    const welcome = await eventually(
      async () => {
        const text = await ui.welcomeText(conversationsTitle);
        assert.ok(text.includes(nls['command.connectSimulator'].replace(/…$/, '')), `welcome: ${text}`);
        return text;
      },
      15_000,
      'the Japanese welcome view',
    );
    assert.match(welcome, JAPANESE);
    assert.doesNotMatch(welcome, /Connect to Local Simulator/);
    const headers = await ui.visibleText('.pane-header h3');
    assert.ok(
      headers.some((h) => h.includes(nls['view.accounts'])),
      `pane headers: ${headers.join(' | ')}`,
    );
    await ui.screenshot('ja-welcome');
  });

  it('speaks Japanese at run time: notifications, tree rows, times and errors', async () => {
    sim = await startSimulatorFor(api, { seed: 11, conversationsPerPage: 40 });
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    const connected = bundle['Connected to the local simulator as {0}: {1} Page(s).'].split('{0}')[0].trim();
    await eventually(
      async () =>
        assert.ok(
          (await notificationTexts()).some((t) => t.includes(connected)),
          connected,
        ),
      15_000,
      'the Japanese notification',
    );
    await screenshotNotifications('ja-notification');

    const pages = (await api.trees.conversations.getChildren()).filter((n): n is PageNode => n.kind === 'page');
    const plain = pages.find((p) => !p.page.instagram) ?? assert.fail('a Page without Instagram');
    await expandInView(api, plain);
    const threads = await api.trees.conversations.getChildren(plain);
    const thread = threads.find((n): n is ConversationNode => n.kind === 'conversation') ?? assert.fail('a thread');
    const more = threads.find((n) => n.kind === 'loadMore') ?? assert.fail('a "Load more" row: the Page has more threads than a page size');
    assert.equal(api.trees.conversations.getTreeItem(more).label, bundle['Load more…']);
    const description = String(api.trees.conversations.getTreeItem(thread).description ?? '');
    assert.match(description, /前|昨日|今日|日|時間|分|週|月|年/, `a Japanese relative time: ${description}`);
    // What a screen reader announces for the rows on screen comes from the Japanese bundle too.
    const conversationWith = templatePattern(bundle['Conversation with {0}, {1}']);
    await eventually(
      async () => {
        const rows = await ui.treeRows(conversationsTitle);
        assert.ok(
          rows.some((r) => conversationWith.test(r.ariaLabel)),
          rows.map((r) => r.ariaLabel).join(' | '),
        );
      },
      20_000,
      'thread rows announced in Japanese',
    );
    // Another thread than the one that fails below: its messages are listed once, then kept.
    const listed = threads.filter((n): n is ConversationNode => n.kind === 'conversation')[1] ?? assert.fail('a second thread');
    await showThread(api, listed);
    await eventually(
      async () => assert.ok((await ui.treeRows(conversationsTitle)).some((r) => r.level > 2)),
      20_000,
      'the messages of a thread',
    );
    await ui.screenshot('ja-tree');

    const beforeFault = logMark(sim);
    await control(sim, '/faults', {
      rules: [
        {
          kind: 'graphError',
          code: 10,
          message: '(#10) Requires pages_messaging permission',
          match: `${plain.page.id}/conversations`,
          times: 1,
        },
      ],
    });
    // The Page's own request brings its threads' messages: the Page's reload is what fails here.
    await vscode.commands.executeCommand('messengerExplorer.refreshNode', plain);
    const error = (await api.trees.conversations.getChildren(plain)).find((n) => n.kind === 'error') ?? assert.fail('an error row');
    assert.equal(faultsServed(sim, 'graphError', { since: beforeFault }).served, 1, 'the permission error was served once');
    const item = api.trees.conversations.getTreeItem(error);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    assert.ok(label.startsWith(bundle['Could not load: {0}'].split('{0}')[0]), label);
    assert.match(typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''), JAPANESE);
    assert.match(item.accessibilityInformation?.label ?? '', JAPANESE);
    assert.doesNotMatch(item.accessibilityInformation?.label ?? '', /。。|\.\./, 'one full stop, not two');
    await api.views.conversations.reveal(error, { select: false, focus: false });
    const shown = await eventually(
      async () =>
        (await ui.treeRows(conversationsTitle)).find((r) => r.label === label) ?? assert.fail(`the error row "${label}" on screen`),
      20_000,
      'the error row on screen',
    );
    assert.match(shown.ariaLabel, JAPANESE);
    await ui.screenshot('ja-error');
    await vscode.commands.executeCommand('messengerExplorer.retry', error);
  });

  it("reads a conversation in Japanese: the transcript's region and its messages are announced from the Japanese bundle", async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const pages = (await api.trees.conversations.getChildren()).filter((n): n is PageNode => n.kind === 'page');
    const plain = pages.find((p) => !p.page.instagram) ?? assert.fail('a Page without Instagram');
    const thread =
      (await api.trees.conversations.getChildren(plain)).find((n): n is ConversationNode => n.kind === 'conversation') ??
      assert.fail('a thread');
    await vscode.commands.executeCommand('messengerExplorer.openConversation', thread);
    const probe = await eventually(
      async () => {
        const p = await ui.webviewProbe();
        assert.ok(p.articles > 0, 'messages rendered');
        return p;
      },
      20_000,
      'the transcript',
    );
    assert.equal(probe.logRole, 'log');
    assert.match(probe.logLabel, templatePattern(bundle['Conversation with {0}']));
    const articles = await ui.webviewArticles();
    // "Anh Lê, 11月20日 10:14: …": a Japanese date in every message's accessible name.
    assert.ok(
      articles.every((a) => /月|日/.test(a.ariaLabel)),
      articles
        .map((a) => a.ariaLabel)
        .slice(0, 3)
        .join(' | '),
    );
    await ui.screenshot('ja-conversation');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows a resolved ID in the Linked IDs view in Japanese', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await vscode.commands.executeCommand('messengerExplorer.openSampleWebhook');
    await vscode.commands.executeCommand('messengerExplorer.resolveAtCursor');
    await vscode.commands.executeCommand('messengerExplorer.linkedIds.focus');
    const via = bundle['via Page {0}'].split('{0}')[0].trim();
    await eventually(
      async () => {
        const rows = await ui.treeRows(nls['view.linkedIds']);
        const resolved = rows.find((r) => r.level === 1) ?? assert.fail('a resolved ID');
        assert.ok(resolved.description.startsWith(via), `${resolved.label} — ${resolved.description}`);
        assert.match(resolved.ariaLabel, JAPANESE);
      },
      20_000,
      'the resolved ID in Linked IDs',
    );
    await ui.screenshot('ja-linked-ids');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
