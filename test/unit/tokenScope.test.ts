import * as assert from 'node:assert/strict';
import { TokenGuard } from '../../src/core/accounts/tokenGuard';
import { TokenRegistry } from '../../src/core/accounts/tokenRegistry';
import { GraphError } from '../../src/core/graph/errors';

// The token list and the rejection memory, edge by edge (found unpinned by mutation testing).
describe('TokenRegistry: which token may go where', () => {
  const META = 'graph.facebook.com';
  const SIM = '127.0.0.1:4580';

  it('refuses a token stored only for another host as otherHost, naming the host it was not sent to', () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAmeta-token-000000');
    const refusal = tokens.refusal('EAAmeta-token-000000', SIM);
    assert.deepEqual([refusal?.kind, refusal?.hostRefusal, refusal?.host], ['hostRefused', 'otherHost', SIM]);
    assert.equal(tokens.refusal('EAAmeta-token-000000', META), undefined);
    tokens.allow(META, 'EAAsecond-token-0000');
    assert.equal(tokens.refusal('EAAmeta-token-000000', SIM)?.hostRefusal, 'otherHost', 'with other tokens stored too');
  });

  it('treats a token that only ends like a stored one as never stored, not as stored elsewhere', () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'xEAAshared-suffix-00');
    assert.equal(tokens.refusal('EAAshared-suffix-00', SIM)?.kind, 'cancelled');
  });

  it('keeps one lifetime per host and token: allowing again does not revive or replace it', () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAtoken-00000000000');
    const life = tokens.lifetimeOf('EAAtoken-00000000000', META);
    assert.ok(life && !life.aborted);
    tokens.allow(META, 'EAAtoken-00000000000');
    assert.equal(tokens.lifetimeOf('EAAtoken-00000000000', META), life);
    assert.equal(tokens.lifetimeOf('EAAtoken-00000000000', SIM), undefined);
  });

  it('Remove takes the token off one host only, aborts its lifetime and moves the generation on', () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAtoken-00000000000');
    tokens.allow(SIM, 'EAAtoken-00000000000');
    tokens.allow(META, 'EAAother-00000000000');
    const life = tokens.lifetimeOf('EAAtoken-00000000000', META);
    const before = tokens.generation;
    tokens.forget(META, ['EAAtoken-00000000000']);
    assert.equal(tokens.generation, before + 1);
    assert.equal(life?.aborted, true);
    assert.equal(tokens.isAllowed('EAAtoken-00000000000', META), false);
    assert.equal(tokens.isAllowed('EAAtoken-00000000000', SIM), true);
    assert.equal(tokens.isAllowed('EAAother-00000000000', META), true);
    assert.equal(tokens.allow(META, 'EAAtoken-00000000000', before), false, 'stale generation');
    assert.equal(tokens.isAllowed('EAAtoken-00000000000', META), false);
  });

  it('Sign Out aborts every lifetime and moves the generation on', () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAtoken-00000000000');
    tokens.allow(SIM, 'SIMtoken-00000000000');
    const lives = [tokens.lifetimeOf('EAAtoken-00000000000', META), tokens.lifetimeOf('SIMtoken-00000000000', SIM)];
    tokens.clear();
    assert.deepEqual(
      lives.map((l) => l?.aborted),
      [true, true],
    );
    assert.equal(tokens.generation, 1);
  });
});

describe('TokenGuard: a rejected token is refused without a request', () => {
  const rejected = () => new GraphError({ kind: 'invalidToken', code: 190, message: 'Error validating access token' });

  it('remembers only token rejections, and tells the first time only', () => {
    const guard = new TokenGuard();
    const changed: string[] = [];
    guard.onDidChange((k) => changed.push(k));
    assert.equal(guard.report('t', new GraphError({ kind: 'permission', message: 'no' })), false);
    assert.equal(guard.report('t', new Error('not a Graph error')), false);
    assert.equal(guard.rejection('t'), undefined);
    const first = rejected();
    assert.equal(guard.report('t', first), true);
    assert.equal(guard.report('t', rejected()), false);
    assert.equal(guard.rejection('t'), first, 'the first rejection is kept');
    assert.deepEqual(changed, ['t']);
    assert.throws(
      () => guard.check('t'),
      (e) => e === first,
    );
    assert.doesNotThrow(() => guard.check('other'));
  });

  it('forgets one token or all, telling only about tokens it had', () => {
    const guard = new TokenGuard();
    guard.report('a', rejected());
    guard.report('b', rejected());
    const changed: string[] = [];
    guard.onDidChange((k) => changed.push(k));
    guard.clear('never-rejected');
    guard.clear('a');
    assert.deepEqual(changed, ['a']);
    assert.equal(guard.rejection('a'), undefined);
    assert.ok(guard.rejection('b'));
    guard.report('a', rejected());
    changed.length = 0;
    guard.clear();
    assert.deepEqual(changed.sort(), ['a', 'b']);
    assert.doesNotThrow(() => guard.check('a'));
  });

  it('does not call with a token already rejected, and records a rejection that happens during a call', async () => {
    const guard = new TokenGuard();
    let calls = 0;
    await assert.rejects(
      guard.run('t', () => {
        calls++;
        return Promise.reject(rejected());
      }),
      { kind: 'invalidToken' },
    );
    await assert.rejects(
      guard.run('t', () => {
        calls++;
        return Promise.resolve(1);
      }),
      { kind: 'invalidToken' },
    );
    assert.equal(calls, 1);
  });
});
