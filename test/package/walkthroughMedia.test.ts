import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { glossaryForbidden } from '../support/glossary';
import { listZipEntries } from '../support/zip';

const ROOT = resolve(__dirname, '..', '..', '..');
const readJson = <T>(path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;

type Language = 'en' | 'ja' | 'vi';
const LANGUAGES: Language[] = ['en', 'ja', 'vi'];

interface Step {
  readonly id: string;
  readonly description: string;
  readonly media: { readonly markdown?: string; readonly image?: unknown; readonly svg?: string };
}
interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string; name: string }[]>;
    walkthroughs: { steps: Step[] }[];
  };
}

const manifest = readJson<Manifest>('package.json');
const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
const nls = (language: Language) =>
  language === 'en'
    ? readJson<Record<string, string>>('package.nls.json')
    : { ...readJson<Record<string, string>>('package.nls.json'), ...readJson<Record<string, string>>(`package.nls.${language}.json`) };
const localized = (value: string, language: Language) => nls(language)[value.replace(/^%|%$/g, '')] ?? value;

/** Kana and CJK ideographs. */
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/u;
/** Letters only Vietnamese uses: ă â đ ê ô ơ ư and the Latin Extended Additional block (ạ ả ấ ầ … ỹ). */
const VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]/u;
/** Words that only an English sentence has; none is a Vietnamese word without its diacritics. */
const ENGLISH = /\b(the|and|your|with|from|this|that|click|press|select|choose|appear|appears|open|any|every|never)\b/i;

function mediaFile(step: Step, language: Language): string {
  assert.ok(step.media.markdown, `${step.id}: Markdown media`);
  return localized(step.media.markdown, language);
}

/** What a name looks like where a user compares it: no category, no trailing ellipsis or full stop. */
const clean = (name: string) =>
  name
    .replace(/^Messenger Explorer: /, '')
    .replace(/[…。.]+$/, '')
    .trim();

/** Command titles, view names and runtime labels in one language. */
function realNames(language: Language): Set<string> {
  const strings = nls(language);
  const bundle = language === 'en' ? undefined : readJson<Record<string, string>>(`l10n/bundle.l10n.${language}.json`);
  const runtime = Object.keys(readJson<Record<string, string>>('l10n/bundle.l10n.ja.json'));
  return new Set([
    ...manifest.contributes.commands.map((c) => clean(strings[c.title.replace(/^%|%$/g, '')] ?? c.title)),
    ...Object.values(manifest.contributes.views)
      .flat()
      .map((v) => clean(strings[v.name.replace(/^%|%$/g, '')] ?? v.name)),
    ...runtime.map((m) => clean(bundle?.[m] ?? m)),
  ]);
}

describe('The walkthrough media: a drawing in text, in the display language', () => {
  it('every step shows Markdown media chosen per language through package.nls', () => {
    assert.deepEqual(
      steps.map((s) => s.id),
      ['connect', 'browse', 'resolve', 'tokens'],
    );
    for (const step of steps) {
      assert.deepEqual(Object.keys(step.media), ['markdown'], `${step.id}: Markdown only, no screenshot`);
      assert.equal(step.media.markdown, `%walkthrough.${step.id}.media%`);
      const files = LANGUAGES.map((language) => mediaFile(step, language));
      assert.equal(new Set(files).size, LANGUAGES.length, `${step.id}: one file per language: ${files.join(', ')}`);
    }
  });

  for (const language of LANGUAGES) {
    it(`${language}: each step's file exists, ships in the .vsix and is in ${language} only`, () => {
      const entries = listZipEntries(join(ROOT, 'dist-vsix', 'messenger-explorer.vsix'));
      const english = (step: Step) => readFileSync(join(ROOT, mediaFile(step, 'en')), 'utf8');
      for (const step of steps) {
        const file = mediaFile(step, language);
        assert.ok(existsSync(join(ROOT, file)), `${file} exists`);
        assert.ok(entries.includes(`extension/${file}`), `${file} is in the .vsix`);
        const text = readFileSync(join(ROOT, file), 'utf8');
        assert.ok(text.trim().length > 100, `${file} shows something`);
        const wrong: string[] = [];
        const check = (pattern: RegExp, what: string, mustHave: boolean) => {
          const hit = pattern.exec(text);
          if (mustHave && !hit) {
            wrong.push(`no ${what}`);
          } else if (!mustHave && hit) {
            wrong.push(`${what}: "${hit[0]}" in …${text.slice(Math.max(0, hit.index - 30), hit.index + 30)}…`);
          }
        };
        check(JAPANESE, 'Japanese', language === 'ja');
        check(VIETNAMESE, 'Vietnamese', language === 'vi');
        if (language !== 'en') {
          check(ENGLISH, 'English', false);
          // No line of the English drawing or text is left untranslated (a line of names and IDs may repeat).
          for (const line of english(step).split('\n')) {
            const words = line.match(/[A-Za-z]{2,}/g) ?? [];
            const names = /^[\s▾▸"{}:,›▲\d]*$|Messenger|Instagram/;
            if (words.length >= 3 && !names.test(line) && text.includes(line.trim())) {
              wrong.push(`untranslated line: ${line.trim()}`);
            }
          }
        }
        assert.deepEqual(wrong, [], file);
      }
    });
  }

  it('every drawing fits the media column of the walkthrough: 48 columns a line, wide characters as two', () => {
    const columns = (line: string) =>
      [...line].reduce((sum, ch) => sum + (/[\u1100-\u115f\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(ch) ? 2 : 1), 0);
    const tooWide = LANGUAGES.flatMap((language) =>
      steps.flatMap((step) => {
        const file = mediaFile(step, language);
        const drawings = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
        assert.ok(drawings.length > 0, `${file} has a drawing`);
        return drawings
          .flatMap((d) => d.split('\n'))
          .filter((line) => columns(line) > 48)
          .map((line) => `${file} (${columns(line)}): ${line}`);
      }),
    );
    assert.deepEqual(tooWide, []);
  });

  for (const language of ['ja', 'vi'] as const) {
    it(`${language}: the media follow l10n/glossary.md`, () => {
      const forbidden = glossaryForbidden(readFileSync(join(ROOT, 'l10n', 'glossary.md'), 'utf8'))[language];
      const found = steps.flatMap((step) => {
        const file = mediaFile(step, language);
        const text = readFileSync(join(ROOT, file), 'utf8');
        return forbidden.filter((f) => f.matches(text)).map((f) => `${f.text} in ${file}`);
      });
      assert.deepEqual(found, []);
    });
  }

  for (const language of LANGUAGES) {
    it(`${language}: each bold name in the media is a real command, view or label in ${language}`, () => {
      const names = realNames(language);
      const unknown = steps.flatMap((step) => {
        const file = mediaFile(step, language);
        const bold = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\*\*([^*]+)\*\*/g)].map((m) => clean(m[1] ?? ''));
        return bold.filter((name) => !names.has(name)).map((name) => `${file}: ${name}`);
      });
      assert.deepEqual(unknown, []);
    });
  }

  it('never tells anyone to run npm run simulator: npm start has started one, and Connect says how when none runs', () => {
    const said = LANGUAGES.flatMap((language) =>
      steps.flatMap((step) =>
        [localized(step.description, language), readFileSync(join(ROOT, mediaFile(step, language)), 'utf8')]
          .filter((text) => text.includes('npm run simulator'))
          .map(() => `${language} ${step.id}`),
      ),
    );
    assert.deepEqual(said, []);
  });

  it('nor does any welcome view', () => {
    const said = ['', '.ja', '.vi'].flatMap((suffix) =>
      Object.entries(JSON.parse(readFileSync(join(ROOT, `package.nls${suffix}.json`), 'utf8')) as Record<string, string>)
        .filter(([key, text]) => key.startsWith('welcome.') && text.includes('npm run simulator'))
        .map(([key]) => `package.nls${suffix}.json ${key}`),
    );
    assert.deepEqual(said, []);
  });
});
