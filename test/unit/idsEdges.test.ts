import * as assert from 'node:assert/strict';
import { AppAccount, PageAccount } from '../../src/core/accounts/accounts';
import { GraphError } from '../../src/core/graph/errors';
import { findIdsWithOwners, idAt, idInSelection, looksLikeTimestamp, ownAccountOf } from '../../src/core/ids/extract';
import { candidateOwners, mostMeaningful, notInstalled, parseResolveQuery, Resolution, UnresolvedError } from '../../src/core/ids/resolve';
import { tableRows, toCsv } from '../../src/core/ids/table';

// Finding IDs and their owners, edge by edge (found unpinned by mutation testing, test/mutation/SURVIVORS.md).
const P = '1419232575008550'; // a Page
const A = '109876543210987'; // a PSID or ASID
const B = '4786512345678901';

describe('findIdsWithOwners: webhook payloads', () => {
  const delivery = (entryId: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        object: 'page',
        ...extra,
        entry: [{ id: entryId, time: 1763639040000, messaging: [{ sender: { id: A }, timestamp: 1763639040001 }] }],
      },
      null,
      2,
    );

  it('gives each ID of an entry its entry as certain owner; IDs outside the entries get none', () => {
    const found = findIdsWithOwners(delivery(P, { note: B }));
    assert.deepEqual(found.ids, [B, P, A]);
    assert.deepEqual([...found.hints], [[A, { id: P, certain: true }]]);
  });

  it('lists the IDs beside the entries first, then each entry once', () => {
    const text = JSON.stringify({ entry: [{ id: P, messaging: [{ sender: { id: A } }] }], note: B }, null, 1);
    assert.deepEqual(findIdsWithOwners(text).ids, [B, P, A]);
  });

  it('reads a numeric entry ID too, and no owner from an entry without one', () => {
    assert.deepEqual([...findIdsWithOwners(delivery(Number(A.slice(0, 15)))).hints.keys()], []);
    const numeric = findIdsWithOwners(delivery(1419232575008));
    assert.deepEqual(numeric.hints.get(A), { id: '1419232575008', certain: true });
    const none = findIdsWithOwners(JSON.stringify({ entry: [null, 'x', { messaging: [{ sender: { id: A } }] }] }, null, 1));
    assert.deepEqual(none.ids, [A]);
    assert.equal(none.hints.size, 0);
  });

  it('skips numbers under time and counter keys, but reads the same key holding an ID string', () => {
    const text = JSON.stringify(
      { data: [{ created_time: 1763639040000, message_count: 123456, seq: 99999, user_id: 123456789, updated: String(B) }] },
      null,
      1,
    );
    assert.deepEqual(findIdsWithOwners(text).ids, ['123456789', B]);
  });

  it('takes a bare number as an ID only under an id key, and only when exact', () => {
    const text = JSON.stringify(
      { id: 12345678, page_id: 23456789, valid: 34567890, identity: 45678901, big: 1e20, sid: 56789012 },
      null,
      1,
    );
    assert.deepEqual(findIdsWithOwners(text).ids, ['12345678', '23456789']);
    assert.deepEqual(findIdsWithOwners(JSON.stringify({ id: 2 ** 60 }, null, 1)).ids, []);
    assert.deepEqual(findIdsWithOwners(JSON.stringify({ user_id: [12345678] }, null, 1)).ids, ['12345678'], 'a list under an id key');
  });

  it('reads ID strings of 5 to 25 digits, digits only', () => {
    const text = JSON.stringify({ a: '1234', b: '12345', c: '1'.repeat(25), d: '2'.repeat(26), e: '12345x', f: 'x12345' }, null, 1);
    assert.deepEqual(findIdsWithOwners(text).ids, ['12345', '1'.repeat(25)]);
  });

  it('reads a JSON object per log line after a prefix, and the prefix as a line', () => {
    const text = `2025-01-01 page=${P} got {"sender":{"id":"${A}"}} tail\n{"entry":[{"id":"${P}","messaging":[{"sender":{"id":"${B}"}}]}]}`;
    const found = findIdsWithOwners(text);
    assert.deepEqual(found.ids, [P, A, B]);
    assert.deepEqual(found.hints.get(B), { id: P, certain: true });
    assert.equal(found.hints.get(A), undefined, 'the JSON part of a line gets no hint from its prefix');
  });

  it('reads a whole payload only when it spans lines; one line of JSON is a log line', () => {
    const oneLine = `{"entry":[{"id":"${P}","messaging":[{"sender":{"id":"${A}"}}]}]}`;
    assert.deepEqual(findIdsWithOwners(`  ${oneLine}  `).hints.get(A), { id: P, certain: true });
    assert.deepEqual(findIdsWithOwners(`\n  {"entry":[{"id":"${P}",\n"messaging":[{"sender":{"id":"${A}"}}]}]}`).hints.get(A), {
      id: P,
      certain: true,
    });
    const array = `[\n${oneLine}\n]`;
    assert.deepEqual(findIdsWithOwners(array).hints.get(A), { id: P, certain: true });
    const broken = `{ not json\npage=${P} ${A}`;
    assert.deepEqual(findIdsWithOwners(broken).hints.get(A), { id: P, certain: false });
  });

  it('keeps a certain hint over a guessed one, whichever comes first', () => {
    const text = `page=${B} ${A}\n{"entry":[{"id":"${P}","messaging":[{"sender":{"id":"${A}"}}]}]}\npage=${B} ${A}`;
    assert.deepEqual(findIdsWithOwners(text).hints.get(A), { id: P, certain: true });
    const guessed = `page=${B} ${A}\npage=${P} ${A}`;
    assert.deepEqual(findIdsWithOwners(guessed).hints.get(A), { id: B, certain: false }, 'the first guess stays');
  });
});

describe('findIdsWithOwners: plain lines', () => {
  it('names the owner by key or as a known account, only when the line names exactly one', () => {
    assert.deepEqual(findIdsWithOwners(`recipient_id=${P} sender=${A}`).hints.get(A), { id: P, certain: false });
    assert.deepEqual(findIdsWithOwners(`app_id: ${P}, asid ${A}`).hints.get(A), { id: P, certain: false });
    assert.deepEqual(findIdsWithOwners(`${P} wrote to ${A}`, new Set([P])).hints.get(A), { id: P, certain: false });
    assert.equal(findIdsWithOwners(`page=${P} page=${B} ${A}`).hints.size, 0, 'two owners: no hint');
    assert.equal(findIdsWithOwners(`${P} ${A}`).hints.size, 0, 'no named owner');
    assert.equal(findIdsWithOwners(`page=${P} ${A}`, new Set([A])).hints.size, 0, 'a known account gets no owner');
    assert.deepEqual(findIdsWithOwners('no ids here\n\n').ids, []);
  });
});

describe('the ID under the cursor and in a selection, at their edges', () => {
  it('moves from a quote only onto digits, and never across two quotes', () => {
    assert.equal(idAt(`x"${A}`, 1)?.id, A);
    assert.equal(idAt(`"${A}"y`, A.length + 2)?.id, A);
    assert.equal(idAt(`'a${A}`, 0), undefined);
    assert.equal(idAt(`"${A}""${B}"`, A.length + 3)?.id, B, 'on the second opening quote: the second ID');
    assert.equal(idAt(`${A}"`, A.length + 1)?.id, A, 'after a closing quote at the end');
    assert.equal(idAt(`"`, 1), undefined);
    assert.equal(idAt(`a ${A}`, 1), undefined, 'a space before an ID is not on it');
    assert.equal(idAt(`1"`, 2), undefined, 'one digit is no ID');
  });

  it('accepts 5 to 25 digits in a selection, and only quotes at its ends', () => {
    assert.equal(idInSelection('12345'), '12345');
    assert.equal(idInSelection('1'.repeat(25)), '1'.repeat(25));
    assert.equal(idInSelection('1'.repeat(26)), undefined);
    assert.equal(idInSelection(`"${A}'`), A);
    assert.equal(idInSelection(`${A.slice(0, 5)}"${A.slice(5)}`), undefined, 'a quote inside is not trimmed');
    assert.equal(idInSelection(` " ${A} " `), A);
  });
});

describe('timestamps and own-account answers', () => {
  it('calls 13-digit numbers from 2004 up to 2040 timestamps', () => {
    assert.equal(looksLikeTimestamp('1072915200000'), true);
    assert.equal(looksLikeTimestamp('1072915199999'), false);
    assert.equal(looksLikeTimestamp('2208988799999'), true);
    assert.equal(looksLikeTimestamp('2208988800000'), false);
    assert.equal(looksLikeTimestamp('01763639040000'), false, '14 digits');
  });

  it('reads only the whole own-ID sentence, and an empty name as such', () => {
    assert.deepEqual(ownAccountOf(`${P} is the app Bot, not a person's ID.`), { kind: 'app', name: 'Bot' });
    assert.equal(ownAccountOf(`see ${P} is the app Bot, not a person's ID.`), undefined);
    assert.equal(ownAccountOf(`${P} is the app Bot, not a person's ID. And more`), undefined);
  });
});

describe('resolving one ID: order, errors, query', () => {
  const page = (id: string): PageAccount => ({ kind: 'page', id, name: id, token: `t${id}`, tasks: [], scopes: [] });
  const app = (id: string): AppAccount => ({ kind: 'app', id, name: id, secret: 's'.repeat(32) });

  it('moves the hinted account to the front, matching kind and ID', () => {
    const order = (hint?: { kind: 'page' | 'app'; id: string }) =>
      candidateOwners([page('1'), page('2')], [app('2'), app('3')], hint).map((o) => `${o.kind}${o.account.id}`);
    assert.deepEqual(order({ kind: 'app', id: '2' }), ['app2', 'page1', 'page2', 'app3']);
    assert.deepEqual(order({ kind: 'page', id: '1' }), ['page1', 'page2', 'app2', 'app3']);
    assert.deepEqual(order({ kind: 'page', id: '9' }), ['page1', 'page2', 'app2', 'app3']);
  });

  it('knows the "not installed" permission error only by code 10 and its words', () => {
    const permission = (code: number, message: string) => new GraphError({ kind: 'permission', code, message });
    assert.equal(notInstalled(permission(10, 'The user has not INSTALLED the app')), true);
    assert.equal(notInstalled(permission(200, 'not installed')), false);
    assert.equal(notInstalled(permission(10, 'no permission')), false);
    assert.equal(notInstalled(new GraphError({ kind: 'badRequest', code: 10, message: 'not installed' })), false);
  });

  it('tells the most useful failure first', () => {
    const e = (kind: 'notFound' | 'permission' | 'appSecretProof') => new GraphError({ kind, message: kind });
    assert.equal(mostMeaningful([e('notFound'), e('permission'), e('appSecretProof')])?.kind, 'appSecretProof');
    assert.equal(mostMeaningful([e('notFound'), e('permission')])?.kind, 'permission');
    assert.equal(mostMeaningful([]), undefined);
    const unresolved = new UnresolvedError(A, 0, undefined);
    assert.equal(unresolved.message, `No connected account can see ${A}.`);
    assert.equal(unresolved.name, 'UnresolvedError');
  });

  it('reads one ID and filters, refusing anything else by name', () => {
    assert.deepEqual(parseResolveQuery(`  ${A}\t\tpage=${P}  `), { id: A, filter: { page: P } });
    assert.deepEqual(parseResolveQuery(`""${A}",,`), { id: A, filter: {} });
    assert.deepEqual(parseResolveQuery(`${A} ${B}`), { filter: {}, error: B });
    assert.deepEqual(parseResolveQuery(`x${A}`), { filter: {}, error: `x${A}` });
    assert.deepEqual(parseResolveQuery(`${A}x`), { filter: {}, error: `${A}x` });
    assert.deepEqual(parseResolveQuery(`xpage=${P}`), { filter: {}, error: `xpage=${P}` });
    assert.deepEqual(parseResolveQuery(`page=${P}0000000000`), { filter: {}, error: `page=${P}0000000000` });
    assert.deepEqual(parseResolveQuery(`a"b ${A}`), { filter: {}, error: 'a"b' });
  });
});

describe('the bulk table, row by row', () => {
  const via = { kind: 'page' as const, id: P, name: 'Shop' };
  it('writes a row per linked ID of each kind, and one row for an ID without links', () => {
    const results = new Map<string, Resolution | UnresolvedError>([
      [A, { id: A, via, resolvedAt: 0, idsForApps: [], idsForPages: [{ id: B, page: { id: '555555', name: 'Other' } }] }],
      [B, { id: B, name: 'Aiko', via, resolvedAt: 0, idsForApps: [{ id: '777777', app: { id: '888888' } }], idsForPages: [] }],
      ['99999', { id: '99999', via, resolvedAt: 0, idsForApps: [], idsForPages: [] }],
      ['12345', new UnresolvedError('12345', 1, undefined)],
    ]);
    assert.deepEqual(
      tableRows(results).map((r) => [r.id, r.name, r.via, r.linkedKind, r.linkedId, r.ownerId, r.ownerName, r.error]),
      [
        [A, '', `page:${P}`, 'page', B, '555555', 'Other', ''],
        [B, 'Aiko', `page:${P}`, 'app', '777777', '888888', '', ''],
        ['99999', '', `page:${P}`, '', '', '', '', ''],
        ['12345', '', '', '', '', '', '', 'No connected account can see 12345.'],
      ],
    );
    assert.ok(toCsv([]).endsWith('app_or_page_name,error\r\n'));
  });
});
