import * as assert from 'node:assert/strict';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { errorInBody, FetchLike, GraphTransport, MAX_RESPONSE_BYTES, ResponseInfo } from '../../src/core/graph/transport';
import { FakeGraph, failure, json } from './support/fakeGraphHost';

const HOST = 'http://127.0.0.1:4580';
const TOKEN = 'EAAtest-token-000000';

/** A response whose body arrives in the given chunks. */
function chunked(parts: string[], headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) {
        controller.enqueue(encoder.encode(part));
      }
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers });
}

describe('Graph transport (fake fetch)', () => {
  describe('request paths', () => {
    for (const path of ['me/./conversations', '.', 'me/../other-app']) {
      it(`refuses a path with a dot segment (${path}) before anything is sent`, async () => {
        const graph = new FakeGraph();
        const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
        const error = await failure(transport.request(path, { accessToken: TOKEN }));
        assert.equal(error.kind, 'badRequest');
        assert.match(error.message, /"\.{1,2}" is not a valid Graph ID/);
        assert.equal(graph.sent.length, 0);
      });
    }
  });

  describe('closed transport', () => {
    it('sends nothing after close (the Graph host changed)', async () => {
      const graph = new FakeGraph();
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      transport.close();
      const error = await failure(transport.request('me', { accessToken: TOKEN }));
      assert.equal(error.kind, 'cancelled');
      assert.equal(graph.sent.length, 0, 'the token went out after close');
    });
  });

  describe('headers and bodies', () => {
    it('asks for JSON and sends the token only in the Authorization header', async () => {
      const graph = new FakeGraph();
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      await transport.request('me', { accessToken: TOKEN });
      assert.deepEqual(graph.headers(), { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' });
      assert.ok(!graph.sent[0].url.includes(TOKEN));
      assert.equal(graph.sent[0].init.redirect, 'manual');
    });

    it('posts a form as urlencoded, skipping undefined fields, with the proof in the body and the params in the URL', async () => {
      const graph = new FakeGraph();
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      await transport.request(
        '',
        { accessToken: TOKEN, appSecret: 'secret' },
        { method: 'POST', params: { include_headers: false }, form: { batch: '[]', absent: undefined } },
      );
      const { url, init } = graph.sent[0];
      assert.equal(graph.headers()['Content-Type'], 'application/x-www-form-urlencoded');
      assert.equal(url, `${HOST}/${transport.apiVersion}/?include_headers=false`);
      const body = new URLSearchParams(init.body as string);
      assert.deepEqual([...body.keys()].sort(), ['appsecret_proof', 'batch']);
      assert.equal(init.method, 'POST');
    });

    it('joins a body that arrives in several chunks', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => chunked(['{"id":', '"12', '34"}']));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const response = await transport.request('me', { accessToken: TOKEN });
      assert.deepEqual(response.body, { id: '1234' });
    });
  });

  describe('response size cap', () => {
    it('refuses a response whose declared length is past the cap, even if the body is small', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => json({ id: '1' }, 200, { 'content-length': String(MAX_RESPONSE_BYTES + 1) }));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const error = await failure(transport.request('me', { accessToken: TOKEN }));
      assert.equal(error.kind, 'malformed');
    });

    it('reads a response declared exactly at the cap', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => json({ id: '1' }, 200, { 'content-length': String(MAX_RESPONSE_BYTES) }));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const response = await transport.request('me', { accessToken: TOKEN });
      assert.deepEqual(response.body, { id: '1' });
    });

    it('reads a streamed body of exactly the cap', async () => {
      const graph = new FakeGraph();
      const half = MAX_RESPONSE_BYTES / 2;
      graph.answers.push(() => chunked(['"' + 'a'.repeat(half - 1), 'b'.repeat(half - 1) + '"']));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const response = await transport.request('me', { accessToken: TOKEN });
      assert.equal((response.body as string).length, MAX_RESPONSE_BYTES - 2);
    });
  });

  describe('redirects', () => {
    for (const status of [300, 301, 302, 307, 399]) {
      it(`refuses an HTTP ${status} answer instead of following it`, async () => {
        const graph = new FakeGraph();
        graph.answers.push(() => json({ id: '1' }, status, { location: 'https://elsewhere.example/' }));
        const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
        const error = await failure(transport.request('me', { accessToken: TOKEN }));
        assert.equal(error.kind, 'hostRefused');
        assert.equal(error.hostRefusal, 'redirect');
        assert.equal(graph.sent.length, 1);
      });
    }

    it("refuses the opaque redirect a browser's fetch gives for redirect: 'manual' (status 0, no Location)", async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => Object.defineProperties(new Response(null), { type: { value: 'opaqueredirect' }, status: { value: 0 } }));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const error = await failure(transport.request('me', { accessToken: TOKEN }));
      assert.equal(error.kind, 'hostRefused');
      assert.equal(error.hostRefusal, 'redirect');
    });
  });

  describe('response info', () => {
    it('reports the API version the host answered with and a plausible duration', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => json({ id: '1' }, 200, { 'facebook-api-version': 'v99.0' }));
      const seen: ResponseInfo[] = [];
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST, onResponse: (info) => seen.push(info) });
      await transport.request('me', { accessToken: TOKEN });
      assert.equal(seen.length, 1);
      assert.equal(seen[0].apiVersion, 'v99.0');
      assert.equal(seen[0].status, 200);
      assert.ok(seen[0].durationMs >= 0 && seen[0].durationMs < 60_000, `duration ${seen[0].durationMs}`);
    });
  });

  describe('bodies that are not JSON', () => {
    it('treats a 500 with an HTML page as transient (worth retrying)', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => new Response('<html>oops</html>', { status: 500, headers: { 'content-type': 'text/html' } }));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const error = await failure(transport.request('me', { accessToken: TOKEN }));
      assert.equal(error.kind, 'transient');
      assert.equal(error.httpStatus, 500);
    });

    it('fails an HTTP 400 whose JSON body is not a Graph error, instead of reading it as an answer', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => json({ id: '1' }, 400));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const error = await failure(transport.request('me', { accessToken: TOKEN }));
      assert.equal(error.httpStatus, 400);
      assert.equal(error.kind, 'badRequest');
    });

    it('treats a 200 that is not JSON as malformed', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => new Response('{"id": "1', { status: 200 }));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST });
      const error = await failure(transport.request('me', { accessToken: TOKEN }));
      assert.equal(error.kind, 'malformed');
    });
  });

  describe('retries', () => {
    const scheduler = () => new RequestScheduler({ maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1, random: () => 0 });

    it('does not resend a call that changes something after a 5xx', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => json({ error: { code: 2, message: 'Service temporarily unavailable' } }, 500));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST, scheduler: scheduler() });
      const error = await failure(transport.request('me/messages', { accessToken: TOKEN }, { method: 'POST', idempotent: false }));
      assert.equal(error.kind, 'transient');
      assert.equal(graph.sent.length, 1, 'a message would have been sent twice');
    });

    it('resends a read after a 5xx', async () => {
      const graph = new FakeGraph();
      graph.answers.push(() => json({ error: { code: 2, message: 'Service temporarily unavailable' } }, 500));
      const transport = new GraphTransport({ fetch: graph.fetch, host: HOST, scheduler: scheduler() });
      await transport.request('me', { accessToken: TOKEN });
      assert.equal(graph.sent.length, 2);
    });
  });

  describe('browser reach probe', () => {
    it('bounds the probe by the request timeout when that is shorter than 5 s', async () => {
      let calls = 0;
      const fetch: FetchLike = (_url, init) => {
        calls++;
        if (calls === 1) {
          return Promise.reject(new TypeError('Failed to fetch'));
        }
        // The probes hang until their own timeout fires.
        return new Promise<Response>((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('timed out', 'TimeoutError')), { once: true }),
        );
      };
      const transport = new GraphTransport({ fetch, host: HOST, probeReach: true, timeoutMs: 20 });
      const started = Date.now();
      const error = await failure(transport.request('me', { accessToken: TOKEN }));
      assert.equal(error.kind, 'network');
      assert.equal(error.reach, 'down');
      assert.ok(Date.now() - started < 1000, `the probe took ${Date.now() - started} ms`);
    }).timeout(15_000);
  });
});

describe('Graph error envelopes', () => {
  it('reads a numeric code sent as a string', () => {
    const error = errorInBody({ error: { code: '190', message: 'Token expired' } }, 400);
    assert.equal(error?.code, 190);
    assert.equal(error?.kind, 'invalidToken');
  });

  it("marks the message as Meta's when Meta wrote one", () => {
    assert.equal(errorInBody({ error: { code: 100, message: 'Invalid parameter' } }, 400)?.said, 'meta');
  });

  it("marks the message as Meta's when only a user message was given", () => {
    const error = errorInBody({ error: { code: 100, error_user_msg: 'Pick another recipient' } }, 400);
    assert.equal(error?.said, 'meta');
    assert.equal(error?.userMessage, 'Pick another recipient');
  });

  it('treats empty texts as absent: nothing is shown as if Meta had said it', () => {
    const error = errorInBody({ error: { code: 100, message: '', error_user_msg: '', error_user_title: '' } }, 400);
    assert.equal(error?.said, undefined);
    assert.equal(error?.userMessage, undefined);
    assert.equal(error?.userTitle, undefined);
    assert.equal(error?.message, 'Graph API error 100');
  });

  it('says nothing as Meta when the envelope has no texts', () => {
    assert.equal(errorInBody({ error: { code: 100 } }, 400)?.said, undefined);
  });

  describe('when to try again', () => {
    const limited = { error: { code: 80002, message: 'Too many calls' } };
    const usage = (eta?: number) => ({
      business: [
        {
          businessObjectId: '1',
          callCount: 100,
          totalTime: 1,
          totalCputime: 1,
          ...(eta === undefined ? {} : { estimatedTimeToRegainAccess: eta }),
        },
      ],
    });

    it('takes Retry-After seconds', () => {
      assert.equal(errorInBody(limited, 429, usage(), '7')?.retryAfterMs, 7000);
    });

    it('never waits a negative time for a negative Retry-After', () => {
      assert.equal(errorInBody(limited, 429, usage(), '-5')?.retryAfterMs, 0);
    });

    it('takes a Retry-After date as the time left until then', () => {
      const at = new Date(Date.now() + 30_000).toUTCString();
      const wait = errorInBody(limited, 429, usage(), at)?.retryAfterMs ?? -1;
      assert.ok(wait > 20_000 && wait <= 30_000, `waits ${wait} ms`);
    });

    it('waits for Meta\u2019s regain estimate in minutes, and not at all without one', () => {
      assert.equal(errorInBody(limited, 400, usage(3))?.retryAfterMs, 180_000);
      assert.equal(errorInBody(limited, 400, usage())?.retryAfterMs, undefined);
      assert.equal(errorInBody(limited, 400, usage(0))?.retryAfterMs, undefined);
    });
  });
});
