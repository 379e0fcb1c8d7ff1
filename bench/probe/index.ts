// The module object itself (not an import namespace), so its functions can be wrapped.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an import namespace is read-only
import fs = require('node:fs');
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { ExplorerNode } from '../../src/core/explorer/nodes';
import { ui } from '../../test/integration/support/ui';

const EXTENSION_ID = 'messenger-explorer.messenger-explorer';

/**
 * Runs inside the real VS Code extension host (test-electron's `run()` shape): activates the
 * extension while counting network calls and synchronous reads of the workspace, then expands a
 * Page and a conversation through the real tree and counts the Graph requests each cost.
 */
export async function run(): Promise<void> {
  // The connect address the harness passes: the simulator's URL with its control key.
  const connectUrl = new URL(process.env.MESSENGER_EXPLORER_BENCH_SIMULATOR ?? '');
  const simulator = connectUrl.origin;
  const controlKey = connectUrl.searchParams.get('key') ?? '';
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/nonexistent';
  const syncReads: string[] = [];
  const restore: (() => void)[] = [];
  for (const name of ['readFileSync', 'readdirSync', 'statSync', 'existsSync', 'openSync'] as const) {
    const original = fs[name] as (...args: unknown[]) => unknown;
    (fs as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (String(args[0]).startsWith(workspace)) {
        syncReads.push(`${name} ${String(args[0])}`);
      }
      return original.apply(fs, args);
    };
    restore.push(() => ((fs as unknown as Record<string, unknown>)[name] = original));
  }
  let fetches = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (...args: Parameters<typeof fetch>) => {
    fetches++;
    return realFetch(...args);
  };
  const requests = async () =>
    (
      (await (await realFetch(`${simulator}/__simulator/requests`, { headers: { 'x-simulator-key': controlKey } })).json()) as {
        requests: unknown[];
      }
    ).requests.length;

  const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  const before = await requests();
  const started = performance.now();
  const api = await extension?.activate();
  const activateCallMs = performance.now() - started;
  const activation = {
    activationMs: api?.activationMs,
    activateCallMs,
    fetches,
    syncWorkspaceReads: syncReads.length,
    simulatorRequests: (await requests()) - before,
  };
  restore.forEach((r) => r());
  globalThis.fetch = realFetch;
  if (!api) {
    throw new Error('The extension did not return its test API.');
  }

  await vscode.commands.executeCommand('messengerExplorer.signOut', true);
  await vscode.commands.executeCommand('messengerExplorer.connectSimulator', connectUrl.toString());
  await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
  const tree = api.trees.conversations;
  const view = api.views.conversations.title ?? 'Conversations';
  const pages = (await tree.getChildren()).filter((n) => n.kind === 'page');
  const plain = pages.find((n) => n.kind === 'page' && n.page.instagram === undefined);
  const withInstagram = pages.find((n) => n.kind === 'page' && n.page.instagram !== undefined);
  if (plain?.kind !== 'page' || withInstagram?.kind !== 'page') {
    throw new Error('The probe needs a Page with Instagram and one without.');
  }
  await until(async () => (await ui.treeRows(view)).some((r) => r.label === plain.page.name), 'the Page rows');

  /** Clicks like a person and measures, in the page, from the press to the rows it brought; counts the Graph requests it cost. */
  const click = async (label: string, target: 'row' | 'twistie' = 'row') => {
    const mark = await requests();
    const ms = await ui.timeClickToRows(view, label, target);
    return { ms, requests: (await requests()) - mark };
  };
  const expandInstagramPage = await click(withInstagram.page.name);
  // Collapsed again so the other Page's row is on screen (the list renders only visible rows).
  await vscode.commands.executeCommand('workbench.actions.treeView.messengerExplorer.conversations.collapseAll');
  await until(async () => (await ui.treeRows(view)).some((r) => r.label === plain.page.name), 'the Page rows again');
  const expandPage = await click(plain.page.name);
  const threads = (await tree.getChildren(plain)).filter((n) => n.kind === 'conversation');
  const labelOf = (n: ExplorerNode) => {
    const label = tree.getTreeItem(n).label;
    return typeof label === 'string' ? label : (label?.label ?? '');
  };
  const [first, second] = threads.map(labelOf);
  if (!first || !second) {
    throw new Error('The Page has fewer than two threads.');
  }
  const expandThread = await click(first, 'twistie');
  // A click on a thread opens it as a transcript: what it costs once its Page is expanded.
  // Scrolled into view as a person would (the first thread's messages pushed it down).
  await api.views.conversations.reveal(threads[1], { select: false, focus: false });
  const mark = await requests();
  await ui.clickRow(view, second);
  await until(() => api.internals.conversationViews.panels.size > 0, 'the conversation panel');
  await until(async () => (await ui.webviewArticles()).length > 0, 'the transcript');
  const openThreadRequests = (await requests()) - mark;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
  await api.views.conversations.reveal((await tree.getChildren(plain)).at(-1) as ExplorerNode, { select: false, focus: false });
  const loadMore = await click('Load more…');
  await vscode.commands.executeCommand('messengerExplorer.signOut', true);
  console.log(
    `BENCH ${JSON.stringify({
      ...activation,
      expandPageMs: expandPage.ms,
      pageRequests: expandPage.requests,
      expandInstagramPageMs: expandInstagramPage.ms,
      instagramPageRequests: expandInstagramPage.requests,
      expandThreadMs: expandThread.ms,
      conversationRequests: expandThread.requests,
      openThreadRequests,
      loadMoreMs: loadMore.ms,
      loadMoreRequests: loadMore.requests,
    })}`,
  );
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}.`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
