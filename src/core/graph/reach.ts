import { DEFAULT_API_VERSION } from './hosts';
import type { FetchLike } from './transport';

/** What a browser meets at a Graph host: answers, nothing listening, or answers but not to cross-origin requests. */
export type GraphReach = 'answers' | 'down' | 'refusesBrowser';

/**
 * Tells "nothing listens" from "refuses browsers" the way only a browser can: a Graph request with a
 * preflight (as every real call has: it carries the Authorization header), and, if that fails, a
 * `no-cors` request, which succeeds (opaquely) whenever anything answers at all. No token is sent.
 */
export async function probeGraphReach(fetchImpl: FetchLike, origin: string, timeoutMs = 5000): Promise<GraphReach> {
  const url = `${origin}/${DEFAULT_API_VERSION}/me`;
  try {
    // A non-safelisted Content-Type makes the browser send a preflight first.
    await fetchImpl(url, { headers: { 'Content-Type': 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return 'answers';
  } catch {
    // A network error or a CORS refusal: the browser does not say which.
  }
  try {
    // Redirects followed: a browser fails every no-cors request that may not follow them (Fetch
    // standard), whatever answers. No token is sent, so following one reveals nothing.
    await fetchImpl(url, { mode: 'no-cors', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    return 'refusesBrowser';
  } catch {
    return 'down';
  }
}
