import * as vscode from 'vscode';
import { DisposableStore } from '../../core/events';
import { Account, accountName, appToken, parseAccount, sortAccounts } from '../../core/accounts/accounts';
import { redactor } from '../redaction';
import { SecretVault } from '../secretVault';
import { Logger } from '../logger';
import { LoginApp } from '../../core/accounts/deviceLogin';

/** The entry of a host's sign-in app: not an account, so never listed as one. */
const LOGIN_APP = 'login/app';

/**
 * The accounts of each Graph host, one SecretStorage entry each. Reads are cached in memory only
 * and dropped whenever SecretStorage changes (in any window).
 */
export class AccountStore extends DisposableStore {
  private readonly cache = new Map<string, Promise<Account[]>>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /** Writes run one at a time, so a Sign Out is never interleaved with a save that would undo it. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly vault: SecretVault,
    private readonly log: Logger,
  ) {
    super();
  }

  list(host: string): Promise<Account[]> {
    let accounts = this.cache.get(host);
    if (!accounts) {
      accounts = this.read(host);
      this.cache.set(host, accounts);
      accounts.catch(() => this.cache.delete(host));
    }
    return accounts;
  }

  private serialized<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writes.then(write);
    this.writes = result.then(undefined, () => undefined);
    return result;
  }

  /**
   * Stores several accounts as one step: if any write fails, the ones already written are put
   * back as they were, so a failed connect leaves nothing half-stored. `stillWanted` is asked
   * when the write's turn comes: work overtaken by Sign Out or Remove writes nothing back.
   */
  save(host: string, accounts: readonly Account[], stillWanted: () => boolean = () => true): Promise<boolean> {
    return this.serialized(async () => {
      if (!stillWanted()) {
        return false;
      }
      await this.write(host, accounts);
      return true;
    });
  }

  private async write(host: string, accounts: readonly Account[]): Promise<void> {
    accounts.forEach(registerSecrets);
    const written: { name: string; previous?: string }[] = [];
    try {
      for (const account of accounts) {
        const name = accountName(account);
        const previous = await this.vault.get(host, name);
        await this.vault.store(host, name, JSON.stringify(account));
        written.push({ name, previous });
      }
    } catch (error) {
      for (const { name, previous } of written.reverse()) {
        await (previous === undefined ? this.vault.delete(host, name) : this.vault.store(host, name, previous)).then(
          undefined,
          (e: unknown) => this.log.error(`Could not roll back ${name}`, e),
        );
      }
      throw error;
    } finally {
      this.invalidate();
    }
  }

  remove(host: string, accounts: readonly Pick<Account, 'kind' | 'id'>[]): Promise<void> {
    return this.serialized(async () => {
      try {
        for (const account of accounts) {
          await this.vault.delete(host, accountName(account));
        }
      } finally {
        this.invalidate();
      }
    });
  }

  /** Deletes every secret the extension stored, on every host. */
  clearAll(): Promise<void> {
    return this.serialized(async () => {
      try {
        await this.vault.clear();
      } finally {
        this.invalidate();
      }
    });
  }

  /** The app this host signs in with (App ID and Client Token), if one was given. */
  async loginApp(host: string): Promise<LoginApp | undefined> {
    const raw = await this.vault.get(host, LOGIN_APP);
    try {
      const value = raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
      if (value && typeof value.appId === 'string' && typeof value.clientToken === 'string') {
        redactor.register(value.clientToken);
        return { appId: value.appId, clientToken: value.clientToken };
      }
    } catch {
      this.log.warn('Ignoring an unreadable stored sign-in app.');
    }
    return undefined;
  }

  saveLoginApp(host: string, app: LoginApp): Promise<void> {
    redactor.register(app.clientToken);
    return this.serialized(() => this.vault.store(host, LOGIN_APP, JSON.stringify(app)));
  }

  /** Called when SecretStorage changed, possibly in another window. */
  invalidate(): void {
    this.cache.clear();
    this.changed.fire();
  }

  private async read(host: string): Promise<Account[]> {
    const prefix = SecretVault.keyFor(host, '');
    const names = (await this.vault.keys())
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length))
      .filter((name) => name !== LOGIN_APP);
    const accounts: Account[] = [];
    for (const name of names) {
      const account = parseAccount(await this.vault.get(host, name));
      if (account && accountName(account) === name) {
        registerSecrets(account);
        accounts.push(account);
      } else {
        this.log.warn(`Ignoring an unreadable stored account (${name}).`);
      }
    }
    return sortAccounts(accounts);
  }
}

/** A record is stored as JSON: its token or secret must be masked on its own, wherever it shows up. */
function registerSecrets(account: Account): void {
  redactor.register(account.kind === 'app' ? account.secret : account.token);
  if (account.kind === 'app') {
    redactor.register(appToken(account));
  }
}
