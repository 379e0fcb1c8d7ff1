import { GraphClient, PageProfile } from '../graph/client';
import { GraphError } from '../graph/errors';
import { ManagedPage, TokenInfo } from '../graph/models';
import { pageAll } from '../graph/paging';
import { Credentials } from '../graph/transport';
import { AppAccount, appCredentials, PageAccount, TokenFacts, UserAccount } from './accounts';

export type ConnectProblem =
  /** The user token manages no Pages, or lacks pages_show_list. */
  | 'noPages'
  /** A Page token was given where a user token was expected. */
  | 'pageTokenGiven'
  /** A user token was given where a Page token was expected. */
  | 'userTokenGiven'
  /** The token's app requires appsecret_proof and none of the stored apps is that app. */
  | 'needsApp'
  /** The App ID and App Secret do not belong together, or the app does not exist. */
  | 'appSecretWrong'
  /** On update: the new token stands for someone else. */
  | 'differentAccount';

/** A connect step failed for a reason the user can fix; the UI turns the problem into advice. */
export class ConnectError extends Error {
  constructor(
    readonly problem: ConnectProblem,
    message: string,
    readonly graphError?: GraphError,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

export interface UserConnection {
  readonly user: UserAccount;
  readonly pages: PageAccount[];
  /** Pages the user manages but whose token the API did not return (the user lacks a task on them). */
  readonly skipped: { id: string; name: string }[];
}

/**
 * Runs a call with the token alone, then with each stored app's secret, until the Graph API
 * accepts the appsecret_proof. Returns which app it was, if any.
 */
export async function withMatchingApp<T>(
  token: string,
  apps: readonly AppAccount[],
  call: (credentials: Credentials) => Promise<T>,
  preferredAppId?: string,
): Promise<{ value: T; app?: AppAccount }> {
  const ordered = [...apps].sort((a, b) => Number(b.id === preferredAppId) - Number(a.id === preferredAppId));
  const attempts: (AppAccount | undefined)[] = preferredAppId && ordered[0]?.id === preferredAppId ? [...ordered] : [undefined, ...ordered];
  let lastProofError: GraphError | undefined;
  for (const app of attempts) {
    try {
      return { value: await call({ accessToken: token, appSecret: app?.secret }), app };
    } catch (error) {
      if (error instanceof GraphError && error.kind === 'appSecretProof') {
        lastProofError = error;
        continue;
      }
      throw error;
    }
  }
  throw new ConnectError(
    'needsApp',
    'The app this token belongs to requires appsecret_proof; add that app (App ID and App Secret) first.',
    lastProofError,
  );
}

/** A user token: validates it, lists its Pages with their Page tokens, and inspects every token. */
export async function connectUser(
  client: GraphClient,
  token: string,
  apps: readonly AppAccount[],
  nowS: number,
  signal?: AbortSignal,
  knownAppId?: string,
): Promise<UserConnection> {
  const { value: firstPage, app } = await withMatchingApp(token, apps, (c) => accountsPage(client, c, undefined, signal), knownAppId);
  const credentials: Credentials = { accessToken: token, appSecret: app?.secret };
  const managed: ManagedPage[] = [];
  for await (const page of pageAll(
    (after) => (after === undefined ? Promise.resolve(firstPage) : accountsPage(client, credentials, after, signal)),
    { maxPages: 100, signal },
  )) {
    managed.push(...page.items);
  }
  const withToken = managed.filter((p) => p.accessToken !== undefined);
  if (withToken.length === 0) {
    throw new ConnectError(
      'noPages',
      managed.length === 0 ? 'This user manages no Pages that the token can see.' : 'The API returned no Page access tokens for this user.',
    );
  }
  const me = await client.me(credentials, signal);
  const facts = await inspectAll(client, credentials, [token, ...withToken.map((p) => p.accessToken as string)], signal);
  const userFacts = factsOr(facts[0], app?.id, nowS);
  const user: UserAccount = { kind: 'user', id: me.id, name: me.name ?? me.id, token, ...userFacts };
  const pages = withToken.map((p, i): PageAccount => ({
    kind: 'page',
    id: p.id,
    name: p.name,
    token: p.accessToken as string,
    category: p.category,
    tasks: p.tasks,
    instagram: p.instagramAccountId ? { id: p.instagramAccountId } : undefined,
    viaUserId: me.id,
    ...factsOr(facts[i + 1], userFacts.appId, nowS),
  }));
  return { user, pages, skipped: managed.filter((p) => p.accessToken === undefined).map((p) => ({ id: p.id, name: p.name })) };
}

/** A Page token added directly. */
export async function connectPage(
  client: GraphClient,
  token: string,
  apps: readonly AppAccount[],
  nowS: number,
  signal?: AbortSignal,
  knownAppId?: string,
): Promise<PageAccount> {
  const { value: profile, app } = await withMatchingApp(token, apps, (c) => pageProfile(client, c, signal), knownAppId);
  // A Page token cannot inspect itself; its app's token can.
  const inspector: Credentials = app ? appCredentials(app) : { accessToken: token };
  const [info] = await inspectAll(client, inspector, [token], signal);
  return {
    kind: 'page',
    id: profile.id,
    name: profile.name,
    token,
    category: profile.category,
    tasks: [],
    instagram: profile.instagram,
    ...factsOr(info, app?.id, nowS),
  };
}

/** An app: proves the App ID and secret belong together by reading the app with its own app token. */
export async function connectApp(client: GraphClient, appId: string, secret: string, signal?: AbortSignal): Promise<AppAccount> {
  const draft: AppAccount = { kind: 'app', id: appId, name: appId, secret };
  try {
    const app = await client.app(appCredentials(draft), appId, signal);
    return { ...draft, name: app.name };
  } catch (error) {
    if (error instanceof GraphError && (error.kind === 'invalidToken' || error.kind === 'appSecretProof' || error.kind === 'notFound')) {
      throw new ConnectError('appSecretWrong', 'The App ID and App Secret do not match an app.', error);
    }
    throw error;
  }
}

/** Re-reads a token's facts (scopes, expiry) for the Accounts view. */
export async function inspectToken(
  client: GraphClient,
  inspector: Credentials,
  token: string,
  nowS: number,
  signal?: AbortSignal,
): Promise<TokenFacts | GraphError> {
  let info: TokenInfo | GraphError | undefined;
  try {
    [info] = await client.debugTokens(inspector, [token], signal);
  } catch (error) {
    if (error instanceof GraphError && error.kind !== 'cancelled') {
      return error;
    }
    throw error;
  }
  if (info instanceof GraphError) {
    return info;
  }
  if (info && !info.isValid) {
    return invalidTokenError(info);
  }
  return factsOr(info, undefined, nowS);
}

async function pageProfile(client: GraphClient, credentials: Credentials, signal?: AbortSignal): Promise<PageProfile> {
  try {
    return await client.pageProfile(credentials, signal);
  } catch (error) {
    if (error instanceof GraphError && isNonexistingField(error, /\S+/, 'User')) {
      throw new ConnectError('userTokenGiven', 'This is a user access token, not a Page access token.', error);
    }
    throw error;
  }
}

async function accountsPage(client: GraphClient, credentials: Credentials, after: string | undefined, signal?: AbortSignal) {
  try {
    return await client.listManagedPages(credentials, { limit: 100, after, signal });
  } catch (error) {
    if (error instanceof GraphError && isNonexistingField(error, /accounts/, 'Page')) {
      throw new ConnectError('pageTokenGiven', 'This is a Page access token, not a user access token.', error);
    }
    throw error;
  }
}

async function inspectAll(
  client: GraphClient,
  inspector: Credentials,
  tokens: string[],
  signal?: AbortSignal,
): Promise<(TokenInfo | GraphError | undefined)[]> {
  try {
    return await client.debugTokens(inspector, tokens, signal);
  } catch (error) {
    // Inspection is best effort: a token that works but cannot be inspected is still usable.
    if (error instanceof GraphError && error.kind !== 'cancelled' && error.kind !== 'invalidToken') {
      return tokens.map(() => error);
    }
    throw error;
  }
}

function factsOr(info: TokenInfo | GraphError | undefined, fallbackAppId: string | undefined, nowS: number): TokenFacts {
  if (!info || info instanceof GraphError || !info.isValid) {
    return { scopes: [], appId: fallbackAppId };
  }
  return {
    scopes: info.scopes,
    expiresAt: info.expiresAt,
    dataAccessExpiresAt: info.dataAccessExpiresAt,
    appId: info.appId ?? fallbackAppId,
    checkedAt: nowS,
  };
}

function invalidTokenError(info: TokenInfo): GraphError {
  return new GraphError({
    kind: 'invalidToken',
    code: info.error?.code ?? 190,
    subcode: info.error?.subcode,
    message: info.error?.message ?? 'The access token is no longer valid.',
    said: info.error?.message === undefined ? undefined : 'meta',
  });
}

/** `(#100) Tried accessing nonexisting field (x) on node type (User)`: how the API says a token is of another kind. */
function isNonexistingField(error: GraphError, field: RegExp, nodeType: string): boolean {
  const match = /nonexisting field \(([^)]*)\) on node type \(([^)]*)\)/.exec(error.message);
  return error.code === 100 && match !== null && field.test(match[1] ?? '') && match[2] === nodeType;
}
