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
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
        'access-control-request-private-network': 'true',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    assert.equal(response.headers.get('access-control-allow-private-network'), 'true');
    assert.equal(sim.log.length, 0, 'a preflight is not a Graph call');
  });

  it('exposes the usage headers the client reads to pace itself, on errors too', async () => {
    // Without appsecret_proof: an error the browser must let the client read.
    const response = await fetch(`${sim.url}/v26.0/me?fields=id`, {
      headers: { origin, authorization: `Bearer ${sim.credentials().userToken}` },
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: number } }).error.code, 100);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    for (const header of ['x-app-usage', 'x-business-use-case-usage', 'retry-after', 'www-authenticate']) {
      assert.ok(exposed.includes(header), `${header} is exposed`);
    }
  });

  it('plays a host without CORS when asked, while its control endpoints still answer the origins allowed at start', async () => {
    const web = await startSimulator({ seed: 7, controlOrigins: [origin] });
    try {
      await web.controlRequest('/settings', { cors: false });
      const graph = await fetch(`${web.url}/v26.0/me`, { headers: { origin } });
      assert.equal(graph.headers.get('access-control-allow-origin'), null);
      const control = await fetch(`${web.url}/__simulator/state`, { headers: { origin, ...web.controlHeaders() } });
      assert.equal(control.status, 200);
      assert.equal(control.headers.get('access-control-allow-origin'), origin, 'the allowed origin only, never *');
    } finally {
      await web.stop();
    }
  });
});

describe("The simulator's control plane is closed to everyone but its owner", () => {
  let sim: GraphSimulator;
  const evil = 'https://attacker.example';

  before(async () => {
    sim = await startSimulator({ seed: 7, controlOrigins: ['http://localhost:3000'] });
  });
  after(() => sim.stop());

  it('refuses a control request without the per-run key, or with a wrong one, and hands out no token', async () => {
    const attempts: Record<string, string>[] = [{}, { 'x-simulator-key': 'guessed-key' }, { authorization: `Bearer ${sim.controlKey}` }];
    for (const headers of attempts) {
      const response = await fetch(`${sim.url}/__simulator/state`, { headers });
      assert.equal(response.status, 401);
      const text = await response.text();
      assert.ok(!text.includes(sim.credentials().userToken), 'no token in a refusal');
    }
    const ok = await fetch(`${sim.url}/__simulator/state`, { headers: sim.controlHeaders() });
    assert.equal(ok.status, 200);
  });

  it('keys differ from run to run, and a fixed key can be given for scripts', async () => {
    const other = await startSimulator({ seed: 7 });
    const fixed = await startSimulator({ seed: 7, controlKey: 'my-script-key-0123456789' });
    try {
      assert.notEqual(other.controlKey, sim.controlKey);
      assert.ok(sim.controlKey.length >= 32);
      assert.equal(fixed.controlKey, 'my-script-key-0123456789');
      assert.equal(new URL(fixed.connectUrl).searchParams.get('key'), 'my-script-key-0123456789');
    } finally {
      await Promise.all([other.stop(), fixed.stop()]);
    }
  });

  it('answers a web page from a foreign origin with no CORS grant: no preflight, no read, no write', async () => {
    const preflight = await fetch(`${sim.url}/__simulator/faults`, {
      method: 'OPTIONS',
      headers: {
        origin: evil,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-simulator-key',
        'access-control-request-private-network': 'true',
      },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-private-network'), null);

    const read = await fetch(`${sim.url}/__simulator/state`, { headers: { origin: evil } });
    assert.equal(read.status, 403);
    assert.equal(read.headers.get('access-control-allow-origin'), null);
    assert.ok(!(await read.text()).includes(sim.credentials().userToken));

    // A form or text/plain POST needs no preflight: it must be refused on the server, not just hidden from the page.
    const before = sim.faults.list().length;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const write = await fetch(`${sim.url}/__simulator/faults`, {
        method: 'POST',
        headers: { origin: evil, 'content-type': type },
        body: JSON.stringify({ rules: [{ kind: 'graphError', message: 'attacker text' }] }),
      });
      assert.equal(write.status, 403);
    }
    assert.equal(sim.faults.list().length, before, 'no fault was planted');
  });

  it('requires a JSON body on control POSTs, even with the key', async () => {
    const write = await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      headers: { 'x-simulator-key': sim.controlKey, 'content-type': 'text/plain' },
      body: JSON.stringify({ rules: [{ kind: 'graphError' }] }),
    });
    assert.equal(write.status, 415);
    assert.equal(sim.faults.list().length, 0);
  });

  it('lets the origins named at start call control endpoints across origins', async () => {
    const preflight = await fetch(`${sim.url}/__simulator/reset`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-simulator-key',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    const reset = await fetch(`${sim.url}/__simulator/reset`, {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', ...sim.controlHeaders() },
      body: '{}',
    });
    assert.equal(reset.status, 200);
  });

  it('refuses a foreign Host header (DNS rebinding) on every path', async () => {
    const { request } = await import('node:http');
    const port = Number(new URL(sim.url).port);
    const status = (path: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers: { host, ...sim.controlHeaders() } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await status('/__simulator/state', `rebind.attacker.example:${port}`), 421);
    assert.equal(await status('/v26.0/me', `rebind.attacker.example:${port}`), 421);
    assert.equal(await status('/__simulator/state', `localhost:${port}`), 200);
    assert.equal(await status('/__simulator/state', `127.0.0.1:${port}`), 200);
  });
});
