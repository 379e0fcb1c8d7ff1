import { Message, Platform } from '../graph/models';
import { isLoopbackHostname } from '../graph/hosts';

/** One `entry[].messaging[]` item of a Messenger or Instagram webhook, as Meta documents it. */
export interface MessagingEvent {
  readonly sender: { readonly id: string };
  readonly recipient: { readonly id: string };
  readonly timestamp: number;
  readonly message: {
    readonly mid: string;
    readonly text?: string;
    readonly is_echo?: true;
    readonly attachments?: readonly { readonly type: string; readonly payload: { readonly url: string } }[];
  };
}

export interface WebhookEvent {
  readonly object: 'page' | 'instagram';
  readonly entry: readonly { readonly id: string; readonly time: number; readonly messaging: readonly MessagingEvent[] }[];
}

export interface ReplayContext {
  readonly platform: Platform;
  /** The Page's ID (Messenger) or its Instagram account's ID (Instagram): `entry[].id`. */
  readonly entityId: string;
  /** IDs that stand for the Page (Page ID, Instagram account ID). */
  readonly ownIds: readonly string[];
  /** The person of the thread, for a message whose `to` is missing. */
  readonly personId?: string;
  /** `entry[].time`, in milliseconds. */
  readonly nowMs: number;
}

/** The attachment type a webhook names, from a MIME type. */
function attachmentType(mimeType: string | undefined): string {
  const kind = (mimeType ?? '').split('/')[0];
  return kind === 'image' || kind === 'video' || kind === 'audio' ? kind : 'file';
}

/**
 * The webhook event Meta would have sent for a message read from the Graph API: a person's message
 * as `messages`, the Page's own as an echo (`is_echo`). Pure, so it is unit-tested.
 */
export function buildWebhookEvent(message: Message, context: ReplayContext): WebhookEvent {
  const fromPage = message.from !== undefined && context.ownIds.includes(message.from.id);
  const person = fromPage ? (message.to.find((p) => !context.ownIds.includes(p.id))?.id ?? context.personId) : message.from?.id;
  const sender = fromPage ? context.entityId : (person ?? context.personId ?? '');
  const recipient = fromPage ? (person ?? '') : context.entityId;
  const attachments = message.attachments
    .map((a) => ({ type: attachmentType(a.mimeType), payload: { url: a.url ?? a.previewUrl ?? '' } }))
    .filter((a) => a.payload.url !== '');
  return {
    object: context.platform === 'instagram' ? 'instagram' : 'page',
    entry: [
      {
        id: context.entityId,
        time: context.nowMs,
        messaging: [
          {
            sender: { id: sender },
            recipient: { id: recipient },
            timestamp: message.createdTime,
            message: {
              mid: message.id,
              ...(fromPage ? { is_echo: true as const } : {}),
              ...(message.text ? { text: message.text } : {}),
              ...(attachments.length > 0 ? { attachments } : {}),
            },
          },
        ],
      },
    ],
  };
}

/** Header Meta signs webhooks with. */
export const SIGNATURE_HEADER = 'X-Hub-Signature-256';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the app secret>` (Web Crypto: Node and browser). */
export async function signatureOf(body: string | Uint8Array, appSecret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(appSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes));
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export type BotUrlCheck = { ok: true; url: string; loopback: boolean } | { ok: false };

/** A bot URL: http or https, no credentials in it; loopback ones need no confirmation. */
export function checkBotUrl(value: string): BotUrlCheck {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    return { ok: false };
  }
  return { ok: true, url: url.toString(), loopback: isLoopbackHostname(url.hostname) };
}

/** The handshake URL Meta calls: the bot URL with `hub.mode`, `hub.verify_token` and `hub.challenge`. */
export function verificationUrl(botUrl: string, verifyToken: string, challenge: string): string {
  const url = new URL(botUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.verify_token', verifyToken);
  url.searchParams.set('hub.challenge', challenge);
  return url.toString();
}
