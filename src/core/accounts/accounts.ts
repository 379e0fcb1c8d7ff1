import { Credentials } from '../graph/transport';

/**
 * What the extension keeps per Graph host, each record as one SecretStorage entry. Records hold
 * their secret next to the non-secret facts shown in the Accounts view, so nothing about an
 * account lives in settings, files or globalState.
 */
export interface AppAccount {
  readonly kind: 'app';
  readonly id: string;
  readonly name: string;
  readonly secret: string;
}

export interface TokenFacts {
  /** From /debug_token; empty when the token could not be inspected. */
  readonly scopes: readonly string[];
  /** Epoch seconds; 0 means never; undefined means unknown. */
  readonly expiresAt?: number;
  readonly dataAccessExpiresAt?: number;
  /** The app the token was issued for, when known. */
  readonly appId?: string;
  /** Epoch seconds of the last successful check. */
  readonly checkedAt?: number;
}

export interface UserAccount extends TokenFacts {
  readonly kind: 'user';
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

export interface PageAccount extends TokenFacts {
  readonly kind: 'page';
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly category?: string;
  readonly tasks: readonly string[];
  readonly instagram?: { readonly id: string; readonly username?: string };
  /** The user whose token this Page token came from; undefined when added directly. */
  readonly viaUserId?: string;
}

export type Account = AppAccount | UserAccount | PageAccount;
export type AccountKind = Account['kind'];

/** The name an account is stored under inside its host's namespace. */
export function accountName(account: Pick<Account, 'kind' | 'id'>): string {
  return `${account.kind}/${account.id}`;
}

export function appToken(app: AppAccount): string {
  return `${app.id}|${app.secret}`;
}

/** Credentials for a user or Page token: with its app's secret when that app is stored, so appsecret_proof is sent. */
export function credentialsFor(account: UserAccount | PageAccount, apps: readonly AppAccount[]): Credentials {
  const app = account.appId === undefined ? undefined : apps.find((a) => a.id === account.appId);
  return { accessToken: account.token, appSecret: app?.secret };
}

export function appCredentials(app: AppAccount): Credentials {
  return { accessToken: appToken(app), appSecret: app.secret };
}

/** Parses a stored record; anything that is not a well-formed account is ignored rather than trusted. */
export function parseAccount(raw: string | undefined): Account | undefined {
  if (!raw) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' || !/^\d+$/.test(r.id) || typeof r.name !== 'string') {
    return undefined;
  }
  const facts: TokenFacts = {
    scopes: Array.isArray(r.scopes) ? r.scopes.filter((s): s is string => typeof s === 'string') : [],
    expiresAt: numberOrUndefined(r.expiresAt),
    dataAccessExpiresAt: numberOrUndefined(r.dataAccessExpiresAt),
    appId: typeof r.appId === 'string' ? r.appId : undefined,
    checkedAt: numberOrUndefined(r.checkedAt),
  };
  switch (r.kind) {
    case 'app':
      return typeof r.secret === 'string' ? { kind: 'app', id: r.id, name: r.name, secret: r.secret } : undefined;
    case 'user':
      return typeof r.token === 'string' ? { kind: 'user', id: r.id, name: r.name, token: r.token, ...facts } : undefined;
    case 'page': {
      if (typeof r.token !== 'string') {
        return undefined;
      }
      const ig = typeof r.instagram === 'object' && r.instagram !== null ? (r.instagram as Record<string, unknown>) : undefined;
      return {
        kind: 'page',
        id: r.id,
        name: r.name,
        token: r.token,
        ...facts,
        category: typeof r.category === 'string' ? r.category : undefined,
        tasks: Array.isArray(r.tasks) ? r.tasks.filter((s): s is string => typeof s === 'string') : [],
        instagram:
          ig && typeof ig.id === 'string' ? { id: ig.id, username: typeof ig.username === 'string' ? ig.username : undefined } : undefined,
        viaUserId: typeof r.viaUserId === 'string' ? r.viaUserId : undefined,
      };
    }
    default:
      return undefined;
  }
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Apps first, then users, then Pages, each by name: the order the Accounts view shows. */
export function sortAccounts<T extends Account>(accounts: readonly T[]): T[] {
  const rank: Record<AccountKind, number> = { app: 0, user: 1, page: 2 };
  return [...accounts].sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
