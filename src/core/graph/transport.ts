import { appsecretProof, timedAppsecretProof } from './appsecretProof';
import type { CredentialGate } from '../accounts/tokenRegistry';
import { classify, GraphError } from './errors';
import { checkGraphHost, DEFAULT_API_VERSION, DEFAULT_GRAPH_HOST, hostKey } from './hosts';
import { RequestScheduler } from './scheduler';
import { GraphReach, probeGraphReach } from './reach';
import { parseUsage, Usage } from './usage';

/** The subset of the platform `fetch` the client uses; injected so tests and the web host can supply their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The credentials one request is made with. The token only ever travels in the Authorization header. */
export interface Credentials {
  readonly accessToken: string;
  /** When known, appsecret_proof is added to the request. */
  readonly appSecret?: string;
}

export interface TransportOptions {
  readonly fetch: FetchLike;
  readonly host?: string;
  readonly apiVersion?: string;
  readonly timeoutMs?: number;
  /** Use the timestamped appsecret_proof form (appsecret_time), with this clock in milliseconds. */
  readonly proofClock?: () => number;
  readonly useTimedProof?: boolean;
  /** Called after every response, with the usage figures it reported. */
  readonly onResponse?: (info: ResponseInfo) => void;
  /** Retries, rate-limit pauses and concurrency; without one, each request is sent once, at once. */
  readonly scheduler?: RequestScheduler;
  /** Which tokens may go to this host; without one (tests, scripts), any token may. */
  readonly gate?: CredentialGate;
  /**
   * In a browser, where a stopped host and one refusing cross-origin requests fail alike: probe the
   * host after a network failure (see reach.ts), so the error can say which and give the right fix.
   */
  readonly probeReach?: boolean;
}

/** Largest response body read; a bigger one is refused instead of filling memory. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface ResponseInfo {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly usage: Usage;
  readonly durationMs: number;
  readonly apiVersion?: string;
}

export type Params = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly params?: Params;
  /** Form fields for POST (the batch API). */
  readonly form?: Params;
  readonly signal?: AbortSignal;
  /** False for a call that changes something (the Send API): a timeout or a 5xx is not retried, so nothing is done twice. */
  readonly idempotent?: boolean;
}

export interface GraphResponse {
  readonly body: unknown;
  readonly status: number;
  readonly usage: Usage;
}

const PATH_SEGMENT = /^[A-Za-z0-9_.:|-]+$/;

/** Builds, signs and sends one Graph request, and turns every failure into a GraphError. */
export class GraphTransport {
  readonly origin: string;
  /** The host key tokens are stored under (see hosts.ts). */
  readonly hostKey: string;
  readonly apiVersion: string;
  private readonly timeoutMs: number;
  private readonly lifetime = new AbortController();

  constructor(private readonly options: TransportOptions) {
    const host = checkGraphHost(options.host ?? DEFAULT_GRAPH_HOST);
    if (!host.ok) {
      throw new GraphError({ kind: 'hostRefused', message: host.reason, hostRefusal: host.problem, host: options.host });
    }
    this.origin = host.origin;
    this.hostKey = hostKey(host.origin);
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The URL a request goes to, without credentials. Path segments are validated, never interpolated raw. */
  url(path: string, params: Params = {}): string {
    const segments = path.split('/').filter((s) => s.length > 0);
    for (const segment of segments) {
      if (!PATH_SEGMENT.test(segment) || segment === '..' || segment === '.') {
        throw new GraphError({ kind: 'badRequest', message: `"${segment}" is not a valid Graph ID or edge.` });
      }
    }
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) {
        query.set(key, String(value));
      }
    }
    const qs = query.toString();
    return `${this.origin}/${this.apiVersion}/${segments.join('/')}${qs ? `?${qs}` : ''}`;
  }

  /**
   * Ends this transport: requests in flight or queued are aborted and no new one is sent. Called when
   * the Graph host changes, so work started for one host never reaches another.
   */
  close(): void {
    this.lifetime.abort();
  }

  /** Sends one request through the scheduler, if any: calls with the same token share its rate-limit pauses. */
  async request(path: string, credentials: Credentials, options: RequestOptions = {}): Promise<GraphResponse> {
    this.admit(credentials);
    const signals = [options.signal, this.lifetime.signal, this.options.gate?.lifetimeOf(credentials.accessToken, this.hostKey)].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const scoped = { ...options, signal: AbortSignal.any(signals) };
    const scheduler = this.options.scheduler;
    return scheduler
      ? scheduler.run(credentials.accessToken, () => this.send(path, credentials, scoped), scoped.signal, options.idempotent !== false)
      : this.send(path, credentials, scoped);
  }

  /** Throws unless these credentials may be sent to this host now (checked again after any wait). */
  private admit(credentials: Credentials): void {
    if (this.lifetime.signal.aborted) {
      throw new GraphError({ kind: 'cancelled', message: 'The Graph host changed, so the request was not sent.' });
    }
    const refusal = this.options.gate?.refusal(credentials.accessToken, this.hostKey);
    if (refusal) {
      throw refusal;
    }
  }

  private async send(path: string, credentials: Credentials, options: RequestOptions): Promise<GraphResponse> {
    this.admit(credentials);
    const method = options.method ?? 'GET';
    const proof = credentials.appSecret ? await this.proofParams(credentials) : {};
    const form = options.form ? { ...options.form, ...proof } : undefined;
    const url = this.url(path, form ? (options.params ?? {}) : { ...options.params, ...proof });

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Authorization: `Bearer ${credentials.accessToken}`, Accept: 'application/json' };
    let body: string | undefined;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(
        Object.entries(form)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
    }

    const started = Date.now();
    let response: Response;
    try {
      // Redirects are refused: following one would send the Authorization header to wherever it points.
      response = await this.options.fetch(url, { method, headers, body, signal, redirect: 'manual' });
    } catch (error) {
      throw await this.failure(error, options.signal, timeout);
    }

    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw new GraphError({
        kind: 'hostRefused',
        hostRefusal: 'redirect',
        host: this.origin,
        httpStatus: response.status,
        message: `The Graph host answered with a redirect (HTTP ${response.status}); it was not followed so the token stays with ${this.origin}.`,
      });
    }

    const usage = parseUsage((name) => response.headers.get(name));
    this.options.scheduler?.observe(usage);
    let text: string;
    try {
      text = await readCapped(response, MAX_RESPONSE_BYTES);
    } catch (error) {
      throw error instanceof GraphError ? error : await this.failure(error, options.signal, timeout);
    }
    this.options.onResponse?.({
      method,
      path,
      status: response.status,
      usage,
      durationMs: Date.now() - started,
      apiVersion: response.headers.get('facebook-api-version') ?? undefined,
    });

    const parsed = parseBody(text, response.status, response.headers.get('content-type'));
    const failure = errorInBody(parsed, response.status, usage, response.headers.get('retry-after'));
    if (failure) {
      throw failure;
    }
    return { body: parsed, status: response.status, usage };
  }

  private async proofParams(credentials: Credentials): Promise<Params> {
    const secret = credentials.appSecret ?? '';
    if (this.options.useTimedProof) {
      const now = (this.options.proofClock ?? Date.now)() / 1000;
      return { ...(await timedAppsecretProof(credentials.accessToken, secret, now)) };
    }
    return { appsecret_proof: await appsecretProof(credentials.accessToken, secret) };
  }

  private async failure(error: unknown, userSignal: AbortSignal | undefined, timeout: AbortSignal): Promise<GraphError> {
    if (userSignal?.aborted) {
      return new GraphError({ kind: 'cancelled', message: 'The request was cancelled.' });
    }
    if (timeout.aborted) {
      return new GraphError({
        kind: 'timeout',
        message: `No answer from the Graph API within ${Math.round(this.timeoutMs / 1000)} s.`,
        timeoutMs: this.timeoutMs,
      });
    }
    const cause = causeText(error);
    const reach = this.options.probeReach
      ? await probeGraphReach(this.options.fetch, this.origin, Math.min(this.timeoutMs, 5000))
      : undefined;
    const found = reach === undefined ? '' : REACH_FOUND[reach];
    return new GraphError({ kind: 'network', message: `Could not reach ${this.origin} (${cause})${found}.`, origin: this.origin, reach });
  }
}

/** What the log says a browser's probe found after a network failure. */
const REACH_FOUND: Record<GraphReach, string> = {
  answers: '',
  down: ': nothing answers',
  refusesBrowser: ': it answers, but not to requests from a browser',
};

/** The body as text, refused past `limit` bytes without reading the rest. */
async function readCapped(response: Response, limit: number): Promise<string> {
  const tooLarge = () =>
    new GraphError({
      kind: 'malformed',
      httpStatus: response.status,
      message: `The Graph API answered with more than ${Math.round(limit / (1024 * 1024))} MB; the response was not read.`,
    });
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) {
    return response.text();
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk: { done: boolean; value?: Uint8Array } = await reader.read();
    if (chunk.done || !chunk.value) {
      break;
    }
    const value = chunk.value;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(body);
}

function parseBody(text: string, status: number, contentType: string | null): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text) || (contentType ?? '').includes('html');
    const what = bodyDescription(text, looksHtml);
    throw new GraphError({
      kind: status >= 500 ? 'transient' : 'malformed',
      httpStatus: status,
      message: `The Graph API answered HTTP ${status} with ${what}.`,
    });
  }
}

interface ErrorEnvelope {
  readonly error: Record<string, unknown>;
}

function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof (body as ErrorEnvelope).error === 'object' &&
    (body as ErrorEnvelope).error !== null
  );
}

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) {
    return undefined;
  }
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Turns Meta's `{"error": {...}}` envelope into a classified GraphError. */
export function fromEnvelope(error: Record<string, unknown>, httpStatus: number, usage?: Usage, retryAfter?: string | null): GraphError {
  const code = optionalNumber(error.code);
  const subcode = optionalNumber(error.error_subcode);
  const said = optionalString(error.message);
  const message = said ?? `Graph API error${code === undefined ? '' : ` ${code}`}`;
  const isTransient = typeof error.is_transient === 'boolean' ? error.is_transient : undefined;
  const kind = classify(code, subcode, message, httpStatus, isTransient);
  const regain = usage?.business.reduce((max, b) => Math.max(max, b.estimatedTimeToRegainAccess ?? 0), 0) ?? 0;
  const headerWait = retryAfterMs(retryAfter ?? null);
  return new GraphError({
    kind,
    message,
    said: said !== undefined || optionalString(error.error_user_msg) !== undefined ? 'meta' : undefined,
    httpStatus,
    code,
    subcode,
    type: optionalString(error.type),
    fbtraceId: optionalString(error.fbtrace_id),
    isTransient,
    userTitle: optionalString(error.error_user_title),
    userMessage: optionalString(error.error_user_msg),
    usage,
    retryAfterMs: headerWait ?? (regain > 0 ? regain * 60_000 : undefined),
  });
}

/** The GraphError in a parsed body (a response or a batch item), or undefined when it is not an error. */
export function errorInBody(body: unknown, status: number, usage?: Usage, retryAfter?: string | null): GraphError | undefined {
  if (isErrorEnvelope(body)) {
    return fromEnvelope(body.error, status, usage, retryAfter);
  }
  if (status >= 400) {
    return new GraphError({
      kind: classify(undefined, undefined, '', status, undefined),
      httpStatus: status,
      usage,
      message: `HTTP ${status} without a Graph error body`,
      retryAfterMs: retryAfterMs(retryAfter ?? null),
    });
  }
  return undefined;
}

/** A network failure's message with its cause (fetch puts the system error, e.g. ECONNREFUSED, there). */
function causeText(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function bodyDescription(text: string, looksHtml: boolean): string {
  if (text.length === 0) {
    return 'an empty body';
  }
  return looksHtml ? 'an HTML page' : 'a body that is not valid JSON (possibly truncated)';
}
