import * as assert from 'node:assert/strict';
import { asGraphError, classify, GraphError, GraphErrorKind, isRateLimitCode } from '../../src/core/graph/errors';

// Meta's error envelope to a kind, edge by edge: each row is a boundary mutation testing found unpinned.
describe("classify: Meta's error codes to what the user should do", () => {
  const rows: [
    code: number | undefined,
    subcode: number | undefined,
    message: string,
    status: number,
    transient: boolean | undefined,
    kind: GraphErrorKind,
  ][] = [
    [undefined, undefined, '', 500, undefined, 'transient'],
    [undefined, undefined, '', 499, undefined, 'badRequest'],
    [undefined, undefined, '', 404, undefined, 'notFound'],
    [undefined, undefined, '', 400, undefined, 'badRequest'],
    [190, 460, 'Error validating access token', 400, undefined, 'invalidToken'],
    [102, undefined, 'Session key invalid', 400, undefined, 'invalidToken'],
    [104, undefined, 'Requires valid signature', 400, undefined, 'invalidToken'],
    [2500, undefined, 'An active Access Token must be used', 400, undefined, 'invalidToken'],
    [2500, undefined, 'Unknown path components: /x', 400, undefined, 'badRequest'],
    [4, undefined, 'Application request limit reached', 400, undefined, 'rateLimited'],
    [17, undefined, 'User request limit reached', 400, undefined, 'rateLimited'],
    [32, undefined, 'Page request limit reached', 400, undefined, 'rateLimited'],
    [613, undefined, 'Calls to this api have exceeded the rate limit', 400, undefined, 'rateLimited'],
    [80000, undefined, 'x', 400, undefined, 'badRequest'],
    [80001, undefined, 'x', 400, undefined, 'rateLimited'],
    [80014, undefined, 'x', 400, undefined, 'rateLimited'],
    [80015, undefined, 'x', 400, undefined, 'badRequest'],
    [100, undefined, 'Invalid APPSECRET_PROOF provided', 400, undefined, 'appSecretProof'],
    [200, undefined, 'This app is under Review', 403, undefined, 'businessReview'],
    [201, undefined, 'under review', 403, undefined, 'permission'],
    [803, undefined, 'Some of the aliases you requested do not exist', 404, undefined, 'notFound'],
    [100, 33, 'Unsupported get request', 400, undefined, 'notFound'],
    [100, 34, 'Unsupported get request', 400, undefined, 'badRequest'],
    [101, 33, 'x', 400, undefined, 'badRequest'],
    [100, undefined, 'The message was Deleted', 400, undefined, 'messageUnavailable'],
    [101, undefined, 'deleted', 400, undefined, 'badRequest'],
    [368, undefined, 'Temporarily blocked', 400, undefined, 'blocked'],
    [551, undefined, 'This person isn’t available right now', 400, undefined, 'unavailable'],
    [200, 1545041, 'x', 400, undefined, 'unavailable'],
    [10, undefined, 'x', 403, undefined, 'permission'],
    [3, undefined, 'x', 403, undefined, 'permission'],
    [199, undefined, 'x', 400, undefined, 'badRequest'],
    [200, undefined, 'x', 403, undefined, 'permission'],
    [299, undefined, 'x', 403, undefined, 'permission'],
    [300, undefined, 'x', 400, undefined, 'badRequest'],
    [230, undefined, 'x', 403, undefined, 'permission'],
    [1, undefined, 'x', 400, undefined, 'transient'],
    [2, undefined, 'x', 400, undefined, 'transient'],
    [9, undefined, 'x', 400, true, 'transient'],
    [9, undefined, 'x', 400, false, 'badRequest'],
    [9, undefined, 'x', 500, false, 'transient'],
    [9, undefined, 'x', 499, undefined, 'badRequest'],
  ];
  for (const [code, subcode, message, status, transient, kind] of rows) {
    it(`code ${code}/${subcode} "${message}" HTTP ${status}${transient === undefined ? '' : ` is_transient ${transient}`} → ${kind}`, () =>
      assert.equal(classify(code, subcode, message, status, transient), kind));
  }

  it('knows the rate-limit codes', () => {
    assert.deepEqual([4, 17, 32, 613, 80001, 80014, 5, 80000, 80015].map(isRateLimitCode), [
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('GraphError', () => {
  it('retries only what may succeed later', () => {
    const retryable = (kind: GraphErrorKind) => new GraphError({ kind, message: kind }).retryable;
    assert.deepEqual(
      (
        ['transient', 'network', 'timeout', 'rateLimited', 'invalidToken', 'permission', 'badRequest', 'malformed', 'cancelled'] as const
      ).map(retryable),
      [true, true, true, true, false, false, false, false, false],
    );
  });

  it('is transient when Meta says so or its kind is transient', () => {
    assert.equal(new GraphError({ kind: 'transient', message: 'x' }).isTransient, true);
    assert.equal(new GraphError({ kind: 'badRequest', message: 'x' }).isTransient, false);
    assert.equal(new GraphError({ kind: 'badRequest', message: 'x', isTransient: true }).isTransient, true);
    assert.equal(new GraphError({ kind: 'transient', message: 'x', isTransient: false }).isTransient, false);
  });

  it('keeps every fact and the message when the attempts are added', () => {
    const original = new GraphError({
      kind: 'timeout',
      message: 'took too long',
      httpStatus: 504,
      code: 2,
      timeoutMs: 30_000,
      origin: 'https://graph.facebook.com',
    });
    const again = original.with({ attempts: 3 });
    assert.equal(again.message, 'took too long');
    assert.equal(again.name, 'GraphError');
    assert.deepEqual(
      [again.kind, again.httpStatus, again.code, again.timeoutMs, again.origin, again.attempts],
      ['timeout', 504, 2, 30_000, 'https://graph.facebook.com', 3],
    );
  });

  it('reads anything thrown as a GraphError, keeping one that already is', () => {
    const graph = new GraphError({ kind: 'network', message: 'down' });
    assert.equal(asGraphError(graph), graph);
    assert.deepEqual(
      [asGraphError(new TypeError('bad json')).kind, asGraphError(new TypeError('bad json')).message],
      ['malformed', 'bad json'],
    );
    assert.equal(asGraphError('plain').message, 'plain');
  });
});
