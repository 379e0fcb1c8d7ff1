import { authenticate, isErrorBody, Presented } from './auth';
import { FieldSpec, FieldSyntaxError, parseFields } from './fields';
import { errors, GraphErrorBody } from './graphError';
import { hostileName } from './hostile';
import { paginate, PagingFaults } from './paging';
import { Conversation, FbPage, Message, Person, TokenRecord, World } from './world';
import type { MessagingPlatform, PlatformSettings } from './platform';
import type { WebhookSettings } from './webhooks';
import { defaultOAuthSettings, OAuthEndpoints, OAuthSettings } from './oauth';

export interface SimulatorSettings extends PlatformSettings, WebhookSettings, OAuthSettings {
  /** Only this many most recent messages of an Instagram thread can be read in detail (0: no limit). */
  instagramMessageLimit: number;
  /** The same rule for Messenger threads; off by default (Meta documents it for Instagram). */
  messengerMessageLimit: number;
  /** Meta's `next` URLs carry the access token; keep that so clients prove they do not follow them blindly. */
  tokenInNextUrl: boolean;
  /** Businesses whose ID-matching calls get the "(#200) … going through review" policy error. */
  businessesUnderReview: Set<string>;
  conversationsDefaultLimit: number;
  conversationsMaxLimit: number;
  messagesDefaultLimit: number;
  messagesMaxLimit: number;
  /**
   * App access tokens (`APP_ID|APP_SECRET`) carry the secret, so "Require App Secret" is met without
   * appsecret_proof (seed 001 case 3 and its "Example queries" use the app token without a proof).
   */
  appTokenWithoutProof: boolean;
  /** Sub-fields of a share when `shares` is asked for without `{…}`. [UNCONFIRMED]: Meta says sub-fields must be requested. */
  sharesDefaultFields: string[];
}

export function defaultSettings(): SimulatorSettings {
  return {
    instagramMessageLimit: 20,
    messengerMessageLimit: 0,
    tokenInNextUrl: true,
    businessesUnderReview: new Set(),
    conversationsDefaultLimit: 25,
    conversationsMaxLimit: 200,
    messagesDefaultLimit: 25,
    messagesMaxLimit: 100,
    appTokenWithoutProof: true,
    sharesDefaultFields: ['id'],
    enforceWindow: true,
    standardWindowHours: 24,
    humanAgentDays: 7,
    requireMessagingType: false,
    updateTagsRetired: true,
    sendPerSecond: 300,
    sendMediaPerSecond: 10,
    instagramSendPerSecond: 300,
    webhookTimeoutMs: 5000,
    webhookRetryDelaysMs: [1000, 5000, 30_000, 120_000, 300_000],
    webhookLegacySignature: true,
    deliveryLogSize: 500,
    ...defaultOAuthSettings(),
  };
}

export interface GraphRequest {
  readonly method: string;
  readonly version: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly presented: Presented;
  /** The origin clients reached us on, for paging URLs. */
  readonly origin: string;
  readonly paging: PagingFaults;
  readonly nowMs: number;
}

export interface GraphResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** The token the call was charged to, for rate limiting and usage headers. */
  readonly token?: TokenRecord;
  /** The business object a page-token call counts against. */
  readonly businessObject?: { id: string; type: 'messenger' | 'instagram' | 'pages' };
  /** Calls this request counts as for rate limits and usage (Meta counts each `?ids=` ID); 1 when absent. */
  readonly calls?: number;
}

/** Where an edge's items come from and where its `next` points: the request itself, or an edge nested in `fields`. */
interface EdgeSource {
  /** limit/after/before of this edge. */
  readonly query: URLSearchParams;
  /** The edge's own path, e.g. `t_1/messages`: `next` points there. */
  readonly path: string;
  /** Parameters `next` carries besides the cursor. */
  readonly base: URLSearchParams;
}

type Rendered = Record<string, unknown>;
type Fail = GraphErrorBody;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

export class GraphHandler {
  constructor(
    readonly world: World,
    readonly settings: SimulatorSettings,
    readonly platform?: MessagingPlatform,
    readonly oauth?: OAuthEndpoints,
  ) {}

  handle(req: GraphRequest): GraphResult {
    try {
      return this.route(req);
    } catch (error) {
      if (error instanceof FieldSyntaxError) {
        return { ...errors.parse(error.message) };
      }
      if (error instanceof UnknownFieldError) {
        return errors.nonexistingField(error.field, error.nodeType);
      }
      throw error;
    }
  }

  private route(req: GraphRequest): GraphResult {
    const auth = authenticate(this.world, req.presented, req.nowMs, false, this.settings.appTokenWithoutProof);
    if (isErrorBody(auth)) {
      return auth;
    }
    // The Send API, webhook subscriptions and Page installs.
    const platform = this.platform?.route(req, auth);
    if (platform) {
      return platform;
    }
    // Reads only; a POST is a read when it carries Graph's method override (keeps parameters out of URLs).
    if (req.method === 'POST' && req.query.get('method')?.toUpperCase() !== 'GET') {
      return errors.unsupportedPost(req.segments.join('/'));
    }
    req.query.delete('method');
    const fields = req.query.has('fields') ? parseFields(req.query.get('fields') ?? '') : undefined;
    const [first, edge, ...rest] = req.segments;
    if (rest.length > 0) {
      return errors.unsupportedGet(req.segments.join('/'));
    }
    if (first === undefined) {
      const ids = req.query.get('ids');
      if (ids === null) {
        return errors.badParam('Missing ids parameter or node id');
      }
      const list = ids
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const result = this.multi(req, auth, list, fields);
      // Meta counts each ID of a multi-ID request as one call (rate limiting doc).
      return { ...result, token: auth, ...this.businessObject(auth, list[0] ?? auth.subjectId, null), calls: Math.max(1, list.length) };
    }
    if (first === 'debug_token') {
      return this.debugToken(req, auth);
    }
    const nodeId = first === 'me' ? auth.subjectId : first;
    const result = edge === undefined ? this.node(req, auth, nodeId, fields) : this.edge(req, auth, nodeId, edge, fields);
    const charged = { token: auth, ...this.businessObject(auth, nodeId, edge === 'conversations' ? req.query.get('platform') : null) };
    return isErrorBody(result) ? { ...result, ...charged } : { status: 200, body: result, ...charged };
  }

  private businessObject(auth: TokenRecord, nodeId: string, platform: string | null): Partial<GraphResult> {
    if (auth.kind !== 'page') {
      return {};
    }
    const conv = this.world.conversationById.get(nodeId);
    const type =
      conv?.platform ?? (platform === 'instagram' ? 'instagram' : platform !== null || nodeId !== auth.subjectId ? 'messenger' : 'pages');
    return { businessObject: { id: auth.subjectId, type } };
  }

  private multi(req: GraphRequest, auth: TokenRecord, ids: string[], fields: readonly FieldSpec[] | undefined): GraphResult {
    if (ids.length > 50) {
      return errors.badParam('Too many IDs. Maximum: 50.');
    }
    const missing = ids.filter((id) => !this.exists(id));
    if (missing.length > 0) {
      return errors.aliases(missing);
    }
    const body: Record<string, unknown> = {};
    for (const id of ids) {
      const rendered = this.node(req, auth, id, fields);
      if (isErrorBody(rendered)) {
        return rendered;
      }
      body[id] = rendered;
    }
    return { status: 200, body, token: auth };
  }

  private exists(id: string): boolean {
    return Boolean(
      this.world.page(id) ??
      this.world.app(id) ??
      this.world.conversationById.get(id) ??
      this.world.scopedIds.get(id) ??
      (id.startsWith('m_') || id.startsWith('aWdGG') ? this.world.findMessage(id) : undefined),
    );
  }

  private node(req: GraphRequest, auth: TokenRecord, id: string, fields: readonly FieldSpec[] | undefined): Rendered | Fail {
    const world = this.world;
    const user = world.users.find((u) => u.id === id);
    if (user) {
      if (auth.kind !== 'user' || auth.subjectId !== id) {
        return errors.unsupportedGet(id);
      }
      // Page-only fields such as instagram_business_account do not exist on a User.
      const unknown = (fields ?? []).find((f) => !USER_FIELDS.has(f.name));
      return unknown
        ? errors.nonexistingField(unknown.name, 'User')
        : withId(pick({ id: user.id, name: user.name }, fields, ['name', 'id'], 'User'), user.id);
    }
    const page = world.page(id);
    if (page) {
      return this.pageNode(req, auth, page, fields);
    }
    const app = world.app(id);
    if (app) {
      return withId(
        pick(
          {
            id: app.id,
            name: app.name,
            link: app.link,
            ...(app.category ? { category: app.category } : {}),
            ...(app.namespace ? { namespace: app.namespace } : {}),
          },
          fields,
          ['id', 'name', 'link', 'category', 'namespace'],
          'Application',
        ),
        app.id,
      );
    }
    const conv = world.conversationById.get(id);
    if (conv) {
      return this.conversationNode(req, auth, conv, fields);
    }
    const scoped = world.scopedIds.get(id);
    if (scoped) {
      return this.userNode(req, auth, id, fields);
    }
    if (id.startsWith('m_') || id.startsWith('aWdGG')) {
      const found = world.findMessage(id);
      if (found) {
        return this.messageNode(auth, found.conv, found.message, found.index, fields, true);
      }
    }
    return errors.unsupportedGet(id);
  }

  private pageNode(req: GraphRequest, auth: TokenRecord, page: FbPage, fields: readonly FieldSpec[] | undefined): Rendered | Fail {
    const allowed =
      (auth.kind === 'page' && auth.subjectId === page.id) ||
      (auth.kind === 'user' && this.world.users.some((u) => u.id === auth.subjectId && u.pageIds.includes(page.id)));
    if (!allowed) {
      return errors.unsupportedGet(page.id);
    }
    const out: Rendered = {};
    for (const f of fields ?? named('name', 'id')) {
      switch (f.name) {
        case 'id':
          out.id = page.id;
          break;
        case 'name':
          out.name = page.name;
          break;
        case 'category':
          out.category = page.category;
          break;
        case 'link':
          out.link = `https://www.facebook.com/${page.slug}/`;
          break;
        case 'instagram_business_account':
          if (page.instagram) {
            out.instagram_business_account = pick(
              { id: page.instagram.id, username: page.instagram.username },
              f.children,
              ['id'],
              'IGUser',
            );
          }
          break;
        case 'conversations': {
          const r = this.conversationsEdge(req, auth, page, f.children, nestedSource(f, `${page.id}/conversations`));
          if (isErrorBody(r)) {
            return r;
          }
          out.conversations = r;
          break;
        }
        default:
          return errors.nonexistingField(f.name, 'Page');
      }
    }
    return withId(out, page.id);
  }

  private edge(req: GraphRequest, auth: TokenRecord, id: string, edge: string, fields: readonly FieldSpec[] | undefined): Rendered | Fail {
    const world = this.world;
    if (edge === 'accounts') {
      const user = world.users.find((u) => u.id === id);
      if (!user) {
        return errors.nonexistingField('accounts', auth.kind === 'page' ? 'Page' : 'Application');
      }
      const pages = user.pageIds.map((pid) => world.page(pid)).filter((p): p is FbPage => p !== undefined);
      const rendered = pages.map((p) =>
        pick(
          {
            access_token: this.oauth?.pageTokenFor(auth, p) ?? p.accessToken,
            category: p.category,
            category_list: [{ id: '2201', name: p.category }],
            name: p.name,
            id: p.id,
            tasks: ['ANALYZE', 'ADVERTISE', 'MESSAGING', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
            ...(p.instagram ? { instagram_business_account: { id: p.instagram.id } } : {}),
          },
          fields,
          ['access_token', 'category', 'category_list', 'name', 'id', 'tasks'],
          'Page',
        ),
      );
      return this.paged(req, rendered, `accounts:${id}`, { limit: 25, max: 100 }, topSource(req));
    }
    const page = world.page(id);
    if (page && edge === 'conversations') {
      return this.conversationsEdge(req, auth, page, fields, topSource(req));
    }
    const conv = world.conversationById.get(id);
    if (conv && edge === 'messages') {
      const access = this.conversationAccess(auth, conv);
      return access ?? this.messagesEdge(req, auth, conv, fields, topSource(req));
    }
    if (world.scopedIds.has(id) && (edge === 'ids_for_apps' || edge === 'ids_for_pages')) {
      return this.idsEdge(req, auth, id, edge, topSource(req));
    }
    if (!this.exists(id)) {
      return errors.unsupportedGet(id);
    }
    return errors.unsupportedGet(`${id}/${edge}`);
  }

  private conversationAccess(auth: TokenRecord, conv: Conversation): Fail | undefined {
    if (auth.kind !== 'page') {
      return errors.permission('A page access token is required to request this resource.');
    }
    return auth.subjectId === conv.pageId ? undefined : errors.unsupportedGet(conv.id);
  }

  private conversationsEdge(
    req: GraphRequest,
    auth: TokenRecord,
    page: FbPage,
    fields: readonly FieldSpec[] | undefined,
    source: EdgeSource,
  ): Rendered | Fail {
    const query = source.query;
    if (auth.kind !== 'page') {
      return errors.permission('A page access token is required to request this resource.');
    }
    if (auth.subjectId !== page.id) {
      return errors.unsupportedGet(page.id);
    }
    const platform = (query.get('platform') ?? 'messenger').toLowerCase();
    if (platform !== 'messenger' && platform !== 'instagram') {
      return errors.badParam('Param platform must be one of {INSTAGRAM, MESSENGER}');
    }
    if (platform === 'instagram' && !page.instagram) {
      return graphPermissionNoInstagram();
    }
    const folder = query.get('folder') ?? 'inbox';
    if (!['inbox', 'other', 'page_done', 'spam', 'pending'].includes(folder)) {
      return errors.badParam(`Param folder must be one of {inbox, other, page_done, spam, pending}`);
    }
    let list = (this.world.conversations.get(page.id) ?? []).filter((c) => c.platform === platform && c.folder === folder);
    const userId = query.get('user_id');
    let defaults = ['id', 'updated_time'];
    if (userId !== null) {
      const scoped = this.world.scopedIds.get(userId);
      const scopeId = platform === 'messenger' ? page.id : page.instagram?.id;
      if (!scoped || scoped.scopeId !== scopeId) {
        return errors.badParam(
          `Param user_id must be a valid ${platform === 'messenger' ? 'page-scoped' : 'Instagram-scoped'} ID for this account`,
        );
      }
      list = (this.world.conversations.get(page.id) ?? []).filter((c) => c.platform === platform && c.personIndex === scoped.person.index);
      defaults = ['id'];
    }
    // Page first, then render only the page: a Page with 10,000 threads stays cheap to list.
    const paged = this.paged(
      req,
      list as unknown as Rendered[],
      `conv:${page.id}:${platform}:${folder}:${userId ?? ''}`,
      { limit: this.settings.conversationsDefaultLimit, max: this.settings.conversationsMaxLimit },
      source,
    );
    if (isErrorBody(paged)) {
      return paged;
    }
    const slice = paged.data as Conversation[];
    const rendered = (slice.length > 0 ? slice : list.slice(0, 1)).map((c) => this.renderConversation(req, auth, c, fields, defaults));
    const failed = rendered.find(isErrorBody);
    if (failed) {
      return failed;
    }
    return { ...paged, data: slice.length > 0 ? rendered : [] };
  }

  private conversationNode(
    req: GraphRequest,
    auth: TokenRecord,
    conv: Conversation,
    fields: readonly FieldSpec[] | undefined,
  ): Rendered | Fail {
    return this.conversationAccess(auth, conv) ?? this.renderConversation(req, auth, conv, fields, ['id', 'updated_time']);
  }

  private participant(conv: Conversation, page: FbPage, person: Person): Rendered[] {
    const name = conv.hostile ? hostileName : person.name;
    if (conv.platform === 'instagram') {
      const ig = page.instagram;
      return [
        { username: conv.hostile ? hostileName : person.username, id: person.igsids.get(ig?.id ?? '') ?? '' },
        { username: ig?.username ?? '', id: ig?.id ?? '' },
      ];
    }
    const psid = person.psids.get(page.id) ?? '';
    return [
      { name, email: `${psid}@facebook.com`, id: psid },
      { name: page.name, email: `${page.id}@facebook.com`, id: page.id },
    ];
  }

  private renderConversation(
    req: GraphRequest,
    auth: TokenRecord,
    conv: Conversation,
    fields: readonly FieldSpec[] | undefined,
    defaults: string[],
  ): Rendered | Fail {
    const page = this.world.page(conv.pageId) as FbPage;
    const person = this.world.people[conv.personIndex];
    const out: Rendered = {};
    for (const f of fields ?? named(...defaults)) {
      switch (f.name) {
        case 'id':
          out.id = conv.id;
          break;
        case 'updated_time':
          out.updated_time = iso(conv.updatedTime);
          break;
        case 'link':
          out.link =
            conv.platform === 'messenger'
              ? `/${page.slug}/inbox/${conv.id.slice(2)}/`
              : `https://business.facebook.com/latest/inbox/all?asset_id=${page.id}&thread_type=IG_MESSAGE`;
          break;
        case 'message_count':
          out.message_count = conv.messageCount;
          break;
        case 'unread_count':
          out.unread_count = conv.unreadCount;
          break;
        case 'snippet':
          out.snippet = snippetOf(this.world.messages(conv)[0]);
          break;
        case 'can_reply':
          out.can_reply = true;
          break;
        case 'is_subscribed':
          out.is_subscribed = true;
          break;
        case 'scoped_thread_key':
          out.scoped_thread_key = conv.id;
          break;
        case 'folder':
          out.folder = conv.folder;
          break;
        case 'participants':
        case 'senders':
          out[f.name] = { data: this.participant(conv, page, person).map((p) => pick(p, f.children, Object.keys(p), 'Participant')) };
          break;
        case 'messages': {
          const r = this.messagesEdge(req, auth, conv, f.children, nestedSource(f, `${conv.id}/messages`));
          if (isErrorBody(r)) {
            return r;
          }
          out.messages = r;
          break;
        }
        default:
          return errors.nonexistingField(f.name, 'UnifiedThread');
      }
    }
    return withId(out, conv.id);
  }

  private messagesEdge(
    req: GraphRequest,
    auth: TokenRecord,
    conv: Conversation,
    fields: readonly FieldSpec[] | undefined,
    source: EdgeSource,
  ): Rendered | Fail {
    const messages = this.world.messages(conv);
    this.world.indexMessages(conv, messages);
    const rendered: Rendered[] = [];
    for (let i = 0; i < messages.length; i++) {
      const r = this.messageNode(auth, conv, messages[i], i, fields, false);
      if (isErrorBody(r)) {
        return r;
      }
      rendered.push(r);
    }
    return this.paged(
      req,
      rendered,
      `msg:${conv.id}`,
      { limit: this.settings.messagesDefaultLimit, max: this.settings.messagesMaxLimit },
      source,
    );
  }

  private messageNode(
    auth: TokenRecord,
    conv: Conversation,
    m: Message,
    index: number,
    fields: readonly FieldSpec[] | undefined,
    detail: boolean,
  ): Rendered | Fail {
    const access = this.conversationAccess(auth, conv);
    if (access) {
      return access;
    }
    const limit = conv.platform === 'instagram' ? this.settings.instagramMessageLimit : this.settings.messengerMessageLimit;
    const wantsDetail = (fields ?? []).some((f) => f.name !== 'id' && f.name !== 'created_time');
    if (limit > 0 && index >= limit && (detail || wantsDetail)) {
      if (detail) {
        return errors.messageTooOld();
      }
      // In a list, older messages keep only id and created_time, as the API returns them.
      return { id: m.id, created_time: iso(m.createdTime) };
    }
    const page = this.world.page(conv.pageId) as FbPage;
    const person = this.world.people[conv.personIndex];
    const [personRef, pageRef] = this.participant(conv, page, person) as [Rendered, Rendered];
    const from = m.fromPage ? pageRef : personRef;
    const to = m.fromPage ? personRef : pageRef;
    const out: Rendered = {};
    for (const f of fields ?? named('id', 'created_time')) {
      switch (f.name) {
        case 'id':
          out.id = m.id;
          break;
        case 'created_time':
          out.created_time = iso(m.createdTime);
          break;
        case 'message':
          out.message = m.text;
          break;
        case 'from':
          out.from = pick(from, f.children, Object.keys(from), 'Participant');
          break;
        case 'to':
          out.to = { data: [pick(to, f.children, Object.keys(to), 'Participant')] };
          break;
        case 'sticker':
          if (m.sticker) {
            out.sticker = m.sticker;
          }
          break;
        case 'attachments':
          if (m.attachments) {
            out.attachments = { data: m.attachments.map((a) => pick({ ...a }, f.children, Object.keys(a), 'MessageAttachment')) };
          }
          break;
        case 'tags':
          if (m.tags.length > 0) {
            out.tags = { data: m.tags.map((name) => ({ name })) };
          }
          break;
        case 'reactions':
          if (m.reactions) {
            out.reactions = { data: m.reactions.map((r) => ({ reaction: r.reaction, users: [personRef] })) };
          }
          break;
        case 'shares':
          if (m.shares) {
            out.shares = {
              data: m.shares.map((sh) =>
                pick({ ...sh }, f.children ?? named(...this.settings.sharesDefaultFields), Object.keys(sh), 'Share'),
              ),
            };
          }
          break;
        case 'story':
        case 'is_unsupported':
        case 'reply_to':
          break;
        default:
          return errors.nonexistingField(f.name, 'Message');
      }
    }
    return withId(out, m.id);
  }

  /** The ID-matching API, with the token rules of Meta's "Connecting with People Across Apps" page. */
  private idsEdge(
    req: GraphRequest,
    auth: TokenRecord,
    id: string,
    edge: 'ids_for_apps' | 'ids_for_pages',
    source: EdgeSource,
  ): Rendered | Fail {
    const result = this.linkedIds(auth, id, edge, req.presented, source.query.get(edge === 'ids_for_apps' ? 'app' : 'page'));
    if (isErrorBody(result)) {
      return result;
    }
    return this.paged(req, result, `${edge}:${id}`, { limit: 25, max: 100 }, source);
  }

  private linkedIds(
    auth: TokenRecord,
    id: string,
    edge: 'ids_for_apps' | 'ids_for_pages',
    presented: Presented,
    filter: string | null,
  ): Rendered[] | Fail {
    const world = this.world;
    const scoped = world.scopedIds.get(id);
    if (!scoped) {
      return errors.unsupportedGet(id);
    }
    const tokenApp = world.app(auth.appId);
    const scopeBusiness =
      scoped.scope === 'app'
        ? world.app(scoped.scopeId)?.businessId
        : (scoped.scope === 'page' ? world.page(scoped.scopeId) : world.pageByInstagram(scoped.scopeId))?.businessId;
    // Which tokens may read this ID at all: its own Page's token, or its own app's token.
    const ownScope =
      (scoped.scope === 'page' && auth.kind === 'page' && auth.subjectId === scoped.scopeId) ||
      (scoped.scope === 'app' && auth.kind === 'app' && auth.subjectId === scoped.scopeId);
    if (!ownScope) {
      if (tokenApp && scopeBusiness && tokenApp.businessId !== scopeBusiness) {
        return errors.businessReview();
      }
      return errors.unsupportedGet(id);
    }
    if (!tokenApp || world.app(auth.appId)?.businessId !== scopeBusiness) {
      return errors.businessReview();
    }
    if (this.settings.businessesUnderReview.has(tokenApp.businessId)) {
      return errors.businessReview();
    }
    // ids_for_* need appsecret_proof with a Page token (seed 001); an app token carries the secret itself
    // (seed 001 "Example queries": app token, no proof, ids_for_apps and ids_for_pages).
    const proofNeeded = !(auth.kind === 'app' && (edge === 'ids_for_apps' || this.settings.appTokenWithoutProof));
    if (proofNeeded && !presented.proof) {
      return errors.proofMissing();
    }
    if (auth.kind === 'page' && edge === 'ids_for_apps' && !scoped.person.asids.has(tokenApp.id)) {
      // Synthetic text: Meta says the user must have installed the app making the request.
      return errors.permission10('The user has not installed the app making the request, so no app-scoped IDs can be returned.');
    }
    const person = scoped.person;
    if (edge === 'ids_for_apps') {
      const apps = world.apps.filter(
        (a) => a.businessId === scopeBusiness && person.asids.has(a.id) && (filter === null || a.id === filter),
      );
      return apps.map((a) => ({
        id: person.asids.get(a.id),
        app: {
          ...(a.category ? { category: a.category } : {}),
          link: a.link,
          name: a.name,
          ...(a.namespace ? { namespace: a.namespace } : {}),
          id: a.id,
        },
      }));
    }
    const pages = world.pages.filter(
      (p) => p.businessId === scopeBusiness && person.psids.has(p.id) && (filter === null || p.id === filter),
    );
    return pages.map((p) => ({
      id: person.psids.get(p.id),
      page: { category: p.category, link: `https://www.facebook.com/${p.slug}/`, name: p.name, id: p.id },
    }));
  }

  private userNode(req: GraphRequest, auth: TokenRecord, id: string, fields: readonly FieldSpec[] | undefined): Rendered | Fail {
    const scoped = this.world.scopedIds.get(id);
    if (!scoped) {
      return errors.unsupportedGet(id);
    }
    const person = scoped.person;
    const out: Rendered = {};
    for (const f of fields ?? named('name', 'id')) {
      switch (f.name) {
        case 'id':
          out.id = id;
          break;
        case 'name':
        case 'first_name':
        case 'last_name':
        case 'username':
        case 'profile_pic': {
          const visible =
            (auth.kind === 'page' &&
              (auth.subjectId === scoped.scopeId || this.world.page(auth.subjectId)?.instagram?.id === scoped.scopeId)) ||
            (auth.kind === 'app' && auth.subjectId === scoped.scopeId);
          if (!visible) {
            return errors.unsupportedGet(id);
          }
          const [first, ...last] = person.name.split(' ');
          out[f.name] =
            f.name === 'name'
              ? person.name
              : f.name === 'first_name'
                ? first
                : f.name === 'last_name'
                  ? last.join(' ')
                  : f.name === 'profile_pic'
                    ? profilePic(id, scoped.scope)
                    : person.username;
          break;
        }
        case 'ids_for_apps':
        case 'ids_for_pages': {
          const items = this.linkedIds(auth, id, f.name, req.presented, f.modifiers[f.name === 'ids_for_apps' ? 'app' : 'page'] ?? null);
          if (isErrorBody(items)) {
            return items;
          }
          const r = this.paged(req, items, `${f.name}:${id}`, { limit: 25, max: 100 }, nestedSource(f, `${id}/${f.name}`));
          if (isErrorBody(r)) {
            return r;
          }
          out[f.name] = r;
          break;
        }
        case 'is_payment_enabled':
          out.is_payment_enabled = false;
          break;
        case 'age_range':
          out.age_range = { min: 21 };
          break;
        default:
          return errors.nonexistingField(f.name, 'User');
      }
    }
    return withId(out, id);
  }

  private debugToken(req: GraphRequest, auth: TokenRecord): GraphResult {
    if (auth.kind === 'page') {
      return errors.permission10('The App_id in the input_token did not match the Viewing App');
    }
    const input = req.query.get('input_token');
    if (!input) {
      return errors.badParam('The parameter input_token is required');
    }
    const record = this.world.tokens.get(input);
    if (!record) {
      return {
        status: 200,
        body: { data: { error: { code: 190, message: 'Invalid OAuth access token.' }, is_valid: false, scopes: [] } },
        token: auth,
      };
    }
    const app = this.world.app(record.appId);
    const expired = record.expiresAt > 0 && record.expiresAt * 1000 < this.world.clock();
    const data: Rendered = {
      app_id: record.appId,
      type: record.kind.toUpperCase(),
      application: app?.name ?? '',
      // 90 days after the person last used the app: here, after the token was issued.
      data_access_expires_at: record.kind === 'app' ? 0 : Math.max(record.issuedAt, Math.floor(this.world.now / 1000)) + 90 * 86_400,
      expires_at: record.expiresAt,
      is_valid: record.valid && !expired,
      issued_at: record.issuedAt,
      scopes: record.scopes,
      granular_scopes: record.scopes.map((scope) => ({ scope, ...(record.kind === 'page' ? { target_ids: [record.subjectId] } : {}) })),
      ...(record.kind === 'page' ? { profile_id: record.subjectId } : {}),
      ...(record.kind === 'user' ? { user_id: record.subjectId } : record.kind === 'page' ? { user_id: this.world.users[0]?.id } : {}),
      ...(!record.valid
        ? { error: { code: 190, message: 'The session has been invalidated.', subcode: record.invalidSubcode ?? 467 } }
        : {}),
    };
    return { status: 200, body: { data }, token: auth };
  }

  private paged(
    req: GraphRequest,
    items: readonly Rendered[],
    key: string,
    defaults: { limit: number; max: number },
    source: EdgeSource,
  ): Rendered | Fail {
    const { query, path } = source;
    const result = paginate(
      items,
      key,
      { limit: query.get('limit'), after: query.get('after'), before: query.get('before') },
      defaults,
      (param, cursor) => {
        const next = new URLSearchParams(source.base);
        next.delete('after');
        next.delete('before');
        next.delete('appsecret_proof');
        next.delete('appsecret_time');
        const limit = query.get('limit');
        if (limit !== null) {
          next.set('limit', limit);
        }
        next.set(param, cursor);
        if (this.settings.tokenInNextUrl && req.presented.token) {
          next.set('access_token', req.presented.token);
        }
        return `${req.origin}/${req.version}/${path}?${next.toString()}`;
      },
      req.paging,
    );
    return isErrorBody(result) ? result : (result as unknown as Rendered);
  }
}

function named(...names: string[]): FieldSpec[] {
  return names.map((name) => ({ name, modifiers: {} }));
}

/** Nodes always carry their `id`, after the requested fields, as in every example answer of Meta's docs. */
function withId(out: Rendered, id: string): Rendered {
  if (!('id' in out)) {
    out.id = id;
  }
  return out;
}

/** An edge asked for in the path (`/{page}/conversations?limit=2`): `next` repeats the request's parameters. */
function topSource(req: GraphRequest): EdgeSource {
  return { query: req.query, path: req.segments.join('/'), base: req.query };
}

/**
 * An edge nested in `fields` (`/{conv}?fields=messages.limit(2){id,message}`): `next` is the URL of
 * the next page of that edge, `/{conv}/messages?limit=2&fields=id,message&after=…`, as Meta's is.
 */
function nestedSource(f: FieldSpec, path: string): EdgeSource {
  const base = new URLSearchParams();
  for (const [k, v] of Object.entries(f.modifiers)) {
    if (k !== 'after' && k !== 'before') {
      base.set(k, v);
    }
  }
  if (f.children) {
    base.set('fields', serializeFields(f.children));
  }
  return { query: modifierQuery(f), path, base };
}

/** FieldSpecs back to Graph's field syntax. */
export function serializeFields(fields: readonly FieldSpec[]): string {
  return fields
    .map(
      (f) =>
        `${f.name}${Object.entries(f.modifiers)
          .map(([k, v]) => `.${k}(${v})`)
          .join('')}${f.children ? `{${serializeFields(f.children)}}` : ''}`,
    )
    .join(',');
}

/** The User Profile API's `profile_pic`: a signed, expiring CDN URL (shape as Meta's, values synthetic). */
function profilePic(id: string, scope: string): string {
  return scope === 'instagram'
    ? `https://scontent.cdninstagram.com/v/t51.2885-19/${id}_n.jpg`
    : `https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=${id}&width=1024&ext=1798761600&hash=AbSim`;
}

function graphPermissionNoInstagram(): Fail {
  return errors.permission('This Page has no linked Instagram professional account (instagram_manage_messages).');
}

/** `messages.limit(5).after(X)` modifiers act like query parameters of the nested edge. */
function modifierQuery(f: FieldSpec): URLSearchParams {
  return new URLSearchParams(Object.entries(f.modifiers));
}

function snippetOf(m: Message | undefined): string {
  if (!m) {
    return '';
  }
  if (m.sticker) {
    return 'Sent a sticker.';
  }
  if (m.attachments && m.text === '') {
    return 'Sent an attachment.';
  }
  if (m.shares && m.text === '') {
    // Synthetic text: Meta's snippet for a shared post is not documented.
    return 'Shared a link.';
  }
  return m.text.slice(0, 100);
}

/** Selects requested fields of a plain object; unknown fields are the real API's (#100) error. */
function pick(source: Rendered, fields: readonly FieldSpec[] | undefined, defaults: readonly string[], nodeType: string): Rendered {
  const out: Rendered = {};
  const names = fields ? fields.map((f) => f.name) : defaults;
  for (const name of names) {
    if (name in source) {
      out[name] = source[name];
    } else if (fields && !KNOWN_OPTIONAL.has(name)) {
      throw new UnknownFieldError(name, nodeType);
    }
  }
  // Objects that are nodes (they have an id) always carry it, whatever fields named.
  return typeof source.id === 'string' && source.id !== '' ? withId(out, source.id) : out;
}

const USER_FIELDS = new Set(['id', 'name', 'first_name', 'last_name', 'email', 'picture', 'short_name']);

const KNOWN_OPTIONAL = new Set([
  'description',
  'category',
  'namespace',
  'email',
  'name',
  'username',
  'image_data',
  'file_url',
  'video_data',
  'mime_type',
  'size',
  'link',
  'instagram_business_account',
  'category_list',
  'access_token',
  'tasks',
  'generic_template',
]);

export class UnknownFieldError extends Error {
  constructor(
    readonly field: string,
    readonly nodeType: string,
  ) {
    super(`(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`);
  }
}
