// The module object itself (not an import namespace), so its functions can be wrapped.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an import namespace is read-only
import fs = require('node:fs');
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';

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
  const page = (await api.trees.conversations.getChildren()).find((n) => n.kind === 'page' && n.page.instagram !== undefined);
  if (!page || page.kind !== 'page') {
    throw new Error('No Page with Instagram.');
  }
  let mark = await requests();
  await api.views.conversations.reveal(page, { expand: true });
  const messenger = page.groups[0];
  if (!messenger) {
    throw new Error('No Messenger group.');
  }
  await api.views.conversations.reveal(messenger, { expand: true });
  const conversations = await api.trees.conversations.getChildren(messenger);
  const pageRequests = (await requests()) - mark;
  const conversation = conversations.find((n) => n.kind === 'conversation');
  if (!conversation || conversation.kind !== 'conversation') {
    throw new Error('No conversation.');
  }
  mark = await requests();
  await api.views.conversations.reveal(conversation, { expand: true });
  await api.trees.conversations.getChildren(conversation);
  const conversationRequests = (await requests()) - mark;
  await vscode.commands.executeCommand('messengerExplorer.signOut', true);
  console.log(`BENCH ${JSON.stringify({ ...activation, pageRequests, conversationRequests, conversationsShown: conversations.length })}`);
}
