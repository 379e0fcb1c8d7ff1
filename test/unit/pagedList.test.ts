import * as assert from 'node:assert/strict';
import { PagedList } from '../../src/core/explorer/pagedList';
import { GraphError } from '../../src/core/graph/errors';
import { Page } from '../../src/core/graph/paging';

interface Item {
  readonly id: string;
  readonly n?: number;
}

/** A Graph edge the test answers by hand: every fetch waits until the test settles it. */
class Edge {
  readonly asked: (string | undefined)[] = [];
  private readonly pending: { resolve: (p: Page<Item>) => void; reject: (e: unknown) => void }[] = [];
  readonly list = new PagedList<Item>((after) => {
    this.asked.push(after);
    return new Promise<Page<Item>>((resolve, reject) => this.pending.push({ resolve, reject }));
  });

  /** Answers the oldest unanswered fetch with these ids and this cursor. */
  async answer(ids: string[], after?: string): Promise<void> {
    this.next().resolve({ items: ids.map((id) => ({ id })), after });
    await settle();
  }

  async fail(): Promise<void> {
    this.next().reject(new GraphError({ kind: 'transient', message: 'Service temporarily unavailable' }));
    await settle();
  }

  private next(): { resolve: (p: Page<Item>) => void; reject: (e: unknown) => void } {
    const first = this.pending.shift();
    assert.ok(first, 'a fetch is waiting');
    return first;
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const ids = (list: PagedList<Item>) => list.items.map((i) => i.id);

describe('PagedList (one paged Graph edge as the tree shows it)', () => {
  it('asks once while a page is loading, then pages on with the cursor, and stops at the end', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    void edge.list.loadMore();
    assert.deepEqual(edge.asked, [undefined], 'Load more while the first page loads asks nothing more');
    await edge.answer(['a', 'b'], 'c1');
    void edge.list.loadMore();
    void edge.list.loadMore();
    assert.deepEqual(edge.asked, [undefined, 'c1'], 'a second Load more while the next page loads asks nothing more');
    await edge.answer(['b', 'c'], undefined);
    assert.deepEqual(ids(edge.list), ['a', 'b', 'c'], 'a thread seen on an earlier page is kept once');
    assert.equal(edge.list.hasMore, false);
    await edge.list.loadMore();
    assert.deepEqual(edge.asked, [undefined, 'c1'], 'Load more at the end asks nothing');
  });

  it('after a failed first page, Load more and Retry ask for the first page', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    await edge.fail();
    assert.equal(edge.list.state, 'failed');
    void edge.list.loadMore();
    assert.deepEqual(edge.asked, [undefined, undefined]);
    await edge.fail();
    void edge.list.retry();
    assert.deepEqual(edge.asked, [undefined, undefined, undefined]);
    await edge.answer(['a']);
    assert.deepEqual(ids(edge.list), ['a']);
  });

  it('after a failed later page, Load more and Retry ask for that page again, keeping what was loaded', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    await edge.answer(['a'], 'c1');
    void edge.list.loadMore();
    await edge.fail();
    assert.equal(edge.list.state, 'failed');
    void edge.list.loadMore();
    await edge.fail();
    void edge.list.retry();
    assert.deepEqual(edge.asked, [undefined, 'c1', 'c1', 'c1']);
    await edge.answer(['b']);
    assert.deepEqual(ids(edge.list), ['a', 'b']);
  });

  it('after an empty first page with a cursor, a failed next page is asked again, not the first (which would end the list)', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    await edge.answer([], 'c1');
    void edge.list.loadMore();
    await edge.fail();
    void edge.list.loadMore();
    await edge.fail();
    void edge.list.retry();
    assert.deepEqual(edge.asked, [undefined, 'c1', 'c1', 'c1']);
    await edge.answer(['b'], 'c2');
    assert.deepEqual(ids(edge.list), ['b']);
    assert.equal(edge.list.hasMore, true, 'the pages after it are still there');
  });

  it('after a reset, a failed first page is asked again by Load more and Retry, though a page was loaded before the reset', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    await edge.answer(['a'], 'c1');
    edge.list.reset();
    void edge.list.ensureLoaded();
    await edge.fail();
    void edge.list.loadMore();
    assert.deepEqual(edge.asked, [undefined, undefined, undefined]);
    await edge.fail();
    void edge.list.retry();
    assert.deepEqual(edge.asked, [undefined, undefined, undefined, undefined]);
    await edge.answer(['b']);
    assert.deepEqual(ids(edge.list), ['b']);
  });

  it('a reset forgets a load under way: its answer or failure, when it comes, changes nothing', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    edge.list.reset();
    await edge.answer(['old']);
    assert.deepEqual(ids(edge.list), []);
    assert.equal(edge.list.state, 'idle');

    void edge.list.ensureLoaded();
    edge.list.reset();
    await edge.fail();
    assert.equal(edge.list.state, 'idle');
    assert.equal(edge.list.error, undefined);
  });

  it('a load forgotten by a reset does not end the load that replaced it', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    edge.list.reset();
    void edge.list.ensureLoaded();
    await edge.answer(['old']);
    let done = false;
    void edge.list.ensureLoaded().then(() => (done = true));
    await settle();
    assert.equal(done, false, 'still waiting for the newer load');
    await edge.answer(['new']);
    assert.equal(done, true);
    assert.deepEqual(ids(edge.list), ['new']);
  });

  it('a batch failure seeds the list as failed, with its error', () => {
    const edge = new Edge();
    const error = new GraphError({ kind: 'permission', message: 'no access' });
    edge.list.seedError(error);
    assert.equal(edge.list.state, 'failed');
    assert.equal(edge.list.error, error);
    assert.deepEqual(ids(edge.list), []);
  });

  it('an item found elsewhere is added once: prepended first, or inserted where the order puts it', async () => {
    const edge = new Edge();
    void edge.list.ensureLoaded();
    await edge.answer(['a', 'b', 'c']);
    const loadedB = edge.list.items[1];
    assert.equal(edge.list.prepend({ id: 'b' }), loadedB, 'already loaded: the loaded item, not a second row');
    assert.equal(
      edge.list.insertInOrder({ id: 'b' }, () => true),
      loadedB,
    );
    assert.deepEqual(ids(edge.list), ['a', 'b', 'c']);

    const z = { id: 'z' };
    assert.equal(edge.list.prepend(z), z);
    assert.deepEqual(ids(edge.list), ['z', 'a', 'b', 'c']);

    const beforeB = { id: 'x' };
    assert.equal(
      edge.list.insertInOrder(beforeB, (_, other) => other.id === 'b'),
      beforeB,
    );
    edge.list.insertInOrder({ id: 'y' }, () => false);
    assert.deepEqual(ids(edge.list), ['z', 'a', 'x', 'b', 'c', 'y']);
  });
});
