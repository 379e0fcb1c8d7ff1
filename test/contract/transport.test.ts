import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { GraphError } from '../../src/core/graph/errors';
import { GraphTransport } from '../../src/core/graph/transport';

/** A tiny loopback server that records requests and answers with whatever the test says. */
class Loopback {
  readonly requests: IncomingMessage[] = [];
  private server: Server | undefined;
  handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{}');

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests.push(req);
      this.handler(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

describe('GraphTransport over HTTP', () => {
  const server = new Loopback();
  let transport: GraphTransport;

  before(async () => {
    transport = new GraphTransport({ fetch, host: await server.start(), timeoutMs: 500 });
  });
  after(() => server.stop());

  it('sends the token in the Authorization header, never in the URL, and adds appsecret_proof', async () => {
    server.handler = (_req, res) => {
      res.setHeader('content-type', 'application/json; charset=UTF-8');
      res.setHeader('x-app-usage', '{"call_count":12,"total_time":3,"total_cputime":4}');
      res.end('{"id":"42"}');
    };
    const response = await transport.request('42', { accessToken: 'EAAtoken', appSecret: 'shh' }, { params: { fields: 'id' } });
    assert.deepEqual(response.body, { id: '42' });
    assert.equal(response.usage.app?.callCount, 12);
    const req = server.requests.at(-1);
    assert.ok(req);
    assert.equal(req.headers.authorization, 'Bearer EAAtoken');
    const url = new URL(req.url ?? '', 'http://x');
    assert.equal(url.pathname, '/v26.0/42');
    assert.equal(url.searchParams.get('access_token'), null);
    assert.equal(url.searchParams.get('appsecret_proof'), createHmac('sha256', 'shh').update('EAAtoken').digest('hex'));
  });

  it('classifies the Graph error envelope', async () => {
    server.handler = (_req, res) => {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          error: {
            message: 'Error validating access token: Session has expired',
            type: 'OAuthException',
            code: 190,
            error_subcode: 463,
            fbtrace_id: 'AbC',
          },
        }),
      );
    };
    const error = await rejectsWith(transport.request('me', { accessToken: 't' }), 'invalidToken');
    assert.equal(error.code, 190);
    assert.equal(error.subcode, 463);
    assert.equal(error.fbtraceId, 'AbC');
    assert.equal(error.httpStatus, 400);
    assert.equal(error.retryable, false);
  });

  it('refuses redirects without following them', async () => {
    server.handler = (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.2:9/steal' });
      res.end();
    };
    await rejectsWith(transport.request('me', { accessToken: 't' }), 'hostRefused');
  });

  it('reports an HTML error page as a malformed or transient response', async () => {
    server.handler = (_req, res) => {
      res.statusCode = 502;
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>Bad gateway</body></html>');
    };
    const error = await rejectsWith(transport.request('me', { accessToken: 't' }), 'transient');
    assert.match(error.message, /HTML/);
  });

  it('times out', async () => {
    server.handler = () => undefined;
    await rejectsWith(transport.request('me', { accessToken: 't' }), 'timeout');
  });

  it('is cancellable', async () => {
    server.handler = () => undefined;
    const controller = new AbortController();
    const pending = transport.request('me', { accessToken: 't' }, { signal: controller.signal });
    controller.abort();
    await rejectsWith(pending, 'cancelled');
  });

  it('reports a refused connection as a network failure', async () => {
    const closed = new GraphTransport({ fetch, host: 'http://127.0.0.1:1', timeoutMs: 2000 });
    await rejectsWith(closed.request('me', { accessToken: 't' }), 'network');
  });

  it('refuses hosts outside the allow-list before sending anything', () => {
    assert.throws(
      () => new GraphTransport({ fetch, host: 'https://graph.facebook.com.evil.example' }),
      (e: unknown) => e instanceof GraphError && e.kind === 'hostRefused',
    );
  });

  it('refuses path segments that could change the request', () => {
    for (const bad of ['../me', 'a?b', 'a#b', 'a b', '%2e%2e']) {
      assert.throws(
        () => transport.url(bad),
        (e: unknown) => e instanceof GraphError && e.kind === 'badRequest',
        bad,
      );
    }
  });
});
