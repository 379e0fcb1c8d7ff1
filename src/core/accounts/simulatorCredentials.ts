import { FetchLike } from '../graph/transport';
import { checkGraphHost, isLoopbackHostname } from '../graph/hosts';
import { GraphReach, probeGraphReach } from '../graph/reach';
import { checkAppId, checkAppSecret, checkTokenInput } from './tokenInput';

/** The demo credentials a local Graph API simulator publishes on its control endpoint. */
export interface SimulatorCredentials {
  readonly origin: string;
  readonly userToken: string;
  readonly apps: readonly { readonly id: string; readonly secret: string }[];
}

/** `refusesBrowser`: something answers there, but not to a browser's cross-origin requests (no CORS). */
export type SimulatorProblem = 'notLoopback' | 'unreachable' | 'refusesBrowser' | 'notSimulator' | 'needsKey' | 'wrongKey';

/** The header a simulator's control endpoints read their per-run key from. */
export const CONTROL_KEY_HEADER = 'x-simulator-key';

export class SimulatorError extends Error {
  constructor(
    readonly problem: SimulatorProblem,
    message: string,
    /** The address that was asked, when it is known. */
    readonly origin?: string,
  ) {
    super(message);
    this.name = 'SimulatorError';
  }
}

/**
 * Only a loopback address can be a local simulator; tokens for it never leave the machine. The
 * address the simulator prints carries its control key (`?key=…`), which is split off here.
 */
export function checkSimulatorUrl(value: string): { ok: true; origin: string; key?: string } | { ok: false } {
  let key: string | undefined;
  let base = value.trim();
  try {
    const url = new URL(base);
    key = url.searchParams.get('key') ?? undefined;
    base = url.origin;
  } catch {
    return { ok: false };
  }
  const checked = checkGraphHost(base);
  return checked.ok && isLoopbackHostname(new URL(checked.origin).hostname) ? { ok: true, origin: checked.origin, key } : { ok: false };
}

/**
 * Asks a running simulator for its demo credentials. No token is sent. With `probeBrowser` (a web
 * extension host), a Graph endpoint is probed too: the control endpoint answering is not enough,
 * the calls that follow must be allowed across origins.
 */
export async function fetchSimulatorCredentials(
  fetchImpl: FetchLike,
  url: string,
  timeoutMs = 5000,
  probeBrowser = false,
): Promise<SimulatorCredentials> {
  const checked = checkSimulatorUrl(url);
  if (!checked.ok) {
    throw new SimulatorError('notLoopback', `${url} is not a loopback address.`);
  }
  let body: unknown;
  try {
    const headers: Record<string, string> = checked.key ? { [CONTROL_KEY_HEADER]: checked.key } : {};
    const response = await fetchImpl(`${checked.origin}/__simulator/state`, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401) {
      throw new SimulatorError(checked.key ? 'wrongKey' : 'needsKey', `${checked.origin} wants the control key it printed at start.`);
    }
    if (!response.ok) {
      throw new SimulatorError('notSimulator', `${checked.origin} answered HTTP ${response.status}.`);
    }
    body = await response.json();
  } catch (error) {
    if (error instanceof SimulatorError) {
      throw error;
    }
    if (error instanceof SyntaxError) {
      throw new SimulatorError('notSimulator', `${checked.origin} did not answer with JSON.`);
    }
    throw reachError(probeBrowser ? await probeGraphReach(fetchImpl, checked.origin, timeoutMs) : 'down', checked.origin);
  }
  // Its control endpoint just answered, so the simulator runs: a Graph call that fails is refused to the browser
  // (a browser may also refuse the `no-cors` probe, for Private Network Access).
  if (probeBrowser && (await probeGraphReach(fetchImpl, checked.origin, timeoutMs)) !== 'answers') {
    throw reachError('refusesBrowser', checked.origin);
  }
  const credentials = (body as { credentials?: { userToken?: unknown; apps?: unknown } } | null)?.credentials;
  const userToken = typeof credentials?.userToken === 'string' ? credentials.userToken : '';
  const apps = Array.isArray(credentials?.apps) ? (credentials.apps as { id?: unknown; secret?: unknown }[]) : [];
  const parsedApps = apps.map((a) => ({
    id: checkAppId(typeof a.id === 'string' ? a.id : ''),
    secret: checkAppSecret(typeof a.secret === 'string' ? a.secret : ''),
  }));
  if (!checkTokenInput(userToken, 'user').ok || parsedApps.some((a) => !a.id.ok || !a.secret.ok)) {
    throw new SimulatorError('notSimulator', `${checked.origin} does not publish simulator credentials.`);
  }
  return {
    origin: checked.origin,
    userToken,
    apps: parsedApps.map((a) => ({ id: a.id.ok ? a.id.value : '', secret: a.secret.ok ? a.secret.value : '' })),
  };
}

function reachError(reach: GraphReach, origin: string): SimulatorError {
  return reach === 'refusesBrowser'
    ? new SimulatorError('refusesBrowser', `${origin} answers, but not to cross-origin requests from a browser.`, origin)
    : new SimulatorError('unreachable', `${origin} did not answer.`, origin);
}
