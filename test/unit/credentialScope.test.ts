import * as assert from 'node:assert/strict';
import { TokenGuard } from '../../src/core/accounts/tokenGuard';
import { TokenRegistry } from '../../src/core/accounts/tokenRegistry';
import { GraphError } from '../../src/core/graph/errors';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { FetchLike, GraphTransport, MAX_RESPONSE_BYTES } from '../../src/core/graph/transport';

const META = 'graph.facebook.com';
const SIM = '127.0.0.1:4580';

/** A Graph host whose answers the test releases by hand, so every race is opened on purpose. */
class HeldGraph {
  readonly sent: { url: string; authorization: string; body?: string }[] = [];
  private readonly waiting: { resolve: (r: Response) => void; reject: (e: unknown) => void }[] = [];
  readonly fetch: FetchLike = (url, init) => {
    const headers = init.headers as Record<string, string>;
    this.sent.push({ url, authorization: headers.Authorization ?? '', body: typeof init.body === 'string' ? init.body : undefined });
    return new Promise<Response>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
    });
  };
  answerAll(): void {
    for (const w of this.waiting.splice(0)) {
      w.resolve(new Response('{"id":"1"}', { status: 200, headers: { 'content-type': 'application/json' } }));
    }
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function transportFor(graph: HeldGraph, host: string, gate: TokenRegistry, scheduler?: RequestScheduler): GraphTransport {
  return new GraphTransport({ fetch: graph.fetch, host: host === SIM ? `http://${SIM}` : `https://${host}`, gate, scheduler });
}

describe('Tokens stay with their host and die with Sign Out', () => {
  it('sends a token only to the host it was stored for, refusing before any request', async () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAmeta-token-000000');
    const graph = new HeldGraph();
    const simulator = transportFor(graph, SIM, tokens);
    await assert.rejects(
      simulator.request('me', { accessToken: 'EAAmeta-token-000000' }),
      (e: GraphError) => e.kind === 'cancelled' || e.kind === 'hostRefused',
    );
    await assert.rejects(simulator.request('me', { accessToken: 'never-stored-token-0' }), { kind: 'cancelled' });
    assert.equal(graph.sent.length, 0, 'nothing reached the other host');

    const meta = transportFor(graph, META, tokens);
    const answered = meta.request('me', { accessToken: 'EAAmeta-token-000000' });
    await flush();
    graph.answerAll();
    await answered;
    assert.equal(graph.sent.length, 1);
    assert.match(graph.sent[0]?.url ?? '', /^https:\/\/graph\.facebook\.com\//);
  });

  it('a host change aborts what is in flight and queued, and nothing more is sent', async () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAmeta-token-000000');
    const graph = new HeldGraph();
    const transport = transportFor(graph, META, tokens, new RequestScheduler({ concurrency: 2 }));
    const calls = Array.from({ length: 20 }, () => transport.request('me', { accessToken: 'EAAmeta-token-000000' }));
    await flush();
    assert.equal(graph.sent.length, 2, 'two in flight, eighteen queued');
    transport.close();
    const outcomes = await Promise.allSettled(calls);
    assert.ok(outcomes.every((o) => o.status === 'rejected' && (o.reason as GraphError).kind === 'cancelled'));
    assert.equal(graph.sent.length, 2, 'no queued request left after the host changed');
    await assert.rejects(transport.request('me', { accessToken: 'EAAmeta-token-000000' }), { kind: 'cancelled' });
    assert.equal(graph.sent.length, 2);
  });

  it('Sign Out aborts in-flight and queued requests (scheduler waiters included): 0 requests after it', async () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAApage-token-00000a');
    tokens.allow(META, 'EAApage-token-00000b');
    const graph = new HeldGraph();
    const transport = transportFor(graph, META, tokens, new RequestScheduler({ concurrency: 2 }));
    const calls = Array.from({ length: 20 }, (_, i) =>
      transport.request('me', { accessToken: i % 2 ? 'EAApage-token-00000a' : 'EAApage-token-00000b' }),
    );
    await flush();
    const before = graph.sent.length;
    tokens.clear();
    const outcomes = await Promise.allSettled(calls);
    assert.equal(graph.sent.length, before, 'no request left after Sign Out');
    assert.ok(
      outcomes.every((o) => o.status === 'rejected' && (o.reason as GraphError).kind === 'cancelled'),
      'every call ends as cancelled, never as an error',
    );
  });

  it("Remove aborts only the removed token's requests", async () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAremoved-00000000');
    tokens.allow(META, 'EAAkept-000000000000');
    const graph = new HeldGraph();
    const transport = transportFor(graph, META, tokens);
    const removed = transport.request('me', { accessToken: 'EAAremoved-00000000' });
    const kept = transport.request('me', { accessToken: 'EAAkept-000000000000' });
    await flush();
    tokens.forget(META, ['EAAremoved-00000000']);
    await assert.rejects(removed, { kind: 'cancelled' });
    graph.answerAll();
    await kept;
    await assert.rejects(transport.request('me', { accessToken: 'EAAremoved-00000000' }), { kind: 'cancelled' });
    assert.equal(graph.sent.length, 2);
  });

  it('queued requests of a removed token leave the queue at once, without waiting for a free slot', async () => {
    const tokens = new TokenRegistry();
    tokens.allow(META, 'EAAremoved-00000000');
    tokens.allow(META, 'EAAkept-000000000000');
    const graph = new HeldGraph();
    const transport = transportFor(graph, META, tokens, new RequestScheduler({ concurrency: 2 }));
    const slow = [
      transport.request('me', { accessToken: 'EAAkept-000000000000' }),
      transport.request('me', { accessToken: 'EAAkept-000000000000' }),
    ];
    const queued = Array.from({ length: 10 }, () => transport.request('me', { accessToken: 'EAAremoved-00000000' }));
    await flush();
    tokens.forget(META, ['EAAremoved-00000000']);
    const settled = await Promise.race([
      Promise.allSettled(queued),
      new Promise((resolve) => setTimeout(() => resolve('still queued'), 200)),
    ]);
    assert.notEqual(settled, 'still queued', "the removed token's calls were still waiting behind the slow ones");
    graph.answerAll();
    await Promise.all(slow);
    assert.equal(graph.sent.length, 2);
  });

  it('work that read the accounts before Sign Out cannot put a removed token back', () => {
    const tokens = new TokenRegistry();
    const generation = tokens.generation;
    tokens.allow(SIM, 'SIM-token-000000000');
    tokens.clear();
    assert.equal(tokens.allow(SIM, 'SIM-token-000000000', generation), false);
    assert.equal(tokens.isAllowed('SIM-token-000000000', SIM), false);
    assert.equal(tokens.allow(SIM, 'SIM-token-000000000'), true, 'connecting it again afresh is allowed');
  });

  it('a rejection belongs to a token: the updated token of the same account is not refused', async () => {
    const guard = new TokenGuard();
    const expired = new GraphError({ kind: 'invalidToken', code: 190, message: 'Error validating access token' });
    await assert.rejects(
      guard.run('EAAold-token-0000000', () => Promise.reject(expired)),
      expired,
    );
    assert.throws(() => guard.check('EAAold-token-0000000'));
    assert.equal(await guard.run('EAAnew-token-0000000', () => Promise.resolve('ok')), 'ok');
  });
});

describe('Response size cap', () => {
  const stream =
    (bytes: number, declare: boolean): FetchLike =>
    () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= bytes) {
            controller.close();
            return;
          }
          const chunk = new Uint8Array(Math.min(1024 * 1024, bytes - sent)).fill(0x20);
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return Promise.resolve(new Response(body, { status: 200, headers: declare ? { 'content-length': String(bytes) } : {} }));
    };

  it('is a tested constant of 16 MB', () => {
    assert.equal(MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
  });

  for (const declare of [true, false]) {
    it(`refuses a body past the cap without reading it all (${declare ? 'declared' : 'streamed'} length)`, async () => {
      let pulled = 0;
      const inner = stream(300 * 1024 * 1024, declare);
      const counting: FetchLike = async (url, init) => {
        const response = await inner(url, init);
        const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const chunk: { done: boolean; value?: Uint8Array } = await reader.read();
            if (chunk.done || !chunk.value) {
              controller.close();
            } else {
              pulled += chunk.value.byteLength;
              controller.enqueue(chunk.value);
            }
          },
          cancel: () => reader.cancel(),
        });
        return new Response(body, { status: 200, headers: response.headers });
      };
      const transport = new GraphTransport({ fetch: counting, host: `http://${SIM}` });
      await assert.rejects(
        transport.request('me', { accessToken: 'SIM-token-000000000' }),
        (e: GraphError) => e.kind === 'malformed' && /more than 16 MB/.test(e.message),
      );
      assert.ok(pulled <= MAX_RESPONSE_BYTES + 2 * 1024 * 1024, `read ${pulled} bytes`);
    });
  }

  it('reads a body just under the cap', async () => {
    const json = `{"pad":"${' '.repeat(MAX_RESPONSE_BYTES - 20)}"}`;
    const transport = new GraphTransport({ fetch: () => Promise.resolve(new Response(json, { status: 200 })), host: `http://${SIM}` });
    const response = await transport.request('me', { accessToken: 'SIM-token-000000000' });
    assert.equal((response.body as { pad: string }).pad.length, MAX_RESPONSE_BYTES - 20);
  });
});
