import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { FaultPlan, FaultRule } from './faults';
import { defaultSettings, GraphHandler, GraphResult, SimulatorSettings } from './graph';
import { errors, rateLimitText } from './graphError';
import { DEFAULT_LIMITS, RateLimiter, RateLimits } from './rateLimit';
import { Random } from './random';
import { clientToken, TokenRecord, World, WorldOptions } from './world';
import { CONTROL_KEY_HEADER, ControlPolicy, controlRefusal, hostRefusal, isAllowedOrigin, newControlKey } from './controlPlane';
import { EventBus, SimulatorEvent } from './events';
import { MessagingPlatform } from './platform';
import { detail, summary } from './webhooks';
import { OAuthEndpoints } from './oauth';

export interface SimulatorOptions extends WorldOptions {
  readonly port?: number;
  readonly host?: string;
  /** Delay added to every Graph response, in ms. */
  readonly latencyMs?: number;
  /** Probability of a random transient fault per request (seeded). */
  readonly faultRate?: number;
  readonly limits?: Partial<RateLimits>;
  readonly settings?: Partial<SimulatorSettings>;
  /** Also send the legacy X-Page-Usage header. */
  readonly legacyPageUsage?: boolean;
  /** Answer browsers' cross-origin requests on Graph paths, as graph.facebook.com does (default true); false plays a host that does not. */
  readonly cors?: boolean;
  /** The key control requests must carry (x-simulator-key); a random one per run when absent. */
  readonly controlKey?: string;
  /** Origins whose pages may call the control endpoints (a web test host, a web VS Code). */
  readonly controlOrigins?: readonly string[];
  /**
   * Server time per unit of work, in ms, added on top of `latencyMs`: a plain call is 1 unit, a
   * `?ids=` request one per ID, a batch one per item. Default 2.
   */
  readonly itemCostMs?: number;
  /** Whether the apps have "Require App Secret" on (default true); false plays apps that do not. */
  readonly requireProof?: boolean;
  /**
   * Subscribe every app (objects `page` and `instagram`) and every Page to this callback URL at start,
   * after the verification handshake (`--webhook URL --verify-token T`). `start()` does not wait for it:
   * see `webhookReady`.
   */
  readonly webhook?: {
    readonly url: string;
    readonly verifyToken: string;
    /** How long to keep trying the handshake while the bot starts, in ms (default 120000). */ readonly waitMs?: number;
  };
}

/** Calls Meta would count, by token and by business object: what a benchmark compares. */
export interface CallAccounting {
  /** Every call counted: one per plain request, one per `?ids=` ID, one per batch item. */
  readonly total: number;
  /** HTTP requests that reached the Graph paths. */
  readonly httpRequests: number;
  readonly byToken: {
    readonly token: string;
    readonly kind: string;
    readonly subjectId: string;
    readonly appId: string;
    readonly calls: number;
  }[];
  readonly byBusinessObject: { readonly id: string; readonly type: string; readonly calls: number }[];
  readonly byApp: { readonly appId: string; readonly calls: number }[];
}

export interface RequestLogEntry {
  readonly seq: number;
  readonly method: string;
  /** The path after the version, e.g. `t_123/messages`. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly tokenSource: 'header' | 'query' | 'form' | 'json' | 'none';
  /**
   * A token or app secret of the world appears in the raw request URL: in any parameter (by any name) or in the
   * path, as written or percent-encoded (once or more). `appsecret_proof` is not a secret and is not flagged.
   */
  readonly tokenInUrl: boolean;
  /** The first header, other than Authorization, that carried a token or app secret (as written or percent-encoded), if any. */
  readonly secretInHeader?: string;
  readonly tokenKind?: string;
  readonly status: number;
  readonly fault?: string;
  readonly batchSize?: number;
  /** Calls the request counted as (each `?ids=` ID, each batch item). */
  readonly calls?: number;
  /** The request as received, for leak scans in tests (left out of the control plane's `/requests`). */
  readonly raw: { readonly url: string; readonly headers: readonly (readonly [string, string])[]; readonly body: string };
}

interface Presented {
  token?: string;
  proof?: string;
  proofTime?: string;
}

const CONTROL = '/__simulator';

/** The local Graph API: an HTTP server over a World, with rate limits, faults and a request log. */
export class GraphSimulator {
  readonly world: World;
  readonly settings: SimulatorSettings;
  readonly faults: FaultPlan;
  readonly limiter: RateLimiter;
  readonly log: RequestLogEntry[] = [];
  latencyMs: number;
  /** Server time per unit of work (see SimulatorOptions.itemCostMs). */
  itemCostMs: number;
  /** Whether Graph paths answer browsers' cross-origin requests; control paths always do, so a browser test can switch it back. */
  cors: boolean;
  inFlight = 0;
  maxInFlight = 0;
  /** The Send API, webhook subscriptions and deliveries, and simulated people. */
  readonly platform: MessagingPlatform;
  /** Every change to threads, deliveries and subscriptions (served as server-sent events on `/__simulator/events`). */
  readonly events = new EventBus();
  /** Settles when the `webhook` option's subscriptions are made (or have given up); undefined without it. */
  webhookReady: Promise<{ ok: boolean; message?: string }> | undefined;
  /** Who may call the control endpoints; see controlPlane.ts. */
  private readonly controlPolicy: ControlPolicy;
  private readonly streams = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping = false;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly handler: GraphHandler;
  /** The long-lived exchange, app tokens, Login for Devices and its approval page. */
  readonly oauth: OAuthEndpoints;
  private seq = 0;
  private origin = '';
  private httpRequests = 0;
  private readonly callsByToken = new Map<string, { token: string; kind: string; subjectId: string; appId: string; calls: number }>();
  private readonly callsByBusiness = new Map<string, { id: string; type: string; calls: number }>();

  constructor(private readonly options: SimulatorOptions = {}) {
    this.world = new World(options);
    this.settings = { ...defaultSettings(), ...options.settings };
    const rnd = new Random((options.seed ?? 1) ^ 0x5eed);
    this.faults = new FaultPlan(options.faultRate ?? 0, () => rnd.next());
    this.limiter = new RateLimiter({ ...DEFAULT_LIMITS, ...options.limits });
    this.latencyMs = options.latencyMs ?? 0;
    this.itemCostMs = options.itemCostMs ?? 2;
    if (options.requireProof === false) {
      for (const app of this.world.apps) {
        app.requireProof = false;
      }
    }
    this.cors = options.cors ?? true;
    this.controlPolicy = { key: options.controlKey ?? newControlKey(), origins: new Set(options.controlOrigins ?? []) };
    this.platform = new MessagingPlatform(this.world, this.settings, this.events);
    this.oauth = new OAuthEndpoints(this.world, this.settings);
    this.handler = new GraphHandler(this.world, this.settings, this.platform, this.oauth);
  }

  get url(): string {
    return this.origin;
  }

  /** The per-run key of the control endpoints (printed at start). */
  get controlKey(): string {
    return this.controlPolicy.key;
  }

  /** The address to give "Connect to Local Simulator": the URL with its control key. */
  get connectUrl(): string {
    return `${this.origin}/?key=${encodeURIComponent(this.controlPolicy.key)}`;
  }

  /** Headers a control request needs, for tests and scripts in the same process. */
  controlHeaders(): Record<string, string> {
    return { [CONTROL_KEY_HEADER]: this.controlPolicy.key, 'content-type': 'application/json' };
  }

  /** Calls a control endpoint over HTTP, as a script or a bot developer's test would. */
  async controlRequest<T = unknown>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(
      `${this.origin}${CONTROL}${path}`,
      body === undefined
        ? { headers: this.controlHeaders() }
        : { method: 'POST', headers: this.controlHeaders(), body: JSON.stringify(body) },
    );
    const answer = (await response.json()) as T;
    if (!response.ok) {
      throw new Error(`${CONTROL}${path} answered HTTP ${response.status}: ${JSON.stringify(answer)}`);
    }
    return answer;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port ?? 0, host, resolve);
    });
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://${host}:${port}`;
    this.oauth.origin = this.origin;
    if (this.options.webhook) {
      this.webhookReady = this.subscribeWebhook(
        this.options.webhook.url,
        this.options.webhook.verifyToken,
        this.options.webhook.waitMs ?? 120_000,
      );
    }
    return this.origin;
  }

  /**
   * Subscribes every app and Page to one callback URL (what `--webhook` does), retrying the
   * handshake every 500 ms for up to `waitMs` while the bot starts.
   */
  async subscribeWebhook(url: string, verifyToken: string, waitMs = 0): Promise<{ ok: boolean; message?: string }> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const result = await this.platform.subscribeAll(url, verifyToken);
      if (result.ok || this.stopping || Date.now() >= deadline) {
        return result;
      }
      await sleep(500);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.platform.webhooks.stop();
    clearInterval(this.heartbeat);
    for (const stream of this.streams) {
      stream.end();
    }
    this.streams.clear();
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Clears the request log, counters, faults and rate-limit windows. */
  reset(): void {
    this.log.length = 0;
    this.maxInFlight = this.inFlight;
    this.faults.clear();
    this.limiter.reset();
    this.httpRequests = 0;
    this.callsByToken.clear();
    this.callsByBusiness.clear();
    this.platform.webhooks.clearLog();
    this.platform.resetRates();
    this.oauth.reset();
  }

  /** The calls counted since the last reset, per token (shown redacted), business object and app. */
  calls(): CallAccounting {
    const byToken = [...this.callsByToken.values()].map((t) => ({ ...t, token: redactToken(t.token) }));
    const apps = new Map<string, number>();
    for (const t of this.callsByToken.values()) {
      apps.set(t.appId, (apps.get(t.appId) ?? 0) + t.calls);
    }
    return {
      total: byToken.reduce((n, t) => n + t.calls, 0),
      httpRequests: this.httpRequests,
      byToken,
      byBusinessObject: [...this.callsByBusiness.values()].map((b) => ({ ...b })),
      byApp: [...apps].map(([appId, calls]) => ({ appId, calls })),
    };
  }

  /** Demo credentials: what a new user connects with. */
  credentials(): {
    userToken: string;
    apps: { id: string; name: string; secret: string; clientToken: string; businessId: string }[];
    pages: { id: string; name: string; instagram?: string }[];
  } {
    return {
      userToken: this.world.users[0]?.token ?? '',
      apps: this.world.apps.map((a) => ({
        id: a.id,
        name: a.name,
        secret: a.secret,
        clientToken: clientToken(a),
        businessId: a.businessId,
      })),
      pages: this.world.pages.map((p) => ({ id: p.id, name: p.name, ...(p.instagram ? { instagram: p.instagram.id } : {}) })),
    };
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const url = new URL(req.url ?? '/', this.origin || 'http://127.0.0.1');
      const isControl = url.pathname.startsWith(CONTROL);
      const misdirected = hostRefusal(req);
      if (misdirected) {
        send(res, misdirected.status, { error: misdirected.message });
        return;
      }
      const origin = req.headers.origin;
      const crossOrigin = origin !== undefined && (isControl ? isAllowedOrigin(this.controlPolicy, origin) : this.cors);
      if (crossOrigin) {
        allowCrossOrigin(req, res, isControl ? origin : '*');
      }
      if (req.method === 'OPTIONS' && origin !== undefined) {
        res.writeHead(crossOrigin ? 204 : 403).end();
        return;
      }
      const body = await readBody(req);
      if (isControl) {
        const path = url.pathname.slice(CONTROL.length);
        // Only the event stream takes the key as ?key= too: EventSource cannot set headers.
        const refused = controlRefusal(
          this.controlPolicy,
          req,
          path === '/events' && req.method === 'GET' ? url.searchParams.get('key') : undefined,
        );
        if (refused) {
          send(res, refused.status, { error: refused.message });
          return;
        }
        await this.control(req.method ?? 'GET', path, body, res, req, url);
        return;
      }
      if (url.pathname === '/device' && (req.method === 'GET' || req.method === 'POST')) {
        const form = req.method === 'POST' ? parseBody(body, req.headers['content-type']).params : new URLSearchParams();
        const answer = this.oauth.approvalPage(req.method, url.searchParams, form, req.headers.origin);
        sendHtml(res, answer.status, answer.html);
        return;
      }
      await this.graph(req, res, url, body);
    } catch (error) {
      if (!res.headersSent) {
        send(res, 500, {
          error: {
            message: `Simulator error: ${error instanceof Error ? error.message : String(error)}`,
            type: 'OAuthException',
            code: 1,
            is_transient: true,
          },
        });
      }
    } finally {
      this.inFlight--;
    }
  }

  private async graph(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const method = req.method ?? 'GET';
    this.httpRequests++;
    // Graph takes parameters from the query string and, on POST, from a form, multipart or JSON body.
    const body =
      method === 'GET' ? { params: new URLSearchParams(), kind: 'form' as const } : parseBody(rawBody, req.headers['content-type']);
    const query = new URLSearchParams(url.searchParams);
    for (const [k, v] of body.params) {
      query.set(k, v);
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const version = /^v\d+\.\d+$/.test(parts[0] ?? '') ? (parts.shift() as string) : 'v26.0';
    const path = parts.join('/');
    const header = req.headers.authorization;
    const headerToken = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header)?.[1] : undefined;
    const token = headerToken ?? query.get('access_token') ?? undefined;
    const tokenSource = headerToken
      ? 'header'
      : url.searchParams.has('access_token')
        ? 'query'
        : body.params.has('access_token')
          ? body.kind
          : 'none';
    query.delete('access_token');
    const entry = {
      seq: ++this.seq,
      method,
      path,
      query: redactedQuery(url.searchParams),
      tokenSource,
      tokenInUrl: this.carriesSecret(req.url ?? ''),
      secretInHeader: this.headerWithSecret(req),
      raw: { url: req.url ?? '', headers: headerPairs(req.rawHeaders), body: rawBody },
    } as const;

    if (this.latencyMs > 0) {
      await sleep(this.latencyMs);
    }

    const fault = this.faults.take(path);
    if (fault && this.applyTransportFault(fault, res)) {
      this.log.push({ ...entry, status: res.statusCode, fault: fault.kind });
      return;
    }

    const presented: Presented = {
      token,
      proof: query.get('appsecret_proof') ?? undefined,
      proofTime: query.get('appsecret_time') ?? undefined,
    };
    query.delete('appsecret_proof');
    query.delete('appsecret_time');
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;

    const oauth = this.oauth.handle(method, path, query, token);
    if (oauth) {
      this.log.push({ ...entry, status: oauth.status });
      send(res, oauth.status, oauth.body, { 'facebook-api-version': version, 'x-fb-trace-id': `SIM${this.seq}`, ...oauth.headers });
      return;
    }

    // Batch: POST to `/` or to any node (`POST /me?batch=…`, Meta's batch doc), batch in the query string or the body.
    if (method === 'POST' && query.has('batch')) {
      const includeHeaders = query.get('include_headers') !== 'false';
      const result = await this.batch(query.get('batch') ?? '', version, presented, origin, includeHeaders);
      const calls = result.calls ?? 0;
      this.log.push({ ...entry, status: result.status, batchSize: Array.isArray(result.body) ? result.body.length : 0, calls });
      send(res, result.status, result.body, {
        'facebook-api-version': version,
        'x-fb-trace-id': `SIM${this.seq}`,
        'x-fb-rev': '1',
        ...result.headers,
      });
      return;
    }
    query.delete('batch');
    query.delete('include_headers');

    const request = {
      method,
      version,
      segments: parts,
      query,
      presented,
      origin,
      paging: { repeatCursor: fault?.kind === 'repeatCursor', emptyPageWithNext: fault?.kind === 'emptyPageWithNext' },
      nowMs: Date.now(),
    };
    // POST /{app-id}/subscriptions waits for the verification handshake with the callback.
    const subscribing =
      method === 'POST' &&
      !query.has('method') &&
      parts.length === 2 &&
      parts[1] === 'subscriptions' &&
      this.world.app(parts[0] ?? '') !== undefined;
    const result =
      fault?.kind === 'graphError' || fault?.kind === 'rateLimit'
        ? this.faultError(fault, presented.token, parts, query)
        : subscribing
          ? await this.platform.subscribe(request)
          : this.handler.handle(request);
    const final = this.charge(result, fault);
    const calls = result.token ? (result.calls ?? 1) : 0;
    await this.work(Math.max(1, calls));
    this.log.push({ ...entry, status: final.status, tokenKind: result.token?.kind, calls, ...(fault ? { fault: fault.kind } : {}) });
    send(res, final.status, final.body, {
      'facebook-api-version': version,
      'x-fb-trace-id': `SIM${this.seq}`,
      'x-fb-rev': '1',
      ...final.headers,
    });
  }

  /**
   * Whether text holds any token or app secret of the world, as written or percent-decoded once or more
   * (clients are checked for leaks with it). Tokens issued while the simulator runs count too.
   */
  private carriesSecret(text: string): boolean {
    const secrets = this.world.secrets();
    return readings(text).some((form) => secrets.some((secret) => form.includes(secret)));
  }

  /** Every header is read as sent (repeated headers one by one), except Authorization, where a token belongs. */
  private headerWithSecret(req: IncomingMessage): string | undefined {
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = (req.rawHeaders[i] ?? '').toLowerCase();
      if (name !== 'authorization' && this.carriesSecret(req.rawHeaders[i + 1] ?? '')) {
        return name;
      }
    }
    return undefined;
  }

  /** Server time for the work a request did: batching saves round trips, not Meta's work. */
  private async work(units: number): Promise<void> {
    if (this.itemCostMs > 0 && units > 0) {
      await sleep(this.itemCostMs * units);
    }
  }

  /** Charges a call to its token and adds Meta's usage headers; trips the real rate-limit codes. */
  private charge(result: GraphResult, fault: FaultRule | undefined): GraphResult {
    const token = result.token;
    if (!token) {
      return result;
    }
    const calls = result.calls ?? 1;
    const usage = this.limiter.record(token, calls);
    this.account(token, calls, token.kind === 'page' ? (result.businessObject ?? { id: token.subjectId, type: 'pages' }) : undefined);
    const percent = fault?.kind === 'rateLimit' ? 100 : usage.percent;
    const regain = fault?.kind === 'rateLimit' ? 1 : usage.regainMinutes;
    const figures = { call_count: percent, total_cputime: Math.round(percent / 2), total_time: Math.round(percent / 2) };
    const headers: Record<string, string> = { ...result.headers };
    if (token.kind === 'page') {
      const business = result.businessObject ?? { id: token.subjectId, type: 'pages' as const };
      headers['x-business-use-case-usage'] = JSON.stringify({
        [business.id]: [{ type: business.type, ...figures, estimated_time_to_regain_access: regain }],
      });
      if (this.options.legacyPageUsage) {
        headers['x-page-usage'] = JSON.stringify(figures);
      }
    } else {
      headers['x-app-usage'] = JSON.stringify(figures);
    }
    if (usage.blocked && fault?.kind !== 'rateLimit') {
      const code = RateLimiter.codeFor(token, result.businessObject?.type);
      return { ...errors.rateLimit(code), headers, token };
    }
    return { ...result, headers };
  }

  private account(token: TokenRecord, calls: number, business: { id: string; type: string } | undefined): void {
    const t = this.callsByToken.get(token.token) ?? {
      token: token.token,
      kind: token.kind,
      subjectId: token.subjectId,
      appId: token.appId,
      calls: 0,
    };
    t.calls += calls;
    this.callsByToken.set(token.token, t);
    if (business) {
      const key = `${business.id}:${business.type}`;
      const b = this.callsByBusiness.get(key) ?? { id: business.id, type: business.type, calls: 0 };
      b.calls += calls;
      this.callsByBusiness.set(key, b);
    }
  }

  /** An injected Graph error; a rate-limit fault is charged to the caller's own token so its usage headers are right. */
  private faultError(
    fault: FaultRule,
    presentedToken: string | undefined,
    segments: readonly string[],
    query: URLSearchParams,
  ): GraphResult {
    const code = fault.code ?? 80006;
    const base =
      fault.kind === 'rateLimit'
        ? errors.rateLimit(code)
        : {
            status: fault.status ?? 400,
            body: {
              error: {
                message: fault.message ?? `(#${code}) Simulated error`,
                type: 'OAuthException',
                code,
                ...(fault.subcode === undefined ? {} : { error_subcode: fault.subcode }),
                fbtrace_id: 'SIMFAULT',
              },
            },
          };
    const token = presentedToken === undefined ? undefined : this.world.tokens.get(presentedToken);
    if (fault.kind === 'rateLimit') {
      base.body.error.message = fault.message ?? rateLimitText(code);
    }
    if (fault.kind !== 'rateLimit' || !token) {
      return base;
    }
    // A Page token's usage is reported per business object: 80006 is Messenger's, 80002 Instagram's, 80001 the Pages API's (reference A9/A10).
    const type =
      code === 80006
        ? 'messenger'
        : code === 80002
          ? 'instagram'
          : code === 80001
            ? 'pages'
            : query.get('platform') === 'instagram'
              ? 'instagram'
              : segments.length > 0 && segments[0] !== token.subjectId && segments[0] !== 'me'
                ? 'messenger'
                : segments.length > 1
                  ? 'messenger'
                  : 'pages';
    return { ...base, token, ...(token.kind === 'page' ? { businessObject: { id: token.subjectId, type } } : {}) };
  }

  /** Faults below the Graph layer; returns true when the response has been handled. */
  private applyTransportFault(fault: FaultRule, res: ServerResponse): boolean {
    switch (fault.kind) {
      case 'status':
        send(
          res,
          fault.status ?? 500,
          {
            error: {
              message: fault.message ?? 'An unexpected error has occurred. Please retry your request later.',
              type: 'OAuthException',
              code: 2,
              is_transient: true,
              fbtrace_id: 'SIMFAULT',
            },
          },
          fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        );
        return true;
      case 'html':
        res.writeHead(fault.status ?? 502, {
          'content-type': 'text/html; charset=utf-8',
          ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
        });
        res.end('<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1></body></html>');
        return true;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.end('{"data": [{"id": "t_1", "updated_time": }');
        return true;
      case 'truncated': {
        const full = JSON.stringify({
          data: [{ id: 't_1', updated_time: '2026-11-20T12:00:00+0000' }],
          paging: { cursors: { before: 'a', after: 'b' } },
        });
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(full.length) });
        res.write(full.slice(0, Math.floor(full.length / 2)));
        setTimeout(() => res.socket?.destroy(), 10);
        return true;
      }
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'timeout':
        // Never answer; the socket closes when the client gives up or the simulator stops.
        return true;
      case 'redirect':
        res.writeHead(fault.status ?? 302, { location: fault.location ?? 'http://127.0.0.2:9/collect' });
        res.end();
        return true;
      default:
        return false;
    }
  }

  /**
   * Meta's batch API: up to 50 operations, each answered on its own and each counted as a call.
   * Named operations can be referenced by later ones with `{result=name:$.jsonpath}` (and waited for
   * with `depends_on`); a referenced operation that succeeds is left out of the answer (`null`)
   * unless it says `"omit_response_on_success": false`.
   */
  private async batch(
    raw: string,
    version: string,
    presented: Presented,
    origin: string,
    includeHeaders: boolean,
  ): Promise<GraphResult & { calls?: number }> {
    let items: unknown;
    try {
      items = JSON.parse(raw);
    } catch {
      return errors.badParam('The parameter batch must be a JSON array');
    }
    if (!Array.isArray(items) || items.length === 0) {
      return errors.badParam('The parameter batch must be a non-empty JSON array');
    }
    if (items.length > 50) {
      return errors.badParam('Too many requests in batch message. Maximum batch size is 50');
    }
    if (!presented.token) {
      return errors.noToken();
    }
    const ops = items.map((item: unknown) => (typeof item === 'object' && item !== null ? item : {}) as BatchOperation);
    const referenced = new Set<string>();
    for (const op of ops) {
      for (const ref of references(`${op.relative_url ?? ''} ${typeof op.body === 'string' ? op.body : ''}`)) {
        referenced.add(ref);
      }
      for (const dep of dependencies(op)) {
        referenced.add(dep);
      }
    }
    const named = new Map<string, { ok: boolean; body: unknown }>();
    const out: unknown[] = [];
    let calls = 0;
    for (const op of ops) {
      const r = this.batchOperation(op, named, version, presented, origin);
      if (r.token) {
        calls += r.calls ?? 1;
      }
      const ok = r.status < 400;
      if (typeof op.name === 'string' && op.name !== '') {
        named.set(op.name, { ok, body: r.body });
      }
      const omit = ok && typeof op.name === 'string' && referenced.has(op.name) && op.omit_response_on_success !== false;
      out.push(
        omit
          ? null
          : {
              code: r.status,
              ...(includeHeaders
                ? {
                    headers: [
                      { name: 'Content-Type', value: 'text/javascript; charset=UTF-8' },
                      ...Object.entries(r.headers ?? {}).map(([name, value]) => ({ name, value })),
                    ],
                  }
                : {}),
              body: JSON.stringify(r.body),
            },
      );
    }
    await this.work(Math.max(1, calls));
    return { status: 200, body: out, calls };
  }

  private batchOperation(
    op: BatchOperation,
    named: Map<string, { ok: boolean; body: unknown }>,
    version: string,
    presented: Presented,
    origin: string,
  ): GraphResult {
    for (const dep of dependencies(op)) {
      const done = named.get(dep);
      if (!done?.ok) {
        // Synthetic text: Meta documents that dependent operations wait, not the error when one fails.
        return errors.badParam(`The batch operation "${dep}" this operation depends on ${done ? 'failed' : 'does not exist'}`);
      }
    }
    let relative: string;
    let body: string;
    try {
      relative = resolveReferences(op.relative_url ?? '', named);
      body = resolveReferences(
        typeof op.body === 'string'
          ? op.body
          : op.body && typeof op.body === 'object'
            ? new URLSearchParams(
                Object.entries(op.body).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
              ).toString()
            : '',
        named,
      );
    } catch (error) {
      return errors.badParam(error instanceof Error ? error.message : String(error));
    }
    const rel = new URL(`/${relative.replace(/^\//, '')}`, 'http://x');
    const parts = rel.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (/^v\d+\.\d+$/.test(parts[0] ?? '')) {
      parts.shift();
    }
    const q = new URLSearchParams(rel.searchParams);
    for (const [k, v] of new URLSearchParams(body)) {
      q.set(k, v);
    }
    const itemToken = q.get('access_token');
    q.delete('access_token');
    const itemPresented = itemToken
      ? { token: itemToken, proof: q.get('appsecret_proof') ?? undefined, proofTime: q.get('appsecret_time') ?? undefined }
      : presented;
    q.delete('appsecret_proof');
    q.delete('appsecret_time');
    return this.charge(
      this.handler.handle({
        method: (op.method ?? 'GET').toUpperCase(),
        version,
        segments: parts,
        query: q,
        presented: itemPresented,
        origin,
        paging: {},
        nowMs: Date.now(),
      }),
      undefined,
    );
  }

  /** `GET /__simulator/events`: server-sent events, one per change, with a heartbeat comment every 15 s. */
  private openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const write = (event: SimulatorEvent): void => {
      res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.data, type: event.type, seq: event.seq })}\n\n`);
    };
    const last = Number(req.headers['last-event-id']);
    if (Number.isInteger(last)) {
      this.events.recent.filter((e) => e.seq > last).forEach(write);
    }
    const off = this.events.on(write);
    this.streams.add(res);
    res.on('close', () => {
      off();
      this.streams.delete(res);
    });
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const stream of this.streams) {
          stream.write(': heartbeat\n\n');
        }
      }, 15_000);
      this.heartbeat.unref();
    }
  }

  private async control(method: string, path: string, body: string, res: ServerResponse, req: IncomingMessage, url: URL): Promise<void> {
    let json: Record<string, unknown>;
    try {
      const parsed: unknown = body ? JSON.parse(body) : {};
      json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      send(res, 400, { error: 'the body is not JSON' });
      return;
    }
    const delivery = /^\/deliveries\/([^/]+)(\/redeliver)?$/.exec(path);
    if (method === 'GET' && path === '/events') {
      this.openStream(req, res);
    } else if (method === 'POST' && path === '/inbound') {
      const answer = this.platform.inbound(json);
      send(res, answer.status, answer.body);
    } else if (method === 'GET' && path === '/deliveries') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const list = this.platform.webhooks.deliveries.slice(-Math.max(1, Number.isFinite(limit) ? limit : 100));
      send(res, 200, {
        deliveries: list.map((d) => ({ ...summary(d), response_body: d.responseBody ?? null, attempt_log: d.attemptLog })),
      });
    } else if (method === 'GET' && delivery && !delivery[2]) {
      const found = this.platform.webhooks.deliveries.find((d) => d.id === delivery[1]);
      send(res, found ? 200 : 404, found ? detail(found) : { error: `unknown delivery ${delivery[1] ?? ''}` });
    } else if (method === 'POST' && delivery?.[2]) {
      const copy = this.platform.webhooks.redeliver(delivery[1] ?? '');
      send(res, copy ? 200 : 404, copy ? summary(copy) : { error: `unknown delivery ${delivery[1] ?? ''}` });
    } else if (method === 'GET' && path === '/subscriptions') {
      const apps = [...this.platform.webhooks.apps].map(([app, subs]) => ({
        app,
        subscriptions: [...subs.values()].map((s) => ({
          object: s.object,
          callback_url: s.callbackUrl,
          fields: s.fields,
          active: s.active,
        })),
      }));
      const pages = [...this.platform.webhooks.pages].map(([page, installs]) => ({
        page,
        apps: [...installs].map(([app, fields]) => ({ app, subscribed_fields: fields })),
      }));
      send(res, 200, { apps, pages });
    } else if (method === 'POST' && path === '/webhook') {
      if (typeof json.url !== 'string' || typeof json.verifyToken !== 'string') {
        send(res, 400, { error: 'needs {"url":"http://127.0.0.1:…","verifyToken":"…"}' });
        return;
      }
      const result = await this.subscribeWebhook(
        json.url,
        json.verifyToken,
        typeof json.waitMs === 'number' ? Math.min(json.waitMs, 120_000) : 0,
      );
      send(res, result.ok ? 200 : 400, result.ok ? { ok: true } : { error: result.message });
    } else if (method === 'POST' && path === '/clock') {
      const step =
        typeof json.advanceMs === 'number' ? json.advanceMs : typeof json.advanceHours === 'number' ? json.advanceHours * 3_600_000 : 0;
      this.world.clockOffsetMs += step;
      send(res, 200, { now: this.world.clock(), iso: new Date(this.world.clock()).toISOString() });
    } else if (method === 'GET' && path === '/state') {
      send(res, 200, {
        url: this.origin,
        credentials: this.credentials(),
        requests: this.log.length,
        maxInFlight: this.maxInFlight,
        faults: this.faults.list(),
      });
    } else if (method === 'GET' && path === '/calls') {
      send(res, 200, this.calls());
    } else if (method === 'GET' && path === '/requests') {
      send(res, 200, { requests: this.log.map(({ raw: _raw, ...entry }) => entry), maxInFlight: this.maxInFlight });
    } else if (method === 'POST' && path === '/reset') {
      this.reset();
      send(res, 200, { ok: true });
    } else if (method === 'POST' && path === '/faults') {
      this.faults.add(...((json.rules ?? []) as FaultRule[]));
      send(res, 200, { ok: true, faults: this.faults.list() });
    } else if (method === 'POST' && path === '/token') {
      const record = this.world.tokens.get(typeof json.token === 'string' ? json.token : '');
      if (!record) {
        send(res, 404, { error: 'unknown token' });
        return;
      }
      if (json.reissue) {
        // A fresh token for the same user, Page or app, as Graph API Explorer would hand out.
        const token =
          typeof json.value === 'string' && json.value.length >= 32
            ? json.value
            : `${record.token.split('-').slice(0, 2).join('-')}-reissued-${randomBytes(18).toString('base64url')}`;
        this.world.addToken({
          ...record,
          token,
          valid: true,
          invalidSubcode: undefined,
          expiresAt: record.expiresAt > 0 ? Math.floor(this.world.now / 1000) + 60 * 86_400 : 0,
        });
        send(res, 200, { ok: true, token });
        return;
      }
      if (json.expire) {
        record.expiresAt = Math.floor(this.world.now / 1000) - 60;
      }
      if (typeof json.invalidSubcode === 'number') {
        record.valid = false;
        record.invalidSubcode = json.invalidSubcode;
      }
      send(res, 200, { ok: true });
    } else if (method === 'POST' && path === '/settings') {
      Object.assign(this.settings, json);
      if (typeof json.latencyMs === 'number') {
        this.latencyMs = json.latencyMs;
      }
      if (typeof json.itemCostMs === 'number') {
        this.itemCostMs = json.itemCostMs;
      }
      if (typeof json.cors === 'boolean') {
        this.cors = json.cors;
      }
      send(res, 200, { ok: true });
    } else {
      send(res, 404, { error: `unknown control endpoint ${method} ${path}` });
    }
  }
}

interface BatchOperation {
  method?: string;
  relative_url?: string;
  body?: unknown;
  name?: string;
  depends_on?: unknown;
  omit_response_on_success?: boolean;
}

const REFERENCE = /\{result=([^:}]+):(\$[^}]*)\}/g;
const ENCODED_REFERENCE = /%7Bresult%3D(.+?)%3A(%24.*?)%7D/gi;

function dependencies(op: BatchOperation): string[] {
  const d = op.depends_on;
  return typeof d === 'string' ? [d] : Array.isArray(d) ? d.filter((x): x is string => typeof x === 'string') : [];
}

function references(text: string): string[] {
  const names = [...text.matchAll(REFERENCE)].map((m) => m[1] ?? '');
  names.push(...[...text.matchAll(ENCODED_REFERENCE)].map((m) => decodeURIComponent(m[1] ?? '')));
  return names;
}

/** `{result=name:$.data.*.id}` → the values at that JSONPath of the named operation's answer, comma-separated. */
function resolveReferences(text: string, named: Map<string, { ok: boolean; body: unknown }>): string {
  const value = (name: string, path: string): string => {
    const done = named.get(name);
    if (!done) {
      throw new Error(`The batch operation "${name}" referenced here does not exist or has not run yet`);
    }
    if (!done.ok) {
      throw new Error(`The batch operation "${name}" referenced here failed`);
    }
    return jsonPath(done.body, path)
      .map((v) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v)).replace(/%2C/g, ','))
      .join(',');
  };
  return text
    .replace(REFERENCE, (_m, name: string, path: string) => value(name, path))
    .replace(ENCODED_REFERENCE, (_m, name: string, path: string) => value(decodeURIComponent(name), decodeURIComponent(path)));
}

/** The JSONPath subset Meta's batch doc uses: `$.a.b`, `$.data.0.id`, `$.data[0].id`, `$.data.*.id`. */
export function jsonPath(root: unknown, path: string): unknown[] {
  if (!path.startsWith('$')) {
    throw new Error(`Invalid JSONPath ${path}`);
  }
  const steps = path
    .slice(1)
    .replace(/\[(\d+|\*)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object') {
        continue;
      }
      const list: readonly unknown[] | undefined = Array.isArray(v) ? (v as unknown[]) : undefined;
      if (step === '*') {
        next.push(...(list ?? Object.values(v)));
      } else if (list) {
        if (/^\d+$/.test(step) && list[Number(step)] !== undefined) {
          next.push(list[Number(step)]);
        }
      } else if (step in v) {
        next.push((v as Record<string, unknown>)[step]);
      }
    }
    current = next;
  }
  return current;
}

/** Parameters of a POST body: form-urlencoded, multipart/form-data (curl -F, as Meta's batch doc) or JSON. */
function parseBody(raw: string, contentType: string | undefined): { params: URLSearchParams; kind: 'form' | 'json' } {
  const type = (contentType ?? '').toLowerCase();
  const trimmed = raw.trim();
  if (type.includes('application/json') || (!type && trimmed.startsWith('{'))) {
    const params = new URLSearchParams();
    let json: unknown;
    try {
      json = trimmed ? JSON.parse(trimmed) : {};
    } catch {
      return { params, kind: 'json' };
    }
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      for (const [k, v] of Object.entries(json)) {
        if (v !== undefined && v !== null) {
          params.set(k, typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
        }
      }
    }
    return { params, kind: 'json' };
  }
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (boundary) {
    const params = new URLSearchParams();
    for (const part of raw.split(`--${boundary}`)) {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) {
        continue;
      }
      const head = part.slice(0, split);
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      if (name === undefined || /filename=/i.test(head)) {
        continue;
      }
      params.set(name, part.slice(split + 4).replace(/\r\n$/, ''));
    }
    return { params, kind: 'form' };
  }
  return { params: new URLSearchParams(raw), kind: 'form' };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function redactToken(token: string): string {
  return token.length <= 12 ? '[REDACTED]' : `${token.slice(0, 8)}…[REDACTED]`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 5 * 1024 * 1024) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

/**
 * Text as written and percent-decoded, up to three times (a token encoded twice is still a token). Each run of
 * escapes is decoded on its own, so one malformed escape elsewhere (`?q=100%`) does not hide an encoded token.
 */
function readings(text: string): string[] {
  const forms = [text];
  for (let i = 0; i < 3; i++) {
    const previous = forms[forms.length - 1] ?? text;
    const decoded = previous.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      }
    });
    if (decoded === previous) {
      break;
    }
    forms.push(decoded);
  }
  return forms;
}

function redactedQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    out[k] = ['access_token', 'appsecret_proof', 'client_secret', 'fb_exchange_token', 'input_token'].includes(k) ? '[REDACTED]' : v;
  }
  return out;
}

/** Headers a client reads from Graph responses; a browser hides them unless they are exposed. */
const EXPOSED_HEADERS = [
  'x-app-usage',
  'x-business-use-case-usage',
  'x-page-usage',
  'retry-after',
  'www-authenticate',
  'x-fb-trace-id',
  'facebook-api-version',
];

/** CORS for web extension hosts (vscode.dev, code-server's web worker), including Chrome's Private Network Access preflight. */
function allowCrossOrigin(req: IncomingMessage, res: ServerResponse, origin: string): void {
  res.setHeader('access-control-allow-origin', origin);
  if (origin !== '*') {
    res.setHeader('vary', 'Origin');
  }
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'authorization, content-type');
    res.setHeader('access-control-max-age', '86400');
    if (req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('access-control-allow-private-network', 'true');
    }
  }
}

/** The approval page: inert (no scripts, no frames, forms only to itself). */
function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=UTF-8',
    'content-length': String(Buffer.byteLength(html)),
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(html);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function headerPairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    out.push([raw[i] ?? '', raw[i + 1] ?? '']);
  }
  return out;
}
