import * as assert from 'node:assert/strict';
import { curlCommand } from '../../src/core/explorer/curl';
import { businessSuiteInbox, safeMetaLink } from '../../src/core/explorer/links';
import { displayJson } from '../../src/core/explorer/safeJson';
import { blockText, exactDate, exactTime, inlineText, messageTime, relativeTime, shortDate } from '../../src/core/explorer/text';

describe('untrusted text', () => {
  it('neutralises bidi overrides, control and zero-width characters on one line', () => {
    assert.equal(inlineText('Invoice \u202Egnp.exe\u202C is \u200Bhere\u0007'), 'Invoice \ufffdgnp.exe\ufffd is here');
    assert.equal(inlineText('\n\n  second line first\nthird'), 'second line first');
    assert.equal(inlineText('x'.repeat(1024 * 1024), 10), `${'x'.repeat(9)}…`);
    assert.equal(inlineText(`${'a'.repeat(8)}😀😀`, 10), `${'a'.repeat(8)}…`, 'never cuts a surrogate pair in half');
  });

  it('shows the first line that has something to show, with runs of white space as one space', () => {
    assert.equal(inlineText('   \n\tWhere is   my\t\torder?'), 'Where is my order?');
    assert.equal(inlineText(' \n\t \r\n  '), '', 'nothing to show is empty, not a placeholder');
  });

  it('cuts a line only when it is longer than the room, and never in the middle of a character', () => {
    assert.equal(inlineText('abcde', 5), 'abcde');
    assert.equal(inlineText('abcdef', 5), 'abcd…');
    assert.equal(inlineText(`${'a'.repeat(8)}😀bb`, 10), `${'a'.repeat(8)}…`, 'the pair at the cut goes whole');
    assert.equal(inlineText(`😀${'a'.repeat(20)}`, 10), `😀${'a'.repeat(7)}…`, 'a pair before the cut stays');
  });

  it('keeps line breaks in blocks', () => {
    assert.equal(blockText('a\r\nb\u202e'), 'a\nb\ufffd');
    assert.equal(blockText(undefined), '');
    assert.equal(blockText(''), '');
  });

  it('cuts blocks longer than the room with an ellipsis, and leaves a block that fits alone', () => {
    assert.equal(blockText('abc', 3), 'abc');
    assert.equal(blockText('abcdef', 3), 'abc…');
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
    assert.equal(messageTime(new Date(2025, 10, 20, 10, 14).getTime(), now, 'en-GB'), '20 Nov 2025, 10:14', 'the same day a year ago');
    assert.equal(messageTime(new Date(2026, 9, 20, 10, 14).getTime(), now, 'en-GB'), '20 Oct, 10:14', 'the same date a month ago');
  });

  it('gives tooltips the exact local date and time with its zone, and titles a short date', () => {
    const ms = new Date(2026, 10, 20, 10, 14, 5).getTime();
    assert.match(exactTime(ms, 'en-GB'), /^20 Nov 2026, 10:14:05 \S+/);
    assert.equal(exactDate(ms, 'en-GB'), '20 Nov 2026');
    assert.equal(shortDate(ms, 'en-GB'), '20 Nov');
  });
});

describe('displayJson', () => {
  it('escapes invisible characters as valid JSON and cuts hostile nesting', () => {
    const text = displayJson({ name: 'a\u202eb\u200b', deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown });
    assert.ok(text.includes('a\\u202eb\\u200b'));
    assert.ok(text.includes('[nested too deeply]'));
    assert.deepEqual((JSON.parse(text) as { name: string }).name, 'a\u202eb\u200b');
  });

  it('writes every escape with four hex digits, so a soft hyphen or C1 control stays visible and valid JSON', () => {
    const text = displayJson({ name: 'a\u00adb\u0085c' });
    assert.ok(text.includes('a\\u00adb\\u0085c'), text);
    assert.deepEqual(JSON.parse(text), { name: 'a\u00adb\u0085c' });
  });

  it('keeps arrays as arrays, and cuts nesting deeper than the limit, in objects as in arrays', () => {
    assert.deepEqual(JSON.parse(displayJson({ list: [1, 'a', { b: null }] })), { list: [1, 'a', { b: null }] });
    assert.deepEqual(JSON.parse(displayJson({ a: { b: 1 }, c: 2 }, 1)), { a: '[nested too deeply]', c: 2 });
    assert.deepEqual(JSON.parse(displayJson({ a: { b: 1 } }, 2)), { a: { b: 1 } });
    const deepObjects = JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) as unknown;
    assert.ok(displayJson(deepObjects).includes('[nested too deeply]'));
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

  it('copies the exact commands, with and without appsecret_proof', () => {
    const url = 'https://graph.facebook.com/v26.0/me?access_token=TOKENVALUE123';
    assert.equal(
      curlCommand(url, { tokenVariable: 'PAGE_ACCESS_TOKEN', withProof: false }),
      [
        '# Set PAGE_ACCESS_TOKEN first.',
        'curl -sS -H "Authorization: Bearer $PAGE_ACCESS_TOKEN" "https://graph.facebook.com/v26.0/me"',
      ].join('\n'),
    );
    assert.equal(
      curlCommand(url, { tokenVariable: 'PAGE_ACCESS_TOKEN', withProof: true }),
      [
        '# Set PAGE_ACCESS_TOKEN and APP_SECRET first.',
        `APPSECRET_PROOF=$(printf %s "$PAGE_ACCESS_TOKEN" | openssl dgst -sha256 -hmac "$APP_SECRET" | sed 's/^.* //')`,
        'curl -sS -H "Authorization: Bearer $PAGE_ACCESS_TOKEN" "https://graph.facebook.com/v26.0/me?appsecret_proof=$APPSECRET_PROOF"',
      ].join('\n'),
    );
  });

  it('escapes an ID from the API so that pasting the command cannot run what the ID says', () => {
    const curl = curlCommand('https://graph.facebook.com/v26.0/t_$(touch pwned)/messages', { tokenVariable: 'T', withProof: false });
    assert.ok(curl.endsWith('"https://graph.facebook.com/v26.0/t_\\$(touch%20pwned)/messages"'), curl);
  });

  it("opens the Page's inbox in Business Suite, on the Instagram tab for Instagram", () => {
    assert.equal(businessSuiteInbox('1001', 'messenger'), 'https://business.facebook.com/latest/inbox/all?asset_id=1001');
    assert.equal(
      businessSuiteInbox('1001', 'instagram'),
      'https://business.facebook.com/latest/inbox/all?asset_id=1001&mailbox_id=&selected_item_type=IG_MESSAGE',
    );
  });
});
