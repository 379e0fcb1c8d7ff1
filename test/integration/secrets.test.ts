import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import { startSimulator, type GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { control, faultsServed, logMark, startSimulatorFor, useGraphHost } from './support/simulator';
import { pageRowOf, threadRowsOfPage } from './support/rows';
import { expandInView } from './support/tree';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';
import { describeFindings, LeakScanner, Secret } from './support/leakScan';
import { authorizationHeaders, requestPlaces } from './support/requestPlaces';
import type { PageContent } from './support/uiProtocol';
import { LEAK_SCAN_ENV, type LeakScanRequest } from '../harness/profileLeakScan';

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
      // Bytes as latin1, as the profile scan reads them: binary state files keep ASCII text as is.
      out.set(child.toString(), Buffer.from(await vscode.workspace.fs.readFile(child)).toString('latin1'));
    }
  }
  return out;
}

function mementoText(memento: vscode.Memento): string {
  return JSON.stringify(memento.keys().map((k) => [k, memento.get(k)]));
}

/** Everything the page shows or keeps, as places for the scan (the DOM of every frame, browser storage). */
function pagePlaces(content: PageContent, what: string): [string, string][] {
  return [
    ...content.frames.map((f, i): [string, string] => [`${what}: frame ${i} ${f.url.slice(0, 80)}`, `${f.html}\n${f.values.join('\n')}`]),
    ...content.storage.map((s): [string, string] => [`${what}: browser ${s.name}`, s.text]),
  ];
}

describe('A planted token and app secret never leak', function () {
  this.timeout(120_000);
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
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });

  /**
   * Runs a command that asks for a secret and types it into VS Code's real input box, as a person
   * pastes it. The box is read while open: it must be a password field, and the scan of what it
   * shows (its HTML, the value of any non-password field) is kept as a place.
   */
  async function typeInto(places: Map<string, string>, steps: { text: string; secret: boolean }[], run: () => Thenable<unknown>) {
    const done = run();
    for (const [i, step] of steps.entries()) {
      const opened = await eventually(
        async () => {
          const state = await ui.quickInput();
          assert.ok(state.open, 'the input box is open');
          return state;
        },
        10_000,
        `input box ${i + 1} to open`,
      );
      await ui.typeIntoQuickInput(step.text);
      // A loaded machine can draw the last keystrokes late: the box is read once it holds all of them.
      const typed = await eventually(
        async () => {
          const state = await ui.quickInput();
          assert.equal(state.length, step.text.length, `the input box holds the ${step.text.length} characters typed`);
          return state;
        },
        10_000,
        `input box ${i + 1} to hold what was typed`,
      );
      assert.ok(typed.html.includes('quick-input'), 'the input box is read');
      places.set(`input box ${places.size} while typing (${typed.inputType})`, `${typed.html}\n${typed.value}`);
      if (step.secret) {
        assert.equal(typed.inputType, 'password', 'the box a secret is typed into is masked');
      } else {
        // Positive control: what is typed into a plain box is read.
        assert.equal(typed.value, step.text, `the scan reads the input box (${opened.inputType})`);
      }
      await ui.press('Enter');
      if (i + 1 < steps.length) {
        // The next step replaces this box: wait until the typed value is gone.
        await eventually(async () => assert.notEqual((await ui.quickInput()).value, step.text), 10_000, 'the next step');
      }
    }
    await done;
  }

  it('drives every account command and error path with secrets typed into the input boxes, then finds them nowhere a person or process can read', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const user = sim.world.users[0];
    const canaryApp = sim.world.apps[0];
    assert.ok(user && canaryApp);
    await control(sim, '/token', { token: user.token, reissue: true, value: canaryToken });
    const secrets: Secret[] = [
      { label: 'canary user token', value: canaryToken },
      ...sim.world.apps.map((a) => ({ label: `App Secret of ${a.id}`, value: a.secret })),
      ...sim.world.pages.map((p) => ({ label: `Page token of ${p.id}`, value: p.accessToken })),
    ];
    // IDs the simulator's Page and app tokens carry: seeing an ID is not seeing a token.
    const publicTexts = [...sim.world.pages.map((p) => p.id), ...sim.world.apps.map((a) => a.id), ...sim.world.users.map((u) => u.id)];
    const places = new Map<string, string>();

    // Happy paths, typed.
    for (const app of sim.world.apps) {
      await typeInto(
        places,
        [
          { text: app.id, secret: false },
          { text: app.secret, secret: true },
        ],
        () => vscode.commands.executeCommand('messengerExplorer.addApp'),
      );
    }
    await typeInto(places, [{ text: canaryToken, secret: true }], () => vscode.commands.executeCommand('messengerExplorer.connectUser'));
    const userAccount = (await api.internals.accounts.accounts()).find((a) => a.kind === 'user');
    assert.ok(userAccount, 'the canary user is connected');
    assert.equal((await api.internals.accounts.apps()).length, sim.world.apps.length, 'every app typed in was added');
    await vscode.commands.executeCommand('messengerExplorer.copyAccountId', { account: userAccount });
    const clipboards = [await vscode.env.clipboard.readText()];
    assert.equal(clipboards[0], user.id);
    await vscode.commands.executeCommand('messengerExplorer.copyAccountId', { account: (await api.internals.accounts.apps())[0] });
    clipboards.push(await vscode.env.clipboard.readText());
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');
    // A quick pick that lists the accounts, read while open.
    const picking = vscode.commands.executeCommand('messengerExplorer.copyAccountId');
    const pick = await eventually(
      async () => {
        const state = await ui.quickInput();
        assert.ok(state.open && state.html.includes(user.name), 'the account picker lists the user');
        return state;
      },
      10_000,
      'the account picker',
    );
    places.set('account quick pick', pick.html);
    await ui.press('Escape');
    await picking;

    // The explorer and ID resolution: documents, copied text, generated tables and the conversation view.
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
    await vscode.commands.executeCommand('messengerExplorer.openConversation', conversation);
    const articles = await eventually(
      async () => {
        const read = await ui.webviewArticles();
        assert.ok(read.length > 0, 'messages are rendered');
        return read;
      },
      15_000,
      'the conversation view to render',
    );

    // Error paths: bad input, a wrong secret, a revoked token, an expired token, a timeout.
    await vscode.commands.executeCommand('messengerExplorer.connectUser', `Bearer ${canaryToken}`);
    await vscode.commands.executeCommand('messengerExplorer.addPage', canaryToken);
    await vscode.commands.executeCommand('messengerExplorer.addApp', '12345678', canaryApp.secret);
    const pages = await api.internals.accounts.pages();
    await typeInto(places, [{ text: canaryToken, secret: true }], () =>
      vscode.commands.executeCommand('messengerExplorer.updateToken', { account: pages[0] }),
    );
    const beforeFault = logMark(sim);
    await control(sim, '/faults', { rules: [{ kind: 'status', status: 500, match: 'accounts', times: 1 }] });
    await vscode.commands.executeCommand('messengerExplorer.connectUser', canaryToken);
    assert.equal(faultsServed(sim, 'status', { since: beforeFault, match: 'accounts' }).served, 1, 'the HTTP 500 error path was taken');
    // A Graph error quoting the token, as Meta's messages sometimes do: logged and shown, redacted.
    const beforeQuote = logMark(sim);
    await control(sim, '/faults', {
      rules: [{ kind: 'graphError', code: 100, message: `Invalid parameter ${canaryToken} (?access_token=${canaryToken})`, times: 1 }],
    });
    await vscode.commands.executeCommand('messengerExplorer.resolveId', '24000000000000001');
    assert.equal(faultsServed(sim, 'graphError', { since: beforeQuote }).served, 1, 'the error quoting the token was served');
    await control(sim, '/token', { token: canaryToken, invalidSubcode: 460 });
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');
    await vscode.commands.executeCommand('messengerExplorer.connectUser', canaryToken);
    await control(sim, '/token', { token: canaryToken, expire: true });
    await typeInto(places, [{ text: canaryToken, secret: true }], () =>
      vscode.commands.executeCommand('messengerExplorer.updateToken', { account: userAccount }),
    );
    // The rejections are told: wait until the prompts are shown before reading what shows.
    await eventually(
      async () => assert.ok((await notificationTexts()).filter((t) => /rejected/.test(t)).length >= 1, 'a rejection prompt'),
      10_000,
      'the rejection prompt',
    );

    // Positive control: the secrets are where they belong.
    const inSecrets = await Promise.all((await api.internals.vault.keys()).map((k) => api.storage.secrets.get(k)));
    for (const canary of [canaryToken, canaryApp.secret]) {
      assert.ok(
        inSecrets.some((v) => v?.includes(canary)),
        'SecretStorage holds the secret',
      );
    }

    // What the extension host can read: logs, settings, mementos, storage folders, documents, clipboard, workspace files.
    places.set('log output channel (lines written)', (api.internals.log.lines ?? []).join('\n'));
    assert.ok((api.internals.log.lines ?? []).length > 10, 'the log was written');
    // Every log folder of this session: window, extension host, every extension.
    for (const [file, text] of await readTree(vscode.Uri.joinPath(api.storage.logUri, '..', '..', '..'))) {
      places.set(`log file ${file}`, text);
    }
    places.set(
      'settings',
      JSON.stringify(vscode.workspace.getConfiguration('messengerExplorer')) +
        JSON.stringify(vscode.workspace.getConfiguration().inspect('messengerExplorer')),
    );
    // The whole user-data folder as the extension host sees it now (the harness scans it again after shutdown).
    for (const [file, text] of await readTree(vscode.Uri.joinPath(api.storage.globalStorageUri, '..', '..', '..'))) {
      places.set(`user data ${file}`, text);
    }
    places.set('globalState', mementoText(api.storage.globalState));
    places.set('workspaceState', mementoText(api.storage.workspaceState));
    for (const document of vscode.workspace.textDocuments) {
      places.set(`open document ${document.uri.toString()}`, document.getText());
    }
    assert.ok(
      [...places.keys()].some((k) => k.startsWith('open document messenger-explorer:')),
      'the detail and raw JSON documents are scanned',
    );
    places.set('clipboard', clipboards.join('\n') + (await vscode.env.clipboard.readText()));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const [file, text] of await readTree(folder.uri)) {
        places.set(`workspace file ${file}`, text);
      }
    }

    // What Meta, a proxy or a server log would see: every request but its Authorization header and the bodies Meta requires.
    assert.ok(sim.log.length > 20, 'requests were made');
    for (const [place, text] of requestPlaces(sim.log)) {
      places.set(place, text);
    }

    // What a person sees: the workbench's DOM (every view row, the status bar, every frame, the webview included),
    // the browser storage web VS Code keeps state in, every tree row's tooltip, and the notifications.
    for (const view of ['Accounts', 'Conversations']) {
      const hovered = await ui.hoverRows(view);
      places.set(`tooltips of the ${view} rows`, hovered.map((h) => `${h.label}: ${h.hover}`).join('\n'));
      if (view === 'Accounts') {
        // Positive control: each account row's tooltip was read (it names the account and its ID).
        const userRow = hovered.find((h) => h.label === user.name);
        assert.ok(userRow?.hover.includes(user.id), `the tooltip of ${user.name} was read: ${JSON.stringify(hovered)}`);
      }
    }
    // Web VS Code keeps globalState in the browser's IndexedDB: a marker put there shows the scan reads it,
    // and waiting for it waits for the extension's state to be written.
    const marker = `leak-scan-marker-${Date.now()}-globalState`;
    await api.storage.globalState.update('messengerExplorer.leakScanMarker', marker);
    await vscode.commands.executeCommand('notifications.showList');
    try {
      const content = await eventually(
        async () => {
          const read = await ui.pageContent();
          assert.ok(
            read.storage.some((s) => s.name.startsWith('IndexedDB') && s.text.includes(marker)),
            'the globalState marker is in the browser storage read',
          );
          return read;
        },
        10_000,
        'globalState to reach the browser storage',
      );
      for (const [place, text] of pagePlaces(content, 'workbench with notifications open')) {
        places.set(place, text);
      }
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
    const shown = await notificationTexts();
    assert.ok(shown.length >= 3, `error messages were shown: ${shown.length}`);
    places.set('notifications', shown.join('\n'));
    // Positive controls: the page read holds the Accounts rows, the status bar, the webview's messages and a notification.
    const dom = [...places]
      .filter(([k]) => k.startsWith('workbench'))
      .map(([, v]) => v)
      .join('\n');
    assert.ok(dom.includes(user.name), 'the Accounts rows are in the page read');
    assert.ok(dom.includes('statusbar'), 'the status bar is in the page read');
    const firstText = articles.find((a) => a.text.length > 12)?.text ?? assert.fail('a message with text');
    assert.ok(dom.includes(firstText.slice(0, 12)), 'the conversation webview is in the page read');
    assert.ok(
      shown.some((t) => dom.includes(t.slice(0, 20))),
      'the notifications are in the page read',
    );
    assert.ok(
      [...places.keys()].some((p) => p.startsWith('log file') && p.includes('exthost')),
      `the log files were found: ${[...places.keys()].join(', ')}`,
    );
    // Positive control for the requests: the scan finds the token where it belongs, in Authorization.
    const scanner = new LeakScanner(secrets, publicTexts);
    assert.ok(
      scanner.scan('Authorization headers', authorizationHeaders(sim.log)).some((f) => f.secret === 'canary user token'),
      'the scan finds the canary token in the Authorization headers the simulator received',
    );

    const findings = scanner.scanAll(places);
    assert.deepEqual(findings, [], `a planted secret appears where a person or a process can read it:\n${describeFindings(findings)}`);
    // The redacted log still says what happened.
    assert.ok((api.internals.log.lines ?? []).some((l) => /rejected/.test(l)));

    // After shutdown, the harness scans the profile on disk for the same secrets; the markers prove it reads
    // the log folders and the untitled documents' backups.
    const file = process.env[LEAK_SCAN_ENV];
    if (file) {
      const request: LeakScanRequest = {
        secrets,
        publicTexts,
        markers: [{ label: 'the connect line of the extension log', value: `Connected ${user.name} (${user.id})`, under: 'logs' }],
      };
      writeFileSync(file, JSON.stringify(request));
    }
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
    // The notifications so far are cleared: the center lists the newest first, so counting on from before misreads.
    await vscode.commands.executeCommand('notifications.clearAll');
    sim.latencyMs = 400;
    try {
      const bulk = vscode.commands.executeCommand('messengerExplorer.resolveAllInFile', 'json');
      await eventually(() => assert.ok(sim.inFlight > 0), 10_000, 'the bulk resolution to have requests in flight');
      await vscode.commands.executeCommand('messengerExplorer.signOut', true);
      const atSignOut = received(sim);
      await bulk;
      await eventually(() => assert.equal(sim.inFlight, 0), 10_000, 'the simulator to finish what it had');
      // The views re-rendered after Sign Out: the refreshes it caused have run (they find no account to ask with).
      await eventually(
        async () => {
          assert.deepEqual(await api.trees.conversations.getChildren(), [], 'no Page is listed');
          if (uiDriverAvailable()) {
            assert.deepEqual(await ui.treeRows('Accounts'), [], 'the Accounts view renders empty');
            assert.deepEqual(await ui.treeRows('Conversations'), [], 'the Conversations view renders empty');
          }
        },
        10_000,
        'the views to render Sign Out',
      );
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
    const newErrors = (await errorNotifications()).filter((t) => /cancel|error|failed|could not/i.test(t));
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
      // Whatever still runs in the background (tree refreshes of the new host) has no token of the old one:
      // wait until the views show the new host, which has no account.
      await eventually(
        async () => {
          assert.deepEqual(await api.trees.conversations.getChildren(), [], 'the new host lists no Page');
          if (uiDriverAvailable()) {
            const headers = (await ui.visibleText('.pane-header')).join('\n');
            assert.ok(headers.includes(new URL(other.url).host), `a view names the new host: ${headers}`);
            assert.deepEqual(await ui.treeRows('Conversations'), [], 'the Conversations view renders empty');
          }
        },
        10_000,
        'the views to show the new host',
      );
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
