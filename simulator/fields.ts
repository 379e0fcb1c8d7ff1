/**
 * The Graph API's field-expansion syntax: `id,name,messages.limit(5){id,message,from}`.
 * Parsed into a tree; every malformed input is a FieldSyntaxError, never a crash.
 */
export interface FieldSpec {
  readonly name: string;
  readonly modifiers: Readonly<Record<string, string>>;
  readonly children?: readonly FieldSpec[];
}

export class FieldSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSyntaxError';
  }
}

const NAME = /[A-Za-z0-9_]/;
const MAX_DEPTH = 8;

export function parseFields(input: string): FieldSpec[] {
  let pos = 0;

  const fail = (what: string): never => {
    throw new FieldSyntaxError(`Syntax error "${what}" at character ${pos}: ${input.slice(0, 60)}`);
  };
  const skipSpaces = (): void => {
    while (input[pos] === ' ') {
      pos++;
    }
  };
  const readName = (): string => {
    const start = pos;
    while (pos < input.length && NAME.test(input[pos] ?? '')) {
      pos++;
    }
    if (pos === start) {
      fail(`Expected field name instead of "${input[pos] ?? 'end'}"`);
    }
    return input.slice(start, pos);
  };

  const parseList = (depth: number, closer: string | undefined): FieldSpec[] => {
    if (depth > MAX_DEPTH) {
      fail('Field expansion is nested too deeply');
    }
    const list: FieldSpec[] = [];
    for (;;) {
      skipSpaces();
      const name = readName();
      const modifiers: Record<string, string> = {};
      while (input[pos] === '.') {
        pos++;
        const modifier = readName();
        if (input[pos] !== '(') {
          fail(`Expected "(" after .${modifier}`);
        }
        const close = input.indexOf(')', pos);
        if (close < 0) {
          fail('Unclosed "("');
        }
        modifiers[modifier] = input.slice(pos + 1, close);
        pos = close + 1;
      }
      let children: FieldSpec[] | undefined;
      if (input[pos] === '{') {
        pos++;
        children = parseList(depth + 1, '}');
        pos++;
      }
      list.push(children ? { name, modifiers, children } : { name, modifiers });
      skipSpaces();
      if (input[pos] === ',') {
        pos++;
        continue;
      }
      if (closer !== undefined) {
        if (input[pos] !== closer) {
          fail(`Expected "${closer}"`);
        }
        return list;
      }
      if (pos < input.length) {
        fail(`Unexpected "${input[pos] ?? ''}"`);
      }
      return list;
    }
  };

  if (input.trim().length === 0) {
    return [];
  }
  return parseList(0, undefined);
}
