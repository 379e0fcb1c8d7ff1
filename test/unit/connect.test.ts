import * as assert from 'node:assert/strict';
import { AppAccount } from '../../src/core/accounts/accounts';
import { connectApp, ConnectError, connectPage, connectUser, inspectToken, withMatchingApp } from '../../src/core/accounts/connect';
import { GraphClient, PageProfile } from '../../src/core/graph/client';
import { GraphError, GraphErrorKind } from '../../src/core/graph/errors';
import { ManagedPage, TokenInfo } from '../../src/core/graph/models';
import { Page } from '../../src/core/graph/paging';
import { Credentials } from '../../src/core/graph/transport';
import { rejection } from '../support/rejection';

const NOW_S = 1_800_000_000;
const USER_TOKEN = 'EAAB-user';
const APP: AppAccount = { kind: 'app', id: '1000000000001', name: 'Demo', secret: '0123456789abcdef0123456789abcdef' };
const OTHER_APP: AppAccount = { kind: 'app', id: '1000000000002', name: 'Other', secret: 'fedcba9876543210fedcba9876543210' };

function graphError(kind: GraphErrorKind, code?: number, message = `${kind} failure`): GraphError {
  return new GraphError({ kind, code, message });
}

function managed(id: string, accessToken?: string): ManagedPage {
  return { id, name: `Page ${id}`, tasks: ['MESSAGING'], accessToken };
}

function validInfo(appId: string, scopes: string[]): TokenInfo {
  return { isValid: true, appId, scopes, expiresAt: 0 };
}

/** The Graph calls connecting makes, answered from what a test sets; every call is recorded. */
class FakeGraph {
  /** `/me/accounts` pages by the `after` cursor they answer (`''` for the first). */
  accounts = new Map<string, Page<ManagedPage>>([['', { items: [managed('p1', 'EAAB-page-1')] }]]);
  accountsError?: GraphError;
  profile: PageProfile = { id: 'p1', name: 'Page p1', category: 'Shop' };
  profileError?: GraphError;
  /** Facts per token; a token not listed is inspected as valid for APP. */
  infos = new Map<string, TokenInfo | GraphError>();
  debugError?: GraphError;
  appError?: GraphError;
  readonly calls: { method: string; credentials: Credentials; options?: { limit?: number; after?: string } }[] = [];

  client(): GraphClient {
    const fake = {
      listManagedPages: (credentials: Credentials, options: { limit?: number; after?: string; signal?: AbortSignal }) => {
        this.calls.push({ method: 'accounts', credentials, options: { limit: options.limit, after: options.after } });
        if (this.accountsError) {
          return Promise.reject(this.accountsError);
        }
        const page = this.accounts.get(options.after ?? '');
        return page ? Promise.resolve(page) : Promise.reject(graphError('badRequest', 100, `no page after ${options.after}`));
      },
      me: (credentials: Credentials) => {
        this.calls.push({ method: 'me', credentials });
        return Promise.resolve({ id: 'u1', name: 'Demo Developer' });
      },
      pageProfile: (credentials: Credentials) => {
        this.calls.push({ method: 'profile', credentials });
        return this.profileError ? Promise.reject(this.profileError) : Promise.resolve(this.profile);
      },
      app: (credentials: Credentials, appId: string) => {
        this.calls.push({ method: 'app', credentials });
        return this.appError ? Promise.reject(this.appError) : Promise.resolve({ id: appId, name: 'Demo App' });
      },
      debugTokens: (credentials: Credentials, tokens: readonly string[]) => {
        this.calls.push({ method: 'debug', credentials });
        if (this.debugError) {
          return Promise.reject(this.debugError);
        }
        return Promise.resolve(tokens.map((t) => this.infos.get(t) ?? validInfo(APP.id, ['pages_messaging'])));
      },
    };
    return fake as unknown as GraphClient;
  }
}

describe('Connecting accounts: which app proves a token', () => {
  it('tries the token alone first when no app is preferred, and names no app when it is accepted', async () => {
    const sent: Credentials[] = [];
    const found = await withMatchingApp(USER_TOKEN, [APP], (c) => (sent.push(c), Promise.resolve('ok')));
    assert.equal(found.app, undefined);
    assert.deepEqual(sent, [{ accessToken: USER_TOKEN, appSecret: undefined }]);
  });

  it('tries the token alone first when the preferred app is not stored', async () => {
    const sent: Credentials[] = [];
    const found = await withMatchingApp(USER_TOKEN, [APP], (c) => (sent.push(c), Promise.resolve('ok')), '999999999');
    assert.equal(found.app, undefined);
    assert.deepEqual(sent, [{ accessToken: USER_TOKEN, appSecret: undefined }]);
    assert.equal((await withMatchingApp(USER_TOKEN, [], () => Promise.resolve('ok'), '999999999')).app, undefined, 'no app stored at all');
  });

  it('goes on to the next app only when the proof is refused, and says the app is missing when none fits', async () => {
    const sent: (string | undefined)[] = [];
    const refuse = (c: Credentials) => (sent.push(c.appSecret), Promise.reject(graphError('appSecretProof', 100)));
    const error = await rejection(withMatchingApp(USER_TOKEN, [APP, OTHER_APP], refuse));
    assert.ok(error instanceof ConnectError);
    assert.equal(error.problem, 'needsApp');
    assert.equal(error.graphError?.kind, 'appSecretProof');
    assert.deepEqual(sent, [undefined, APP.secret, OTHER_APP.secret]);
    const other = await rejection(withMatchingApp(USER_TOKEN, [APP], () => Promise.reject(graphError('network'))));
    assert.ok(other instanceof GraphError && other.kind === 'network', 'other failures are not a missing app');
  });
});

describe('Connecting a user token (fake Graph)', () => {
  it('follows every page of /me/accounts, 100 Pages at a time, with the next cursor', async () => {
    const graph = new FakeGraph();
    graph.accounts.set('', { items: [managed('p1', 'EAAB-page-1')], after: 'c1' });
    graph.accounts.set('c1', { items: [managed('p2', 'EAAB-page-2')] });
    const connection = await connectUser(graph.client(), USER_TOKEN, [], NOW_S);
    assert.deepEqual(
      connection.pages.map((p) => p.id),
      ['p1', 'p2'],
    );
    assert.deepEqual(
      graph.calls.filter((c) => c.method === 'accounts').map((c) => c.options),
      [
        { limit: 100, after: undefined },
        { limit: 100, after: 'c1' },
      ],
    );
  });

  it('stops listing Pages after 100 pages, however many cursors the API keeps giving', async () => {
    const graph = new FakeGraph();
    for (let i = 0; i < 150; i++) {
      graph.accounts.set(i === 0 ? '' : `c${i}`, { items: [managed(`p${i}`, `EAAB-page-${i}`)], after: `c${i + 1}` });
    }
    const connection = await connectUser(graph.client(), USER_TOKEN, [], NOW_S);
    assert.equal(graph.calls.filter((c) => c.method === 'accounts').length, 100);
    assert.equal(connection.pages.length, 100);
  });

  it('connects only the Pages that came with a token, and lists the others as skipped', async () => {
    const graph = new FakeGraph();
    graph.accounts.set('', { items: [managed('p1', 'EAAB-page-1'), managed('p2'), managed('p3', 'EAAB-page-3')] });
    const connection = await connectUser(graph.client(), USER_TOKEN, [], NOW_S);
    assert.deepEqual(
      connection.pages.map((p) => [p.id, p.token]),
      [
        ['p1', 'EAAB-page-1'],
        ['p3', 'EAAB-page-3'],
      ],
    );
    assert.deepEqual(connection.skipped, [{ id: 'p2', name: 'Page p2' }]);
  });

  it('says whether the user manages no Pages or the API gave no Page tokens', async () => {
    const none = new FakeGraph();
    none.accounts.set('', { items: [] });
    const noPages = await rejection(connectUser(none.client(), USER_TOKEN, [], NOW_S));
    assert.ok(noPages instanceof ConnectError && noPages.problem === 'noPages');
    const tokenless = new FakeGraph();
    tokenless.accounts.set('', { items: [managed('p1'), managed('p2')] });
    const noTokens = await rejection(connectUser(tokenless.client(), USER_TOKEN, [], NOW_S));
    assert.ok(noTokens instanceof ConnectError && noTokens.problem === 'noPages');
    assert.notEqual(noPages.message, noTokens.message, 'the log tells the two apart');
  });

  it('recognises a Page token only by a #100 "nonexisting field (accounts) on node type (Page)"', async () => {
    const page = new FakeGraph();
    page.accountsError = graphError('badRequest', 100, '(#100) Tried accessing nonexisting field (accounts) on node type (Page)');
    const given = await rejection(connectUser(page.client(), USER_TOKEN, [], NOW_S));
    assert.ok(given instanceof ConnectError && given.problem === 'pageTokenGiven');
    for (const [code, message] of [
      [10, '(#10) Tried accessing nonexisting field (accounts) on node type (Page)'],
      [100, '(#100) Tried accessing nonexisting field (accounts) on node type (Group)'],
    ] as const) {
      const graph = new FakeGraph();
      graph.accountsError = graphError('badRequest', code, message);
      const error = await rejection(connectUser(graph.client(), USER_TOKEN, [], NOW_S));
      assert.ok(error instanceof GraphError, `${message}: ${String(error)}`);
    }
  });

  it('keeps a user whose tokens cannot be inspected, without scopes, but stops on an invalid token', async () => {
    const graph = new FakeGraph();
    graph.debugError = graphError('permission', 10);
    const connection = await connectUser(graph.client(), USER_TOKEN, [], NOW_S, undefined, APP.id);
    assert.deepEqual(connection.user.scopes, []);
    assert.equal(connection.user.checkedAt, undefined);
    assert.deepEqual(connection.pages[0]?.scopes, []);
    for (const kind of ['invalidToken', 'cancelled'] as const) {
      const failing = new FakeGraph();
      failing.debugError = graphError(kind, kind === 'invalidToken' ? 190 : undefined);
      const error = await rejection(connectUser(failing.client(), USER_TOKEN, [], NOW_S));
      assert.ok(error instanceof GraphError && error.kind === kind, String(error));
    }
  });
});

describe('Connecting a Page token (fake Graph)', () => {
  it('adds the Page with its profile and facts, and no tasks (a Page token does not say them)', async () => {
    const graph = new FakeGraph();
    graph.infos.set('EAAB-page', validInfo(APP.id, ['pages_messaging']));
    const page = await connectPage(graph.client(), 'EAAB-page', [], NOW_S);
    assert.deepEqual(page, {
      kind: 'page',
      id: 'p1',
      name: 'Page p1',
      token: 'EAAB-page',
      category: 'Shop',
      tasks: [],
      instagram: undefined,
      scopes: ['pages_messaging'],
      expiresAt: 0,
      dataAccessExpiresAt: undefined,
      appId: APP.id,
      checkedAt: NOW_S,
    });
  });

  it('recognises a user token by a #100 "nonexisting field on node type (User)" only', async () => {
    const user = new FakeGraph();
    user.profileError = graphError('badRequest', 100, '(#100) Tried accessing nonexisting field (category) on node type (User)');
    const given = await rejection(connectPage(user.client(), USER_TOKEN, [], NOW_S));
    assert.ok(given instanceof ConnectError && given.problem === 'userTokenGiven');
    const other = new FakeGraph();
    other.profileError = graphError('badRequest', 100, '(#100) Tried accessing nonexisting field (category) on node type (Page)');
    const error = await rejection(connectPage(other.client(), USER_TOKEN, [], NOW_S));
    assert.ok(error instanceof GraphError, String(error));
  });
});

describe('Adding an app (fake Graph)', () => {
  it('calls a refused app token, a refused proof or an unknown app a wrong ID or secret', async () => {
    for (const kind of ['invalidToken', 'appSecretProof', 'notFound'] as const) {
      const graph = new FakeGraph();
      graph.appError = graphError(kind, 100);
      const error = await rejection(connectApp(graph.client(), APP.id, APP.secret));
      assert.ok(error instanceof ConnectError, `${kind}: ${String(error)}`);
      assert.equal(error.problem, 'appSecretWrong');
      assert.equal(error.graphError?.kind, kind);
    }
  });

  it('passes other failures on as they are, so a network failure is not blamed on the secret', async () => {
    const graph = new FakeGraph();
    graph.appError = graphError('network');
    const error = await rejection(connectApp(graph.client(), APP.id, APP.secret));
    assert.ok(error instanceof GraphError && error.kind === 'network', String(error));
  });
});

describe('Re-inspecting a token for the Accounts view (fake Graph)', () => {
  const inspector: Credentials = { accessToken: `${APP.id}|${APP.secret}`, appSecret: APP.secret };

  it('returns the facts of a valid token, checked now', async () => {
    const graph = new FakeGraph();
    graph.infos.set('EAAB-page', { ...validInfo(APP.id, ['pages_messaging']), expiresAt: NOW_S + 60, dataAccessExpiresAt: NOW_S + 90 });
    assert.deepEqual(await inspectToken(graph.client(), inspector, 'EAAB-page', NOW_S), {
      scopes: ['pages_messaging'],
      expiresAt: NOW_S + 60,
      dataAccessExpiresAt: NOW_S + 90,
      appId: APP.id,
      checkedAt: NOW_S,
    });
  });

  it("turns an invalid token into a token error with Meta's code and words, or a plain one when Meta gave none", async () => {
    const graph = new FakeGraph();
    graph.infos.set('revoked', { isValid: false, scopes: [], error: { code: 102, subcode: 460, message: 'Session has expired.' } });
    graph.infos.set('bare', { isValid: false, scopes: [] });
    const revoked = await inspectToken(graph.client(), inspector, 'revoked', NOW_S);
    assert.ok(revoked instanceof GraphError);
    assert.deepEqual(
      [revoked.kind, revoked.code, revoked.subcode, revoked.message, revoked.said],
      ['invalidToken', 102, 460, 'Session has expired.', 'meta'],
    );
    const bare = await inspectToken(graph.client(), inspector, 'bare', NOW_S);
    assert.ok(bare instanceof GraphError);
    assert.deepEqual([bare.kind, bare.code, bare.said], ['invalidToken', 190, undefined]);
  });

  it('returns a failed inspection as its error, but a cancelled one rejects', async () => {
    const graph = new FakeGraph();
    graph.debugError = graphError('network');
    const failed = await inspectToken(graph.client(), inspector, 'EAAB-page', NOW_S);
    assert.ok(failed instanceof GraphError && failed.kind === 'network');
    graph.debugError = graphError('cancelled');
    const cancelled = await rejection(inspectToken(graph.client(), inspector, 'EAAB-page', NOW_S));
    assert.ok(cancelled instanceof GraphError && cancelled.kind === 'cancelled');
  });
});
