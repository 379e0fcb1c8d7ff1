/**
 * The leak scan: looks for a secret in any text a person or a process could read, not only word for
 * word. A 12-character slice, the URL-encoded, base64, hex or UTF-16 form of a slice counts as a leak:
 * a log that prints "the first 40 characters" or a base64 dump of a request leaks as much as the
 * whole value. Pure: the extension-host test and the harness (files on disk) both use it.
 */

/** Characters of a secret that together count as a leak. */
export const SLICE = 12;

export type LeakForm = 'exact' | 'url-encoded' | 'double-url-encoded' | 'base64' | 'hex' | 'utf-16';

export interface Needle {
  readonly text: string;
  readonly form: LeakForm;
  /** Which secret (its label, never the value). */
  readonly secret: string;
}

export interface Secret {
  /** What to call it in a finding ("canary user token"): the value itself is never printed. */
  readonly label: string;
  readonly value: string;
}

export interface Finding {
  readonly place: string;
  readonly secret: string;
  readonly form: LeakForm;
  /** The text around the hit with the needle masked, so the report does not leak it again. */
  readonly context: string;
}

/** Of a slice, how many characters must be the secret's own (not part of an ID it carries) to count. */
const OWN = 8;

/** Slices of `length` at every offset, with the offset. */
function slicesAt(text: string, length: number): [string, number][] {
  if (text.length <= length) {
    return [[text, 0]];
  }
  const out: [string, number][] = [];
  for (let i = 0; i + length <= text.length; i++) {
    out.push([text.slice(i, i + length), i]);
  }
  return out;
}

/**
 * Every needle of a secret. Simulator tokens carry IDs anyone sees (`SIM-page-<Page ID>-…`): a
 * slice with fewer than 8 characters of the secret's own beside such an ID is not a needle,
 * because seeing the ID (in a Page's link, say) is not seeing the token. Secrets are ASCII.
 */
export function needlesFor(secret: Secret, publicTexts: readonly string[] = []): Needle[] {
  const value = secret.value;
  const isPublic = new Array<boolean>(value.length).fill(false);
  for (const text of publicTexts.filter((t) => t.length >= 4)) {
    for (let at = value.indexOf(text); at >= 0; at = value.indexOf(text, at + 1)) {
      isPublic.fill(true, at, at + text.length);
    }
  }
  /** Whether the 12 characters from `at` are enough of the secret's own. */
  const keep = (at: number) => isPublic.slice(at, at + SLICE).filter((p) => !p).length >= Math.min(OWN, value.length);
  const kept = slicesAt(value, SLICE)
    .filter(([, at]) => keep(at))
    .map(([s]) => s);
  const out: Needle[] = [];
  const add = (form: LeakForm, texts: Iterable<string>) => {
    for (const text of texts) {
      out.push({ text, form, secret: secret.label });
    }
  };
  add('exact', kept);
  add(
    'url-encoded',
    kept.map((s) => encodeURIComponent(s)).filter((s, i) => s !== kept[i]),
  );
  add(
    'double-url-encoded',
    kept.map((s) => encodeURIComponent(encodeURIComponent(s))).filter((s, i) => s !== encodeURIComponent(kept[i] ?? '')),
  );
  // Base64 from each of the 3 byte alignments, cut to whole groups so partial characters do not matter;
  // 12 bytes are 16 base64 characters.
  const bytes = Buffer.from(value, 'utf8');
  for (let start = 0; start < 3; start++) {
    const whole = Math.floor((bytes.length - start) / 3) * 3;
    if (whole > 0) {
      const encoded = bytes.subarray(start, start + whole).toString('base64');
      const mine = slicesAt(encoded, (SLICE * 4) / 3)
        .filter(([, at]) => keep(start + Math.floor((at * 3) / 4)))
        .map(([s]) => s);
      add('base64', [...mine, ...mine.map((s) => s.replace(/\+/g, '-').replace(/\//g, '_'))]);
    }
  }
  add(
    'hex',
    slicesAt(bytes.toString('hex'), SLICE * 2)
      .filter(([, at]) => at % 2 === 0 && keep(at / 2))
      .flatMap(([s]) => [s, s.toUpperCase()]),
  );
  add(
    'utf-16',
    kept.map((s) => Buffer.from(s, 'utf16le').toString('latin1')),
  );
  return out;
}

/** Needles of every secret, grouped by length for one pass over each text. */
export class LeakScanner {
  private readonly byLength = new Map<number, Map<string, Needle>>();

  constructor(secrets: readonly Secret[], publicTexts: readonly string[] = []) {
    for (const secret of secrets) {
      for (const needle of needlesFor(secret, publicTexts)) {
        const group = this.byLength.get(needle.text.length) ?? new Map<string, Needle>();
        group.set(needle.text, needle);
        this.byLength.set(needle.text.length, group);
      }
    }
    if (this.byLength.size === 0) {
      throw new Error('The leak scan was given no secret to look for.');
    }
  }

  /** The first hit of each secret and form in a text; `text` may be bytes read as latin1. */
  scan(place: string, text: string): Finding[] {
    const found = new Map<string, Finding>();
    for (const [length, group] of this.byLength) {
      for (let i = 0; i + length <= text.length; i++) {
        const needle = group.get(text.slice(i, i + length));
        if (needle && !found.has(`${needle.secret}|${needle.form}`)) {
          found.set(`${needle.secret}|${needle.form}`, { place, secret: needle.secret, form: needle.form, context: this.context(text, i) });
        }
      }
    }
    return [...found.values()];
  }

  /** The text around a hit, every character any needle covers masked, so the report does not leak it again. */
  private context(text: string, at: number): string {
    const from = Math.max(0, at - 40);
    const to = Math.min(text.length, at + 60);
    const covered = new Array<boolean>(to - from).fill(false);
    for (let j = Math.max(0, from - 60); j < to; j++) {
      for (const [length, group] of this.byLength) {
        if (group.has(text.slice(j, j + length))) {
          for (let k = Math.max(j, from); k < Math.min(j + length, to); k++) {
            covered[k - from] = true;
          }
        }
      }
    }
    return [...text.slice(from, to)].map((c, k) => (covered[k] ? '•' : /[\x20-\x7e]/.test(c) ? c : '.')).join('');
  }

  scanAll(places: Iterable<[string, string]>): Finding[] {
    const out: Finding[] = [];
    for (const [place, text] of places) {
      out.push(...this.scan(place, text));
    }
    return out;
  }
}

/** One line per finding, for an assertion message. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.secret} (${f.form}) in ${f.place}: …${f.context}…`).join('\n');
}
