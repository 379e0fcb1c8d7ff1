import { createHmac, randomInt } from 'node:crypto';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EventBus } from './events';
import { App, Platform, World } from './world';

/**
 * Webhooks as Meta delivers them: app subscriptions (`/{app-id}/subscriptions`), Page installs
 * (`/{page-id}/subscribed_apps`), the verification handshake, signed and batched POSTs, retries
 * with backoff and a delivery log.
 */

export interface WebhookSettings {
  /** How long the bot has to answer 200, in ms (Meta: "within 5 or less seconds"). */
  webhookTimeoutMs: number;
  /** Waits before each retry after a failed attempt, in ms; its length is the number of retries. */
  webhookRetryDelaysMs: number[];
  /** Also send the legacy `X-Hub-Signature: sha1=…` header. */
  webhookLegacySignature: boolean;
  /** Deliveries kept in the log. */
  deliveryLogSize: number;
}

export interface AppSubscription {
  readonly object: string;
  callbackUrl: string;
  verifyToken: string;
  fields: string[];
  active: boolean;
  readonly version: string;
}

/** One event for one Page (or Instagram account), before it is batched into a POST. */
export interface WebhookEvent {
  readonly pageId: string;
  readonly platform: Platform;
  /** The webhook field the event belongs to (`messages`, `message_echoes`, …). */
  readonly field: string;
  /** The item of `entry[].messaging`. */
  readonly messaging: Record<string, unknown>;
  readonly threadId?: string;
}

export interface DeliveryAttempt {
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs: number;
  readonly responseBody?: string;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

export interface Delivery {
  readonly id: string;
  readonly appId: string;
  readonly object: string;
  readonly url: string;
  /** What the POST carries: one item per `entry`. */
  readonly events: { field: string; pageId: string; threadId?: string; mid?: string }[];
  status: DeliveryStatus;
  attempts: number;
  /** Status of the last attempt (0: no HTTP answer). */
  httpStatus?: number;
  /** Time the last attempt took, in ms. */
  latencyMs?: number;
  /** The bot's last response body, truncated. */
  responseBody?: string;
  error?: string;
  readonly createdAt: string;
  nextAttemptAt?: string;
  readonly redeliveryOf?: string;
  readonly attemptLog: DeliveryAttempt[];
  /** The exact bytes POSTed (what the signatures cover). */
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Page webhook fields Meta lists for `subscribed_fields` (facebook-php-business-sdk PageSubscribedFieldsValues, a subset). */
export const PAGE_FIELDS = [
  'messages',
  'message_deliveries',
  'message_echoes',
  'message_reads',
  'message_reactions',
  'message_edits',
  'messaging_postbacks',
  'messaging_referrals',
  'messaging_optins',
  'messaging_optouts',
  'messaging_handovers',
  'messaging_policy_enforcement',
  'messaging_account_linking',
  'messaging_feedback',
  'messaging_game_plays',
  'response_feedback',
  'send_cart',
  'standby',
  'inbox_labels',
  'feed',
  'messaging_seen',
  'messaging_referral',
  'comments',
  'live_comments',
  'mentions',
  'story_insights',
  'messaging_handover',
];

/** The fields the simulator delivers, per object. */
export const DELIVERED_FIELDS: Record<string, string[]> = {
  page: ['messages', 'messaging_postbacks', 'message_echoes', 'message_deliveries', 'message_reads'],
  instagram: ['messages', 'messaging_postbacks', 'messaging_seen'],
};

const RESPONSE_BODY_LIMIT = 1024;
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Meta signs "an escaped unicode version of the payload, with lowercase hex digits" (`äöå` as
 * `\u00e4\u00f6\u00e5`) and escapes `/` as `\/`: the body is written that way, and signed as sent.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export function signatures(body: string, secret: string): { sha256: string; sha1: string } {
  return {
    sha256: `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`,
    sha1: `sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('hex')}`,
  };
}

/** Why a callback URL cannot be used, or undefined. The simulator only calls loopback addresses. */
export function callbackRefusal(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'callback_url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'callback_url must be an http(s) URL';
  }
  if (!LOOPBACK.test(url.hostname)) {
    return `the simulator only calls loopback callback URLs (127.0.0.1, localhost, [::1]), not ${url.hostname}`;
  }
  return undefined;
}

interface HttpAnswer {
  status: number;
  body: string;
  latencyMs: number;
  error?: string;
}

export class Webhooks {
  /** appId → object → subscription. */
  readonly apps = new Map<string, Map<string, AppSubscription>>();
  /** pageId → appId → subscribed_fields. */
  readonly pages = new Map<string, Map<string, string[]>>();
  readonly deliveries: Delivery[] = [];
  private readonly queued = new Map<string, WebhookEvent[]>();
  private flushScheduled = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<{ destroy: () => void }>();
  private nextId = 0;
  private stopped = false;

  constructor(
    private readonly world: World,
    private readonly settings: WebhookSettings,
    private readonly bus: EventBus,
  ) {}

  /** Meta's handshake: GET callback?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…, the challenge echoed with 200. */
  async verify(callbackUrl: string, verifyToken: string): Promise<{ ok: true } | { ok: false; message: string }> {
    const challenge = String(randomInt(1_000_000_000, 2_000_000_000));
    const url = new URL(callbackUrl);
    url.searchParams.set('hub.mode', 'subscribe');
    url.searchParams.set('hub.verify_token', verifyToken);
    url.searchParams.set('hub.challenge', challenge);
    const answer = await this.http('GET', url.toString(), undefined, {});
    if (answer.error !== undefined) {
      // curl_errno 28 is a time-out (seen in Meta's answers); 7 a refused connection (synthetic text).
      const timedOut = answer.error === 'timeout';
      return {
        ok: false,
        message: `(#2200) Callback verification failed with the following errors: curl_errno = ${timedOut ? 28 : 7}; curl_error = ${timedOut ? 'Operation timed out' : `Failed to connect: ${answer.error}`}; HTTP Status Code = 0; HTTP Message = Unknown`,
      };
    }
    if (answer.status !== 200) {
      return {
        ok: false,
        message: `(#2200) Callback verification failed with the following errors: HTTP Status Code = ${answer.status}; HTTP Message = ${statusText(answer.status)}`,
      };
    }
    if (answer.body.trim() !== challenge) {
      return {
        ok: false,
        message: `(#2200) Callback verification failed with the following errors: HTTP Status Code = 200; HTTP Message = OK; HTTP Response Body = ${answer.body.slice(0, 100)}; The URL couldn't be validated. Response does not match challenge, expected value="${challenge}", received="${answer.body.slice(0, 100)}"`,
      };
    }
    return { ok: true };
  }

  subscribeApp(
    appId: string,
    object: string,
    callbackUrl: string,
    verifyToken: string,
    fields: string[],
    version: string,
  ): AppSubscription {
    const byObject = this.apps.get(appId) ?? new Map<string, AppSubscription>();
    this.apps.set(appId, byObject);
    const existing = byObject.get(object);
    // A POST adds fields to an existing subscription of the object and updates its URL and token.
    const sub: AppSubscription = existing ?? { object, callbackUrl, verifyToken, fields: [], active: true, version };
    sub.callbackUrl = callbackUrl;
    sub.verifyToken = verifyToken;
    sub.fields = [...new Set([...sub.fields, ...fields])];
    sub.active = true;
    byObject.set(object, sub);
    this.bus.emit('subscription.changed', { app: appId, object, callback_url: callbackUrl, fields: sub.fields });
    return sub;
  }

  unsubscribeApp(appId: string, object: string | undefined, fields: string[] | undefined): void {
    const byObject = this.apps.get(appId);
    if (!byObject) {
      return;
    }
    for (const [name, sub] of byObject) {
      if (object !== undefined && name !== object) {
        continue;
      }
      sub.fields = fields ? sub.fields.filter((f) => !fields.includes(f)) : [];
      if (sub.fields.length === 0) {
        byObject.delete(name);
      }
    }
    this.bus.emit('subscription.changed', { app: appId, object: object ?? null, removed: fields ?? 'all' });
  }

  subscribePage(pageId: string, appId: string, fields: string[]): void {
    const apps = this.pages.get(pageId) ?? new Map<string, string[]>();
    this.pages.set(pageId, apps);
    apps.set(appId, [...new Set(fields)]);
    this.bus.emit('subscription.changed', { page: pageId, app: appId, subscribed_fields: fields });
  }

  unsubscribePage(pageId: string, appId: string): void {
    this.pages.get(pageId)?.delete(appId);
    this.bus.emit('subscription.changed', { page: pageId, app: appId, subscribed_fields: [] });
  }

  /**
   * Queues an event for every app that is installed on the Page with the field (`subscribed_apps`)
   * and subscribed to the object with the field; events queued in the same turn go out in one POST
   * per app and object, one `entry` each.
   */
  emit(event: WebhookEvent): void {
    const object = event.platform === 'instagram' ? 'instagram' : 'page';
    for (const [appId, pageFields] of this.pages.get(event.pageId) ?? []) {
      const sub = this.apps.get(appId)?.get(object);
      // Instagram fields are chosen on the app subscription; the Page install is what links the app (see README).
      const pageOk = object === 'instagram' || pageFields.includes(event.field);
      if (!sub?.active || !sub.fields.includes(event.field) || !pageOk) {
        continue;
      }
      const key = `${appId}\n${object}`;
      const list = this.queued.get(key) ?? [];
      list.push(event);
      this.queued.set(key, list);
    }
    if (!this.flushScheduled && this.queued.size > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = [...this.queued];
    this.queued.clear();
    if (this.stopped) {
      return;
    }
    for (const [key, events] of batches) {
      const [appId = '', object = 'page'] = key.split('\n');
      const app = this.world.app(appId);
      const sub = this.apps.get(appId)?.get(object);
      if (!app || !sub) {
        continue;
      }
      const time = this.world.clock();
      const payload = {
        object,
        entry: events.map((e) => ({
          id: object === 'instagram' ? (this.world.page(e.pageId)?.instagram?.id ?? e.pageId) : e.pageId,
          time,
          messaging: [e.messaging],
        })),
      };
      // `app_id` of an echo is a number in Meta's examples: written as one, digits intact.
      const body = metaJson(payload).replace(/"app_id":"(\d+)"/g, '"app_id":$1');
      const delivery = this.newDelivery(
        app,
        object,
        sub.callbackUrl,
        body,
        events.map((e) => ({
          field: e.field,
          pageId: e.pageId,
          ...(e.threadId ? { threadId: e.threadId } : {}),
          ...(typeof (e.messaging.message as { mid?: unknown } | undefined)?.mid === 'string'
            ? { mid: (e.messaging.message as { mid: string }).mid }
            : {}),
        })),
      );
      void this.attempt(delivery);
    }
  }

  private newDelivery(app: App, object: string, url: string, body: string, events: Delivery['events'], redeliveryOf?: string): Delivery {
    const sig = signatures(body, app.secret);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-hub-signature-256': sig.sha256,
      'user-agent': 'facebookexternalua',
    };
    if (this.settings.webhookLegacySignature) {
      headers['x-hub-signature'] = sig.sha1;
    }
    const delivery: Delivery = {
      id: `d_${++this.nextId}`,
      appId: app.id,
      object,
      url,
      events,
      status: 'pending',
      attempts: 0,
      createdAt: new Date().toISOString(),
      attemptLog: [],
      body,
      headers,
      ...(redeliveryOf ? { redeliveryOf } : {}),
    };
    this.deliveries.push(delivery);
    while (this.deliveries.length > Math.max(1, this.settings.deliveryLogSize)) {
      this.deliveries.shift();
    }
    this.bus.emit('delivery.created', summary(delivery));
    return delivery;
  }

  /** Sends the same bytes again, as a new delivery (the log keeps both). */
  redeliver(id: string): Delivery | undefined {
    const original = this.deliveries.find((d) => d.id === id);
    const app = original ? this.world.app(original.appId) : undefined;
    if (!original || !app) {
      return undefined;
    }
    const copy = this.newDelivery(app, original.object, original.url, original.body, original.events, original.id);
    void this.attempt(copy);
    return copy;
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (this.stopped) {
      return;
    }
    delivery.attempts++;
    delivery.nextAttemptAt = undefined;
    const answer = await this.http('POST', delivery.url, delivery.body, delivery.headers);
    if (this.stopped) {
      return;
    }
    const responseBody = answer.body.length > RESPONSE_BODY_LIMIT ? `${answer.body.slice(0, RESPONSE_BODY_LIMIT)}…` : answer.body;
    delivery.attemptLog.push({
      at: new Date().toISOString(),
      ...(answer.error === undefined ? { status: answer.status } : { error: answer.error }),
      latencyMs: answer.latencyMs,
      responseBody,
    });
    delivery.httpStatus = answer.status;
    delivery.latencyMs = answer.latencyMs;
    delivery.responseBody = responseBody;
    delivery.error = answer.error;
    // Meta asks for "a 200 OK HTTPS response": anything else, or no answer in time, is a failure.
    if (answer.error === undefined && answer.status === 200) {
      delivery.status = 'delivered';
    } else {
      const wait = this.settings.webhookRetryDelaysMs[delivery.attempts - 1];
      if (wait === undefined) {
        delivery.status = 'failed';
      } else {
        delivery.status = 'retrying';
        delivery.nextAttemptAt = new Date(Date.now() + wait).toISOString();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void this.attempt(delivery);
        }, wait);
        this.timers.add(timer);
      }
    }
    this.bus.emit('delivery.updated', summary(delivery));
  }

  /** One HTTP exchange with a bound on time; never throws. */
  private http(method: 'GET' | 'POST', raw: string, body: string | undefined, headers: Record<string, string>): Promise<HttpAnswer> {
    const started = Date.now();
    return new Promise((resolve) => {
      let done = false;
      const finish = (answer: Omit<HttpAnswer, 'latencyMs'>): void => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          this.inFlight.delete(handle);
          resolve({ ...answer, latencyMs: Date.now() - started });
        }
      };
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        resolve({ status: 0, body: '', error: 'invalid URL', latencyMs: 0 });
        return;
      }
      const refusal = callbackRefusal(raw);
      if (refusal) {
        resolve({ status: 0, body: '', error: refusal, latencyMs: 0 });
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method,
          agent: false,
          headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= 64 * 1024) {
              chunks.push(c);
            }
          });
          res.on('end', () => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.on('error', (e) => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), error: e.message }));
        },
      );
      const handle = { destroy: () => req.destroy() };
      this.inFlight.add(handle);
      const timer = setTimeout(() => {
        finish({ status: 0, body: '', error: 'timeout' });
        req.destroy();
      }, this.settings.webhookTimeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => finish({ status: 0, body: '', error: e.code ?? e.message }));
      req.end(body);
    });
  }

  /** Clears the delivery log (subscriptions stay). */
  clearLog(): void {
    this.deliveries.length = 0;
  }

  /** Stops retries and in-flight requests; nothing is sent after this. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const req of this.inFlight) {
      req.destroy();
    }
    this.inFlight.clear();
    this.queued.clear();
  }
}

/** What the change stream and the log list show of a delivery. */
export function summary(d: Delivery): Record<string, unknown> {
  return {
    id: d.id,
    app: d.appId,
    object: d.object,
    url: d.url,
    events: d.events,
    status: d.status,
    attempts: d.attempts,
    ...(d.httpStatus === undefined ? {} : { http_status: d.httpStatus }),
    ...(d.latencyMs === undefined ? {} : { latency_ms: d.latencyMs }),
    ...(d.error === undefined ? {} : { error: d.error }),
    ...(d.nextAttemptAt ? { next_attempt_at: d.nextAttemptAt } : {}),
    ...(d.redeliveryOf ? { redelivery_of: d.redeliveryOf } : {}),
    created_at: d.createdAt,
  };
}

/** The full record: the summary, each attempt, the bot's response (truncated), and the payload with its headers. */
export function detail(d: Delivery): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(d.body);
  } catch {
    payload = d.body;
  }
  return { ...summary(d), response_body: d.responseBody ?? null, attempt_log: d.attemptLog, headers: d.headers, body: d.body, payload };
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  };
  return texts[status] ?? 'Unknown';
}
