import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { control, hostKeyOf, startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, notificationTexts, ui, uiDriverAvailable } from './support/ui';

/**
 * Sign in with Facebook against the simulator: the input boxes typed in, the code read from the
 * notification, the approval form of the simulator's /device page posted over plain HTTP (the UI
 * driver drives VS Code's page only), then the Pages in the tree and the session in VS Code.
 */
describe('Sign in with Facebook (Login for Devices)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: GraphSimulator;
  let host: string;

  const stored = async () => (await api.internals.vault.keys()).filter((k) => k.startsWith(`messengerExplorer/${host}/`)).sort();

  /** Waits for the quick input with this title step, types the value and presses Enter. */
  async function answer(step: string, value: string): Promise<void> {
    await eventually(
      async () => assert.ok((await ui.visibleText('.quick-input-widget .quick-input-title')).some((t) => t.includes(step))),
      15_000,
      `the input box ${step}`,
    );
    await ui.type(value);
    await ui.press('Enter');
  }

  /** The code shown to the person, read from the notifications as they see it. */
  async function shownCode(): Promise<string> {
    return eventually(
      async () => {
        const code = (await notificationTexts()).map((t) => /sign-in code is ([A-Z0-9]{8})/.exec(t)?.[1]).find(Boolean);
        assert.ok(code, 'no code shown yet');
        return code;
      },
      15_000,
      'the sign-in code',
    );
  }

  /** What the person does in the browser: opens the /device page in another tab, types the code, clicks Approve. */
  async function approveOnSimulatorPage(userCode: string): Promise<void> {
    assert.equal(await ui.decideOnWebPage(`${sim.url}/device`, userCode, 'approve', 'device-approval'), 'approved');
  }

  before(async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    sim = await startSimulatorFor(api, { settings: { devicePollInterval: 1 } });
    host = hostKeyOf(sim);
  });
  after(async () => {
    if (!api) {
      return;
    }
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });
  beforeEach(async () => {
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('notifications.clearAll');
    sim.reset();
  });

  it('signs in without a token: code shown, approved on the simulator page, Pages listed, long-lived expiry shown; removing the user removes its tokens', async () => {
    const app = sim.credentials().apps[0];
    assert.ok(app);
    const signingIn = vscode.commands.executeCommand('messengerExplorer.signInWithFacebook');
    await answer('(1/3)', app.id);
    await answer('(2/3)', app.clientToken);
    await answer('(3/3)', app.secret);
    const code = await shownCode();
    // What the person sees while VS Code waits: the code, Copy Code and Open Page (the README's picture).
    await vscode.commands.executeCommand('notifications.showList');
    await ui.screenshot('sign-in-code');
    await vscode.commands.executeCommand('notifications.hideList');
    await approveOnSimulatorPage(code);
    await signingIn;

    // The Pages, in the tree, as Connect adds them.
    await eventually(async () => {
      const rows = await ui.treeRows('Conversations');
      for (const page of sim.world.pages) {
        assert.ok(
          rows.some((r) => r.label === page.name),
          `${page.name} in ${rows.map((r) => r.label).join(', ')}`,
        );
      }
    }, 20_000);
    // The device token was short-lived (1 hour): it was exchanged, and the Accounts view shows about 60 days.
    const exchange = sim.log.find((r) => r.path === 'oauth/access_token');
    assert.ok(exchange, 'the exchange was made');
    assert.equal(exchange.method, 'POST');
    assert.ok(!exchange.tokenInUrl && !('client_secret' in exchange.query), 'the App Secret was in the body, not the URL');
    const user = (await api.internals.accounts.accounts()).find((a) => a.kind === 'user');
    assert.ok(user?.kind === 'user');
    assert.ok((user.expiresAt ?? 0) - Math.floor(sim.world.clock() / 1000) > 59 * 86_400, 'a long-lived token is stored');
    await eventually(async () => {
      const row = (await ui.treeRows('Accounts')).find((r) => r.label === user.name);
      const days = Number(/expires in (\d+) days/.exec(row?.description ?? '')?.[1] ?? 0);
      assert.ok(days > 45, `the user row shows the new expiry: ${row?.description ?? '(no row)'}`);
    });
    assert.ok((await notificationTexts()).some((t) => t.startsWith(`Signed in with Facebook as ${user.name}`)));
    // VS Code's Accounts menu lists the account, from the provider's sessions.
    await vscode.commands.executeCommand('notifications.hideList');
    await ui.clickText('.activitybar .action-item:has(.action-label[aria-label^="Accounts"])', '');
    const menu = await eventually(
      async () => {
        const items = await ui.visibleText('.monaco-menu .action-label');
        assert.ok(
          items.some((t) => t.includes(user.name)),
          `the Accounts menu: ${items.join(' | ')}`,
        );
        return items;
      },
      10_000,
      "the account in VS Code's Accounts menu",
    );
    await ui.screenshot('accounts-menu');
    await ui.press('Escape');
    assert.ok(
      menu.some((t) => t.includes('Facebook (Messenger Explorer)')),
      `under our provider: ${menu.join(' | ')}`,
    );

    const secrets = await stored();
    assert.ok(secrets.some((k) => k.endsWith('/login/app')));
    assert.ok(secrets.some((k) => k.endsWith(`/user/${user.id}`)));

    // Sign Out in VS Code's Accounts menu calls the provider's removeSession (its confirmation dialog is suppressed under test):
    // the user goes, with its Pages' tokens.
    const sessions = await api.internals.facebook.getSessions();
    assert.deepEqual(
      sessions.map((s) => [s.account.label, s.accessToken]),
      [[user.name, '']],
      'one session, which hands no token to other extensions',
    );
    await api.internals.facebook.removeSession(sessions[0]?.id ?? '');
    await eventually(async () => {
      const left = await stored();
      assert.ok(!left.some((k) => k.includes('/user/') || k.includes('/page/')), `tokens left: ${left.join(', ')}`);
    });
  });

  it("signs in from VS Code's Accounts menu: its entry for a new user runs the same sign-in", async () => {
    const app = sim.credentials().apps[0];
    assert.ok(app);
    // With no account, the Accounts menu offers the sign-in (VS Code's quiet prompt: a badge, no dialog).
    await ui.clickText('.activitybar .action-item:has(.action-label[aria-label^="Accounts"])', '');
    await eventually(
      async () => {
        const items = await ui.visibleText('.monaco-menu .action-label');
        assert.ok(
          items.some((t) => t.includes('Facebook (Messenger Explorer)')),
          `the Accounts menu: ${items.join(' | ')}`,
        );
      },
      10_000,
      'the sign-in entry in the Accounts menu',
    );
    await ui.clickText('.monaco-menu .action-label', 'Facebook (Messenger Explorer)');
    await answer('(1/3)', app.id);
    await answer('(2/3)', app.clientToken);
    await answer('(3/3)', app.secret);
    await approveOnSimulatorPage(await shownCode());
    await eventually(async () => {
      const rows = await ui.treeRows('Conversations');
      assert.ok(
        sim.world.pages.every((page) => rows.some((r) => r.label === page.name)),
        rows.map((r) => r.label).join(', '),
      );
    }, 20_000);
    const [session] = await api.internals.facebook.getSessions();
    assert.equal(session?.account.label, sim.world.users[0]?.name, 'the session VS Code asked for');
  });

  it('offers Renew… once the simulator clock has expired the token, and Renew signs in again', async () => {
    const app = sim.credentials().apps[0];
    assert.ok(app);
    const first = vscode.commands.executeCommand('messengerExplorer.signInWithFacebook');
    await answer('(1/3)', app.id);
    await answer('(2/3)', app.clientToken);
    await answer('(3/3)', app.secret);
    await approveOnSimulatorPage(await shownCode());
    await first;
    await vscode.commands.executeCommand('notifications.clearAll');

    await control(sim, '/clock', { advanceHours: 61 * 24 });
    await vscode.commands.executeCommand('messengerExplorer.checkTokens');
    await eventually(
      async () => assert.ok((await notificationTexts()).some((t) => t.includes('was rejected'))),
      15_000,
      'the rejected-token warning',
    );
    await vscode.commands.executeCommand('notifications.showList');
    await ui.clickText('.notifications-center .monaco-button', 'Renew…');
    await vscode.commands.executeCommand('notifications.hideList');
    // The app is known now: no questions, straight to a new code.
    const code = await shownCode();
    await approveOnSimulatorPage(code);
    await eventually(
      async () => assert.ok((await notificationTexts()).filter((t) => t.startsWith('Signed in with Facebook as')).length >= 1),
      20_000,
      'signed in again',
    );
    const user = (await api.internals.accounts.accounts()).find((a) => a.kind === 'user');
    assert.ok(user?.kind === 'user' && (user.expiresAt ?? 0) * 1000 > sim.world.clock() + 59 * 86_400_000, 'a fresh long-lived token');
    assert.equal(api.internals.accounts.rejectionOf(user), undefined);
  });
});
