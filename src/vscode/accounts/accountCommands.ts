import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { Account, UserAccount } from '../../core/accounts/accounts';
import { ConnectError } from '../../core/accounts/connect';
import { fetchSimulatorCredentials, SimulatorError } from '../../core/accounts/simulatorCredentials';
import { checkAppId, checkAppSecret, checkTokenInput, ExpectedToken, InputCheck } from '../../core/accounts/tokenInput';
import { stringArg } from '../commandArgs';
import { CommandRunner } from '../commandRunner';
import { badInput, UserError } from '../userError';
import { errorText, inputProblemText } from '../errorText';
import { withCancellableProgress } from '../progress';
import { ExtensionRuntime } from '../runtime';
import { endpointLabel, setGraphHost } from '../settings';
import { AccountService } from './accountService';
import { kindLabel } from './accountLabels';
import { AccountNode } from './accountNodes';
import type { SimulatorKeys } from '../botLoop/simulatorKeys';

const DEFAULT_SIMULATOR_URL = 'http://127.0.0.1:4580';

/** Connect, add, update, remove and sign out: the commands that manage stored credentials. */
export function registerAccountCommands(
  service: AccountService,
  runner: CommandRunner,
  keys?: SimulatorKeys,
  offerExchange?: (user: UserAccount) => Promise<void>,
): vscode.Disposable {
  const commands = new AccountCommands(service, runner.runtime, keys, offerExchange);
  return vscode.Disposable.from(
    runner.register(Commands.connect, () => commands.connect()),
    runner.register(Commands.connectUser, (token?: unknown) => commands.connectUser(stringArg(token))),
    runner.register(Commands.addPage, (token?: unknown) => commands.addPage(stringArg(token))),
    runner.register(Commands.addApp, (appId?: unknown, secret?: unknown) => commands.addApp(stringArg(appId), stringArg(secret))),
    runner.register(Commands.connectSimulator, (url?: unknown) => commands.connectSimulator(stringArg(url))),
    runner.register(Commands.updateToken, (node?: AccountNode, value?: unknown) => commands.update(node?.account, stringArg(value))),
    runner.register(Commands.removeAccount, (node?: AccountNode, confirmed?: boolean) =>
      commands.remove(node?.account, confirmed === true),
    ),
    runner.register(Commands.signOut, (confirmed?: boolean) => commands.signOut(confirmed === true)),
    runner.register(Commands.checkTokens, () => commands.checkTokens()),
    runner.register(Commands.copyAccountId, (node?: AccountNode) => commands.copyId(node?.account)),
    service.onDidRejectToken(({ account, error }) => void commands.promptRejected(account, errorText(error, runner.runtime))),
  );
}

class AccountCommands {
  constructor(
    private readonly service: AccountService,
    private readonly runtime: ExtensionRuntime,
    private readonly keys?: SimulatorKeys,
    private readonly offerExchange?: (user: UserAccount) => Promise<void>,
  ) {}

  async connect(): Promise<void> {
    type Choice = vscode.QuickPickItem & { run: () => Promise<unknown> };
    const choices: Choice[] = [
      {
        label: `$(sign-in) ${vscode.l10n.t('Sign in with Facebook…')}`,
        detail: vscode.l10n.t('Approve Messenger Explorer on Facebook with a code: no token to paste. Your Pages are added.'),
        run: async () => vscode.commands.executeCommand(Commands.signInWithFacebook),
      },
      {
        label: `$(account) ${vscode.l10n.t('Connect with User Access Token…')}`,
        detail: vscode.l10n.t('Adds every Page the user manages, with its Page access token.'),
        run: () => this.connectUser(),
      },
      {
        label: `$(comment-discussion) ${vscode.l10n.t('Add Page Access Token…')}`,
        detail: vscode.l10n.t('Adds one Page.'),
        run: () => this.addPage(),
      },
      {
        label: `$(key) ${vscode.l10n.t('Add App…')}`,
        detail: vscode.l10n.t('App ID and App Secret: for appsecret_proof and the app access token.'),
        run: () => this.addApp(),
      },
      {
        label: `$(beaker) ${vscode.l10n.t('Connect to Local Simulator…')}`,
        detail: vscode.l10n.t('A Graph API simulator on this machine, with demo data.'),
        run: () => this.connectSimulator(),
      },
    ];
    const endpoint = this.service.endpoint;
    if (endpoint.ok && endpoint.isSimulator) {
      // After the demo, the way back to Meta: otherwise a real token would be sent to the simulator.
      choices.push({
        label: `$(globe) ${vscode.l10n.t("Use Meta's Graph API")}`,
        detail: vscode.l10n.t(
          "Send requests to https://graph.facebook.com again. The simulator's accounts stay stored for when you come back.",
        ),
        run: () => Promise.resolve(setGraphHost(undefined)),
      });
    }
    const where = endpointLabel(endpoint);
    const choice = await vscode.window.showQuickPick(choices, {
      title: where ? vscode.l10n.t('Connect to the Graph API at {0}', where) : vscode.l10n.t('Connect to the Graph API'),
      placeHolder: vscode.l10n.t('What do you want to add?'),
    });
    await choice?.run();
  }

  async connectUser(token?: string): Promise<void> {
    const value = token ?? (await this.askToken('user', vscode.l10n.t('Connect with User Access Token')));
    if (value === undefined) {
      return;
    }
    const connection = await this.withProgress(
      vscode.l10n.t('Connecting and listing Pages…'),
      (signal) => this.service.connectUser(value, signal),
      () => this.connectUser(value),
    );
    if (!connection) {
      return;
    }
    const skipped =
      connection.skipped.length > 0
        ? ' ' + vscode.l10n.t('{0} Page(s) returned no Page token and were skipped.', connection.skipped.length)
        : '';
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Connected as {0}: {1} Page(s) added.', connection.user.name, connection.pages.length) + skipped,
    );
    showConversations();
    void this.offerExchange?.(connection.user);
  }

  async addPage(token?: string): Promise<void> {
    const value = token ?? (await this.askToken('page', vscode.l10n.t('Add Page Access Token')));
    if (value === undefined) {
      return;
    }
    const page = await this.withProgress(
      vscode.l10n.t('Checking the Page access token…'),
      (signal) => this.service.addPage(value, signal),
      () => this.addPage(value),
    );
    if (page) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Added the Page {0}.', page.name));
    }
  }

  async addApp(appId?: string, secret?: string): Promise<boolean> {
    const title = vscode.l10n.t('Add App');
    const id =
      appId ??
      (await this.ask(
        title,
        1,
        vscode.l10n.t('App ID'),
        vscode.l10n.t('The numeric App ID from the Meta app dashboard'),
        false,
        (v) => checkAppId(v),
        'app',
      ));
    if (id === undefined) {
      return false;
    }
    const appSecret =
      secret ??
      (await this.ask(
        title,
        2,
        vscode.l10n.t('App Secret'),
        vscode.l10n.t('App settings → Basic → App secret. Stored only in the OS keychain.'),
        true,
        (v) => checkAppSecret(v),
        'app',
      ));
    if (appSecret === undefined) {
      return false;
    }
    const idCheck = checkAppId(id);
    const secretCheck = checkAppSecret(appSecret);
    if (!idCheck.ok) {
      throw badInput(inputProblemText(idCheck.problem, 'app'));
    }
    if (!secretCheck.ok) {
      throw badInput(inputProblemText(secretCheck.problem, 'app'));
    }
    const app = await this.withProgress(vscode.l10n.t('Checking the app…'), (signal) =>
      this.service.addApp(idCheck.value, secretCheck.value, signal),
    );
    if (app) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Added the app {0}.', app.name));
    }
    return app !== undefined;
  }

  async connectSimulator(url?: string): Promise<void> {
    const target =
      url ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Connect to Local Simulator'),
        prompt: vscode.l10n.t(
          'The address the simulator printed when it started, with its key (npm run simulator). Only loopback addresses are allowed.',
        ),
        value: this.suggestedSimulatorUrl(),
        ignoreFocusOut: true,
      }));
    if (target === undefined) {
      return;
    }
    const done = await this.withProgress(vscode.l10n.t('Connecting to the local simulator…'), async (signal) => {
      const credentials = await fetchSimulatorCredentials(
        (input, init) => fetch(input, init),
        target.trim(),
        undefined,
        this.runtime.kind === 'browser',
      );
      // Its control key (in the address) stays in memory for live updates and Write as the person; never stored.
      this.keys?.remember(target.trim());
      await setGraphHost(credentials.origin);
      await this.service.whenEndpointIs(credentials.origin);
      for (const app of credentials.apps) {
        await this.service.addApp(app.id, app.secret, signal);
      }
      return this.service.connectUser(credentials.userToken, signal);
    });
    if (done) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Connected to the local simulator as {0}: {1} Page(s).', done.user.name, done.pages.length),
      );
      showConversations();
    }
  }

  /** The simulator started with this VS Code, else the one last connected to, else the default address. */
  private suggestedSimulatorUrl(): string {
    const endpoint = this.service.endpoint;
    return this.runtime.launcherSimulatorUrl ?? (endpoint.ok && endpoint.isSimulator ? endpoint.origin : DEFAULT_SIMULATOR_URL);
  }

  async update(account?: Account, value?: string): Promise<void> {
    const target = account ?? (await this.pickAccount(vscode.l10n.t('Update which token?')));
    if (!target) {
      return;
    }
    const expected: ExpectedToken = target.kind;
    const newValue =
      value ??
      (target.kind === 'app'
        ? await this.ask(
            vscode.l10n.t('Update App Secret of {0}', target.name),
            undefined,
            vscode.l10n.t('App Secret'),
            vscode.l10n.t('The current App Secret from App settings → Basic.'),
            true,
            (v) => checkAppSecret(v),
            'app',
          )
        : await this.askToken(expected, vscode.l10n.t('Update Token of {0}', target.name)));
    if (newValue === undefined) {
      return;
    }
    const updated = await this.withProgress(vscode.l10n.t('Checking the new token…'), (signal) =>
      this.service.update(target, newValue, signal),
    );
    if (updated) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Updated {0}.', updated.name));
    }
  }

  async remove(account: Account | undefined, confirmed: boolean): Promise<void> {
    const target = account ?? (await this.pickAccount(vscode.l10n.t('Remove which account?')));
    if (!target) {
      return;
    }
    if (!confirmed) {
      const remove = vscode.l10n.t('Remove');
      const detail = {
        user: () => vscode.l10n.t('The user token and the Page tokens that came from it are deleted from the keychain.'),
        app: () => vscode.l10n.t('The App Secret is deleted from the keychain.'),
        page: () => vscode.l10n.t('The Page token is deleted from the keychain.'),
      }[target.kind]();
      if ((await vscode.window.showWarningMessage(vscode.l10n.t('Remove {0}?', target.name), { modal: true, detail }, remove)) !== remove) {
        return;
      }
    }
    await this.service.remove(target);
  }

  async signOut(confirmed: boolean): Promise<void> {
    if (!confirmed) {
      const signOut = vscode.l10n.t('Sign Out');
      const detail = vscode.l10n.t(
        'Every access token and App Secret Messenger Explorer stored in the keychain is deleted, for every Graph host.',
      );
      if (
        (await vscode.window.showWarningMessage(vscode.l10n.t('Sign out of everything?'), { modal: true, detail }, signOut)) !== signOut
      ) {
        return;
      }
    }
    await this.service.signOut();
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed out. Every stored token and App Secret was deleted.'));
  }

  async checkTokens(): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: Views.accounts } }, () => this.service.checkTokens());
  }

  async copyId(account?: Account): Promise<void> {
    const target = account ?? (await this.pickAccount(vscode.l10n.t('Copy the ID of which account?')));
    if (target) {
      await vscode.env.clipboard.writeText(target.id);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', target.id), 3000);
    }
  }

  /** Told once per rejected token: an action to fix it instead of a stream of failures. */
  async promptRejected(account: Account, reason: string): Promise<void> {
    const update = vscode.l10n.t('Update Token…');
    const renew = vscode.l10n.t('Renew…');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The token of {0} was rejected. {1}', account.name, reason),
      ...(account.kind === 'app' ? [update] : [renew, update]),
    );
    if (choice === renew) {
      await vscode.commands.executeCommand(Commands.renew);
    } else if (choice === update) {
      await vscode.commands.executeCommand(Commands.updateToken, { account });
    }
  }

  private async pickAccount(placeHolder: string): Promise<Account | undefined> {
    const accounts = await this.service.accounts();
    if (accounts.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No accounts are connected yet. Run "Messenger Explorer: Connect…" first.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      accounts.map((account) => ({ label: account.name, description: `${kindLabel(account)} · ${account.id}`, account })),
      { placeHolder },
    );
    return picked?.account;
  }

  private askToken(expected: ExpectedToken, title: string): Thenable<string | undefined> {
    const prompt =
      expected === 'user'
        ? vscode.l10n.t('Paste a user access token, for example from Graph API Explorer. It is stored only in the OS keychain.')
        : vscode.l10n.t('Paste a Page access token. It is stored only in the OS keychain.');
    return this.ask(title, undefined, vscode.l10n.t('Access token'), prompt, true, (v) => checkTokenInput(v, expected), expected);
  }

  private async ask(
    title: string,
    step: number | undefined,
    placeHolder: string,
    prompt: string,
    password: boolean,
    check: (value: string) => InputCheck<string>,
    expected: ExpectedToken,
  ): Promise<string | undefined> {
    const value = await vscode.window.showInputBox({
      title: step === undefined ? title : `${title} (${step}/2)`,
      prompt,
      placeHolder,
      password,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const checked = check(v);
        if (!checked.ok) {
          return { message: inputProblemText(checked.problem, expected), severity: vscode.InputBoxValidationSeverity.Error };
        }
        return checked.trimmed
          ? {
              message: vscode.l10n.t('Spaces and line breaks around it will be removed.'),
              severity: vscode.InputBoxValidationSeverity.Info,
            }
          : undefined;
      },
    });
    if (value === undefined) {
      return undefined;
    }
    const checked = check(value);
    if (!checked.ok) {
      throw badInput(inputProblemText(checked.problem, expected));
    }
    return checked.value;
  }

  /**
   * Runs a step with cancellable progress. A token whose app is missing becomes an error that offers
   * to add the app and try again; the command runner shows every failure.
   */
  private async withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>, retry?: () => Promise<void>): Promise<T> {
    try {
      return await withCancellableProgress(title, work);
    } catch (error) {
      if (error instanceof ConnectError && error.problem === 'needsApp' && retry) {
        throw new UserError(errorText(error, this.runtime), {
          cause: error,
          actions: [{ title: vscode.l10n.t('Add App…'), run: async () => (await this.addApp()) && retry() }],
        });
      }
      if (error instanceof SimulatorError) {
        throw new UserError(simulatorProblemText(error), { cause: error });
      }
      throw error;
    }
  }
}

/** After connecting (often from the walkthrough), the Pages are the next thing to see. */
function showConversations(): void {
  void vscode.commands.executeCommand(`${Views.conversations}.focus`);
}

function simulatorProblemText(error: SimulatorError): string {
  switch (error.problem) {
    case 'notLoopback':
      return vscode.l10n.t('A local simulator must run on a loopback address such as {0}.', DEFAULT_SIMULATOR_URL);
    case 'unreachable':
      return vscode.l10n.t(
        'Nothing answers at {0}: the simulator is not running there. Start it with npm run simulator (it listens on {1}), then try again.',
        error.origin ?? DEFAULT_SIMULATOR_URL,
        DEFAULT_SIMULATOR_URL,
      );
    case 'refusesBrowser':
      return vscode.l10n.t(
        '{0} answers, but refuses requests from a browser (no CORS: a simulator started with --no-cors does this). This host does not allow browsers: restart the simulator without --no-cors, or use VS Code desktop.',
        error.origin ?? DEFAULT_SIMULATOR_URL,
      );
    case 'notSimulator':
      return vscode.l10n.t('That address answered, but not as a Messenger Explorer Graph API simulator.');
    case 'needsKey':
      return vscode.l10n.t(
        'The simulator there wants its control key. Paste the whole address it printed when it started (it ends in ?key=…).',
      );
    case 'wrongKey':
      return vscode.l10n.t(
        'The simulator there refused this key: it prints a new one each time it starts. Paste the address it printed this time.',
      );
  }
}
