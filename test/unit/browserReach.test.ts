import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { join, resolve } from 'node:path';
import { GraphError } from '../../src/core/graph/errors';
import { DEFAULT_API_VERSION } from '../../src/core/graph/hosts';
import { probeGraphReach } from '../../src/core/graph/reach';
import { RequestScheduler } from '../../src/core/graph/scheduler';
import { FetchLike, GraphTransport } from '../../src/core/graph/transport';

const ROOT = resolve(__dirname, '..', '..', '..');
const SIMULATOR = 'http://127.0.0.1:4580';

/** Whether a browser sends a preflight first: a request header outside the Fetch standard's CORS safelist. */
function needsPreflight(init: RequestInit): boolean {
  for (const [name, value] of new Headers(init.headers)) {
    const safelisted =
      name === 'content-type'
        ? ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'].includes(
            value.split(';')[0]?.trim().toLowerCase() ?? '',
          )
        : ['accept', 'accept-language', 'content-language'].includes(name);
    if (!safelisted) {
      return true;
    }
  }
  return false;
}

/**
 * A browser's fetch in front of a host: running or not, answering cross-origin requests or not, and
 * answering the preflight of those with a non-safelisted header or not.
 */
function browserFetch(running: boolean, cors: boolean, calls: string[] = [], preflight = cors): FetchLike {
  return (url, init) =>
    Promise.resolve().then(() => {
      calls.push(`${init.mode ?? 'cors'} ${new URL(url).pathname}`);
      // As the Fetch standard has it: a no-cors request that may not follow redirects is a network error.
      if (init.mode === 'no-cors' && (init.redirect ?? 'follow') !== 'follow') {
        throw new TypeError('Failed to fetch');
      }
      if (!running || (init.mode !== 'no-cors' && (!cors || (!preflight && needsPreflight(init))))) {
        throw new TypeError('Failed to fetch');
      }
      return new Response(init.mode === 'no-cors' ? null : '{"data":[]}', { status: 200 });
    });
}

/** `vscode.l10n.t` from a shipped bundle (or English), without VS Code. */
function fakeVscode(language: 'en' | 'ja' | 'vi'): () => void {
  const bundle =
    language === 'en'
      ? undefined
      : (JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${language}.json`), 'utf8')) as Record<string, string>);
  const fake = {
    l10n: {
      t: (message: string, ...args: unknown[]) =>
        (bundle ? (bundle[message] ?? `UNTRANSLATED ${message}`) : message).replace(/\{(\d+)\}/g, (_, i: string) =>
          String(args[Number(i)]),
        ),
    },
    env: { language },
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fake : load(request, ...rest));
  return () => {
    loader._load = load;
  };
}

async function failureOf(fetch: FetchLike, probeReach: boolean, host = SIMULATOR, scheduler?: RequestScheduler): Promise<GraphError> {
  try {
    await new GraphTransport({ fetch, host, probeReach, scheduler }).request('me/accounts', { accessToken: 'EAAB' + 'x'.repeat(40) });
  } catch (error) {
    assert.ok(error instanceof GraphError, String(error));
    return error;
  }
  return assert.fail('the request should fail');
}

describe('An ordinary call that fails in a browser says whether the host is down or refuses browsers', () => {
  type ErrorTextModule = typeof import('../../src/vscode/errorText');
  const browser = { kind: 'browser' } as const;
  let restore: () => void = () => undefined;
  let errorText: ErrorTextModule['errorText'];
  /** Modules that imported the fake `vscode` are forgotten, so the next suite loads its own. */
  const forgetGlue = () => {
    for (const path of Object.keys(require.cache).filter((p) => p.includes(join('src', 'vscode')))) {
      delete require.cache[path];
    }
  };
  const load = (language: 'en' | 'ja' | 'vi') => {
    restore();
    forgetGlue();
    restore = fakeVscode(language);
    errorText = (createRequire(__filename)('../../src/vscode/errorText') as ErrorTextModule).errorText;
  };

  beforeEach(() => load('en'));
  after(() => {
    restore();
    forgetGlue();
  });

  it('a stopped simulator: the probe finds nothing, and the text names the address and says to start it', async () => {
    const calls: string[] = [];
    const error = await failureOf(browserFetch(false, true, calls), true);
    assert.equal(error.kind, 'network');
    assert.equal(error.reach, 'down');
    const v = DEFAULT_API_VERSION;
    assert.deepEqual(calls, [`cors /${v}/me/accounts`, `cors /${v}/me`, `no-cors /${v}/me`], 'the call, then the probe without a token');
    const text = errorText(error, browser);
    assert.ok(text.includes(SIMULATOR), text);
    assert.match(text, /not running there\. Start it with npm run simulator/);
    assert.doesNotMatch(text, /CORS|VS Code desktop/, text);
  });

  it('a running simulator without CORS (--no-cors): the text says the host refuses browsers, and how to fix it', async () => {
    const error = await failureOf(browserFetch(true, false), true);
    assert.equal(error.reach, 'refusesBrowser');
    const text = errorText(error, browser);
    assert.ok(text.includes(SIMULATOR), text);
    assert.match(text, /refuses requests from a browser/);
    assert.match(text, /without --no-cors, or use VS Code desktop/);
    assert.doesNotMatch(text, /not running/, text);
  });

  it('another host: down is "check your connection", refusing is "use VS Code desktop or a host that answers CORS"', async () => {
    const host = 'https://graph.facebook.com';
    const down = errorText(await failureOf(browserFetch(false, true), true, host), browser);
    assert.match(down, /no answer from https:\/\/graph\.facebook\.com: check your connection/);
    const refusing = errorText(await failureOf(browserFetch(true, false), true, host), browser);
    assert.match(refusing, /refuses requests from a browser \(no CORS\)\. .*use VS Code desktop, or a host that answers CORS/);
    assert.doesNotMatch(refusing, /--no-cors/);
  });

  it('keeps what the probe found through the retries', async () => {
    const scheduler = new RequestScheduler({ maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 });
    const error = await failureOf(browserFetch(true, false), true, SIMULATOR, scheduler);
    assert.equal(error.attempts, 2);
    assert.equal(error.reach, 'refusesBrowser');
  });

  it('does not probe where no browser is in the way (desktop): one request, and no finding', async () => {
    const calls: string[] = [];
    const error = await failureOf(browserFetch(false, true, calls), false);
    assert.equal(error.reach, undefined);
    assert.equal(calls.length, 1);
  });

  for (const language of ['ja', 'vi'] as const) {
    it(`says both findings in ${language}`, async () => {
      load(language);
      for (const [running, cors, host] of [
        [false, true, SIMULATOR],
        [true, false, SIMULATOR],
        [false, true, 'https://graph.facebook.com'],
        [true, false, 'https://graph.facebook.com'],
      ] as const) {
        const text = errorText(await failureOf(browserFetch(running, cors), true, host), browser);
        assert.ok(!text.includes('UNTRANSLATED'), text);
        assert.ok(text.includes(host), text);
      }
    });
  }
});

describe('The reach probe', () => {
  it('counts a host that answers plain cross-origin requests but no preflight as refusing browsers: every real call is preflighted', async () => {
    assert.equal(await probeGraphReach(browserFetch(true, true, [], false), SIMULATOR), 'refusesBrowser');
    assert.equal(await probeGraphReach(browserFetch(true, true), SIMULATOR), 'answers');
  });

  it('takes a host that never answers for down once the time is up', async () => {
    const silent: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new TypeError('Failed to fetch'))));
    assert.equal(await probeGraphReach(silent, SIMULATOR, 10), 'down');
  });
});
