import * as assert from 'node:assert/strict';
import { REDACTED, Redactor } from '../../src/core/redact';

describe('Redactor', () => {
  it('masks credential query parameters by name', () => {
    const r = new Redactor();
    const url = 'https://graph.facebook.com/v26.0/me?access_token=EAAB123&fields=id&appsecret_proof=abcdef0123';
    assert.equal(r.redact(url), `https://graph.facebook.com/v26.0/me?access_token=${REDACTED}&fields=id&appsecret_proof=${REDACTED}`);
  });

  it('masks Authorization headers', () => {
    const r = new Redactor();
    assert.equal(r.redact('Authorization: Bearer EAAsecret'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(r.redact('{"authorization":"OAuth abc"}'), `{"authorization":"OAuth ${REDACTED}"}`);
  });

  it('masks registered secrets wherever they appear, including the secret half of an app token', () => {
    const r = new Redactor();
    r.register('1234567890|app-secret-value');
    assert.equal(r.redact('token 1234567890|app-secret-value used'), `token ${REDACTED} used`);
    assert.equal(r.redact('secret app-secret-value leaked'), `secret ${REDACTED} leaked`);
  });

  it('ignores values too short to be secrets', () => {
    const r = new Redactor();
    r.register('abc');
    assert.equal(r.redact('abc'), 'abc');
  });

  it('stops masking a forgotten secret', () => {
    const r = new Redactor();
    r.register('forget-me-please');
    r.forget('forget-me-please');
    assert.equal(r.redact('forget-me-please'), 'forget-me-please');
  });
});

// Boundaries found by mutation testing (test/mutation/SURVIVORS.md).
describe('Redactor: where a secret starts and ends', () => {
  it('masks a registered secret of 8 characters, not one of 7', () => {
    const r = new Redactor();
    r.register('8chars!!');
    r.register('7chars!');
    assert.equal(r.redact('8chars!! 7chars!'), `${REDACTED} 7chars!`);
  });

  it('masks the secret half of an app token from 8 characters on, and never a shorter half alone', () => {
    const r = new Redactor();
    r.register('1234567890|eightchr');
    r.register('9876543210|seven!!');
    assert.equal(r.redact('eightchr'), REDACTED);
    assert.equal(r.redact('seven!! stays'), 'seven!! stays');
    assert.equal(r.redact('9876543210|seven!!'), REDACTED);
  });

  it('takes a bar at the start as part of the secret, not as an app ID separator', () => {
    const r = new Redactor();
    r.register('|not-an-app-token');
    assert.equal(r.redact('not-an-app-token'), 'not-an-app-token');
    assert.equal(r.redact('x|not-an-app-token'), `x${REDACTED}`);
  });

  it('masks every credential parameter by name, after ?, & or #, up to the next separator', () => {
    const r = new Redactor();
    for (const name of ['access_token', 'appsecret_proof', 'input_token', 'client_secret', 'key', 'ACCESS_TOKEN']) {
      assert.equal(r.redact(`/x?${name}=s3cr3t&a=1`), `/x?${name}=${REDACTED}&a=1`, name);
    }
    assert.equal(r.redact('/x#access_token=s3cr3t#y'), `/x#access_token=${REDACTED}#y`);
    assert.equal(r.redact(`"url":"/x?a=1&key=s3cr3t" next`), `"url":"/x?a=1&key=${REDACTED}" next`);
    assert.equal(r.redact("'/x?key=s3cr3t' /y?key=other z"), `'/x?key=${REDACTED}' /y?key=${REDACTED} z`);
    assert.equal(r.redact('/x?monkey=visible&apikey=visible'), '/x?monkey=visible&apikey=visible');
  });

  it('masks an Authorization header in its usual spellings, and only its credential', () => {
    const r = new Redactor();
    assert.equal(r.redact("authorization='bearer abc.def', next"), `authorization='bearer ${REDACTED}', next`);
    assert.equal(r.redact('AUTHORIZATION = OAuth abc}'), `AUTHORIZATION = OAuth ${REDACTED}}`);
    assert.equal(r.redact('{"Authorization": "Bearer a1", "x": "Bearer b2"}'), `{"Authorization": "Bearer ${REDACTED}", "x": "Bearer b2"}`);
    assert.equal(r.redact('Authorization: Basic dXNlcg=='), 'Authorization: Basic dXNlcg==');
    assert.equal(r.redact("{'authorization': 'Bearer a1'}"), `{'authorization': 'Bearer ${REDACTED}'}`);
    assert.equal(r.redact('authorization: bearer a1,x=1'), `authorization: bearer ${REDACTED},x=1`);
    assert.equal(r.redact('Authorization: Bearer   a1'), `Authorization: Bearer   ${REDACTED}`);
  });
});
