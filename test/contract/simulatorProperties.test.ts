import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { FieldSpec, FieldSyntaxError, parseFields } from '../../simulator/fields';

/** The simulator's own properties live with the simulator (the extension's are in test/unit). */
const RUNS = 1200;
/** Levels of `{…}` the simulator's field parser accepts (Graph refuses deeper expansion too). */
const MAX_FIELD_DEPTH = 9;

function depthOf(specs: readonly FieldSpec[]): number {
  return 1 + Math.max(0, ...specs.map((s) => (s.children ? depthOf(s.children) : 0)));
}

describe("The simulator's field parser (property-based)", () => {
  it("the simulator's field parser returns a tree or a FieldSyntaxError for any input", () => {
    const fieldish = fc
      .array(fc.constantFrom('id', 'name', ',', '{', '}', '.', 'limit', '(', ')', '5', ' ', 'messages', '\u202e', ''), { maxLength: 25 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fieldish), (input) => {
        try {
          parseFields(input);
        } catch (error) {
          assert.ok(error instanceof FieldSyntaxError, `expected FieldSyntaxError, got ${String(error)}`);
        }
      }),
      { numRuns: RUNS },
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
    fc.assert(
      fc.property(tree, (specs) => {
        if (depthOf(specs) > MAX_FIELD_DEPTH) {
          // Deeper than the parser accepts: refused by name, never misread.
          assert.throws(
            () => parseFields(write(specs)),
            (error: unknown) => error instanceof FieldSyntaxError && /nested too deeply/.test(error.message),
          );
        } else {
          assert.deepEqual(parseFields(write(specs)), specs);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
