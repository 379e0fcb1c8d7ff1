import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listZipEntries } from '../support/zip';

const ROOT = resolve(__dirname, '..', '..', '..');
const VSIX = join(ROOT, 'dist-vsix', 'messenger-explorer.vsix');

/** What may ship: the bundle, the manifest, docs, media and l10n. Nothing else. */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls(\.[a-z-]+)?\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/web\/extension\.js$/,
  /^extension\/media\/[^/]+\.(svg|png)$/,
  /^extension\/media\/conversationView\/main\.(js|css)$/,
  /^extension\/media\/screenshots\/(ja\/|vi\/)?[a-z-]+\.jpg$/,
  /^extension\/media\/walkthrough\/[a-z]+(\.(ja|vi))?\.md$/,
  /^extension\/l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
];

describe('The packaged .vsix', () => {
  before(function () {
    if (!existsSync(VSIX)) {
      assert.fail(`${VSIX} is missing: run npm run package first.`);
    }
  });

  it('contains only the bundle, manifest, docs, media and l10n files', () => {
    const entries = listZipEntries(VSIX);
    const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
    assert.deepEqual(unexpected, [], `unexpected files in the .vsix: ${unexpected.join(', ')}`);
    for (const required of [
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/dist/web/extension.js',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      'extension/media/activity-bar.svg',
    ]) {
      assert.ok(
        entries.some((e) => e.toLowerCase() === required.toLowerCase()),
        `${required} is packaged (entries: ${entries.join(', ')})`,
      );
    }
  });

  it('ships no sources, tests, source maps or node_modules', () => {
    const entries = listZipEntries(VSIX);
    const forbidden = entries.filter((e) => /\.ts$|\.map$|node_modules|\/src\/|\/test\/|simulator/.test(e));
    assert.deepEqual(forbidden, []);
  });

  it('has a web entry point that needs nothing from Node', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main?: string; browser?: string };
    assert.equal(manifest.browser, './dist/web/extension.js');
    const bundle = readFileSync(join(ROOT, 'dist', 'web', 'extension.js'), 'utf8');
    const nodeOnly = bundle.match(/require\((["'])(?!vscode\1)[^"']+\1\)|\bprocess\.(env|platform|versions)\b|\bBuffer\./g) ?? [];
    assert.deepEqual(nodeOnly, [], 'the browser bundle requires only vscode');
  });

  it('is small: bundles under 200 KB, the whole under 800 KB with its screenshots', () => {
    for (const bundle of ['dist/extension.js', 'dist/web/extension.js']) {
      const size = statSync(join(ROOT, bundle)).size;
      // 150 KB until the conversation view (webview glue and transcript model, about 20 KB minified).
      assert.ok(size < 200 * 1024, `${bundle} is ${size} bytes`);
    }
    const size = statSync(VSIX).size;
    assert.ok(size < 800 * 1024, `the .vsix is ${size} bytes`);
  });
});

describe('Theme colors', () => {
  it("come from theme tokens: no hard-coded colors in the extension's sources", () => {
    const offenders: string[] = [];
    const scan = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          scan(path);
        } else if (name.endsWith('.ts')) {
          const hits = readFileSync(path, 'utf8').match(/['"`]#[0-9a-fA-F]{3,8}['"`]|\brgba?\(/g);
          if (hits) {
            offenders.push(`${path}: ${hits.join(', ')}`);
          }
        }
      }
    };
    scan(join(ROOT, 'src'));
    assert.deepEqual(offenders, []);
  });
});
