import * as assert from 'node:assert/strict';
import { checkAppId, checkAppSecret, checkTokenInput } from '../../src/core/accounts/tokenInput';

const USER = 'SIM-user-demo-token-0000000000000000';
const SECRET = '0123456789abcdef0123456789abcdef';

describe('checkTokenInput', () => {
  it('accepts a token and reports removed surrounding whitespace', () => {
    assert.deepEqual(checkTokenInput(USER, 'user'), { ok: true, value: USER, trimmed: false });
    assert.deepEqual(checkTokenInput(`  ${USER}\n`, 'user'), { ok: true, value: USER, trimmed: true });
  });

  const problems: [string, string, string][] = [
    ['', 'user', 'empty'],
    ['   \n', 'page', 'empty'],
    [`Bearer ${USER}`, 'user', 'bearerPrefix'],
    [`OAuth ${USER}`, 'page', 'bearerPrefix'],
    [`access_token=${USER}`, 'user', 'queryParameter'],
    [`https://graph.facebook.com/me?access_token=${USER}`, 'user', 'queryParameter'],
    [`"${USER}"`, 'user', 'quoted'],
    [`'${USER}'`, 'page', 'quoted'],
    [`${USER.slice(0, 10)} ${USER.slice(10)}`, 'user', 'innerWhitespace'],
    [`${USER.slice(0, 10)}\n${USER.slice(10)}`, 'user', 'innerWhitespace'],
    [`${USER}<script>`, 'user', 'invalidCharacters'],
    [`${USER}\u202e`, 'user', 'invalidCharacters'],
    [USER.slice(0, 20), 'user', 'truncated'],
    [`${USER}…`, 'user', 'truncated'],
    [`${USER}...`, 'page', 'truncated'],
    [`1234567890|${SECRET}`, 'user', 'appTokenGiven'],
    [`1234567890|${SECRET}`, 'page', 'appTokenGiven'],
    [USER, 'app', 'appTokenMissingSeparator'],
    [`abc|${SECRET}`, 'app', 'appTokenBadAppId'],
    [`1|2|${SECRET}`, 'app', 'appTokenBadAppId'],
    ['1234567890|short', 'app', 'appTokenBadSecret'],
  ];
  for (const [input, expected, problem] of problems) {
    it(`refuses ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)} as ${expected} token: ${problem}`, () => {
      assert.deepEqual(checkTokenInput(input, expected as 'user'), { ok: false, problem });
    });
  }

  it('names a Bearer or OAuth word only when it stands in front of the token', () => {
    // A label pasted along with the token is a whitespace problem, not a prefix to remove.
    assert.deepEqual(checkTokenInput(`token for bearer use ${USER}`, 'user'), { ok: false, problem: 'innerWhitespace' });
  });

  it('refuses an access_token= assignment wherever it stands, such as a pasted .env line', () => {
    assert.deepEqual(checkTokenInput(`PAGE_ACCESS_TOKEN=${USER}`, 'page'), { ok: false, problem: 'queryParameter' });
    assert.deepEqual(checkTokenInput(`?access_token=${USER}`, 'user'), { ok: false, problem: 'queryParameter' });
    assert.deepEqual(checkTokenInput(`page_access_token="${USER}"`, 'page'), { ok: false, problem: 'queryParameter' });
  });

  it('reports quotes only when they enclose the whole token; a stray quote is an invalid character', () => {
    assert.deepEqual(checkTokenInput(`${USER.slice(0, 10)}"${USER.slice(10)}"`, 'user'), { ok: false, problem: 'invalidCharacters' });
    assert.deepEqual(checkTokenInput(`"${USER}",`, 'user'), { ok: false, problem: 'invalidCharacters' });
    assert.deepEqual(checkTokenInput(`\`${USER}\``, 'user'), { ok: false, problem: 'quoted' });
  });

  it('accepts a token of exactly the shortest plausible length, 32 characters', () => {
    const shortest = 'x'.repeat(32);
    assert.deepEqual(checkTokenInput(shortest, 'user'), { ok: true, value: shortest, trimmed: false });
    assert.deepEqual(checkTokenInput(shortest.slice(1), 'user'), { ok: false, problem: 'truncated' });
  });

  it('accepts an app token with a numeric id and a 32-character secret', () => {
    assert.deepEqual(checkTokenInput(`1234567890|${SECRET}`, 'app'), { ok: true, value: `1234567890|${SECRET}`, trimmed: false });
  });
});

describe('checkAppId and checkAppSecret', () => {
  it('accepts numeric App IDs of 5 to 20 digits', () => {
    assert.deepEqual(checkAppId(' 1419232575008550 '), { ok: true, value: '1419232575008550', trimmed: true });
    assert.deepEqual(checkAppId(''), { ok: false, problem: 'appIdEmpty' });
    assert.deepEqual(checkAppId('my-app'), { ok: false, problem: 'appIdNotNumeric' });
    assert.deepEqual(checkAppId('12.5'), { ok: false, problem: 'appIdNotNumeric' });
    assert.deepEqual(checkAppId('1234'), { ok: false, problem: 'appIdLength' });
    assert.deepEqual(checkAppId('1'.repeat(21)), { ok: false, problem: 'appIdLength' });
  });

  it('accepts App IDs of exactly 5 and exactly 20 digits, and says whether whitespace was removed', () => {
    assert.deepEqual(checkAppId('12345'), { ok: true, value: '12345', trimmed: false });
    assert.deepEqual(checkAppId('1'.repeat(20)), { ok: true, value: '1'.repeat(20), trimmed: false });
  });

  it('accepts 32 hexadecimal characters as a secret, normalised to lower case', () => {
    assert.deepEqual(checkAppSecret(SECRET.toUpperCase()), { ok: true, value: SECRET, trimmed: false });
    assert.deepEqual(checkAppSecret(''), { ok: false, problem: 'appSecretEmpty' });
    assert.deepEqual(checkAppSecret(SECRET.slice(1)), { ok: false, problem: 'appSecretFormat' });
    assert.deepEqual(checkAppSecret(`${SECRET.slice(1)}g`), { ok: false, problem: 'appSecretFormat' });
  });

  it('removes whitespace around a pasted secret and says so', () => {
    assert.deepEqual(checkAppSecret(` ${SECRET}\n`), { ok: true, value: SECRET, trimmed: true });
  });
});
