import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fc from 'fast-check';
import { checkTokenInput } from '../../src/core/accounts/tokenInput';
import { inlineText } from '../../src/core/explorer/text';
import { appsecretProof } from '../../src/core/graph/appsecretProof';
import { GraphError } from '../../src/core/graph/errors';
import { decodeConversation, decodeMessage } from '../../src/core/graph/models';
import { Json } from '../../src/core/graph/decode';
import { decodePage, Page, pageAll } from '../../src/core/graph/paging';
import { errorInBody } from '../../src/core/graph/transport';
import { findIds, idAt } from '../../src/core/ids/extract';

/** Runs per property. The suite records what fast-check reports having run for each property, and checks it. */
const RUNS = 1200;
/** Per property (its test title): the runs fast-check reports (`fc.check(...).numRuns`), recorded after it ran. */
const ran = new Map<string, number>();
let current = '';

/** Like fc.assert, but records the cases fast-check actually ran (a property that stops early counts less). */
async function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>): Promise<void> {
  const details = await fc.check(property, { numRuns: RUNS });
  ran.set(current, (ran.get(current) ?? 0) + details.numRuns);
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details) ?? 'the property failed');
  }
}

/**
 * A decoder's whole contract on any input: either every item of `data` is decoded, in order, to what it says (its
 * ID, its raw JSON, and what `same` checks), or the page is refused with a typed malformed error naming the field.
 * Returns which one happened (`items` when a page with items decoded), so a property can check that both do.
 */
function decodedOrTyped<T extends { id: string; raw: Json }>(
  body: unknown,
  path: string,
  decode: (raw: Json, path: string) => T,
  same: (item: T, raw: Json) => void,
): 'decoded' | 'refused' | 'items' {
  let page: Page<T>;
  try {
    page = decodePage(body, path, decode);
  } catch (error) {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.kind, 'malformed');
    assert.ok(error.field?.startsWith(path), `names the field under ${path}: ${error.field}`);
    return 'refused';
  }
  const data = (body as { data?: unknown }).data;
  assert.ok(Array.isArray(data), 'a page is only decoded when data is an array');
  assert.equal(page.items.length, data.length, 'every item decoded');
  page.items.forEach((item, i) => {
    const raw = data[i] as Json;
    assert.equal(item.raw, raw, `item ${i} keeps its raw JSON`);
    assert.equal(item.id, String(raw.id), `item ${i} has its ID`);
    same(item, raw);
  });
  return page.items.length > 0 ? 'items' : 'decoded';
}

/** The IDs of an inline edge (`{data: [{id}]}`) as the decoder must give them. */
const edgeIds = (edge: unknown): string[] =>
  edge === undefined || edge === null ? [] : ((edge as { data: Json[] }).data ?? []).map((p) => String(p.id));

const id = fc.stringMatching(/^[0-9]{1,20}$/);
/** Mostly what Meta sends, sometimes something else: both decoded pages and refused ones are generated often. */
const mostly = <T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: good, weight: 10 * bad.length }, ...bad.map((arbitrary) => ({ arbitrary, weight: 1 })));
const time = mostly(fc.constant('2026-11-20T12:00:00+0000'), fc.string(), fc.integer());
/** A record with its required keys always there (mostly), or any of its keys missing. */
const withKeys = <T>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }, required: (keyof T)[]) =>
  mostly(fc.record(fields, { requiredKeys: required }), fc.record(fields, { requiredKeys: [] }));
const participant = withKeys({ id: mostly(id, fc.integer(), fc.constant(null)), name: mostly(fc.string(), fc.integer()) }, ['id']);
const edge = <T>(item: fc.Arbitrary<T>) => mostly(fc.record({ data: fc.array(item, { maxLength: 3 }) }), fc.jsonValue());
const conversationLike = withKeys(
  {
    id: mostly(id, fc.integer()),
    updated_time: time,
    message_count: mostly(fc.integer(), fc.string()),
    snippet: mostly(fc.string(), fc.integer()),
    participants: edge(participant),
  },
  ['id'],
);
const messageLike = withKeys(
  {
    id: fc.oneof(id, fc.constant('m_x')),
    created_time: time,
    message: mostly(fc.string(), fc.integer()),
    from: mostly(participant, fc.jsonValue()),
    to: edge(participant),
    attachments: edge(
      fc.record(
        {
          id,
          name: fc.string(),
          size: mostly(fc.integer(), fc.string()),
          image_data: mostly(fc.record({ url: fc.webUrl() }), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
    ),
    tags: edge(withKeys({ name: mostly(fc.string(), fc.integer()) }, ['name'])),
  },
  ['id', 'created_time'],
);
const pageOf = <T>(item: fc.Arbitrary<T>) =>
  withKeys(
    {
      data: mostly(fc.array(item, { maxLength: 4 }), fc.jsonValue()),
      paging: mostly(
        fc.constant(undefined),
        fc.record(
          {
            cursors: fc.record({ after: fc.string(), before: fc.string() }, { requiredKeys: [] }),
            next: fc.oneof(fc.string(), fc.webUrl()),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
    },
    ['data'],
  );

describe('Property-based tests (fast-check)', () => {
  beforeEach(function () {
    current = this.currentTest?.title ?? '';
  });
  after(() => {
    const total = [...ran.values()].reduce((a, b) => a + b, 0);
    for (const [title, runs] of ran) {
      console.log(`      ${String(runs).padStart(5)} runs: ${title}`);
    }
    console.log(`      property-based cases fast-check ran: ${total} in ${ran.size} properties`);
    assert.deepEqual(
      [...ran].filter(([, runs]) => runs < RUNS),
      [],
      `every property ran its ${RUNS} cases`,
    );
    assert.ok(total >= 10_000, `${total} property-based cases ran, fewer than 10,000`);
  });

  it('decoding any JSON as a page of conversations gives every thread with its ID and participants, or a typed malformed error', async () => {
    const seen = { items: 0, decoded: 0, refused: 0 };
    await check(
      fc.property(mostly(pageOf(conversationLike), fc.jsonValue()), (body) => {
        seen[
          decodedOrTyped(body, 'conversations', decodeConversation, (item, raw) => {
            assert.deepEqual(
              item.participants.map((p) => p.id),
              edgeIds(raw.participants),
            );
            assert.equal(item.snippet, raw.snippet ?? undefined);
            assert.equal(item.messageCount, raw.message_count ?? undefined);
          })
        ]++;
      }),
    );
    console.log(`      decoded with items, decoded empty, refused: ${JSON.stringify(seen)}`);
    assert.ok(seen.items >= RUNS / 20 && seen.refused >= RUNS / 10, `both outcomes are generated: ${JSON.stringify(seen)}`);
  });

  it('decoding any JSON as a page of messages gives every message with its ID, text, sender and tags, or a typed malformed error', async () => {
    const seen = { items: 0, decoded: 0, refused: 0 };
    await check(
      fc.property(mostly(pageOf(messageLike), fc.jsonValue()), (body) => {
        seen[
          decodedOrTyped(body, 'messages', decodeMessage, (item, raw) => {
            assert.equal(item.text, raw.message ?? undefined);
            assert.equal(item.from?.id, raw.from === undefined ? undefined : String((raw.from as Json).id));
            assert.deepEqual(
              item.to.map((p) => p.id),
              edgeIds(raw.to),
            );
            assert.deepEqual(
              item.tags,
              raw.tags === undefined || raw.tags === null ? [] : (raw.tags as { data: Json[] }).data.map((t) => t.name),
            );
            assert.equal(item.attachments.length, edgeIds(raw.attachments).length);
          })
        ]++;
      }),
    );
    console.log(`      decoded with items, decoded empty, refused: ${JSON.stringify(seen)}`);
    assert.ok(seen.items >= RUNS / 20 && seen.refused >= RUNS / 10, `both outcomes are generated: ${JSON.stringify(seen)}`);
  });

  it('a well-formed page of conversations decodes to the same threads, participants included', async () => {
    const goodParticipant = fc.record({ id, name: fc.string({ maxLength: 20 }) });
    const goodConversation = fc.record({
      id,
      updated_time: fc.constant('2026-11-20T12:00:00+0000'),
      participants: fc.record({ data: fc.array(goodParticipant, { maxLength: 3 }) }),
    });
    await check(
      fc.property(
        fc.array(goodConversation, { maxLength: 5 }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { nil: undefined }),
        (data, after) => {
          const page = decodePage(
            { data, paging: after ? { cursors: { after }, next: 'https://graph.facebook.com/next' } : {} },
            'conversations',
            decodeConversation,
          );
          assert.deepEqual(
            page.items.map((c) => [c.id, c.participants.map((p) => p.id)]),
            data.map((c) => [c.id, c.participants.data.map((p) => p.id)]),
          );
          assert.equal(page.after, after);
        },
      ),
    );
  });

  it('a well-formed page of messages decodes to the same messages: ID, time, text, sender, recipients, attachments and tags', async () => {
    const person = fc.record({ id, name: fc.string({ maxLength: 20 }) });
    const goodMessage = fc.record({
      id: fc.stringMatching(/^m_[A-Za-z0-9_-]{1,20}$/),
      created_time: fc.date({ min: new Date(Date.UTC(2010, 0, 1)), max: new Date(Date.UTC(2040, 0, 1)), noInvalidDate: true }),
      message: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
      from: person,
      to: fc.record({ data: fc.array(person, { maxLength: 3 }) }),
      attachments: fc.option(
        fc.record({ data: fc.array(fc.record({ id, name: fc.string({ maxLength: 10 }), file_url: fc.webUrl() }), { maxLength: 3 }) }),
        { nil: undefined },
      ),
      tags: fc.record({ data: fc.array(fc.record({ name: fc.constantFrom('inbox', 'read', 'source:chat') }), { maxLength: 3 }) }),
    });
    /** Meta's form of a time: `2026-11-20T12:00:00+0000`. */
    const metaTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+0000');
    await check(
      fc.property(fc.array(goodMessage, { maxLength: 5 }), (messages) => {
        const data = messages.map((m) => ({ ...m, created_time: metaTime(m.created_time) }));
        const page = decodePage({ data }, 'messages', decodeMessage);
        assert.deepEqual(
          page.items.map((m) => ({
            id: m.id,
            createdTime: m.createdTime,
            text: m.text,
            from: m.from?.id,
            to: m.to.map((p) => p.id),
            attachments: m.attachments.map((a) => [a.id, a.name, a.url]),
            tags: m.tags,
          })),
          messages.map((m) => ({
            id: m.id,
            createdTime: Math.floor(m.created_time.getTime() / 1000) * 1000,
            text: m.message,
            from: m.from.id,
            to: m.to.data.map((p) => p.id),
            attachments: (m.attachments?.data ?? []).map((a) => [a.id, a.name, a.file_url]),
            tags: m.tags.data.map((t) => t.name),
          })),
        );
        assert.equal(page.after, undefined, 'no paging: the last page');
      }),
    );
  });

  it('any response body and status gives a GraphError or nothing, never an exception', async () => {
    await check(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            error: fc.record(
              {
                message: fc.oneof(fc.string(), fc.integer()),
                code: fc.oneof(fc.integer(), fc.string()),
                error_subcode: fc.integer(),
                is_transient: fc.boolean(),
              },
              { requiredKeys: [] },
            ),
          }),
        ),
        fc.integer({ min: 100, max: 599 }),
        (body, status) => {
          const error = errorInBody(body, status);
          assert.ok(error === undefined || error instanceof GraphError);
          if (status >= 400) {
            assert.ok(error, 'an HTTP error status is always an error');
          }
        },
      ),
    );
  });

  it('cursor paging ends: a repeated cursor is an error, the last page ends it, and never more than maxPages requests', async () => {
    /** What must happen, page by page: the reference the generator is checked against. */
    const expected = (cursors: (string | undefined)[], maxPages: number): { outcome: 'ends' | 'repeats' | 'bounded'; requests: number } => {
      const seen = new Set<string>();
      for (let page = 0; page < maxPages; page++) {
        const cursor = cursors[page % cursors.length];
        if (cursor === undefined) {
          return { outcome: 'ends', requests: page + 1 };
        }
        if (seen.has(cursor)) {
          return { outcome: 'repeats', requests: page + 1 };
        }
        seen.add(cursor);
      }
      return { outcome: 'bounded', requests: maxPages };
    };
    await check(
      fc.asyncProperty(
        fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: undefined }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 10 }),
        async (cursors, maxPages) => {
          let requests = 0;
          const fetchPage = (after: string | undefined) => {
            const next = cursors[requests++ % cursors.length];
            return Promise.resolve({ items: [after ?? 'first'], after: next });
          };
          let failure: unknown;
          try {
            for await (const page of pageAll(fetchPage, { maxPages })) {
              void page;
            }
          } catch (error) {
            failure = error;
          }
          const want = expected(cursors, maxPages);
          if (want.outcome === 'repeats') {
            assert.ok(failure instanceof GraphError && failure.kind === 'malformed', 'a repeated cursor is reported');
          } else {
            assert.equal(failure, undefined, 'no error when the cursors end or the bound is reached');
          }
          assert.equal(requests, want.requests);
        },
      ),
    );
  });

  it('every ID found in any text is a whole run of 5 to 25 digits at the place reported', async () => {
    const texty = fc.oneof(
      fc.string(),
      fc
        .array(
          fc.oneof(
            fc.stringMatching(/^[0-9]{1,30}$/),
            fc.constantFrom(' ', '"', '=', '&', '/', '.', '_', 'a', ':', ',', '\n', 't_', 'psid='),
          ),
          { maxLength: 30 },
        )
        .map((parts) => parts.join('')),
    );
    await check(
      fc.property(texty, (text) => {
        for (const found of findIds(text)) {
          assert.match(found.id, /^\d{5,25}$/);
          assert.equal(text.slice(found.start, found.end), found.id);
          assert.doesNotMatch(text.charAt(found.start - 1), /[A-Za-z0-9_]/);
          assert.doesNotMatch(text.charAt(found.end), /[A-Za-z0-9_]/);
          assert.equal(idAt(text, found.start)?.id, found.id, 'the cursor at its start finds it too');
        }
      }),
    );
  });

  it('every run of 5 to 25 digits between separators is found, in order, and nothing else', async () => {
    const separator = fc.constantFrom(' ', '"', '=', '&', '/', ',', '\n', ':', '[', '{', '(', '-');
    /** Runs of digits of a length from min to max, the bounds themselves often (an ID of 5 or 25 digits, a run of 4 or 26). */
    const digits = (min: number, max: number) =>
      fc
        .oneof(fc.constantFrom(min, max), fc.integer({ min, max }))
        .chain((length) => fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length }))
        .map((d) => d.join(''));
    const token = fc.oneof(
      digits(5, 25).map((run) => ({ text: run, id: run })),
      fc.oneof(digits(1, 4), digits(26, 30)).map((run) => ({ text: run, id: undefined })),
      fc.stringMatching(/^[a-z]{1,6}$/).map((word) => ({ text: word, id: undefined })),
    );
    await check(
      fc.property(fc.array(fc.tuple(token, separator), { maxLength: 20 }), (parts) => {
        const text = parts.map(([t, sep]) => `${t.text}${sep}`).join('');
        const ids = parts.map(([t]) => t.id).filter((id): id is string => id !== undefined);
        assert.deepEqual(
          findIds(text).map((f) => f.id),
          ids,
        );
      }),
    );
  });

  it('appsecret_proof is the HMAC-SHA256 of the token keyed by the secret, for any strings', async () => {
    await check(
      fc.asyncProperty(fc.string(), fc.string({ minLength: 1 }), async (token, secret) => {
        assert.equal(await appsecretProof(token, secret), createHmac('sha256', secret).update(token).digest('hex'));
      }),
    );
  });

  it('any pasted text is either a clean token or a typed problem', async () => {
    await check(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('user' as const, 'page' as const, 'app' as const), (text, kind) => {
        const checked = checkTokenInput(text, kind);
        if (checked.ok) {
          assert.doesNotMatch(checked.value, /\s/);
          assert.equal(checked.value, text.trim());
        } else {
          assert.equal(typeof checked.problem, 'string');
        }
      }),
    );
  });

  it('untrusted text becomes one short line with no control, bidi or zero-width characters', async () => {
    await check(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.integer({ min: 2, max: 200 }), (text, max) => {
        const line = inlineText(text, max);
        assert.ok(line.length <= max, `${line.length} > ${max}`);
        // eslint-disable-next-line no-control-regex -- looking for control characters is the point
        assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\n]/);
      }),
    );
  });
});
