import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { join, resolve } from 'node:path';
import { GraphError, GraphErrorKind } from '../../src/core/graph/errors';
import { FetchLike, GraphTransport } from '../../src/core/graph/transport';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * A Japanese session without VS Code: `vscode.l10n.t` answers from the shipped Japanese bundle, as
 * VS Code does with --locale ja, so the glue's error texts can be read as a Japanese user sees them.
 */
function japaneseVscode(): () => void {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
  const fake = {
    l10n: {
      t: (message: string, ...args: unknown[]) =>
        (bundle[message] ?? `UNTRANSLATED ${message}`).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
    },
    env: { language: 'ja' },
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fake : load(request, ...rest));
  return () => {
    loader._load = load;
  };
}

/** Words that stay English in Japanese text: names, commands, settings. Anything else in Latin letters is a leak. */
const KEPT = [
  /Messenger Explorer/g,
  /Meta Business Suite|Business Suite/g,
  /Graph API/g,
  /VS Code/g,
  /npm (run simulator|start)/g,
  /https?:\/\/\S+/g,
  /fbtrace_id \S+/g,
];

/** A run of three English words or more: a sentence, or a piece of one. */
function englishSentence(text: string): string | undefined {
  const stripped = KEPT.reduce((t, kept) => t.replace(kept, ' '), text);
  return /[A-Za-z]+[,.:]? [A-Za-z]+[,.:]? [A-Za-z]+/.exec(stripped)?.[0];
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Every kind, so that a new one fails to compile here until it is checked. */
const KINDS: Record<GraphErrorKind, true> = {
  invalidToken: true,
  appSecretProof: true,
  permission: true,
  businessReview: true,
  rateLimited: true,
  transient: true,
  notFound: true,
  messageUnavailable: true,
  badRequest: true,
  network: true,
  timeout: true,
  cancelled: true,
  malformed: true,
  hostRefused: true,
  blocked: true,
  unavailable: true,
};

const CORE_SENTENCE = 'Something the core wrote for the log, in English.';

describe('Errors in a Japanese session are in Japanese only', () => {
  type ErrorTextModule = typeof import('../../src/vscode/errorText');
  let errorText: ErrorTextModule;
  const node = { kind: 'node' } as const;
  const browser = { kind: 'browser' } as const;

  let restore: () => void = () => undefined;

  before(() => {
    restore = japaneseVscode();
    // Required after the fake is in place (a static import would load the real, absent, vscode first).
    errorText = createRequire(__filename)('../../src/vscode/errorText') as ErrorTextModule;
  });

  after(() => restore());

  for (const kind of Object.keys(KINDS) as GraphErrorKind[]) {
    it(`${kind}: a core error is told in Japanese, without the core's English`, () => {
      for (const runtime of [node, browser]) {
        const error = new GraphError({ kind, message: CORE_SENTENCE, httpStatus: 500 });
        for (const text of [errorText.errorText(error, runtime), errorText.graphErrorSummary(error, runtime)]) {
          assert.match(text, JAPANESE, text);
          assert.ok(!text.includes('UNTRANSLATED'), text);
          assert.equal(englishSentence(text), undefined, text);
        }
      }
    });
  }

  it("keeps Meta's own words (they are Meta's, with its code) and says what to do in Japanese", () => {
    const error = new GraphError({ kind: 'permission', said: 'meta', code: 10, message: '(#10) Requires pages_messaging permission' });
    const text = errorText.errorText(error, node);
    assert.ok(text.startsWith('(#10) Requires pages_messaging permission（コード 10）。'), text);
    assert.equal(englishSentence(text.replace('(#10) Requires pages_messaging permission', '')), undefined, text);
  });

  it("names a tree row's failure in Japanese after Meta's code, not with Meta's English developer message", () => {
    const error = new GraphError({ kind: 'permission', said: 'meta', code: 10, message: '(#10) Requires pages_messaging permission' });
    const summary = errorText.graphErrorSummary(error, node);
    assert.ok(summary.startsWith('(#10) '), summary);
    assert.match(summary, JAPANESE);
    assert.ok(!summary.includes('Requires pages_messaging permission'), summary);
    assert.equal(englishSentence(summary), undefined, summary);
  });

  it("tells the transport's own failures in Japanese: unreachable, redirect, not JSON, refused host, cancelled, timeout", async () => {
    const failures: GraphError[] = [];
    const attempt = async (fetch: FetchLike, host = 'https://graph.facebook.com', signal?: AbortSignal, timeoutMs?: number) => {
      try {
        await new GraphTransport({ fetch, host, timeoutMs }).request('me', { accessToken: 'EAAB' }, { signal });
        assert.fail('the request should fail');
      } catch (error) {
        assert.ok(error instanceof GraphError, String(error));
        failures.push(error);
      }
    };
    await attempt(() => Promise.reject(new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') })));
    await attempt(() => Promise.resolve(new Response(null, { status: 302, headers: { location: 'https://elsewhere.example' } })));
    await attempt(() => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 })));
    await attempt(() => Promise.resolve(new Response('not json', { status: 200 })));
    await attempt(() => Promise.resolve(new Response('{}', { status: 404 })));
    await attempt(() => Promise.resolve(new Response('{}')), 'https://evil.example');
    await attempt(() => Promise.resolve(new Response('{}')), 'https://user:pw@graph.facebook.com');
    await attempt(() => Promise.resolve(new Response('{}')), 'https://graph.facebook.com/v1');
    await attempt(() => Promise.resolve(new Response('{}')), 'ftp://127.0.0.1');
    await attempt(() => Promise.resolve(new Response('{}')), 'graph.facebook.com');
    // Answers only by failing when the request is aborted (cancelled, or its timeout ran out).
    const hang: FetchLike = (_url, init) =>
      new Promise((_, reject) => {
        const fail = () => reject(init.signal?.reason as Error);
        if (init.signal?.aborted) {
          fail();
        }
        init.signal?.addEventListener('abort', fail);
      });
    await attempt(hang, undefined, AbortSignal.abort());
    await attempt(hang, undefined, undefined, 10);
    assert.equal(failures.length, 12);
    for (const failure of failures) {
      for (const runtime of [node, browser]) {
        const text = errorText.errorText(failure, runtime);
        assert.match(text, JAPANESE, `${failure.kind}: ${text}`);
        assert.ok(!text.includes('UNTRANSLATED'), text);
        assert.equal(englishSentence(text), undefined, `${failure.kind} (${failure.message}): ${text}`);
      }
    }
  });
});
