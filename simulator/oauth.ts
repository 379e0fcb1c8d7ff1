import { randomBytes, timingSafeEqual } from 'node:crypto';
import { errors, graphError, GraphErrorBody } from './graphError';
import { App, clientToken, DEMO_USER_TOKEN, FbPage, PAGE_SCOPES, TokenRecord, World } from './world';

/**
 * Getting tokens the way Meta hands them out: the long-lived exchange and app tokens
 * (`/oauth/access_token`), Login for Devices (`/device/login`, `/device/login_status`) and the page
 * where the demo person enters a device's code (`/device`). Facts and their sources: README,
 * "Tokens, sign-in and their sources".
 */
export interface OAuthSettings {
  /** `expires_in` of a device code, s (Meta's example: 420). */
  deviceCodeExpiresIn: number;
  /** `interval` of a device code, s: polling sooner answers "slow down" (Meta: 5). */
  devicePollInterval: number;
  /** Lifetime of a user token from Login for Devices, s. [UNCONFIRMED]: short-lived here (1 hour) so the exchange is testable. */
  deviceTokenLifetimeS: number;
  /** Lifetime of a long-lived user token from the exchange, s (Meta: "about 60 days"). */
  longLivedTokenLifetimeS: number;
  /**
   * Days a Page token read with a long-lived user token lasts; 0: it never expires. Meta's pages
   * disagree (Pages "Access Tokens": no expiration date; "Expiration and Extension": 60 days).
   */
  longLivedPageTokenDays: number;
}

export function defaultOAuthSettings(): OAuthSettings {
  return {
    deviceCodeExpiresIn: 420,
    devicePollInterval: 5,
    deviceTokenLifetimeS: 3600,
    longLivedTokenLifetimeS: 60 * 86_400,
    longLivedPageTokenDays: 0,
  };
}

/** The scopes the simulator knows; asking for another is refused as Meta's login dialog does. */
const KNOWN_SCOPES = new Set([
  'public_profile',
  'email',
  'pages_show_list',
  'pages_messaging',
  'pages_read_engagement',
  'pages_manage_metadata',
  'instagram_basic',
  'instagram_manage_messages',
  'business_management',
]);

interface DeviceRequest {
  readonly code: string;
  readonly userCode: string;
  readonly appId: string;
  readonly scopes: string[];
  readonly createdMs: number;
  readonly expiresInS: number;
  readonly intervalS: number;
  state: 'pending' | 'approved' | 'declined';
  lastPollMs?: number;
}

export interface OAuthAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface PageAnswer {
  readonly status: number;
  readonly html: string;
}

/** A user token lasting more than two days counts as long-lived (short-lived ones last "an hour or two"). */
function isLongLived(record: TokenRecord): boolean {
  return record.expiresAt === 0 || record.expiresAt - record.issuedAt > 2 * 86_400;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const DEVICE_TEXTS = {
  pending: {
    message: 'This request requires the user to take a pending action',
    error_user_title: 'Device Login Authorization Pending',
    error_user_msg: 'User has not yet authorized your application. Continue polling.',
  },
  slowDown: {
    message: 'User request limit reached',
    error_user_title: 'OAuth Device Excessive Polling',
    error_user_msg: 'Your device is polling too frequently. Space your requests with a minium interval of 5 seconds.',
  },
  expired: {
    message: 'The session has expired',
    error_user_title: 'Activation Code Expired',
    error_user_msg: 'The code you entered has expired. Please go back to your device for a new code and try again.',
  },
};

export class OAuthEndpoints {
  private readonly devices = new Map<string, DeviceRequest>();
  private readonly derivedPageTokens = new Map<string, string>();
  /** Hidden in the approval form and required back: another site cannot post it (CSRF). */
  private readonly formKey = randomBytes(18).toString('base64url');

  constructor(
    private readonly world: World,
    private readonly settings: OAuthSettings,
  ) {}

  private nowS(): number {
    return Math.floor(this.world.clock() / 1000);
  }

  /** `/oauth/access_token`, `/device/login`, `/device/login_status`; undefined for any other path. */
  handle(method: string, path: string, params: URLSearchParams, token: string | undefined): OAuthAnswer | undefined {
    switch (path) {
      case 'oauth/access_token':
        return this.accessToken(params);
      case 'device/login':
        return method === 'POST' ? this.deviceLogin(params, token) : errors.unsupportedGet('device');
      case 'device/login_status':
        return method === 'POST' ? this.loginStatus(params, token) : errors.unsupportedGet('device');
      default:
        return undefined;
    }
  }

  private accessToken(params: URLSearchParams): OAuthAnswer {
    const grant = params.get('grant_type');
    if (grant !== 'fb_exchange_token' && grant !== 'client_credentials') {
      // Synthetic text: the authorization-code grant needs a redirect and is not simulated.
      return errors.badParam(`Unsupported grant_type: ${grant ?? '(none)'}`);
    }
    for (const name of ['client_id', 'client_secret', ...(grant === 'fb_exchange_token' ? ['fb_exchange_token'] : [])]) {
      if (!params.get(name)) {
        return graphError(400, 100, `Missing ${name} parameter.`);
      }
    }
    const app = this.world.app(params.get('client_id') ?? '');
    if (!app) {
      return graphError(400, 101, 'Error validating application. Invalid application ID.');
    }
    if (!sameText(params.get('client_secret') ?? '', app.secret)) {
      return graphError(400, 1, 'Error validating client secret.');
    }
    if (grant === 'client_credentials') {
      return { status: 200, body: { access_token: `${app.id}|${app.secret}`, token_type: 'bearer' } };
    }
    const record = this.world.tokens.get(params.get('fb_exchange_token') ?? '');
    if (!record) {
      return errors.invalidToken();
    }
    if (!record.valid) {
      return errors.invalidToken(record.invalidSubcode ?? 467);
    }
    if (record.expiresAt > 0 && record.expiresAt * 1000 < this.world.clock()) {
      return errors.expiredToken();
    }
    if (record.kind !== 'user' || record.appId !== app.id) {
      // Synthetic: Meta's answer for a token of another app or kind is not documented.
      return errors.badParam('The fb_exchange_token must be a user access token issued for this app (simulator text).');
    }
    const now = this.nowS();
    const token = `SIM-user-ll-${randomBytes(24).toString('base64url')}`;
    const expiresIn = this.settings.longLivedTokenLifetimeS;
    this.world.addToken({ ...record, token, valid: true, invalidSubcode: undefined, issuedAt: now, expiresAt: now + expiresIn });
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: expiresIn } };
  }

  /** The app of a client access token `APP_ID|CLIENT_TOKEN`, or Meta's invalid-token error. */
  private clientApp(token: string | undefined): App | GraphErrorBody {
    const [id, presented] = (token ?? '').split('|');
    const app = this.world.app(id ?? '');
    if (!token) {
      return errors.noToken();
    }
    if (!app || !presented || !sameText(presented, clientToken(app))) {
      return errors.invalidToken();
    }
    return app;
  }

  private deviceLogin(params: URLSearchParams, token: string | undefined): OAuthAnswer {
    const app = this.clientApp(token);
    if ('status' in app) {
      return app;
    }
    const scopes = (params.get('scope') ?? 'public_profile')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
    if (unknown.length > 0) {
      return errors.badParam(`Invalid Scopes: ${unknown.join(', ')}`);
    }
    const code = randomBytes(16).toString('hex');
    const userCode = newUserCode();
    const request: DeviceRequest = {
      code,
      userCode,
      appId: app.id,
      scopes,
      createdMs: this.world.clock(),
      expiresInS: this.settings.deviceCodeExpiresIn,
      intervalS: this.settings.devicePollInterval,
      state: 'pending',
    };
    this.devices.set(code, request);
    return {
      status: 200,
      body: {
        code,
        user_code: userCode,
        verification_uri: `${this.origin}/device`,
        expires_in: request.expiresInS,
        interval: request.intervalS,
      },
    };
  }

  /** The origin the approval page is served on (set by the server once it listens). */
  origin = 'http://127.0.0.1';

  private loginStatus(params: URLSearchParams, token: string | undefined): OAuthAnswer {
    const app = this.clientApp(token);
    if ('status' in app) {
      return app;
    }
    const request = this.devices.get(params.get('code') ?? '');
    if (!request || request.appId !== app.id) {
      // Synthetic: an unknown or already used code.
      return errors.badParam('The parameter code is invalid (unknown or already used).');
    }
    const now = this.world.clock();
    if (now > request.createdMs + request.expiresInS * 1000) {
      this.devices.delete(request.code);
      return graphError(400, 463, DEVICE_TEXTS.expired.message, { error_subcode: 1349152, ...userTexts(DEVICE_TEXTS.expired) });
    }
    const tooSoon = request.lastPollMs !== undefined && now - request.lastPollMs < request.intervalS * 1000 - 50;
    request.lastPollMs = now;
    if (tooSoon) {
      return graphError(400, 17, DEVICE_TEXTS.slowDown.message, { error_subcode: 1349172, ...userTexts(DEVICE_TEXTS.slowDown) });
    }
    if (request.state === 'pending') {
      return graphError(400, 31, DEVICE_TEXTS.pending.message, { error_subcode: 1349174, ...userTexts(DEVICE_TEXTS.pending) });
    }
    this.devices.delete(request.code);
    if (request.state === 'declined') {
      // Synthetic: Meta documents no "declined" answer.
      return graphError(400, 200, '(#200) The user declined the login request (simulator text).');
    }
    const user = this.world.users[0];
    const nowS = Math.floor(now / 1000);
    const accessToken = `SIM-user-device-${randomBytes(24).toString('base64url')}`;
    this.world.addToken({
      token: accessToken,
      kind: 'user',
      appId: app.id,
      subjectId: user?.id ?? '',
      valid: true,
      issuedAt: nowS,
      expiresAt: nowS + this.settings.deviceTokenLifetimeS,
      scopes: request.scopes.filter((s) => s !== 'public_profile'),
    });
    return {
      status: 200,
      body: { access_token: accessToken, data_access_expiration_time: nowS + 90 * 86_400, expires_in: this.settings.deviceTokenLifetimeS },
    };
  }

  /**
   * The Page token `/me/accounts` hands out with this user token: the world's own for the demo
   * token; otherwise one that lasts as long as a short-lived user token, or (long-lived) never or
   * `longLivedPageTokenDays`.
   */
  pageTokenFor(auth: TokenRecord, page: FbPage): string {
    if (auth.kind !== 'user' || auth.token === DEMO_USER_TOKEN) {
      return page.accessToken;
    }
    const key = `${auth.token}\n${page.id}`;
    const known = this.derivedPageTokens.get(key);
    if (known) {
      return known;
    }
    const now = this.nowS();
    const days = this.settings.longLivedPageTokenDays;
    const token = `SIM-page-${page.id}-${randomBytes(18).toString('base64url')}`;
    this.world.addToken({
      token,
      kind: 'page',
      appId: auth.appId,
      subjectId: page.id,
      valid: true,
      issuedAt: now,
      expiresAt: isLongLived(auth) ? (days > 0 ? now + days * 86_400 : 0) : auth.expiresAt,
      scopes: [...PAGE_SCOPES],
    });
    this.derivedPageTokens.set(key, token);
    return token;
  }

  /** `GET /device` and `POST /device`: where the demo person enters a device's code and approves or declines. */
  approvalPage(method: string, query: URLSearchParams, form: URLSearchParams, origin: string | undefined): PageAnswer {
    const person = this.world.users[0]?.name ?? 'Demo Developer';
    if (method === 'POST') {
      if ((origin !== undefined && origin !== this.origin) || !sameText(form.get('form_key') ?? '', this.formKey)) {
        return { status: 403, html: page('Refused', '<p>This form was not sent from the simulator’s own page. Open /device again.</p>') };
      }
      const userCode = normalizeUserCode(form.get('user_code') ?? '');
      const request = this.pendingByUserCode(userCode);
      if (!request) {
        return { status: 400, html: page('Unknown code', `<p>No device is waiting for this code, or it has expired.</p>${this.form('')}`) };
      }
      const approve = form.get('action') === 'approve';
      request.state = approve ? 'approved' : 'declined';
      const app = this.world.app(request.appId);
      return {
        status: 200,
        html: page(
          approve ? 'Approved' : 'Declined',
          `<p id="result" data-result="${approve ? 'approved' : 'declined'}">${
            approve
              ? `${escapeHtml(person)} approved ${escapeHtml(app?.name ?? request.appId)}. Return to your device.`
              : `${escapeHtml(person)} declined ${escapeHtml(app?.name ?? request.appId)}.`
          }</p>`,
        ),
      };
    }
    const userCode = normalizeUserCode(query.get('user_code') ?? '');
    const request = userCode ? this.pendingByUserCode(userCode) : undefined;
    const app = request ? this.world.app(request.appId) : undefined;
    const detail = request
      ? `<p>${escapeHtml(app?.name ?? request.appId)} asks for: ${request.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>`
      : '';
    return {
      status: 200,
      html: page(
        'Log in to a device',
        `<p>Signed in as <strong>${escapeHtml(person)}</strong> (simulator). Enter the code your device shows.</p>${detail}${this.form(request ? userCode : '')}`,
      ),
    };
  }

  private pendingByUserCode(userCode: string): DeviceRequest | undefined {
    const now = this.world.clock();
    return [...this.devices.values()].find(
      (d) => d.userCode === userCode && d.state === 'pending' && now <= d.createdMs + d.expiresInS * 1000,
    );
  }

  private form(userCode: string): string {
    return `<form method="post" action="/device">
<input type="hidden" name="form_key" value="${escapeHtml(this.formKey)}">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" value="${escapeHtml(userCode)}" autocomplete="off" maxlength="16" required>
<button type="submit" name="action" value="approve">Approve</button>
<button type="submit" name="action" value="decline">Decline</button>
</form>`;
  }

  reset(): void {
    this.devices.clear();
  }
}

function userTexts(texts: { error_user_title: string; error_user_msg: string }): Record<string, string> {
  return { error_user_title: texts.error_user_title, error_user_msg: texts.error_user_msg };
}

/** Eight letters and digits without look-alikes (no 0/O, 1/I). */
function newUserCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

function normalizeUserCode(value: string): string {
  return value
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 16);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Graph API simulator</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}input{font-size:1.2rem;letter-spacing:.2em;text-transform:uppercase}button{margin:.5rem .5rem 0 0;font-size:1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
