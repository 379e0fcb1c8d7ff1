import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { GraphClient } from '../../src/core/graph/client';
import { GraphError, GraphErrorKind } from '../../src/core/graph/errors';
import { pageAll } from '../../src/core/graph/paging';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { GraphTransport } from '../../src/core/graph/transport';
import { PagedList } from '../../src/core/explorer/pagedList';
import { FaultRule, GraphSimulator, startSimulator } from '../../simulator/index';

interface FaultCase {
  readonly name: string;
  readonly rule: Omit<FaultRule, 'match'>;
  /** The kind the call ends with, or 'ok' when a retry recovers. */
  readonly outcome: GraphErrorKind | 'ok';
  /** Requests the call may make (retries included). */
  readonly requests: number;
}

const once = { times: 1 } as const;
const CASES: FaultCase[] = [
  ...[500, 502, 503].map((status): FaultCase => ({
    name: `HTTP ${status} once, no Retry-After`,
    rule: { kind: 'status', status, ...once },
    outcome: 'ok',
    requests: 2,
  })),
  {
    name: 'HTTP 503 once with Retry-After: 1',
    rule: { kind: 'status', status: 503, retryAfter: '1', ...once },
    outcome: 'ok',
    requests: 2,
  },
  { name: 'HTTP 503 every time', rule: { kind: 'status', status: 503 }, outcome: 'transient', requests: 3 },
  { name: 'HTTP 503 with Retry-After: 3600', rule: { kind: 'status', status: 503, retryAfter: '3600' }, outcome: 'transient', requests: 1 },
  { name: 'connection reset once', rule: { kind: 'reset', ...once }, outcome: 'ok', requests: 2 },
  { name: 'connection reset every time', rule: { kind: 'reset' }, outcome: 'network', requests: 3 },
  { name: 'no answer (timeout)', rule: { kind: 'timeout' }, outcome: 'timeout', requests: 3 },
  { name: 'malformed JSON', rule: { kind: 'malformed' }, outcome: 'malformed', requests: 1 },
  { name: 'truncated body', rule: { kind: 'truncated' }, outcome: 'network', requests: 3 },
  { name: 'HTML error page', rule: { kind: 'html', status: 502 }, outcome: 'transient', requests: 3 },
  ...[4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006].map((code): FaultCase => ({
    name: `rate limit code ${code}`,
    rule: { kind: 'rateLimit', code },
    outcome: 'rateLimited',
    requests: 1,
  })),
  ...[458, 460, 463, 467].map((subcode): FaultCase => ({
    name: `token error 190/${subcode}`,
    rule: { kind: 'graphError', code: 190, subcode, status: 401, message: 'Error validating access token' },
    outcome: 'invalidToken',
    requests: 1,
  })),
  {
    name: 'invalid appsecret_proof',
    rule: { kind: 'graphError', code: 100, message: 'Invalid appsecret_proof provided in the API argument' },
    outcome: 'appSecretProof',
    requests: 1,
  },
  {
    name: 'missing appsecret_proof',
    rule: { kind: 'graphError', code: 100, message: 'API calls from the server require an appsecret_proof argument' },
    outcome: 'appSecretProof',
    requests: 1,
  },
  ...[10, 200, 230].map((code): FaultCase => ({
    name: `permission error ${code}`,
    rule: { kind: 'graphError', code, status: 403, message: `(#${code}) Permission denied` },
    outcome: 'permission',
    requests: 1,
  })),
  {
    name: '(#200) business under review',
    rule: {
      kind: 'graphError',
      code: 200,
      status: 403,
      message: '(#200) Your business is currently going through review to access this API.',
    },
    outcome: 'businessReview',
    requests: 1,
  },
  {
    name: 'unknown ID 100/33',
    rule: { kind: 'graphError', code: 100, subcode: 33, message: "Unsupported get request. Object with ID '1' does not exist" },
    outcome: 'notFound',
    requests: 1,
  },
  {
    name: 'unknown ID 803',
    rule: { kind: 'graphError', code: 803, message: '(#803) Some of the aliases you requested do not exist' },
    outcome: 'notFound',
    requests: 1,
  },
];

describe('Every fault the Graph API can return, through the client and its retry policy (real HTTP)', function () {
  this.timeout(30_000);
  let sim: GraphSimulator;
  let client: GraphClient;
  let scheduler: RequestScheduler;
  let page: { id: string; token: string; secret?: string };
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    sim = await startSimulator({ seed: 4 });
    const p = sim.world.pages[0];
    assert.ok(p);
    page = { id: p.id, token: p.accessToken, secret: sim.world.app(p.appId)?.secret };
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sim.stop();
  });
  beforeEach(() => {
    sim.reset();
    unhandled = [];
    scheduler = new RequestScheduler({ baseDelayMs: 5, maxDelayMs: 20, maxWaitMs: 1500 });
    client = new GraphClient(new GraphTransport({ fetch, host: sim.url, timeoutMs: 300, scheduler }));
  });
  afterEach(() => assert.deepEqual(unhandled, [], 'no unhandled rejection'));

  /** How many requests the simulator answered with this fault, from its request log. */
  const served = (kind: FaultRule['kind']) => sim.log.filter((r) => r.fault === kind && r.path.endsWith('conversations')).length;

  const list = () =>
    client.listConversations({ accessToken: page.token, appSecret: page.secret }, page.id, { platform: 'messenger', limit: 5 });

  for (const c of CASES) {
    it(`${c.name}: ${c.outcome === 'ok' ? 'recovers by retrying' : c.outcome}`, async () => {
      await fetch(`${sim.url}/__simulator/faults`, {
        method: 'POST',
        headers: sim.controlHeaders(),
        body: JSON.stringify({ rules: [{ ...c.rule, match: 'conversations' }] }),
      });
      let outcome: GraphErrorKind | 'ok' = 'ok';
      let failure: GraphError | undefined;
      try {
        const result = await list();
        assert.equal(result.items.length, 5);
      } catch (error) {
        assert.ok(error instanceof GraphError, `a GraphError, not ${String(error)}`);
        failure = error;
        outcome = error.kind;
      }
      assert.equal(outcome, c.outcome);
      assert.equal(sim.log.filter((r) => r.path.endsWith('conversations')).length, c.requests, 'requests made');
      // The fault was served, as often as the rule says: once, or on every request. This fails when injection is off.
      assert.equal(served(c.rule.kind), c.rule.times ?? c.requests, `the ${c.rule.kind} fault was served`);
      if (failure) {
        assert.ok(failure.message.length > 10, 'the failure says what happened (the glue adds what to do, per kind)');
        assert.doesNotMatch(failure.message, new RegExp(page.token), 'the token is never in the message');
      }
      if (c.outcome === 'rateLimited') {
        const before = sim.log.length;
        await assert.rejects(list(), { kind: 'rateLimited' });
        assert.equal(sim.log.length, before, 'calls with that token wait instead of hammering Meta');
      }
    });
  }

  it('a cursor that repeats forever ends the paging with an error, and the tree treats it as the end', async () => {
    await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      headers: sim.controlHeaders(),
      body: JSON.stringify({ rules: [{ kind: 'repeatCursor', match: 'conversations' }] }),
    });
    const fetchPage = (after?: string) =>
      client.listConversations({ accessToken: page.token, appSecret: page.secret }, page.id, { platform: 'messenger', limit: 5, after });
    await assert.rejects(
      async () => {
        for await (const p of pageAll(fetchPage, { maxPages: 50 })) {
          void p;
        }
      },
      { kind: 'malformed' },
    );
    assert.equal(sim.log.length, 2, 'the first page, then the page that repeats its cursor');
    assert.equal(served('repeatCursor'), 2, 'both pages were served with the repeating cursor');
    sim.reset();
    await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      headers: sim.controlHeaders(),
      body: JSON.stringify({ rules: [{ kind: 'repeatCursor', match: 'conversations' }] }),
    });
    const tree = new PagedList(fetchPage);
    await tree.ensureLoaded();
    await tree.loadMore();
    await tree.loadMore();
    assert.equal(tree.hasMore, false, 'Load more disappears instead of looping');
    assert.ok(served('repeatCursor') >= 2 && served('repeatCursor') === sim.log.length, 'the tree was served the repeating cursor');
  });

  it('empty pages that still have next are followed only as far as the bound', async () => {
    await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      headers: sim.controlHeaders(),
      body: JSON.stringify({ rules: [{ kind: 'emptyPageWithNext', match: 'conversations' }] }),
    });
    const fetchPage = (after?: string) =>
      client.listConversations({ accessToken: page.token, appSecret: page.secret }, page.id, { platform: 'messenger', limit: 5, after });
    let pages = 0;
    for await (const p of pageAll(fetchPage, { maxPages: 10 })) {
      pages++;
      void p;
    }
    assert.equal(pages, 10, 'the bound is what stopped the loop');
    assert.equal(served('emptyPageWithNext'), 10, 'every page was an empty page with next');
    assert.equal(sim.log.length, 10);
  });

  it('a redirect to another host is refused without following it with the token', async () => {
    const hits: string[] = [];
    const other: Server = createServer((req, res) => {
      hits.push(String(req.headers.authorization));
      res.end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const location = `http://127.0.0.1:${(other.address() as AddressInfo).port}/v26.0/${page.id}/conversations`;
      await fetch(`${sim.url}/__simulator/faults`, {
        method: 'POST',
        headers: sim.controlHeaders(),
        body: JSON.stringify({ rules: [{ kind: 'redirect', location, match: 'conversations' }] }),
      });
      await assert.rejects(list(), { kind: 'hostRefused' });
      assert.deepEqual(hits, []);
      assert.equal(served('redirect'), 1, 'the redirect was served once and not retried');
    } finally {
      other.close();
    }
  });
});
