import * as assert from 'node:assert/strict';
import { secretsHost, vanishedAccounts } from '../../src/vscode/gettingStarted/secretsHost';

describe('Where the host keeps tokens, and accounts that vanished', () => {
  it('calls a browser extension host and a web UI over a Node host (code-server) web, a desktop remote window remote', () => {
    assert.equal(secretsHost({ runtime: 'browser', webUi: true }), 'web');
    assert.equal(secretsHost({ runtime: 'node', webUi: true }), 'web', 'code-server: the secrets live in the browser');
    assert.equal(secretsHost({ runtime: 'node', webUi: false, remoteName: 'ssh-remote' }), 'remote');
    assert.equal(secretsHost({ runtime: 'node', webUi: false }), 'desktop');
  });

  it('tells once when the marker says accounts existed and no secret is found, and keeps the marker in step', () => {
    assert.deepEqual(vanishedAccounts(true, 0), { tell: true, marker: false });
    assert.deepEqual(vanishedAccounts(false, 0), { tell: false, marker: false }, 'a new user is told nothing');
    assert.deepEqual(vanishedAccounts(true, 3), { tell: false, marker: true });
    assert.deepEqual(vanishedAccounts(false, 2), { tell: false, marker: true });
    // After telling, the marker is cleared: the next start says nothing.
    assert.deepEqual(vanishedAccounts(vanishedAccounts(true, 0).marker, 0), { tell: false, marker: false });
  });
});
