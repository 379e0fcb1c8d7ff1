import * as vscode from 'vscode';
import { AuthProviders, Commands, Views } from '../constants';
import { Account, UserAccount } from '../../core/accounts/accounts';
import { DeviceCode, LoginApp } from '../../core/accounts/deviceLogin';
import { checkAppId, checkAppSecret } from '../../core/accounts/tokenInput';
import { DisposableStore, Emitter } from '../../core/events';
import { exactDate } from '../../core/explorer/text';
import { CommandRunner } from '../commandRunner';
import { inputProblemText } from '../errorText';
import { withCancellableProgress } from '../progress';
import { badInput, UserError } from '../userError';
import { AccountService } from './accountService';
import { AccountNode } from './accountNodes';

/**
 * "Sign in with Facebook": Meta's Login for Devices behind a VS Code authentication provider, so
 * the person shows in VS Code's Accounts menu and Sign Out there removes them here. Each stored
 * user of the current Graph host is one session. The session never carries the token: it stays
 * with this extension and goes only to the host it was stored for.
 */
export class FacebookSignIn extends DisposableStore implements vscode.AuthenticationProvider {
  private readonly changed = this._register(new Emitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
  readonly onDidChangeSessions = this.changed.event;
  private known = new Map<string, vscode.AuthenticationSession>();
  /** Users already offered the long-lived exchange in this window: offered once, not at every connect. */
  private readonly offered = new Set<string>();

  constructor(private readonly service: AccountService) {
    super();
    this._register(service.onDidChange(() => void this.refresh()));
    void this.refresh();
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const sessions = await this.sessions();
    return scopes ? sessions.filter((s) => scopes.every((scope) => s.scopes.includes(scope))) : sessions;
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const user = await this.signIn();
    if (!user) {
      throw new vscode.CancellationError();
    }
    return toSession(user);
  }

  async removeSession(sessionId: string): Promise<void> {
    const user = (await this.service.accounts()).find((a): a is UserAccount => a.kind === 'user' && a.id === sessionId);
    if (user) {
      await this.service.remove(user);
    }
  }

  private async sessions(): Promise<vscode.AuthenticationSession[]> {
    const accounts = await this.service.accounts().catch((): Account[] => []);
    return accounts.filter((a): a is UserAccount => a.kind === 'user').map(toSession);
  }

  private async refresh(): Promise<void> {
    const next = new Map((await this.sessions()).map((s) => [s.id, s]));
    const added = [...next.values()].filter((s) => !this.known.has(s.id));
    const removed = [...this.known.values()].filter((s) => !next.has(s.id));
    const changed = [...next.values()].filter((s) => {
      const old = this.known.get(s.id);
      return old !== undefined && (old.account.label !== s.account.label || old.scopes.join() !== s.scopes.join());
    });
    this.known = next;
    if (added.length + removed.length + changed.length > 0) {
      this.changed.fire({ added, removed, changed });
    }
    if (next.size === 0) {
      // Quietly offers the sign-in in VS Code's Accounts menu (a badge, no dialog): its entry calls createSession.
      Promise.resolve(vscode.authentication.getSession(AuthProviders.facebook, [], { createIfNone: false })).catch(() => undefined);
    }
  }

  /** The whole sign-in: the app (asked once), the code, the approval, the Pages, the long-lived exchange. */
  async signIn(): Promise<UserAccount | undefined> {
    const app = (await this.service.loginApp()) ?? (await this.askLoginApp());
    if (!app) {
      return undefined;
    }
    const device = await withCancellableProgress(vscode.l10n.t('Asking Facebook for a sign-in code…'), (signal) =>
      this.service.startDeviceLogin(app, signal),
    );
    void this.showCode(device);
    const outcome = await withCancellableProgress(
      vscode.l10n.t('Waiting for you to approve the code {0} at {1}…', device.userCode, device.verificationUri),
      (signal, progress) =>
        this.service.waitForDeviceLogin(app, device, {
          signal,
          onWait: (state, interval) => {
            if (state === 'slowDown') {
              progress.report({ message: vscode.l10n.t('Facebook asked to check less often: every {0} seconds now.', interval) });
            }
          },
        }),
    );
    if (outcome.kind === 'declined') {
      throw new UserError(vscode.l10n.t('The sign-in was declined on Facebook. Nothing was stored.'), { severity: 'info' });
    }
    if (outcome.kind === 'expired') {
      throw new UserError(vscode.l10n.t('The code {0} expired before it was approved. Sign in again for a new code.', device.userCode), {
        severity: 'warning',
        actions: [{ title: vscode.l10n.t('Sign In Again'), run: () => this.signIn() }],
      });
    }
    const connection = await withCancellableProgress(vscode.l10n.t('Signed in. Listing your Pages…'), (signal) =>
      this.service.connectUser(outcome.token.accessToken, signal),
    );
    let user = connection.user;
    if (await this.service.appOf(user)) {
      user = await withCancellableProgress(vscode.l10n.t('Exchanging the token for a long-lived one…'), (signal) =>
        this.service.exchangeForLongLived(user, signal),
      );
    }
    this.offered.add(user.id);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Signed in with Facebook as {0}: {1} Page(s) added.', user.name, connection.pages.length) + expiryText(user),
    );
    void vscode.commands.executeCommand(`${Views.conversations}.focus`);
    return user;
  }

  /** The code, with Copy: the notification stays until the sign-in ends or it is closed. */
  private async showCode(device: DeviceCode): Promise<void> {
    const copyAndOpen = vscode.l10n.t('Copy Code and Open Page');
    const copy = vscode.l10n.t('Copy Code');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Your sign-in code is {0}. Enter it at {1} and approve Messenger Explorer.', device.userCode, device.verificationUri),
      copyAndOpen,
      copy,
    );
    if (choice === copy || choice === copyAndOpen) {
      await vscode.env.clipboard.writeText(device.userCode);
    }
    if (choice === copyAndOpen) {
      await vscode.env.openExternal(vscode.Uri.parse(device.verificationUri));
    }
  }

  /** App ID and Client Token, asked once per Graph host and kept in the keychain; the App Secret is optional. */
  private async askLoginApp(): Promise<LoginApp | undefined> {
    const title = vscode.l10n.t('Sign in with Facebook');
    const appId = await vscode.window.showInputBox({
      title: `${title} (1/3)`,
      prompt: vscode.l10n.t('The App ID of your Meta app (App settings → Basic). Its "Login for Devices" must be on.'),
      placeHolder: vscode.l10n.t('App ID'),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const checked = checkAppId(v);
        return checked.ok ? undefined : inputProblemText(checked.problem, 'app');
      },
    });
    if (appId === undefined) {
      return undefined;
    }
    const id = checkAppId(appId);
    if (!id.ok) {
      throw badInput(inputProblemText(id.problem, 'app'));
    }
    const clientToken = await vscode.window.showInputBox({
      title: `${title} (2/3)`,
      prompt: vscode.l10n.t('The Client Token of the app (App settings → Advanced → Client token). Stored only in the OS keychain.'),
      placeHolder: vscode.l10n.t('Client Token'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) =>
        /^[A-Za-z0-9]{16,64}$/.test(v.trim()) ? undefined : vscode.l10n.t('A Client Token is 16 to 64 letters and digits.'),
    });
    if (clientToken === undefined) {
      return undefined;
    }
    if (!/^[A-Za-z0-9]{16,64}$/.test(clientToken.trim())) {
      throw badInput(vscode.l10n.t('A Client Token is 16 to 64 letters and digits.'));
    }
    const app: LoginApp = { appId: id.value, clientToken: clientToken.trim() };
    if (!(await this.service.apps()).some((a) => a.id === app.appId)) {
      const secret = await vscode.window.showInputBox({
        title: `${title} (3/3)`,
        prompt: vscode.l10n.t(
          'Optional: the App Secret (App settings → Basic), for appsecret_proof and tokens that last about 60 days. Leave empty to skip.',
        ),
        placeHolder: vscode.l10n.t('App Secret (optional)'),
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => {
          if (v.trim() === '') {
            return undefined;
          }
          const checked = checkAppSecret(v);
          return checked.ok ? undefined : inputProblemText(checked.problem, 'app');
        },
      });
      if (secret === undefined) {
        return undefined;
      }
      if (secret.trim() !== '') {
        const checked = checkAppSecret(secret);
        if (!checked.ok) {
          throw badInput(inputProblemText(checked.problem, 'app'));
        }
        await withCancellableProgress(vscode.l10n.t('Checking the app…'), (signal) =>
          this.service.addApp(app.appId, checked.value, signal),
        );
      }
    }
    await this.service.saveLoginApp(app);
    return app;
  }

  /**
   * After a user token is connected: offers, once, to exchange it for a long-lived one when it is
   * short-lived. Without its app's secret, the offer adds the app first.
   */
  async offerExchange(user: UserAccount, nowS = Math.floor(Date.now() / 1000)): Promise<void> {
    if (this.offered.has(user.id) || user.expiresAt === undefined || user.expiresAt === 0 || user.expiresAt - nowS > 2 * 86_400) {
      return;
    }
    this.offered.add(user.id);
    const known = await this.service.appOf(user);
    const exchange = known ? vscode.l10n.t('Exchange for Long-Lived Token') : vscode.l10n.t('Add App Secret and Exchange…');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'The token of {0} expires within hours, and the Page tokens read with it expire with it. Exchange it for one that lasts about 60 days?',
        user.name,
      ),
      exchange,
    );
    if (choice === exchange) {
      await vscode.commands.executeCommand(Commands.exchangeToken, { account: user });
    }
  }

  /** Exchange for Long-Lived Token (Accounts view, user rows). */
  async exchange(user: UserAccount | undefined): Promise<void> {
    const target = user ?? (await this.service.accounts()).find((a): a is UserAccount => a.kind === 'user');
    if (!target) {
      throw new UserError(vscode.l10n.t('No user is connected yet. Sign in with Facebook or connect a user access token first.'), {
        severity: 'info',
      });
    }
    if (!(await this.service.appOf(target))) {
      const added = await vscode.commands.executeCommand<boolean>(Commands.addApp, target.appId);
      if (!added) {
        return;
      }
    }
    const updated = await withCancellableProgress(vscode.l10n.t('Exchanging the token for a long-lived one…'), (signal) =>
      this.service.exchangeForLongLived(target, signal),
    );
    void vscode.window.showInformationMessage(vscode.l10n.t('The token of {0} was exchanged.', updated.name) + expiryText(updated));
  }
}

function toSession(user: UserAccount): vscode.AuthenticationSession {
  return {
    id: user.id,
    // The token stays in this extension's keychain entry; other extensions get no token through VS Code.
    accessToken: '',
    account: { id: user.id, label: user.name },
    scopes: user.scopes,
  };
}

function expiryText(user: UserAccount): string {
  if (user.expiresAt === undefined) {
    return '';
  }
  return user.expiresAt === 0
    ? ' ' + vscode.l10n.t('It does not expire.')
    : ' ' + vscode.l10n.t('It expires on {0}.', exactDate(user.expiresAt * 1000, vscode.env.language));
}

export function registerFacebookSignIn(
  service: AccountService,
  runner: CommandRunner,
): { signIn: FacebookSignIn; disposable: vscode.Disposable } {
  const signIn = new FacebookSignIn(service);
  const disposable = vscode.Disposable.from(
    signIn,
    vscode.authentication.registerAuthenticationProvider(AuthProviders.facebook, vscode.l10n.t('Facebook (Messenger Explorer)'), signIn, {
      supportsMultipleAccounts: true,
    }),
    runner.register(Commands.signInWithFacebook, async () => {
      await signIn.signIn();
    }),
    runner.register(Commands.renew, async () => {
      await signIn.signIn();
    }),
    runner.register(Commands.exchangeToken, (node?: AccountNode) =>
      signIn.exchange(node?.account.kind === 'user' ? node.account : undefined),
    ),
  );
  return { signIn, disposable };
}
