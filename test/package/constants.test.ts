import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Commands, Views, WALKTHROUGH } from '../../src/vscode/constants';

const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]>; walkthroughs: { id: string }[] };
};

describe('Command and view IDs live in one module that agrees with the manifest', () => {
  it('names every contributed command, and only those', () => {
    assert.deepEqual(Object.values(Commands).sort(), manifest.contributes.commands.map((c) => c.command).sort());
  });

  it('names every contributed view and the walkthrough', () => {
    assert.deepEqual(
      Object.values(Views).sort(),
      Object.values(manifest.contributes.views)
        .flat()
        .map((v) => v.id)
        .sort(),
    );
    assert.deepEqual(
      manifest.contributes.walkthroughs.map((w) => w.id),
      [WALKTHROUGH],
    );
  });
});
