import { Account, AppAccount, appCredentials, appToken, credentialsFor, PageAccount, UserAccount } from '../../core/accounts/accounts';
import { connectApp, ConnectError, connectPage, connectUser, inspectToken, UserConnection } from '../../core/accounts/connect';
import { TokenGuard } from '../../core/accounts/tokenGuard';
import { GraphClient } from '../../core/graph/client';
import { GraphError } from '../../core/graph/errors';
import { Credentials } from '../../core/graph/transport';
import { markAnnounced } from '../commandRunner';
import { redactor } from '../redaction';
import { DisposableStore, Emitter, Event } from '../../core/events';
import { GraphSession } from '../graphSession';
import { GraphEndpoint } from '../settings';
import { Logger } from '../logger';
import { AccountStore } from './accountStore';
import {
  clientAccessToken,
  DeviceCode,
  DeviceOutcome,
  LoginApp,
  pollDeviceLogin,
  PollOptions,
  SIGN_IN_SCOPES,
} from '../../core/accounts/deviceLogin';

export type TokenAccount = UserAccount | PageAccount;

/**
 * Accounts of the current Graph host, and every Graph call made with one of them. Its session,
 * store and token guard stay private: callers get the endpoint, change events, whether a token is
 * rejected, and request URLs.
 */
export class AccountService extends DisposableStore {
  private readonly guard = new TokenGuard();
  private readonly rejected = this._register(new Emitter<{ account: Account; error: GraphError }>());
  /** A stored token was rejected by the Graph API (expired, revoked, password changed…). */
  readonly onDidRejectToken = this.rejected.event;
  private readonly removed = this._register(new Emitter<void>());
  /** Accounts were removed or everything was signed out: data read with them must go too. */
  readonly onDidRemoveAccounts = this.removed.event;
  private readonly changed = this._register(new Emitter<void>());
  /** What the Accounts view shows changed: stored accounts, the host, or a token's rejection. */
  readonly onDidChange = this.changed.event;
  /** The Graph host (and API version) changed; work for the old one was stopped. */
  readonly onDidChangeEndpoint: Event<GraphEndpoint>;

  constructor(
    private readonly session: GraphSession,
    private readonly store: AccountStore,
    private readonly log: Logger,
    private readonly nowS: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    super();
    this.onDidChangeEndpoint = session.onDidChangeEndpoint;
    this._register(store.onDidChange(() => this.changed.fire()));
    this._register(this.guard.onDidChange(() => this.changed.fire()));
    this._register(
      session.onDidChangeEndpoint(() => {
        // A token rejected on one host says nothing about the other host's tokens.
        this.guard.clear();
        this.changed.fire();
      }),
    );
  }

  get endpoint(): GraphEndpoint {
    return this.session.endpoint;
  }

  /** Resolves once the settings point at `origin` (a settings write reaches this window asynchronously). */
  whenEndpointIs(origin: string): Promise<void> {
    return this.session.whenEndpointIs(origin);
  }

  /** Why this account's token is refused without a request, if it was rejected. */
  rejectionOf(account: Account): GraphError | undefined {
    return this.guard.rejection(tokenOf(account));
  }

  /** The URL of a Graph request on the current host, without credentials (Copy as curl). */
  requestUrl(path: string, params: Record<string, string>): string {
    return this.session.client().transport.url(path, params);
  }

  /** Test seam: forget rate-limit pauses and token rejections, as a fresh window would. */
  resetForTests(): void {
    this.session.scheduler.resume();
    this.guard.clear();
  }

  /** The host key secrets are stored under; throws when the host setting is refused. */
  host(): string {
    const endpoint = this.session.endpoint;
    if (!endpoint.ok) {
      throw new GraphError({ kind: 'hostRefused', message: endpoint.reason, said: 'localized' });
    }
    return endpoint.hostKey;
  }

  /**
   * The stored accounts of the current host; their tokens may then be sent to that host only.
   * A read overtaken by Sign Out or Remove is read again rather than trusted.
   */
  async accounts(): Promise<Account[]> {
    for (;;) {
      const endpoint = this.session.endpoint;
      if (!endpoint.ok) {
        return [];
      }
      const generation = this.session.tokens.generation;
      const accounts = await this.store.list(endpoint.hostKey);
      if (accounts.every((a) => this.session.tokens.allow(endpoint.hostKey, tokenOf(a), generation))) {
        return accounts;
      }
    }
  }

  async apps(): Promise<AppAccount[]> {
    return (await this.accounts()).filter((a): a is AppAccount => a.kind === 'app');
  }

  async pages(): Promise<PageAccount[]> {
    return (await this.accounts()).filter((a): a is PageAccount => a.kind === 'page');
  }

  async credentials(account: Account): Promise<Credentials> {
    return account.kind === 'app' ? appCredentials(account) : credentialsFor(account, await this.apps());
  }

  /** A Graph call with an account's token: refused at once if that token was rejected before. */
  async call<T>(account: Account, work: (client: GraphClient, credentials: Credentials) => Promise<T>): Promise<T> {
    const client = this.session.client();
    const credentials = await this.credentials(account);
    const key = tokenOf(account);
    this.guard.check(key);
    try {
      return await work(client, credentials);
    } catch (error) {
      this.reject(account, key, error);
      throw error;
    }
  }

  /** Remembers a rejected token and, the first time, tells the UI so it can prompt once. */
  private reject(account: Account, key: string, error: unknown): void {
    if (this.guard.report(key, error)) {
      markAnnounced(error);
      this.log.warn(
        `The ${account.kind} token of ${account.name} (${account.id}) was rejected; no more calls are made with it until it is updated.`,
      );
      this.rejected.fire({ account, error: error as GraphError });
    }
  }

  async connectUser(token: string, signal?: AbortSignal): Promise<UserConnection> {
    const { host, generation } = this.begin([token]);
    const connection = await connectUser(this.session.client(), token, await this.apps(), this.nowS(), signal);
    await this.save(host, generation, [connection.user, ...connection.pages]);
    this.log.info(`Connected ${connection.user.name} (${connection.user.id}) with ${connection.pages.length} Page(s).`);
    return connection;
  }

  async addPage(token: string, signal?: AbortSignal): Promise<PageAccount> {
    const { host, generation } = this.begin([token]);
    const page = await connectPage(this.session.client(), token, await this.apps(), this.nowS(), signal);
    await this.save(host, generation, [page]);
    this.log.info(`Added Page ${page.name} (${page.id}).`);
    return page;
  }

  async addApp(appId: string, secret: string, signal?: AbortSignal): Promise<AppAccount> {
    const { host, generation } = this.begin([`${appId}|${secret}`]);
    const app = await connectApp(this.session.client(), appId, secret, signal);
    // Tokens that failed appsecret_proof before may work now that their app is known.
    const linked = (await this.accounts()).filter(
      (a): a is TokenAccount => a.kind !== 'app' && (a.appId === undefined || a.appId === app.id),
    );
    await this.save(host, generation, [app]);
    this.cleared(linked);
    this.log.info(`Added app ${app.name} (${app.id}).`);
    return app;
  }

  /** Replaces an account's token or secret; the new one must stand for the same user, Page or app. */
  async update(account: Account, value: string, signal?: AbortSignal): Promise<Account> {
    if (account.kind === 'app') {
      return this.addApp(account.id, value, signal);
    }
    const { host, generation } = this.begin([value]);
    const apps = await this.apps();
    if (account.kind === 'page') {
      // The app the old token belonged to is tried first: each other app tried costs a request (seconds on Meta).
      const page = await connectPage(this.session.client(), value, apps, this.nowS(), signal, account.appId);
      this.sameAccount(account, page);
      const updated: PageAccount = { ...page, tasks: page.tasks.length > 0 ? page.tasks : account.tasks, viaUserId: undefined };
      await this.save(host, generation, [updated]);
      return updated;
    }
    const connection = await connectUser(this.session.client(), value, apps, this.nowS(), signal, account.appId);
    this.sameAccount(account, connection.user);
    await this.save(host, generation, [connection.user, ...connection.pages]);
    return connection.user;
  }

  /** The app this host signs in with, if stored. */
  async loginApp(): Promise<LoginApp | undefined> {
    return this.store.loginApp(this.host());
  }

  async saveLoginApp(app: LoginApp): Promise<void> {
    await this.store.saveLoginApp(this.host(), app);
  }

  /** Login for Devices, step 1: the code to show. */
  async startDeviceLogin(app: LoginApp, signal?: AbortSignal): Promise<DeviceCode> {
    const token = clientAccessToken(app);
    this.begin([token]);
    return this.session.signInClient().deviceLogin({ accessToken: token }, SIGN_IN_SCOPES, signal);
  }

  /** Login for Devices, step 2: polls until the person approves or declines, or the code expires. */
  async waitForDeviceLogin(app: LoginApp, device: DeviceCode, options: PollOptions): Promise<DeviceOutcome> {
    const client = this.session.signInClient();
    const credentials = { accessToken: clientAccessToken(app) };
    const outcome = await pollDeviceLogin(() => client.deviceLoginStatus(credentials, device.code, options.signal), device, options);
    if (outcome.kind === 'approved') {
      // Masked in every log line from now on, even before it is stored.
      this.begin([outcome.token.accessToken]);
    }
    return outcome;
  }

  /** The stored app a user token was issued for: its secret makes the long-lived exchange possible. */
  async appOf(user: UserAccount): Promise<AppAccount | undefined> {
    return user.appId === undefined ? undefined : (await this.apps()).find((a) => a.id === user.appId);
  }

  /**
   * Exchanges a user token for a long-lived one (about 60 days) with its app's secret, then reads
   * the Pages again with it so their tokens last too.
   */
  async exchangeForLongLived(user: UserAccount, signal?: AbortSignal): Promise<UserAccount> {
    const app = await this.appOf(user);
    if (!app) {
      throw new ConnectError(
        'needsApp',
        'The App Secret of the app this token was issued for is needed to exchange it; add that app first.',
      );
    }
    const client = this.session.signInClient();
    const exchanged = await this.call(user, () => client.exchangeForLongLived({ accessToken: user.token }, app.id, app.secret, signal));
    const updated = await this.update(user, exchanged.accessToken, signal);
    this.log.info(`Exchanged the token of ${user.name} (${user.id}) for a long-lived one.`);
    return updated as UserAccount;
  }

  /**
   * Removes accounts; removing a user also removes the Page tokens that came from it. Final: every
   * request still using a removed token is aborted, and no work started before can store it again.
   */
  async remove(account: Account): Promise<Account[]> {
    const host = this.host();
    const all = await this.accounts();
    const removed = [account, ...(account.kind === 'user' ? all.filter((a) => a.kind === 'page' && a.viaUserId === account.id) : [])];
    this.session.tokens.forget(host, removed.map(tokenOf));
    this.cleared(removed);
    await this.store.remove(host, removed);
    this.removed.fire();
    this.log.info(`Removed ${removed.map((a) => `${a.kind} ${a.id}`).join(', ')}.`);
    return removed;
  }

  /** Deletes every secret the extension stored, on every host, and stops all work that used one. */
  async signOut(): Promise<void> {
    this.session.tokens.clear();
    this.guard.clear();
    await this.store.clearAll();
    this.removed.fire();
    this.log.info('Signed out: every stored token and app secret was deleted.');
  }

  /** Re-inspects every token with /debug_token and stores the new scopes and expiry. */
  async checkTokens(signal?: AbortSignal): Promise<{ checked: number; rejected: Account[] }> {
    const { host, generation } = this.begin([]);
    // One client for the whole check: if the host changes meanwhile, its transport is closed.
    const client = this.session.client();
    const all = await this.accounts();
    const apps = all.filter((a): a is AppAccount => a.kind === 'app');
    const updated: Account[] = [];
    const rejected: Account[] = [];
    for (const account of all) {
      if (account.kind === 'app') {
        continue;
      }
      const app = apps.find((a) => a.id === account.appId);
      const inspector = account.kind === 'page' && app ? appCredentials(app) : credentialsFor(account, apps);
      const facts = await inspectToken(client, inspector, account.token, this.nowS(), signal);
      if (facts instanceof GraphError) {
        if (facts.kind === 'cancelled') {
          throw facts;
        }
        if (facts.kind === 'invalidToken') {
          this.reject(account, tokenOf(account), facts);
          rejected.push(account);
        } else {
          this.log.warn(`Could not inspect the token of ${account.kind} ${account.id}: ${facts.message}`);
        }
        continue;
      }
      updated.push({ ...account, ...facts, appId: facts.appId ?? account.appId });
    }
    await this.save(host, generation, updated);
    this.log.info(`Checked ${updated.length + rejected.length} token(s); ${rejected.length} rejected.`);
    return { checked: updated.length + rejected.length, rejected };
  }

  /** Starts work that may store accounts: typed-in tokens may go to the current host. */
  private begin(newTokens: readonly string[]): { host: string; generation: number } {
    const host = this.host();
    const generation = this.session.tokens.generation;
    for (const token of newTokens) {
      // Typed in, not yet stored: masked from now on, even if connecting fails.
      redactor.register(token);
      this.session.tokens.allow(host, token, generation);
    }
    return { host, generation };
  }

  /** Stores the result of work begun at `generation`, unless Sign Out or Remove overtook it. */
  private async save(host: string, generation: number, accounts: readonly Account[]): Promise<void> {
    const saved = await this.store.save(host, accounts, () => generation === this.session.tokens.generation);
    if (!saved) {
      throw new GraphError({ kind: 'cancelled', message: 'Accounts were removed meanwhile; nothing was stored.' });
    }
    for (const account of accounts) {
      this.session.tokens.allow(host, tokenOf(account), generation);
    }
    this.cleared(accounts);
  }

  private sameAccount(old: Account, replacement: Account): void {
    if (old.id !== replacement.id) {
      throw new ConnectError('differentAccount', `The new token is for ${replacement.kind} ${replacement.id}, not ${old.id}.`);
    }
  }

  private cleared(accounts: readonly Account[]): void {
    for (const account of accounts) {
      this.guard.clear(tokenOf(account));
    }
  }
}

/** The secret a request is made with: the token, or for an app its app token. */
function tokenOf(account: Account): string {
  return account.kind === 'app' ? appToken(account) : account.token;
}
