import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { control, startSimulatorFor, useGraphHost } from './support/simulator';
import { notificationTexts, uiDriverAvailable } from './support/ui';

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
    const userAccount = (await api.accounts.accounts()).find((a) => a.kind === 'user');
    assert.ok(userAccount, 'the canary user is connected');
    await vscode.commands.executeCommand('messengerExplorer.copyAccountId', { account: userAccount });
    const clipboards = [await vscode.env.clipboard.readText()];
    assert.equal(clipboards[0], user.id);
    await vscode.commands.executeCommand('messengerExplorer.copyAccountId', { account: (await api.accounts.apps())[0] });
    clipboards.push(await vscode.env.clipboard.readText());
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');

    // The explorer and ID resolution: documents, copied text and generated tables.
    const pageNode = (await api.explorer.roots()).find((n) => n.kind === 'page');
    assert.ok(pageNode && pageNode.kind === 'page');
    const owner = pageNode.groups[0] ?? pageNode;
    const conversation = (await api.explorer.children(owner)).find((n) => n.kind === 'conversation');
    assert.ok(conversation && conversation.kind === 'conversation');
    const message = (await api.explorer.children(conversation)).find((n) => n.kind === 'message');
    for (const [command, node] of [['openRawJson', pageNode], ['openRawJson', conversation], ['openMessage', message], ['copyAsCurl', pageNode], ['copyAsCurl', message]] as const) {
      await vscode.commands.executeCommand(`messengerExplorer.${command}`, node);
      clipboards.push(await vscode.env.clipboard.readText());
    }
    await vscode.commands.executeCommand('messengerExplorer.resolveParticipant', conversation);
    const psids = sim.world.people.slice(0, 20).map((p) => p.psids.get(pageNode.page.id)).filter(Boolean).join('\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: psids, language: 'log' }));
    await vscode.commands.executeCommand('messengerExplorer.resolveAllInFile', 'json');
    await vscode.commands.executeCommand('messengerExplorer.findThread', conversation.conversation.participants[0]?.id);

    // Error paths: bad input, a wrong secret, a revoked token, an expired token, a timeout.
    await vscode.commands.executeCommand('messengerExplorer.connectUser', `Bearer ${canaryToken}`);
    await vscode.commands.executeCommand('messengerExplorer.addPage', canaryToken);
    await vscode.commands.executeCommand('messengerExplorer.addApp', '12345678', canaryApp.secret);
    await vscode.commands.executeCommand('messengerExplorer.updateToken', { account: (await api.accounts.pages())[0] }, canaryToken);
    await control(sim, '/faults', { rules: [{ kind: 'status', status: 500, match: 'accounts', times: 1 }] });
    await vscode.commands.executeCommand('messengerExplorer.connectUser', canaryToken);
    await control(sim, '/token', { token: canaryToken, invalidSubcode: 460 });
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');
    await vscode.commands.executeCommand('messengerExplorer.connectUser', canaryToken);
    await control(sim, '/token', { token: canaryToken, expire: true });
    await vscode.commands.executeCommand('messengerExplorer.updateToken', { account: userAccount }, canaryToken);
    await new Promise((r) => setTimeout(r, 500));

    // Positive control: the secrets are where they belong, and the scan can see them.
    const inSecrets = await Promise.all((await api.vault.keys()).map((k) => api.secrets.get(k)));
    for (const canary of [canaryToken, canaryApp.secret]) {
      assert.ok(inSecrets.some((v) => v?.includes(canary)), 'SecretStorage holds the secret');
    }

    const places = new Map<string, string>();
    places.set('log output channel (lines written)', (api.log.lines ?? []).join('\n'));
    assert.ok((api.log.lines ?? []).length > 10, 'the log was written');
    for (const [file, text] of await readTree(vscode.Uri.joinPath(api.logUri, '..'))) {
      places.set(`log file ${file}`, text);
    }
    places.set('settings', JSON.stringify(vscode.workspace.getConfiguration('messengerExplorer')) + JSON.stringify(vscode.workspace.getConfiguration().inspect('messengerExplorer')));
    for (const [file, text] of await readTree(vscode.Uri.joinPath(api.globalStorageUri, '..', '..'))) {
      if (file.endsWith('settings.json') || file.includes('messenger-explorer')) {
        places.set(`user data ${file}`, text);
      }
    }
    places.set('globalState', mementoText(api.globalState));
    for (const document of vscode.workspace.textDocuments) {
      places.set(`open document ${document.uri.toString()}`, document.getText());
    }
    assert.ok([...places.keys()].some((k) => k.startsWith('open document messenger-explorer:')), 'the detail and raw JSON documents are scanned');
    assert.ok(sim.log.length > 20 && sim.log.every((r) => !r.tokenInUrl), 'no request carried a token in its URL');
    places.set('workspaceState', mementoText(api.workspaceState));
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
    assert.ok([...places.keys()].some((p) => p.startsWith('log file')), `the log files were found: ${[...places.keys()].join(', ')}`);

    for (const [place, text] of places) {
      for (const canary of canaries) {
        assert.ok(!text.includes(canary), `a planted secret appears in ${place}`);
      }
    }
    // The redacted log still says what happened.
    assert.ok((api.log.lines ?? []).some((l) => /rejected/.test(l)));
  });
});
