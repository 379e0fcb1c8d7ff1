import * as assert from 'node:assert/strict';
import { curlCommand } from '../../src/core/explorer/curl';
import { safeMetaLink } from '../../src/core/explorer/links';
import { displayJson } from '../../src/core/explorer/safeJson';
import { blockText, inlineText, messageTime, relativeTime } from '../../src/core/explorer/text';

describe('untrusted text', () => {
  it('neutralises bidi overrides, control and zero-width characters on one line', () => {
    assert.equal(inlineText('Invoice \u202Egnp.exe\u202C is \u200Bhere\u0007'), 'Invoice \ufffdgnp.exe\ufffd is here');
    assert.equal(inlineText('\n\n  second line first\nthird'), 'second line first');
    assert.equal(inlineText('x'.repeat(1024 * 1024), 10), `${'x'.repeat(9)}…`);
    assert.equal(inlineText(`${'a'.repeat(8)}😀😀`, 10), `${'a'.repeat(8)}…`, 'never cuts a surrogate pair in half');
  });

  it('keeps line breaks in blocks', () => {
    assert.equal(blockText('a\r\nb\u202e'), 'a\nb\ufffd');
  });

  it("says relative times in the user's language", () => {
    const now = Date.UTC(2026, 10, 20);
    assert.equal(relativeTime(now - 3 * 60_000, now, 'en'), '3 min. ago');
    assert.match(relativeTime(now - 86_400_000, now, 'ja'), /^1 日前$/);
    assert.equal(relativeTime(now - 20_000, now, 'en'), 'now');
  });

  it('uses one numeric style: a week-old day and a week are not "yesterday" and "last wk."', () => {
    const now = Date.UTC(2026, 10, 20);
    const day = 86_400_000;
    assert.deepEqual(
      [1, 6, 7, 13].map((d) => relativeTime(now - d * day, now, 'en')),
      ['1 day ago', '6 days ago', '1 wk. ago', '1 wk. ago'],
    );
  });

  it('gives messages an exact time that keeps their order: time today, day and time this year, with the year before', () => {
    const now = new Date(2026, 10, 20, 18, 0).getTime();
    assert.equal(messageTime(new Date(2026, 10, 20, 10, 14).getTime(), now, 'en-GB'), '10:14');
    assert.equal(messageTime(new Date(2026, 10, 13, 10, 14).getTime(), now, 'en-GB'), '13 Nov, 10:14');
    assert.equal(messageTime(new Date(2025, 10, 13, 9, 5).getTime(), now, 'en-GB'), '13 Nov 2025, 09:05');
    const sameWeek = [12, 13].map((d) => messageTime(new Date(2026, 10, d, 9, 0).getTime(), now, 'en'));
    assert.notEqual(sameWeek[0], sameWeek[1], 'two days of the same week read differently');
  });
});

describe('displayJson', () => {
  it('escapes invisible characters as valid JSON and cuts hostile nesting', () => {
    const text = displayJson({ name: 'a\u202eb\u200b', deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown });
    assert.ok(text.includes('a\\u202eb\\u200b'));
    assert.ok(text.includes('[nested too deeply]'));
    assert.deepEqual((JSON.parse(text) as { name: string }).name, 'a\u202eb\u200b');
  });
});

describe('links and curl', () => {
  it('opens only https links on Meta sites', () => {
    assert.equal(safeMetaLink('/Sakura-Coffee-1/inbox/123/'), 'https://www.facebook.com/Sakura-Coffee-1/inbox/123/');
    assert.equal(
      safeMetaLink('https://business.facebook.com/latest/inbox/all?asset_id=1'),
      'https://business.facebook.com/latest/inbox/all?asset_id=1',
    );
    for (const bad of [
      'command:workbench.action.terminal.new',
      'javascript:alert(1)',
      'https://evil.example/',
      'http://www.facebook.com/',
      'https://facebook.com.evil.example/',
      '//evil.example/x',
      undefined,
    ]) {
      assert.equal(safeMetaLink(bad), undefined, String(bad));
    }
  });

  it('copies curl commands with variables for the token and proof, never their values', () => {
    const curl = curlCommand(
      'https://graph.facebook.com/v26.0/123/conversations?fields=messages%7Bid%7D&access_token=TOKENVALUE123&appsecret_proof=PROOFVALUE456',
      { tokenVariable: 'PAGE_ACCESS_TOKEN', withProof: true },
    );
    assert.doesNotMatch(curl, /TOKENVALUE123|PROOFVALUE456/);
    assert.match(curl, /-H "Authorization: Bearer \$PAGE_ACCESS_TOKEN"/);
    assert.match(curl, /&appsecret_proof=\$APPSECRET_PROOF"$/);
    assert.match(curl, /openssl dgst -sha256 -hmac "\$APP_SECRET"/);
  });
});
