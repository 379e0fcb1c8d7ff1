import { HostProblem } from './hosts';
import type { GraphReach } from './reach';
import { Usage } from './usage';

/** What went wrong, in terms of what the user should do about it. */
export type GraphErrorKind =
  | 'invalidToken'
  | 'appSecretProof'
  | 'permission'
  | 'businessReview'
  | 'rateLimited'
  | 'transient'
  | 'notFound'
  | 'messageUnavailable'
  | 'badRequest'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'malformed'
  | 'hostRefused'
  /** 368: temporarily blocked for a policy violation; wait before trying again. */
  | 'blocked'
  /** 551 (and 200/1545041): the person cannot receive messages now; do not retry. */
  | 'unavailable';

/**
 * Who wrote an error's `message`, when the user may see it: Meta (the words of its error envelope) or
 * the glue (already in the user's language). Absent: the core wrote it in English for the log, and
 * the user sees a text built in the glue from the kind and the facts.
 */
export type GraphErrorAuthor = 'meta' | 'localized';

/** Why a host was refused: the host setting's problem, a redirect, or a token stored for another host. */
export type HostRefusal = HostProblem | 'redirect' | 'otherHost';

export interface GraphErrorDetails {
  readonly kind: GraphErrorKind;
  /** For the log; shown to the user only when `said` names who wrote it. */
  readonly message: string;
  readonly said?: GraphErrorAuthor;
  readonly httpStatus?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly fbtraceId?: string;
  readonly isTransient?: boolean;
  readonly userTitle?: string;
  readonly userMessage?: string;
  readonly usage?: Usage;
  /** Milliseconds to wait before trying again, from Retry-After or estimated_time_to_regain_access. */
  readonly retryAfterMs?: number;
  /** For malformed responses: the field that was missing or of the wrong type. */
  readonly field?: string;
  /** How many times the request was sent before this failure was final (retries included). */
  readonly attempts?: number;
  /** For timeouts: how long one attempt waited, in milliseconds. */
  readonly timeoutMs?: number;
  /** For network failures: the origin that could not be reached. */
  readonly origin?: string;
  /** For network failures in a browser: what a probe of the host found (nothing answers, or it refuses browsers). */
  readonly reach?: GraphReach;
  /** For calls paused by a rate limit: when they may go out again (epoch ms). */
  readonly pausedUntil?: number;
  /** For hostRefused: why. */
  readonly hostRefusal?: HostRefusal;
  /** For hostRefused: the host that was refused. */
  readonly host?: string;
}

/** Rate-limit codes: app (4), user (17), Page (32), custom (613), business use case (80001-80014). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const TOKEN_CODES = new Set([102, 190, 104, 2500]);

/** One error type for every failure of a Graph call, classified so the UI can say what to do. */
export class GraphError extends Error {
  readonly kind: GraphErrorKind;
  readonly said?: GraphErrorAuthor;
  readonly httpStatus?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly fbtraceId?: string;
  readonly isTransient: boolean;
  readonly userTitle?: string;
  readonly userMessage?: string;
  readonly usage?: Usage;
  readonly retryAfterMs?: number;
  readonly field?: string;
  readonly attempts?: number;
  readonly timeoutMs?: number;
  readonly origin?: string;
  readonly reach?: GraphReach;
  readonly pausedUntil?: number;
  readonly hostRefusal?: HostRefusal;
  readonly host?: string;

  constructor(details: GraphErrorDetails) {
    super(details.message);
    this.name = 'GraphError';
    this.kind = details.kind;
    this.said = details.said;
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.subcode = details.subcode;
    this.type = details.type;
    this.fbtraceId = details.fbtraceId;
    this.isTransient = details.isTransient ?? details.kind === 'transient';
    this.userTitle = details.userTitle;
    this.userMessage = details.userMessage;
    this.usage = details.usage;
    this.retryAfterMs = details.retryAfterMs;
    this.field = details.field;
    this.attempts = details.attempts;
    this.timeoutMs = details.timeoutMs;
    this.origin = details.origin;
    this.reach = details.reach;
    this.pausedUntil = details.pausedUntil;
    this.hostRefusal = details.hostRefusal;
    this.host = details.host;
  }

  /** The same failure with more facts (the scheduler adds how many attempts were made). */
  with(facts: Partial<Pick<GraphErrorDetails, 'attempts'>>): GraphError {
    // The facts are the error's own fields; `message` is an Error's non-enumerable own property.
    return new GraphError({ ...this, message: this.message, ...facts });
  }

  /** Worth retrying automatically (with backoff): never token, permission or request errors. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'network' || this.kind === 'timeout' || this.kind === 'rateLimited';
  }
}

/** Any failure as a GraphError: one place decides what an unexpected throw means (a response we could not read). */
export function asGraphError(error: unknown): GraphError {
  if (error instanceof GraphError) {
    return error;
  }
  return new GraphError({ kind: 'malformed', message: error instanceof Error ? error.message : String(error) });
}

export function isRateLimitCode(code: number): boolean {
  return RATE_LIMIT_CODES.has(code) || (code >= 80001 && code <= 80014);
}

/** Maps Meta's error envelope fields to a kind, following the error-handling guide. */
export function classify(
  code: number | undefined,
  subcode: number | undefined,
  message: string,
  httpStatus: number,
  isTransient: boolean | undefined,
): GraphErrorKind {
  const text = message.toLowerCase();
  if (code === undefined) {
    return kindOfStatus(httpStatus);
  }
  if (TOKEN_CODES.has(code) && !(code === 2500 && !text.includes('access token'))) {
    return 'invalidToken';
  }
  if (isRateLimitCode(code)) {
    return 'rateLimited';
  }
  if (text.includes('appsecret_proof')) {
    return 'appSecretProof';
  }
  if (code === 200 && text.includes('review')) {
    return 'businessReview';
  }
  if (code === 803 || (code === 100 && subcode === 33)) {
    return 'notFound';
  }
  if (code === 100 && text.includes('deleted')) {
    return 'messageUnavailable';
  }
  if (code === 368) {
    return 'blocked';
  }
  if (code === 551 || subcode === 1545041) {
    return 'unavailable';
  }
  if (code === 10 || code === 3 || (code >= 200 && code <= 299) || code === 230) {
    return 'permission';
  }
  if (code === 1 || code === 2 || isTransient === true || httpStatus >= 500) {
    return 'transient';
  }
  return 'badRequest';
}

/** A failure with an HTTP status and no Graph error code. */
function kindOfStatus(httpStatus: number): GraphErrorKind {
  if (httpStatus >= 500) {
    return 'transient';
  }
  return httpStatus === 404 ? 'notFound' : 'badRequest';
}
