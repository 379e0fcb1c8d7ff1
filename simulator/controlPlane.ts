import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may control the simulator. Its control endpoints hand out the demo tokens and inject faults,
 * so a web page in the developer's browser must not reach them: every request needs a loopback
 * `Host` (no DNS rebinding), control requests need the per-run key in a header, control POSTs need a
 * JSON body (so a cross-origin form or text/plain POST is refused), and control endpoints answer
 * CORS only for the origins named at start.
 */
export const CONTROL_KEY_HEADER = 'x-simulator-key';

export interface ControlPolicy {
  readonly key: string;
  /** Origins (scheme://host:port) whose pages may call control endpoints, e.g. a web test host. */
  readonly origins: ReadonlySet<string>;
}

export function newControlKey(): string {
  return randomBytes(24).toString('base64url');
}

export interface Refusal {
  readonly status: number;
  readonly message: string;
}

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** A request whose Host is not a loopback name came through a rebinding DNS name or a proxy. */
export function hostRefusal(req: IncomingMessage): Refusal | undefined {
  const host = req.headers.host ?? '';
  return LOOPBACK_HOST.test(host) ? undefined : { status: 421, message: `The simulator answers only loopback host names, not "${host}".` };
}

export function isAllowedOrigin(policy: ControlPolicy, origin: string | undefined): boolean {
  return origin !== undefined && policy.origins.has(origin);
}

/**
 * Why a control request is refused, or undefined when it carries the key (and JSON, for a POST).
 * `queryKey` is the `?key=` of the one endpoint that may take it there (the event stream: EventSource
 * cannot set headers).
 */
export function controlRefusal(policy: ControlPolicy, req: IncomingMessage, queryKey?: string | null): Refusal | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(policy, origin)) {
    return { status: 403, message: `Control endpoints do not answer pages from ${origin}.` };
  }
  const presented = req.headers[CONTROL_KEY_HEADER] ?? (typeof queryKey === 'string' && queryKey !== '' ? queryKey : undefined);
  if (typeof presented !== 'string' || !sameSecret(presented, policy.key)) {
    return { status: 401, message: `Control endpoints need the key the simulator printed at start, in the ${CONTROL_KEY_HEADER} header.` };
  }
  if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return { status: 415, message: 'Control POSTs take a JSON body (Content-Type: application/json).' };
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
