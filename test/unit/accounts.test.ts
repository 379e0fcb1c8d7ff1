import * as assert from 'node:assert/strict';
import { accountName, AppAccount, credentialsFor, PageAccount, parseAccount, sortAccounts } from '../../src/core/accounts/accounts';
import { missingScopes, tokenHealth } from '../../src/core/accounts/tokenHealth';
import { TokenGuard } from '../../src/core/accounts/tokenGuard';
import { GraphError } from '../../src/core/graph/errors';

const app: AppAccount = { kind: 'app', id: '111111', name: 'Bot', secret: 'a'.repeat(32) };
const page: PageAccount = {
  kind: 'page',
  id: '222222',
  name: 'Shop',
  token: 'SIM-page-token-xxxxxxxxxxxxxxxxxxxxxxxx',
  tasks: ['MESSAGING'],
  scopes: ['pages_messaging'],
  expiresAt: 0,
  appId: '111111',
  instagram: { id: '178414', username: 'shop' },
};

describe('stored accounts', () => {
  it('round-trip through their stored form and are keyed by kind and id', () => {
    assert.deepEqual(parseAccount(JSON.stringify(page)), {
      ...page,
      dataAccessExpiresAt: undefined,
      checkedAt: undefined,
      category: undefined,
      viaUserId: undefined,
    });
    assert.deepEqual(parseAccount(JSON.stringify(app)), app);
    assert.equal(accountName(page), 'page/222222');
  });

  it('ignores anything that is not a well-formed account', () => {
    for (const raw of [
      undefined,
      '',
      'not json',
      'null',
      '[]',
      '{"kind":"page","id":"1","name":"x"}',
      '{"kind":"app","id":"../x","name":"x","secret":"s"}',
      '{"kind":"other","id":"1","name":"x"}',
      '{"kind":"user","id":"1","name":5,"token":"t"}',
      // The id names the SecretStorage entry, so it must be digits and nothing else.
      '{"kind":"app","id":"../1","name":"x","secret":"s"}',
      '{"kind":"app","id":"1/..","name":"x","secret":"s"}',
    ]) {
      assert.equal(parseAccount(raw), undefined, String(raw));
    }
  });

  it('round-trip a user token with its facts', () => {
    const user = {
      kind: 'user',
      id: '333333',
      name: 'Anh',
      token: 'SIM-user-token',
      scopes: ['pages_show_list'],
      expiresAt: 5,
      appId: '111111',
    };
    assert.deepEqual(parseAccount(JSON.stringify(user)), { ...user, dataAccessExpiresAt: undefined, checkedAt: undefined });
  });

  it('keep only the strings of stored scope and task lists, and read missing lists as empty', () => {
    const parsed = parseAccount(JSON.stringify({ ...page, scopes: ['pages_messaging', 7, null], tasks: [{}, 'MESSAGING'] }));
    assert.deepEqual(parsed?.kind === 'page' && [parsed.scopes, parsed.tasks], [['pages_messaging'], ['MESSAGING']]);
    const bare = parseAccount(JSON.stringify({ kind: 'page', id: '222222', name: 'Shop', token: 't' }));
    assert.deepEqual(bare?.kind === 'page' && [bare.scopes, bare.tasks], [[], []]);
  });

  it('use their app secret for appsecret_proof only when that app is stored', () => {
    assert.deepEqual(credentialsFor(page, [app]), { accessToken: page.token, appSecret: app.secret });
    assert.deepEqual(credentialsFor(page, []), { accessToken: page.token, appSecret: undefined });
    const other: AppAccount = { ...app, id: '999999', secret: 'b'.repeat(32) };
    assert.deepEqual(credentialsFor(page, [other]), { accessToken: page.token, appSecret: undefined });
    assert.deepEqual(credentialsFor(page, [other, app]), { accessToken: page.token, appSecret: app.secret });
    assert.deepEqual(credentialsFor({ ...page, appId: undefined }, [app]), { accessToken: page.token, appSecret: undefined });
  });

  it('sort apps, then users, then Pages, by name', () => {
    const user = { kind: 'user' as const, id: '3', name: 'A', token: 't', scopes: [] };
    assert.deepEqual(
      sortAccounts([page, user, app]).map((a) => a.kind),
      ['app', 'user', 'page'],
    );
  });
});

describe('tokenHealth', () => {
  const now = 1_800_000_000;
  it('tells never, unknown, ok, expiring and expired apart', () => {
    assert.deepEqual(tokenHealth({ scopes: [], expiresAt: 0 }, now, 7), { state: 'never' });
    assert.deepEqual(tokenHealth({ scopes: [] }, now, 7), { state: 'unknown' });
    assert.deepEqual(tokenHealth({ scopes: [], expiresAt: now + 30 * 86_400 }, now, 7), {
      state: 'ok',
      expiresAt: now + 30 * 86_400,
      daysLeft: 30,
    });
    assert.deepEqual(tokenHealth({ scopes: [], expiresAt: now + 3 * 86_400 + 5 }, now, 7), {
      state: 'expiring',
      expiresAt: now + 3 * 86_400 + 5,
      daysLeft: 3,
    });
    assert.deepEqual(tokenHealth({ scopes: [], expiresAt: now }, now, 7), { state: 'expired', expiresAt: now });
  });

  it('lists missing scopes only when the scopes are known', () => {
    assert.deepEqual(missingScopes('user', { scopes: ['pages_show_list'] }), ['pages_messaging']);
    assert.deepEqual(missingScopes('page', { scopes: [] }), []);
  });
});

describe('TokenGuard', () => {
  const expired = new GraphError({ kind: 'invalidToken', code: 190, subcode: 463, message: 'Session has expired' });

  it('remembers a rejected token and refuses further calls without making them', async () => {
    const guard = new TokenGuard();
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(expired);
    };
    await assert.rejects(guard.run('page/1', failing), expired);
    await assert.rejects(guard.run('page/1', failing), expired);
    assert.equal(calls, 1);
    guard.clear('page/1');
    await guard.run('page/1', () => Promise.resolve(1));
  });

  it('reports a rejection once, and ignores other failures', () => {
    const guard = new TokenGuard();
    const seen: string[] = [];
    guard.onDidChange((k) => seen.push(k));
    assert.equal(guard.report('a', new GraphError({ kind: 'transient', message: 'x' })), false);
    assert.equal(guard.report('a', expired), true);
    assert.equal(guard.report('a', expired), false);
    assert.deepEqual(seen, ['a']);
  });
});
