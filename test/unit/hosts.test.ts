import * as assert from 'node:assert/strict';
import { checkGraphHost, hostKey, isLoopbackHostname, isValidApiVersion } from '../../src/core/graph/hosts';

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

// What mutation testing found the tests above did not pin (test/mutation/SURVIVORS.md).
describe('Graph host allow-list: why a host is refused', () => {
  const problemOf = (value: string) => {
    const check = checkGraphHost(value);
    return check.ok ? 'ok' : check.problem;
  };
  for (const [value, problem] of [
    ['not a url', 'notUrl'],
    ['https://user:pass@graph.facebook.com', 'credentials'],
    ['https://user@graph.facebook.com', 'credentials'],
    ['https://:pass@graph.facebook.com', 'credentials'],
    ['http://user@127.0.0.1:4567', 'credentials'],
    ['https://graph.facebook.com/v26.0', 'notOrigin'],
    ['https://graph.facebook.com?x=1', 'notOrigin'],
    ['https://graph.facebook.com#x', 'notOrigin'],
    ['http://127.0.0.1:4567/x', 'notOrigin'],
    ['ftp://127.0.0.1', 'scheme'],
    ['ws://localhost:1', 'scheme'],
    ['foo://127.0.0.1', 'scheme'],
    ['http://graph.facebook.com', 'notAllowed'],
    ['https://graph.facebook.com:8443', 'notAllowed'],
    ['https://graph.facebook.com:443', 'ok'],
    ['https://evil.example', 'notAllowed'],
    ['  https://graph.facebook.com  ', 'ok'],
  ] as const) {
    it(`${value.trim()} → ${problem}`, () => assert.equal(problemOf(value), problem));
  }

  it('names the refused origin, for the log', () => {
    const check = checkGraphHost('https://evil.example/');
    assert.ok(!check.ok && check.reason.endsWith('not to https://evil.example.'), JSON.stringify(check));
  });

  it('knows loopback names in any case, with or without brackets, and nothing that only looks like one', () => {
    for (const name of ['localhost', 'LOCALHOST', '::1', '[::1]', '127.0.0.1', '127.255.1.9']) {
      assert.equal(isLoopbackHostname(name), true, name);
    }
    for (const name of [
      'localhost.evil',
      'xlocalhost',
      '128.0.0.1',
      '127.0.0',
      '127.0.0.1.evil',
      '1127.0.0.1',
      '[::2]',
      '::1]x',
      ':[:1',
      '::]1',
      '127.0.0.1234',
    ]) {
      assert.equal(isLoopbackHostname(name), false, name);
    }
  });

  it('keys secrets by lower-case host', () => {
    assert.equal(hostKey('https://GRAPH.facebook.com'), 'graph.facebook.com');
  });

  it('accepts only one digit after the dot of an API version, and up to three before', () => {
    assert.ok(isValidApiVersion('v2.5'));
    assert.ok(isValidApiVersion('v100.0'));
    assert.ok(!isValidApiVersion('v1000.0'));
    assert.ok(!isValidApiVersion('v26.00'));
    assert.ok(!isValidApiVersion('v26.'));
    assert.ok(!isValidApiVersion('xv26.0'));
  });
});
