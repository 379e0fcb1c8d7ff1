import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { Resolution } from '../../src/core/ids/resolve';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { pageRowOf, threadRowsOfPage } from './support/rows';
import { control, startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';

const VIEW = 'Linked IDs';

describe('Resolving linked IDs wherever an ID appears', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: GraphSimulator;

  const requestsDuring = async <T>(work: () => Thenable<T> | Promise<T>): Promise<{ value: T; requests: number }> => {
    const before = sim.log.length;
    const value = await work();
    return { value, requests: sim.log.length - before };
  };
  /** Whether the simulator was asked about an ID: by its path or in an `ids=` list. */
  const askedAbout = (id: string) =>
    sim.log.some((r) => r.path === id || r.path.startsWith(`${id}/`) || (r.query.ids ?? '').split(',').includes(id));
  /** The Linked IDs view's rendered rows once they show an ID's resolution: its row and its apps' rows. */
  const linkedRowsOf = (id: string, apps: { name: string; asid: string }[]) =>
    eventually(
      async () => {
        const rows = await ui.treeRows(VIEW);
        assert.ok(
          rows.some((r) => r.label.startsWith(id)),
          `a row for ${id}: ${rows.map((r) => `${r.label} ${r.description}`).join(' | ')}`,
        );
        for (const app of apps) {
          assert.ok(
            rows.some((r) => r.label === app.name && r.description === app.asid),
            `a row for ${app.name}`,
          );
        }
        return rows;
      },
      10_000,
      'the Linked IDs view',
    ).catch(async (error: unknown) => {
      // What the person was told instead says why the view stayed empty.
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; notifications: ${(await notificationTexts()).join(' / ')}`,
      );
    });
  const firstPage = () => sim.world.pages[0] ?? assert.fail('a Page');
  const personOf = (pageId: string) =>
    sim.world.people.find(
      (p) => p.psids.has(pageId) && [...p.asids.keys()].some((a) => sim.world.app(a)?.businessId === sim.world.page(pageId)?.businessId),
    ) ?? assert.fail('a person');
  /** Closes every editor without being asked to save the untitled ones. */
  const closeEditorsWithoutSaving = async () => {
    for (let i = 0; i < 20 && vscode.window.visibleTextEditors.length > 0; i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  };
  const openText = async (content: string, language = 'json') => {
    const document = await vscode.workspace.openTextDocument({ language, content });
    return vscode.window.showTextDocument(document);
  };

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 9, people: 80 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
  });
  after(async () => {
    await closeEditorsWithoutSaving();
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });
  beforeEach(async () => {
    // An editor left open would be redrawn with the next test's document, and a right-click could land on the old one.
    await closeEditorsWithoutSaving();
    await vscode.commands.executeCommand('messengerExplorer.clearLinkedIdsCache');
    await vscode.commands.executeCommand('notifications.clearAll');
    sim.reset();
  });

  it('resolves the PSID under the cursor in a JSON payload, shows the linked IDs, and uses the cache next time', async () => {
    const page = firstPage();
    const person = personOf(page.id);
    const psid = person.psids.get(page.id) ?? '';
    const editor = await openText(
      `{"object":"page","entry":[{"messaging":[{"sender":{"id":"${psid}"},"recipient":{"id":"${page.id}"}}]}]}`,
    );
    const offset = editor.document.getText().indexOf(psid) + 4;
    editor.selection = new vscode.Selection(editor.document.positionAt(offset), editor.document.positionAt(offset));
    const { value: resolution, requests } = await requestsDuring(() =>
      vscode.commands.executeCommand<Resolution>('messengerExplorer.resolveAtCursor'),
    );
    assert.equal(resolution.id, psid);
    assert.equal(resolution.name, person.name);
    assert.equal(resolution.via.id, page.id);
    assert.ok(requests <= sim.world.pages.length, `${requests} requests`);
    const business = page.businessId;
    const expectedApps = sim.world.apps.filter((a) => a.businessId === business && person.asids.has(a.id));
    assert.deepEqual(resolution.idsForApps.map((a) => a.id).sort(), expectedApps.map((a) => person.asids.get(a.id)).sort());
    assert.ok(sim.log.every((r) => r.tokenSource === 'header' && !r.tokenInUrl));
    if (uiDriverAvailable()) {
      await eventually(
        async () => {
          const rows = await ui.treeRows(VIEW);
          assert.ok(
            rows.some((r) => r.label.startsWith(psid)),
            JSON.stringify(rows),
          );
          for (const app of expectedApps) {
            assert.ok(
              rows.some((r) => r.label === app.name && r.description === person.asids.get(app.id)),
              `row for ${app.name}`,
            );
          }
        },
        10_000,
        'the Linked IDs view',
      );
      // Enter (and a click) on an app's row copies its ID, and says so in the status bar.
      const app = expectedApps[0] ?? assert.fail('an app of the business');
      const asid = person.asids.get(app.id) ?? assert.fail('its ASID');
      await vscode.env.clipboard.writeText('');
      await ui.clickRow(VIEW, app.name);
      await eventually(async () => assert.equal(await vscode.env.clipboard.readText(), asid), 5_000, 'copied by a click');
      await vscode.env.clipboard.writeText('');
      await ui.press('Enter');
      await eventually(async () => assert.equal(await vscode.env.clipboard.readText(), asid), 5_000, 'copied by Enter');
      await eventually(
        async () => assert.ok((await ui.visibleText('.statusbar-item')).some((t) => t.includes(`Copied ${asid}`))),
        5_000,
        'the status bar says Copied',
      );
    }
    const again = await requestsDuring(() => vscode.commands.executeCommand<Resolution>('messengerExplorer.resolveAtCursor'));
    assert.equal(again.requests, 0, 'a cached repeat costs no request');
    const stored = await eventually(
      () => JSON.stringify(api.storage.globalState.get('messengerExplorer.linkedIdsCache') ?? assert.fail('not persisted yet')),
      5_000,
      'the persisted cache',
    );
    assert.ok(stored.includes(psid), 'the resolution is kept in globalState');
    assert.ok(!stored.includes(page.accessToken) && !sim.world.apps.some((a) => stored.includes(a.secret)), 'without any token or secret');
  });

  it("resolves the ID a person right-clicks in an editor, from the editor's context menu", async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const page = firstPage();
    const person = personOf(page.id);
    const psid = person.psids.get(page.id) ?? assert.fail('a PSID');
    const editor = await openText(`{"recipient":{"id":"${page.id}"},\n "sender":{"id":"${psid}"}}`);
    // The cursor starts on the other ID: only the right-click puts it on the PSID.
    const onPage = editor.document.positionAt(editor.document.getText().indexOf(page.id) + 2);
    editor.selection = new vscode.Selection(onPage, onPage);
    await ui.editorContextMenu(psid, 'Resolve Linked IDs');
    const apps = sim.world.apps
      .filter((a) => a.businessId === page.businessId && person.asids.has(a.id))
      .map((a) => ({ name: a.name, asid: person.asids.get(a.id) ?? '' }));
    const rows = await linkedRowsOf(psid, apps);
    assert.ok(!rows.some((r) => r.label.startsWith(page.id)), 'not the ID the cursor was on before');
    assert.ok(askedAbout(psid), `the simulator was asked about ${psid}`);
    const word = editor.document.getWordRangeAtPosition(editor.selection.active, /\d+/);
    assert.equal(word && editor.document.getText(word), psid, 'the right-click moved the cursor onto the PSID');
  });

  it("cancelling a bulk resolution with the notification's Cancel button shows no error", async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const page = firstPage();
    const ids = sim.world.people.map((p) => p.psids.get(page.id)).filter((x): x is string => x !== undefined);
    await openText(ids.join('\n'), 'log');
    sim.latencyMs = 1500;
    try {
      const bulk = vscode.commands.executeCommand('messengerExplorer.resolveAllInFile', 'json');
      await eventually(() => assert.ok(sim.inFlight > 0), 10_000, 'the bulk resolution to be under way');
      await vscode.commands.executeCommand('notifications.showList');
      await ui.clickText('.notifications-center .monaco-button', 'Cancel');
      await vscode.commands.executeCommand('notifications.hideList');
      assert.equal(await bulk, undefined, 'the command ends without a table');
    } finally {
      sim.latencyMs = 0;
      // The simulator still answers what was cancelled: later tests count requests, so those end here.
      await eventually(() => assert.equal(sim.inFlight, 0), 10_000, 'the cancelled requests answered');
    }
    const shown = await notificationTexts();
    assert.deepEqual(
      shown.filter((t) => /cancel|error|fail/i.test(t)),
      [],
      `no error notification: ${shown.join(' / ')}`,
    );
  });

  it("a rejected token is told once: the prompt, and not also the command's own error", async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    const page = firstPage();
    const person = personOf(page.id);
    const psid = person.psids.get(page.id) ?? assert.fail('a PSID');
    await control(sim, '/token', { token: page.accessToken, invalidSubcode: 460 });
    try {
      const logged = api.internals.log.lines?.length ?? 0;
      await vscode.commands.executeCommand('messengerExplorer.resolveId', `${psid} page=${page.id}`);
      await eventually(async () => assert.ok((await notificationTexts()).some((t) => /was rejected/.test(t))), 10_000, 'the prompt');
      // The command has ended and its runner has judged the failure (the log says so): a second
      // notification would have been asked for by now, and VS Code shows the host's messages in order.
      assert.ok(
        (api.internals.log.lines ?? []).slice(logged).some((l) => l.includes('messengerExplorer.resolveId failed')),
        "the command's failure was judged",
      );
      const shown = await notificationTexts();
      assert.equal(shown.length, 1, `exactly one notification: ${shown.join(' / ')}`);
    } finally {
      const { token } = await control<{ token: string }>(sim, '/token', { token: page.accessToken, reissue: true });
      const account = (await api.internals.accounts.pages()).find((p) => p.id === page.id);
      await vscode.commands.executeCommand('messengerExplorer.updateToken', { account }, token);
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });

  it('says clearly when there is no ID under the cursor', async function () {
    const editor = await openText('no numbers here', 'plaintext');
    editor.selection = new vscode.Selection(0, 3, 0, 3);
    const { requests } = await requestsDuring(() => vscode.commands.executeCommand('messengerExplorer.resolveAtCursor'));
    assert.equal(requests, 0);
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await eventually(
      async () => assert.ok((await notificationTexts()).some((t) => t.startsWith('No ID under the cursor'))),
      10_000,
      'the message',
    );
  });

  it('resolves an ASID from the command palette with a page= filter, with the app token', async () => {
    const page = firstPage();
    const person = personOf(page.id);
    const app = sim.world.apps.find((a) => a.businessId === page.businessId && person.asids.has(a.id)) ?? assert.fail('an app');
    const asid = person.asids.get(app.id) ?? '';
    const resolution = await vscode.commands.executeCommand<Resolution>('messengerExplorer.resolveId', `${asid} page=${page.id}`);
    assert.deepEqual(resolution.via, { kind: 'app', id: app.id, name: app.name });
    assert.deepEqual(
      resolution.idsForPages.map((p) => p.page.id),
      [page.id],
    );
    assert.equal(resolution.idsForPages[0]?.id, person.psids.get(page.id));
    assert.ok(sim.log.some((r) => /ids_for_pages\.page\(/.test(r.query.fields ?? '')));
  });

  it('resolves the participant of a conversation in the tree with one request', async () => {
    const page = firstPage();
    const { node } = await pageRowOf(api, page.id);
    const conversation = (await threadRowsOfPage(api, node))[0]?.node;
    assert.ok(conversation?.kind === 'conversation', `a conversation under ${node.id}`);
    const { value, requests } = await requestsDuring(() =>
      vscode.commands.executeCommand<Resolution>('messengerExplorer.resolveParticipant', conversation),
    );
    assert.equal(requests, 1, "the thread's Page is asked first");
    assert.equal(value.via.id, page.id);
  });

  it("resolves a variable a person right-clicks in the debugger's Variables view, in a real debug session", async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    // Untitled editors would make "save before debugging" ask where to save them.
    await closeEditorsWithoutSaving();
    const page = firstPage();
    const person = personOf(page.id);
    const psid = person.psids.get(page.id) ?? assert.fail('a PSID');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const program = vscode.Uri.joinPath(folder.uri, 'bot.js');
    await vscode.workspace.fs.writeFile(
      program,
      new TextEncoder().encode(`const senderPsid = '${psid}';\nconst count = 3;\ndebugger;\nconsole.log(senderPsid, count);\n`),
    );
    const stopped = new Promise<void>((resolve) => {
      const subscription = vscode.debug.onDidChangeActiveStackItem((item) => {
        if (item && vscode.debug.activeDebugSession) {
          subscription.dispose();
          resolve();
        }
      });
    });
    // VS Code's built-in JavaScript debugger (ms-vscode.js-debug) runs the program.
    const started = await Promise.race([
      Promise.resolve(
        vscode.debug.startDebugging(folder, {
          type: 'node',
          request: 'launch',
          name: 'bot',
          program: program.fsPath,
          console: 'internalConsole',
        }),
      ),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('startDebugging did not return')), 30_000)),
    ]);
    assert.ok(started, 'the debugger started');
    try {
      await Promise.race([
        stopped,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the program never stopped at debugger')), 30_000)),
      ]);
      // Run and Debug (Ctrl+Shift+D); the Local scope opened with a click when VS Code left it closed.
      await vscode.commands.executeCommand('workbench.view.debug');
      const local = await eventually(
        async () =>
          (await ui.treeRows('Variables')).find((r) => r.label === 'Local' || /^Scope Local/.test(r.ariaLabel)) ??
          assert.fail('no Local scope'),
        15_000,
        'the Local scope',
      );
      if (local.expanded === false) {
        await ui.clickRow('Variables', 'Local');
      }
      const row = await eventually(
        async () => {
          const rows = await ui.treeRows('Variables');
          return (
            rows.find((r) => /senderPsid, value/.test(r.ariaLabel)) ??
            assert.fail(`no senderPsid row in the Variables view: ${rows.map((r) => r.ariaLabel).join(' | ')}`)
          );
        },
        15_000,
        "the variable's row",
      );
      assert.ok(row.ariaLabel.includes(`'${psid}'`), `the debugger shows the string with quotes: ${row.ariaLabel}`);
      await ui.clickRow('Variables', 'senderPsid', 'right');
      await ui.chooseMenuItem('Resolve Linked IDs');
      const apps = sim.world.apps
        .filter((a) => a.businessId === page.businessId && person.asids.has(a.id))
        .map((a) => ({ name: a.name, asid: person.asids.get(a.id) ?? '' }));
      // The command reveals the Linked IDs view, which brings the Messenger Explorer sidebar back.
      await linkedRowsOf(psid, apps);
      assert.ok(askedAbout(psid), `the simulator was asked about ${psid}`);
    } finally {
      // A bound, not a wait: stopping a session that is already gone can leave the promise pending.
      await Promise.race([Promise.resolve(vscode.debug.stopDebugging()), new Promise((r) => setTimeout(r, 5_000))]);
      await vscode.workspace.fs.delete(program);
    }
  });

  it('resolves every ID of a generated log file in bulk, 50 per request, into a CSV table', async () => {
    const [pageA, pageB] = sim.world.pages;
    assert.ok(pageA && pageB);
    const idsA = sim.world.people.map((p) => p.psids.get(pageA.id)).filter((x): x is string => x !== undefined);
    const idsB = sim.world.people
      .map((p) => p.psids.get(pageB.id))
      .filter((x): x is string => x !== undefined)
      .slice(0, 4);
    const lines = [...idsA, ...idsB, ...idsA.slice(0, 10)].map(
      (id, i) =>
        `2026-11-20T12:${String(i % 60).padStart(2, '0')}:00Z INFO webhook message from psid=${id} page_id=${i < idsA.length ? pageA.id : pageB.id}`,
    );
    await openText(lines.join('\n'), 'log');
    const { value: document, requests } = await requestsDuring(() =>
      vscode.commands.executeCommand<vscode.TextDocument>('messengerExplorer.resolveAllInFile', 'csv'),
    );
    const csv = document.getText().trim().split(/\r\n/);
    assert.equal(csv[0], 'id,name,resolved_via,linked_kind,linked_id,app_or_page_id,app_or_page_name,error');
    for (const id of [...idsA, ...idsB]) {
      assert.ok(
        csv.some((l) => l.startsWith(`${id},`) && l.includes(',page,')),
        `a linked-Page row for ${id}`,
      );
    }
    const distinct = new Set([...idsA, ...idsB, pageA.id, pageB.id]).size;
    assert.ok(requests <= 2 * Math.ceil(distinct / 50) * (sim.world.pages.length + sim.world.apps.length), `${requests} requests`);
    assert.ok(
      sim.log.some((r) => (r.query.ids?.split(',').length ?? 0) > 1),
      'multi-ID requests',
    );
    assert.equal(document.isUntitled, true, 'an unsaved table the user can save');
    assert.match(document.uri.path, /^Linked IDs · \d+ IDs( \(\d+\))?\.csv$/, 'a readable tab title, not the header line');
  });

  it('shows linked IDs on hover only when enabled, and from the network only when allowed', async () => {
    const page = firstPage();
    const psid = personOf(page.id).psids.get(page.id) ?? '';
    const editor = await openText(`psid=${psid}`, 'plaintext');
    const position = new vscode.Position(0, 8);
    const config = vscode.workspace.getConfiguration('messengerExplorer');
    const hoverText = async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      // appendText escapes Markdown and spaces; undo that to read the text.
      return hovers
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
        .join('\n')
        .replace(/&nbsp;/g, ' ')
        .replace(/\\(.)/g, '$1');
    };
    try {
      await config.update('linkedIds.hover', true, vscode.ConfigurationTarget.Global);
      const before = sim.log.length;
      assert.doesNotMatch(await hoverText(), /Linked IDs of/);
      assert.equal(sim.log.length, before, 'no request on hover by default');
      await vscode.commands.executeCommand('messengerExplorer.resolveId', psid);
      // A setting reaches the extension host as an event after update() returns: the hover is read until it follows.
      const hoverShows = async (shown: boolean, what: string) =>
        eventually(
          async () => (shown ? assert.match : assert.doesNotMatch)(await hoverText(), new RegExp(`Linked IDs of ${psid}`)),
          5_000,
          what,
        );
      await hoverShows(true, 'the hover from the cache');
      await vscode.commands.executeCommand('messengerExplorer.clearLinkedIdsCache');
      await config.update('linkedIds.hoverNetwork', true, vscode.ConfigurationTarget.Global);
      await hoverShows(true, 'the hover from the network');
      await config.update('linkedIds.hover', undefined, vscode.ConfigurationTarget.Global);
      await hoverShows(false, 'no hover once turned off');
    } finally {
      await config.update('linkedIds.hover', undefined, vscode.ConfigurationTarget.Global);
      await config.update('linkedIds.hoverNetwork', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('explains an ID no connected account can see', async function () {
    await vscode.commands.executeCommand('messengerExplorer.resolveId', '999999999999999');
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await eventually(
      async () =>
        assert.ok(
          (await notificationTexts()).some((t) =>
            /Could not resolve 999999999999999 .*unknown, deleted, or belongs to a Page or app that is not connected/.test(t),
          ),
        ),
      10_000,
      'the explanation',
    );
  });
});
