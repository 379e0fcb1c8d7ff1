/**
 * Where tokens may be sent. Meta's two Graph hosts over HTTPS, or a loopback address (the local
 * simulator). Anything else is refused before a request is built.
 */
export const DEFAULT_GRAPH_HOST = 'https://graph.facebook.com';
export const DEFAULT_API_VERSION = 'v26.0';

const META_HOSTS = new Set(['graph.facebook.com', 'graph.instagram.com']);
const VERSION_PATTERN = /^v\d{1,3}\.\d$/;

/** Why a Graph host setting is refused; `reason` says it in English, for the log. */
export type HostProblem = 'notUrl' | 'credentials' | 'notOrigin' | 'scheme' | 'notAllowed';

export type HostCheck = { ok: true; origin: string } | { ok: false; problem: HostProblem; reason: string };

export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Validates a Graph host setting and normalises it to an origin (scheme, host and port only). */
export function checkGraphHost(value: string): HostCheck {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, problem: 'notUrl', reason: `"${value}" is not a URL.` };
  }
  if (url.username || url.password) {
    return { ok: false, problem: 'credentials', reason: 'The Graph host must not contain credentials.' };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, problem: 'notOrigin', reason: 'The Graph host must be an origin only, such as https://graph.facebook.com.' };
  }
  if (isLoopbackHostname(url.hostname)) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, problem: 'scheme', reason: `Unsupported scheme ${url.protocol}` };
    }
    return { ok: true, origin: url.origin };
  }
  if (url.protocol !== 'https:' || !META_HOSTS.has(url.hostname.toLowerCase()) || url.port !== '') {
    return {
      ok: false,
      problem: 'notAllowed',
      reason: `Tokens are only sent to https://graph.facebook.com, https://graph.instagram.com or a loopback address, not to ${url.origin}.`,
    };
  }
  return { ok: true, origin: url.origin };
}

export function isValidApiVersion(version: string): boolean {
  return VERSION_PATTERN.test(version);
}

/** A short, stable name for a host, used to key secrets: a token stored for one host is never sent to another. */
export function hostKey(origin: string): string {
  return new URL(origin).host.toLowerCase();
}
