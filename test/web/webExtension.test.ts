import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { ConversationNode, ExplorerNode, PageNode } from '../../src/core/explorer/nodes';
import type { RequestLogEntry } from '../../simulator/server';
import { equal, eventually, ok } from './expect';

const EXTENSION_ID = 'messenger-explorer.messenger-explorer';
/** Put in by the harness when it bundles this suite: the simulator it started on the test machine. */
const SIMULATOR = process.env.MX_WEB_SIMULATOR_URL ?? '';
const SIMULATOR_KEY = process.env.MX_WEB_SIMULATOR_KEY ?? '';
/** The address the simulator printed: what a user pastes into "Connect to Local Simulator". */
const CONNECT_URL = `${SIMULATOR}/?key=${encodeURIComponent(SIMULATOR_KEY)}`;

async function simulator<T>(path: string, body?: unknown): Promise<T> {
  const headers = { 'x-simulator-key': SIMULATOR_KEY, 'content-type': 'application/json' };
  const response = await fetch(
    `${SIMULATOR}/__simulator${path}`,
    body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) },
  );
  return (await response.json()) as T;
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

describe('The web extension in a browser extension host (vscode.dev, github.dev)', function () {
  let api: TestApi;
  let page: PageNode;
  let conversation: ConversationNode;

  const children = async (node: ExplorerNode) => api.trees.conversations.getChildren(node);
  /** A Page's threads, through its Messenger group when it has Instagram. */
  const threadsOf = async (node: PageNode) => {
    let rows = await children(node);
    const messenger = rows.find((r) => r.kind === 'platform' && r.platform === 'messenger');
    if (messenger) {
      rows = await children(messenger);
    }
    return rows;
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    ok(extension, `${EXTENSION_ID} is installed`);
    const exported = await extension.activate();
    ok(exported, 'the extension returns its test API in test mode');
    api = exported;
    await simulator('/reset', {});
  });

  it('runs its browser bundle in a web worker, with every command registered', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      browser?: string;
      contributes: { commands: { command: string }[] };
    };
    equal(manifest.browser, './dist/web/extension.js', "the manifest's browser entry");
    equal(vscode.env.uiKind, vscode.UIKind.Web, 'the UI kind');
    ok(typeof (globalThis as { document?: unknown }).document === 'undefined', 'no DOM: this is a web worker');
    ok(typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== 'string', 'no Node.js');
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command);
    const missing = contributed.filter((c) => !registered.has(c));
    equal(missing.join(', '), '', 'contributed commands that are not registered');
    ok(api.activationMs < 250, `activation is quick (${api.activationMs.toFixed(1)} ms)`);
  });

  it('connects to the local simulator across origins, with the token only in the Authorization header', async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', CONNECT_URL);
    const roots = (await api.trees.conversations.getChildren()).filter((n): n is PageNode => n.kind === 'page');
    const state = await simulator<{ credentials: { pages: { id: string; name: string }[] } }>('/state');
    ok(roots.length > 0, 'Pages in the tree');
    for (const root of roots) {
      ok(
        state.credentials.pages.some((p) => p.id === root.page.id),
        `${root.page.name} is one of the simulator's Pages`,
      );
    }
    page = roots[0];
    const { requests } = await simulator<{ requests: RequestLogEntry[] }>('/requests');
    ok(requests.length > 0, 'requests reached the simulator');
    equal(requests.filter((r) => r.tokenInUrl).length, 0, 'requests with a token in the URL');
    equal(
      requests.filter((r) => r.tokenSource !== 'header' && r.tokenSource !== 'none').length,
      0,
      'requests with a token anywhere but the Authorization header',
    );
    ok(
      requests.some((r) => r.tokenSource === 'header'),
      'requests with a token in the Authorization header',
    );
  });

  it("browses a Page's threads and a thread's messages", async () => {
    const threads = (await threadsOf(page)).filter((n): n is ConversationNode => n.kind === 'conversation');
    ok(threads.length > 0, `threads of ${page.page.name}`);
    conversation = threads[0];
    const item = api.trees.conversations.getTreeItem(conversation);
    ok(label(item).length > 0 && item.accessibilityInformation?.label, 'a thread row with a label and an accessible label');
    const messages = (await children(conversation)).filter((n) => n.kind === 'message');
    ok(messages.length > 0, 'messages in the thread');
  });

  it("resolves a participant's linked IDs with appsecret_proof computed by Web Crypto", async () => {
    const person = conversation.conversation.participants.find((p) => !page.ownIds.includes(p.id));
    ok(person, 'a participant other than the Page');
    const before = (await simulator<{ requests: RequestLogEntry[] }>('/requests')).requests.length;
    const resolution = await api.internals.resolver.resolve(person.id, { useCache: false });
    ok(resolution.idsForPages.some((p) => p.id === person.id) || resolution.idsForApps.length > 0, `linked IDs of ${person.id}`);
    const { requests } = await simulator<{ requests: RequestLogEntry[] }>('/requests');
    const lookups = requests.slice(before).filter((r) => r.status === 200);
    ok(
      lookups.some((r) => r.query.appsecret_proof === '[REDACTED]'),
      'a successful lookup carried appsecret_proof',
    );
  });

  it('says clearly, in the tree, when the host does not answer cross-origin requests', async () => {
    await simulator('/settings', { cors: false });
    try {
      await vscode.commands.executeCommand('messengerExplorer.refreshNode', page);
      const rows = await threadsOf(page);
      const error = rows.find((r) => r.kind === 'error');
      ok(error, `an error row instead of threads (rows: ${rows.map((r) => r.kind).join(', ')})`);
      const item = api.trees.conversations.getTreeItem(error);
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
      ok(/CORS/.test(tooltip) && /VS Code desktop/.test(tooltip), `the error explains CORS and what to do: "${tooltip}"`);
    } finally {
      await simulator('/settings', { cors: true });
    }
    await vscode.commands.executeCommand('messengerExplorer.refreshNode', page);
    await eventually(
      async () => (await threadsOf(page)).some((r) => r.kind === 'conversation'),
      20_000,
      'threads again once CORS is answered',
    );
  });
  it('Connect to Local Simulator fails, naming the address and the fix, when the simulator refuses browsers (--no-cors)', async () => {
    const lines = api.internals.log.lines ?? [];
    const before = lines.length;
    await simulator('/settings', { cors: false });
    try {
      await vscode.commands.executeCommand('messengerExplorer.connectSimulator', CONNECT_URL);
    } finally {
      await simulator('/settings', { cors: true });
    }
    const said = lines.slice(before).join('\n');
    ok(said.includes(SIMULATOR), `the failure names ${SIMULATOR}: "${said}"`);
    ok(
      /refuses requests from a browser/.test(said) && /without --no-cors/.test(said),
      `the failure says the host refuses browsers: "${said}"`,
    );
    ok(!/is not running/.test(said), 'not told to start a simulator that runs');
  });
});
