import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const readJson = <T>(path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string; name: string }[]>;
  };
}

const manifest = readJson<Manifest>('package.json');
const english = readJson<Record<string, string>>('package.nls.json');
/** Every runtime message: the English keys of the bundles, which the l10n test keeps in step with the source. */
const runtimeMessages = Object.keys(readJson<Record<string, string>>('l10n/bundle.l10n.ja.json'));

/** A name as a user compares it: without the category prefix and the trailing ellipsis. */
const clean = (name: string) =>
  name
    .replace(/^Messenger Explorer: /, '')
    .replace(/[…。.]+$/, '')
    .trim();

/** What exists in one language: command titles by command, view names by view, and runtime labels (buttons, rows, pickers). */
class Names {
  readonly titles = new Map<string, string>();
  readonly views = new Map<string, string>();
  readonly labels = new Map<string, string>();

  constructor(readonly language: 'en' | 'ja' | 'vi') {
    const nls = language === 'en' ? english : { ...english, ...readJson<Record<string, string>>(`package.nls.${language}.json`) };
    const bundle = language === 'en' ? undefined : readJson<Record<string, string>>(`l10n/bundle.l10n.${language}.json`);
    const localized = (value: string) => nls[value.replace(/^%|%$/g, '')] ?? value;
    for (const { command, title } of manifest.contributes.commands) {
      this.titles.set(command, clean(localized(title)));
    }
    for (const view of Object.values(manifest.contributes.views).flat()) {
      this.views.set(view.id, clean(localized(view.name)));
    }
    for (const message of runtimeMessages.filter((m) => m.length <= 60)) {
      this.labels.set(message, clean(bundle?.[message] ?? message));
    }
  }

  /** Whether `name` is a real command title, view name or runtime label in this language. */
  exists(name: string): boolean {
    const n = clean(name);
    return [...this.titles.values(), ...this.views.values(), ...this.labels.values()].includes(n);
  }
}

const names = { en: new Names('en'), ja: new Names('ja'), vi: new Names('vi') };

/** The command links `[label](command:id)` of a contributed text. */
const links = (text: string) =>
  [...text.matchAll(/\[([^\]]+)\]\(command:([^)?]+)[^)]*\)/g)].map((m) => ({ label: m[1] ?? '', id: m[2] ?? '' }));

/** What an English text names: quoted ("…", **…**) names that look like a title, and command titles or views mentioned in its prose. */
/** Names of things in Meta's own UI (the App Dashboard) that messages quote: they exist, but not in this extension. */
const META_NAMES: ReadonlySet<string> = new Set(['Login for Devices']);

function namedIn(text: string): { english: string; localized: (n: Names) => string[] }[] {
  const found: { english: string; localized: (n: Names) => string[] }[] = [];
  const en = names.en;
  const quoted = [...text.matchAll(/"([^"]+)"|\*\*([^*]+)\*\*/g)].map((m) => m[1] ?? m[2] ?? '');
  for (const q of quoted.filter((q) => /^[A-Z]/.test(q) && /[ …]/.test(q) && !META_NAMES.has(q))) {
    found.push({ english: q, localized: (n) => localizedOf(clean(q), n) });
  }
  const withoutLinks = text.replace(/\[[^\]]+\]\(command:[^)]+\)/g, '');
  for (const title of new Set(en.titles.values())) {
    // A title followed by another capitalised word is part of a longer name ("Add App Secret and Exchange…"), not a mention.
    const mentioned = new RegExp(`${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?! [A-Z])`).test(withoutLinks);
    if (title.includes(' ') && mentioned && !quoted.some((q) => clean(q) === title)) {
      found.push({ english: title, localized: (n) => localizedOf(title, n) });
    }
  }
  for (const [id, view] of en.views) {
    if (withoutLinks.includes(`${view} view`)) {
      found.push({ english: `${view} view`, localized: (n) => [n.views.get(id) ?? ''] });
    }
  }
  return found;
}

/** The names in language `n` of whatever is called `english` in English (several commands may share a title). */
function localizedOf(english: string, n: Names): string[] {
  const en = names.en;
  return [
    ...[...en.titles].filter(([, t]) => t === english).map(([id]) => n.titles.get(id) ?? ''),
    ...[...en.views].filter(([, v]) => v === english).map(([id]) => n.views.get(id) ?? ''),
    ...[...en.labels].filter(([, l]) => l === english).map(([m]) => n.labels.get(m) ?? ''),
  ].filter(Boolean);
}

/** Every contributed and runtime text, in English and translated: [where, English, translation]. */
function texts(language: 'ja' | 'vi'): [string, string, string][] {
  const nls = readJson<Record<string, string>>(`package.nls.${language}.json`);
  const bundle = readJson<Record<string, string>>(`l10n/bundle.l10n.${language}.json`);
  return [
    ...Object.entries(english).map(([key, value]): [string, string, string] => [`%${key}%`, value, nls[key] ?? '']),
    ...Object.entries(bundle).map(([key, value]): [string, string, string] => [JSON.stringify(key), key, value]),
  ];
}

describe('Nothing names what does not exist', () => {
  const contributed = Object.keys(english).filter((key) => key.startsWith('walkthrough.') || key.startsWith('welcome.'));

  for (const language of ['en', 'ja', 'vi'] as const) {
    it(`${language}: each command link in the walkthrough and welcome views is labelled with that command's title or view`, () => {
      const n = names[language];
      const nls = language === 'en' ? english : readJson<Record<string, string>>(`package.nls.${language}.json`);
      const wrong: string[] = [];
      for (const key of contributed) {
        for (const { label, id } of links(nls[key] ?? '')) {
          const title = n.titles.get(id);
          const ok =
            title !== undefined ? clean(label) === title : [...n.views.values()].some((view) => label.includes(view)) && id.includes('.');
          if (!ok) {
            wrong.push(`${key}: [${label}](command:${id}) — the command is "${title ?? '(a view)'}"`);
          }
        }
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('en: each quoted or bold name in a message is a real command title, view or label', () => {
    const strings = [...Object.values(english), ...runtimeMessages];
    const unknown = strings.flatMap((text) => namedIn(text).filter((name) => !names.en.exists(name.english.replace(/ view$/, ''))));
    assert.deepEqual(
      unknown.map((u) => u.english),
      [],
    );
  });

  for (const language of ['ja', 'vi'] as const) {
    it(`${language}: each command, view or label an English text names is named with its real ${language} title`, () => {
      const wrong: string[] = [];
      // A title (of a walkthrough or step) names nothing; it is a name.
      for (const [where, en, translated] of texts(language).filter(([where]) => !/\.title%$/.test(where))) {
        for (const name of namedIn(en)) {
          const candidates = name.localized(names[language]);
          if (!candidates.some((c) => translated.includes(c))) {
            wrong.push(`${where} names "${name.english}": expected one of ${JSON.stringify(candidates)} in ${JSON.stringify(translated)}`);
          }
        }
      }
      assert.ok(wrong.length === 0, wrong.join('\n'));
    });
  }
});
