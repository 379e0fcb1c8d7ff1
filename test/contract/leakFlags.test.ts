import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { GraphSimulator, RequestLogEntry, startSimulator } from '../../simulator/index';

/** Every character as a %XX escape: what a client that encodes "everything" puts in a URL. */
const percentAll = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * The simulator's request log is what leak checks read: it must see a token or app secret wherever a client puts
 * it outside the Authorization header. Each case below fails if `tokenInUrl` goes back to "a parameter named
 * access_token" or `secretInHeader` stops reading headers.
 */
describe('The simulator flags a token or app secret outside the Authorization header', () => {
  let sim: GraphSimulator;
  before(async () => {
    sim = await startSimulator({ seed: 7, itemCostMs: 0 });
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  const last = (): RequestLogEntry => sim.log.at(-1) ?? assert.fail('a logged request');
  /** GETs a raw request target (path and query as written) and returns its log entry. */
  const get = async (target: string, headers: Record<string, string> = {}): Promise<RequestLogEntry> => {
    const before = sim.log.length;
    await fetch(`${sim.url}${target}`, { headers });
    assert.equal(sim.log.length, before + 1, `one logged request for ${target}`);
    return last();
  };
  const page = () => sim.world.pages[0] ?? assert.fail('a Page');
  const app = () => sim.world.apps[0] ?? assert.fail('an app');

  describe('in the URL', () => {
    it('a token under another parameter name', async () => {
      assert.equal((await get(`/v26.0/me?fields=id&t=${sim.credentials().userToken}`)).tokenInUrl, true);
      assert.equal((await get(`/v26.0/debug_token?input_token=${page().accessToken}`)).tokenInUrl, true);
      assert.equal((await get(`/v26.0/me?fields=id&access_token=${page().accessToken}`)).tokenInUrl, true, 'and under its own name');
    });

    it('a token or app secret in the path', async () => {
      assert.equal((await get(`/v26.0/${app().secret}`)).tokenInUrl, true, 'an app secret as a node');
      assert.equal((await get(`/v26.0/me/${page().accessToken}/conversations`)).tokenInUrl, true, 'a Page token as a segment');
    });

    it('URL-encoded: every character escaped, an app token with %7C, encoded twice, and next to a malformed escape', async () => {
      const token = page().accessToken;
      assert.equal((await get(`/v26.0/me?fields=id&token=${percentAll(token)}`)).tokenInUrl, true, 'every character escaped');
      assert.equal((await get(`/v26.0/me/${percentAll(token)}`)).tokenInUrl, true, 'escaped in the path');
      assert.equal((await get(`/v26.0/me?key=${app().id}%7C${app().secret}`)).tokenInUrl, true, 'an app access token');
      assert.equal((await get(`/v26.0/me?x=${percentAll(token).replace(/%/g, '%25')}`)).tokenInUrl, true, 'encoded twice');
      assert.equal(
        (await get(`/v26.0/me?q=100%&x=${percentAll(sim.credentials().userToken)}`)).tokenInUrl,
        true,
        'a malformed escape elsewhere does not hide it',
      );
    });

    it('a token issued while the simulator runs', async () => {
      const reissued = await fetch(`${sim.url}/__simulator/token`, {
        method: 'POST',
        headers: sim.controlHeaders(),
        body: JSON.stringify({ token: page().accessToken, reissue: true }),
      });
      const { token } = (await reissued.json()) as { token: string };
      assert.ok(token && token !== page().accessToken);
      assert.equal((await get(`/v26.0/me?fields=id&p=${encodeURIComponent(token)}`)).tokenInUrl, true);
    });
  });

  describe('in a header', () => {
    it('a token in X-Custom, as written or URL-encoded, and in a cookie', async () => {
      const token = sim.credentials().userToken;
      assert.equal((await get('/v26.0/me?fields=id', { 'X-Custom': token })).secretInHeader, 'x-custom');
      assert.equal((await get('/v26.0/me?fields=id', { 'X-Custom': `token=${percentAll(token)}` })).secretInHeader, 'x-custom');
      assert.equal((await get('/v26.0/me?fields=id', { cookie: `s=${app().secret}` })).secretInHeader, 'cookie', 'an app secret');
      assert.equal(
        (await get('/v26.0/me?fields=id', { authorization: `Bearer ${token}`, 'x-debug': `Bearer ${token}` })).secretInHeader,
        'x-debug',
        'a copy next to a proper Authorization header',
      );
    });
  });

  describe('never where a token belongs', () => {
    it('the Authorization header with appsecret_proof and appsecret_time in the query: no flag', async () => {
      const token = page().accessToken;
      const secret = sim.world.app(page().appId)?.secret ?? assert.fail('the Page app');
      const time = String(Math.floor(sim.world.now / 1000));
      const proof = createHmac('sha256', secret).update(`${token}|${time}`).digest('hex');
      const entry = await get(`/v26.0/me?fields=id&appsecret_proof=${proof}&appsecret_time=${time}`, { authorization: `Bearer ${token}` });
      assert.equal(entry.tokenInUrl, false, 'appsecret_proof is not a secret');
      assert.equal(entry.secretInHeader, undefined, 'the Authorization header is where a token belongs');
      assert.equal(entry.tokenSource, 'header');
    });

    it('a token in a POST form body (as Meta allows) is not a token in the URL', async () => {
      await fetch(`${sim.url}/v26.0/me`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ access_token: sim.credentials().userToken, fields: 'id' }).toString(),
      });
      assert.equal(last().tokenInUrl, false);
      assert.equal(last().secretInHeader, undefined);
    });
  });
});
