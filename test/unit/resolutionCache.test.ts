import * as assert from 'node:assert/strict';
import { ResolutionCache } from '../../src/core/ids/cache';
import { Resolution } from '../../src/core/ids/resolve';

// Expiry and host scoping of the resolution cache, edge by edge (found unpinned by mutation testing).
describe('ResolutionCache at its edges', () => {
  const TTL = 60_000;
  const resolution = (id: string, resolvedAt: number, linked: { app?: string; page?: string } = {}): Resolution => ({
    id,
    resolvedAt,
    via: { kind: 'page', id: 'P1', name: 'Shop' },
    idsForApps: linked.app ? [{ id: linked.app, app: { id: 'A1', name: 'Bot' } }] : [],
    idsForPages: linked.page ? [{ id: linked.page, page: { id: 'P2', name: 'Other' } }] : [],
  });
  const cacheAt = (clock: { now: number }) =>
    new ResolutionCache(
      () => TTL,
      () => clock.now,
    );

  it('keeps an entry for exactly its time to live, and drops it a millisecond later', () => {
    const clock = { now: 1000 };
    const cache = cacheAt(clock);
    cache.set('h', resolution('1', 1000));
    clock.now = 1000 + TTL;
    assert.equal(cache.get('h', '1')?.id, '1');
    assert.deepEqual(Object.keys(cache.snapshot()), ['h|1']);
    assert.equal(cache.ownerHints('h', ['1']).size, 1);
    clock.now += 1;
    assert.deepEqual(cache.snapshot(), {});
    assert.equal(cache.ownerHints('h', ['1']).size, 0);
    assert.equal(cache.size, 1, 'still held until read');
    assert.equal(cache.get('h', '1'), undefined);
    assert.equal(cache.size, 0, 'dropped when read after expiry');
  });

  it('restores only fresh, well-formed resolutions', () => {
    const clock = { now: 100_000 };
    const cache = cacheAt(clock);
    const { via, ...noVia } = resolution('5', 100_000);
    void via;
    cache.restore({
      'h|1': resolution('1', 100_000 - TTL),
      'h|2': resolution('2', 100_000 - TTL - 1),
      'h|3': { ...resolution('3', 100_000), idsForApps: 'x' },
      'h|4': { ...resolution('4', 100_000), idsForPages: null },
      'h|5': noVia,
      'h|6': { ...resolution('6', 100_000), via: null },
      'h|7': { ...resolution('7', 100_000), resolvedAt: '100000' },
      'h|8': { ...resolution('8', 100_000), id: 8 },
    });
    assert.deepEqual(Object.keys(cache.snapshot()), ['h|1']);
    cache.restore('not an object');
    cache.restore(null);
    assert.equal(cache.size, 1);
  });

  it("answers owner hints from the asked host's entries only", () => {
    const cache = cacheAt({ now: 1000 });
    cache.set('meta', resolution('1', 1000, { app: 'ASID', page: 'PSID2' }));
    assert.equal(cache.ownerHint('sim', 'ASID'), undefined);
    assert.equal(cache.ownerHint('sim', 'PSID2'), undefined);
    assert.equal(cache.ownerHints('sim', ['1', 'ASID', 'PSID2']).size, 0);
    assert.deepEqual(cache.ownerHint('meta', 'ASID'), { kind: 'app', id: 'A1' });
    assert.deepEqual(
      [...cache.ownerHints('meta', ['1', 'ASID', 'PSID2', 'other'])],
      [
        ['1', { id: 'P1', certain: false }],
        ['PSID2', { id: 'P2', certain: false }],
        ['ASID', { id: 'A1', certain: false }],
      ],
    );
  });

  it('finds the entry that links an ID among several, and the right app within it', () => {
    const cache = cacheAt({ now: 1000 });
    cache.set('h', resolution('1', 1000, { page: 'PX', app: 'AQ' }));
    cache.set('h', {
      ...resolution('2', 1000),
      idsForApps: [
        { id: 'AX', app: { id: 'A1' } },
        { id: 'AY', app: { id: 'A2' } },
      ],
    });
    assert.deepEqual(cache.ownerHint('h', 'AY'), { kind: 'app', id: 'A2' });
    assert.deepEqual(cache.ownerHint('h', 'PX'), { kind: 'page', id: 'P2' });
    cache.set('h', { ...resolution('3', 1000), idsForPages: [{ id: 'PZ', page: { id: 'P3' } }] });
    assert.deepEqual(cache.ownerHint('h', 'PZ'), { kind: 'page', id: 'P3' }, 'past an entry without Pages');
    assert.deepEqual([...cache.ownerHints('h', ['AY']).keys()], ['AY'], 'only the IDs asked for');
    const twice = cacheAt({ now: 1000 });
    twice.set('h', { ...resolution('3', 1000), idsForApps: [{ id: 'AZ', app: { id: 'first' } }] });
    twice.set('h', { ...resolution('4', 1000), idsForApps: [{ id: 'AZ', app: { id: 'second' } }] });
    assert.deepEqual(twice.ownerHints('h', ['AZ']).get('AZ'), { id: 'first', certain: false });
  });

  it('prefers the direct answer for an ID over a link found in another entry', () => {
    const cache = cacheAt({ now: 1000 });
    cache.set('h', resolution('X', 1000, { page: 'Y' }));
    cache.set('h', { ...resolution('Y', 1000), via: { kind: 'app', id: 'A9', name: 'App' } });
    assert.deepEqual(cache.ownerHints('h', ['Y']).get('Y'), { id: 'A9', certain: false });
    const reversed = cacheAt({ now: 1000 });
    reversed.set('h', { ...resolution('Y', 1000), via: { kind: 'app', id: 'A9', name: 'App' } });
    reversed.set('h', resolution('X', 1000, { page: 'Y' }));
    assert.deepEqual(reversed.ownerHints('h', ['Y']).get('Y'), { id: 'A9', certain: false });
    cache.clear();
    assert.equal(cache.size, 0);
  });
});
