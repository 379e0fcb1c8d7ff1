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
