import * as assert from 'node:assert/strict';

/** One forbidden variant from l10n/glossary.md: plain text, or `/a regular expression/`. */
export interface Forbidden {
  readonly text: string;
  readonly matches: (translation: string) => boolean;
}

/** The glossary's forbidden variants per language, read from its table's last two columns. */
export function glossaryForbidden(markdown: string): Record<'ja' | 'vi', Forbidden[]> {
  const result: Record<'ja' | 'vi', Forbidden[]> = { ja: [], vi: [] };
  const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| Concept'));
  for (const row of rows) {
    // Cells split on unescaped pipes; `\|` inside a regular expression stays a pipe.
    const cells = row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.replace(/\\\|/g, '|').trim());
    assert.equal(cells.length, 7, `glossary row with ${cells.length} cells: ${row}`);
    for (const [language, cell] of [
      ['ja', cells[5]],
      ['vi', cells[6]],
    ] as const) {
      for (const [, text] of (cell ?? '').matchAll(/`([^`]+)`/g)) {
        const regex = /^\/(.+)\/([a-z]*)$/.exec(text ?? '');
        const pattern = regex ? new RegExp(regex[1] ?? '', regex[2]) : undefined;
        result[language].push({
          text: text ?? '',
          matches: (translation) => (pattern ? pattern.test(translation) : translation.includes(text ?? '')),
        });
      }
    }
  }
  return result;
}
