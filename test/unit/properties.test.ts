import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fc from 'fast-check';
import { checkTokenInput } from '../../src/core/accounts/tokenInput';
import { inlineText } from '../../src/core/explorer/text';
import { appsecretProof } from '../../src/core/graph/appsecretProof';
import { GraphError } from '../../src/core/graph/errors';
import { decodeConversation, decodeMessage } from '../../src/core/graph/models';
import { decodePage, pageAll } from '../../src/core/graph/paging';
import { errorInBody } from '../../src/core/graph/transport';
import { findIds, idAt } from '../../src/core/ids/extract';

/** Runs per property; the suite adds up what fast-check reports having run, and prints it. */
const RUNS = 1200;
let generated = 0;

/** Like fc.assert, but counts the cases fast-check actually ran (a property that stops early counts less). */
async function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>): Promise<void> {
  const details = await fc.check(property, { numRuns: RUNS });
  generated += details.numRuns;
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details) ?? 'the property failed');
  }
}

/** The only failure a decoder may raise on bad input. */
function typedOrValue(work: () => unknown): void {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.kind, 'malformed');
    assert.ok(error.field, 'names the field');
  }
}

const id = fc.stringMatching(/^[0-9]{1,20}$/);
const time = fc.oneof(fc.constant('2026-11-20T12:00:00+0000'), fc.string(), fc.integer());
const participant = fc.record(
  { id: fc.oneof(id, fc.integer(), fc.constant(null)), name: fc.oneof(fc.string(), fc.integer()) },
  { requiredKeys: [] },
);
const edge = <T>(item: fc.Arbitrary<T>) => fc.oneof(fc.record({ data: fc.array(item, { maxLength: 3 }) }), fc.jsonValue());
const conversationLike = fc.record(
  {
    id: fc.oneof(id, fc.integer()),
    updated_time: time,
    message_count: fc.oneof(fc.integer(), fc.string()),
    snippet: fc.oneof(fc.string(), fc.integer()),
    participants: edge(participant),
  },
  { requiredKeys: [] },
);
const messageLike = fc.record(
  {
    id: fc.oneof(id, fc.constant('m_x')),
    created_time: time,
    message: fc.oneof(fc.string(), fc.integer()),
    from: fc.oneof(participant, fc.jsonValue()),
    to: edge(participant),
    attachments: edge(
      fc.record({ id, name: fc.string(), size: fc.oneof(fc.integer(), fc.string()), image_data: fc.jsonValue() }, { requiredKeys: [] }),
    ),
    tags: edge(fc.record({ name: fc.oneof(fc.string(), fc.integer()) })),
  },
  { requiredKeys: [] },
);
const pageOf = <T>(item: fc.Arbitrary<T>) =>
  fc.record(
    {
      data: fc.oneof(fc.array(item, { maxLength: 4 }), fc.jsonValue()),
      paging: fc.oneof(
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
    { requiredKeys: [] },
  );

describe('Property-based tests (fast-check)', () => {
  after(() => {
    console.log(`      property-based cases generated: ${generated}`);
    assert.ok(generated >= 10_000);
  });

  it('decoding any JSON as a page of conversations returns items or a typed malformed error', async () => {
    await check(
      fc.property(fc.oneof(pageOf(conversationLike), fc.jsonValue()), (body) =>
        typedOrValue(() => decodePage(body, 'conversations', decodeConversation)),
      ),
    );
  });

  it('decoding any JSON as a page of messages returns items or a typed malformed error', async () => {
    await check(
      fc.property(fc.oneof(pageOf(messageLike), fc.jsonValue()), (body) => typedOrValue(() => decodePage(body, 'messages', decodeMessage))),
    );
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
    const token = fc.oneof(
      fc.stringMatching(/^[0-9]{5,25}$/).map((digits) => ({ text: digits, id: digits })),
      fc.stringMatching(/^[0-9]{1,4}$|^[0-9]{26,30}$/).map((digits) => ({ text: digits, id: undefined })),
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
