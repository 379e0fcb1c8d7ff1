import { array, id, Json, object, optionalString } from './decode';
import { asGraphError, GraphError } from './errors';
import { decodeConversation, decodeLinkedApp, decodeLinkedPage, decodeManagedPage, decodeMessage, decodeTokenInfo, Conversation, Folder, LinkedApp, LinkedPage, ManagedPage, Message, Platform, TokenInfo } from './models';
import { decodePage, Page, pageAll } from './paging';
import { Credentials, errorInBody, GraphTransport, Params } from './transport';

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

export type BatchResult = { ok: true; status: number; body: unknown } | { ok: false; error: GraphError };

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
    const response = await this.transport.request(`${pageId}/conversations`, page, { params: conversationParams(query), signal: query.signal });
    return decodePage(response.body, 'conversations', decodeConversation);
  }

  /**
   * The first page of several conversation lists of one Page (Messenger and Instagram) in one
   * HTTP request, through the batch API. Each list succeeds or fails on its own.
   */
  async listConversationsBatch(page: Credentials, pageId: string, queries: readonly ConversationQuery[], signal?: AbortSignal): Promise<(Page<Conversation> | GraphError)[]> {
    const results = await this.batch(page, queries.map((q) => ({ relativeUrl: `${pageId}/conversations?${toQuery(conversationParams(q))}` })), signal);
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
      const response = await this.transport.request(conversationId, page, { params: { fields: `messages.limit(${limit}){${MESSAGE_FIELDS}}` }, signal: options.signal });
      const body = object(response.body, 'conversation');
      if (body.messages === undefined) {
        return { items: [] };
      }
      return decodePage(body.messages, 'conversation.messages', decodeMessage);
    }
    const response = await this.transport.request(`${conversationId}/messages`, page, { params: { fields: MESSAGE_FIELDS, limit, after: options.after }, signal: options.signal });
    return decodePage(response.body, 'messages', decodeMessage);
  }

  async getMessage(page: Credentials, messageId: string, signal?: AbortSignal): Promise<Message> {
    const response = await this.transport.request(messageId, page, { params: { fields: MESSAGE_DETAIL_FIELDS }, signal });
    return decodeMessage(object(response.body, 'message'), 'message');
  }

  async idsForApps(credentials: Credentials, userId: string, options: ListOptions & { app?: string } = {}): Promise<Page<LinkedApp>> {
    const response = await this.transport.request(`${userId}/ids_for_apps`, credentials, { params: { app: options.app, limit: options.limit, after: options.after }, signal: options.signal });
    return decodePage(response.body, 'ids_for_apps', decodeLinkedApp);
  }

  async idsForPages(credentials: Credentials, userId: string, options: ListOptions & { page?: string } = {}): Promise<Page<LinkedPage>> {
    const response = await this.transport.request(`${userId}/ids_for_pages`, credentials, { params: { page: options.page, limit: options.limit, after: options.after }, signal: options.signal });
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
  private async completeLinkedIds(credentials: Credentials, partial: PartialLinkedIds, filter: LinkedIdsFilter, signal?: AbortSignal): Promise<LinkedIds> {
    const { appsAfter, pagesAfter, ...linked } = partial;
    const idsForApps = [...linked.idsForApps];
    const idsForPages = [...linked.idsForPages];
    if (appsAfter !== undefined) {
      for await (const page of pageAll((after) => this.idsForApps(credentials, linked.id, { app: filter.app, after: after ?? appsAfter, signal }), { maxPages: MAX_LINKED_PAGES, signal })) {
        idsForApps.push(...page.items);
      }
    }
    if (pagesAfter !== undefined) {
      for await (const page of pageAll((after) => this.idsForPages(credentials, linked.id, { page: filter.page, after: after ?? pagesAfter, signal }), { maxPages: MAX_LINKED_PAGES, signal })) {
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
  async linkedIdsMany(credentials: Credentials, ids: readonly string[], filter: LinkedIdsFilter = {}, signal?: AbortSignal): Promise<Map<string, LinkedIds>> {
    const raw = await this.getMany(credentials, ids, linkedIdsFields(filter), signal);
    const out = new Map<string, LinkedIds>();
    for (const [key, value] of Object.entries(raw)) {
      out.set(key, await this.completeLinkedIds(credentials, decodeLinkedIds(value, `response.${key}`, key), filter, signal));
    }
    return out;
  }

  /** Linked IDs of up to 50 people with one batch request; unlike `?ids=`, each ID succeeds or fails on its own. */
  async linkedIdsEach(credentials: Credentials, ids: readonly string[], filter: LinkedIdsFilter = {}, signal?: AbortSignal): Promise<Map<string, LinkedIds | GraphError>> {
    const fields = encodeURIComponent(linkedIdsFields(filter));
    const results = await this.batch(credentials, ids.map((id) => ({ relativeUrl: `${id}?fields=${fields}` })), signal);
    const out = new Map<string, LinkedIds | GraphError>();
    for (const [i, result] of results.entries()) {
      const id = ids[i];
      if (!result.ok) {
        out.set(id, result.error);
        continue;
      }
      try {
        out.set(id, await this.completeLinkedIds(credentials, decodeLinkedIds(object(result.body, `batch[${i}]`), `batch[${i}]`, id), filter, signal));
      } catch (error) {
        if (error instanceof GraphError && (error.kind === 'cancelled' || error.kind === 'rateLimited')) {
          throw error;
        }
        out.set(id, asGraphError(error));
      }
    }
    return out;
  }

  /** Up to 50 GET requests in one HTTP call; each result succeeds or fails on its own. */
  async batch(credentials: Credentials, requests: readonly BatchRequest[], signal?: AbortSignal): Promise<BatchResult[]> {
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
    const batch = JSON.stringify(requests.map((r) => ({ method: r.method ?? 'GET', relative_url: r.relativeUrl, ...(r.name ? { name: r.name } : {}) })));
    const form: Params = { batch, include_headers: 'false' };
    const response = await this.transport.request('', credentials, { method: 'POST', form, signal });
    const items = array(response.body, 'batch');
    return requests.map((_, i): BatchResult => {
      const item = items[i];
      if (item === null || item === undefined) {
        return { ok: false, error: new GraphError({ kind: 'transient', message: `Batch item ${i} timed out on Meta's side.` }) };
      }
      const o = object(item, `batch[${i}]`);
      const status = typeof o.code === 'number' ? o.code : 0;
      let body: unknown;
      try {
        body = typeof o.body === 'string' ? JSON.parse(o.body) : o.body;
      } catch {
        return { ok: false, error: new GraphError({ kind: 'malformed', field: `batch[${i}].body`, message: `Batch item ${i} has a body that is not JSON.` }) };
      }
      const error = errorInBody(body, status);
      return error ? { ok: false, error } : { ok: true, status, body };
    });
  }

  /**
   * Inspects a token with an app token (or an app developer's user token). Sent as a POST with
   * Graph's `method=GET` override so the inspected token stays out of the URL.
   */
  async debugToken(inspector: Credentials, inputToken: string, signal?: AbortSignal): Promise<TokenInfo> {
    const response = await this.transport.request('debug_token', inspector, { method: 'POST', form: { method: 'GET', input_token: inputToken }, signal });
    return decodeTokenInfo(response.body);
  }

  /** The Page a Page token stands for. A user token fails here with a nonexisting-field error (the field is Page-only). */
  async pageProfile(page: Credentials, signal?: AbortSignal): Promise<PageProfile> {
    const response = await this.transport.request('me', page, { params: { fields: 'id,name,category,instagram_business_account{id,username}' }, signal });
    const body = object(response.body, 'me');
    const ig = body.instagram_business_account === undefined ? undefined : object(body.instagram_business_account, 'me.instagram_business_account');
    return {
      id: id(body, 'id', 'me'),
      name: optionalString(body, 'name', 'me') ?? id(body, 'id', 'me'),
      category: optionalString(body, 'category', 'me'),
      instagram: ig ? { id: id(ig, 'id', 'me.instagram_business_account'), username: optionalString(ig, 'username', 'me.instagram_business_account') } : undefined,
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
      const results = await this.batch(inspector, chunk.map((t) => ({ relativeUrl: `debug_token?input_token=${encodeURIComponent(t)}` })), signal);
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

function conversationParams(query: ConversationQuery): Params {
  return { platform: query.platform, folder: query.folder, user_id: query.userId, fields: CONVERSATION_FIELDS, limit: query.limit, after: query.after };
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
  const apps = body.ids_for_apps === undefined || body.ids_for_apps === null ? { items: [] } : decodePage(body.ids_for_apps, `${path}.ids_for_apps`, decodeLinkedApp);
  const pages = body.ids_for_pages === undefined || body.ids_for_pages === null ? { items: [] } : decodePage(body.ids_for_pages, `${path}.ids_for_pages`, decodeLinkedPage);
  return {
    id: typeof body.id === 'string' ? body.id : fallbackId,
    name: typeof body.name === 'string' ? body.name : undefined,
    idsForApps: apps.items,
    idsForPages: pages.items,
    ...(apps.after === undefined ? {} : { appsAfter: apps.after }),
    ...(pages.after === undefined ? {} : { pagesAfter: pages.after }),
  };
}
