import { edgeData, id, Json, object, optionalBoolean, optionalNumber, optionalString, string, stringArray, time } from './decode';
import { decodePage, Page } from './paging';

export type Platform = 'messenger' | 'instagram';
export type Folder = 'inbox' | 'other' | 'page_done' | 'spam' | 'pending';

/** A Page the user manages, with its Page access token. */
export interface ManagedPage {
  readonly id: string;
  readonly name: string;
  readonly category?: string;
  readonly accessToken?: string;
  readonly tasks: string[];
  readonly instagramAccountId?: string;
}

export interface Participant {
  readonly id: string;
  readonly name?: string;
  readonly username?: string;
  readonly email?: string;
}

export interface Conversation {
  readonly id: string;
  readonly updatedTime?: number;
  readonly link?: string;
  readonly messageCount?: number;
  readonly unreadCount?: number;
  readonly snippet?: string;
  readonly canReply?: boolean;
  readonly participants: Participant[];
  /**
   * The newest messages, when the list asked for them by field expansion (`messages.limit(n){…}`).
   * Decoded when first read: a list shows dozens of threads and opens one.
   */
  readonly newestMessages?: () => Page<Message>;
  /** The response as received, for "Open raw JSON". */
  readonly raw: Json;
}

export interface Attachment {
  readonly id?: string;
  readonly name?: string;
  readonly mimeType?: string;
  readonly size?: number;
  readonly url?: string;
  readonly previewUrl?: string;
}

/** A link or post shared in a message (field `shares`). */
export interface Share {
  readonly id?: string;
  readonly link?: string;
  readonly name?: string;
  readonly description?: string;
}

export interface Message {
  readonly id: string;
  readonly createdTime: number;
  readonly text?: string;
  readonly from?: Participant;
  readonly to: Participant[];
  readonly attachments: Attachment[];
  readonly sticker?: string;
  readonly tags: string[];
  readonly reactions: { reaction: string; count: number }[];
  readonly shares: Share[];
  readonly raw: Json;
}

export interface LinkedApp {
  readonly id: string;
  readonly app: { id: string; name?: string; link?: string; category?: string; namespace?: string };
}

export interface LinkedPage {
  readonly id: string;
  readonly page: { id: string; name?: string; link?: string; category?: string };
}

export interface TokenInfo {
  readonly isValid: boolean;
  readonly appId?: string;
  readonly application?: string;
  readonly type?: string;
  readonly userId?: string;
  readonly profileId?: string;
  readonly scopes: string[];
  /** Epoch seconds; 0 means it never expires. */
  readonly expiresAt?: number;
  readonly dataAccessExpiresAt?: number;
  readonly error?: { code?: number; subcode?: number; message?: string };
}

export function decodeManagedPage(raw: Json, path: string): ManagedPage {
  const ig =
    raw.instagram_business_account === undefined ? undefined : object(raw.instagram_business_account, `${path}.instagram_business_account`);
  return {
    id: id(raw, 'id', path),
    name: optionalString(raw, 'name', path) ?? id(raw, 'id', path),
    category: optionalString(raw, 'category', path),
    accessToken: optionalString(raw, 'access_token', path),
    tasks: stringArray(raw, 'tasks', path),
    instagramAccountId: ig ? id(ig, 'id', `${path}.instagram_business_account`) : undefined,
  };
}

export function decodeParticipant(raw: Json, path: string): Participant {
  return {
    id: id(raw, 'id', path),
    name: optionalString(raw, 'name', path),
    username: optionalString(raw, 'username', path),
    email: optionalString(raw, 'email', path),
  };
}

export function decodeConversation(raw: Json, path: string): Conversation {
  return {
    id: id(raw, 'id', path),
    updatedTime: raw.updated_time === undefined ? undefined : time(raw, 'updated_time', path),
    link: optionalString(raw, 'link', path),
    messageCount: optionalNumber(raw, 'message_count', path),
    unreadCount: optionalNumber(raw, 'unread_count', path),
    snippet: optionalString(raw, 'snippet', path),
    canReply: optionalBoolean(raw, 'can_reply', path),
    participants: edgeData(raw, 'participants', path).map((p, i) =>
      decodeParticipant(object(p, `${path}.participants.data[${i}]`), `${path}.participants.data[${i}]`),
    ),
    newestMessages: raw.messages === undefined ? undefined : () => decodePage(raw.messages, `${path}.messages`, decodeMessage),
    raw,
  };
}

export function decodeMessage(raw: Json, path: string): Message {
  const attachments = edgeData(raw, 'attachments', path).map((a, i): Attachment => {
    const p = `${path}.attachments.data[${i}]`;
    const att = object(a, p);
    const image = att.image_data === undefined ? undefined : object(att.image_data, `${p}.image_data`);
    const video = att.video_data === undefined ? undefined : object(att.video_data, `${p}.video_data`);
    return {
      id: att.id === undefined ? undefined : id(att, 'id', p),
      name: optionalString(att, 'name', p),
      mimeType: optionalString(att, 'mime_type', p),
      size: optionalNumber(att, 'size', p),
      url:
        optionalString(att, 'file_url', p) ??
        (image ? optionalString(image, 'url', `${p}.image_data`) : undefined) ??
        (video ? optionalString(video, 'url', `${p}.video_data`) : undefined),
      previewUrl: image ? optionalString(image, 'preview_url', `${p}.image_data`) : undefined,
    };
  });
  return {
    id: id(raw, 'id', path),
    createdTime: time(raw, 'created_time', path),
    text: optionalString(raw, 'message', path),
    from: raw.from === undefined ? undefined : decodeParticipant(object(raw.from, `${path}.from`), `${path}.from`),
    to: edgeData(raw, 'to', path).map((p, i) => decodeParticipant(object(p, `${path}.to.data[${i}]`), `${path}.to.data[${i}]`)),
    attachments,
    sticker: optionalString(raw, 'sticker', path),
    tags: edgeData(raw, 'tags', path).map((t, i) => string(object(t, `${path}.tags.data[${i}]`), 'name', `${path}.tags.data[${i}]`)),
    reactions: edgeData(raw, 'reactions', path).map((r, i) => {
      const o = object(r, `${path}.reactions.data[${i}]`);
      return { reaction: string(o, 'reaction', `${path}.reactions.data[${i}]`), count: Array.isArray(o.users) ? o.users.length : 1 };
    }),
    shares: edgeData(raw, 'shares', path).map((sh, i): Share => {
      const p = `${path}.shares.data[${i}]`;
      const o = object(sh, p);
      return {
        id: o.id === undefined ? undefined : id(o, 'id', p),
        link: optionalString(o, 'link', p),
        name: optionalString(o, 'name', p),
        description: optionalString(o, 'description', p),
      };
    }),
    raw,
  };
}

export function decodeLinkedApp(raw: Json, path: string): LinkedApp {
  const app = object(raw.app, `${path}.app`);
  return {
    id: id(raw, 'id', path),
    app: {
      id: id(app, 'id', `${path}.app`),
      name: optionalString(app, 'name', `${path}.app`),
      link: optionalString(app, 'link', `${path}.app`),
      category: optionalString(app, 'category', `${path}.app`),
      namespace: optionalString(app, 'namespace', `${path}.app`),
    },
  };
}

export function decodeLinkedPage(raw: Json, path: string): LinkedPage {
  const page = object(raw.page, `${path}.page`);
  return {
    id: id(raw, 'id', path),
    page: {
      id: id(page, 'id', `${path}.page`),
      name: optionalString(page, 'name', `${path}.page`),
      link: optionalString(page, 'link', `${path}.page`),
      category: optionalString(page, 'category', `${path}.page`),
    },
  };
}

export function decodeTokenInfo(body: unknown): TokenInfo {
  const data = object(object(body, 'response').data, 'response.data');
  const path = 'response.data';
  const err = data.error === undefined ? undefined : object(data.error, `${path}.error`);
  return {
    isValid: optionalBoolean(data, 'is_valid', path) ?? false,
    appId: data.app_id === undefined ? undefined : id(data, 'app_id', path),
    application: optionalString(data, 'application', path),
    type: optionalString(data, 'type', path),
    userId: data.user_id === undefined ? undefined : id(data, 'user_id', path),
    profileId: data.profile_id === undefined ? undefined : id(data, 'profile_id', path),
    scopes: stringArray(data, 'scopes', path),
    expiresAt: optionalNumber(data, 'expires_at', path),
    dataAccessExpiresAt: optionalNumber(data, 'data_access_expires_at', path),
    error: err
      ? {
          code: optionalNumber(err, 'code', `${path}.error`),
          subcode: optionalNumber(err, 'subcode', `${path}.error`),
          message: optionalString(err, 'message', `${path}.error`),
        }
      : undefined,
  };
}
