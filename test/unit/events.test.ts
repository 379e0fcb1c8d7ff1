import * as assert from 'node:assert/strict';
import { Disposable, DisposableStore, Emitter } from '../../src/core/events';

/** A store whose registration the test can reach. */
class Owner extends DisposableStore {
  own(d: Disposable): Disposable {
    return this._register(d);
  }
}

const logged = (log: string[], name: string): Disposable => ({ dispose: () => log.push(name) });

describe('core events: the emitter behind the tree views, and the store that releases subscriptions', () => {
  it('calls a listener with the object it was subscribed with as `this`', () => {
    const emitter = new Emitter<number>();
    const target = { seen: [] as number[] };
    emitter.event(function (this: typeof target, value: number) {
      this.seen.push(value);
    }, target);
    emitter.fire(3);
    assert.deepEqual(target.seen, [3]);
  });

  it("disposing one subscription stops only that listener; the emitter's dispose stops them all", () => {
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    const kept: Disposable[] = [];
    const first = emitter.event((v) => heard.push(`first ${v}`), undefined, kept);
    emitter.event((v) => heard.push(`second ${v}`));
    assert.deepEqual(kept, [first], 'the subscription is handed to the caller’s list');
    emitter.fire('a');
    first.dispose();
    emitter.fire('b');
    assert.deepEqual(heard, ['first a', 'second a', 'second b']);
    emitter.dispose();
    emitter.fire('c');
    assert.deepEqual(heard, ['first a', 'second a', 'second b'], 'nothing heard after the emitter is disposed');
  });

  it('a store releases what it owns once, last registered first, and releases at once what comes after', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.own(logged(log, 'one'));
    owner.own(logged(log, 'two'));
    assert.deepEqual(log, [], 'nothing released while the owner lives');
    owner.dispose();
    assert.deepEqual(log, ['two', 'one']);
    owner.dispose();
    assert.deepEqual(log, ['two', 'one'], 'released once');
    owner.own(logged(log, 'late'));
    assert.deepEqual(log, ['two', 'one', 'late'], 'registered after dispose: released at once');
  });
});
