import * as assert from 'node:assert/strict';
import { PageAccount } from '../../src/core/accounts/accounts';
import { ConversationExplorer, ExplorerHost } from '../../src/core/explorer/conversationExplorer';
import { ConversationNode, ExplorerNode, PageNode, PlatformNode } from '../../src/core/explorer/nodes';
import { GraphClient } from '../../src/core/graph/client';
import { Folder } from '../../src/core/graph/models';
import { FetchLike, GraphTransport } from '../../src/core/graph/transport';

const HOST = 'https://graph.facebook.com';

function message(id: string): unknown {
  return { id, created_time: '2026-11-20T10:00:00+0000', message: 'Where is my order?', from: { id: '1', name: 'x' } };
}

function thread(pageId: string, n: number | string, person: string): unknown {
  return {
    id: `t_${pageId}_${n}`,
    updated_time: '2026-11-20T10:00:00+0000',
    snippet: `hello ${n}`,
    participants: {
      data: [
        { id: person, name: `Person ${person}` },
        { id: pageId, name: 'The Page' },
      ],
    },
  };
}

/** A fake Graph host for two Pages: threads in pages of `size`, messages, batch, user_id lookups and failures on demand. */
class FakeGraph {
  readonly asked: string[] = [];
  failNext: string | undefined;
  /** Every request fails as a refused connection does. */
  down = false;
  /** Graph error codes the next `user_id=` lookups answer with, one each (0: none, answer as usual). */
  readonly lookupErrors: number[] = [];
  /** A platform whose list, inside a batch, answers with a permission error. */
  refusedInBatch: string | undefined;
  /** When a thread found by user ID was last updated. */
  foundUpdated = '2026-11-01T10:00:00+0000';
  constructor(private readonly threads: Record<string, number>) {}

  readonly fetch: FetchLike = (url, init) => {
    const u = new URL(url);
    this.asked.push(`${init.method ?? 'GET'} ${u.pathname}${u.search}`);
    if (init.signal?.aborted) {
      return Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
    }
    if (this.down) {
      return Promise.reject(
        new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
      );
    }
    const lookupError = u.searchParams.has('user_id') ? this.lookupErrors.shift() : undefined;
    if (lookupError) {
      return json({ error: { message: `lookup refused (${lookupError})`, type: 'OAuthException', code: lookupError } }, 400);
    }
    if (this.failNext && u.pathname.includes(this.failNext)) {
      this.failNext = undefined;
      return json({ error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true } }, 500);
    }
    if (init.method === 'POST') {
      const batch = JSON.parse(new URLSearchParams(typeof init.body === 'string' ? init.body : '').get('batch') ?? '[]') as {
        relative_url: string;
      }[];
      const items = batch.map((b) => {
        const item = new URL(`${HOST}/v26.0/${b.relative_url}`);
        return item.searchParams.get('platform') === this.refusedInBatch
          ? { code: 403, body: JSON.stringify({ error: { message: 'Requires pages_messaging', type: 'OAuthException', code: 10 } }) }
          : { code: 200, body: JSON.stringify(this.answer(item)) };
      });
      return json(items);
    }
    return json(this.answer(u));
  };

  private answer(u: URL): unknown {
    const parts = u.pathname.split('/').filter(Boolean).slice(1);
    if (parts[1] === 'conversations') {
      const pageId = parts[0] ?? '';
      const userId = u.searchParams.get('user_id');
      if (userId) {
        // An older thread than the ones listed: found, it goes where its time puts it.
        const older = { ...(thread(pageId, 999, userId) as object), updated_time: this.foundUpdated };
        return { data: userId.startsWith(pageId.slice(0, 2)) ? [older] : [] };
      }
      const size = Number(u.searchParams.get('limit') ?? 25);
      const start = Number(u.searchParams.get('after') ?? 0);
      const total = this.threads[`${pageId}/${u.searchParams.get('platform') ?? 'messenger'}`] ?? 0;
      const newest = /messages\.limit\(\d+\)\{/.test(u.searchParams.get('fields') ?? '');
      const data = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => {
        // Instagram threads have IDs of their own, as on the Graph API.
        const n = u.searchParams.get('platform') === 'instagram' ? `ig${start + i}` : start + i;
        const t = thread(pageId, n, `${pageId.slice(0, 2)}${start + i}`) as Record<string, unknown>;
        return newest ? { ...t, messages: { data: [message(`m_${String(t.id)}_1`)], paging: { cursors: {} } } } : t;
      });
      return { data, paging: start + size < total ? { cursors: { after: String(start + size) }, next: `${HOST}/next` } : { cursors: {} } };
    }
    if (parts[0]?.startsWith('t_')) {
      return {
        messages: {
          data: [
            {
              id: `m_${parts[0]}_1`,
              created_time: '2026-11-20T10:00:00+0000',
              message: 'Where is my order?',
              from: { id: '1', name: 'x' },
            },
          ],
        },
        id: parts[0],
      };
    }
    return { error: { message: 'no route', type: 'OAuthException', code: 100 } };
  }
}

function json(body: unknown, status = 200): Promise<Response> {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

const messengerOnly: PageAccount = { kind: 'page', id: '11111', name: 'Northwind', token: 'EAApage-one-0000', scopes: [], tasks: [] };
const withInstagram: PageAccount = {
  kind: 'page',
  id: '22222',
  name: 'Sakura',
  token: 'EAApage-two-0000',
  scopes: [],
  tasks: [],
  instagram: { id: '17841', username: 'sakura' },
};

function explorer(
  graph: FakeGraph,
  sizes = { conversations: 10, messages: 20 },
  overrides: Partial<ExplorerHost> = {},
): { explorer: ConversationExplorer; folders: Map<string, Folder>; changes: (ExplorerNode | undefined)[]; progress: number[] } {
  const client = new GraphClient(new GraphTransport({ fetch: graph.fetch, host: HOST }));
  const folders = new Map<string, Folder>();
  const progress: number[] = [];
  const host: ExplorerHost = {
    hostProblem: () => undefined,
    pages: () => Promise.resolve([messengerOnly, withInstagram]),
    call: (page, work) => work(client, { accessToken: page.token }),
    pageSizes: () => sizes,
    folderOf: (id) => folders.get(id) ?? 'inbox',
    rememberFolder: (id, folder) => Promise.resolve(void folders.set(id, folder)),
    withProgress: (work) => {
      progress.push(1);
      return work;
    },
    warn: () => undefined,
    ...overrides,
  };
  const e = new ConversationExplorer(host);
  const changes: (ExplorerNode | undefined)[] = [];
  e.onDidChange((n) => changes.push(n));
  return { explorer: e, folders, changes, progress };
}

const labels = (nodes: ExplorerNode[]) => nodes.map((n) => (n.kind === 'conversation' ? n.conversation.id : n.kind));

describe("ConversationExplorer (the tree's state, without VS Code)", () => {
  it("lists a Page's threads a page at a time, with a Load more row, one request per page", async () => {
    const graph = new FakeGraph({ '11111/messenger': 25 });
    const { explorer: e } = explorer(graph);
    const [page] = await e.roots();
    assert.ok(page instanceof PageNode);
    const first = await e.children(page);
    assert.equal(first.length, 11);
    assert.equal(first.at(-1)?.kind, 'loadMore');
    await e.loadMore(page);
    await e.loadMore(page);
    const all = await e.children(page);
    assert.equal(all.filter((n) => n.kind === 'conversation').length, 25);
    assert.notEqual(all.at(-1)?.kind, 'loadMore', 'no Load more after the last page');
    assert.equal(graph.asked.length, 3);
  });

  it("brings the first threads' newest messages with the Page's own request: opening one of them costs no request", async () => {
    const graph = new FakeGraph({ '11111/messenger': 30, '22222/messenger': 3, '22222/instagram': 2 });
    const { explorer: e } = explorer(graph);
    const [plain, both] = (await e.roots()) as PageNode[];
    assert.ok(plain && both);
    const first = (await e.children(plain)).filter((n): n is ConversationNode => n.kind === 'conversation');
    assert.match(graph.asked[0] ?? '', /fields=[^&]*messages\.limit%2820%29%7B/, 'bounded by the messages page size');
    const asked = graph.asked.length;
    const opened = await e.children(first[0]);
    assert.deepEqual(
      opened.map((n) => (n.kind === 'message' ? n.message.id : n.kind)),
      [`m_${first[0]?.conversation.id}_1`],
    );
    assert.equal(graph.asked.length, asked, 'no request to open one of the first threads');
    // Used once: the thread refreshed on its own asks the Graph API again, even when its list renders in between.
    e.refresh(first[0]);
    await e.children(plain);
    await e.children(first[0]);
    assert.equal(graph.asked.length, asked + 1, 'a refreshed thread asks again');
    assert.match(graph.asked.at(-1) ?? '', /t_11111_0\?fields=messages/);
    // Both platforms of a Page with Instagram come with theirs, in the one batch.
    const [messenger] = (await e.children(both)) as PlatformNode[];
    const thread = (await e.children(messenger)).find((n): n is ConversationNode => n.kind === 'conversation');
    const afterBatch = graph.asked.length;
    assert.equal((await e.children(thread as ConversationNode)).length, 1);
    assert.equal(graph.asked.length, afterBatch);
    // A thread refreshed before it was ever opened asks too.
    const unopened = first[1];
    e.refresh(unopened);
    const beforeUnopened = graph.asked.length;
    await e.children(unopened);
    assert.equal(graph.asked.length, beforeUnopened + 1, 'a thread refreshed before it was opened asks again');
    // Later pages of threads do not carry messages: the bound is the first page.
    await e.loadMore(plain);
    assert.doesNotMatch(graph.asked.at(-1) ?? '', /messages\.limit/);
  });

  it('loads both platforms of a Page with Instagram in one batch request', async () => {
    const graph = new FakeGraph({ '22222/messenger': 3, '22222/instagram': 2 });
    const { explorer: e } = explorer(graph);
    const page = (await e.roots())[1] as PageNode;
    const groups = await e.children(page);
    assert.deepEqual(
      groups.map((g) => (g as PlatformNode).platform),
      ['messenger', 'instagram'],
    );
    assert.equal(labels(await e.children(groups[0] as PlatformNode)).length, 3);
    assert.equal(labels(await e.children(groups[1] as PlatformNode)).length, 2);
    assert.deepEqual(
      graph.asked.map((a) => a.split(' ')[0]),
      ['POST'],
      'one batch request for both lists',
    );
  });

  it('filters the loaded threads, and says so to whoever listens', async () => {
    const graph = new FakeGraph({ '11111/messenger': 5 });
    const { explorer: e } = explorer(graph);
    const seen: string[] = [];
    e.onDidChangeFilter((t) => seen.push(t));
    const page = (await e.roots())[0] as PageNode;
    await e.children(page);
    e.setFilter('  hello 3 ');
    assert.deepEqual(labels(await e.children(page)), ['t_11111_3']);
    e.setFilter('no such text');
    assert.deepEqual(labels(await e.children(page)), ['empty']);
    assert.deepEqual(seen, ['hello 3', 'no such text']);
  });

  it('shows a failed load as an error row, and Retry loads it', async () => {
    const graph = new FakeGraph({ '11111/messenger': 2 });
    graph.failNext = 'conversations';
    const { explorer: e } = explorer(graph);
    const page = (await e.roots())[0] as PageNode;
    const failed = await e.children(page);
    assert.deepEqual(labels(failed), ['error']);
    await e.retry(page);
    assert.deepEqual(labels(await e.children(page)), ['t_11111_0', 't_11111_1']);
  });

  it('refresh forgets what a node loaded; a folder is remembered per Page', async () => {
    const graph = new FakeGraph({ '11111/messenger': 2 });
    const { explorer: e, folders, changes } = explorer(graph);
    const page = (await e.roots())[0] as PageNode;
    await e.children(page);
    e.refresh(page);
    await e.children(page);
    assert.equal(graph.asked.length, 2, 'reloaded after refresh');
    await e.setFolder(page, 'other');
    assert.equal(folders.get('11111'), 'other');
    await e.children(page);
    assert.match(graph.asked.at(-1) ?? '', /folder=other/);
    assert.ok(changes.includes(page));
  });

  it('each node answers for itself: its Page, Graph ID, participant, raw JSON and request', async () => {
    const graph = new FakeGraph({ '11111/messenger': 1 });
    const { explorer: e } = explorer(graph);
    const page = (await e.roots())[0] as PageNode;
    const conversation = (await e.children(page))[0] as ConversationNode;
    const message = (await e.children(conversation))[0];
    assert.ok(message?.kind === 'message');
    assert.equal(conversation.pageNode, page);
    assert.equal(message.pageNode, page);
    assert.equal(conversation.graphId, 't_11111_0');
    assert.equal(conversation.participant?.id, '110', 'the person, not the Page');
    assert.equal(message.graphId, 'm_t_11111_0_1');
    assert.deepEqual(conversation.request(), { path: 't_11111_0', params: { fields: conversation.request().params.fields } });
    assert.equal((page.raw() as { id: string }).id, '11111');
    assert.ok(!JSON.stringify(page.raw()).includes(messengerOnly.token), "a Page's raw JSON never holds its token");
    assert.equal(e.parent(message), conversation);
  });

  it("finds a person's thread on the Page that knows them, and puts it where its time belongs among the loaded ones", async () => {
    const graph = new FakeGraph({ '11111/messenger': 3, '22222/messenger': 2, '22222/instagram': 1 });
    const { explorer: e } = explorer(graph);
    const page = (await e.roots())[1] as PageNode;
    await e.children(page);
    const found = await e.findThread('22777');
    assert.ok(found.node);
    assert.equal(found.node.pageNode.page.id, '22222');
    const messenger = page.groups[0];
    assert.ok(messenger);
    assert.deepEqual(
      labels(await e.children(messenger)),
      ['t_22222_0', 't_22222_1', 't_22222_999'],
      'older than the loaded two: after them',
    );
  });

  it('asks only the Page a PSID belongs to when the caller knows it (no wasted requests to other Pages)', async () => {
    const graph = new FakeGraph({ '11111/messenger': 1, '22222/messenger': 1, '22222/instagram': 1 });
    const { explorer: e } = explorer(graph);
    const found = await e.findThread('22777', undefined, '22222');
    assert.equal(found.node?.pageNode.page.id, '22222');
    assert.deepEqual(
      graph.asked.filter((a) => a.includes('user_id')).map((a) => a.split('/')[2]),
      ['22222'],
      'one lookup, at the owning Page',
    );
  });
});

describe('ConversationExplorer: Pages coming and going, refreshes, batch failures and finding a thread', () => {
  const threadsOf = (nodes: ExplorerNode[]) => nodes.filter((n): n is ConversationNode => n.kind === 'conversation');

  it('a refused Graph host setting shows one row saying why, and asks nothing', async () => {
    const graph = new FakeGraph({ '11111/messenger': 1 });
    const { explorer: e } = explorer(graph, undefined, { hostProblem: () => 'graph.example.com is not allowed' });
    const roots = await e.roots();
    assert.deepEqual(
      roots.map((n) => (n.kind === 'hostError' ? n.reason : n.kind)),
      ['graph.example.com is not allowed'],
    );
    assert.deepEqual(graph.asked, []);
  });

  it("a Page removed from the accounts is forgotten with its threads' newest messages; the other Page keeps its own", async () => {
    const graph = new FakeGraph({ '11111/messenger': 3, '22222/messenger': 1, '22222/instagram': 1 });
    const sizes = { conversations: 10, messages: 20 };
    let current = [messengerOnly, withInstagram];
    const { explorer: e } = explorer(graph, sizes, { pages: () => Promise.resolve(current) });
    const [plain, both] = (await e.roots()) as PageNode[];
    assert.ok(plain && both);
    await e.children(plain);
    const [messenger] = (await e.children(both)) as PlatformNode[];
    const [kept] = threadsOf(await e.children(messenger));

    current = [withInstagram];
    assert.equal((await e.roots()).length, 1);
    // Back with a smaller page size: its second thread now comes on a later page, without messages.
    sizes.conversations = 1;
    current = [messengerOnly, withInstagram];
    const [again] = (await e.roots()) as PageNode[];
    assert.ok(again);
    assert.notEqual(again, plain, 'a new node, with nothing loaded');
    await e.children(again);
    await e.loadMore(again);
    const second = threadsOf(await e.children(again))[1];
    assert.equal(second?.conversation.id, 't_11111_1');
    const before = graph.asked.length;
    await e.children(second);
    assert.equal(graph.asked.length, before + 1, 'the removed Page’s messages of this thread were forgotten: it asks');
    await e.children(kept);
    assert.equal(graph.asked.length, before + 1, 'the other Page’s thread still opens without a request');
  });

  it('rows rendered again are the same nodes: threads and messages keep what they loaded', async () => {
    const graph = new FakeGraph({ '11111/messenger': 2 });
    const { explorer: e } = explorer(graph);
    const page = (await e.roots())[0] as PageNode;
    const first = threadsOf(await e.children(page));
    const thread = first[0];
    const messages = await e.children(thread);
    assert.deepEqual(threadsOf(await e.children(page)), first);
    const again = await e.children(thread);
    assert.equal(again.length, 1);
    assert.equal(again[0], messages[0]);
  });

  it('a thread refreshed on its own asks for its messages with the configured page size', async () => {
    const graph = new FakeGraph({ '11111/messenger': 1 });
    const { explorer: e } = explorer(graph, { conversations: 10, messages: 7 });
    const page = (await e.roots())[0] as PageNode;
    const [thread] = threadsOf(await e.children(page));
    e.refresh(thread);
    await e.children(thread);
    assert.match(graph.asked.at(-1) ?? '', /^GET \/v26\.0\/t_11111_0\?.*messages\.limit%287%29/);
  });

  it('expanding a Page with Instagram again asks nothing; refreshing the Page asks its batch again', async () => {
    const graph = new FakeGraph({ '22222/messenger': 2, '22222/instagram': 1 });
    const { explorer: e } = explorer(graph);
    const both = (await e.roots())[1] as PageNode;
    await e.children(both);
    await e.children(both);
    assert.equal(graph.asked.length, 1);
    e.refresh(both);
    await e.children(both);
    assert.deepEqual(
      graph.asked.map((a) => a.split(' ')[0]),
      ['POST', 'POST'],
    );
  });

  it('a platform group refreshed on its own reloads only its threads; the other group keeps what it loaded', async () => {
    const graph = new FakeGraph({ '22222/messenger': 2, '22222/instagram': 1 });
    const { explorer: e, changes } = explorer(graph);
    const both = (await e.roots())[1] as PageNode;
    const [messenger, instagram] = (await e.children(both)) as PlatformNode[];
    assert.ok(messenger && instagram);
    const [oldThread] = threadsOf(await e.children(messenger));
    const [igThread] = threadsOf(await e.children(instagram));
    await e.children(oldThread);
    await e.children(igThread);
    const asked = graph.asked.length;

    e.refresh(messenger);
    assert.equal(changes.at(-1), messenger);
    await e.children(both);
    assert.equal(graph.asked.length, asked, 'no batch for both when one group is still loaded');
    const [newThread] = threadsOf(await e.children(messenger));
    assert.equal(graph.asked.length, asked + 1);
    assert.match(graph.asked.at(-1) ?? '', /^GET \/v26\.0\/22222\/conversations\?.*platform=messenger/);
    assert.notEqual(newThread, oldThread, 'the refreshed group’s threads are new nodes');
    assert.equal(newThread?.messages.state, 'idle', '…with nothing loaded');
    const [igAgain] = threadsOf(await e.children(instagram));
    assert.equal(igAgain, igThread);
    assert.equal(igAgain?.messages.state, 'loaded', 'the other group’s thread keeps its messages');
  });

  it('a platform the batch refuses shows its error; the other platform its threads', async () => {
    const graph = new FakeGraph({ '22222/messenger': 2, '22222/instagram': 1 });
    graph.refusedInBatch = 'instagram';
    const { explorer: e } = explorer(graph);
    const both = (await e.roots())[1] as PageNode;
    const [messenger, instagram] = (await e.children(both)) as PlatformNode[];
    assert.deepEqual(labels(await e.children(messenger)), ['t_22222_0', 't_22222_1']);
    const rows = await e.children(instagram);
    assert.deepEqual(
      rows.map((n) => (n.kind === 'error' ? n.error.kind : n.kind)),
      ['permission'],
    );
    assert.equal(graph.asked.length, 1);
  });

  it('a failed batch shows an error row under each platform, logged once, without asking each list again', async () => {
    const graph = new FakeGraph({ '22222/messenger': 2, '22222/instagram': 1 });
    graph.failNext = '/';
    const warnings: string[] = [];
    const { explorer: e } = explorer(graph, undefined, { warn: (m) => void warnings.push(m) });
    const both = (await e.roots())[1] as PageNode;
    const groups = (await e.children(both)) as PlatformNode[];
    for (const group of groups) {
      assert.deepEqual(labels(await e.children(group)), ['error']);
    }
    assert.equal(graph.asked.length, 1);
    assert.equal(warnings.length, 1);
  });

  it('Refresh All with the host down keeps both platforms’ threads and says stale once; a later single-Page failure shows errors', async () => {
    const graph = new FakeGraph({ '22222/messenger': 2, '22222/instagram': 1 });
    const { explorer: e } = explorer(graph);
    const seen: unknown[] = [];
    e.onDidChangeStale((s) => seen.push(s));
    const both = (await e.roots())[1] as PageNode;
    const [messenger, instagram] = (await e.children(both)) as PlatformNode[];
    assert.ok(messenger && instagram);
    await e.children(messenger);
    await e.children(instagram);

    graph.down = true;
    e.refresh();
    await e.children(both);
    assert.deepEqual(labels(await e.children(messenger)), ['t_22222_0', 't_22222_1']);
    assert.deepEqual(labels(await e.children(instagram)), ['t_22222_ig0']);
    assert.equal(e.stale?.error.kind, 'network');
    assert.equal(seen.length, 1, 'said once for both lists');

    graph.down = false;
    e.refresh();
    await e.children(both);
    assert.equal(e.stale, undefined);
    // What was kept went with the good reload: this failure is not a Refresh All's, so it shows as an error.
    graph.down = true;
    e.refresh(both);
    await e.children(both);
    assert.deepEqual(labels(await e.children(messenger)), ['error']);
    assert.equal(e.stale, undefined);
  });

  it('Refresh All with the host down shows an error, not staleness, for a list that was empty', async () => {
    const graph = new FakeGraph({ '11111/messenger': 0 });
    const { explorer: e } = explorer(graph);
    const plain = (await e.roots())[0] as PageNode;
    assert.deepEqual(labels(await e.children(plain)), ['empty']);
    graph.down = true;
    e.refresh();
    assert.deepEqual(labels(await e.children(plain)), ['error']);
    assert.equal(e.stale, undefined);
  });

  it('finding a thread counts what it asked and reports only failures that are not "someone else’s user"', async () => {
    const graph = new FakeGraph({ '11111/messenger': 1, '22222/messenger': 1, '22222/instagram': 1 });
    const { explorer: e } = explorer(graph);
    // badRequest, notFound, permission: the ID belongs to another Page or account.
    graph.lookupErrors.push(100, 803, 10);
    const nowhere = await e.findThread('99999');
    assert.equal(nowhere.node, undefined);
    assert.equal(nowhere.tried, 3);
    assert.deepEqual(nowhere.errors, []);
    graph.lookupErrors.push(190);
    const broken = await e.findThread('99999');
    assert.deepEqual(
      broken.errors.map((x) => x.kind),
      ['invalidToken'],
    );
    const found = await e.findThread('22777');
    assert.equal(found.node?.conversation.id, 't_22222_999');
    assert.equal(found.tried, 2);
    assert.deepEqual(found.errors, [], 'a Page that does not know the person is no error');
  });

  it('a cancelled search stops at once', async () => {
    const graph = new FakeGraph({ '11111/messenger': 1, '22222/messenger': 1, '22222/instagram': 1 });
    const { explorer: e } = explorer(graph);
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(e.findThread('22777', stop.signal), { kind: 'cancelled' });
    assert.equal(graph.asked.filter((a) => a.includes('user_id')).length, 1);
  });

  it('a thread found on Instagram goes under the Instagram group, first when it is the newest', async () => {
    const graph = new FakeGraph({ '22222/messenger': 1, '22222/instagram': 1 });
    graph.foundUpdated = '2026-11-25T10:00:00+0000';
    const { explorer: e } = explorer(graph);
    const both = (await e.roots())[1] as PageNode;
    const [, instagram] = (await e.children(both)) as PlatformNode[];
    assert.ok(instagram);
    await e.children(instagram);
    graph.lookupErrors.push(803);
    const found = await e.findThread('22777', undefined, '22222');
    assert.equal(found.node?.parent, instagram);
    assert.deepEqual(labels(await e.children(instagram)), ['t_22222_999', 't_22222_ig0']);
  });

  it('a Page whose token changes reloads its threads, one that gains Instagram shows both platforms, and a new name is shown', async () => {
    const graph = new FakeGraph({ '11111/messenger': 1 });
    let current: PageAccount[] = [messengerOnly];
    const { explorer: e } = explorer(graph, undefined, { pages: () => Promise.resolve(current) });
    const [page] = (await e.roots()) as PageNode[];
    assert.ok(page);
    await e.children(page);
    current = [{ ...messengerOnly, token: 'EAApage-one-1111' }];
    await e.roots();
    await e.children(page);
    assert.equal(graph.asked.length, 2, 'a new token: its lists are asked again');
    current = [{ ...messengerOnly, token: 'EAApage-one-1111', name: 'Northwind Ltd' }];
    await e.roots();
    assert.equal(page.page.name, 'Northwind Ltd');
    await e.children(page);
    assert.equal(graph.asked.length, 2, 'a new name alone asks nothing');
    current = [{ ...messengerOnly, token: 'EAApage-one-1111', instagram: { id: '17842', username: 'northwind' } }];
    await e.roots();
    assert.deepEqual(
      (await e.children(page)).map((n) => (n.kind === 'platform' ? n.platform : n.kind)),
      ['messenger', 'instagram'],
    );
  });

  it('after dispose, nobody is told of changes', () => {
    const graph = new FakeGraph({});
    const { explorer: e, changes } = explorer(graph);
    const filters: string[] = [];
    e.onDidChangeFilter((t) => filters.push(t));
    e.dispose();
    e.setFilter('x');
    assert.deepEqual(changes, []);
    assert.deepEqual(filters, []);
  });
});
