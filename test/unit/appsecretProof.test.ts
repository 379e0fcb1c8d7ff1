import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { appsecretProof, timedAppsecretProof } from '../../src/core/graph/appsecretProof';

describe('appsecret_proof', () => {
  it('is the hex HMAC-SHA256 of the token keyed by the app secret', async () => {
    const expected = createHmac('sha256', 'app-secret').update('EAAtoken').digest('hex');
    assert.equal(await appsecretProof('EAAtoken', 'app-secret'), expected);
  });

  it('supports the timestamped form token|time', async () => {
    const expected = createHmac('sha256', 'app-secret').update('EAAtoken|1700000000').digest('hex');
    assert.deepEqual(await timedAppsecretProof('EAAtoken', 'app-secret', 1700000000.9), {
      appsecret_proof: expected,
      appsecret_time: '1700000000',
    });
  });

  it('handles Unicode secrets as UTF-8', async () => {
    const expected = createHmac('sha256', 'sécret✓').update('tök').digest('hex');
    assert.equal(await appsecretProof('tök', 'sécret✓'), expected);
  });
});
