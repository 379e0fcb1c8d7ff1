import * as assert from 'node:assert/strict';
import { checkSimulatorUrl, fetchSimulatorCredentials, SimulatorError } from '../../src/core/accounts/simulatorCredentials';
import { probeGraphReach } from '../../src/core/graph/reach';
import { FetchLike } from '../../src/core/graph/transport';

const ORIGIN = 'http://127.0.0.1:4580';
const STATE = {
  credentials: { userToken: 'EAAB' + 'x'.repeat(60), apps: [{ id: '1000000000001', secret: '0123456789abcdef0123456789abcdef' }] },
};

/** A browser's fetch in front of a simulator: running or not, answering cross-origin Graph requests or not. */
function browserFetch(running: boolean, cors: boolean, calls: string[] = []): FetchLike {
  return (url, init) => Promise.resolve().then(() => answer(url, init));
  function answer(url: string, init: RequestInit): Response {
    calls.push(`${init.mode ?? 'cors'} ${new URL(url).pathname}`);
    if (!running) {
      throw new TypeError('Failed to fetch');
    }
    if (url.includes('/__simulator/')) {
      // The control endpoint answers the origins named at start, whatever --no-cors says.
      return new Response(JSON.stringify(STATE), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    if (init.mode === 'no-cors') {
      return new Response(null, { status: 200 });
    }
    if (!cors) {
      throw new TypeError('Failed to fetch');
    }
    return new Response('{"error":{"message":"no token","code":104}}', { status: 400 });
  }
}

async function problemOf(promise: Promise<unknown>): Promise<SimulatorError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SimulatorError, String(error));
    return error;
  }
  return assert.fail('expected a SimulatorError');
}

describe('Stopped or refusing: what a browser meets at the simulator', () => {
  it('tells a stopped host from one that refuses cross-origin requests, by probing a Graph endpoint', async () => {
    assert.equal(await probeGraphReach(browserFetch(true, true), ORIGIN), 'answers');
    assert.equal(await probeGraphReach(browserFetch(true, false), ORIGIN), 'refusesBrowser');
    assert.equal(await probeGraphReach(browserFetch(false, true), ORIGIN), 'down');
  });

  it('probes /me with a preflight first, then without CORS', async () => {
    const calls: string[] = [];
    await probeGraphReach(browserFetch(true, false, calls), ORIGIN);
    assert.deepEqual(calls, ['cors /v26.0/me', 'no-cors /v26.0/me']);
  });

  it('Connect to Local Simulator fails in a browser when the simulator runs with --no-cors, though its control endpoint answers', async () => {
    const refused = await problemOf(fetchSimulatorCredentials(browserFetch(true, false), `${ORIGIN}/?key=k`, 1000, true));
    assert.equal(refused.problem, 'refusesBrowser');
    assert.equal(refused.origin, ORIGIN);
    const stopped = await problemOf(fetchSimulatorCredentials(browserFetch(false, true), `${ORIGIN}/?key=k`, 1000, true));
    assert.equal(stopped.problem, 'unreachable');
    assert.equal(stopped.origin, ORIGIN);
    // A browser that also refuses the no-cors probe (Private Network Access): the control endpoint answered, so the host runs.
    const strict: FetchLike = (url, init) =>
      init.mode === 'no-cors' ? Promise.reject(new TypeError('Failed to fetch')) : browserFetch(true, false)(url, init);
    assert.equal((await problemOf(fetchSimulatorCredentials(strict, `${ORIGIN}/?key=k`, 1000, true))).problem, 'refusesBrowser');
    const ok = await fetchSimulatorCredentials(browserFetch(true, true), `${ORIGIN}/?key=k`, 1000, true);
    assert.equal(ok.origin, ORIGIN);
  });
});

describe('Connect to Local Simulator: what counts as a simulator', () => {
  /** Whatever listens at the address, answering every request the same. */
  function answering(status: number, body: string): FetchLike {
    return () => Promise.resolve(new Response(body, { status }));
  }
  function publishing(credentials: unknown): FetchLike {
    return answering(200, JSON.stringify({ credentials }));
  }
  const GOOD_APP = STATE.credentials.apps[0];

  it('takes the address as pasted, with the stray spaces a copy brings', () => {
    assert.deepEqual(checkSimulatorUrl(`\u00a0${ORIGIN}/?key=abc\u00a0\n`), { ok: true, origin: ORIGIN, key: 'abc' });
  });

  it('on desktop, reads the credentials without probing a Graph endpoint', async () => {
    const calls: string[] = [];
    const credentials = await fetchSimulatorCredentials(browserFetch(true, false, calls), `${ORIGIN}/?key=k`, 1000);
    assert.equal(credentials.userToken, STATE.credentials.userToken);
    assert.deepEqual(calls, ['cors /__simulator/state']);
  });

  it('refuses an address that answers with an HTTP error or not in JSON, though something listens there', async () => {
    const notFound = await problemOf(fetchSimulatorCredentials(answering(404, JSON.stringify(STATE)), ORIGIN, 1000));
    assert.equal(notFound.problem, 'notSimulator');
    const html = await problemOf(fetchSimulatorCredentials(answering(200, '<!doctype html><title>dev server</title>'), ORIGIN, 1000));
    assert.equal(html.problem, 'notSimulator');
  });

  it('refuses credentials that would not pass as typed in: a bad user token, or any app with a bad ID or secret', async () => {
    const token = STATE.credentials.userToken;
    for (const credentials of [
      { apps: [GOOD_APP] },
      { userToken: 'Bearer x', apps: [GOOD_APP] },
      { userToken: token, apps: [{ id: GOOD_APP?.id, secret: 'not-hex' }] },
      { userToken: token, apps: [{ id: 'app-one', secret: GOOD_APP?.secret }] },
      { userToken: token, apps: [GOOD_APP, { id: '1000000000002' }] },
    ]) {
      const error = await problemOf(fetchSimulatorCredentials(publishing(credentials), ORIGIN, 1000));
      assert.equal(error.problem, 'notSimulator', JSON.stringify(credentials));
    }
    const ok = await fetchSimulatorCredentials(publishing({ userToken: token, apps: [GOOD_APP] }), ORIGIN, 1000);
    assert.deepEqual(ok, { origin: ORIGIN, userToken: token, apps: [GOOD_APP] });
  });
});
