import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import { eventually as waitFor, notificationTexts, ui, uiDriverAvailable } from '../integration/support/ui';
import type { TreeRow } from '../integration/support/uiProtocol';
import { ok } from './expect';

const EXTENSION_ID = 'messenger-explorer.messenger-explorer';
/** Put in by the harness when it bundles this suite. */
const SIMULATOR = process.env.MX_WEB_SIMULATOR_URL ?? '';
const SIMULATOR_KEY = process.env.MX_WEB_SIMULATOR_KEY ?? '';
const CONNECT_URL = `${SIMULATOR}/?key=${encodeURIComponent(SIMULATOR_KEY)}`;
/** A simulator the harness stops when asked (`stopSpareSimulator`). */
const SPARE = process.env.MX_WEB_SPARE_SIMULATOR ?? '';
const SPARE_ORIGIN = SPARE ? new URL(SPARE).origin : '';
/** An address where nothing listens. */
const STOPPED = process.env.MX_WEB_STOPPED_SIMULATOR ?? '';
const VIEW = 'Conversations';
const PANE = `.pane:has(.pane-header[aria-label^="${VIEW}"])`;

async function simulatorSettings(settings: { cors: boolean }): Promise<void> {
  await fetch(`${SIMULATOR}/__simulator/settings`, {
    method: 'POST',
    headers: { 'x-simulator-key': SIMULATOR_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
}

/** What a person reads on a row: its label, description and what a screen reader says. */
function rowText(row: TreeRow): string {
  return `${row.label} ${row.description} ${row.ariaLabel}`;
}

/**
 * Runs "Connect to Local Simulator" as a person does: the command opens the address box, the
 * address is typed over the suggestion and Enter pressed. Resolves when the command is done.
 */
async function connectThroughInputBox(address: string): Promise<void> {
  const running = vscode.commands.executeCommand('messengerExplorer.connectSimulator');
  await waitFor(
    async () =>
      ok(
        (await ui.visibleText('.quick-input-widget .quick-input-title')).some((t) => /Connect to Local Simulator/.test(t)),
        'box',
      ),
    10_000,
    'the address box',
  );
  await ui.press('ControlOrMeta+A');
  await ui.type(address);
  await ui.press('Enter');
  await running;
}

/** The notifications' texts, read with the notification center open; a screenshot of it when named. */
async function notificationsShown(screenshot?: string): Promise<string[]> {
  if (!screenshot) {
    return notificationTexts();
  }
  await vscode.commands.executeCommand('notifications.showList');
  try {
    // VS Code keeps a finished progress notification on screen a moment: the screenshot waits it out.
    await waitFor(async () => {
      const texts = await ui.visibleText('.notifications-center .notification-list-item-message');
      ok(texts.length > 0 && !texts.some((t) => /Connecting to the local simulator/.test(t)), 'shown, without the finished progress');
    });
    await ui.screenshot(screenshot);
    return await ui.visibleText('.notifications-center .notification-list-item-message');
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

/** A failed wait leaves a screenshot of what the page showed instead (screenshots/tests/web-failed-*.png). */
async function seen<T>(name: string, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    await ui.screenshot(`web-failed-${name}`).catch(() => undefined);
    throw error;
  }
}

/** Rests the mouse on a row until its tooltip (the whole text a narrow sidebar cuts) shows it. */
async function showTooltip(row: TreeRow, text: RegExp): Promise<void> {
  await ui.hoverRow(VIEW, row.label);
  await waitFor(
    async () =>
      ok(
        (await ui.visibleText('.monaco-hover')).some((t) => text.test(t)),
        'the tooltip',
      ),
    10_000,
    'the tooltip',
  );
}

describe('The web workbench, read and clicked through its UI (what a person in a browser sees)', function () {
  let api: TestApi;

  before(async function () {
    if (!uiDriverAvailable()) {
      throw new Error('No UI driver: the harness must bundle MESSENGER_EXPLORER_UI_DRIVER into this suite.');
    }
    const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    ok(extension, `${EXTENSION_ID} is installed`);
    const exported = await extension.activate();
    ok(exported, 'the test API');
    api = exported;
    // Room for the Conversations view, as a person makes it: the other views' headers clicked shut.
    await vscode.commands.executeCommand('messengerExplorer.conversations.focus');
    for (const title of ['Linked IDs', 'Accounts']) {
      const open = await ui.visibleText('.pane-header[aria-expanded="true"] h3.title');
      if (open.some((t) => t.toLowerCase() === title.toLowerCase())) {
        await ui.clickText('.pane-header[aria-expanded="true"] h3.title', title);
      }
    }
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it("1. with no account, the Conversations view says tokens live in this browser's storage, not in a keychain", async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.conversations.focus');
    const text = await waitFor(
      async () => {
        const shown = await ui.welcomeText(VIEW);
        ok(/Connect/.test(shown), `the welcome text: ${shown}`);
        return shown;
      },
      15_000,
      'the welcome view',
    );
    ok(/in this browser's storage/.test(text), `says where tokens live in a browser: "${text}"`);
    ok(/only in memory if this host provides no secret storage/.test(text), `says when they last only until a reload: "${text}"`);
    ok(!/keychain/i.test(text), `no keychain in a browser: "${text}"`);
    await ui.screenshot('web-1-welcome-tokens');
  });

  it('2a. Connect to Local Simulator typed at a stopped address: the notification names it and says to start the simulator', async () => {
    await connectThroughInputBox(STOPPED);
    const texts = await notificationsShown('web-2a-connect-stopped');
    const said = texts.find((t) => t.includes(STOPPED)) ?? '';
    ok(said, `a notification names ${STOPPED}: ${JSON.stringify(texts)}`);
    ok(/not running there\. Start it with npm run simulator/.test(said), `says to start the simulator: "${said}"`);
    ok(!/CORS|browser/.test(said), `does not blame CORS: "${said}"`);
  });

  it('2b. Connect to Local Simulator typed for a simulator that refuses browsers (--no-cors): the notification says so, and the fix', async () => {
    await simulatorSettings({ cors: false });
    try {
      await connectThroughInputBox(CONNECT_URL);
      const texts = await notificationsShown('web-2b-connect-no-cors');
      const said = texts.find((t) => t.includes(SIMULATOR)) ?? '';
      ok(said, `a notification names ${SIMULATOR}: ${JSON.stringify(texts)}`);
      ok(/refuses requests from a browser/.test(said) && /without --no-cors/.test(said), `says the host refuses browsers: "${said}"`);
      ok(!/not running/.test(said), `not told to start a simulator that runs: "${said}"`);
    } finally {
      await simulatorSettings({ cors: true });
    }
  });

  /** Connects (setup), shows the view and expands the first Page's row with a click; answers the rows then shown. */
  async function connectAndExpand(address: string): Promise<{ page: string; rows: TreeRow[] }> {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', address);
    await vscode.commands.executeCommand('messengerExplorer.conversations.focus');
    const page = await waitFor(
      async () => {
        const top = (await ui.treeRows(VIEW)).find((r) => r.level === 1);
        ok(top, 'a Page row');
        return top.label;
      },
      15_000,
      'a Page row',
    );
    await ui.clickRow(VIEW, page);
    const level2 = await waitFor(
      async () => {
        const shown = (await ui.treeRows(VIEW)).filter((r) => r.level === 2);
        ok(shown.length > 0 && !shown.some((r) => /Loading/.test(r.label)), 'rows under the Page');
        return shown;
      },
      15_000,
      `rows under ${page}`,
    );
    // A Page with Instagram too groups its threads by platform: open its Messenger threads.
    const grouped = level2.some((r) => r.label === 'Messenger');
    if (grouped) {
      // By keyboard from the Page's row (a click by text could land on the Page, whose description names its platforms).
      await ui.press('ArrowDown');
      await waitFor(
        async () => ok((await ui.treeRows(VIEW)).find((r) => r.focused)?.label === 'Messenger', 'on Messenger'),
        5_000,
        'Messenger',
      );
      await ui.press('ArrowRight');
    }
    const rows = await waitFor(
      async () => {
        const shown = await ui.treeRows(VIEW);
        ok(shown.filter((r) => r.level === (grouped ? 3 : 2)).length > 0, 'threads');
        return shown;
      },
      15_000,
      `the threads of ${page}`,
    );
    return { page, rows };
  }

  it('C1. an ordinary call to a simulator that stops answering browsers (CORS) shows a row that says so, with the fix', async () => {
    const { page } = await connectAndExpand(CONNECT_URL);
    await simulatorSettings({ cors: false });
    try {
      const pageNode = (await api.trees.conversations.getChildren()).find((n) => n.kind === 'page');
      ok(pageNode, 'the Page element, as its context menu passes it');
      await vscode.commands.executeCommand('messengerExplorer.refreshNode', pageNode);
      const error = await waitFor(
        async () => {
          const found = (await ui.treeRows(VIEW)).find((r) => /refuses requests from a browser/.test(rowText(r)));
          ok(found, 'an error row');
          return found;
        },
        20_000,
        `an error row under ${page}`,
      );
      const text = rowText(error);
      ok(text.includes(SIMULATOR), `the row names ${SIMULATOR}: "${text}"`);
      ok(/without --no-cors, or use VS Code desktop/.test(text), `the row gives the fix: "${text}"`);
      ok(!/not running/.test(text), `not told to start a simulator that runs: "${text}"`);
      await showTooltip(error, /refuses requests from a browser/);
      await ui.screenshot('web-c1-row-refuses-browser');
    } finally {
      await simulatorSettings({ cors: true });
    }
  });

  let downPage = '';

  it('3. the host stops: Refresh All, clicked in the title bar, keeps the rows and says in the view that they are stale', async () => {
    const { page, rows } = await connectAndExpand(SPARE);
    downPage = page;
    const shownBefore = rows.map((r) => r.label);
    await ui.harness('stopSpareSimulator');
    await ui.clickTitleAction(VIEW, 'Refresh All');
    const message = await waitFor(
      async () => {
        const [said] = await ui.visibleText(`${PANE} .message`);
        ok(/Could not refresh/.test(said ?? ''), `the view's message: ${said}`);
        return said ?? '';
      },
      20_000,
      "the view's message",
    );
    ok(message.includes(new URL(SPARE).host), `the message names the host: "${message}"`);
    ok(/did not answer/.test(message) && /Showing what was loaded before/.test(message), `says the rows are stale: "${message}"`);
    // The list renders the rows that fit: the message above it takes a line, so the last row may not.
    const shownAfter = (await ui.treeRows(VIEW)).map((r) => r.label);
    ok(
      shownAfter.length >= 3 && shownAfter.every((label, i) => label === shownBefore[i]),
      `the rows loaded before are still shown, in order: ${JSON.stringify(shownBefore)} → ${JSON.stringify(shownAfter)}`,
    );
    await ui.screenshot('web-3-stale-after-refresh-all');
  });

  it('C2. with the host stopped, a Page refreshed alone shows a row that says nothing answers there and to start the simulator', async () => {
    ok(downPage, 'the previous case connected to the simulator it stopped');
    const pageNode = (await api.trees.conversations.getChildren()).find((n) => n.kind === 'page');
    ok(pageNode, 'the Page element');
    await vscode.commands.executeCommand('messengerExplorer.refreshNode', pageNode);
    const error = await seen(
      'c2',
      waitFor(
        async () => {
          const found = (await ui.treeRows(VIEW)).find((r) => /Nothing answers at/.test(rowText(r)));
          ok(found, 'an error row');
          return found;
        },
        20_000,
        `an error row under ${downPage}`,
      ),
    );
    const text = rowText(error);
    ok(text.includes(SPARE_ORIGIN), `the row names ${SPARE_ORIGIN}: "${text}"`);
    ok(/Start it with npm run simulator/.test(text), `says to start the simulator: "${text}"`);
    ok(!/CORS/.test(text), `does not blame CORS: "${text}"`);
    await showTooltip(error, /Nothing answers at/);
    await ui.screenshot('web-c2-row-host-down');
  });

  after(async () => {
    // Leaves an account for the reload that follows (afterReload.test.ts): the browser keeps the
    // marker that accounts exist (globalState), the host keeps their tokens only in memory.
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', CONNECT_URL);
    await waitFor(() => ok(api.storage.globalState.get('messengerExplorer.hadAccounts') === true, 'the marker'), 10_000, 'the marker');
  });
});
