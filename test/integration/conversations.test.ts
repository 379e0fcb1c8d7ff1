import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { ConversationNode, ExplorerNode, PageNode } from '../../src/core/explorer/nodes';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { control, faultsServed, logMark, startSimulatorFor, useGraphHost } from './support/simulator';
import { errorRowUnder, isLoadMoreRow, isMessageRow, isThreadRow, loadedRowsUnder, rowsUnder, threadRowsOfPage } from './support/rows';
import { expandInView, renderedErrorRowUnder, renderedRowsUnder } from './support/tree';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';

const VIEW = 'Conversations';

function labelText(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

describe('The conversations explorer in the real tree', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: GraphSimulator;

  const roots = async () => (await api.trees.conversations.getChildren()).filter((n): n is PageNode => n.kind === 'page');
  const pageNamed = async (name: string) => {
    const node = (await roots()).find((p) => p.page.name === name);
    assert.ok(node, `Page ${name}`);
    return node;
  };
  const igPage = () => sim.world.pages.find((p) => p.instagram) ?? assert.fail('a Page with Instagram');
  const plainPage = () => sim.world.pages.find((p) => !p.instagram) ?? assert.fail('a Page without Instagram');
  /** Expands a node in the real tree view (the view's own reveal, as the keyboard's Right does), until its row shows expanded. */
  const expand = (node: ExplorerNode) => expandInView(api, node);
  const requestsDuring = async (work: () => Promise<unknown>) => {
    const before = sim.log.length;
    await work();
    return sim.log.slice(before);
  };
  const rows = () => ui.treeRows(VIEW);

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 5, hostile: true, people: 120, conversationsPerPage: 60 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
  });
  after(async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });
  beforeEach(async () => {
    sim.reset();
    await vscode.commands.executeCommand('messengerExplorer.clearFilter');
    // Collapse first: a refresh reloads whatever is still expanded.
    await vscode.commands.executeCommand('workbench.actions.treeView.messengerExplorer.conversations.collapseAll');
    await vscode.commands.executeCommand('messengerExplorer.refresh');
    if (uiDriverAvailable()) {
      await eventually(
        async () => assert.equal((await rows()).filter((r) => r.level === 1).length, sim.world.pages.length),
        10_000,
        'the refreshed Pages',
      );
    }
  });

  it('lists the connected Pages, and a Page with Instagram loads both platforms in one request', async function () {
    const names = (await roots()).map((p) => p.page.name).sort();
    assert.deepEqual(names, sim.world.pages.map((p) => p.name).sort());
    const node = await pageNamed(igPage().name);
    const requests = await requestsDuring(async () => {
      await expand(node);
      await threadRowsOfPage(api, node, 'both lists');
      for (const group of await rowsUnder(api, node)) {
        await expand(group.node);
      }
    });
    assert.equal(requests.length, 1, JSON.stringify(requests.map((r) => r.path)));
    assert.equal(requests[0]?.batchSize, 2);
    const [messenger, instagram] = await rowsUnder(api, node);
    assert.deepEqual([messenger?.contextValue, instagram?.contextValue], ['platform.messenger', 'platform.instagram']);
    assert.equal(messenger?.description, '25 threads, more to load', 'the platform row says what is loaded in words');
    assert.equal((await rowsUnder(api, messenger?.node)).filter(isThreadRow).length, 25);
    assert.ok((await rowsUnder(api, instagram?.node)).filter(isThreadRow).length > 0);
    if (uiDriverAvailable()) {
      await eventually(
        async () => {
          const labels = (await rows()).map((r) => r.label);
          assert.ok(labels.includes('Messenger') && labels.includes('Instagram'), labels.join(', '));
          const conversation = (await rows()).find((r) => r.level === 3);
          assert.ok(conversation, 'a conversation row');
          assert.match(conversation.ariaLabel, /Conversation with /);
        },
        10_000,
        'the platform groups and threads',
      );
    }
  });

  it("expands a Page without Instagram with one request, which brings its first threads' newest messages: a thread then costs none", async () => {
    const node = await pageNamed(plainPage().name);
    const pageRequests = await requestsDuring(async () => {
      await expand(node);
      await loadedRowsUnder(api, node, 'the threads', 10_000);
    });
    assert.deepEqual(
      pageRequests.map((r) => [r.path, r.query.platform, r.query.limit]),
      [[`${plainPage().id}/conversations`, 'messenger', '25']],
    );
    assert.match(pageRequests[0]?.query.fields ?? '', /,messages\.limit\(20\)\{/, 'bounded: 20 per thread, the first page of threads only');
    const conversation = (await api.trees.conversations.getChildren(node)).find((n): n is ConversationNode => n.kind === 'conversation');
    assert.ok(conversation);
    const messageRequests = await requestsDuring(async () => {
      await expand(conversation);
      await loadedRowsUnder(api, conversation, 'the messages', 10_000);
    });
    assert.deepEqual(
      messageRequests.map((r) => r.path),
      [],
      'no request: the messages came with the Page',
    );
    // Times read one way: threads say how long ago in numbers, messages say when exactly (order matters there).
    const threadTimes = (await rowsUnder(api, node)).filter(isThreadRow).map((row) => row.description);
    assert.ok(
      threadTimes.every((d) => !/yesterday|last |next /.test(d)) &&
        threadTimes.some((d) => /\d+ (min|hr|day|days|wk|mo|yr)\.? ago/.test(d)),
      threadTimes.join(' | '),
    );
    const messageTimes = (await rowsUnder(api, conversation)).filter(isMessageRow).map((row) => row.description);
    assert.ok(messageTimes.length > 0 && messageTimes.every((d) => /\d{1,2}:\d{2}/.test(d) && !/ ago/.test(d)), messageTimes.join(' | '));
    const messages = (await rowsUnder(api, conversation)).flatMap((row) => (row.node.kind === 'message' ? [row.node.message] : []));
    assert.ok(messages.length > 0);
    for (let i = 1; i < messages.length; i++) {
      assert.ok((messages[i - 1]?.createdTime ?? 0) >= (messages[i]?.createdTime ?? 0), 'newest first');
    }
    if (uiDriverAvailable()) {
      await eventually(
        async () => {
          const messageRows = (await rows()).filter((r) => r.level === 3);
          assert.ok(messageRows.length > 0, 'message rows');
          assert.ok(
            messageRows.some((r) => /Message from .+, .+: /.test(r.ariaLabel)),
            JSON.stringify(messageRows[0]),
          );
        },
        10_000,
        'the message rows',
      );
    }
  });

  it('loads more into the same list with one request, clicked in the real tree', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const node = await pageNamed(plainPage().name);
    await expand(node);
    await loadedRowsUnder(api, node, 'the first page', 10_000);
    const threadRows = async () => (await rowsUnder(api, node)).filter(isThreadRow).length;
    const first = await threadRows();
    await api.views.conversations.reveal((await api.trees.conversations.getChildren(node)).at(-1) as ExplorerNode, {
      select: false,
      focus: false,
    });
    const requests = await requestsDuring(async () => {
      await ui.clickRow(VIEW, 'Load more…');
      await eventually(async () => assert.ok((await threadRows()) > first), 10_000, 'the second page');
    });
    assert.equal(requests.length, 1);
    assert.ok(requests[0]?.query.after, 'the next page comes from the after cursor');
    assert.equal(
      await threadRows(),
      Math.min(
        50,
        sim.world.conversations.get(plainPage().id)?.filter((c) => c.platform === 'messenger' && c.folder === 'inbox').length ?? 0,
      ),
    );
  });

  it('opens message details in a read-only document with one request', async () => {
    const node = await pageNamed(plainPage().name);
    await expand(node);
    await loadedRowsUnder(api, node, 'threads', 10_000);
    const conversation = (await api.trees.conversations.getChildren(node)).find(
      (n): n is ConversationNode => n.kind === 'conversation' && !n.conversation.participants.some((p) => p.name?.startsWith('Mallory')),
    );
    assert.ok(conversation);
    const message = (await api.trees.conversations.getChildren(conversation)).find((n) => n.kind === 'message');
    assert.ok(message);
    const requests = await requestsDuring(() => Promise.resolve(vscode.commands.executeCommand('messengerExplorer.openMessage', message)));
    assert.equal(requests.length, 1);
    assert.match(requests[0]?.query.fields ?? '', /reactions/);
    const editor = await eventually(
      () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'messenger-explorer') ?? assert.fail('no detail editor'),
      5_000,
      'the detail document',
    );
    const text = editor.document.getText();
    assert.match(editor.document.uri.path, /\/Message from .+ · .+\.txt$/, 'the tab says whose message it is and when');
    assert.match(text, /^Message m_/);
    assert.match(text, /From:\s+.+\(\d+\)/);
    assert.match(text, /Raw JSON:\n\{/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("explains Instagram's 20-most-recent rule instead of failing", async () => {
    const node = await pageNamed(igPage().name);
    await expand(node);
    const instagram =
      (await rowsUnder(api, node)).find((row) => row.contextValue === 'platform.instagram')?.node ?? assert.fail('Instagram');
    await loadedRowsUnder(api, instagram, 'IG threads', 10_000);
    const long = (await api.trees.conversations.getChildren(instagram)).find(
      (n): n is ConversationNode => n.kind === 'conversation' && (n.conversation.messageCount ?? 0) > 22,
    );
    assert.ok(long, 'an Instagram thread with more than 20 messages');
    await expand(long);
    await loadedRowsUnder(api, long, 'messages', 10_000);
    // Load more until the list ends, as a person clicking "Load more…" would.
    for (let more = (await rowsUnder(api, long)).find(isLoadMoreRow); more; more = (await rowsUnder(api, long)).find(isLoadMoreRow)) {
      await vscode.commands.executeCommand('messengerExplorer.loadMore', more.node);
    }
    const children = await api.trees.conversations.getChildren(long);
    const old = children.filter((n) => n.kind === 'message' && n.message.text === undefined && n.message.from === undefined);
    assert.ok(old.length > 0, 'older messages come back with only id and time');
    const item = api.trees.conversations.getTreeItem(old[0]);
    assert.equal(item.label, 'Details unavailable');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('messengerExplorer.openMessage', old[0]);
    const editor = await eventually(
      () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'messenger-explorer') ?? assert.fail('no document'),
      5_000,
      'the document',
    );
    assert.match(editor.document.getText(), /only the 20 most recent messages/);
    if (uiDriverAvailable()) {
      assert.deepEqual(await notificationTexts(), [], 'no error popup');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows an error row with Retry, and the rest of the tree keeps working', async () => {
    const broken = await pageNamed(plainPage().name);
    const other = await pageNamed(igPage().name);
    const beforeFault = logMark(sim);
    await control(sim, '/faults', {
      rules: [{ kind: 'graphError', code: 100, subcode: 33, match: `${plainPage().id}/conversations`, times: 1 }],
    });
    await vscode.commands.executeCommand('messengerExplorer.refreshNode', broken);
    await expand(broken);
    await errorRowUnder(api, broken, 'the failure', 10_000);
    assert.equal(faultsServed(sim, 'graphError', { since: beforeFault }).served, 1, 'the unknown-ID error was served once');
    const errorNode = (await api.trees.conversations.getChildren(broken)).find((n) => n.kind === 'error');
    assert.ok(errorNode, 'an error row');
    await expand(other);
    await threadRowsOfPage(api, other, 'another Page still loads', 10_000);
    const before = logMark(sim);
    if (uiDriverAvailable()) {
      // A click on the row, as a person retries.
      const shown = await renderedErrorRowUnder(api, broken, 'the error row drawn');
      assert.equal(shown.description, 'Retry');
      await ui.clickRow(VIEW, shown.label);
    } else {
      await vscode.commands.executeCommand('messengerExplorer.retry', errorNode);
    }
    assert.ok((await loadedRowsUnder(api, broken, 'the retried threads')).some(isThreadRow));
    assert.ok(
      sim.log.some((r) => r.seq > before && r.path.includes(`${plainPage().id}/conversations`)),
      'the retry asked again',
    );
  });

  it('Retry by Enter on the error row keeps the keyboard in the list: the first thread gets the focus, not the Page', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const broken = await pageNamed(plainPage().name);
    const beforeFault = logMark(sim);
    await control(sim, '/faults', {
      rules: [{ kind: 'graphError', code: 100, subcode: 33, match: `${plainPage().id}/conversations`, times: 1 }],
    });
    await vscode.commands.executeCommand('messengerExplorer.refreshNode', broken);
    await expand(broken);
    const error = await errorRowUnder(api, broken, 'the failure');
    assert.equal(faultsServed(sim, 'graphError', { since: beforeFault }).served, 1, 'the unknown-ID error was served once');
    await api.views.conversations.reveal(error.node, { select: true, focus: true });
    await eventually(
      async () => assert.ok((await rows()).some((r) => r.focused && r.label === error.label)),
      5_000,
      'the error row focused',
    );
    await ui.press('Enter');
    const [first] = (await loadedRowsUnder(api, broken, 'the retried threads')).filter(isThreadRow);
    assert.ok(first, 'a thread row');
    await eventually(
      async () => {
        const focused = (await rows()).filter((r) => r.focused);
        assert.deepEqual(
          focused.map((r) => [r.level, r.label]),
          [[2, first.label]],
        );
      },
      5_000,
      'the focus on the first thread',
    );
  });

  it('keeps expansion across a refresh (stable ids), reloading with one request per open list', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const node = await pageNamed(plainPage().name);
    await expand(node);
    await eventually(
      async () => assert.ok((await rows()).some((r) => r.label === plainPage().name && r.expanded === true)),
      10_000,
      'expanded',
    );
    const before = sim.log.length;
    await vscode.commands.executeCommand('messengerExplorer.refresh');
    await eventually(() => assert.ok(sim.log.length > before), 10_000, 'the reload');
    const threads = await loadedRowsUnder(api, node, 'the reloaded threads', 10_000);
    // Done when the view draws the reloaded thread rows under the still-expanded Page and nothing
    // is in flight: a second reload would have been asked for by then.
    await eventually(
      async () => {
        const shown = await rows();
        const at = shown.findIndex((r) => r.level === 1 && r.label === plainPage().name);
        assert.equal(shown[at]?.expanded, true, 'still expanded');
        assert.equal(shown[at + 1]?.label, threads[0]?.label, 'the first reloaded thread under it');
        assert.equal(sim.inFlight, 0, 'requests in flight');
      },
      10_000,
      'the reloaded rows drawn',
    );
    assert.equal(sim.log.slice(before).length, 1);
  });

  it('renders hostile names and texts inert', async function () {
    const node = await pageNamed(plainPage().name);
    await expand(node);
    await loadedRowsUnder(api, node, 'threads', 10_000);
    const hostile = (await api.trees.conversations.getChildren(node)).filter(
      (n): n is ConversationNode => n.kind === 'conversation' && n.conversation.participants.some((p) => p.name?.startsWith('Mallory')),
    );
    assert.ok(hostile.length > 0, 'the simulator served hostile threads');
    for (const conversation of hostile) {
      const item = api.trees.conversations.getTreeItem(conversation);
      const texts = [labelText(item), String(item.description ?? ''), typeof item.tooltip === 'string' ? item.tooltip : ''];
      for (const text of texts) {
        assert.ok(
          // eslint-disable-next-line no-control-regex -- looking for control characters is the point
          !/[\u202a-\u202e\u2066-\u2069\u200b-\u200d\ufeff\u0000-\u0008]/.test(text),
          `no bidi/control/zero-width characters: ${JSON.stringify(text.slice(0, 80))}`,
        );
      }
      assert.equal(typeof item.tooltip, 'string', 'tooltips are plain text, never Markdown');
      await expand(conversation);
      await loadedRowsUnder(api, conversation, 'hostile messages', 10_000);
      for (const child of await api.trees.conversations.getChildren(conversation)) {
        const messageItem = api.trees.conversations.getTreeItem(child);
        assert.ok(labelText(messageItem).length <= 200, 'a 1 MB message becomes a short label');
        assert.equal(typeof messageItem.tooltip === 'string' || messageItem.tooltip === undefined, true);
      }
    }
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await eventually(
      async () => {
        const visible = (await ui.visibleText(`.pane:has(.pane-header[aria-label^="${VIEW}"]) .monaco-list-rows`)).join('\n');
        assert.match(visible, /Mallory/);
        assert.ok(!visible.includes('\u202e'), 'no bidi override reaches the DOM');
        assert.equal(
          (await ui.visibleText(`.pane:has(.pane-header[aria-label^="${VIEW}"]) .monaco-list-rows img`)).length,
          0,
          'no HTML is rendered',
        );
      },
      10_000,
      'the hostile rows',
    );
  });

  it("offers no facebook.com link for the simulator's threads: the real context menu lacks it, and the command says why", async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const node = await pageNamed(plainPage().name);
    await expand(node);
    await loadedRowsUnder(api, node, 'threads', 10_000);
    const thread =
      (await api.trees.conversations.getChildren(node)).find((n): n is ConversationNode => n.kind === 'conversation') ??
      assert.fail('a thread');
    const row = await eventually(
      async () =>
        (await rows()).find((r) => r.level === 2 && /conversation|スレッド/i.test(r.ariaLabel)) ?? assert.fail('a thread row on screen'),
      10_000,
      'a thread row',
    );
    await ui.clickRow(VIEW, row.label, 'right');
    const labels = await eventually(
      async () => {
        const all = await ui.visibleText('.context-view .action-label');
        assert.ok(all.includes('Open Raw JSON'), all.join(' | '));
        return all;
      },
      5_000,
      "the thread's context menu",
    );
    await ui.press('Escape');
    assert.ok(!labels.includes('Open in Meta Business Suite'), labels.join(' | '));
    await vscode.commands.executeCommand('messengerExplorer.openInBrowser', thread);
    await eventually(
      async () => assert.ok((await notificationTexts()).some((t) => t.includes('nothing to open on facebook.com'))),
      5_000,
      'the reason',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("finds a user's thread by PSID and reveals it", async () => {
    const page = plainPage();
    const conversations = sim.world.conversations.get(page.id) ?? [];
    const target = conversations.filter((c) => c.platform === 'messenger' && c.folder === 'inbox').at(-1);
    assert.ok(target);
    const psid = sim.world.people[target.personIndex]?.psids.get(page.id);
    assert.ok(psid);
    // A thread the person was reading stays open.
    const pageNode = await pageNamed(page.name);
    await expand(pageNode);
    const [open] = (await loadedRowsUnder(api, pageNode, 'threads')).filter(isThreadRow);
    assert.ok(open);
    await expand(open.node);
    const collapsed: string[] = [];
    const watching = api.views.conversations.onDidCollapseElement((e) => collapsed.push(e.element.id));
    let found: ConversationNode | undefined;
    try {
      found = await vscode.commands.executeCommand<ConversationNode | undefined>('messengerExplorer.findThread', psid);
    } finally {
      watching.dispose();
    }
    assert.equal(found?.conversation.id, target.id);
    assert.equal(api.views.conversations.selection[0], found, 'the thread is revealed and selected');
    assert.ok(sim.log.some((r) => r.query.user_id === psid));
    // The oldest thread of the inbox is placed after the loaded ones, not pinned on top; the open thread stays open.
    const threads = (await rowsUnder(api, pageNode)).filter(isThreadRow);
    assert.equal(threads.at(-1)?.node, found, 'the found thread where its time puts it');
    assert.deepEqual(collapsed, [], 'nothing collapsed');
    await api.views.conversations.reveal(open.node, { select: false, focus: false });
    await eventually(
      async () => assert.ok((await rows()).some((r) => r.level === 2 && r.label === open.label && r.expanded === true)),
      5_000,
      'the thread that was open still open',
    );
    await eventually(
      () => assert.ok([...api.internals.conversationViews.panels.values()].some((p) => p.node.conversation.id === target.id)),
      10_000,
      'the conversation opened as a transcript',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('filters the loaded conversations by participant', async () => {
    const node = await pageNamed(plainPage().name);
    await expand(node);
    await loadedRowsUnder(api, node, 'threads', 10_000);
    const someone = (await api.trees.conversations.getChildren(node)).find(
      (n): n is ConversationNode => n.kind === 'conversation' && !n.conversation.participants.some((p) => p.name?.startsWith('Mallory')),
    );
    const name = someone?.conversation.participants[0]?.name ?? '';
    await vscode.commands.executeCommand('messengerExplorer.filter', name);
    const shown = (await api.trees.conversations.getChildren(node)).filter((n): n is ConversationNode => n.kind === 'conversation');
    assert.ok(shown.length > 0 && shown.every((c) => c.conversation.participants.some((p) => p.name === name)));
    assert.equal(api.views.conversations.description, `Filter: ${name}`);
    await vscode.commands.executeCommand('messengerExplorer.clearFilter');
    assert.ok((await api.trees.conversations.getChildren(node)).filter((n) => n.kind === 'conversation').length > shown.length);
  });

  it('copies IDs and curl commands without the token, and reads other folders', async () => {
    const node = await pageNamed(plainPage().name);
    await vscode.commands.executeCommand('messengerExplorer.copyId', node);
    assert.equal(await vscode.env.clipboard.readText(), plainPage().id);
    await vscode.commands.executeCommand('messengerExplorer.copyAsCurl', node);
    const curl = await vscode.env.clipboard.readText();
    assert.match(curl, /Authorization: Bearer \$PAGE_ACCESS_TOKEN/);
    assert.match(curl, /appsecret_proof=\$APPSECRET_PROOF/);
    assert.ok(
      !curl.includes(plainPage().accessToken) && !curl.includes(sim.world.app(plainPage().appId)?.secret ?? '#'),
      'no credential in the copied text',
    );
    await vscode.commands.executeCommand('messengerExplorer.chooseFolder', node, 'other');
    const requests = await requestsDuring(async () => {
      await expand(node);
      await loadedRowsUnder(api, node, 'the other folder', 10_000);
    });
    assert.equal(requests[0]?.query.folder, 'other');
    await vscode.commands.executeCommand('messengerExplorer.chooseFolder', node, 'spam');
    await expand(node);
    await loadedRowsUnder(api, node, 'the spam folder', 10_000);
    const empty = await api.trees.conversations.getChildren(node);
    assert.deepEqual(
      empty.map((n) => n.kind),
      ['empty'],
    );
    if (uiDriverAvailable()) {
      await eventually(
        async () =>
          assert.deepEqual(
            (await renderedRowsUnder(api, node)).map((r) => r.label),
            ['No conversations in Spam'],
          ),
        10_000,
        'the empty row drawn',
      );
    } else {
      assert.equal(labelText(api.trees.conversations.getTreeItem(empty[0])), 'No conversations in Spam');
    }
    await vscode.commands.executeCommand('messengerExplorer.chooseFolder', node, 'inbox');
  });

  it('shows a rejected Page token as an error row, once, and a refused host instead of any request', async () => {
    const page = plainPage();
    const node = await pageNamed(page.name);
    await control(sim, '/token', { token: page.accessToken, invalidSubcode: 460 });
    try {
      await vscode.commands.executeCommand('messengerExplorer.refreshNode', node);
      await expand(node);
      await errorRowUnder(api, node, 'the failure', 10_000);
      const errorRow = (await api.trees.conversations.getChildren(node)).find((n) => n.kind === 'error');
      assert.ok(errorRow && errorRow.kind === 'error');
      assert.equal(errorRow.error.kind, 'invalidToken');
      assert.equal(api.trees.conversations.getTreeItem(errorRow).contextValue, 'error.token');
      const requests = await requestsDuring(() => Promise.resolve(vscode.commands.executeCommand('messengerExplorer.retry', errorRow)));
      assert.equal(requests.length, 0, 'a rejected token is not retried blindly');
      const other = await pageNamed(igPage().name);
      await expand(other);
      await threadRowsOfPage(api, other, 'other Pages still load', 10_000);
    } finally {
      const { token } = await control<{ token: string }>(sim, '/token', { token: page.accessToken, reissue: true });
      const account = (await api.internals.accounts.pages()).find((p) => p.id === page.id);
      await vscode.commands.executeCommand('messengerExplorer.updateToken', { account }, token);
    }

    await vscode.workspace
      .getConfiguration('messengerExplorer')
      .update('graph.host', 'https://graph.facebook.com.evil.example', vscode.ConfigurationTarget.Global);
    try {
      await eventually(() => assert.equal(api.internals.accounts.endpoint.ok, false), 5_000, 'the refused host');
      const before = sim.log.length;
      const refused = await api.trees.conversations.getChildren();
      assert.deepEqual(
        refused.map((n) => n.kind),
        ['hostError'],
      );
      if (uiDriverAvailable()) {
        await eventually(
          async () => assert.match((await rows()).map((r) => r.label).join(' | '), /^[^|]*Graph host not allowed[^|]*$/),
          10_000,
          'the one row drawn: the refused host',
        );
      } else {
        assert.match(labelText(api.trees.conversations.getTreeItem(refused[0])), /Graph host not allowed/);
      }
      assert.equal(sim.log.length, before);
    } finally {
      await useGraphHost(api, sim.url);
    }
    assert.equal((await roots()).length, sim.world.pages.length, 'back on the simulator, the Pages are there again');
  });
});
