import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, conversationHtml, newNonce } from '../../src/vscode/conversationView/html';
import { parseFromWebview } from '../../src/vscode/conversationView/protocol';
import { pacingFactor } from '../../src/vscode/conversationView/pacing';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  scriptUri: 'https://x/main.js',
  styleUri: 'https://x/main.css',
  showImages: true,
  lang: 'en',
  title: 'Anh "Lê" <b>',
};

describe('The conversation view page', () => {
  it('has a strict content security policy: nothing by default, scripts by nonce, styles from the media folder, images from Meta CDNs', () => {
    const csp = contentSecurityPolicy(parts);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
    assert.match(csp, /img-src https:\/\/\*\.fbcdn\.net https:\/\/\*\.cdninstagram\.com https:\/\/lookaside\.fbsbx\.com/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|http:|data:|\*(?!\.)/);
    assert.match(contentSecurityPolicy({ ...parts, showImages: false }), /img-src 'none'/);
  });

  it('is a shell with one nonced script and escaped attributes', () => {
    const html = conversationHtml(parts);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/main\.js"><\/script>/);
    assert.ok(html.includes('<title>Anh &quot;Lê&quot; &lt;b&gt;</title>'));
    assert.notEqual(newNonce(), newNonce());
    assert.match(newNonce(), /^[A-Za-z0-9_-]{22}$/);
  });

  it('accepts only the messages it knows from the webview', () => {
    assert.deepEqual(parseFromWebview({ type: 'loadOlder', extra: 1 }), { type: 'loadOlder' });
    assert.deepEqual(parseFromWebview({ type: 'openLink', href: 'https://a.example' }), { type: 'openLink', href: 'https://a.example' });
    assert.equal(parseFromWebview({ type: 'openLink', href: 5 }), undefined);
    assert.equal(parseFromWebview({ type: 'runCommand' }), undefined);
    assert.equal(parseFromWebview('ready'), undefined);
  });

  it('refreshes on its own more slowly as Meta reports more rate-limit usage, and not at all near the limit', () => {
    assert.deepEqual([0, 49, 50, 75, 89, 90, 100].map(pacingFactor), [1, 1, 2, 4, 4, undefined, undefined]);
  });
});
