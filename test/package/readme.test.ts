import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, unknown> };
  };
}

/** The README is the manual: it must keep up with what the manifest contributes. */
describe('The README', () => {
  const readme = read('README.md');
  const manifest = JSON.parse(read('package.json')) as Manifest;
  const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;

  it('lists every command by its title', () => {
    const missing = manifest.contributes.commands
      .map((c) => nls[c.title.replace(/^%|%$/g, '')] ?? c.title)
      .filter((title) => !readme.includes(title));
    assert.deepEqual(missing, []);
  });

  it('lists every setting', () => {
    const missing = Object.keys(manifest.contributes.configuration.properties).filter((key) => !readme.includes(`\`${key}\``));
    assert.deepEqual(missing, []);
  });

  it('shows images that exist and ship, in English and Japanese', () => {
    const images = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(
      images.some((i) => i.startsWith('media/screenshots/ja/')),
      'Japanese screenshots',
    );
    for (const name of ['tree', 'message-detail', 'linked-ids', 'accounts']) {
      assert.ok(images.includes(`media/screenshots/${name}.jpg`), `${name} screenshot`);
    }
    for (const image of images) {
      assert.ok(existsSync(join(ROOT, image)), `${image} exists`);
    }
  });

  it('gives the two setup commands', () => {
    assert.ok(readme.includes('npm ci && npm start'));
    assert.ok(readme.includes('npm ci && npm test'));
  });
});
