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
import { FieldSpec, FieldSyntaxError, parseFields } from '../../simulator/fields';

/** Runs per property; the suite prints the total so CI shows how many cases were generated. */
const RUNS = 1200;
let generated = 0;
const counted = <T>(run: () => T): T => {
  generated += RUNS;
  return run();
};

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

  it('decoding any JSON as a page of conversations returns items or a typed malformed error', () => {
    counted(() =>
      fc.assert(
        fc.property(fc.oneof(pageOf(conversationLike), fc.jsonValue()), (body) =>
          typedOrValue(() => decodePage(body, 'conversations', decodeConversation)),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it('decoding any JSON as a page of messages returns items or a typed malformed error', () => {
    counted(() =>
      fc.assert(
        fc.property(fc.oneof(pageOf(messageLike), fc.jsonValue()), (body) =>
          typedOrValue(() => decodePage(body, 'messages', decodeMessage)),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it('any response body and status gives a GraphError or nothing, never an exception', () => {
    counted(() =>
      fc.assert(
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
        { numRuns: RUNS },
      ),
    );
  });

  it('cursor paging ends: repeated cursors are an error, and never more than maxPages requests', async () => {
    await counted(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: undefined }), { minLength: 1, maxLength: 30 }),
          fc.integer({ min: 1, max: 10 }),
          async (cursors, maxPages) => {
            let requests = 0;
            const fetchPage = (after: string | undefined) => {
              const next = cursors[requests++ % cursors.length];
              return Promise.resolve({ items: [after ?? 'first'], after: next });
            };
            try {
              for await (const page of pageAll(fetchPage, { maxPages })) {
                void page;
              }
            } catch (error) {
              assert.ok(error instanceof GraphError && error.kind === 'malformed');
            }
            assert.ok(requests <= maxPages);
          },
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it('every ID found in any text is a whole run of 5 to 25 digits at the place reported', () => {
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
    counted(() =>
      fc.assert(
        fc.property(texty, (text) => {
          for (const found of findIds(text)) {
            assert.match(found.id, /^\d{5,25}$/);
            assert.equal(text.slice(found.start, found.end), found.id);
            assert.doesNotMatch(text.charAt(found.start - 1), /[A-Za-z0-9_]/);
            assert.doesNotMatch(text.charAt(found.end), /[A-Za-z0-9_]/);
            assert.equal(idAt(text, found.start)?.id, found.id, 'the cursor at its start finds it too');
          }
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it('appsecret_proof is the HMAC-SHA256 of the token keyed by the secret, for any strings', async () => {
    await counted(() =>
      fc.assert(
        fc.asyncProperty(fc.string(), fc.string({ minLength: 1 }), async (token, secret) => {
          assert.equal(await appsecretProof(token, secret), createHmac('sha256', secret).update(token).digest('hex'));
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it("the simulator's field parser returns a tree or a FieldSyntaxError for any input", () => {
    const fieldish = fc
      .array(fc.constantFrom('id', 'name', ',', '{', '}', '.', 'limit', '(', ')', '5', ' ', 'messages', '\u202e', ''), { maxLength: 25 })
      .map((p) => p.join(''));
    counted(() =>
      fc.assert(
        fc.property(fc.oneof(fc.string(), fieldish), (input) => {
          try {
            parseFields(input);
          } catch (error) {
            assert.ok(error instanceof FieldSyntaxError, `expected FieldSyntaxError, got ${String(error)}`);
          }
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it('the field parser reads back any field tree it is given', () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const tree: fc.Arbitrary<FieldSpec[]> = fc.letrec<{ list: FieldSpec[]; spec: FieldSpec }>((tie) => ({
      list: fc.array(tie('spec'), { minLength: 1, maxLength: 3 }),
      spec: fc
        .record({
          name,
          modifiers: fc
            .dictionary(fc.constantFrom('limit', 'app', 'page'), fc.stringMatching(/^[0-9]{1,5}$/), { maxKeys: 2 })
            .map((d) => ({ ...d })),
          children: fc.option(tie('list'), { nil: undefined, depthSize: 'small' }),
        })
        .map((s): FieldSpec =>
          s.children
            ? { name: s.name, modifiers: { ...s.modifiers }, children: s.children }
            : { name: s.name, modifiers: { ...s.modifiers } },
        ),
    })).list;
    const write = (specs: readonly FieldSpec[]): string =>
      specs
        .map(
          (s) =>
            `${s.name}${Object.entries(s.modifiers)
              .map(([k, v]) => `.${k}(${v})`)
              .join('')}${s.children ? `{${write(s.children)}}` : ''}`,
        )
        .join(',');
    counted(() =>
      fc.assert(
        fc.property(tree, (specs) => {
          try {
            assert.deepEqual(parseFields(write(specs)), specs);
          } catch (error) {
            assert.ok(error instanceof FieldSyntaxError && /nested too deeply/.test(error.message), String(error));
          }
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it('any pasted text is either a clean token or a typed problem', () => {
    counted(() =>
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('user' as const, 'page' as const, 'app' as const), (text, kind) => {
          const checked = checkTokenInput(text, kind);
          if (checked.ok) {
            assert.doesNotMatch(checked.value, /\s/);
            assert.equal(checked.value, text.trim());
          } else {
            assert.equal(typeof checked.problem, 'string');
          }
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it('untrusted text becomes one short line with no control, bidi or zero-width characters', () => {
    counted(() =>
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.integer({ min: 2, max: 200 }), (text, max) => {
          const line = inlineText(text, max);
          assert.ok(line.length <= max, `${line.length} > ${max}`);
          // eslint-disable-next-line no-control-regex -- looking for control characters is the point
          assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\n]/);
        }),
        { numRuns: RUNS },
      ),
    );
  });
});
