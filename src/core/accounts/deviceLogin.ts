import { GraphError } from '../graph/errors';
import { realClock } from '../graph/scheduler';

/**
 * Meta's Login for Devices, without a redirect URL: the app asks for a code, the person enters
 * the user code on Facebook's device page and approves, the app polls until it gets a token.
 */

/** The permissions asked for at sign-in, each with the feature that needs it (reference A2/A3). */
export const SIGN_IN_SCOPES = [
  /** /me/accounts: the Pages the person manages, with their Page tokens. */
  'pages_show_list',
  /** Conversations API and the Send API (Write as the Page). */
  'pages_messaging',
  /** Conversations API: reading the Page's threads and messages. */
  'pages_read_engagement',
  /** Conversations API requirement for Messenger and Instagram threads. */
  'pages_manage_metadata',
  /** Instagram threads of a linked Instagram professional account. */
  'instagram_basic',
  /** Instagram Messaging: reading and sending Instagram messages. */
  'instagram_manage_messages',
  /** /me/accounts omits Pages a business owns unless this is granted. */
  'business_management',
] as const;

/** The app that signs in: its App ID and Client Token (App settings → Advanced). */
export interface LoginApp {
  readonly appId: string;
  readonly clientToken: string;
}

/** `APP_ID|CLIENT_TOKEN`: the client access token of Login for Devices. */
export function clientAccessToken(app: LoginApp): string {
  return `${app.appId}|${app.clientToken}`;
}

export interface DeviceCode {
  readonly code: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresIn: number;
  readonly interval: number;
}

export interface DeviceToken {
  readonly accessToken: string;
  readonly expiresIn?: number;
}

export type DeviceOutcome =
  { readonly kind: 'approved'; readonly token: DeviceToken } | { readonly kind: 'declined' } | { readonly kind: 'expired' };

/** Meta's subcodes for `/device/login_status` (Login for Devices, error table). */
export const DEVICE_PENDING = 1349174;
export const DEVICE_SLOW_DOWN = 1349172;
export const DEVICE_EXPIRED = 1349152;

export interface PollOptions {
  readonly signal?: AbortSignal;
  /** Waits `ms` or rejects when the signal aborts; injectable for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly nowMs?: () => number;
  /** Each answer while waiting: 'pending' or 'slowDown' (the interval grew). */
  readonly onWait?: (state: 'pending' | 'slowDown', intervalS: number) => void;
}

/**
 * Polls `check` every `interval` seconds (more after "slow down", as RFC 8628 does: +5 s) until
 * the person approves or declines, or the code expires. Other failures are thrown.
 */
export async function pollDeviceLogin(
  check: () => Promise<DeviceToken>,
  device: DeviceCode,
  options: PollOptions = {},
): Promise<DeviceOutcome> {
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => realClock.sleep(ms, signal));
  const now = options.nowMs ?? (() => Date.now());
  const deadline = now() + device.expiresIn * 1000;
  let interval = Math.max(1, device.interval);
  for (;;) {
    await sleep(interval * 1000, options.signal);
    if (now() > deadline) {
      return { kind: 'expired' };
    }
    try {
      return { kind: 'approved', token: await check() };
    } catch (error) {
      if (!(error instanceof GraphError)) {
        throw error;
      }
      if (error.subcode === DEVICE_PENDING) {
        options.onWait?.('pending', interval);
      } else if (error.subcode === DEVICE_SLOW_DOWN) {
        interval += 5;
        options.onWait?.('slowDown', interval);
      } else if (error.subcode === DEVICE_EXPIRED) {
        return { kind: 'expired' };
      } else if (error.code === 200 && error.kind === 'permission') {
        return { kind: 'declined' };
      } else {
        throw error;
      }
    }
  }
}
