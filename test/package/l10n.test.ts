import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { glossaryForbidden } from '../support/glossary';
import { listZipEntries } from '../support/zip';

const ROOT = resolve(__dirname, '..', '..', '..');
const LANGUAGES = ['ja', 'vi'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `vscode.l10n.t('…')` message in src, unescaped as the runtime sees it. */
function runtimeMessages(): Set<string> {
  const messages = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    // Either quote: the formatter picks double quotes for a message with an apostrophe.
    for (const match of text.matchAll(/l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)) {
      messages.add((match[1] ?? match[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)));
    }
    const dynamic = text.match(/l10n\.t\(\s*[^'"\s]/g);
    assert.equal(dynamic, null, `${file}: l10n.t must be called with a string literal, so the bundles can be checked`);
  }
  return messages;
}

const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
const commandLinks = (text: string) => [...text.matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]).sort();
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, string>;

describe('Localization bundles', () => {
  const messages = runtimeMessages();

  it('finds the runtime messages', () => {
    assert.ok(messages.size > 200, `${messages.size} messages`);
  });

  for (const language of LANGUAGES) {
    it(`l10n/bundle.l10n.${language}.json translates every runtime message and nothing stale`, () => {
      const bundle = readJson(`l10n/bundle.l10n.${language}.json`);
      const missing = [...messages].filter((m) => !(m in bundle));
      const stale = Object.keys(bundle).filter((k) => !messages.has(k));
      assert.deepEqual(missing, [], `missing from the ${language} bundle`);
      assert.deepEqual(stale, [], `stale keys in the ${language} bundle`);
      for (const [key, value] of Object.entries(bundle)) {
        assert.ok(value.trim().length > 0, `empty translation of ${key}`);
        assert.deepEqual(placeholders(value), placeholders(key), `placeholders of ${JSON.stringify(key)}`);
      }
    });

    it(`package.nls.${language}.json translates every contributed string and keeps its command links`, () => {
      const english = readJson('package.nls.json');
      const translated = readJson(`package.nls.${language}.json`);
      assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort());
      for (const [key, value] of Object.entries(english)) {
        assert.deepEqual(commandLinks(translated[key] ?? ''), commandLinks(value), `command links of ${key}`);
      }
    });
  }

  describe('follow l10n/glossary.md', () => {
    const forbidden = glossaryForbidden(readFileSync(join(ROOT, 'l10n', 'glossary.md'), 'utf8'));

    it('the glossary lists forbidden variants for both languages', () => {
      assert.ok(forbidden.ja.length >= 10 && forbidden.vi.length >= 5, `${forbidden.ja.length} ja, ${forbidden.vi.length} vi`);
    });

    for (const language of ['ja', 'vi'] as const) {
      it(`no ${language} string uses a variant the glossary forbids`, () => {
        const strings = {
          ...readJson(`l10n/bundle.l10n.${language}.json`),
          ...Object.fromEntries(Object.entries(readJson(`package.nls.${language}.json`)).map(([k, v]) => [`%${k}%`, v])),
        };
        const found = Object.entries(strings).flatMap(([key, value]) =>
          forbidden[language].filter((f) => f.matches(value)).map((f) => `${f.text} in ${JSON.stringify(key)}: ${value}`),
        );
        assert.deepEqual(found, []);
      });
    }
  });

  it("localizes the manifest's description (the Extensions view shows it in the display language)", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { description: string };
    assert.equal(manifest.description, '%description%');
    for (const language of ['', ...LANGUAGES.map((l) => `.${l}`)]) {
      assert.ok((readJson(`package.nls${language}.json`).description ?? '').length > 20, `description in package.nls${language}.json`);
    }
  });

  it('ships the bundles in the .vsix', () => {
    const entries = listZipEntries(join(ROOT, 'dist-vsix', 'messenger-explorer.vsix'));
    for (const language of LANGUAGES) {
      assert.ok(entries.includes(`extension/l10n/bundle.l10n.${language}.json`), `bundle ${language}`);
      assert.ok(entries.includes(`extension/package.nls.${language}.json`), `package.nls ${language}`);
    }
  });
});
