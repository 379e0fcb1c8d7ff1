import { randomInt } from 'node:crypto';
import { authenticate, isErrorBody } from './auth';
import type { GraphRequest, GraphResult, SimulatorSettings } from './graph';
import { errors, GraphErrorBody, sendErrors } from './graphError';
import { EventBus } from './events';
import { callbackRefusal, PAGE_FIELDS, Webhooks } from './webhooks';
import { Attachment, FbPage, Platform as Channel, TokenRecord, World } from './world';

/**
 * The simulator as a Messenger platform: the Send API, webhook subscriptions and a person who
 * writes (`/__simulator/inbound`). Every fact comes from the reference (A12 Send API, A13 Webhooks);
 * errors whose text Meta does not document are marked synthetic.
 */
export interface PlatformSettings {
  /** Refuse RESPONSE/UPDATE sends more than `standardWindowHours` after the person's last message. */
  enforceWindow: boolean;
  standardWindowHours: number;
  /** How long after the person's last message HUMAN_AGENT may still be sent. */
  humanAgentDays: number;
  /** Refuse sends without messaging_type (Meta says it is required; its own examples omit it). */
  requireMessagingType: boolean;
  /** ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE answer code 100 (retired 27 Apr 2026); false: they lift the window. */
  updateTagsRetired: boolean;
  /** Send API calls per second per Page (text etc.), per Page for audio/video, and per Instagram account. */
  sendPerSecond: number;
  sendMediaPerSecond: number;
  instagramSendPerSecond: number;
}

type Json = Record<string, unknown>;
type Fail = GraphErrorBody;

const TAGS = new Set([
  'HUMAN_AGENT',
  'CUSTOMER_FEEDBACK',
  'ACCOUNT_UPDATE',
  'CONFIRMED_EVENT_UPDATE',
  'POST_PURCHASE_UPDATE',
  'NON_PROMOTIONAL_SUBSCRIPTION',
]);
const RETIRED_UPDATE_TAGS = new Set(['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE']);
const MESSAGING_TYPES = new Set(['RESPONSE', 'UPDATE', 'MESSAGE_TAG']);
const SENDER_ACTIONS = new Set(['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact']);
const MEDIA = new Set(['image', 'audio', 'video', 'file']);
const INSTAGRAM_FIELDS = [
  'messages',
  'messaging_postbacks',
  'messaging_seen',
  'message_reactions',
  'messaging_referral',
  'messaging_optins',
  'messaging_handover',
  'messaging_policy_enforcement',
  'response_feedback',
  'standby',
  'comments',
  'live_comments',
  'mentions',
  'story_insights',
  'message_echoes',
];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parameters are JSON; Meta's own examples print them with single quotes (`{'id':'…'}`), so those are accepted too. */
export function relaxedJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    try {
      return JSON.parse(raw.replace(/'/g, '"'));
    } catch {
      return undefined;
    }
  }
}

/** A list parameter: `a,b`, or a JSON array (a JSON body's array arrives as its JSON text). */
function list(raw: string | null): string[] | undefined {
  if (raw === null) {
    return undefined;
  }
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    const parsed = relaxedJson(trimmed);
    return Array.isArray(parsed) ? parsed.map((v) => String(v).trim()).filter(Boolean) : undefined;
  }
  return trimmed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A stored attachment (Conversations API) and its webhook form (`{type, payload}`). */
interface Media {
  stored: Attachment;
  hook: Json;
  kind: string;
}

export class MessagingPlatform {
  readonly webhooks: Webhooks;
  /** Reusable attachments (`is_reusable`, `/message_attachments`): id → owner Page and media. */
  private readonly assets = new Map<string, { pageId: string; type: string; url: string }>();
  private readonly sendTimes = new Map<string, number[]>();

  constructor(
    private readonly world: World,
    private readonly settings: SimulatorSettings,
    private readonly bus: EventBus,
  ) {
    this.webhooks = new Webhooks(world, settings, bus);
  }

  /** Forgets the per-second Send API windows (with the rate-limit windows, on reset). */
  resetRates(): void {
    this.sendTimes.clear();
  }

  /** The platform's Graph routes that answer at once; undefined when the path is not one of them. */
  route(req: GraphRequest, auth: TokenRecord): GraphResult | undefined {
    const [first, edge, ...rest] = req.segments;
    if (first === undefined || edge === undefined || rest.length > 0) {
      return undefined;
    }
    const override = req.method === 'POST' ? req.query.get('method')?.toUpperCase() : undefined;
    const method = override ?? req.method;
    const isPage = first === 'me' ? auth.kind === 'page' : this.world.page(first) !== undefined;
    if (edge === 'messages' && method === 'POST' && (isPage || first === 'me')) {
      return this.send(req, auth, first);
    }
    if (edge === 'message_attachments' && method === 'POST' && (isPage || first === 'me')) {
      return this.upload(req, auth, first);
    }
    if (edge === 'subscribed_apps' && isPage && (method === 'GET' || method === 'POST' || method === 'DELETE')) {
      return this.subscribedApps(req, auth, first, method);
    }
    if (edge === 'subscriptions' && this.world.app(first) && (method === 'GET' || method === 'DELETE')) {
      return this.subscriptions(req, auth, first, method);
    }
    return undefined;
  }

  // ---------------------------------------------------------------- Send API

  private pageOf(auth: TokenRecord, ref: string, edge: string): FbPage | Fail {
    if (auth.kind !== 'page') {
      return errors.permission('A page access token is required to request this resource.');
    }
    const page = this.world.page(ref === 'me' ? auth.subjectId : ref);
    // Another Page's ID in the path: [UNCONFIRMED] which error Meta gives; the simulator says the object cannot be loaded.
    return page && page.id === auth.subjectId ? page : errors.unsupportedPost(`${ref}/${edge}`);
  }

  private send(req: GraphRequest, auth: TokenRecord, ref: string): GraphResult {
    const page = this.pageOf(auth, ref, 'messages');
    if (isErrorBody(page)) {
      return { ...page, token: auth };
    }
    const result = this.sendFor(req, auth, page);
    return { ...result.result, token: auth, businessObject: { id: page.id, type: result.channel } };
  }

  private sendFor(req: GraphRequest, auth: TokenRecord, page: FbPage): { result: GraphResult; channel: Channel } {
    const q = req.query;
    let channel: Channel = 'messenger';
    const fail = (r: Fail) => ({ result: r, channel });
    const recipientRaw = q.get('recipient');
    if (recipientRaw === null || recipientRaw.trim() === '') {
      return fail(sendErrors.recipientRequired());
    }
    const recipient = relaxedJson(recipientRaw);
    if (!isObject(recipient)) {
      return fail(sendErrors.recipientInvalid());
    }
    const other = ['user_ref', 'comment_id', 'post_id', 'phone_number', 'notification_messages_token'].find(
      (k) => k in recipient && !('id' in recipient),
    );
    if (other) {
      // Synthetic: Meta takes these recipients; the simulator has no plugins, comments or phone matching.
      return fail(errors.badParam(`The simulator does not support recipient.${other}; use recipient.id (a PSID or IGSID)`));
    }
    const id = typeof recipient.id === 'number' ? String(recipient.id) : recipient.id;
    if (typeof id !== 'string' || !/^\d+$/.test(id)) {
      return fail(sendErrors.recipientInvalid());
    }
    const scoped = this.world.scopedIds.get(id);
    if (scoped?.scope === 'instagram' && scoped.scopeId === page.instagram?.id) {
      channel = 'instagram';
    } else if (!(scoped?.scope === 'page' && scoped.scopeId === page.id)) {
      // [UNCONFIRMED] whether Meta checks the recipient before or after the other parameters.
      return fail(sendErrors.noMatchingUser());
    }
    const instagram = channel === 'instagram';
    const person = scoped.person;

    const perSecond = this.rateCheck(page, channel, false);
    if (perSecond) {
      return fail(perSecond);
    }
    const actionRaw = q.get('sender_action');
    const messageRaw = q.get('message');
    if (actionRaw !== null && messageRaw !== null) {
      return fail(sendErrors.bothMessageAndAction());
    }
    if (actionRaw === null && messageRaw === null) {
      return fail(sendErrors.neitherMessageNorAction());
    }
    if (actionRaw !== null) {
      return { result: this.senderAction(actionRaw.toLowerCase(), page, channel, person.index, id), channel };
    }

    // messaging_type and tag
    const typeRaw = q.get('messaging_type')?.toUpperCase();
    const tag = q.get('tag')?.toUpperCase();
    if (typeRaw === undefined && this.settings.requireMessagingType) {
      return fail(errors.badParam('The parameter messaging_type is required'));
    }
    const type = typeRaw ?? (tag ? 'MESSAGE_TAG' : 'RESPONSE');
    if (!MESSAGING_TYPES.has(type)) {
      // Synthetic text. (UTILITY, for utility templates, is not simulated.)
      return fail(errors.badParam('Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}'));
    }
    if (tag && type !== 'MESSAGE_TAG') {
      return fail(sendErrors.tagNeedsMessageTag());
    }
    if (type === 'MESSAGE_TAG' && !tag) {
      return fail(errors.badParam('The parameter tag is required'));
    }
    let windowMs = this.settings.standardWindowHours * 3_600_000;
    if (tag) {
      if (!TAGS.has(tag) || (instagram && tag !== 'HUMAN_AGENT')) {
        return fail(sendErrors.invalidTag());
      }
      if (RETIRED_UPDATE_TAGS.has(tag)) {
        if (this.settings.updateTagsRetired) {
          return fail(sendErrors.retiredTag());
        }
        windowMs = Number.POSITIVE_INFINITY;
      } else if (tag === 'NON_PROMOTIONAL_SUBSCRIPTION') {
        return fail(sendErrors.newsPermission());
      } else if (tag === 'CUSTOMER_FEEDBACK') {
        // Synthetic: Meta allows it only with the customer feedback template, which the simulator does not model.
        return fail(errors.badParam('The CUSTOMER_FEEDBACK tag can only be used with the customer feedback template (not simulated)'));
      } else {
        windowMs = this.settings.humanAgentDays * 86_400_000;
      }
    }

    // message
    const message = relaxedJson(messageRaw ?? '');
    if (!isObject(message)) {
      return fail(errors.badParam('Param message must be a JSON object'));
    }
    const built = this.buildMessage(message, page, instagram);
    if (isErrorBody(built)) {
      return fail(built);
    }
    if (built.media) {
      const limited = this.rateCheck(page, channel, true);
      if (limited) {
        return fail(limited);
      }
    }

    // The standard messaging window: 24 hours after the person's last message (tags lift it as documented).
    const now = this.world.clock();
    const conv = this.world.thread(page.id, channel, person.index);
    const last = conv ? this.world.lastPersonMessageAt(conv) : undefined;
    if (this.settings.enforceWindow && Number.isFinite(windowMs) && (last === undefined || now - last > windowMs)) {
      return fail(sendErrors.outsideWindow(instagram));
    }

    const { conv: thread, created } = this.world.ensureThread(page.id, channel, person.index);
    const mid = this.world.newMessageId(channel);
    this.world.addMessage(thread, {
      id: mid,
      createdTime: now,
      fromPage: true,
      text: built.text,
      ...(built.stored.length > 0 ? { attachments: built.stored } : {}),
      appId: auth.appId,
    });
    if (created) {
      this.bus.emit('thread.created', { thread: thread.id, page: page.id, platform: channel });
    }
    this.bus.emit('message.added', {
      thread: thread.id,
      page: page.id,
      platform: channel,
      message_id: mid,
      from: 'page',
      app: auth.appId,
      time: now,
    });
    const pageEntity = instagram ? (page.instagram?.id ?? page.id) : page.id;
    this.webhooks.emit({
      pageId: page.id,
      platform: channel,
      field: instagram ? 'messages' : 'message_echoes',
      threadId: thread.id,
      messaging: {
        sender: { id: pageEntity },
        recipient: { id },
        timestamp: now,
        message: {
          is_echo: true,
          app_id: auth.appId,
          ...(built.metadata !== undefined ? { metadata: built.metadata } : {}),
          mid,
          ...(built.text ? { text: built.text } : {}),
          ...(built.hooks.length > 0 ? { attachments: built.hooks } : {}),
        },
      },
    });
    if (!instagram) {
      // The person's device received it: `message_deliveries` (Messenger only).
      this.webhooks.emit({
        pageId: page.id,
        platform: channel,
        field: 'message_deliveries',
        threadId: thread.id,
        messaging: { sender: { id }, recipient: { id: page.id }, timestamp: now, delivery: { mids: [mid], watermark: now } },
      });
    }
    return {
      result: {
        status: 200,
        body: { recipient_id: id, message_id: mid, ...(built.attachmentId ? { attachment_id: built.attachmentId } : {}) },
      },
      channel,
    };
  }

  private senderAction(action: string, page: FbPage, channel: Channel, personIndex: number, recipientId: string): GraphResult {
    if (!SENDER_ACTIONS.has(action)) {
      // Synthetic text.
      return errors.badParam('Param sender_action must be one of {typing_on, typing_off, mark_seen, react, unreact}');
    }
    if (action === 'mark_seen') {
      const conv = this.world.thread(page.id, channel, personIndex);
      if (conv && conv.unreadCount > 0) {
        conv.unreadCount = 0;
        this.bus.emit('thread.updated', { thread: conv.id, page: page.id, platform: channel, unread_count: 0, sender_action: action });
      }
    }
    return { status: 200, body: { recipient_id: recipientId } };
  }

  /** Validates `message` as the Send API reference describes it; returns what to store and what to echo. */
  private buildMessage(
    m: Json,
    page: FbPage,
    instagram: boolean,
  ): { text: string; stored: Attachment[]; hooks: Json[]; metadata?: string; media: boolean; attachmentId?: string } | Fail {
    const { text, attachment, attachments } = m;
    if (text !== undefined && typeof text !== 'string') {
      return errors.badParam('Param message[text] must be a string');
    }
    const hasText = typeof text === 'string' && text !== '';
    if (!hasText && attachment === undefined && attachments === undefined) {
      return sendErrors.emptyMessage();
    }
    if (hasText && (attachment !== undefined || attachments !== undefined)) {
      // Synthetic: "Either text or attachment must be set" (Send API reference); Meta's error for both is not documented.
      return errors.badParam('Only one of message[text] and message[attachment] may be set');
    }
    if (hasText) {
      // Messenger: "less than 2000 characters"; Instagram: "1,000 bytes or less" (error text for Instagram [UNCONFIRMED]).
      if (instagram ? Buffer.byteLength(text) > 1000 : [...text].length > 2000) {
        return sendErrors.textTooLong(instagram ? 1000 : 2000);
      }
    }
    if (m.metadata !== undefined && (typeof m.metadata !== 'string' || m.metadata.length >= 1000)) {
      return errors.badParam('Param message[metadata] must be a string of less than 1000 characters');
    }
    const quick = this.checkQuickReplies(m.quick_replies);
    if (quick) {
      return quick;
    }
    const out = {
      text: hasText ? text : '',
      stored: [] as Attachment[],
      hooks: [] as Json[],
      media: false,
      ...(typeof m.metadata === 'string' ? { metadata: m.metadata } : {}),
    } as { text: string; stored: Attachment[]; hooks: Json[]; metadata?: string; media: boolean; attachmentId?: string };
    if (attachment !== undefined) {
      const built = this.buildAttachment(attachment, page, 'message[attachment]');
      if (isErrorBody(built)) {
        return built;
      }
      out.stored.push(built.stored);
      out.hooks.push(built.hook);
      out.media = built.kind === 'audio' || built.kind === 'video';
      if (typeof built.text === 'string') {
        out.text = built.text;
      }
      if (built.reusableId) {
        out.attachmentId = built.reusableId;
      }
    } else if (attachments !== undefined) {
      // Several images in one message: Messenger up to 30, Instagram up to 10 (send-messages, Instagram send-message).
      const max = instagram ? 10 : 30;
      if (!Array.isArray(attachments) || attachments.length === 0 || attachments.length > max) {
        return errors.badParam(`param message[attachments] must have between 1 and ${max} elements`);
      }
      for (let i = 0; i < attachments.length; i++) {
        const a: unknown = attachments[i];
        if (!isObject(a) || a.type !== 'image') {
          return errors.badParam(`Param message[attachments][${i}][type] must be image`);
        }
        const built = this.buildAttachment(a, page, `message[attachments][${i}]`);
        if (isErrorBody(built)) {
          return built;
        }
        out.stored.push(built.stored);
        out.hooks.push(built.hook);
      }
    }
    return out;
  }

  private buildAttachment(a: unknown, page: FbPage, name: string): (Media & { text?: string; reusableId?: string }) | Fail {
    if (!isObject(a) || typeof a.type !== 'string' || a.type === '') {
      return errors.badParam(`The parameter ${name}[type] is required`);
    }
    if (!isObject(a.payload)) {
      return errors.badParam(`The parameter ${name}[payload] is required`);
    }
    const type = a.type.toLowerCase();
    const payload = a.payload;
    if (MEDIA.has(type)) {
      let url: string;
      if (payload.attachment_id !== undefined) {
        const asset =
          typeof payload.attachment_id === 'string' || typeof payload.attachment_id === 'number'
            ? this.assets.get(String(payload.attachment_id))
            : undefined;
        if (!asset || asset.pageId !== page.id) {
          return sendErrors.attachmentNotYours();
        }
        url = asset.url;
      } else if (typeof payload.url === 'string') {
        // The simulator never fetches the URL (everything stays on this machine); it only checks it is one.
        if (!/^https?:\/\/[^\s/]+/i.test(payload.url)) {
          return sendErrors.fetchFailed();
        }
        url = payload.url;
      } else {
        return errors.badParam(`The parameter ${name}[payload][url] or ${name}[payload][attachment_id] is required`);
      }
      const media = mediaAttachment(type, url, digits(16));
      let reusableId: string | undefined;
      if (payload.is_reusable === true || payload.is_reusable === 'true') {
        reusableId = this.newAsset(page.id, type, url);
      }
      return { ...media, ...(reusableId ? { reusableId } : {}) };
    }
    if (type === 'template') {
      return this.buildTemplate(payload, name);
    }
    // Synthetic text.
    return errors.badParam(`Param ${name}[type] must be one of {image, audio, video, file, template}`);
  }

  private buildTemplate(p: Json, name: string): (Media & { text?: string }) | Fail {
    const at = `${name}[payload]`;
    const id = digits(16);
    if (p.template_type === 'generic') {
      const elements = p.elements;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
        return errors.badParam(`param ${at}[elements] must have between 1 and 10 elements`);
      }
      for (let i = 0; i < elements.length; i++) {
        const e: unknown = elements[i];
        if (!isObject(e) || typeof e.title !== 'string' || e.title === '') {
          return errors.badParam(`The parameter ${at}[elements][${i}][title] is required`);
        }
        if (e.title.length > 80 || (e.subtitle !== undefined && (typeof e.subtitle !== 'string' || e.subtitle.length > 80))) {
          return errors.badParam(`Param ${at}[elements][${i}][title] and [subtitle] must be at most 80 characters`);
        }
        const buttons = checkButtons(e.buttons, `${at}[elements][${i}][buttons]`, false);
        if (buttons) {
          return buttons;
        }
      }
      const first = elements[0] as Json;
      return {
        kind: 'template',
        stored: {
          id,
          generic_template: {
            title: first.title,
            ...(typeof first.subtitle === 'string' ? { subtitle: first.subtitle } : {}),
            ...(typeof first.image_url === 'string' ? { media_url: first.image_url } : {}),
          },
        },
        hook: { type: 'template', payload: p },
      };
    }
    if (p.template_type === 'button') {
      if (typeof p.text !== 'string' || p.text === '') {
        return errors.badParam(`The parameter ${at}[text] is required`);
      }
      if (p.text.length > 640) {
        return errors.badParam(`Length of param ${at}[text] must be less than or equal to 640`);
      }
      const buttons = checkButtons(p.buttons, `${at}[buttons]`, true);
      if (buttons) {
        return buttons;
      }
      // [UNCONFIRMED] how the Conversations API shows a button template: as its text.
      return {
        kind: 'template',
        stored: { id, generic_template: { title: p.text } },
        hook: { type: 'template', payload: p },
        text: p.text,
      };
    }
    return sendErrors.invalidTemplate();
  }

  private checkQuickReplies(value: unknown): Fail | undefined {
    if (value === undefined) {
      return undefined;
    }
    if (!Array.isArray(value)) {
      return errors.badParam('Param message[quick_replies] must be an array');
    }
    if (value.length === 0) {
      return sendErrors.quickRepliesTooFew();
    }
    if (value.length > 13) {
      // "up to 13 quick replies" (quick-replies doc); the error text is synthetic.
      return errors.badParam('param message[quick_replies] has too many elements.');
    }
    for (let i = 0; i < value.length; i++) {
      const q: unknown = value[i];
      if (!isObject(q) || q.content_type === undefined) {
        return errors.badParam(`The parameter message[quick_replies][${i}][content_type] is required`);
      }
      if (q.content_type === 'location') {
        return errors.badParam(
          'Location Quick Reply is now deprecated on API 4.0. Please refer to our Developer Documentation for more info.',
        );
      }
      if (typeof q.content_type !== 'string' || !['text', 'user_phone_number', 'user_email'].includes(q.content_type)) {
        return errors.badParam(
          `Param message[quick_replies][${i}][content_type] has an invalid value. Please check our developer doc for details.`,
        );
      }
      if (q.content_type === 'text') {
        if (typeof q.title !== 'string' || q.title === '') {
          return sendErrors.quickReplyTitle();
        }
        if (q.payload === undefined || q.payload === null || (q.payload === '' && typeof q.image_url !== 'string')) {
          return sendErrors.quickReplyPayload();
        }
        if ([...q.title].length > 20) {
          // "20 character limit" (quick-replies doc): whether Meta truncates or refuses is [UNCONFIRMED]; refused here.
          return errors.badParam(`Param message[quick_replies][${i}][title] must be at most 20 characters`);
        }
        if ((typeof q.payload === 'string' ? q.payload : JSON.stringify(q.payload)).length > 1000) {
          return errors.badParam(`Param message[quick_replies][${i}][payload] must be at most 1000 characters`);
        }
      }
    }
    return undefined;
  }

  /** Send API calls per second per Page (300 for text, 10 for audio/video) or per Instagram account. */
  private rateCheck(page: FbPage, channel: Channel, media: boolean): Fail | undefined {
    const limit =
      channel === 'instagram'
        ? media
          ? this.settings.sendMediaPerSecond
          : this.settings.instagramSendPerSecond
        : media
          ? this.settings.sendMediaPerSecond
          : this.settings.sendPerSecond;
    const key = `${page.id}:${channel}:${media ? 'media' : 'all'}`;
    const now = Date.now();
    const times = (this.sendTimes.get(key) ?? []).filter((t) => now - t < 1000);
    times.push(now);
    this.sendTimes.set(key, times);
    return times.length > limit ? sendErrors.sendRate() : undefined;
  }

  private newAsset(pageId: string, type: string, url: string): string {
    const id = digits(15);
    this.assets.set(id, { pageId, type, url });
    return id;
  }

  /** `POST /{page-id}/message_attachments`: a reusable attachment, answered `{"attachment_id": "…"}`. */
  private upload(req: GraphRequest, auth: TokenRecord, ref: string): GraphResult {
    const page = this.pageOf(auth, ref, 'message_attachments');
    if (isErrorBody(page)) {
      return { ...page, token: auth };
    }
    const message = relaxedJson(req.query.get('message') ?? '');
    const attachment = isObject(message) ? message.attachment : undefined;
    if (!isObject(attachment) || typeof attachment.type !== 'string' || !MEDIA.has(attachment.type.toLowerCase())) {
      return { ...errors.badParam('The parameter message[attachment][type] is required (image, audio, video or file)'), token: auth };
    }
    const payload = isObject(attachment.payload) ? attachment.payload : {};
    if (typeof payload.url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(payload.url)) {
      return { ...sendErrors.fetchFailed(), token: auth };
    }
    return {
      status: 200,
      body: { attachment_id: this.newAsset(page.id, attachment.type.toLowerCase(), payload.url) },
      token: auth,
      businessObject: { id: page.id, type: 'messenger' },
    };
  }

  // ---------------------------------------------------------------- Subscriptions

  private subscribedApps(req: GraphRequest, auth: TokenRecord, ref: string, method: string): GraphResult {
    const page = this.pageOf(auth, ref, 'subscribed_apps');
    if (isErrorBody(page)) {
      return { ...page, token: auth };
    }
    const charged = { token: auth, businessObject: { id: page.id, type: 'pages' as const } };
    if (method === 'GET') {
      const data = [...(this.webhooks.pages.get(page.id) ?? [])].map(([appId, fields]) => {
        const app = this.world.app(appId);
        return {
          ...(app?.category ? { category: app.category } : {}),
          link: app?.link ?? '',
          name: app?.name ?? '',
          id: appId,
          subscribed_fields: fields,
        };
      });
      return { status: 200, body: { data }, ...charged };
    }
    if (method === 'DELETE') {
      this.webhooks.unsubscribePage(page.id, auth.appId);
      return { status: 200, body: { success: true }, ...charged };
    }
    const fields = list(req.query.get('subscribed_fields'));
    if (!fields || fields.length === 0) {
      return { ...errors.badParam('The parameter subscribed_fields is required'), ...charged };
    }
    const unknown = fields.findIndex((f) => !PAGE_FIELDS.includes(f));
    if (unknown >= 0) {
      // Synthetic text (Meta's for an unknown field is not documented).
      return { ...errors.badParam(`Param subscribed_fields[${unknown}] must be one of {${PAGE_FIELDS.join(', ')}}`), ...charged };
    }
    this.webhooks.subscribePage(page.id, auth.appId, fields);
    return { status: 200, body: { success: true }, ...charged };
  }

  private appOf(auth: TokenRecord, appId: string): Fail | undefined {
    // [UNCONFIRMED] text: the app token requirement is documented ("Requires app access token").
    return auth.kind === 'app' && auth.subjectId === appId ? undefined : sendErrors.appTokenRequired();
  }

  private subscriptions(req: GraphRequest, auth: TokenRecord, appId: string, method: string): GraphResult {
    const refused = this.appOf(auth, appId);
    if (refused) {
      return { ...refused, token: auth };
    }
    if (method === 'DELETE') {
      this.webhooks.unsubscribeApp(appId, req.query.get('object') ?? undefined, list(req.query.get('fields')));
      return { status: 200, body: { success: true }, token: auth };
    }
    const data = [...(this.webhooks.apps.get(appId)?.values() ?? [])].map((s) => ({
      object: s.object,
      callback_url: s.callbackUrl,
      active: s.active,
      fields: s.fields.map((name) => ({ name, version: s.version })),
    }));
    return { status: 200, body: { data }, token: auth };
  }

  /** `POST /{app-id}/subscriptions`: validates, runs the verification handshake, then subscribes. */
  async subscribe(req: GraphRequest): Promise<GraphResult> {
    const auth = authenticate(this.world, req.presented, req.nowMs, false, this.settings.appTokenWithoutProof);
    if (isErrorBody(auth)) {
      return auth;
    }
    const appId = req.segments[0] ?? '';
    const refused = this.appOf(auth, appId);
    if (refused) {
      return { ...refused, token: auth };
    }
    const q = req.query;
    const object = q.get('object');
    if (!object) {
      return { ...errors.badParam('The parameter object is required'), token: auth };
    }
    const existing = this.webhooks.apps.get(appId)?.get(object);
    const callbackUrl = q.get('callback_url') ?? existing?.callbackUrl;
    if (!callbackUrl) {
      return { ...errors.badParam('The parameter callback_url is required'), token: auth };
    }
    const refusal = callbackRefusal(callbackUrl);
    if (refusal) {
      return { ...errors.badParam(`Param callback_url is not valid: ${refusal}`), token: auth };
    }
    const fields = list(q.get('fields'));
    if (!fields || fields.length === 0) {
      return { ...errors.badParam('The parameter fields is required'), token: auth };
    }
    const known = object === 'page' ? PAGE_FIELDS : object === 'instagram' ? INSTAGRAM_FIELDS : undefined;
    const unknown = known ? fields.find((f) => !known.includes(f)) : undefined;
    if (unknown !== undefined) {
      return { ...errors.badParam(`Param fields contains an unknown field for object ${object}: ${unknown}`), token: auth };
    }
    const verifyToken = q.get('verify_token') ?? existing?.verifyToken ?? '';
    const verified = await this.webhooks.verify(callbackUrl, verifyToken);
    if (!verified.ok) {
      return { ...sendErrors.callbackFailed(verified.message), token: auth };
    }
    this.webhooks.subscribeApp(appId, object, callbackUrl, verifyToken, fields, req.version);
    return { status: 200, body: { success: true }, token: auth };
  }

  /** `--webhook URL --verify-token T`: every app subscribed to `page` and `instagram`, every Page to its app, after one handshake per app. */
  async subscribeAll(callbackUrl: string, verifyToken: string, version = 'v26.0'): Promise<{ ok: boolean; message?: string }> {
    for (const app of this.world.apps) {
      const verified = await this.webhooks.verify(callbackUrl, verifyToken);
      if (!verified.ok) {
        return { ok: false, message: verified.message };
      }
      this.webhooks.subscribeApp(
        app.id,
        'page',
        callbackUrl,
        verifyToken,
        ['messages', 'messaging_postbacks', 'message_echoes', 'message_deliveries', 'message_reads'],
        version,
      );
      this.webhooks.subscribeApp(
        app.id,
        'instagram',
        callbackUrl,
        verifyToken,
        ['messages', 'messaging_postbacks', 'messaging_seen'],
        version,
      );
    }
    for (const page of this.world.pages) {
      this.webhooks.subscribePage(page.id, page.appId, [
        'messages',
        'messaging_postbacks',
        'message_echoes',
        'message_deliveries',
        'message_reads',
      ]);
    }
    return { ok: true };
  }

  // ---------------------------------------------------------------- A person writes

  /**
   * `POST /__simulator/inbound`: a person writes to a Page (or its Instagram account), taps a
   * postback button or a quick reply, or reads the Page's messages. The thread is updated (opened if
   * there is none) and the webhook delivered.
   */
  inbound(json: Json): { status: number; body: Json } {
    const bad = (message: string, status = 400) => ({ status, body: { error: message } });
    const ref = typeof json.page === 'string' ? json.page : (this.world.pages[0]?.id ?? '');
    const page = this.world.page(ref) ?? this.world.pageByInstagram(ref);
    if (!page) {
      return bad(`unknown page ${ref}`, 404);
    }
    let from = typeof json.from === 'string' ? json.from : undefined;
    if (from === undefined) {
      const byInstagram = page.instagram?.id === ref;
      const person = this.world.people.find((p) => (byInstagram ? p.igsids.has(ref) : p.psids.has(page.id)));
      from = byInstagram ? person?.igsids.get(ref) : person?.psids.get(page.id);
    }
    const scoped = from === undefined ? undefined : this.world.scopedIds.get(from);
    const channel: Channel | undefined =
      scoped?.scope === 'page' && scoped.scopeId === page.id
        ? 'messenger'
        : scoped?.scope === 'instagram' && scoped.scopeId === page.instagram?.id
          ? 'instagram'
          : undefined;
    if (!scoped || !channel || from === undefined) {
      return bad(`${String(from)} is neither a PSID of Page ${page.id} nor an IGSID of its Instagram account`);
    }
    const instagram = channel === 'instagram';
    const entity = instagram ? (page.instagram?.id ?? page.id) : page.id;
    const now = this.world.clock();

    if (json.read === true) {
      const conv = this.world.thread(page.id, channel, scoped.person.index);
      if (!conv) {
        return bad('there is no thread to read');
      }
      const lastPageMessage = this.world.messages(conv).find((m) => m.fromPage);
      this.bus.emit('thread.updated', { thread: conv.id, page: page.id, platform: channel, read_watermark: now });
      // Messenger: `message_reads` with a watermark; Instagram: `messaging_seen` with the mid.
      this.webhooks.emit(
        instagram
          ? {
              pageId: page.id,
              platform: channel,
              field: 'messaging_seen',
              threadId: conv.id,
              messaging: { sender: { id: from }, recipient: { id: entity }, timestamp: now, read: { mid: lastPageMessage?.id ?? '' } },
            }
          : {
              pageId: page.id,
              platform: channel,
              field: 'message_reads',
              threadId: conv.id,
              messaging: { sender: { id: from }, recipient: { id: entity }, timestamp: now, read: { watermark: now } },
            },
      );
      return { status: 200, body: { thread: conv.id, page: page.id, platform: channel, read: true, timestamp: now } };
    }

    const postback = isObject(json.postback) ? json.postback : undefined;
    const quick = isObject(json.quick_reply) ? json.quick_reply : undefined;
    const text = typeof json.text === 'string' ? json.text : undefined;
    const rawAttachments =
      json.attachment !== undefined ? [json.attachment] : Array.isArray(json.attachments) ? (json.attachments as unknown[]) : [];
    const media: Media[] = [];
    for (const a of rawAttachments) {
      if (
        !isObject(a) ||
        typeof a.type !== 'string' ||
        !['image', 'audio', 'video', 'file'].includes(a.type) ||
        !isObject(a.payload) ||
        typeof a.payload.url !== 'string'
      ) {
        return bad('attachment must be {"type":"image|audio|video|file","payload":{"url":"https://…"}}');
      }
      media.push(mediaAttachment(a.type, a.payload.url, digits(16)));
    }
    if (postback) {
      if (typeof postback.payload !== 'string') {
        return bad('postback needs {"title":"…","payload":"…"}');
      }
    } else if (!text && media.length === 0) {
      return bad('say something: text, attachment, postback, quick_reply (with text) or "read": true');
    }
    if (quick && typeof quick.payload !== 'string') {
      return bad('quick_reply needs {"payload":"…"}');
    }

    const { conv, created } = this.world.ensureThread(page.id, channel, scoped.person.index);
    const mid = this.world.newMessageId(channel);
    const title = postback && typeof postback.title === 'string' ? postback.title : '';
    // [UNCONFIRMED] a tapped postback button shows in the thread as the person's message with the button title.
    this.world.addMessage(conv, {
      id: mid,
      createdTime: now,
      fromPage: false,
      text: postback ? title : (text ?? ''),
      ...(media.length > 0 ? { attachments: media.map((m) => m.stored) } : {}),
    });
    if (created) {
      this.bus.emit('thread.created', { thread: conv.id, page: page.id, platform: channel });
    }
    this.bus.emit('message.added', { thread: conv.id, page: page.id, platform: channel, message_id: mid, from: 'person', time: now });
    const base = { sender: { id: from }, recipient: { id: entity }, timestamp: now };
    this.webhooks.emit(
      postback
        ? {
            pageId: page.id,
            platform: channel,
            field: 'messaging_postbacks',
            threadId: conv.id,
            messaging: { ...base, postback: { mid, title, payload: postback.payload } },
          }
        : {
            pageId: page.id,
            platform: channel,
            field: 'messages',
            threadId: conv.id,
            messaging: {
              ...base,
              message: {
                mid,
                ...(text ? { text } : {}),
                ...(media.length > 0 ? { attachments: media.map((m) => m.hook) } : {}),
                ...(quick ? { quick_reply: { payload: quick.payload } } : {}),
              },
            },
          },
    );
    return { status: 200, body: { thread: conv.id, created, page: page.id, platform: channel, from, message_id: mid, timestamp: now } };
  }
}

function checkButtons(value: unknown, at: string, required: boolean): Fail | undefined {
  if (value === undefined && !required) {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > 3) {
    return errors.badParam(`param ${at} must have between 1 and 3 elements`);
  }
  for (let i = 0; i < value.length; i++) {
    const b: unknown = value[i];
    if (!isObject(b) || typeof b.type !== 'string' || !['web_url', 'postback', 'phone_number'].includes(b.type)) {
      return errors.badParam(`Param ${at}[${i}][type] must be one of {web_url, postback, phone_number}`);
    }
    if (typeof b.title !== 'string' || b.title === '') {
      return errors.badParam(`The parameter ${at}[${i}][title] is required`);
    }
    if ([...b.title].length > 20) {
      return errors.badParam(`Param ${at}[${i}][title] must be at most 20 characters`);
    }
    if (b.type === 'web_url' && (typeof b.url !== 'string' || !/^https?:\/\//i.test(b.url))) {
      return errors.badParam(`The parameter ${at}[${i}][url] is required`);
    }
    if (b.type !== 'web_url' && (typeof b.payload !== 'string' || b.payload === '' || b.payload.length > 1000)) {
      return errors.badParam(`The parameter ${at}[${i}][payload] is required (at most 1000 characters)`);
    }
  }
  return undefined;
}

const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

/** A media attachment as the Conversations API shows it (`image_data`, `video_data`, `file_url`) and as a webhook carries it. */
function mediaAttachment(type: string, url: string, id: string): Media {
  const name = decodeURIComponent(new URL(url, 'http://x').pathname.split('/').pop() || type);
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const mime =
    MIME[ext] ??
    (type === 'image' ? 'image/jpeg' : type === 'video' ? 'video/mp4' : type === 'audio' ? 'audio/mpeg' : 'application/octet-stream');
  const stored: Attachment =
    type === 'image'
      ? {
          id,
          name,
          mime_type: mime,
          image_data: { url, preview_url: url, width: 1280, height: 960, max_width: 1280, max_height: 960, render_as_sticker: false },
        }
      : type === 'video'
        ? { id, name, mime_type: mime, video_data: { url, preview_url: url, width: 1280, height: 720 } }
        : { id, name, mime_type: mime, file_url: url };
  return { kind: type, stored, hook: { type, payload: { url } } };
}

/** A numeric ID as Meta's attachment IDs look. */
function digits(count: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < count) {
    out += String(randomInt(0, 10));
  }
  return out;
}
