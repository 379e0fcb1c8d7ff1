import { array, edgeData, id, Json, object, optionalString } from './decode';
import { asGraphError, GraphError } from './errors';
import {
  decodeConversation,
  decodeLinkedApp,
  decodeLinkedPage,
  decodeManagedPage,
  decodeMessage,
  decodeTokenInfo,
  Conversation,
  Folder,
  LinkedApp,
  LinkedPage,
  ManagedPage,
  Message,
  Platform,
  TokenInfo,
} from './models';
import { decodePage, Page, pageAll } from './paging';
import { Credentials, errorInBody, GraphTransport, Params } from './transport';
import type { DeviceCode, DeviceToken } from '../accounts/deviceLogin';
import { parseUsage, peakUsage, Usage } from './usage';

/** Fields requested so that one tree level costs one request (field expansion). */
export const CONVERSATION_FIELDS = 'id,updated_time,link,message_count,unread_count,snippet,can_reply,participants';
/** Shares need their sub-fields named (reference A5): a shared post is shown by its link and title. */
export const SHARE_FIELDS = 'shares{link,name,description}';
export const MESSAGE_FIELDS = `id,created_time,from,to,message,attachments,sticker,tags,${SHARE_FIELDS}`;
export const MESSAGE_DETAIL_FIELDS = `id,created_time,from,to,message,attachments,sticker,tags,reactions,${SHARE_FIELDS}`;

/** Pages of a nested ids_for_* edge followed at most, per ID: a bound against a server that never ends. */
const MAX_LINKED_PAGES = 20;

export interface ListOptions {
  readonly limit?: number;
  readonly after?: string;
  readonly signal?: AbortSignal;
}

export interface ConversationQuery extends ListOptions {
  readonly platform: Platform;
  readonly folder?: Folder;
  /** A PSID or IGSID: returns only the thread with that person. */
  readonly userId?: string;
  /** Also the newest messages of each thread, up to this many, in the same call (field expansion). */
  readonly newestMessages?: number;
}

export interface LinkedIds {
  readonly id: string;
  readonly name?: string;
  readonly idsForApps: LinkedApp[];
  readonly idsForPages: LinkedPage[];
}

export interface PageProfile {
  readonly id: string;
  readonly name: string;
  readonly category?: string;
  readonly instagram?: { readonly id: string; readonly username?: string };
}

export interface BatchRequest {
  readonly method?: 'GET';
  /** Relative to the version, e.g. `t_1?fields=messages`. Must not carry a token. */
  readonly relativeUrl: string;
  readonly name?: string;
}

/** A batch item's answer; `usage` is what its own headers reported (only with `includeHeaders`). */
export type BatchResult = { ok: true; status: number; body: unknown; usage?: Usage } | { ok: false; error: GraphError; usage?: Usage };

/** One question of a linked-ID request: one ID on its own, or several through `?ids=` (they succeed or fail together). */
export interface LinkedIdsAsk {
  readonly ids: readonly string[];
  /** Only name and ids_for_pages: for people who never used the token's app. */
  readonly pagesOnly?: boolean;
}

export interface LinkedIdsAnswer {
  /** Per ID: its linked IDs, or why its question failed. */
  readonly results: Map<string, LinkedIds | GraphError>;
  /** The highest usage percentage the response reported (response and item headers), when it reported any. */
  readonly usage?: number;
}

/** The people in one page of a Page's (or its Instagram account's) threads, newest thread first. */
export interface ThreadParticipants {
  /** Per thread, in order: the IDs of its participants. */
  readonly threads: string[][];
  readonly after?: string;
  readonly usage?: number;
}

/** Typed Graph API operations used by the extension; every response is validated before use. */
export class GraphClient {
  constructor(readonly transport: GraphTransport) {}

  /** The Pages a user token manages, with their Page tokens and tasks. */
  async listManagedPages(user: Credentials, options: ListOptions = {}): Promise<Page<ManagedPage>> {
    const response = await this.transport.request('me/accounts', user, {
      params: { fields: 'id,name,category,access_token,tasks,instagram_business_account', limit: options.limit, after: options.after },
      signal: options.signal,
    });
    return decodePage(response.body, 'accounts', decodeManagedPage);
  }

  async listConversations(page: Credentials, pageId: string, query: ConversationQuery): Promise<Page<Conversation>> {
    const response = await this.transport.request(`${pageId}/conversations`, page, {
      params: conversationParams(query),
      signal: query.signal,
    });
    return decodePage(response.body, 'conversations', decodeConversation);
  }

  /**
   * The first page of several conversation lists of one Page (Messenger and Instagram) in one
   * HTTP request, through the batch API. Each list succeeds or fails on its own.
   */
  async listConversationsBatch(
    page: Credentials,
    pageId: string,
    queries: readonly ConversationQuery[],
    signal?: AbortSignal,
  ): Promise<(Page<Conversation> | GraphError)[]> {
    const results = await this.batch(
      page,
      queries.map((q) => ({ relativeUrl: `${pageId}/conversations?${toQuery(conversationParams(q))}` })),
      signal,
    );
    return results.map((result, i) => {
      if (!result.ok) {
        return result.error;
      }
      try {
        return decodePage(result.body, `batch[${i}].conversations`, decodeConversation);
      } catch (error) {
        return asGraphError(error);
      }
    });
  }

  /**
   * A conversation's messages, newest first. The first page comes through field expansion on the
   * conversation node; later pages from the messages edge with the `after` cursor.
   */
  async listMessages(page: Credentials, conversationId: string, options: ListOptions = {}): Promise<Page<Message>> {
    const limit = options.limit ?? 20;
    if (options.after === undefined) {
      const response = await this.transport.request(conversationId, page, {
        params: { fields: `messages.limit(${limit}){${MESSAGE_FIELDS}}` },
        signal: options.signal,
      });
      const body = object(response.body, 'conversation');
      if (body.messages === undefined) {
        return { items: [] };
      }
      return decodePage(body.messages, 'conversation.messages', decodeMessage);
    }
    const response = await this.transport.request(`${conversationId}/messages`, page, {
      params: { fields: MESSAGE_FIELDS, limit, after: options.after },
      signal: options.signal,
    });
    return decodePage(response.body, 'messages', decodeMessage);
  }

  /**
   * Sends a text message as the Page through the Send API (`POST /{page-id}/messages`,
   * `messaging_type: RESPONSE`) to a PSID or IGSID.
   */
  async sendMessage(
    page: Credentials,
    pageId: string,
    recipientId: string,
    text: string,
    signal?: AbortSignal,
  ): Promise<{ recipientId: string; messageId: string }> {
    const response = await this.transport.request(`${pageId}/messages`, page, {
      method: 'POST',
      form: {
        recipient: JSON.stringify({ id: recipientId }),
        messaging_type: 'RESPONSE',
        message: JSON.stringify({ text }),
      },
      signal,
      // A message Meta accepted before the answer was lost must not be sent twice.
      idempotent: false,
    });
    const body = object(response.body, 'send');
    return { recipientId: optionalString(body, 'recipient_id', 'send') ?? recipientId, messageId: id(body, 'message_id', 'send') };
  }

  async getMessage(page: Credentials, messageId: string, signal?: AbortSignal): Promise<Message> {
    const response = await this.transport.request(messageId, page, { params: { fields: MESSAGE_DETAIL_FIELDS }, signal });
    return decodeMessage(object(response.body, 'message'), 'message');
  }

  async idsForApps(credentials: Credentials, userId: string, options: ListOptions & { app?: string } = {}): Promise<Page<LinkedApp>> {
    const response = await this.transport.request(`${userId}/ids_for_apps`, credentials, {
      params: { app: options.app, limit: options.limit, after: options.after },
      signal: options.signal,
    });
    return decodePage(response.body, 'ids_for_apps', decodeLinkedApp);
  }

  async idsForPages(credentials: Credentials, userId: string, options: ListOptions & { page?: string } = {}): Promise<Page<LinkedPage>> {
    const response = await this.transport.request(`${userId}/ids_for_pages`, credentials, {
      params: { page: options.page, limit: options.limit, after: options.after },
      signal: options.signal,
    });
    return decodePage(response.body, 'ids_for_pages', decodeLinkedPage);
  }

  /** The seeds' combined query: name, ids_for_apps and ids_for_pages in one request. */
  async linkedIds(credentials: Credentials, userId: string, filter: LinkedIdsFilter = {}, signal?: AbortSignal): Promise<LinkedIds> {
    const response = await this.transport.request(userId, credentials, { params: { fields: linkedIdsFields(filter) }, signal });
    return this.completeLinkedIds(credentials, decodeLinkedIds(object(response.body, 'user'), 'user', userId), filter, signal);
  }

  /**
   * Follows the nested ids_for_apps / ids_for_pages edges past their first page, from the `after`
   * cursor (never the `next` URL, which can carry the token), so no linked ID is lost.
   */
  private async completeLinkedIds(
    credentials: Credentials,
    partial: PartialLinkedIds,
    filter: LinkedIdsFilter,
    signal?: AbortSignal,
  ): Promise<LinkedIds> {
    const { appsAfter, pagesAfter, ...linked } = partial;
    const idsForApps = [...linked.idsForApps];
    const idsForPages = [...linked.idsForPages];
    if (appsAfter !== undefined) {
      for await (const page of pageAll(
        (after) => this.idsForApps(credentials, linked.id, { app: filter.app, after: after ?? appsAfter, signal }),
        { maxPages: MAX_LINKED_PAGES, signal },
      )) {
        idsForApps.push(...page.items);
      }
    }
    if (pagesAfter !== undefined) {
      for await (const page of pageAll(
        (after) => this.idsForPages(credentials, linked.id, { page: filter.page, after: after ?? pagesAfter, signal }),
        { maxPages: MAX_LINKED_PAGES, signal },
      )) {
        idsForPages.push(...page.items);
      }
    }
    return { ...linked, idsForApps, idsForPages };
  }

  /** Several nodes in one request (`?ids=`), keyed by ID. At most 50 IDs. */
  async getMany(credentials: Credentials, ids: readonly string[], fields: string, signal?: AbortSignal): Promise<Record<string, Json>> {
    if (ids.length === 0) {
      return {};
    }
    if (ids.length > 50) {
      throw new GraphError({ kind: 'badRequest', message: `At most 50 IDs per request, got ${ids.length}.` });
    }
    const response = await this.transport.request('', credentials, { params: { ids: ids.join(','), fields }, signal });
    const body = object(response.body, 'response');
    const out: Record<string, Json> = {};
    for (const key of Object.keys(body)) {
      out[key] = object(body[key], `response.${key}`);
    }
    return out;
  }

  /** Linked IDs of many people in one request: `?ids=a,b&fields=name,ids_for_apps,ids_for_pages`. */
  async linkedIdsMany(
    credentials: Credentials,
    ids: readonly string[],
    filter: LinkedIdsFilter = {},
    signal?: AbortSignal,
  ): Promise<Map<string, LinkedIds>> {
    const raw = await this.getMany(credentials, ids, linkedIdsFields(filter), signal);
    const out = new Map<string, LinkedIds>();
    for (const [key, value] of Object.entries(raw)) {
      out.set(key, await this.completeLinkedIds(credentials, decodeLinkedIds(value, `response.${key}`, key), filter, signal));
    }
    return out;
  }

  /** Linked IDs of up to 50 people with one batch request; unlike `?ids=`, each ID succeeds or fails on its own. */
  async linkedIdsEach(
    credentials: Credentials,
    ids: readonly string[],
    filter: LinkedIdsFilter = {},
    signal?: AbortSignal,
  ): Promise<Map<string, LinkedIds | GraphError>> {
    const fields = encodeURIComponent(linkedIdsFields(filter));
    const results = await this.batch(
      credentials,
      ids.map((id) => ({ relativeUrl: `${id}?fields=${fields}` })),
      signal,
    );
    const out = new Map<string, LinkedIds | GraphError>();
    for (const [i, result] of results.entries()) {
      const id = ids[i];
      if (!result.ok) {
        out.set(id, result.error);
        continue;
      }
      try {
        out.set(
          id,
          await this.completeLinkedIds(credentials, decodeLinkedIds(object(result.body, `batch[${i}]`), `batch[${i}]`, id), filter, signal),
        );
      } catch (error) {
        if (error instanceof GraphError && (error.kind === 'cancelled' || error.kind === 'rateLimited')) {
          throw error;
        }
        out.set(id, asGraphError(error));
      }
    }
    return out;
  }

  /**
   * Linked-ID questions of one account in one HTTP request, each counted by Meta as one call per ID.
   * A lone `?ids=` question goes as a plain GET; otherwise a batch of up to 50 items, where an item
   * with one ID (`/{id}?fields=…`) succeeds or fails on its own and an item with several (`?ids=…`)
   * succeeds or fails as a whole. Failures of the HTTP request itself are thrown; failures of a
   * question are in the results. The usage headers (of the response and of each item) are read so
   * the caller can pace itself.
   */
  async linkedIdsAsk(
    credentials: Credentials,
    asks: readonly LinkedIdsAsk[],
    filter: LinkedIdsFilter = {},
    signal?: AbortSignal,
  ): Promise<LinkedIdsAnswer> {
    const results = new Map<string, LinkedIds | GraphError>();
    let usage: number | undefined;
    const observe = (u: Usage | undefined) => {
      if (u && (u.app || u.page || u.business.length > 0)) {
        usage = Math.max(usage ?? 0, peakUsage(u));
      }
    };
    const only = asks.length === 1 ? asks[0] : undefined;
    if (only && only.ids.length > 1) {
      const f = { ...filter, pagesOnly: only.pagesOnly };
      try {
        const response = await this.transport.request('', credentials, {
          params: { ids: only.ids.join(','), fields: linkedIdsFields(f) },
          signal,
        });
        observe(response.usage);
        await this.decodeMany(credentials, response.body, only.ids, f, results, 'response', signal);
      } catch (error) {
        if (!(error instanceof GraphError) || PROPAGATE.has(error.kind)) {
          throw error;
        }
        observe(error.usage);
        only.ids.forEach((id) => results.set(id, error));
      }
      return { results, usage };
    }
    if (asks.length > 50) {
      throw new GraphError({ kind: 'badRequest', message: `At most 50 requests per batch, got ${asks.length}.` });
    }
    const requests = asks.map((ask): BatchRequest => {
      const fields = encodeURIComponent(linkedIdsFields({ ...filter, pagesOnly: ask.pagesOnly }));
      return { relativeUrl: ask.ids.length === 1 ? `${ask.ids[0]}?fields=${fields}` : `?ids=${ask.ids.join(',')}&fields=${fields}` };
    });
    const answers = await this.batch(credentials, requests, signal, { includeHeaders: true, onUsage: observe });
    for (const [i, answer] of answers.entries()) {
      const ask = asks[i];
      const f = { ...filter, pagesOnly: ask.pagesOnly };
      if (!answer.ok) {
        ask.ids.forEach((id) => results.set(id, answer.error));
        continue;
      }
      try {
        if (ask.ids.length === 1) {
          const id = ask.ids[0];
          results.set(
            id,
            await this.completeLinkedIds(credentials, decodeLinkedIds(object(answer.body, `batch[${i}]`), `batch[${i}]`, id), f, signal),
          );
        } else {
          await this.decodeMany(credentials, answer.body, ask.ids, f, results, `batch[${i}]`, signal);
        }
      } catch (error) {
        if (error instanceof GraphError && PROPAGATE.has(error.kind)) {
          throw error;
        }
        const failure = error instanceof GraphError ? error : new GraphError({ kind: 'malformed', message: String(error) });
        ask.ids.filter((id) => !results.has(id)).forEach((id) => results.set(id, failure));
      }
    }
    return { results, usage };
  }

  private async decodeMany(
    credentials: Credentials,
    raw: unknown,
    ids: readonly string[],
    filter: LinkedIdsFilter,
    into: Map<string, LinkedIds | GraphError>,
    path: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const body = object(raw, path);
    for (const id of ids) {
      const value = body[id];
      into.set(
        id,
        value === undefined || value === null
          ? new GraphError({ kind: 'notFound', message: `${id} is missing from the response.` })
          : await this.completeLinkedIds(credentials, decodeLinkedIds(object(value, `${path}.${id}`), `${path}.${id}`, id), filter, signal),
      );
    }
  }

  /**
   * Which of these IDs do not exist at all (deleted or mistyped): `?ids=…&fields=id`, one call per ID.
   * Meta answers `(#803) Some of the aliases you requested do not exist: …` naming them. Undefined
   * when the answer does not say (any other failure).
   */
  async missingIds(
    credentials: Credentials,
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ missing?: Set<string>; usage?: number }> {
    if (ids.length === 0 || ids.length > 50) {
      throw new GraphError({ kind: 'badRequest', message: `Between 1 and 50 IDs per request, got ${ids.length}.` });
    }
    try {
      const response = await this.transport.request('', credentials, { params: { ids: ids.join(','), fields: 'id' }, signal });
      return { missing: new Set(), usage: peakUsage(response.usage) };
    } catch (error) {
      if (!(error instanceof GraphError) || PROPAGATE.has(error.kind)) {
        throw error;
      }
      const usage = error.usage ? peakUsage(error.usage) : undefined;
      if (error.code !== 803) {
        return { usage };
      }
      const named = new Set(error.message.match(/\d{5,25}/g) ?? []);
      return { missing: new Set(ids.filter((id) => named.has(id))), usage };
    }
  }

  /** One page of a Page's threads (Messenger or Instagram), newest first, with only their participants: one call. */
  async threadParticipants(page: Credentials, pageId: string, platform: Platform, options: ListOptions = {}): Promise<ThreadParticipants> {
    const response = await this.transport.request(`${pageId}/conversations`, page, {
      params: { platform, fields: 'participants', limit: options.limit, after: options.after },
      signal: options.signal,
    });
    const list = decodePage(response.body, 'conversations', (raw, path) =>
      edgeData(raw, 'participants', path).map((p, i) =>
        id(object(p, `${path}.participants.data[${i}]`), 'id', `${path}.participants.data[${i}]`),
      ),
    );
    return { threads: list.items, after: list.after, usage: peakUsage(response.usage) };
  }

  /** Up to 50 GET requests in one HTTP call; each result succeeds or fails on its own. */
  async batch(
    credentials: Credentials,
    requests: readonly BatchRequest[],
    signal?: AbortSignal,
    options: { includeHeaders?: boolean; onUsage?: (usage: Usage) => void } = {},
  ): Promise<BatchResult[]> {
    if (requests.length === 0) {
      return [];
    }
    if (requests.length > 50) {
      throw new GraphError({ kind: 'badRequest', message: `At most 50 requests per batch, got ${requests.length}.` });
    }
    for (const r of requests) {
      if (/[?&](access_token|appsecret_proof)=/.test(r.relativeUrl)) {
        throw new GraphError({ kind: 'badRequest', message: 'Batch requests must not carry their own credentials.' });
      }
    }
    const batch = JSON.stringify(
      requests.map((r) => ({ method: r.method ?? 'GET', relative_url: r.relativeUrl, ...(r.name ? { name: r.name } : {}) })),
    );
    const form: Params = { batch, include_headers: options.includeHeaders ? 'true' : 'false' };
    const response = await this.transport.request('', credentials, { method: 'POST', form, signal });
    options.onUsage?.(response.usage);
    const items = array(response.body, 'batch');
    const results = requests.map((_, i): BatchResult => {
      const item = items[i];
      if (item === null || item === undefined) {
        return { ok: false, error: new GraphError({ kind: 'transient', message: `Batch item ${i} timed out on Meta's side.` }) };
      }
      const o = object(item, `batch[${i}]`);
      const status = typeof o.code === 'number' ? o.code : 0;
      const usage = options.includeHeaders ? itemUsage(o.headers) : undefined;
      if (usage) {
        options.onUsage?.(usage);
      }
      let body: unknown;
      try {
        body = typeof o.body === 'string' ? JSON.parse(o.body) : o.body;
      } catch {
        return {
          ok: false,
          error: new GraphError({ kind: 'malformed', field: `batch[${i}].body`, message: `Batch item ${i} has a body that is not JSON.` }),
          usage,
        };
      }
      const error = errorInBody(body, status, usage);
      return error ? { ok: false, error, usage } : { ok: true, status, body, usage };
    });
    // Every item runs with the request's one token: an item that says it is rejected speaks for the request.
    const rejected = results.find((r): r is Extract<BatchResult, { ok: false }> => !r.ok && r.error.kind === 'invalidToken');
    if (rejected) {
      throw rejected.error;
    }
    return results;
  }

  /**
   * Inspects a token with an app token (or an app developer's user token). Sent as a POST with
   * Graph's `method=GET` override so the inspected token stays out of the URL.
   */
  async debugToken(inspector: Credentials, inputToken: string, signal?: AbortSignal): Promise<TokenInfo> {
    const response = await this.transport.request('debug_token', inspector, {
      method: 'POST',
      form: { method: 'GET', input_token: inputToken },
      signal,
    });
    return decodeTokenInfo(response.body);
  }

  /** The Page a Page token stands for. A user token fails here with a nonexisting-field error (the field is Page-only). */
  async pageProfile(page: Credentials, signal?: AbortSignal): Promise<PageProfile> {
    const response = await this.transport.request('me', page, {
      params: { fields: 'id,name,category,instagram_business_account{id,username}' },
      signal,
    });
    const body = object(response.body, 'me');
    const ig =
      body.instagram_business_account === undefined ? undefined : object(body.instagram_business_account, 'me.instagram_business_account');
    return {
      id: id(body, 'id', 'me'),
      name: optionalString(body, 'name', 'me') ?? id(body, 'id', 'me'),
      category: optionalString(body, 'category', 'me'),
      instagram: ig
        ? { id: id(ig, 'id', 'me.instagram_business_account'), username: optionalString(ig, 'username', 'me.instagram_business_account') }
        : undefined,
    };
  }

  /** An app's public profile; with the app's own token this also proves the App ID and secret belong together. */
  async app(credentials: Credentials, appId: string, signal?: AbortSignal): Promise<{ id: string; name: string }> {
    const response = await this.transport.request(appId, credentials, { params: { fields: 'id,name' }, signal });
    const body = object(response.body, 'app');
    return { id: id(body, 'id', 'app'), name: optionalString(body, 'name', 'app') ?? appId };
  }

  /**
   * Inspects many tokens with one request per 50 (the batch API); the tokens travel in the POST
   * body. Each result is the token's facts, or the error inspecting it gave.
   */
  async debugTokens(inspector: Credentials, inputTokens: readonly string[], signal?: AbortSignal): Promise<(TokenInfo | GraphError)[]> {
    const out: (TokenInfo | GraphError)[] = [];
    for (let start = 0; start < inputTokens.length; start += 50) {
      const chunk = inputTokens.slice(start, start + 50);
      const results = await this.batch(
        inspector,
        chunk.map((t) => ({ relativeUrl: `debug_token?input_token=${encodeURIComponent(t)}` })),
        signal,
      );
      for (const result of results) {
        if (!result.ok) {
          out.push(result.error);
          continue;
        }
        try {
          out.push(decodeTokenInfo(result.body));
        } catch (error) {
          out.push(asGraphError(error));
        }
      }
    }
    return out;
  }

  /**
   * The long-lived exchange (`grant_type=fb_exchange_token`). Meta prints it as a GET with the
   * secret in the query; it is sent as a POST form here so the App Secret and the token stay out
   * of every URL (and so out of proxies' and servers' logs). Not retried: each answer is a new token.
   */
  async exchangeForLongLived(user: Credentials, appId: string, appSecret: string, signal?: AbortSignal): Promise<DeviceToken> {
    const response = await this.transport.request(
      'oauth/access_token',
      { accessToken: user.accessToken },
      {
        method: 'POST',
        form: { grant_type: 'fb_exchange_token', client_id: appId, client_secret: appSecret, fb_exchange_token: user.accessToken },
        signal,
        idempotent: false,
      },
    );
    return decodeDeviceToken(response.body, 'oauth/access_token');
  }

  /** Login for Devices, step 1: a code for this device and a user code for the person (client token `APP_ID|CLIENT_TOKEN`). */
  async deviceLogin(client: Credentials, scopes: readonly string[], signal?: AbortSignal): Promise<DeviceCode> {
    const response = await this.transport.request('device/login', client, {
      method: 'POST',
      form: { scope: scopes.join(',') },
      signal,
      idempotent: false,
    });
    const body = object(response.body, 'device/login');
    const number = (key: string, fallback: number) => (typeof body[key] === 'number' ? body[key] : fallback);
    const uri = optionalString(body, 'verification_uri', 'device/login') ?? '';
    if (!/^https?:\/\//.test(uri)) {
      throw new GraphError({
        kind: 'malformed',
        field: 'device/login.verification_uri',
        message: 'The device login answer has no verification URL.',
      });
    }
    return {
      code: id(body, 'code', 'device/login'),
      userCode: id(body, 'user_code', 'device/login'),
      verificationUri: uri,
      expiresIn: number('expires_in', 420),
      interval: number('interval', 5),
    };
  }

  /** Login for Devices, step 2: the token once the person approved; Meta's pending, slow-down and expired errors otherwise. */
  async deviceLoginStatus(client: Credentials, code: string, signal?: AbortSignal): Promise<DeviceToken> {
    const response = await this.transport.request('device/login_status', client, {
      method: 'POST',
      form: { code },
      signal,
      idempotent: false,
    });
    return decodeDeviceToken(response.body, 'device/login_status');
  }

  /** Who a token stands for: `/me` with id and name. */
  async me(credentials: Credentials, signal?: AbortSignal): Promise<{ id: string; name?: string }> {
    const response = await this.transport.request('me', credentials, { params: { fields: 'id,name' }, signal });
    const body = object(response.body, 'me');
    const idValue = body.id;
    if (typeof idValue !== 'string') {
      throw new GraphError({ kind: 'malformed', field: 'me.id', message: 'The Graph API response has no id.' });
    }
    return { id: idValue, name: typeof body.name === 'string' ? body.name : undefined };
  }
}

/** Failures that stop a whole bulk run rather than one question. */
const PROPAGATE = new Set<GraphError['kind']>(['cancelled', 'hostRefused', 'rateLimited']);

/** Usage reported in a batch item's headers (`include_headers=true`): `[{name, value}]`. */
function itemUsage(headers: unknown): Usage | undefined {
  if (!Array.isArray(headers)) {
    return undefined;
  }
  const lookup = (name: string) => {
    const found = headers.find(
      (h): h is { name: string; value: string } =>
        typeof h === 'object' &&
        h !== null &&
        typeof (h as { name?: unknown }).name === 'string' &&
        (h as { name: string }).name.toLowerCase() === name &&
        typeof (h as { value?: unknown }).value === 'string',
    );
    return found?.value;
  };
  const usage = parseUsage(lookup);
  return usage.app || usage.page || usage.business.length > 0 ? usage : undefined;
}

function conversationParams(query: ConversationQuery): Params {
  return {
    platform: query.platform,
    folder: query.folder,
    user_id: query.userId,
    fields: query.newestMessages
      ? `${CONVERSATION_FIELDS},messages.limit(${query.newestMessages}){${MESSAGE_FIELDS}}`
      : CONVERSATION_FIELDS,
    limit: query.limit,
    after: query.after,
  };
}

function toQuery(params: Params): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      query.set(key, String(value));
    }
  }
  return query.toString();
}

export interface LinkedIdsFilter {
  readonly app?: string;
  readonly page?: string;
  /** Only ids_for_pages: for a PSID whose person never used the token's app (ids_for_apps then fails). */
  readonly pagesOnly?: boolean;
}

function linkedIdsFields(filter: LinkedIdsFilter): string {
  const apps = filter.app ? `ids_for_apps.app(${filter.app})` : 'ids_for_apps';
  const pages = filter.page ? `ids_for_pages.page(${filter.page})` : 'ids_for_pages';
  return filter.pagesOnly ? `name,${pages}` : `name,${apps},${pages}`;
}

/** Linked IDs as the node answered them, with the cursors of nested edges that have more pages. */
interface PartialLinkedIds extends LinkedIds {
  readonly appsAfter?: string;
  readonly pagesAfter?: string;
}

function decodeLinkedIds(body: Json, path: string, fallbackId: string): PartialLinkedIds {
  const apps =
    body.ids_for_apps === undefined || body.ids_for_apps === null
      ? { items: [] }
      : decodePage(body.ids_for_apps, `${path}.ids_for_apps`, decodeLinkedApp);
  const pages =
    body.ids_for_pages === undefined || body.ids_for_pages === null
      ? { items: [] }
      : decodePage(body.ids_for_pages, `${path}.ids_for_pages`, decodeLinkedPage);
  return {
    id: typeof body.id === 'string' ? body.id : fallbackId,
    name: typeof body.name === 'string' ? body.name : undefined,
    idsForApps: apps.items,
    idsForPages: pages.items,
    ...(apps.after === undefined ? {} : { appsAfter: apps.after }),
    ...(pages.after === undefined ? {} : { pagesAfter: pages.after }),
  };
}

function decodeDeviceToken(value: unknown, path: string): DeviceToken {
  const body = object(value, path);
  return { accessToken: id(body, 'access_token', path), expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined };
}
