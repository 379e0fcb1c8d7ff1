import * as assert from 'node:assert/strict';
import { GraphSimulator, startSimulator } from '../../simulator/index';

/** What a browser (the web extension's worker) needs from the simulator, checked at the HTTP level. */
describe('The simulator answers cross-origin requests from web extension hosts', () => {
  let sim: GraphSimulator;
  const origin = 'https://vscode.dev';

  before(async () => {
    sim = await startSimulator({ seed: 7 });
  });
  after(() => sim.stop());

  it('answers a preflight for an Authorization header, including Private Network Access', async () => {
    const response = await fetch(`${sim.url}/v26.0/me`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization', 'access-control-request-private-network': 'true' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    assert.equal(response.headers.get('access-control-allow-private-network'), 'true');
    assert.equal(sim.log.length, 0, 'a preflight is not a Graph call');
  });

  it('exposes the usage headers the client reads to pace itself, on errors too', async () => {
    // Without appsecret_proof: an error the browser must let the client read.
    const response = await fetch(`${sim.url}/v26.0/me?fields=id`, { headers: { origin, authorization: `Bearer ${sim.credentials().userToken}` } });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: number } }).error.code, 100);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    for (const header of ['x-app-usage', 'x-business-use-case-usage', 'retry-after', 'www-authenticate']) {
      assert.ok(exposed.includes(header), `${header} is exposed`);
    }
  });

  it('plays a host without CORS when asked, while its control endpoints still answer', async () => {
    await fetch(`${sim.url}/__simulator/settings`, { method: 'POST', body: JSON.stringify({ cors: false }) });
    try {
      const graph = await fetch(`${sim.url}/v26.0/me`, { headers: { origin } });
      assert.equal(graph.headers.get('access-control-allow-origin'), null);
      const control = await fetch(`${sim.url}/__simulator/state`, { headers: { origin } });
      assert.equal(control.headers.get('access-control-allow-origin'), '*');
    } finally {
      await fetch(`${sim.url}/__simulator/settings`, { method: 'POST', body: JSON.stringify({ cors: true }) });
    }
  });
});
