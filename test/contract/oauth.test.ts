import * as assert from 'node:assert/strict';
import { GraphSimulator, startSimulator } from '../../simulator/index';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** The simulator's token endpoints over real HTTP, as a client that follows Meta's docs calls them. */
describe('Simulator: long-lived exchange and Login for Devices (real HTTP)', () => {
  let sim: GraphSimulator;
  let app: { id: string; secret: string; clientToken: string };

  async function post(path: string, form: Record<string, string>): Promise<Answer> {
    const res = await fetch(`${sim.url}/v26.0/${path}`, { method: 'POST', body: new URLSearchParams(form) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  function errorOf(answer: Answer): Record<string, unknown> {
    return (answer.body.error ?? {}) as Record<string, unknown>;
  }
  async function deviceCode(scope = 'pages_show_list,pages_messaging'): Promise<Record<string, unknown>> {
    const answer = await post('device/login', { access_token: `${app.id}|${app.clientToken}`, scope });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  }
  function poll(code: unknown): Promise<Answer> {
    return post('device/login_status', { access_token: `${app.id}|${app.clientToken}`, code: String(code) });
  }
  async function approvalForm(userCode: string, action: 'approve' | 'decline'): Promise<{ status: number; html: string }> {
    const page = await (await fetch(`${sim.url}/device?user_code=${userCode}`)).text();
    const formKey = /name="form_key" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await fetch(`${sim.url}/device`, {
      method: 'POST',
      body: new URLSearchParams({ form_key: formKey, user_code: userCode, action }),
    });
    return { status: res.status, html: await res.text() };
  }
  function debug(token: string): Promise<Record<string, unknown>> {
    return fetch(`${sim.url}/v26.0/debug_token?input_token=${encodeURIComponent(token)}`, {
      headers: { authorization: `Bearer ${app.id}|${app.secret}` },
    })
      .then((r) => r.json() as Promise<{ data: Record<string, unknown> }>)
      .then((j) => j.data);
  }

  before(async () => {
    sim = await startSimulator({ seed: 5, itemCostMs: 0, settings: { devicePollInterval: 1 } });
    const first = sim.credentials().apps[0];
    assert.ok(first);
    app = first;
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  async function shortLivedToken(): Promise<string> {
    const device = await deviceCode();
    assert.equal((await approvalForm(String(device.user_code), 'approve')).status, 200);
    const answer = await poll(device.code);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return String(answer.body.access_token);
  }

  describe('POST /oauth/access_token grant_type=fb_exchange_token', () => {
    it('exchanges a short-lived user token for one of about 60 days, which debug_token reports', async () => {
      const short = await shortLivedToken();
      const before = await debug(short);
      const nowS = Math.floor(sim.world.clock() / 1000);
      assert.ok(Math.abs(Number(before.expires_at) - (nowS + 3600)) <= 2, 'a device token is short-lived here (1 hour)');
      const answer = await post('oauth/access_token', {
        grant_type: 'fb_exchange_token',
        client_id: app.id,
        client_secret: app.secret,
        fb_exchange_token: short,
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.token_type, 'bearer');
      assert.equal(answer.body.expires_in, 60 * 86_400);
      const long = String(answer.body.access_token);
      assert.notEqual(long, short);
      const after = await debug(long);
      assert.equal(after.is_valid, true);
      assert.ok(Math.abs(Number(after.expires_at) - (nowS + 60 * 86_400)) <= 2);
      assert.ok(Number(after.data_access_expires_at) > nowS + 89 * 86_400);
      // The secret travelled in the body: nothing secret in the logged URL.
      const logged = sim.log.filter((r) => r.path === 'oauth/access_token');
      assert.ok(logged.length === 1 && !logged[0]?.tokenInUrl);
    });

    it('also answers GET, as Meta documents it', async () => {
      const short = await shortLivedToken();
      const params = new URLSearchParams({
        grant_type: 'fb_exchange_token',
        client_id: app.id,
        client_secret: app.secret,
        fb_exchange_token: short,
      });
      const res = await fetch(`${sim.url}/v26.0/oauth/access_token?${params.toString()}`);
      assert.equal(res.status, 200);
      assert.ok(sim.log.at(-1)?.tokenInUrl, 'the simulator flags a secret in a URL');
      assert.equal(sim.log.at(-1)?.query.client_secret, '[REDACTED]');
    });

    it('refuses an expired token with 190/463', async () => {
      const short = await shortLivedToken();
      await sim.controlRequest('/clock', { advanceHours: 2 });
      const answer = await post('oauth/access_token', {
        grant_type: 'fb_exchange_token',
        client_id: app.id,
        client_secret: app.secret,
        fb_exchange_token: short,
      });
      assert.equal(answer.status, 400);
      assert.equal(errorOf(answer).code, 190);
      assert.equal(errorOf(answer).error_subcode, 463);
      assert.equal((await debug(short)).is_valid, false, 'debug_token says it expired');
    });

    it('refuses a wrong secret with Meta\'s "Error validating client secret." (code 1)', async () => {
      const answer = await post('oauth/access_token', {
        grant_type: 'fb_exchange_token',
        client_id: app.id,
        client_secret: 'f'.repeat(32),
        fb_exchange_token: sim.credentials().userToken,
      });
      assert.equal(answer.status, 400);
      assert.equal(errorOf(answer).code, 1);
      assert.equal(errorOf(answer).type, 'OAuthException');
      assert.match(String(errorOf(answer).message), /client secret/);
    });

    it('hands out the app token with grant_type=client_credentials', async () => {
      const answer = await post('oauth/access_token', { grant_type: 'client_credentials', client_id: app.id, client_secret: app.secret });
      assert.deepEqual(answer.body, { access_token: `${app.id}|${app.secret}`, token_type: 'bearer' });
    });
  });

  describe('Login for Devices', () => {
    it('gives a code, user code, verification URI on this simulator, expiry and interval', async () => {
      const device = await deviceCode();
      assert.match(String(device.code), /^[0-9a-f]{32}$/);
      assert.match(String(device.user_code), /^[A-Z0-9]{8}$/);
      assert.equal(device.verification_uri, `${sim.url}/device`);
      assert.equal(device.expires_in, 420);
      assert.equal(device.interval, 1);
    });

    it('refuses a wrong client token', async () => {
      const answer = await post('device/login', { access_token: `${app.id}|${'0'.repeat(32)}`, scope: 'pages_show_list' });
      assert.equal(answer.status, 400);
      assert.equal(errorOf(answer).code, 190);
    });

    it('answers pending (31/1349174) until the person approves, then a token that reads the Pages', async () => {
      const device = await deviceCode();
      const pending = await poll(device.code);
      assert.equal(pending.status, 400);
      assert.equal(errorOf(pending).code, 31);
      assert.equal(errorOf(pending).error_subcode, 1349174);
      const page = await (await fetch(`${sim.url}/device?user_code=${String(device.user_code)}`)).text();
      assert.match(page, /pages_messaging/);
      assert.equal((await approvalForm(String(device.user_code), 'approve')).status, 200);
      await new Promise((r) => setTimeout(r, 1000));
      const done = await poll(device.code);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.expires_in, 3600);
      const token = String(done.body.access_token);
      const info = await debug(token);
      assert.deepEqual(info.scopes, ['pages_show_list', 'pages_messaging']);
      // The Page tokens read with a short-lived user token expire with it.
      const proof = (await import('node:crypto')).createHmac('sha256', app.secret).update(token).digest('hex');
      const accounts = (await (
        await fetch(`${sim.url}/v26.0/me/accounts?appsecret_proof=${proof}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { data: { access_token: string }[] };
      assert.ok(accounts.data.length > 0);
      const pageInfo = await debug(accounts.data[0]?.access_token ?? '');
      assert.equal(pageInfo.expires_at, info.expires_at);
      // The code is used up.
      assert.equal((await poll(device.code)).status, 400);
    });

    it('answers slow down (17/1349172) to a poll sooner than the interval', async () => {
      const device = await deviceCode();
      await poll(device.code);
      const tooSoon = await poll(device.code);
      assert.equal(errorOf(tooSoon).code, 17);
      assert.equal(errorOf(tooSoon).error_subcode, 1349172);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(errorOf(await poll(device.code)).error_subcode, 1349174, 'waiting the interval is pending again');
    });

    it('tells a declined request apart', async () => {
      const device = await deviceCode();
      const declined = await approvalForm(String(device.user_code), 'decline');
      assert.match(declined.html, /data-result="declined"/);
      const answer = await poll(device.code);
      assert.equal(answer.status, 400);
      assert.equal(errorOf(answer).code, 200);
    });

    it('expires the code (463/1349152) after expires_in on the simulator clock', async () => {
      const device = await deviceCode();
      await sim.controlRequest('/clock', { advanceMs: 421_000 });
      const answer = await poll(device.code);
      assert.equal(errorOf(answer).code, 463);
      assert.equal(errorOf(answer).error_subcode, 1349152);
      const late = await approvalForm(String(device.user_code), 'approve');
      assert.equal(late.status, 400, 'an expired code cannot be approved');
    });

    it('the approval page refuses a form without its key or from another origin, and renders input inert', async () => {
      const device = await deviceCode();
      const forged = await fetch(`${sim.url}/device`, {
        method: 'POST',
        body: new URLSearchParams({ user_code: String(device.user_code), action: 'approve' }),
      });
      assert.equal(forged.status, 403);
      const page = await fetch(`${sim.url}/device?user_code=${encodeURIComponent('<script>x</script>')}`);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.doesNotMatch(await page.text(), /<script/i);
      assert.equal(errorOf(await poll(device.code)).error_subcode, 1349174, 'still pending');
    });
  });
});
