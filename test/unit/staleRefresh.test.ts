import * as assert from 'node:assert/strict';
import { PageAccount } from '../../src/core/accounts/accounts';
import { ConversationExplorer, StaleLists } from '../../src/core/explorer/conversationExplorer';
import { ExplorerNode, PageNode } from '../../src/core/explorer/nodes';
import { GraphClient } from '../../src/core/graph/client';
import { FetchLike, GraphTransport } from '../../src/core/graph/transport';

const HOST = 'http://127.0.0.1:4580';
const page: PageAccount = { kind: 'page', id: '11111', name: 'Northwind', token: 'EAApage-one-0000', scopes: [], tasks: [] };

/** A Graph host with two threads that can be stopped: then every request fails as a refused connection does. */
function host(): { fetch: FetchLike; asked: string[]; down: boolean } {
  const state = {
    asked: [] as string[],
    down: false,
    fetch: ((url: string) => {
      state.asked.push(new URL(url).pathname);
      if (state.down) {
        return Promise.reject(
          new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
        );
      }
      const data = [1, 2].map((n) => ({
        id: `t_${n}`,
        updated_time: '2026-11-20T10:00:00+0000',
        participants: { data: [{ id: `7${n}`, name: 'P' }] },
      }));
      return Promise.resolve(
        new Response(JSON.stringify({ data, paging: { cursors: {} } }), { headers: { 'content-type': 'application/json' } }),
      );
    }) as FetchLike,
  };
  return state;
}

function explorerFor(fetch: FetchLike): ConversationExplorer {
  const client = new GraphClient(new GraphTransport({ fetch, host: HOST }));
  return new ConversationExplorer({
    hostProblem: () => undefined,
    pages: () => Promise.resolve([page]),
    call: (p, work) => work(client, { accessToken: p.token }),
    pageSizes: () => ({ conversations: 10, messages: 20 }),
    folderOf: () => 'inbox',
    rememberFolder: () => Promise.resolve(),
    withProgress: (work) => work,
    warn: () => undefined,
  });
}

const staleOf = (e: ConversationExplorer): StaleLists | undefined => e.stale;
const kinds = (nodes: ExplorerNode[]) => nodes.map((n) => (n.kind === 'conversation' ? n.conversation.id : n.kind));

describe('Refresh All with the host down: a real refresh, and what is shown is marked stale', () => {
  it('asks for the lists again, keeps the threads loaded before, and says the host did not answer until it answers again', async () => {
    const graph = host();
    const e = explorerFor(graph.fetch);
    const seen: (StaleLists | undefined)[] = [];
    e.onDidChangeStale((s) => seen.push(s));
    const [root] = await e.roots();
    assert.ok(root instanceof PageNode);
    assert.deepEqual(kinds(await e.children(root)), ['t_1', 't_2']);
    assert.equal(staleOf(e), undefined);

    graph.down = true;
    const askedBefore = graph.asked.length;
    e.refresh();
    const [again] = await e.roots();
    assert.ok(again instanceof PageNode);
    assert.deepEqual(kinds(await e.children(again)), ['t_1', 't_2'], 'the threads loaded before stay, not an error row');
    assert.ok(graph.asked.length > askedBefore, 'Refresh All asked for the list again');
    assert.equal(staleOf(e)?.error.kind, 'network');
    assert.equal(staleOf(e)?.origin, HOST, 'the host that did not answer is named');
    assert.equal(seen.length, 1);

    // Showing the kept list again is not an answer: still stale, and no request.
    const asked = graph.asked.length;
    await e.children(again);
    assert.equal(graph.asked.length, asked);
    assert.ok(staleOf(e));

    graph.down = false;
    e.refresh();
    assert.deepEqual(kinds(await e.children(again)), ['t_1', 't_2']);
    assert.equal(staleOf(e), undefined, 'fresh again once the host answers');
    assert.equal(seen.at(-1), undefined);
  });

  it('stays stale when the tree renders the list twice while the reload is under way', async () => {
    const graph = host();
    const e = explorerFor(graph.fetch);
    const [root] = await e.roots();
    assert.ok(root instanceof PageNode);
    await e.children(root);
    graph.down = true;
    e.refresh();
    const [first, second] = await Promise.all([e.children(root), e.children(root)]);
    assert.deepEqual(kinds(first ?? []), ['t_1', 't_2']);
    assert.deepEqual(kinds(second ?? []), ['t_1', 't_2']);
    assert.equal(staleOf(e)?.error.kind, 'network', 'the second render does not take the kept threads for an answer');
  });

  it('a render still waiting on a reload that a second Refresh All forgot does not drop what that Refresh All keeps', async () => {
    const graph = host();
    const e = explorerFor(graph.fetch);
    const [root] = await e.roots();
    assert.ok(root instanceof PageNode);
    await e.children(root);
    e.refresh();
    const waiting = e.children(root);
    graph.down = true;
    e.refresh();
    await waiting;
    assert.deepEqual(kinds(await e.children(root)), ['t_1', 't_2']);
    assert.equal(staleOf(e)?.error.kind, 'network');
  });

  it('shows the error row as before when nothing had been loaded', async () => {
    const graph = host();
    graph.down = true;
    const e = explorerFor(graph.fetch);
    const [root] = await e.roots();
    assert.ok(root instanceof PageNode);
    assert.deepEqual(kinds(await e.children(root)), ['error']);
    assert.equal(staleOf(e), undefined);
  });
});
