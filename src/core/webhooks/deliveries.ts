/**
 * The local simulator's webhook delivery log (`GET /__simulator/deliveries`), as the Webhook
 * Deliveries view shows it. Decoded defensively: the simulator may be another version.
 */

export type DeliveryState = 'pending' | 'retrying' | 'delivered' | 'failed';

export interface DeliveryAttempt {
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs?: number;
}

export interface DeliveryRecord {
  readonly id: string;
  /** The webhook fields it carries (`messages`, `message_echoes`…), one per event, without repeats. */
  readonly fields: readonly string[];
  /** `page` or `instagram`. */
  readonly object: string;
  readonly url: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  /** HTTP status of the last attempt; 0 or undefined: no HTTP answer (yet). */
  readonly httpStatus?: number;
  readonly latencyMs?: number;
  readonly error?: string;
  readonly redeliveryOf?: string;
  readonly createdAt: string;
  /** The bot's last response body, as the simulator kept it (truncated there). */
  readonly responseBody?: string;
  readonly attemptLog: readonly DeliveryAttempt[];
}

export interface DeliveryDetail extends DeliveryRecord {
  /** The POSTed JSON, parsed (or the raw text when it is not JSON). */
  readonly payload: unknown;
}

const STATES: readonly DeliveryState[] = ['pending', 'retrying', 'delivered', 'failed'];

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** One entry of the log, or undefined when it is not one. */
export function decodeDelivery(raw: unknown): DeliveryRecord | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const id = str(r.id);
  if (!id) {
    return undefined;
  }
  const events = Array.isArray(r.events) ? r.events : [];
  const fields = [
    ...new Set(events.map((e) => str((e as Record<string, unknown> | null)?.field)).filter((f): f is string => f !== undefined)),
  ];
  const state = STATES.find((s) => s === r.status) ?? 'pending';
  const log = Array.isArray(r.attempt_log) ? r.attempt_log : [];
  return {
    id,
    fields,
    object: str(r.object) ?? 'page',
    url: str(r.url) ?? '',
    state,
    attempts: num(r.attempts) ?? 0,
    httpStatus: num(r.http_status),
    latencyMs: num(r.latency_ms),
    error: str(r.error),
    redeliveryOf: str(r.redelivery_of),
    createdAt: str(r.created_at) ?? '',
    responseBody: str(r.response_body),
    attemptLog: log
      .filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null)
      .map((a) => ({ at: str(a.at) ?? '', status: num(a.status), error: str(a.error), latencyMs: num(a.latencyMs) })),
  };
}

/** The log as `GET /__simulator/deliveries` answers it, newest first. */
export function decodeDeliveryList(body: unknown): DeliveryRecord[] {
  const list = (body as { deliveries?: unknown } | null)?.deliveries;
  if (!Array.isArray(list)) {
    return [];
  }
  return list
    .map(decodeDelivery)
    .filter((d): d is DeliveryRecord => d !== undefined)
    .reverse();
}

/** One delivery with its payload, as `GET /__simulator/deliveries/{id}` answers it. */
export function decodeDeliveryDetail(body: unknown): DeliveryDetail | undefined {
  const record = decodeDelivery(body);
  if (!record) {
    return undefined;
  }
  const r = body as Record<string, unknown>;
  return { ...record, payload: 'payload' in r ? r.payload : str(r.body) };
}

/** The status a person reads first: the HTTP status when the bot answered, else the state. */
export function deliveryStatusCode(d: DeliveryRecord): number | undefined {
  return d.httpStatus !== undefined && d.httpStatus > 0 ? d.httpStatus : undefined;
}
