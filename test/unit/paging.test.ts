import * as assert from 'node:assert/strict';
import { GraphError } from '../../src/core/graph/errors';
import { decodePage, Page, pageAll } from '../../src/core/graph/paging';
import { refusedField } from './support/refusedField';

// Cursor paging, edge by edge (found unpinned by mutation testing).
describe('decodePage', () => {
  const id = (raw: Record<string, unknown>) => String(raw.id);

  it('has a next page only when next is given, with the cursor, or else the after of the next URL', () => {
    assert.deepEqual(decodePage({ data: [{ id: 1 }], paging: { cursors: { after: 'A' } } }, 'p', id), { items: ['1'] });
    assert.deepEqual(decodePage({ data: [], paging: null }, 'p', id), { items: [] });
    assert.deepEqual(decodePage({ data: [], paging: { cursors: { after: 'A' }, next: 'https://x/?after=B' } }, 'p', id), {
      items: [],
      after: 'A',
    });
    assert.deepEqual(decodePage({ data: [], paging: { next: 'https://graph.facebook.com/v26.0/1/x?after=B&limit=2' } }, 'p', id), {
      items: [],
      after: 'B',
    });
    assert.deepEqual(decodePage({ data: [], paging: { cursors: {}, next: 'https://x/?after=C' } }, 'p', id), { items: [], after: 'C' });
  });

  it('refuses a next page it cannot follow, naming the missing cursor', () => {
    for (const next of ['https://x/?before=B', 'not a url']) {
      assert.throws(
        () => decodePage({ data: [], paging: { next } }, 'p', id),
        (e: unknown) => e instanceof GraphError && e.kind === 'malformed' && e.field === 'p.paging.cursors.after',
      );
    }
  });

  it('names the path of the item it could not read', () => {
    assert.throws(
      () => decodePage({ data: [{ id: 1 }, 'x'] }, 'p', id),
      (e: unknown) => e instanceof GraphError && e.field === 'p.data[1]',
    );
  });

  it('names the paging field it could not read', () => {
    const fieldOf = (paging: unknown) => refusedField(() => decodePage({ data: [], paging }, 'p', id));
    assert.equal(fieldOf('x'), 'p.paging');
    assert.equal(fieldOf({ next: 5 }), 'p.paging.next');
    assert.equal(fieldOf({ next: 'https://x/', cursors: 'x' }), 'p.paging.cursors');
    assert.equal(fieldOf({ next: 'https://x/', cursors: { after: 5 } }), 'p.paging.cursors.after');
  });
});

describe('pageAll', () => {
  const pages = (...list: Page<number>[]) => {
    const asked: (string | undefined)[] = [];
    return {
      asked,
      fetch: (after: string | undefined) => {
        asked.push(after);
        return Promise.resolve(list[asked.length - 1] ?? { items: [] });
      },
    };
  };
  const collect = async (it: AsyncGenerator<Page<number>>) => {
    const out: number[][] = [];
    for await (const p of it) {
      out.push(p.items);
    }
    return out;
  };

  it('follows each cursor, and stops on the page without one', async () => {
    const p = pages({ items: [1], after: 'a' }, { items: [2], after: 'b' }, { items: [3] });
    assert.deepEqual(await collect(pageAll(p.fetch)), [[1], [2], [3]]);
    assert.deepEqual(p.asked, [undefined, 'a', 'b']);
  });

  it('stops once it has maxItems items, not before', async () => {
    const p = pages({ items: [1, 2], after: 'a' }, { items: [3, 4], after: 'b' }, { items: [5], after: 'c' });
    assert.deepEqual(await collect(pageAll(p.fetch, { maxItems: 4 })), [
      [1, 2],
      [3, 4],
    ]);
    const q = pages({ items: [1, 2], after: 'a' }, { items: [3, 4], after: 'b' }, { items: [5] });
    assert.deepEqual(await collect(pageAll(q.fetch, { maxItems: 5 })), [[1, 2], [3, 4], [5]]);
  });

  it('stops after maxPages pages, and after 1000 by default', async () => {
    let n = 0;
    const endless = () => Promise.resolve({ items: [], after: `c${n++}` });
    assert.equal((await collect(pageAll(endless, { maxPages: 3 }))).length, 3);
    n = 0;
    assert.equal((await collect(pageAll(endless))).length, 1000);
  });

  it('refuses a cursor it has seen before', async () => {
    const p = pages({ items: [1], after: 'a' }, { items: [2], after: 'b' }, { items: [3], after: 'a' });
    await assert.rejects(
      collect(pageAll(p.fetch)),
      (e: unknown) => e instanceof GraphError && e.kind === 'malformed' && e.field === 'paging.cursors.after',
    );
    assert.equal(p.asked.length, 3);
  });

  it('stops asking once cancelled', async () => {
    const controller = new AbortController();
    const p = pages({ items: [1], after: 'a' }, { items: [2], after: 'b' });
    const got: number[][] = [];
    await assert.rejects(
      (async () => {
        for await (const page of pageAll(p.fetch, { signal: controller.signal })) {
          got.push(page.items);
          controller.abort();
        }
      })(),
      { kind: 'cancelled' },
    );
    assert.deepEqual(got, [[1]]);
    assert.equal(p.asked.length, 1);
  });
});
