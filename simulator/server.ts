import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { FaultPlan, FaultRule } from './faults';
import { defaultSettings, GraphHandler, GraphResult, SimulatorSettings } from './graph';
import { errors, rateLimitText } from './graphError';
import { DEFAULT_LIMITS, RateLimiter, RateLimits } from './rateLimit';
import { Random } from './random';
import { World, WorldOptions } from './world';

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
}

export interface RequestLogEntry {
  readonly seq: number;
  readonly method: string;
  /** The path after the version, e.g. `t_123/messages`. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly tokenSource: 'header' | 'query' | 'form' | 'none';
  /** True when access_token travelled in the URL: clients should never do this. */
  readonly tokenInUrl: boolean;
  readonly tokenKind?: string;
  readonly status: number;
  readonly fault?: string;
  readonly batchSize?: number;
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
  /** Whether Graph paths answer browsers' cross-origin requests; control paths always do, so a browser test can switch it back. */
  cors: boolean;
  inFlight = 0;
  maxInFlight = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly handler: GraphHandler;
  private seq = 0;
  private origin = '';

  constructor(private readonly options: SimulatorOptions = {}) {
    this.world = new World(options);
    this.settings = { ...defaultSettings(), ...options.settings };
    const rnd = new Random((options.seed ?? 1) ^ 0x5eed);
    this.faults = new FaultPlan(options.faultRate ?? 0, () => rnd.next());
    this.limiter = new RateLimiter({ ...DEFAULT_LIMITS, ...options.limits });
    this.latencyMs = options.latencyMs ?? 0;
    this.cors = options.cors ?? true;
    this.handler = new GraphHandler(this.world, this.settings);
  }

  get url(): string {
    return this.origin;
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
    return this.origin;
  }

  async stop(): Promise<void> {
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
  }

  /** Demo credentials: what a new user connects with. */
  credentials(): { userToken: string; apps: { id: string; name: string; secret: string; businessId: string }[]; pages: { id: string; name: string; instagram?: string }[] } {
    return {
      userToken: this.world.users[0]?.token ?? '',
      apps: this.world.apps.map((a) => ({ id: a.id, name: a.name, secret: a.secret, businessId: a.businessId })),
      pages: this.world.pages.map((p) => ({ id: p.id, name: p.name, ...(p.instagram ? { instagram: p.instagram.id } : {}) })),
    };
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const url = new URL(req.url ?? '/', this.origin || 'http://127.0.0.1');
      const isControl = url.pathname.startsWith(CONTROL);
      if ((this.cors || isControl) && req.headers.origin !== undefined) {
        allowCrossOrigin(req, res);
        if (req.method === 'OPTIONS') {
          res.writeHead(204).end();
          return;
        }
      }
      const body = await readBody(req);
      if (isControl) {
        this.control(req.method ?? 'GET', url.pathname.slice(CONTROL.length), body, res);
        return;
      }
      await this.graph(req, res, url, body);
    } catch (error) {
      if (!res.headersSent) {
        send(res, 500, { error: { message: `Simulator error: ${error instanceof Error ? error.message : String(error)}`, type: 'OAuthException', code: 1, is_transient: true } });
      }
    } finally {
      this.inFlight--;
    }
  }

  private async graph(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const method = req.method ?? 'GET';
    const form = method === 'POST' ? new URLSearchParams(rawBody) : new URLSearchParams();
    const query = new URLSearchParams(url.searchParams);
    for (const [k, v] of form) {
      if (k !== 'batch') {
        query.set(k, v);
      }
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const version = /^v\d+\.\d+$/.test(parts[0] ?? '') ? (parts.shift() as string) : 'v26.0';
    const path = parts.join('/');
    const header = req.headers.authorization;
    const headerToken = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header)?.[1] : undefined;
    const token = headerToken ?? query.get('access_token') ?? undefined;
    const tokenSource = headerToken ? 'header' : url.searchParams.has('access_token') ? 'query' : form.has('access_token') ? 'form' : 'none';
    query.delete('access_token');
    const entry = { seq: ++this.seq, method, path, query: redactedQuery(url.searchParams), tokenSource, tokenInUrl: url.searchParams.has('access_token') } as const;

    if (this.latencyMs > 0) {
      await new Promise((r) => setTimeout(r, this.latencyMs));
    }

    const fault = this.faults.take(path);
    if (fault && this.applyTransportFault(fault, res)) {
      this.log.push({ ...entry, status: res.statusCode, fault: fault.kind });
      return;
    }

    const presented = { token, proof: query.get('appsecret_proof') ?? undefined, proofTime: query.get('appsecret_time') ?? undefined };
    query.delete('appsecret_proof');
    query.delete('appsecret_time');
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;

    if (method === 'POST' && parts.length === 0 && form.has('batch')) {
      const result = this.batch(form.get('batch') ?? '', version, presented, origin, form.get('include_headers') !== 'false');
      this.log.push({ ...entry, status: result.status, batchSize: Array.isArray(result.body) ? result.body.length : 0 });
      send(res, result.status, result.body, result.headers);
      return;
    }

    const result = fault?.kind === 'graphError' || fault?.kind === 'rateLimit'
      ? this.faultError(fault, presented.token)
      : this.handler.handle({ method, version, segments: parts, query, presented, origin, paging: { repeatCursor: fault?.kind === 'repeatCursor', emptyPageWithNext: fault?.kind === 'emptyPageWithNext' }, nowMs: Date.now() });
    const final = this.charge(result, fault);
    this.log.push({ ...entry, status: final.status, tokenKind: result.token?.kind, ...(fault ? { fault: fault.kind } : {}) });
    send(res, final.status, final.body, { 'facebook-api-version': version, 'x-fb-trace-id': `SIM${this.seq}`, 'x-fb-rev': '1', ...final.headers });
  }

  /** Charges a call to its token and adds Meta's usage headers; trips the real rate-limit codes. */
  private charge(result: GraphResult, fault: FaultRule | undefined): GraphResult {
    const token = result.token;
    if (!token) {
      return result;
    }
    const usage = this.limiter.record(token);
    const percent = fault?.kind === 'rateLimit' ? 100 : usage.percent;
    const regain = fault?.kind === 'rateLimit' ? 1 : usage.regainMinutes;
    const figures = { call_count: percent, total_cputime: Math.round(percent / 2), total_time: Math.round(percent / 2) };
    const headers: Record<string, string> = { ...result.headers };
    if (token.kind === 'page') {
      const business = result.businessObject ?? { id: token.subjectId, type: 'pages' as const };
      headers['x-business-use-case-usage'] = JSON.stringify({ [business.id]: [{ type: business.type, ...figures, estimated_time_to_regain_access: regain }] });
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

  /** An injected Graph error; a rate-limit fault is charged to the caller's own token so its usage headers are right. */
  private faultError(fault: FaultRule, presentedToken: string | undefined): GraphResult {
    const code = fault.code ?? 80006;
    const base = fault.kind === 'rateLimit'
      ? errors.rateLimit(code)
      : { status: fault.status ?? 400, body: { error: { message: fault.message ?? `(#${code}) Simulated error`, type: 'OAuthException', code, ...(fault.subcode === undefined ? {} : { error_subcode: fault.subcode }), fbtrace_id: 'SIMFAULT' } } };
    const token = presentedToken === undefined ? undefined : this.world.tokens.get(presentedToken);
    if (fault.kind === 'rateLimit') {
      base.body.error.message = fault.message ?? rateLimitText(code);
    }
    return { ...base, ...(fault.kind === 'rateLimit' && token ? { token } : {}) };
  }

  /** Faults below the Graph layer; returns true when the response has been handled. */
  private applyTransportFault(fault: FaultRule, res: ServerResponse): boolean {
    switch (fault.kind) {
      case 'status':
        send(res, fault.status ?? 500, { error: { message: fault.message ?? 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true, fbtrace_id: 'SIMFAULT' } }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
        return true;
      case 'html':
        res.writeHead(fault.status ?? 502, { 'content-type': 'text/html; charset=utf-8', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
        res.end('<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1></body></html>');
        return true;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.end('{"data": [{"id": "t_1", "updated_time": }');
        return true;
      case 'truncated': {
        const full = JSON.stringify({ data: [{ id: 't_1', updated_time: '2026-11-20T12:00:00+0000' }], paging: { cursors: { before: 'a', after: 'b' } } });
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

  private batch(raw: string, version: string, presented: { token?: string; proof?: string; proofTime?: string }, origin: string, includeHeaders: boolean): GraphResult {
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
    const out = items.map((item: unknown) => {
      const it = (item ?? {}) as { method?: string; relative_url?: string };
      const rel = new URL(`/${(it.relative_url ?? '').replace(/^\//, '')}`, 'http://x');
      const parts = rel.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (/^v\d+\.\d+$/.test(parts[0] ?? '')) {
        parts.shift();
      }
      const q = new URLSearchParams(rel.searchParams);
      const itemToken = q.get('access_token');
      q.delete('access_token');
      const itemPresented = itemToken ? { token: itemToken, proof: q.get('appsecret_proof') ?? undefined, proofTime: q.get('appsecret_time') ?? undefined } : presented;
      q.delete('appsecret_proof');
      q.delete('appsecret_time');
      const r = this.charge(this.handler.handle({ method: it.method ?? 'GET', version, segments: parts, query: q, presented: itemPresented, origin, paging: {}, nowMs: Date.now() }), undefined);
      return {
        code: r.status,
        ...(includeHeaders ? { headers: [{ name: 'Content-Type', value: 'text/javascript; charset=UTF-8' }, ...Object.entries(r.headers ?? {}).map(([name, value]) => ({ name, value }))] } : {}),
        body: JSON.stringify(r.body),
      };
    });
    return { status: 200, body: out };
  }

  private control(method: string, path: string, body: string, res: ServerResponse): void {
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (method === 'GET' && path === '/state') {
      send(res, 200, { url: this.origin, credentials: this.credentials(), requests: this.log.length, maxInFlight: this.maxInFlight, faults: this.faults.list() });
    } else if (method === 'GET' && path === '/requests') {
      send(res, 200, { requests: this.log, maxInFlight: this.maxInFlight });
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
        const token = typeof json.value === 'string' && json.value.length >= 32 ? json.value : `${record.token.split('-').slice(0, 2).join('-')}-reissued-${randomBytes(18).toString('base64url')}`;
        this.world.addToken({ ...record, token, valid: true, invalidSubcode: undefined, expiresAt: record.expiresAt > 0 ? Math.floor(this.world.now / 1000) + 60 * 86_400 : 0 });
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
      if (typeof json.cors === 'boolean') {
        this.cors = json.cors;
      }
      send(res, 200, { ok: true });
    } else {
      send(res, 404, { error: `unknown control endpoint ${method} ${path}` });
    }
  }
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

function redactedQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    out[k] = k === 'access_token' || k === 'appsecret_proof' ? '[REDACTED]' : v;
  }
  return out;
}

/** Headers a client reads from Graph responses; a browser hides them unless they are exposed. */
const EXPOSED_HEADERS = ['x-app-usage', 'x-business-use-case-usage', 'x-page-usage', 'retry-after', 'www-authenticate', 'x-fb-trace-id', 'facebook-api-version'];

/** CORS for web extension hosts (vscode.dev, code-server's web worker), including Chrome's Private Network Access preflight. */
function allowCrossOrigin(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
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

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
