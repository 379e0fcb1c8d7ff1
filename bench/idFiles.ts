import { AppAccount, PageAccount } from '../src/core/accounts/accounts';
import { mapLimit } from '../src/core/concurrency';
import { GraphClient, LinkedIds } from '../src/core/graph/client';
import { LinkedApp, LinkedPage } from '../src/core/graph/models';
import { Credentials } from '../src/core/graph/transport';
import { candidateOwners, notInstalled, Owner, ownerCredentials, Resolution, UnresolvedError } from '../src/core/ids/resolve';
import { World } from '../simulator/index';

/**
 * Files of IDs as a bot developer has them, generated from a simulator world, with the right
 * account of every ID (what the seeds' one-call-per-ID flow is given): a webhook log, the same IDs
 * as a bare list, and a mixed log of page- and app-scoped IDs.
 */
export interface IdFile {
  readonly name: string;
  readonly text: string;
  /** The distinct IDs of people (and unknown IDs) in the file. */
  readonly ids: string[];
  /** The account the seeds' flow asks each ID with. */
  readonly owner: Map<string, Owner>;
  /** Lines (events) in the file, duplicates included. */
  readonly lines: number;
}

/** The world the ID scenarios run in: 2 businesses, each with 2 Pages (the first with Instagram) and 2 apps. */
export const ID_WORLD = {
  seed: 7,
  businesses: 2,
  pagesPerBusiness: 2,
  appsPerBusiness: 2,
  people: 3000,
  conversationsPerPage: 600,
} as const;

export function accountsOf(world: World): { pages: PageAccount[]; apps: AppAccount[]; owners: Owner[] } {
  const apps: AppAccount[] = world.apps.map((a) => ({ kind: 'app', id: a.id, name: a.name, secret: a.secret }));
  const pages: PageAccount[] = world.pages.map((p) => ({
    kind: 'page',
    id: p.id,
    name: p.name,
    token: p.accessToken,
    appId: p.appId,
    tasks: [],
    scopes: [],
    ...(p.instagram ? { instagram: { id: p.instagram.id, username: p.instagram.username } } : {}),
  }));
  return { pages, apps, owners: candidateOwners(pages, apps) };
}

/** A tiny seeded generator, so every run writes the same files. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A day of a bot's webhook log: one delivery per line after a log prefix, Messenger events for the 4
 * Pages and Instagram events for the 2 Instagram accounts; each event names its Page (or Instagram
 * account) as `entry.id` and `recipient.id`. The senders are the people of each inbox's newest
 * threads (a person who wrote today has a thread updated today), about half of whom never used
 * the Page's app; a few senders are deleted or unknown IDs. Most senders write more than once.
 * `perStream` sets how many senders each inbox has (Pages in order, Messenger then Instagram).
 */
export function webhookLog(world: World, distinct = 1000, unknown = 6, seed = 11, perStream?: readonly number[]): IdFile {
  const { pages, owners } = accountsOf(world);
  const rnd = random(seed);
  const streams: { page: PageAccount; platform: 'messenger' | 'instagram'; people: string[] }[] = [];
  for (const page of pages) {
    const threads = world.conversations.get(page.id) ?? [];
    for (const platform of ['messenger', 'instagram'] as const) {
      if (platform === 'instagram' && !page.instagram) {
        continue;
      }
      const scope = platform === 'messenger' ? page.id : (page.instagram?.id ?? '');
      const people = threads
        .filter((t) => t.platform === platform && t.folder === 'inbox')
        .map((t) => {
          const person = world.people[t.personIndex];
          return (platform === 'messenger' ? person?.psids : person?.igsids)?.get(scope) ?? '';
        });
      streams.push({ page, platform, people });
    }
  }
  // Messenger inboxes are busier than Instagram ones: weight 3 to 2.
  const weights = streams.map((s) => (s.platform === 'messenger' ? 3 : 2));
  const total = weights.reduce((a, b) => a + b, 0);
  const people = distinct - unknown;
  const counts = perStream ? [...perStream] : weights.map((w) => Math.floor((people * w) / total));
  counts[0] = (counts[0] ?? 0) + people - counts.reduce((a, b) => a + b, 0);
  const owner = new Map<string, Owner>();
  const pageOwner = (page: PageAccount) => owners.find((o) => o.kind === 'page' && o.account.id === page.id) as Owner;
  const senders: { id: string; stream: number }[] = [];
  streams.forEach((s, i) => {
    for (const id of s.people.slice(0, counts[i])) {
      if (!owner.has(id)) {
        owner.set(id, pageOwner(s.page));
        senders.push({ id, stream: i });
      }
    }
  });
  for (let u = 0; u < unknown; u++) {
    let id: string;
    do {
      id = `10${Math.floor(rnd() * 1e14)
        .toString()
        .padStart(14, '0')}`;
    } while (world.scopedIds.has(id) || owner.has(id));
    const stream = u % streams.length;
    owner.set(id, pageOwner(streams[stream]?.page ?? pages[0]));
    senders.push({ id, stream });
  }
  // Events: every sender once, most of them 2–3 times, in time order.
  const events: { id: string; stream: number; time: number }[] = [];
  const start = Date.UTC(2026, 10, 20, 0, 0, 0);
  for (const s of senders) {
    const times = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < times; k++) {
      events.push({ ...s, time: start + Math.floor(rnd() * 86_400_000) });
    }
  }
  events.sort((a, b) => a.time - b.time);
  const lines = events.map((e, i) => {
    const s = streams[e.stream];
    const scope = s?.platform === 'instagram' ? (s.page.instagram?.id ?? '') : (s?.page.id ?? '');
    const delivery = {
      object: s?.platform === 'instagram' ? 'instagram' : 'page',
      entry: [
        {
          id: scope,
          time: e.time,
          messaging: [
            {
              sender: { id: e.id },
              recipient: { id: scope },
              timestamp: e.time - 120,
              message: {
                mid: `${s?.platform === 'instagram' ? 'aWdGG' : 'm_'}${(i * 7919).toString(36)}x${e.id.slice(-4)}`,
                text: i % 5 === 0 ? 'Where is my order #4821?' : 'Hi! Is the shop open today?',
              },
            },
          ],
        },
      ],
    };
    return `${new Date(e.time).toISOString()} INFO POST /webhook ${JSON.stringify(delivery)}`;
  });
  return { name: 'webhook log', text: `${lines.join('\n')}\n`, ids: senders.map((s) => s.id), owner, lines: lines.length };
}

/** The webhook log's senders, one per line (duplicates kept), with nothing to say whose they are. */
export function bareList(log: IdFile): IdFile {
  const ids = log.text
    .split('\n')
    .filter(Boolean)
    .map((line) => /"sender":\{"id":"(\d+)"/.exec(line)?.[1] ?? '');
  return { name: 'bare ID list', text: `${ids.join('\n')}\n`, ids: log.ids, owner: log.owner, lines: ids.length };
}

/**
 * A backend's log mixing app-scoped IDs of 2 apps (Facebook Login events, `app_id=`) and page-scoped
 * IDs of their businesses' Pages (Messenger events, `page_id=`), with repeats.
 */
export function mixedLog(world: World, distinct = 1000, seed = 13): IdFile {
  const { owners } = accountsOf(world);
  const rnd = random(seed);
  const apps = world.businesses
    .map((b) => world.apps.find((a) => a.businessId === b.id))
    .filter((a): a is NonNullable<typeof a> => a !== undefined)
    .slice(0, 2);
  const owner = new Map<string, Owner>();
  const entries: { id: string; line: string }[] = [];
  const half = Math.floor(distinct / 2);
  for (const [i, app] of apps.entries()) {
    const want = Math.floor(half / apps.length) + (i === 0 ? half % apps.length : 0);
    const appOwner = owners.find((o) => o.kind === 'app' && o.account.id === app.id) as Owner;
    for (const person of world.people.filter((p) => p.asids.has(app.id)).slice(0, want)) {
      const asid = person.asids.get(app.id) ?? '';
      owner.set(asid, appOwner);
      entries.push({ id: asid, line: `INFO auth login ok app_id=${app.id} user_id=${asid}` });
    }
  }
  const pages = world.pages.filter((p) => apps.some((a) => a.businessId === p.businessId));
  for (const [i, page] of pages.entries()) {
    const want = Math.floor((distinct - half) / pages.length) + (i === 0 ? (distinct - half) % pages.length : 0);
    const pageOwner = owners.find((o) => o.kind === 'page' && o.account.id === page.id) as Owner;
    for (const person of world.people.filter((p) => p.psids.has(page.id)).slice(-want)) {
      const psid = person.psids.get(page.id) ?? '';
      owner.set(psid, pageOwner);
      entries.push({ id: psid, line: `INFO messenger message received page_id=${page.id} psid=${psid}` });
    }
  }
  const lines: string[] = [];
  for (const e of entries) {
    const times = 1 + Math.floor(rnd() * 2);
    for (let k = 0; k < times; k++) {
      lines.push(e.line);
    }
  }
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
  }
  const stamped = lines.map(
    (l, i) =>
      `2026-11-20T${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z ${l}`,
  );
  return { name: 'mixed log', text: `${stamped.join('\n')}\n`, ids: entries.map((e) => e.id), owner, lines: stamped.length };
}

/** What the seeds' flow ends with for one ID: its linked IDs, or the error it got. */
export type Outcome = { apps: string[]; pages: string[] } | { error: string };

/** The seeds' flow: `ids_for_apps` and `ids_for_pages`, one call each per ID, with the ID's right token. */
export async function baseline(
  client: GraphClient,
  file: IdFile,
  apps: readonly AppAccount[],
  inFlight: number,
): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  await mapLimit(file.ids, inFlight, async (id) => {
    const owner = file.owner.get(id);
    if (!owner) {
      return;
    }
    const creds: Credentials = ownerCredentials(owner, apps);
    const [forApps, forPages] = await Promise.allSettled([
      all((after) => client.idsForApps(creds, id, { after, limit: 100 })),
      all((after) => client.idsForPages(creds, id, { after, limit: 100 })),
    ]);
    const appsError = forApps.status === 'rejected' && !notInstalled(forApps.reason) ? (forApps.reason as unknown) : undefined;
    const pagesError = forPages.status === 'rejected' ? (forPages.reason as unknown) : undefined;
    const error = appsError ?? pagesError;
    if (error !== undefined) {
      out.set(id, { error: error instanceof Error ? error.message : JSON.stringify(error) });
      return;
    }
    out.set(id, {
      apps: forApps.status === 'fulfilled' ? forApps.value.map((a: LinkedApp) => `${a.app.id}:${a.id}`).sort() : [],
      pages: forPages.status === 'fulfilled' ? forPages.value.map((p: LinkedPage) => `${p.page.id}:${p.id}`).sort() : [],
    });
  });
  return out;
}

async function all<T>(page: (after?: string) => Promise<{ items: T[]; after?: string }>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const p = await page(after);
    items.push(...p.items);
    after = p.after;
  } while (after);
  return items;
}

/** Ours, in the same shape. */
export function outcome(result: Resolution | UnresolvedError | undefined): Outcome | undefined {
  if (result === undefined) {
    return undefined;
  }
  if (result instanceof UnresolvedError) {
    return { error: result.message };
  }
  const linked: LinkedIds = result;
  return {
    apps: linked.idsForApps.map((a) => `${a.app.id}:${a.id}`).sort(),
    pages: linked.idsForPages.map((p) => `${p.page.id}:${p.id}`).sort(),
  };
}

/** IDs whose outcome differs from the baseline's (nothing may be lost). */
export function differences(expected: ReadonlyMap<string, Outcome>, ours: ReadonlyMap<string, Resolution | UnresolvedError>): string[] {
  const out: string[] = [];
  for (const [id, want] of expected) {
    const got = outcome(ours.get(id));
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      out.push(`${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  return out;
}

/** People among the file's IDs who never used their Page's app: each needs the ids_for_pages-only question. */
export function withoutAppScopedId(world: World, file: IdFile): number {
  let n = 0;
  for (const id of file.ids) {
    const owner = file.owner.get(id);
    const scoped = world.scopedIds.get(id);
    if (owner?.kind === 'page' && scoped?.scope === 'page') {
      const page = world.page(owner.account.id);
      if (page && !scoped.person.asids.has(page.appId)) {
        n++;
      }
    }
  }
  return n;
}
