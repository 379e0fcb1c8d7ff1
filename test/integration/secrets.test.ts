import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import { startSimulator, type GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { control, faultsServed, logMark, startSimulatorFor, useGraphHost } from './support/simulator';
import { pageRowOf, threadRowsOfPage } from './support/rows';
import { expandInView } from './support/tree';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';

/** Every file under a folder, as text; missing folders are empty. */
async function readTree(uri: vscode.Uri, out: Map<string, string> = new Map()): Promise<Map<string, string>> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(uri);
  } catch {
    return out;
  }
  for (const [name, type] of entries) {
    const child = vscode.Uri.joinPath(uri, name);
    if (type === vscode.FileType.Directory) {
      await readTree(child, out);
    } else if (type === vscode.FileType.File) {
      out.set(child.toString(), new TextDecoder().decode(await vscode.workspace.fs.readFile(child)));
    }
  }
  return out;
}

function mementoText(memento: vscode.Memento): string {
  return JSON.stringify(memento.keys().map((k) => [k, memento.get(k)]));
}

describe('A planted token and app secret never leak', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: GraphSimulator;
  const canaryToken = `SIM-user-CANARY-${Date.now()}-plantedtokenvalue0000`;

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    sim = await startSimulatorFor(api);
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
  });
  after(async () => {
    for (let i = 0; i < 20 && vscode.window.visibleTextEditors.length > 0; i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });

  it('drives every account command and error path, then finds the secrets only in SecretStorage', async () => {
    const user = sim.world.users[0];
    const canaryApp = sim.world.apps[0];
    assert.ok(user && canaryApp);
    await control(sim, '/token', { token: user.token, reissue: true, value: canaryToken });
    const canaries = [canaryToken, ...sim.world.apps.map((a) => a.secret), ...sim.world.pages.map((p) => p.accessToken)];

    // Happy paths.
    for (const app of sim.world.apps) {
      await vscode.commands.executeCommand('messengerExplorer.addApp', app.id, app.secret);
    }
    await vscode.commands.executeCommand('messengerExplorer.connectUser', canaryToken);
    const userAccount = (await api.internals.accounts.accounts()).find((a) => a.kind === 'user');
    assert.ok(userAccount, 'the canary user is connected');
    await vscode.commands.executeCommand('messengerExplorer.copyAccountId', { account: userAccount });
    const clipboards = [await vscode.env.clipboard.readText()];
    assert.equal(clipboards[0], user.id);
    await vscode.commands.executeCommand('messengerExplorer.copyAccountId', { account: (await api.internals.accounts.apps())[0] });
    clipboards.push(await vscode.env.clipboard.readText());
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');

    // The explorer and ID resolution: documents, copied text and generated tables.
    const pageNode = (await pageRowOf(api, sim.world.pages[0]?.id ?? '')).node;
    const conversation = (await threadRowsOfPage(api, pageNode))[0]?.node;
    assert.ok(conversation && conversation.kind === 'conversation');
    const message = (await api.trees.conversations.getChildren(conversation)).find((n) => n.kind === 'message');
    for (const [command, node] of [
      ['openRawJson', pageNode],
      ['openRawJson', conversation],
      ['openMessage', message],
      ['copyAsCurl', pageNode],
      ['copyAsCurl', message],
    ] as const) {
      await vscode.commands.executeCommand(`messengerExplorer.${command}`, node);
      clipboards.push(await vscode.env.clipboard.readText());
    }
    await vscode.commands.executeCommand('messengerExplorer.resolveParticipant', conversation);
    const psids = sim.world.people
      .slice(0, 20)
      .map((p) => p.psids.get(pageNode.page.id))
      .filter(Boolean)
      .join('\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: psids, language: 'log' }));
    await vscode.commands.executeCommand('messengerExplorer.resolveAllInFile', 'json');
    await vscode.commands.executeCommand('messengerExplorer.findThread', conversation.conversation.participants[0]?.id);

    // Error paths: bad input, a wrong secret, a revoked token, an expired token, a timeout.
    await vscode.commands.executeCommand('messengerExplorer.connectUser', `Bearer ${canaryToken}`);
    await vscode.commands.executeCommand('messengerExplorer.addPage', canaryToken);
    await vscode.commands.executeCommand('messengerExplorer.addApp', '12345678', canaryApp.secret);
    await vscode.commands.executeCommand(
      'messengerExplorer.updateToken',
      { account: (await api.internals.accounts.pages())[0] },
      canaryToken,
    );
    const beforeFault = logMark(sim);
    await control(sim, '/faults', { rules: [{ kind: 'status', status: 500, match: 'accounts', times: 1 }] });
    await vscode.commands.executeCommand('messengerExplorer.connectUser', canaryToken);
    assert.equal(faultsServed(sim, 'status', { since: beforeFault, match: 'accounts' }).served, 1, 'the HTTP 500 error path was taken');
    await control(sim, '/token', { token: canaryToken, invalidSubcode: 460 });
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');
    await vscode.commands.executeCommand('messengerExplorer.connectUser', canaryToken);
    await control(sim, '/token', { token: canaryToken, expire: true });
    await vscode.commands.executeCommand('messengerExplorer.updateToken', { account: userAccount }, canaryToken);
    await new Promise((r) => setTimeout(r, 500));

    // Positive control: the secrets are where they belong, and the scan can see them.
    const inSecrets = await Promise.all((await api.internals.vault.keys()).map((k) => api.storage.secrets.get(k)));
    for (const canary of [canaryToken, canaryApp.secret]) {
      assert.ok(
        inSecrets.some((v) => v?.includes(canary)),
        'SecretStorage holds the secret',
      );
    }

    const places = new Map<string, string>();
    places.set('log output channel (lines written)', (api.internals.log.lines ?? []).join('\n'));
    assert.ok((api.internals.log.lines ?? []).length > 10, 'the log was written');
    for (const [file, text] of await readTree(vscode.Uri.joinPath(api.storage.logUri, '..'))) {
      places.set(`log file ${file}`, text);
    }
    places.set(
      'settings',
      JSON.stringify(vscode.workspace.getConfiguration('messengerExplorer')) +
        JSON.stringify(vscode.workspace.getConfiguration().inspect('messengerExplorer')),
    );
    for (const [file, text] of await readTree(vscode.Uri.joinPath(api.storage.globalStorageUri, '..', '..'))) {
      if (file.endsWith('settings.json') || file.includes('messenger-explorer')) {
        places.set(`user data ${file}`, text);
      }
    }
    places.set('globalState', mementoText(api.storage.globalState));
    for (const document of vscode.workspace.textDocuments) {
      places.set(`open document ${document.uri.toString()}`, document.getText());
    }
    assert.ok(
      [...places.keys()].some((k) => k.startsWith('open document messenger-explorer:')),
      'the detail and raw JSON documents are scanned',
    );
    assert.ok(sim.log.length > 20, 'requests were made');
    assert.deepEqual(
      sim.log.filter((r) => r.tokenInUrl || r.secretInHeader).map((r) => `${r.method} /${r.path}`),
      [],
      'no request carried a token in its URL or in another header than Authorization',
    );
    places.set('workspaceState', mementoText(api.storage.workspaceState));
    places.set('clipboard', clipboards.join('\n') + (await vscode.env.clipboard.readText()));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const [file, text] of await readTree(folder.uri)) {
        places.set(`workspace file ${file}`, text);
      }
    }
    if (uiDriverAvailable()) {
      const shown = await notificationTexts();
      assert.ok(shown.length >= 3, `error messages were shown: ${shown.length}`);
      places.set('notifications', shown.join('\n'));
    }
    assert.ok(
      [...places.keys()].some((p) => p.startsWith('log file')),
      `the log files were found: ${[...places.keys()].join(', ')}`,
    );

    for (const [place, text] of places) {
      for (const canary of canaries) {
        assert.ok(!text.includes(canary), `a planted secret appears in ${place}`);
      }
    }
    // The redacted log still says what happened.
    assert.ok((api.internals.log.lines ?? []).some((l) => /rejected/.test(l)));
  });

  /** Requests the simulator has received so far: answered ones plus those it is still working on. */
  const received = (simulator: GraphSimulator): number => simulator.log.length + simulator.inFlight;

  async function connectEverything(): Promise<void> {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    for (const app of sim.world.apps) {
      await vscode.commands.executeCommand('messengerExplorer.addApp', app.id, app.secret);
    }
    const user = sim.world.users[0];
    assert.ok(user);
    await vscode.commands.executeCommand('messengerExplorer.connectUser', user.token);
    assert.ok((await api.internals.accounts.pages()).length > 0, 'connected');
  }

  async function errorNotifications(): Promise<string[]> {
    return uiDriverAvailable() ? await notificationTexts() : [];
  }

  it('Sign Out in the middle of a bulk resolution: 0 requests after it, no secret written back, linked IDs forgotten, no error shown', async () => {
    await connectEverything();
    await vscode.commands.executeCommand('messengerExplorer.clearLinkedIdsCache');
    const pages = sim.world.pages;
    const psids = sim.world.people.flatMap((p) => pages.map((page) => p.psids.get(page.id))).filter(Boolean);
    assert.ok(psids.length >= 100, `enough IDs for several requests: ${psids.length}`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: psids.join('\n'), language: 'log' }));
    // Resolve a few first so there is cached personal data for Sign Out to remove.
    await vscode.commands.executeCommand(
      'messengerExplorer.resolveParticipant',
      (await api.trees.conversations.getChildren((await api.trees.conversations.getChildren())[0]))[0],
    );
    const shownBefore = await errorNotifications();
    sim.latencyMs = 400;
    try {
      const bulk = vscode.commands.executeCommand('messengerExplorer.resolveAllInFile', 'json');
      await eventually(() => assert.ok(sim.inFlight > 0), 10_000, 'the bulk resolution to have requests in flight');
      await vscode.commands.executeCommand('messengerExplorer.signOut', true);
      const atSignOut = received(sim);
      await bulk;
      await eventually(() => assert.equal(sim.inFlight, 0), 10_000, 'the simulator to finish what it had');
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(received(sim) - atSignOut, 0, 'requests reached the Graph host after Sign Out');
    } finally {
      sim.latencyMs = 0;
    }
    for (const key of await api.internals.vault.keys()) {
      assert.equal(await api.storage.secrets.get(key), undefined, `${key} was written back after Sign Out`);
    }
    assert.deepEqual(await api.internals.accounts.accounts(), [], 'no account reappeared');
    assert.equal(api.storage.globalState.get('messengerExplorer.linkedIdsCache'), undefined, 'the Linked IDs cache left globalState');
    assert.equal(api.internals.resolver.cache.size, 0, 'the Linked IDs cache left memory');
    assert.deepEqual(api.trees.linkedIds.getChildren(), [], 'the Linked IDs view is empty');
    const newErrors = (await errorNotifications()).slice(shownBefore.length).filter((t) => /cancel|error|failed|could not/i.test(t));
    assert.deepEqual(newErrors, [], 'cancelling by Sign Out is not reported as an error');
  });

  it('a host switch in the middle of Check Tokens: the new host receives 0 requests, and no token is sent there', async () => {
    await connectEverything();
    const other = await startSimulator({ seed: 11 });
    sim.latencyMs = 300;
    try {
      const check = vscode.commands.executeCommand('messengerExplorer.checkTokens');
      await eventually(() => assert.ok(sim.inFlight > 0), 10_000, 'Check Tokens to have a request in flight');
      await useGraphHost(api, other.url);
      await check;
      await eventually(() => assert.equal(sim.inFlight, 0), 10_000, 'the first host to finish what it had');
      // Whatever still runs in the background (tree refreshes of the new host) has no token of the old one.
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(
        other.log.map((r) => `${r.method} /${r.path} (token: ${r.tokenSource})`),
        [],
        'the second host received requests',
      );
    } finally {
      sim.latencyMs = 0;
      await useGraphHost(api, sim.url);
      await other.stop();
    }
    assert.ok((await api.internals.accounts.accounts()).length > 0, 'switching hosts removes nothing');
  });

  it('a Graph error that quotes a stored token is redacted in the rendered tree rows and in every notification, the rejected-token prompt included', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await connectEverything();
    // A Page with Messenger only: its threads come in one plain request, which the fault answers.
    const plain = sim.world.pages.find((p) => !p.instagram) ?? assert.fail('a Page without Instagram');
    const { node: pageNode } = await pageRowOf(api, plain.id);
    const page = (await api.internals.accounts.pages()).find((p) => p.id === pageNode.page.id);
    assert.ok(page && page.kind === 'page');
    const quoted = `Invalid OAuth access token ${page.token} (see https://graph.facebook.com/v26.0/${page.id}/conversations?access_token=${page.token}&after=x)`;
    const beforeFault = logMark(sim);
    await control(sim, '/faults', { rules: [{ kind: 'graphError', code: 100, message: quoted }] });
    try {
      await vscode.commands.executeCommand('messengerExplorer.refreshNode', pageNode);
      await expandInView(api, pageNode);
      const rows = await eventually(
        async () => {
          const all = await ui.treeRows('Conversations');
          assert.ok(
            all.some((r) => /Could not load/.test(r.label)),
            `an error row is rendered among: ${all.map((r) => r.label).join(' / ')}`,
          );
          return all;
        },
        15_000,
        'the error row',
      );
      const quoting = faultsServed(sim, 'graphError', { since: beforeFault, match: `${plain.id}/conversations` });
      assert.ok(
        quoting.served >= 1 && quoting.served === quoting.requests,
        'every request for the list was answered with the quoting error',
      );
      const rendered = rows.map((r) => `${r.label} | ${r.description} | ${r.ariaLabel}`).join('\n');
      assert.ok(!rendered.includes(page.token), `the token shows in a tree row:\n${rendered}`);
      assert.match(rendered, /\[REDACTED\]/, 'the row still says what Meta answered, with the token masked');

      // The token rejected, quoting itself: one prompt, redacted.
      sim.faults.clear();
      await control(sim, '/faults', {
        rules: [{ kind: 'graphError', code: 190, message: `Error validating access token: ${page.token} has expired`, match: '' }],
      });
      const beforeRejection = logMark(sim);
      await vscode.commands.executeCommand('messengerExplorer.resolveId', '24000000000000001');
      assert.ok(faultsServed(sim, 'graphError', { since: beforeRejection }).served >= 1, 'the rejection quoting the token was served');
      const shown = await notificationTexts();
      assert.ok(
        shown.some((t) => /rejected/.test(t)),
        `the prompt was shown: ${shown.join(' / ')}`,
      );
      assert.ok(
        shown.every((t) => !t.includes(page.token)),
        'a notification shows the token',
      );
    } finally {
      sim.faults.clear();
    }
  });
});
