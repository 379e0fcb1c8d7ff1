import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { pageRowOf, threadRowsOfPage } from './support/rows';
import { expandInView } from './support/tree';
import { control, hostKeyOf, startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';

const ACCOUNTS = 'Accounts';
const CONVERSATIONS = 'Conversations';

describe('Accounts and tokens in SecretStorage', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sim: GraphSimulator;
  let host: string;

  const key = (name: string) => `messengerExplorer/${host}/${name}`;
  const stored = async () => (await api.internals.vault.keys()).sort();
  const addApps = async () => {
    for (const app of sim.world.apps) {
      await vscode.commands.executeCommand('messengerExplorer.addApp', app.id, app.secret);
    }
  };
  const notifications = () => notificationTexts();
  const clearNotifications = () => vscode.commands.executeCommand('notifications.clearAll');

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    sim = await startSimulatorFor(api);
    host = hostKeyOf(sim);
  });
  after(async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });
  beforeEach(async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await clearNotifications();
    sim.reset();
  });

  it('adds apps: the App Secret goes to SecretStorage only after the Graph API accepted it', async () => {
    await addApps();
    assert.deepEqual(await stored(), sim.world.apps.map((a) => key(`app/${a.id}`)).sort());
    const app = sim.world.apps[0];
    assert.ok(app);
    const record = JSON.parse((await api.storage.secrets.get(key(`app/${app.id}`))) ?? '{}') as { secret?: string; name?: string };
    assert.equal(record.secret, app.secret);
    assert.equal(record.name, app.name);

    await vscode.commands.executeCommand('messengerExplorer.addApp', app.id, 'f'.repeat(32));
    assert.equal(
      (JSON.parse((await api.storage.secrets.get(key(`app/${app.id}`))) ?? '{}') as { secret?: string }).secret,
      app.secret,
      'a wrong secret does not replace the right one',
    );
    if (uiDriverAvailable()) {
      await eventually(
        async () => assert.ok((await notifications()).some((t) => /do not match an app/.test(t))),
        10_000,
        'the wrong-secret message',
      );
    }
  });

  it('connects a user token typed into the real input box: every Page token is stored', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await addApps();
    const running = vscode.commands.executeCommand('messengerExplorer.connectUser');
    await eventually(
      async () => assert.equal((await ui.visibleText('.quick-input-widget .quick-input-title')).join(''), 'Connect with User Access Token'),
      10_000,
      'the token input box',
    );
    await ui.type('Bearer abc');
    await eventually(
      async () => assert.match((await ui.visibleText('.quick-input-widget .quick-input-message')).join(''), /without "Bearer"/),
      5_000,
      'the validation message',
    );
    await ui.press('Control+A');
    await ui.type(sim.credentials().userToken.slice(0, 20));
    await eventually(
      async () => assert.match((await ui.visibleText('.quick-input-widget .quick-input-message')).join(''), /looks cut off/),
      5_000,
      'the truncation message',
    );
    await ui.press('Control+A');
    await ui.type(sim.credentials().userToken);
    await ui.press('Enter');
    await running;

    const user = sim.world.users[0];
    assert.ok(user);
    const expected = [
      ...sim.world.apps.map((a) => key(`app/${a.id}`)),
      key(`user/${user.id}`),
      ...sim.world.pages.map((p) => key(`page/${p.id}`)),
    ].sort();
    assert.deepEqual(await stored(), expected);
    for (const page of sim.world.pages) {
      const record = JSON.parse((await api.storage.secrets.get(key(`page/${page.id}`))) ?? '{}') as {
        token?: string;
        appId?: string;
        scopes?: string[];
      };
      assert.equal(record.token, page.accessToken);
      assert.equal(record.appId, page.appId);
      assert.ok(record.scopes?.includes('pages_messaging'));
    }
    await eventually(
      async () => {
        const rows = await ui.treeRows(ACCOUNTS);
        assert.ok(
          rows.some((r) => r.label === 'Demo Developer' && /User · expires in \d+ days/.test(r.description)),
          JSON.stringify(rows),
        );
        assert.ok(
          rows.some((r) => r.label === sim.world.pages[0]?.name && /Page · never expires/.test(r.description)),
          JSON.stringify(rows),
        );
      },
      10_000,
      'the Accounts view',
    );
    await eventually(
      async () => {
        const labels = (await ui.treeRows(CONVERSATIONS)).map((r) => r.label);
        assert.deepEqual([...labels].sort(), sim.world.pages.map((p) => p.name).sort());
      },
      10_000,
      'the Pages in the conversations tree',
    );
  });

  it('refuses bad input with a specific message and stores nothing', async () => {
    await addApps();
    const before = await stored();
    const page = sim.world.pages[0];
    assert.ok(page);
    await vscode.commands.executeCommand('messengerExplorer.connectUser', page.accessToken);
    await vscode.commands.executeCommand('messengerExplorer.addPage', sim.credentials().userToken);
    assert.deepEqual(await stored(), before);
    if (uiDriverAvailable()) {
      await eventually(
        async () => {
          const texts = (await notifications()).join('\n');
          assert.match(texts, /This is a Page access token, not a user access token/);
          assert.match(texts, /This is a user access token, not a Page access token/);
        },
        10_000,
        'the wrong-kind messages',
      );
    }
  });

  it('asks for the app when the token needs appsecret_proof, and stores nothing', async function () {
    await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
    assert.deepEqual(await stored(), []);
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await eventually(
      async () => assert.ok((await notifications()).some((t) => /requires appsecret_proof/.test(t))),
      10_000,
      'the needs-app message',
    );
    await eventually(async () => assert.ok((await notificationTexts('.monaco-button')).includes('Add App…')), 5_000, 'the Add App action');
  });

  it('turns a revoked token into one prompt and an error state, then updates it', async function () {
    await addApps();
    await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
    const page = sim.world.pages[1];
    assert.ok(page);
    await control(sim, '/token', { token: page.accessToken, invalidSubcode: 460 });
    sim.reset();
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');
    const account = (await api.internals.accounts.pages()).find((p) => p.id === page.id);
    assert.ok(account);
    assert.ok(api.internals.accounts.rejectionOf(account), 'the token is marked rejected');
    // Further calls with it are refused without a request.
    const requests = sim.log.length;
    await assert.rejects(
      api.internals.accounts.call(account, (client, creds) => client.pageProfile(creds)),
      /password|invalid|session/i,
    );
    assert.equal(sim.log.length, requests);
    if (uiDriverAvailable()) {
      await eventually(
        async () => assert.ok((await notifications()).some((t) => t.includes(`The token of ${page.name} was rejected`))),
        10_000,
        'the prompt',
      );
      await eventually(
        async () => assert.ok((await ui.treeRows(ACCOUNTS)).some((r) => r.label === page.name && r.description.includes('token rejected'))),
        10_000,
        'the error state',
      );
    }

    const { token } = await control<{ token: string }>(sim, '/token', { token: page.accessToken, reissue: true });
    await vscode.commands.executeCommand('messengerExplorer.updateToken', { account }, token);
    const record = JSON.parse((await api.storage.secrets.get(key(`page/${page.id}`))) ?? '{}') as { token?: string };
    assert.equal(record.token, token);
    const updated = (await api.internals.accounts.pages()).find((p) => p.id === page.id);
    assert.ok(updated);
    assert.equal(api.internals.accounts.rejectionOf(updated), undefined);
    if (uiDriverAvailable()) {
      await eventually(
        async () => assert.ok((await ui.treeRows(ACCOUNTS)).some((r) => r.label === page.name && !r.description.includes('rejected'))),
        10_000,
        'the healthy row',
      );
    }
  });

  it('a token revoked between two batch requests is recognised from the batch items: one prompt, the Accounts row says so', async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await addApps();
    await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
    const page = sim.world.pages.find((p) => p.instagram) ?? assert.fail('a Page with Instagram');
    const { node } = await pageRowOf(api, page.id);
    await expandInView(api, node);
    await threadRowsOfPage(api, node, 'both lists, from the first batch');
    await control(sim, '/token', { token: page.accessToken, invalidSubcode: 460 });
    await clearNotifications();
    sim.reset();
    await ui.clickTitleAction(CONVERSATIONS, 'Refresh All');
    await eventually(() => assert.ok(sim.log.some((r) => r.batchSize === 2 && r.status === 200)), 10_000, 'the second batch');
    await eventually(
      async () => assert.ok((await ui.treeRows(ACCOUNTS)).some((r) => r.label === page.name && r.description.includes('token rejected'))),
      10_000,
      'the Accounts row marked rejected',
    );
    const prompts = await eventually(
      async () => {
        const shown = await notifications();
        assert.ok(shown.length > 0, 'the prompt');
        return shown;
      },
      10_000,
      'the prompt',
    );
    assert.deepEqual(
      prompts.filter((t) => /was rejected/.test(t)),
      [prompts.find((t) => t.includes(`The token of ${page.name} was rejected`)) ?? 'missing'],
      `exactly one prompt: ${prompts.join(' / ')}`,
    );
    const { token } = await control<{ token: string }>(sim, '/token', { token: page.accessToken, reissue: true });
    const account = (await api.internals.accounts.pages()).find((p) => p.id === page.id);
    await vscode.commands.executeCommand('messengerExplorer.updateToken', { account }, token);
  });

  it('a slow request with the old token that fails after Update Token does not block the new token', async () => {
    await addApps();
    await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
    const page = sim.world.pages[0];
    assert.ok(page);
    const old = (await api.internals.accounts.pages()).find((p) => p.id === page.id);
    assert.ok(old);
    await control(sim, '/token', { token: page.accessToken, invalidSubcode: 460 });
    sim.latencyMs = 1500;
    let slow: Promise<unknown>;
    try {
      // Started with the old token; its answer (rejected) arrives after the update below.
      slow = api.internals.accounts
        .call(old, (client, creds) => client.pageProfile(creds))
        .then(
          () => 'ok',
          (e: unknown) => e,
        );
      await eventually(() => assert.ok(sim.inFlight > 0), 5_000, 'the slow request to be in flight');
      sim.latencyMs = 0;
      const { token } = await control<{ token: string }>(sim, '/token', { token: page.accessToken, reissue: true });
      await vscode.commands.executeCommand('messengerExplorer.updateToken', { account: old }, token);
    } finally {
      sim.latencyMs = 0;
    }
    assert.notEqual(await slow, 'ok', 'the old token was rejected');
    const updated = (await api.internals.accounts.pages()).find((p) => p.id === page.id);
    assert.ok(updated && updated.kind === 'page' && updated.token !== old.token);
    const before = sim.log.length;
    const profile = await api.internals.accounts.call(updated, (client, creds) => client.pageProfile(creds));
    assert.equal(profile.id, page.id, 'the new token works');
    assert.equal(sim.log.length, before + 1, 'and was sent, not refused by a stale rejection');
  });

  it('refuses to update a token with one for another account', async () => {
    await addApps();
    await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
    const [first, second] = sim.world.pages;
    assert.ok(first && second);
    const account = (await api.internals.accounts.pages()).find((p) => p.id === first.id);
    await vscode.commands.executeCommand('messengerExplorer.updateToken', { account }, second.accessToken);
    const record = JSON.parse((await api.storage.secrets.get(key(`page/${first.id}`))) ?? '{}') as { token?: string };
    assert.equal(record.token, first.accessToken);
  });

  it('removes one account, and a user together with its Pages', async () => {
    await addApps();
    await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
    const page = sim.world.pages[0];
    const app = sim.world.apps[1];
    assert.ok(page && app);
    const account = (await api.internals.accounts.accounts()).find((a) => a.id === page.id);
    await vscode.commands.executeCommand('messengerExplorer.removeAccount', { account }, true);
    assert.equal(await api.storage.secrets.get(key(`page/${page.id}`)), undefined);
    assert.ok(!(await stored()).includes(key(`page/${page.id}`)));
    const user = (await api.internals.accounts.accounts()).find((a) => a.kind === 'user');
    await vscode.commands.executeCommand('messengerExplorer.removeAccount', { account: user }, true);
    assert.deepEqual(await stored(), sim.world.apps.map((a) => key(`app/${a.id}`)).sort(), 'only the apps remain');
  });

  it('signs out of everything: every secret it stored is deleted, on every host', async () => {
    await addApps();
    await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
    await api.internals.vault.store('graph.facebook.com', 'page/999999', '{"kind":"page"}');
    const keys = await stored();
    assert.ok(keys.length > sim.world.pages.length);
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    assert.deepEqual(await stored(), []);
    for (const k of [...keys, 'messengerExplorer/index']) {
      assert.equal(await api.storage.secrets.get(k), undefined, k);
    }
    if (uiDriverAvailable()) {
      await eventually(
        async () => assert.match(await ui.welcomeText(CONVERSATIONS), /Connect to Local Simulator/),
        10_000,
        'the welcome view',
      );
    }
  });

  it('connects to the local simulator in one command', async () => {
    await useGraphHost(api, undefined);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    assert.equal(api.internals.accounts.endpoint.ok && api.internals.accounts.endpoint.origin, sim.url);
    assert.equal((await api.internals.accounts.pages()).length, sim.world.pages.length);
    assert.equal((await api.internals.accounts.apps()).length, sim.world.apps.length);
  });

  it('never sends a token to a host set in workspace settings', async () => {
    const hostile: string[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      hostile.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers.authorization ? 'with token' : ''}`);
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const hostileUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test window has a workspace folder');
    const settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    try {
      // What a cloned repository could carry: its own .vscode/settings.json.
      await vscode.workspace.fs.writeFile(
        settingsFile,
        new TextEncoder().encode(
          JSON.stringify({
            'messengerExplorer.graph.host': hostileUrl,
            'messengerExplorer.graph.apiVersion': 'v1.0',
            'messengerExplorer.tokens.expiryWarningDays': 3,
          }),
        ),
      );
      // A window-scoped setting in the same file shows VS Code has read it.
      await eventually(
        () => assert.equal(vscode.workspace.getConfiguration('messengerExplorer').inspect('tokens.expiryWarningDays')?.workspaceValue, 3),
        10_000,
        'VS Code to read the workspace settings',
      );
      await vscode.commands.executeCommand('messengerExplorer.signOut', true);
      await addApps();
      await vscode.commands.executeCommand('messengerExplorer.connectUser', sim.credentials().userToken);
      await vscode.commands.executeCommand('messengerExplorer.checkTokens');
      assert.deepEqual(hostile, [], 'no request reached the workspace-configured host');
      assert.ok(api.internals.accounts.endpoint.ok && api.internals.accounts.endpoint.origin === sim.url);
      assert.equal((await api.internals.accounts.pages()).length, sim.world.pages.length, 'the user-configured simulator got the calls');
    } finally {
      await vscode.workspace.fs.delete(settingsFile);
      server.close();
    }
  });
});
