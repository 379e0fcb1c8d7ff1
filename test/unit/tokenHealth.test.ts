import * as assert from 'node:assert/strict';
import { missingScopes, tokenHealth } from '../../src/core/accounts/tokenHealth';

// The edges of token health (found unpinned by mutation testing).
describe('tokenHealth at its edges', () => {
  const now = 1_800_000_000;
  const DAY = 86_400;

  it('is expired at the second it expires and valid one second before', () => {
    assert.equal(tokenHealth({ scopes: [], expiresAt: now }, now, 7).state, 'expired');
    assert.deepEqual(tokenHealth({ scopes: [], expiresAt: now + 1 }, now, 7), { state: 'expiring', expiresAt: now + 1, daysLeft: 0 });
  });

  it('warns from exactly warnDays before expiry, not a second earlier', () => {
    assert.equal(tokenHealth({ scopes: [], expiresAt: now + 7 * DAY }, now, 7).state, 'expiring');
    assert.deepEqual(tokenHealth({ scopes: [], expiresAt: now + 7 * DAY + 1 }, now, 7), {
      state: 'ok',
      expiresAt: now + 7 * DAY + 1,
      daysLeft: 7,
    });
    assert.equal(tokenHealth({ scopes: [], expiresAt: now + 1 }, now, 0).state, 'ok', 'no warning when warnDays is 0');
  });

  it('lists what a user or a Page token lacks, in the needed order', () => {
    assert.deepEqual(missingScopes('user', { scopes: ['email'] }), ['pages_show_list', 'pages_messaging']);
    assert.deepEqual(missingScopes('user', { scopes: ['pages_messaging', 'pages_show_list'] }), []);
    assert.deepEqual(missingScopes('page', { scopes: ['pages_show_list'] }), ['pages_messaging']);
    assert.deepEqual(missingScopes('page', { scopes: ['pages_messaging'] }), []);
  });
});
