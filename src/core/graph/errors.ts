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
  | 'hostRefused';

export interface GraphErrorDetails {
  readonly kind: GraphErrorKind;
  readonly message: string;
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
}

const HINTS: Record<GraphErrorKind, string> = {
  invalidToken: 'The access token is invalid or has expired: update it with "Messenger Explorer: Update Token".',
  appSecretProof: 'The app requires appsecret_proof: add the app (App ID and App Secret) that manages this Page, or check that its secret is current.',
  permission: 'The token lacks a permission or Page task this call needs (for example pages_messaging or MESSAGING): grant it and update the token.',
  businessReview: 'Meta is reviewing your business for this API (it can take about 48 hours after the first call): wait, then try again.',
  rateLimited: 'Meta is rate-limiting these calls: Messenger Explorer pauses them until access is regained.',
  transient: 'Meta reported a temporary problem: try again in a moment.',
  notFound: 'The ID does not exist, was deleted, or is not visible to this token: check the ID and which account you use.',
  messageUnavailable: 'Instagram only returns details of the 20 most recent messages of a thread; older messages are reported as deleted.',
  badRequest: 'The Graph API rejected the request: check the ID and parameters.',
  network: 'The Graph API could not be reached: check your connection and proxy settings (http.proxy).',
  timeout: 'The Graph API did not answer in time: try again, or raise "messengerExplorer.requestTimeoutSeconds".',
  cancelled: 'The request was cancelled.',
  malformed: 'The Graph API answered with something that is not the expected JSON: try again, and report it if it persists.',
  hostRefused: 'Tokens are only sent to graph.facebook.com, graph.instagram.com or a local simulator on a loopback address.',
};

/** Rate-limit codes: app (4), user (17), Page (32), custom (613), business use case (80001-80014). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const TOKEN_CODES = new Set([102, 190, 104, 2500]);

/** One error type for every failure of a Graph call, classified so the UI can say what to do. */
export class GraphError extends Error {
  readonly kind: GraphErrorKind;
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

  constructor(details: GraphErrorDetails) {
    super(details.message);
    this.name = 'GraphError';
    this.kind = details.kind;
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
  }

  /** One line telling the user what to do. */
  get hint(): string {
    return HINTS[this.kind];
  }

  /** Worth retrying automatically (with backoff): never token, permission or request errors. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'network' || this.kind === 'timeout' || this.kind === 'rateLimited';
  }

  /** The message and hint, with Meta's code and trace id for support requests. */
  describe(): string {
    const codes = this.code === undefined ? '' : ` (code ${this.code}${this.subcode === undefined ? '' : `/${this.subcode}`}${this.fbtraceId ? `, fbtrace_id ${this.fbtraceId}` : ''})`;
    const text = this.userMessage ?? this.message;
    return `${text}${codes}. ${this.hint}`;
  }
}

export function hintFor(kind: GraphErrorKind): string {
  return HINTS[kind];
}

export function isRateLimitCode(code: number): boolean {
  return RATE_LIMIT_CODES.has(code) || (code >= 80001 && code <= 80014);
}

/** Maps Meta's error envelope fields to a kind, following the error-handling guide. */
export function classify(code: number | undefined, subcode: number | undefined, message: string, httpStatus: number, isTransient: boolean | undefined): GraphErrorKind {
  const text = message.toLowerCase();
  if (code === undefined) {
    return httpStatus >= 500 ? 'transient' : httpStatus === 404 ? 'notFound' : 'badRequest';
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
  if (code === 10 || code === 3 || (code >= 200 && code <= 299) || code === 230 || code === 368 || code === 551) {
    return 'permission';
  }
  if (code === 1 || code === 2 || isTransient === true || httpStatus >= 500) {
    return 'transient';
  }
  return 'badRequest';
}
