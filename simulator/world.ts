import { deriveSeed, Random } from './random';
import { hostileTexts } from './hostile';
import { createHash } from 'node:crypto';

/** The scopes a Page token carries, for Pages the demo user manages and for those a device sign-in lists. */
export const PAGE_SCOPES: readonly string[] = [
  'pages_messaging',
  'pages_manage_metadata',
  'pages_read_engagement',
  'pages_show_list',
  'instagram_basic',
  'instagram_manage_messages',
];

export type Platform = 'messenger' | 'instagram';
export type Folder = 'inbox' | 'other' | 'page_done' | 'spam';

export interface Business {
  readonly id: string;
  readonly name: string;
}
export interface App {
  readonly id: string;
  readonly name: string;
  readonly secret: string;
  readonly businessId: string;
  readonly category?: string;
  readonly namespace?: string;
  readonly link: string;
  /** "Require App Secret": calls with this app's tokens need appsecret_proof. */
  requireProof: boolean;
}
export interface InstagramAccount {
  readonly id: string;
  readonly username: string;
}
export interface FbPage {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly businessId: string;
  readonly appId: string;
  readonly accessToken: string;
  readonly slug: string;
  readonly instagram?: InstagramAccount;
}
export interface Person {
  readonly index: number;
  readonly name: string;
  readonly username: string;
  readonly psids: Map<string, string>;
  readonly asids: Map<string, string>;
  readonly igsids: Map<string, string>;
}
export interface Conversation {
  readonly id: string;
  readonly pageId: string;
  readonly platform: Platform;
  readonly personIndex: number;
  /** These three change when a message is added (Send API, `/__simulator/inbound`) or read. */
  updatedTime: number;
  messageCount: number;
  unreadCount: number;
  folder: Folder;
  readonly seed: number;
  readonly hostile: boolean;
}
export interface Attachment {
  readonly id: string;
  readonly name?: string;
  readonly mime_type?: string;
  readonly size?: number;
  readonly image_data?: Record<string, unknown>;
  readonly video_data?: Record<string, unknown>;
  readonly file_url?: string;
  readonly generic_template?: Record<string, unknown>;
}
/** A shared link or post in a message (message field `shares`). */
export interface Share {
  readonly id: string;
  readonly link: string;
  readonly name: string;
  readonly description: string;
}
export interface Message {
  readonly id: string;
  readonly conversationId: string;
  readonly createdTime: number;
  readonly fromPage: boolean;
  readonly text: string;
  readonly attachments?: Attachment[];
  readonly sticker?: string;
  readonly tags: string[];
  readonly shares?: Share[];
  readonly reactions?: { reaction: string; users: { id: string; username?: string; name?: string }[] }[];
  /** The app whose token sent it (Send API), for `message_echoes`' `app_id`. */
  readonly appId?: string;
}
export type TokenKind = 'user' | 'page' | 'app';
export interface TokenRecord {
  readonly token: string;
  readonly kind: TokenKind;
  readonly appId: string;
  /** The user, Page or app the token stands for. */
  readonly subjectId: string;
  expiresAt: number;
  valid: boolean;
  invalidSubcode?: number;
  readonly scopes: string[];
  readonly issuedAt: number;
}
export interface DeveloperUser {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly pageIds: string[];
}

export interface WorldOptions {
  readonly seed?: number;
  readonly businesses?: number;
  readonly pagesPerBusiness?: number;
  readonly appsPerBusiness?: number;
  readonly people?: number;
  readonly conversationsPerPage?: number;
  readonly messagesPerConversation?: number;
  /** Add threads whose names and texts are hostile (markup, bidi overrides, 1 MB texts). */
  readonly hostile?: boolean;
  /** The fixed "now" of the world, in ms; times count back from it. */
  readonly now?: number;
}

const FIRST = [
  'Aiko',
  'Minh',
  'Sofia',
  'Kenji',
  'Linh',
  'Mateo',
  'Yuki',
  'Hà',
  'Olivia',
  'Takumi',
  'Thảo',
  'Noah',
  'Emma',
  'Haruto',
  'Quân',
  'Zoë',
  'José',
  'Anh',
  '陽菜',
  'Łukasz',
];
const LAST = [
  'Tanaka',
  'Nguyễn',
  'García',
  'Sato',
  'Trần',
  'Smith',
  'Suzuki',
  'Lê',
  'Müller',
  'Watanabe',
  'Phạm',
  'Brown',
  'Kobayashi',
  'Đặng',
  'O\u2019Brien',
];
const TEXTS = [
  'Hi! Is the shop open today?',
  'こんにちは、注文の状況を教えてください。',
  'Cho mình hỏi giá sản phẩm này với ạ',
  'Thanks 🙏',
  'Can I change my delivery address?',
  'ありがとうございます！😊',
  'Mình muốn đặt 2 cái',
  'Where is my order #4821?',
  'Great, see you tomorrow 👋',
  '返品はできますか？',
  'OK 👍',
  'Do you ship to Đà Nẵng?',
  'Line one\nline two of a longer message',
  '🎉🎉🎉',
];
const PAGE_NAMES = [
  'Sakura Coffee',
  'Phở Corner',
  'Northwind Outdoor',
  'Tokyo Bikes',
  'Hanoi Crafts',
  'Blue Fin Sushi',
  'Contoso Support',
  'Fabrikam Store',
];
const CATEGORIES = [
  'Coffee Shop',
  'Restaurant',
  'Outdoor & Sporting Goods Company',
  'Bicycle Shop',
  'Arts & Crafts Store',
  'Brand',
  'Software Company',
  'Shopping & Retail',
];
const SHARED_POSTS = [
  'New autumn menu is here 🍂',
  'Opening hours over the holidays',
  '週末限定セールのお知らせ',
  'Khuyến mãi cuối tuần',
  'Spring collection preview',
];
const STICKER = 'https://scontent.xx.fbcdn.net/v/t39.1997-6/851586_126362170881913_763579892_n.png';
export const DEMO_USER_TOKEN = 'SIM-user-demo-token-0000000000000000';

/** The whole simulated Graph: businesses own apps and Pages; people have one ID per Page, app and IG account. */
export class World {
  readonly businesses: Business[] = [];
  readonly apps: App[] = [];
  readonly pages: FbPage[] = [];
  readonly people: Person[] = [];
  readonly users: DeveloperUser[] = [];
  readonly tokens = new Map<string, TokenRecord>();
  readonly conversations = new Map<string, Conversation[]>();
  readonly conversationById = new Map<string, Conversation>();
  /** Every user-scoped ID → the person and the Page, app or IG account it is scoped to. */
  readonly scopedIds = new Map<string, { person: Person; scope: 'page' | 'app' | 'instagram'; scopeId: string }>();
  readonly seed: number;
  readonly now: number;
  readonly messagesPerConversation: number;
  private readonly usedIds = new Set<string>();

  constructor(options: WorldOptions = {}) {
    this.seed = options.seed ?? 1;
    this.now = options.now ?? Date.UTC(2026, 10, 20, 12, 0, 0);
    this.messagesPerConversation = options.messagesPerConversation ?? 30;
    const rnd = new Random(this.seed);
    const businessCount = options.businesses ?? 2;
    const pagesPer = options.pagesPerBusiness ?? 2;
    const appsPer = options.appsPerBusiness ?? 2;
    const peopleCount = options.people ?? 60;
    const convPerPage = options.conversationsPerPage ?? 40;

    for (let b = 0; b < businessCount; b++) {
      const business = { id: this.newId(rnd, 15), name: `${PAGE_NAMES[b % PAGE_NAMES.length] ?? 'Business'} Group` };
      this.businesses.push(business);
      for (let a = 0; a < appsPer; a++) {
        const id = this.newId(rnd, 16);
        this.apps.push({
          id,
          businessId: business.id,
          secret: rnd.hex(32),
          name: a === 0 ? `${business.name.split(' ')[0] ?? 'Bot'} Messenger Bot` : `${business.name.split(' ')[0] ?? 'Shop'} Shop App`,
          link: a === 0 ? `https://www.facebook.com/games/?app_id=${id}` : `https://apps.facebook.com/app${id.slice(-6)}/`,
          ...(a === 0 ? { category: 'Business' } : { namespace: `app${id.slice(-6)}` }),
          requireProof: true,
        });
      }
      const businessApps = this.apps.filter((x) => x.businessId === business.id);
      for (let p = 0; p < pagesPer; p++) {
        const n = b * pagesPer + p;
        const name = PAGE_NAMES[n % PAGE_NAMES.length] ?? `Page ${n}`;
        const id = this.newId(rnd, 15);
        const app = businessApps[0];
        const page: FbPage = {
          id,
          name,
          category: CATEGORIES[n % CATEGORIES.length] ?? 'Brand',
          businessId: business.id,
          appId: app.id,
          accessToken: `SIM-page-${id}-${rnd.base64url(24)}`,
          slug: `${name.replace(/[^A-Za-z0-9]+/g, '-')}-${id}`,
          ...(p === 0 ? { instagram: { id: `17841${rnd.digits(12)}`, username: name.toLowerCase().replace(/[^a-z0-9]+/g, '_') } } : {}),
        };
        this.pages.push(page);
        this.addToken({
          token: page.accessToken,
          kind: 'page',
          appId: app.id,
          subjectId: page.id,
          expiresAt: 0,
          valid: true,
          issuedAt: this.now / 1000 - 86_400,
          scopes: [...PAGE_SCOPES],
        });
      }
    }
    for (const app of this.apps) {
      this.addToken({
        token: `${app.id}|${app.secret}`,
        kind: 'app',
        appId: app.id,
        subjectId: app.id,
        expiresAt: 0,
        valid: true,
        issuedAt: 0,
        scopes: [],
      });
    }
    const firstApp = this.apps[0];
    const user: DeveloperUser = {
      id: this.newId(rnd, 15),
      name: 'Demo Developer',
      token: DEMO_USER_TOKEN,
      pageIds: this.pages.map((p) => p.id),
    };
    this.users.push(user);
    this.addToken({
      token: user.token,
      kind: 'user',
      appId: firstApp.id,
      subjectId: user.id,
      expiresAt: Math.floor(this.now / 1000) + 60 * 86_400,
      valid: true,
      issuedAt: Math.floor(this.now / 1000) - 3600,
      scopes: [
        'pages_show_list',
        'pages_messaging',
        'pages_manage_metadata',
        'pages_read_engagement',
        'instagram_basic',
        'instagram_manage_messages',
        'business_management',
      ],
    });

    for (let i = 0; i < peopleCount; i++) {
      const first = rnd.pick(FIRST);
      const last = rnd.pick(LAST);
      const person: Person = {
        index: i,
        name: `${first} ${last}`,
        username: `${first}.${last}${i}`.toLowerCase().replace(/[^a-z0-9._]/g, ''),
        psids: new Map(),
        asids: new Map(),
        igsids: new Map(),
      };
      for (const page of this.pages) {
        if (i < 4 || rnd.chance(0.7)) {
          this.addScoped(person, 'page', page.id, this.newId(rnd, 16));
        }
        if (page.instagram && (i < 4 || rnd.chance(0.5))) {
          this.addScoped(person, 'instagram', page.instagram.id, this.newId(rnd, 16));
        }
      }
      for (const app of this.apps) {
        if (i < 4 || rnd.chance(0.5)) {
          this.addScoped(person, 'app', app.id, this.newId(rnd, 15));
        }
      }
      this.people.push(person);
    }

    for (const page of this.pages) {
      const list: Conversation[] = [];
      const platforms: Platform[] = page.instagram ? ['messenger', 'instagram'] : ['messenger'];
      for (const platform of platforms) {
        const scopeId = platform === 'messenger' ? page.id : (page.instagram as InstagramAccount).id;
        const candidates = this.people.filter((p) => (platform === 'messenger' ? p.psids : p.igsids).has(scopeId));
        // One thread per person and Page (or Instagram account), as on Messenger.
        const count = Math.min(candidates.length, platform === 'messenger' ? convPerPage : Math.ceil(convPerPage / 2));
        let time = this.now - rnd.int(1, 30) * 60_000;
        for (let c = 0; c < count && candidates.length > 0; c++) {
          const person = candidates[c % candidates.length];
          const conv: Conversation = {
            id: platform === 'messenger' ? `t_${this.newId(rnd, 15)}` : `aWdf${rnd.base64url(40)}`,
            pageId: page.id,
            platform,
            personIndex: person.index,
            updatedTime: time,
            messageCount: Math.max(1, rnd.int(1, this.messagesPerConversation)),
            unreadCount: rnd.chance(0.3) ? rnd.int(1, 3) : 0,
            folder: c % 17 === 16 ? 'other' : c % 23 === 22 ? 'page_done' : 'inbox',
            seed: deriveSeed(this.seed, page.id, platform, c),
            hostile: Boolean(options.hostile) && c < 3,
          };
          time -= rnd.int(1, 240) * 60_000;
          list.push(conv);
          this.conversationById.set(conv.id, conv);
        }
      }
      list.sort((a, b) => b.updatedTime - a.updatedTime);
      this.conversations.set(page.id, list);
    }
  }

  private newId(rnd: Random, length: number): string {
    for (;;) {
      const id = rnd.digits(length);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  private addScoped(person: Person, scope: 'page' | 'app' | 'instagram', scopeId: string, id: string): void {
    (scope === 'page' ? person.psids : scope === 'app' ? person.asids : person.igsids).set(scopeId, id);
    this.scopedIds.set(id, { person, scope, scopeId });
  }

  addToken(record: TokenRecord): void {
    this.tokens.set(record.token, record);
  }

  /** Every token and app secret of the world: what a client must never put in a URL or a stray header. */
  secrets(): string[] {
    return [...this.tokens.keys(), ...this.apps.map((a) => a.secret), ...this.apps.map((a) => clientToken(a))];
  }

  page(id: string): FbPage | undefined {
    return this.pages.find((p) => p.id === id);
  }

  app(id: string): App | undefined {
    return this.apps.find((a) => a.id === id);
  }

  pageByInstagram(igId: string): FbPage | undefined {
    return this.pages.find((p) => p.instagram?.id === igId);
  }

  /** A conversation's messages, newest first: those added at run time, then the ones generated from its seed on demand so large worlds stay small. */
  messages(conv: Conversation): Message[] {
    const live = this.live.get(conv.id);
    const generated = this.generated(conv, live ? live.baseTime : conv.updatedTime, live ? live.baseCount : conv.messageCount);
    return live ? [...live.added, ...generated] : generated;
  }

  private generated(conv: Conversation, baseTime: number, count: number): Message[] {
    const rnd = new Random(conv.seed);
    const out: Message[] = [];
    let time = baseTime;
    for (let i = 0; i < count; i++) {
      const fromPage = i % 3 === 1;
      const kind = rnd.next();
      const hostile = conv.hostile && i < hostileTexts.length;
      const id = conv.platform === 'messenger' ? `m_${rnd.base64url(43)}` : `aWdGG${rnd.base64url(60)}`;
      const base: Omit<Message, 'text'> = {
        id,
        conversationId: conv.id,
        createdTime: time,
        fromPage,
        tags: conv.platform === 'messenger' ? (fromPage ? ['sent', 'source:chat'] : ['inbox', 'read', 'source:chat']) : [],
      };
      if (hostile) {
        out.push({ ...base, text: hostileTexts[i] ?? '' });
      } else if (kind < 0.08) {
        out.push({ ...base, text: '', sticker: STICKER });
      } else if (kind < 0.16) {
        out.push({
          ...base,
          text: rnd.chance(0.5) ? '' : 'Here is the photo',
          attachments: [
            {
              id: rnd.digits(16),
              name: `image-${i}.jpg`,
              mime_type: 'image/jpeg',
              size: rnd.int(20_000, 900_000),
              image_data: {
                url: `https://scontent.xx.fbcdn.net/v/t1.15752-9/${rnd.digits(9)}_n.jpg`,
                preview_url: `https://scontent.xx.fbcdn.net/v/t1.15752-9/p100x100/${rnd.digits(9)}_n.jpg`,
                width: 1280,
                height: 960,
                max_width: 1280,
                max_height: 960,
                render_as_sticker: false,
              },
            },
          ],
        });
      } else if (kind >= 0.95) {
        // A shared post of the Page: Meta sends it in `shares`, with no text of its own.
        const page = this.page(conv.pageId);
        const postId = rnd.digits(16);
        out.push({
          ...base,
          text: '',
          shares: [
            {
              id: postId,
              link: `https://www.facebook.com/${page?.slug ?? 'page'}/posts/${postId}/`,
              name: rnd.pick(SHARED_POSTS),
              description: `${page?.name ?? 'Page'} · ${rnd.pick(TEXTS)}`,
            },
          ],
        });
      } else if (kind < 0.2) {
        out.push({
          ...base,
          text: '',
          attachments: [
            {
              id: rnd.digits(16),
              name: `invoice-${i}.pdf`,
              mime_type: 'application/pdf',
              size: rnd.int(10_000, 400_000),
              file_url: `https://cdn.fbsbx.com/v/t59.2708-21/${rnd.digits(9)}/invoice-${i}.pdf`,
            },
          ],
        });
      } else {
        const reacted = rnd.chance(0.1);
        out.push({ ...base, text: rnd.pick(TEXTS), ...(reacted ? { reactions: [{ reaction: '❤️', users: [] }] } : {}) });
      }
      time -= rnd.int(1, 600) * 1000;
    }
    return out;
  }

  /** Finds a message by id: the id encodes nothing, so search the conversations lazily. */
  findMessage(id: string): { conv: Conversation; message: Message; index: number } | undefined {
    const cached = this.messageIndex.get(id);
    if (cached) {
      const conv = this.conversationById.get(cached.convId);
      const messages = conv ? this.messages(conv) : [];
      // Messages added since shift the index: look it up again in the same thread.
      const index = messages[cached.index]?.id === id ? cached.index : messages.findIndex((m) => m.id === id);
      const message = messages[index];
      return conv && message ? { conv, message, index } : undefined;
    }
    for (const conv of this.conversationById.values()) {
      const messages = this.messages(conv);
      this.indexMessages(conv, messages);
      const index = messages.findIndex((m) => m.id === id);
      if (index >= 0) {
        return { conv, message: messages[index], index };
      }
    }
    return undefined;
  }

  /** Remembers where a message came from when it is served, so a later GET /{message-id} finds it. */
  indexMessages(conv: Conversation, messages: readonly Message[]): void {
    messages.forEach((m, index) => this.messageIndex.set(m.id, { convId: conv.id, index }));
  }

  private readonly messageIndex = new Map<string, { convId: string; index: number }>();

  // ---- The world at run time: a clock, messages added by the Send API and by simulated people ----

  private readonly live = new Map<string, { added: Message[]; baseTime: number; baseCount: number }>();
  private readonly startedAt = Date.now();
  /** Added to the clock by `POST /__simulator/clock` (to step past the 24-hour window in a test). */
  clockOffsetMs = 0;
  private runSeq = 0;

  /** The world's current time in ms: `now` at start, then running with the wall clock (plus any offset). */
  clock(): number {
    return this.now + (Date.now() - this.startedAt) + this.clockOffsetMs;
  }

  /** The thread of a person with a Page (Messenger) or its Instagram account, if any. */
  thread(pageId: string, platform: Platform, personIndex: number): Conversation | undefined {
    return (this.conversations.get(pageId) ?? []).find((c) => c.platform === platform && c.personIndex === personIndex);
  }

  /** The person's thread, created (empty, in the inbox) when there is none yet. */
  ensureThread(pageId: string, platform: Platform, personIndex: number): { conv: Conversation; created: boolean } {
    const existing = this.thread(pageId, platform, personIndex);
    if (existing) {
      return { conv: existing, created: false };
    }
    const rnd = new Random(deriveSeed(this.seed, 'thread', pageId, platform, personIndex, ++this.runSeq));
    const conv: Conversation = {
      id: platform === 'messenger' ? `t_${this.newId(rnd, 15)}` : `aWdf${rnd.base64url(40)}`,
      pageId,
      platform,
      personIndex,
      updatedTime: this.clock(),
      messageCount: 0,
      unreadCount: 0,
      folder: 'inbox',
      seed: rnd.int(1, 2 ** 31),
      hostile: false,
    };
    const list = this.conversations.get(pageId) ?? [];
    list.unshift(conv);
    this.conversations.set(pageId, list);
    this.conversationById.set(conv.id, conv);
    this.live.set(conv.id, { added: [], baseTime: conv.updatedTime, baseCount: 0 });
    return { conv, created: true };
  }

  /** A new message ID in Meta's format for the platform. */
  newMessageId(platform: Platform): string {
    const rnd = new Random(deriveSeed(this.seed, 'message', ++this.runSeq, Date.now()));
    return platform === 'messenger' ? `m_${rnd.base64url(43)}` : `aWdGG${rnd.base64url(60)}`;
  }

  /** Adds a message to a thread as its newest; the thread moves to the top of its Page's list. */
  addMessage(conv: Conversation, message: Omit<Message, 'conversationId' | 'tags'> & { tags?: string[] }): Message {
    const live = this.live.get(conv.id) ?? { added: [], baseTime: conv.updatedTime, baseCount: conv.messageCount };
    this.live.set(conv.id, live);
    const full: Message = {
      ...message,
      conversationId: conv.id,
      tags: message.tags ?? (conv.platform === 'messenger' ? (message.fromPage ? ['sent', 'source:chat'] : ['inbox', 'source:chat']) : []),
    };
    live.added.unshift(full);
    conv.updatedTime = Math.max(conv.updatedTime, full.createdTime);
    conv.messageCount++;
    if (!full.fromPage) {
      conv.unreadCount++;
      if (conv.folder === 'page_done') {
        conv.folder = 'inbox';
      }
    }
    const list = this.conversations.get(conv.pageId) ?? [];
    list.sort((a, b) => b.updatedTime - a.updatedTime);
    this.messageIndex.set(full.id, { convId: conv.id, index: 0 });
    return full;
  }

  /** When the person last wrote in this thread (opens the 24-hour standard messaging window), if ever. */
  lastPersonMessageAt(conv: Conversation): number | undefined {
    return this.messages(conv).find((m) => !m.fromPage)?.createdTime;
  }
}

/** An app's Client Token (App settings → Advanced), derived from its secret so the seeded world is unchanged. */
export function clientToken(app: App): string {
  return createHash('sha256').update(`client-token|${app.secret}`).digest('hex').slice(0, 32);
}
