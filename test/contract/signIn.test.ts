import * as assert from 'node:assert/strict';
import { AppAccount } from '../../src/core/accounts/accounts';
import { connectUser } from '../../src/core/accounts/connect';
import { pollDeviceLogin, SIGN_IN_SCOPES } from '../../src/core/accounts/deviceLogin';
import { GraphClient } from '../../src/core/graph/client';
import { GraphTransport } from '../../src/core/graph/transport';
import { GraphSimulator, startSimulator } from '../../simulator/index';

/** The extension's sign-in pieces (GraphClient + pollDeviceLogin) against the simulator over HTTP. */
describe('Sign-in client: Login for Devices and the long-lived exchange against the simulator', () => {
  let sim: GraphSimulator;
  let client: GraphClient;
  let app: { id: string; secret: string; clientToken: string; name: string };
  let apps: AppAccount[];

  before(async () => {
    sim = await startSimulator({ seed: 3, itemCostMs: 0, settings: { devicePollInterval: 1 } });
    client = new GraphClient(new GraphTransport({ fetch, host: sim.url, timeoutMs: 2000 }));
    const first = sim.credentials().apps[0];
    assert.ok(first);
    app = first;
    apps = sim.credentials().apps.map((a) => ({ kind: 'app', id: a.id, name: a.name, secret: a.secret }));
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  async function approve(userCode: string, action = 'approve'): Promise<void> {
    const page = await (await fetch(`${sim.url}/device`)).text();
    const formKey = /name="form_key" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await fetch(`${sim.url}/device`, {
      method: 'POST',
      body: new URLSearchParams({ form_key: formKey, user_code: userCode, action }),
    });
    assert.equal(res.status, 200);
  }

  it('polls at the interval until approved, connects the Pages, and exchanges for a 60-day token whose Page tokens never expire', async () => {
    const credentials = { accessToken: `${app.id}|${app.clientToken}` };
    const device = await client.deviceLogin(credentials, SIGN_IN_SCOPES);
    const waits: string[] = [];
    setTimeout(() => void approve(device.userCode), 1500);
    const outcome = await pollDeviceLogin(() => client.deviceLoginStatus(credentials, device.code), device, {
      onWait: (state) => waits.push(state),
    });
    assert.equal(outcome.kind, 'approved');
    assert.ok(waits.length >= 1 && waits.every((w) => w === 'pending'), `no slow-down when the interval is kept: ${waits.join()}`);
    const polls = sim.log.filter((r) => r.path === 'device/login_status');
    assert.ok(polls.every((r) => r.status === 200 || r.status === 400));
    assert.ok(outcome.kind === 'approved');
    const nowS = Math.floor(sim.world.clock() / 1000);
    const short = await connectUser(client, outcome.token.accessToken, apps, nowS);
    assert.ok(short.user.expiresAt !== undefined && short.user.expiresAt - nowS <= 3600);
    assert.ok(
      short.pages.every((p) => p.expiresAt === short.user.expiresAt),
      'Page tokens of a short-lived user token expire with it',
    );

    const long = await client.exchangeForLongLived({ accessToken: outcome.token.accessToken }, app.id, app.secret);
    assert.equal(long.expiresIn, 60 * 86_400);
    const exchange = sim.log.find((r) => r.path === 'oauth/access_token');
    assert.ok(exchange && !exchange.tokenInUrl && exchange.query.client_secret === undefined, 'the App Secret travelled in the body');
    const connected = await connectUser(client, long.accessToken, apps, nowS);
    assert.ok((connected.user.expiresAt ?? 0) - nowS > 59 * 86_400);
    assert.ok(connected.pages.every((p) => p.expiresAt === 0));
  });

  it('reports declined and expired codes, and slows down when told to', async () => {
    const credentials = { accessToken: `${app.id}|${app.clientToken}` };
    const declined = await client.deviceLogin(credentials, SIGN_IN_SCOPES);
    await approve(declined.userCode, 'decline');
    assert.deepEqual(await pollDeviceLogin(() => client.deviceLoginStatus(credentials, declined.code), declined), { kind: 'declined' });

    const expiring = await client.deviceLogin(credentials, SIGN_IN_SCOPES);
    await sim.controlRequest('/clock', { advanceMs: 421_000 });
    assert.deepEqual(await pollDeviceLogin(() => client.deviceLoginStatus(credentials, expiring.code), expiring), { kind: 'expired' });

    // A client that polls too soon is told to slow down, and then waits longer.
    await sim.controlRequest('/settings', { devicePollInterval: 5 });
    const hasty = await client.deviceLogin(credentials, SIGN_IN_SCOPES);
    await sim.controlRequest('/settings', { devicePollInterval: 1 });
    await client.deviceLoginStatus(credentials, hasty.code).catch(() => undefined);
    const waits: string[] = [];
    const controller = new AbortController();
    const polling = pollDeviceLogin(
      () => client.deviceLoginStatus(credentials, hasty.code),
      { ...hasty, interval: 1 },
      {
        signal: controller.signal,
        onWait: (state) => {
          waits.push(state);
          controller.abort();
        },
      },
    ).catch((e: unknown) => e);
    await polling;
    assert.deepEqual(waits, ['slowDown']);
  });
});
