import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Columns a string takes in the sidebar's font: East Asian wide and fullwidth characters count as two. */
function columns(text: string): number {
  const wide =
    /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
  return [...text].reduce((sum, ch) => sum + (wide.test(ch) ? 2 : 1), 0);
}

/**
 * The labels and descriptions the tree providers build from our own templates (treeItems.ts,
 * accountsTree.ts, linkedIdsView.ts, hostErrorItem.ts), with realistic values; each is measured on
 * its own (names and IDs from Meta come on top). A relative time and a Page name are given per language.
 */
const ROWS: ((t: (message: string, ...args: (string | number)[]) => string, sample: Sample) => string[])[] = [
  (t) => ['Messenger', t('{0} threads, more to load', 120)],
  (t) => ['Instagram', t('{0} threads', 120)],
  (t, s) => [[t('{0} unread', 12), t('{0} msgs', 1234), s.time].join(' · ')],
  (t, s) => [t('Details unavailable'), t('only the 20 most recent Instagram messages have details · {0}', s.time)],
  (t) => [t('Load more…')],
  (t) => [t('No messages')],
  (t) => [t('(empty message)')],
  (t) => [t('No conversations in {0}', t('Inbox'))],
  (t) => [t('No linked IDs in other apps or Pages of this business')],
  (t, s) => [t('via Page {0}', s.page)],
  (t) => [`${t('Page')} · ${t('expires in {0} days', 59)}`],
  (t) => [`${t('User')} · ${t('token rejected')}`],
  (t) => [t('Data access expires'), t('expires in {0} days', 89)],
  (t) => [t('Graph host not allowed')],
];

interface Sample {
  readonly time: string;
  readonly page: string;
}

const SAMPLES: Record<string, Sample> = {
  ja: { time: '3時間前', page: 'カフェ・ミント' },
  vi: { time: '3 giờ trước', page: 'Cà phê Bạc Hà' },
};

describe('Tree rows fit a sidebar in Japanese and Vietnamese', () => {
  it('counts wide characters as two columns', () => {
    assert.equal(columns('スレッド'), 8);
    assert.equal(columns('Trang'), 5);
  });

  for (const language of ['ja', 'vi']) {
    it(`${language}: every row from our templates stays within 40 columns`, () => {
      const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${language}.json`), 'utf8')) as Record<string, string>;
      const t = (message: string, ...args: (string | number)[]) => {
        const template = bundle[message] ?? assert.fail(`no ${language} translation of ${JSON.stringify(message)}`);
        return template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
      };
      const rows = ROWS.flatMap((row) => row(t, SAMPLES[language] ?? assert.fail(language)));
      const longest = Math.max(...rows.map(columns));
      const tooLong = rows.filter((row) => columns(row) > 40).map((row) => `${columns(row)}: ${row}`);
      assert.deepEqual(tooLong, [], `longest row: ${longest} columns`);
    });
  }
});
