import * as assert from 'node:assert/strict';
import { GraphSimulator, startSimulator } from '../../simulator/index';

/** The simulator's request log is what leak checks read: it must see a token wherever a client puts it. */
describe('The simulator flags a token or app secret outside the Authorization header', () => {
  let sim: GraphSimulator;
  before(async () => {
    sim = await startSimulator({ seed: 7, itemCostMs: 0 });
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  const last = () => sim.log.at(-1) ?? assert.fail('a logged request');

  it('in a query parameter of any name, URL-encoded or not', async () => {
    const token = sim.credentials().userToken;
    await fetch(`${sim.url}/v26.0/me?fields=id&t=${encodeURIComponent(token)}`);
    assert.equal(last().tokenInUrl, true);
    await fetch(`${sim.url}/v26.0/me?fields=id&access_token=${encodeURIComponent(token)}`);
    assert.equal(last().tokenInUrl, true);
  });

  it('in the path, and an app secret as well as a token', async () => {
    const secret = sim.world.apps[0]?.secret ?? assert.fail('an app');
    await fetch(`${sim.url}/v26.0/${secret}`);
    assert.equal(last().tokenInUrl, true);
  });

  it('in any header but Authorization', async () => {
    const token = sim.credentials().userToken;
    await fetch(`${sim.url}/v26.0/me?fields=id`, { headers: { 'x-debug': `token=${token}` } });
    assert.equal(last().secretInHeader, 'x-debug');
    await fetch(`${sim.url}/v26.0/me?fields=id`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(last().tokenInUrl, false);
    assert.equal(last().secretInHeader, undefined, 'the Authorization header is where a token belongs');
  });
});
