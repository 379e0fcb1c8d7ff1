import * as assert from 'node:assert/strict';
import { mapLimit } from '../../src/core/concurrency';

describe('mapLimit', () => {
  it('runs at most `limit` at once and keeps results in input order', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([30, 10, 20, 0], 2, async (n, i) => {
      running++;
      most = Math.max(most, running);
      for (let tick = 0; tick < n; tick++) {
        await Promise.resolve();
      }
      running--;
      return `${i}:${n}`;
    });
    assert.deepEqual(results, ['0:30', '1:10', '2:20', '3:0']);
    assert.equal(most, 2);
  });

  it('starts no more work once aborted, and the results still line up with the items', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const results = await mapLimit(
      ['a', 'b', 'c'],
      1,
      (item) => {
        started.push(item);
        controller.abort();
        return Promise.resolve(item.toUpperCase());
      },
      controller.signal,
    );
    assert.deepEqual(started, ['a']);
    assert.equal(results.length, 3);
    assert.deepEqual([...results], ['A', undefined, undefined]);
  });
});
