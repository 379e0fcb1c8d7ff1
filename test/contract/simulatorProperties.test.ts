import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { FieldSpec, FieldSyntaxError, parseFields } from '../../simulator/fields';

/** The simulator's own properties live with the simulator (the extension's are in test/unit). */
const RUNS = 1200;
/** Levels of `{…}` the simulator's field parser accepts (Graph refuses deeper expansion too). */
const MAX_FIELD_DEPTH = 9;
const TOO_DEEP = /nested too deeply/;

function depthOf(specs: readonly FieldSpec[]): number {
  return 1 + Math.max(0, ...specs.map((s) => (s.children ? depthOf(s.children) : 0)));
}

/** The most `{` open at once in the text, outside modifier arguments (`.limit(…)` takes anything up to `)`). */
function braceDepth(text: string): number {
  let depth = 0;
  let most = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      const close = text.indexOf(')', i);
      i = close < 0 ? text.length : close;
      continue;
    }
    depth = Math.max(0, depth + (c === '{' ? 1 : c === '}' ? -1 : 0));
    most = Math.max(most, depth);
  }
  return most;
}

/** Like fc.assert, but returns the runs fast-check reports having run, and prints them. */
function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, title: string): number {
  const details = fc.check(property, { numRuns: RUNS });
  console.log(`      ${String(details.numRuns).padStart(5)} runs: ${title}`);
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details) ?? 'the property failed');
  }
  assert.equal(details.numRuns, RUNS, 'fast-check ran every case');
  return details.numRuns;
}

describe("The simulator's field parser (property-based)", () => {
  it("the simulator's field parser returns a tree or a FieldSyntaxError for any input, and 'nested too deeply' only past its depth", function () {
    const fieldish = fc
      .array(fc.constantFrom('id', 'name', ',', '{', '}', '.', 'limit', '(', ')', '5', ' ', 'messages', '\u202e', ''), { maxLength: 25 })
      .map((p) => p.join(''));
    const deep = fc
      .tuple(fc.integer({ min: 1, max: 14 }), fc.constantFrom('a', 'id', 'x.limit(2)'))
      .map(([levels, name]) => `${`${name}{`.repeat(levels)}${name}${'}'.repeat(levels)}`);
    let tooDeep = 0;
    check(
      fc.property(fc.oneof(fc.string(), fieldish, deep), (input) => {
        let parsed: FieldSpec[];
        try {
          parsed = parseFields(input);
        } catch (error) {
          assert.ok(error instanceof FieldSyntaxError, `expected FieldSyntaxError, got ${String(error)}`);
          if (TOO_DEEP.test(error.message)) {
            // Never swallowed: refused as too deep only where `{` really opens past the parser's depth.
            assert.ok(braceDepth(input) >= MAX_FIELD_DEPTH, `"${input}" is refused as too deep at depth ${braceDepth(input)}`);
            tooDeep++;
          }
          return;
        }
        assert.ok(Array.isArray(parsed));
        assert.ok(braceDepth(input) < MAX_FIELD_DEPTH, `"${input}" is deeper than the parser allows, yet parsed`);
      }),
      this.test?.title ?? '',
    );
    assert.ok(tooDeep > 0, 'inputs too deep were generated and refused by name');
  });

  it('the field parser reads back any field tree it is given', function () {
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
    const seen = { deep: 0, shallow: 0 };
    check(
      fc.property(tree, (specs) => {
        if (depthOf(specs) > MAX_FIELD_DEPTH) {
          // Deeper than the parser accepts: refused by name, never misread.
          assert.throws(
            () => parseFields(write(specs)),
            (error: unknown) => error instanceof FieldSyntaxError && TOO_DEEP.test(error.message),
          );
          seen.deep++;
        } else {
          assert.deepEqual(parseFields(write(specs)), specs);
          seen.shallow++;
        }
      }),
      this.test?.title ?? '',
    );
    assert.ok(seen.shallow > RUNS / 2, `trees the parser accepts were generated: ${JSON.stringify(seen)}`);
  });
});
