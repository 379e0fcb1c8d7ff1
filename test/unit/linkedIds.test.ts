import * as assert from 'node:assert/strict';
import { GraphClient } from '../../src/core/graph/client';
import { decodeMessage } from '../../src/core/graph/models';
import { FetchLike, GraphTransport } from '../../src/core/graph/transport';

/** A fake Graph host: answers by path and `after` cursor, and records what was asked. */
function fakeGraph(routes: Record<string, unknown>): { fetch: FetchLike; asked: URL[] } {
  const asked: URL[] = [];
  const fetch: FetchLike = (url) => {
    const u = new URL(url);
    asked.push(u);
    const key = `${u.pathname}${u.searchParams.has('after') ? `@${u.searchParams.get('after') ?? ''}` : ''}`;
    const body = routes[key];
    return Promise.resolve(
      new Response(JSON.stringify(body ?? { error: { message: `no route ${key}`, type: 'OAuthException', code: 100 } }), {
        status: body ? 200 : 400,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  return { fetch, asked };
}

const app = (n: number) => ({ id: `9${n}`, app: { id: `7${n}`, name: `App ${n}` } });
const page = (n: number) => ({ id: `8${n}`, page: { id: `6${n}`, name: `Page ${n}` } });

describe('linkedIds keeps the pages of nested ids_for_* edges', () => {
  const routes = {
    '/v26.0/123': {
      name: 'Aiko Tanaka',
      ids_for_apps: {
        data: [app(1), app(2)],
        paging: {
          cursors: { before: 'A0', after: 'A1' },
          next: 'https://graph.facebook.com/v26.0/123/ids_for_apps?access_token=SECRET&after=A1',
        },
      },
      ids_for_pages: {
        data: [page(1)],
        paging: { cursors: { before: 'P0', after: 'P1' }, next: 'https://graph.facebook.com/v26.0/123/ids_for_pages?after=P1' },
      },
      id: '123',
    },
    '/v26.0/123/ids_for_apps@A1': {
      data: [app(3)],
      paging: { cursors: { before: 'A1', after: 'A2' }, next: 'https://graph.facebook.com/v26.0/123/ids_for_apps?after=A2' },
    },
    '/v26.0/123/ids_for_apps@A2': { data: [app(4)], paging: { cursors: { before: 'A2', after: 'A3' } } },
    '/v26.0/123/ids_for_pages@P1': { data: [page(2)], paging: { cursors: { before: 'P1', after: 'P2' } } },
  };

  it('follows each nested edge from its after cursor until there is no next', async () => {
    const graph = fakeGraph(routes);
    const client = new GraphClient(new GraphTransport({ fetch: graph.fetch, host: 'https://graph.facebook.com' }));
    const linked = await client.linkedIds({ accessToken: 'EAAtoken', appSecret: 'shh' }, '123', { app: '71' });
    assert.deepEqual(
      linked.idsForApps.map((a) => a.id),
      ['91', '92', '93', '94'],
    );
    assert.deepEqual(
      linked.idsForPages.map((p) => p.id),
      ['81', '82'],
    );
    assert.equal(linked.name, 'Aiko Tanaka');
    assert.equal(graph.asked.length, 4);
    const followUps = graph.asked.slice(1);
    assert.ok(
      followUps.every((u) => !u.searchParams.has('access_token')),
      'the next URL, with its token, is never followed',
    );
    assert.ok(
      followUps.every((u) => u.searchParams.has('appsecret_proof')),
      'every page is signed',
    );
    assert.equal(
      followUps.find((u) => u.pathname.endsWith('ids_for_apps'))?.searchParams.get('app'),
      '71',
      'the filter goes on to later pages',
    );
  });

  it('makes one request when the nested edges have no next page', async () => {
    const graph = fakeGraph({
      '/v26.0/5': {
        name: 'x',
        ids_for_apps: { data: [app(1)], paging: { cursors: { before: 'a', after: 'b' } } },
        ids_for_pages: { data: [] },
        id: '5',
      },
    });
    const client = new GraphClient(new GraphTransport({ fetch: graph.fetch, host: 'https://graph.facebook.com' }));
    const linked = await client.linkedIds({ accessToken: 't' }, '5');
    assert.equal(linked.idsForApps.length, 1);
    assert.equal(graph.asked.length, 1);
  });
});

describe('decodeMessage: shares', () => {
  const base = { id: 'm_1', created_time: '2026-11-20T12:00:00+0000', message: '', from: { id: '1', name: 'A' } };

  it('decodes shared links with their link, name and description', () => {
    const m = decodeMessage(
      { ...base, shares: { data: [{ link: 'https://www.facebook.com/p/posts/1/', name: 'Autumn menu', description: 'New', id: '42' }] } },
      'message',
    );
    assert.deepEqual(m.shares, [{ id: '42', link: 'https://www.facebook.com/p/posts/1/', name: 'Autumn menu', description: 'New' }]);
  });

  it('has no shares when the field is absent, and refuses a share that is not an object', () => {
    assert.deepEqual(decodeMessage(base, 'message').shares, []);
    assert.throws(() => decodeMessage({ ...base, shares: { data: ['x'] } }, 'message'), /shares\.data\[0\]/);
  });
});
