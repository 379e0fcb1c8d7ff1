import * as assert from 'node:assert/strict';
import { mapLimit } from '../../src/core/concurrency';
import { ResolutionCache } from '../../src/core/ids/cache';
import { findIds, idAt, idInSelection } from '../../src/core/ids/extract';
import { candidateOwners, parseResolveQuery, Resolution, UnresolvedError } from '../../src/core/ids/resolve';
import { tableRows, toCsv, toJson } from '../../src/core/ids/table';
import { GraphError } from '../../src/core/graph/errors';

const PSID = '24012345678901234';

describe('ID extraction', () => {
  const samples: [string, string[]][] = [
    [`{"sender":{"id":"${PSID}"},"recipient":{"id":"109876543210987"}}`, [PSID, '109876543210987']],
    [`GET https://graph.facebook.com/v26.0/${PSID}?fields=ids_for_apps&app=1419232575008550`, [PSID, '1419232575008550']],
    [`2026-11-20T11:58:00.123Z INFO webhook psid=${PSID} page_id=109876543210987 mid=m_abc123456789`, [PSID, '109876543210987']],
    [`user_id=${PSID}&platform=instagram`, [PSID]],
    [`const psid = '${PSID}';`, [PSID]],
    [`t_${PSID} aWdf${PSID} id${PSID} ${PSID}abc`, []],
    ['version 26.0 and 1.2345678 and 12345678.9 and 3.14', []],
    ['short 1234 and long 12345678901234567890123456', []],
    [`[${PSID}](https://facebook.com/${PSID})`, [PSID, PSID]],
    [`<td>${PSID}</td>`, [PSID]],
    [`${PSID},109876543210987;1419232575008550`, [PSID, '109876543210987', '1419232575008550']],
    [`Sakura-Coffee-209378028772014`, ['209378028772014']],
    [`"ids": ["${PSID}", 109876543210987]`, [PSID, '109876543210987']],
    [`日本語のログ ${PSID} ベトナム Nguyễn`, [PSID]],
  ];
  for (const [text, expected] of samples) {
    it(`finds ${expected.length} ID(s) in ${JSON.stringify(text.slice(0, 50))}`, () => {
      assert.deepEqual(
        findIds(text).map((f) => f.id),
        expected,
      );
    });
  }

  it('reports where each ID is', () => {
    const text = `psid=${PSID}`;
    assert.deepEqual(findIds(text), [{ id: PSID, start: 5, end: 5 + PSID.length }]);
  });

  it('takes the ID under the cursor, including at its edges', () => {
    const line = `{"id": "${PSID}"}`;
    const start = line.indexOf(PSID);
    for (const offset of [start, start + 5, start + PSID.length]) {
      assert.equal(idAt(line, offset)?.id, PSID, `offset ${offset}`);
    }
    assert.equal(idAt(line, 2), undefined);
    assert.equal(idAt('mid=m_1234567890', 12), undefined);
    assert.equal(idAt('', 0), undefined);
  });

  it('accepts a selected ID with quotes and spaces around it, and nothing else', () => {
    assert.equal(idInSelection(` "${PSID}" `), PSID);
    assert.equal(idInSelection(`'${PSID}'`), PSID);
    assert.equal(idInSelection(`${PSID} 123456`), undefined);
    assert.equal(idInSelection('hello'), undefined);
    assert.equal(idInSelection('1234'), undefined);
  });
});

describe('parseResolveQuery', () => {
  it('takes an ID pasted from JSON with its quotes and trailing comma', () => {
    assert.deepEqual(parseResolveQuery(`"${PSID}",`), { id: PSID, filter: {} });
    assert.deepEqual(parseResolveQuery(` '${PSID}'; page=1419232575008550 `), { id: PSID, filter: { page: '1419232575008550' } });
  });

  it('reads an ID with optional app= and page= filters', () => {
    assert.deepEqual(parseResolveQuery(` ${PSID} app=1419232575008550 `), { id: PSID, filter: { app: '1419232575008550' } });
    assert.deepEqual(parseResolveQuery(`page=109876543210987 ${PSID}`), { id: PSID, filter: { page: '109876543210987' } });
    assert.deepEqual(parseResolveQuery(`${PSID} app=abc`), { filter: {}, error: 'app=abc' });
    assert.deepEqual(parseResolveQuery(''), { id: undefined, filter: {} });
  });
});

describe('candidateOwners', () => {
  const page = (id: string) => ({ kind: 'page' as const, id, name: id, token: 't'.repeat(40), tasks: [], scopes: [] });
  const app = (id: string) => ({ kind: 'app' as const, id, name: id, secret: 'a'.repeat(32) });
  it('tries the hinted owner first, then Pages, then apps', () => {
    const owners = candidateOwners([page('1'), page('2')], [app('9')], { kind: 'page', id: '2' });
    assert.deepEqual(
      owners.map((o) => `${o.kind}:${o.account.id}`),
      ['page:2', 'page:1', 'app:9'],
    );
    assert.deepEqual(
      candidateOwners([page('1')], [app('9')], { kind: 'app', id: '9' }).map((o) => o.kind),
      ['app', 'page'],
    );
  });
});

const resolution = (id: string, resolvedAt = 1000): Resolution => ({
  id,
  name: 'Aiko, "the" =tester',
  resolvedAt,
  via: { kind: 'page', id: '55555', name: 'Shop' },
  idsForApps: [{ id: '777777', app: { id: '88888', name: 'Bot' } }],
  idsForPages: [{ id: '666666', page: { id: '99999', name: 'Other Page' } }],
});

describe('ResolutionCache', () => {
  it('expires entries after the configured time and survives a snapshot without tokens', () => {
    let now = 1000;
    const cache = new ResolutionCache(
      () => 60_000,
      () => now,
    );
    cache.set('h', resolution(PSID, now));
    assert.equal(cache.get('h', PSID)?.id, PSID);
    assert.equal(cache.get('other', PSID), undefined, 'keyed by host');
    const restored = new ResolutionCache(
      () => 60_000,
      () => now,
    );
    restored.restore(JSON.parse(JSON.stringify(cache.snapshot())));
    assert.equal(restored.get('h', PSID)?.name, 'Aiko, "the" =tester');
    now += 60_001;
    assert.equal(cache.get('h', PSID), undefined);
    restored.restore({ bad: { id: 1 }, worse: null });
  });

  it('knows which account can see a linked ID', () => {
    const cache = new ResolutionCache(
      () => 60_000,
      () => 1000,
    );
    cache.set('h', resolution(PSID));
    assert.deepEqual(cache.ownerHint('h', PSID), { kind: 'page', id: '55555', name: 'Shop' });
    assert.deepEqual(cache.ownerHint('h', '666666'), { kind: 'page', id: '99999' });
    assert.deepEqual(cache.ownerHint('h', '777777'), { kind: 'app', id: '88888' });
    assert.equal(cache.ownerHint('h', '123123123'), undefined);
  });
});

describe('the bulk table', () => {
  const results = new Map<string, Resolution | UnresolvedError>([
    [PSID, resolution(PSID)],
    ['123456789', new UnresolvedError('123456789', 2, new GraphError({ kind: 'notFound', message: 'Unsupported get request' }))],
  ]);

  it('writes one CSV row per linked ID, quoting and defusing formulas', () => {
    const csv = toCsv(tableRows(results));
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'id,name,resolved_via,linked_kind,linked_id,app_or_page_id,app_or_page_name,error');
    assert.equal(lines.length, 4);
    assert.ok(lines[1]?.startsWith(`${PSID},"Aiko, ""the"" =tester",page:55555,app,777777,88888,Bot,`));
    assert.ok(lines[3]?.startsWith('123456789,,,,,,,Unsupported get request'));
    assert.equal(
      toCsv([{ id: '1', name: '=HYPERLINK("x")', via: '', linkedKind: '', linkedId: '', ownerId: '', ownerName: '', error: '' }]).split(
        '\r\n',
      )[1],
      `1,"'=HYPERLINK(""x"")",,,,,,`,
    );
  });

  it('writes JSON keyed by ID', () => {
    const json = JSON.parse(toJson(results)) as Record<string, { ids_for_apps?: unknown[]; error?: string }>;
    assert.equal(json[PSID]?.ids_for_apps?.length, 1);
    assert.equal(json['123456789']?.error, 'Unsupported get request');
  });
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 * (8 - n)));
      running--;
      return n * 2;
    });
    assert.deepEqual(out, [2, 4, 6, 8, 10, 12, 14]);
    assert.equal(peak, 3);
  });
});
