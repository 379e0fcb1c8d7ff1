import type { RequestLogEntry } from '../../../simulator/index';

/**
 * Parameters whose value Meta requires to be a token or an App Secret, in a request's body only:
 * debug_token's `input_token`, and the long-lived exchange's `client_secret` and `fb_exchange_token`.
 * (`appsecret_proof` is an HMAC of the secret, not the secret.) Anywhere else a secret is a leak.
 */
const REQUIRED_IN_BODY = new Set(['input_token', 'client_secret', 'fb_exchange_token']);
const KEPT = '(value Meta requires here)';

/** A batch's items name debug_token?input_token=… in their relative URLs: those values are required too. */
function batchWithoutRequired(batch: string): string {
  try {
    const items = JSON.parse(batch) as { relative_url?: string }[];
    return JSON.stringify(
      items.map((item) => {
        const url = item.relative_url ?? '';
        const q = url.indexOf('?');
        if (q < 0) {
          return item;
        }
        const params = new URLSearchParams(url.slice(q + 1));
        for (const name of REQUIRED_IN_BODY) {
          if (params.has(name)) {
            params.set(name, KEPT);
          }
        }
        return { ...item, relative_url: `${url.slice(0, q)}?${params.toString()}` };
      }),
    );
  } catch {
    return batch;
  }
}

function bodyWithoutRequired(entry: RequestLogEntry): string {
  const type = entry.raw.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!type.includes('application/x-www-form-urlencoded')) {
    return entry.raw.body;
  }
  const params = new URLSearchParams(entry.raw.body);
  return [...params]
    .map(([name, value]) => {
      if (REQUIRED_IN_BODY.has(name)) {
        return `${name}=${KEPT}`;
      }
      return `${name}=${name === 'batch' ? batchWithoutRequired(value) : value}`;
    })
    .join('\n');
}

/**
 * What a server, a proxy or its logs would see of each request the simulator received: the URL,
 * every header but Authorization (where a token belongs), the body without the values Meta requires.
 */
export function requestPlaces(log: readonly RequestLogEntry[]): [string, string][] {
  return log.map((entry) => [
    `request #${entry.seq} ${entry.method} /${entry.path}`,
    [
      entry.raw.url,
      ...entry.raw.headers.filter(([name]) => name.toLowerCase() !== 'authorization').map(([n, v]) => `${n}: ${v}`),
      bodyWithoutRequired(entry),
    ].join('\n'),
  ]);
}

/** The Authorization headers alone: the positive control that the scan reads what the simulator received. */
export function authorizationHeaders(log: readonly RequestLogEntry[]): string {
  return log.flatMap((e) => e.raw.headers.filter(([name]) => name.toLowerCase() === 'authorization').map(([, v]) => v)).join('\n');
}
