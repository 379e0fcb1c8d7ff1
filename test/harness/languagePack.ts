import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createVSIX } from '@vscode/vsce';
import { cacheRoot } from './toolchain';

const FIXTURES = resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

/** The test language pack of a display language (`ja`, `vi`) as a .vsix in the test cache, rebuilt when its fixture changes. */
export async function languagePackVsix(locale: string): Promise<string> {
  const fixture = join(FIXTURES, `language-pack-${locale}`);
  if (!existsSync(join(fixture, 'package.json'))) {
    throw new Error(`No test language pack for ${locale}: add test/fixtures/language-pack-${locale}.`);
  }
  const files = ['package.json', 'README.md', join('translations', 'main.i18n.json')];
  const hash = createHash('sha256');
  files.forEach((f) => hash.update(readFileSync(join(fixture, f))));
  const vsix = join(cacheRoot(), `language-pack-${locale}-${hash.digest('hex').slice(0, 12)}.vsix`);
  if (!existsSync(vsix)) {
    mkdirSync(cacheRoot(), { recursive: true });
    await createVSIX({ cwd: fixture, packagePath: vsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
  }
  return vsix;
}

/**
 * Registers installed language packs the way VS Code's language pack service does after an
 * install from the UI: code-server's --install-extension does not, and without this file the
 * server falls back to English whatever --locale says.
 */
export function registerLanguagePacks(userDataDir: string, extensionsDir: string): void {
  const packs: Record<string, unknown> = {};
  for (const folder of readdirSync(extensionsDir)) {
    const manifestPath = join(extensionsDir, folder, 'package.json');
    if (!existsSync(manifestPath)) {
      continue;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      publisher: string;
      version: string;
      contributes?: {
        localizations?: {
          languageId: string;
          localizedLanguageName?: string;
          languageName?: string;
          translations: { id: string; path: string }[];
        }[];
      };
    };
    const id = `${manifest.publisher}.${manifest.name}`;
    for (const localization of manifest.contributes?.localizations ?? []) {
      packs[localization.languageId] = {
        hash: createHash('md5').update(id).update(manifest.version).digest('hex'),
        extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
        translations: Object.fromEntries(localization.translations.map((t) => [t.id, join(extensionsDir, folder, t.path)])),
        label: localization.localizedLanguageName ?? localization.languageName ?? localization.languageId,
      };
    }
  }
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
