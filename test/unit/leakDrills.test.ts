import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DRILLS } from '../drills/drills';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('The leak drills', () => {
  it('each patch still applies exactly once to the source (a drill that no longer applies tests nothing)', () => {
    assert.ok(DRILLS.length >= 9);
    for (const drill of DRILLS) {
      for (const patch of drill.patches) {
        const count = readFileSync(join(ROOT, patch.file), 'utf8').split(patch.find).length - 1;
        assert.equal(count, 1, `${drill.name}: ${patch.file} matches ${count} times`);
      }
    }
  });
});
