import * as assert from 'node:assert/strict';
import { LeakScanner, needlesFor } from '../integration/support/leakScan';

const token = { label: 'user token', value: 'SIM-user-CANARY-1764000000000-plantedtokenvalue0000' };
const appToken = { label: 'app token', value: '1234567890|0123456789abcdef0123456789abcdef' };

function formsFound(text: string, secrets = [token, appToken], publicTexts: string[] = []): string[] {
  return new LeakScanner(secrets, publicTexts).scan('here', text).map((f) => `${f.secret}/${f.form}`);
}

describe('The leak scan', () => {
  it('finds the whole secret and any 12-character slice of it, at the start, the middle or the end', () => {
    assert.deepEqual(formsFound(`x ${token.value} y`), ['user token/exact']);
    assert.deepEqual(formsFound(`token ${token.value.slice(0, 40)}…`), ['user token/exact']);
    assert.deepEqual(formsFound(`…${token.value.slice(20, 32)}…`), ['user token/exact']);
    assert.deepEqual(formsFound(`ends ${token.value.slice(-12)}`), ['user token/exact']);
  });

  it('does not count 11 characters, a redacted value, or a slice that is only a public ID', () => {
    assert.deepEqual(formsFound(`…${token.value.slice(5, 16)}… [REDACTED]`), []);
    const page = { label: 'page token', value: 'SIM-page-104500000000001-AbCdEfGhIjKlMnOpQrStUvWx' };
    assert.deepEqual(formsFound('Page 104500000000001', [page], ['104500000000001']), []);
    assert.deepEqual(formsFound('SIM-page-104500000000001', [page], ['104500000000001']), ['page token/exact']);
    assert.deepEqual(formsFound('facebook.com/Some-Page-104500000000001/', [page], ['104500000000001']), []);
    assert.deepEqual(formsFound('001-AbCdEfGh', [page], ['104500000000001']), ['page token/exact']);
  });

  it('finds URL-encoded (once and twice), base64 at each byte alignment, hex in either case, and UTF-16', () => {
    assert.deepEqual(formsFound(`?t=${encodeURIComponent(appToken.value)}`), ['app token/exact', 'app token/url-encoded']);
    assert.deepEqual(formsFound(`?t=${encodeURIComponent(encodeURIComponent(appToken.value.slice(0, 14)))}`), [
      'app token/double-url-encoded',
    ]);
    for (const prefix of ['', 'a', 'ab']) {
      const b64 = Buffer.from(`${prefix}${token.value}`).toString('base64');
      assert.deepEqual(formsFound(b64), ['user token/base64'], `base64 after ${prefix.length} bytes`);
      const b64url = Buffer.from(`${prefix}${token.value}`).toString('base64url');
      assert.deepEqual(formsFound(b64url), ['user token/base64'], `base64url after ${prefix.length} bytes`);
    }
    const hex = Buffer.from(`z${token.value.slice(3, 20)}`).toString('hex');
    assert.deepEqual(formsFound(hex), ['user token/hex']);
    assert.deepEqual(formsFound(hex.toUpperCase()), ['user token/hex']);
    assert.deepEqual(formsFound(Buffer.from(token.value, 'utf16le').toString('latin1')), ['user token/utf-16']);
  });

  it('never prints the secret it found', () => {
    const [finding] = new LeakScanner([token]).scan('log', `a ${token.value} b`);
    assert.ok(finding);
    assert.ok(!finding.context.includes(token.value.slice(0, 8)) && !finding.context.includes(token.value.slice(-8)), finding.context);
    assert.match(finding.context, /^a •+ b$/);
  });

  it('needs something to look for', () => {
    assert.throws(() => new LeakScanner([]), /no secret/);
    assert.ok(needlesFor(token).length > 40);
  });
});
