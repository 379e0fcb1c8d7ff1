import * as assert from 'node:assert/strict';
import { AppAccount, credentialsFor } from '../../src/core/accounts/accounts';
import { connectApp, ConnectError, connectPage, connectUser, inspectToken, withMatchingApp } from '../../src/core/accounts/connect';
import { fetchSimulatorCredentials, SimulatorError } from '../../src/core/accounts/simulatorCredentials';
import { GraphClient } from '../../src/core/graph/client';
import { GraphError } from '../../src/core/graph/errors';
import { GraphTransport } from '../../src/core/graph/transport';
import { GraphSimulator, startSimulator } from '../../simulator/index';
import { rejection } from '../support/rejection';

describe('Connecting accounts against the simulator (real HTTP)', () => {
  let sim: GraphSimulator;
  let client: GraphClient;
  let apps: AppAccount[];
  const nowS = () => Math.floor(sim.world.now / 1000);

  before(async () => {
    sim = await startSimulator({ seed: 11 });
    client = new GraphClient(new GraphTransport({ fetch, host: sim.url, timeoutMs: 2000 }));
    apps = sim.world.apps.map((a) => ({ kind: 'app', id: a.id, name: a.name, secret: a.secret }));
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  it('connects a user token: every Page with its token, app, scopes and expiry, in a handful of requests', async () => {
    const connection = await connectUser(client, sim.credentials().userToken, apps, nowS());
    assert.equal(connection.user.name, 'Demo Developer');
    assert.equal(connection.user.appId, sim.world.apps[0]?.id);
    assert.ok(connection.user.scopes.includes('pages_show_list'));
    assert.ok((connection.user.expiresAt ?? 0) > nowS());
    assert.equal(connection.pages.length, sim.world.pages.length);
    for (const page of connection.pages) {
      const real = sim.world.page(page.id);
      assert.equal(page.token, real?.accessToken);
      assert.equal(page.appId, real?.appId, 'each Page token knows its own app, for appsecret_proof');
      assert.equal(page.expiresAt, 0);
      assert.equal(page.viaUserId, connection.user.id);
    }
    assert.ok(connection.pages.some((p) => p.instagram));
    // me/accounts (with and without the proof that finds the app), me, one batch of debug_token.
    assert.ok(sim.log.length <= 4, `${sim.log.length} requests`);
    assert.ok(
      sim.log.every((r) => !r.tokenInUrl && !('input_token' in r.query)),
      'no token in any URL',
    );
  });

  it('says which app is missing when the token needs appsecret_proof', async () => {
    const error = await rejection(connectUser(client, sim.credentials().userToken, apps.slice(1), nowS()));
    assert.ok(error instanceof ConnectError);
    assert.equal(error.problem, 'needsApp');
  });

  it('refuses a Page token where a user token is expected', async () => {
    const page = sim.world.pages[0];
    const error = await rejection(connectUser(client, page?.accessToken ?? '', apps, nowS()));
    assert.ok(error instanceof ConnectError);
    assert.equal(error.problem, 'pageTokenGiven');
  });

  it('refuses a user token where a Page token is expected', async () => {
    const error = await rejection(connectPage(client, sim.credentials().userToken, apps, nowS()));
    assert.ok(error instanceof ConnectError);
    assert.equal(error.problem, 'userTokenGiven');
  });

  it('adds a Page token directly, with its Instagram account and facts', async () => {
    const real = sim.world.pages.find((p) => p.instagram);
    assert.ok(real?.instagram);
    const page = await connectPage(client, real.accessToken, apps, nowS());
    assert.equal(page.id, real.id);
    assert.equal(page.name, real.name);
    assert.deepEqual(page.instagram, { id: real.instagram.id, username: real.instagram.username });
    assert.equal(page.appId, real.appId);
    assert.ok(page.scopes.includes('pages_messaging'));
    const creds = credentialsFor(page, apps);
    assert.equal(creds.appSecret, sim.world.app(real.appId)?.secret);
  });

  it("checks an updated token with its account's app first: no request is spent on the other apps", async () => {
    const real = sim.world.pages.find((p) => sim.world.apps.findIndex((a) => a.id === p.appId) > 0) ?? assert.fail('a Page of a later app');
    sim.reset();
    await connectPage(client, real.accessToken, apps, nowS());
    const blind = sim.log.filter((r) => r.path === 'me').length;
    sim.reset();
    const page = await connectPage(client, real.accessToken, apps, nowS(), undefined, real.appId);
    assert.equal(page.appId, real.appId);
    assert.equal(sim.log.filter((r) => r.path === 'me').length, 1, 'one profile request, with the right proof');
    assert.ok(blind > 1, `without the hint, ${blind} profile requests`);
  });

  it('reports an invalid token as a token error, not a connect problem', async () => {
    const error = await rejection(connectUser(client, 'SIM-user-unknown-token-000000000000000', apps, nowS()));
    assert.ok(error instanceof GraphError);
    assert.equal(error.kind, 'invalidToken');
  });

  it('reports a user who manages no Pages', async () => {
    const user = sim.world.users[0];
    assert.ok(user);
    const saved = [...user.pageIds];
    user.pageIds.length = 0;
    try {
      const error = await rejection(connectUser(client, user.token, apps, nowS()));
      assert.ok(error instanceof ConnectError);
      assert.equal(error.problem, 'noPages');
    } finally {
      user.pageIds.push(...saved);
    }
  });

  it('adds an app only when its ID and secret belong together', async () => {
    const real = sim.world.apps[1];
    assert.ok(real);
    const app = await connectApp(client, real.id, real.secret);
    assert.deepEqual(app, { kind: 'app', id: real.id, name: real.name, secret: real.secret });
    const wrong = await rejection(connectApp(client, real.id, '0'.repeat(32)));
    assert.ok(wrong instanceof ConnectError);
    assert.equal(wrong.problem, 'appSecretWrong');
    const unknown = await rejection(connectApp(client, '123456789012345', real.secret));
    assert.ok(unknown instanceof ConnectError);
    assert.equal(unknown.problem, 'appSecretWrong');
  });

  it('finds the app whose secret the token needs, trying the likely one first', async () => {
    const page = sim.world.pages[sim.world.pages.length - 1];
    assert.ok(page);
    const found = await withMatchingApp(page.accessToken, apps, (c) => client.pageProfile(c), page.appId);
    assert.equal(found.app?.id, page.appId);
    assert.equal(sim.log.length, 1, 'the preferred app is tried first');
  });

  it('re-inspects a revoked token as a token error', async () => {
    const page = sim.world.pages[0];
    const app = apps.find((a) => a.id === page?.appId);
    assert.ok(page && app);
    await fetch(`${sim.url}/__simulator/token`, {
      method: 'POST',
      headers: sim.controlHeaders(),
      body: JSON.stringify({ token: page.accessToken, invalidSubcode: 460 }),
    });
    const facts = await inspectToken(client, { accessToken: `${app.id}|${app.secret}`, appSecret: app.secret }, page.accessToken, nowS());
    assert.ok(facts instanceof GraphError);
    assert.equal(facts.kind, 'invalidToken');
  });

  it('reads the demo credentials of a running simulator with the key it printed, and only from loopback', async () => {
    const credentials = await fetchSimulatorCredentials(fetch, sim.connectUrl);
    assert.equal(credentials.origin, sim.url);
    assert.equal(credentials.userToken, sim.credentials().userToken);
    assert.equal(credentials.apps.length, sim.world.apps.length);
    const remote = await rejection(fetchSimulatorCredentials(fetch, 'https://graph.facebook.com'));
    assert.ok(remote instanceof SimulatorError);
    assert.equal(remote.problem, 'notLoopback');
    const closed = await rejection(fetchSimulatorCredentials(fetch, 'http://127.0.0.1:1'));
    assert.ok(closed instanceof SimulatorError);
    assert.equal(closed.problem, 'unreachable');
    const keyless = await rejection(fetchSimulatorCredentials(fetch, sim.url));
    assert.ok(keyless instanceof SimulatorError);
    assert.equal(keyless.problem, 'needsKey', 'the address without its key says what to paste');
    const stale = await rejection(fetchSimulatorCredentials(fetch, `${sim.url}/?key=key-of-an-earlier-run`));
    assert.ok(stale instanceof SimulatorError);
    assert.equal(stale.problem, 'wrongKey');
  });
});
