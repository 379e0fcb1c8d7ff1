import * as assert from 'node:assert/strict';
import { checkGraphHost, hostKey, isValidApiVersion } from '../../src/core/graph/hosts';

describe('Graph host allow-list', () => {
  for (const ok of [
    'https://graph.facebook.com',
    'https://graph.instagram.com/',
    'http://127.0.0.1:4567',
    'http://localhost:1',
    'http://[::1]:8080',
    'https://127.0.0.2',
  ]) {
    it(`accepts ${ok}`, () => assert.equal(checkGraphHost(ok).ok, true));
  }
  for (const bad of [
    'http://graph.facebook.com',
    'https://graph.facebook.com.evil.example',
    'https://evil.example/graph.facebook.com',
    'https://graph-facebook.com',
    'https://user:pass@graph.facebook.com',
    'https://graph.facebook.com:8443',
    'https://graph.facebook.com/v26.0',
    'http://10.0.0.1',
    'http://localhost.evil.example',
    'file:///etc/passwd',
    'not a url',
    'javascript:alert(1)',
  ]) {
    it(`refuses ${bad}`, () => assert.equal(checkGraphHost(bad).ok, false));
  }
  it('normalises to an origin', () => {
    assert.deepEqual(checkGraphHost('https://GRAPH.facebook.com/'), { ok: true, origin: 'https://graph.facebook.com' });
  });
  it('keys secrets by host and port', () => {
    assert.equal(hostKey('http://127.0.0.1:4567'), '127.0.0.1:4567');
    assert.equal(hostKey('https://graph.facebook.com'), 'graph.facebook.com');
  });
  it('validates API versions', () => {
    assert.ok(isValidApiVersion('v26.0'));
    assert.ok(!isValidApiVersion('26.0'));
    assert.ok(!isValidApiVersion('v26.0/../x'));
  });
});
