import { IMAGE_CSP_SOURCES } from '../../core/explorer/transcript';

/** What the page needs from the host; no vscode import, so the policy is unit-tested. */
export interface PageParts {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly showImages: boolean;
  readonly lang: string;
  readonly title: string;
}

/**
 * The Content Security Policy: nothing by default, the script only with this page's nonce, styles
 * only from the extension's media folder, images only from Meta's CDN hosts over https (and none
 * when images are off). No inline style, no eval, no frames, no forms, no connections.
 */
export function contentSecurityPolicy(parts: Pick<PageParts, 'cspSource' | 'nonce' | 'showImages'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${parts.nonce}'`,
    `style-src ${parts.cspSource}`,
    `img-src ${parts.showImages ? IMAGE_CSP_SOURCES.join(' ') : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A random nonce: 128 bits, base64url (Web Crypto: works in Node and the browser). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The page shell; every message arrives later by postMessage and is set as text. */
export function conversationHtml(parts: PageParts): string {
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(parts.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttribute(parts.styleUri)}">
<title>${escapeAttribute(parts.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}
