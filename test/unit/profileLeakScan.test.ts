import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileScanProblems, scanProfile } from '../harness/profileLeakScan';

const secret = { label: 'canary', value: 'SIM-user-CANARY-1764000000000-plantedtokenvalue0000' };
const marker = { label: 'log marker', value: 'Connected Someone (1000000000001)', under: 'logs' };

describe('The profile scan after shutdown', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mx-profile-test-'));
    mkdirSync(join(dir, 'data', 'logs', 'exthost1'), { recursive: true });
    mkdirSync(join(dir, 'data', 'User', 'globalStorage'), { recursive: true });
    writeFileSync(join(dir, 'data', 'logs', 'exthost1', 'x.log'), `info ${marker.value} with 2 Page(s).`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every file, binary ones too, and finds a slice of a secret deep in the tree', () => {
    const bytes = Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from(secret.value.slice(10, 30)), Buffer.from([0])]);
    writeFileSync(join(dir, 'data', 'User', 'globalStorage', 'state.vscdb'), bytes);
    const scan = scanProfile(dir, { secrets: [secret], publicTexts: [], markers: [marker] });
    assert.equal(scan.files, 2);
    assert.deepEqual(
      scan.findings.map((f) => `${f.place} ${f.form}`),
      [`${join('data', 'User', 'globalStorage', 'state.vscdb')} exact`],
    );
    assert.match(profileScanProblems(scan).join('\n'), /appears in VS Code's profile on disk/);
  });

  it('is clean only when every marker is found where it must be', () => {
    const clean = scanProfile(dir, { secrets: [secret], publicTexts: [], markers: [marker] });
    assert.deepEqual(profileScanProblems(clean), []);
    const elsewhere = scanProfile(dir, { secrets: [secret], publicTexts: [], markers: [{ ...marker, under: 'Backups' }] });
    assert.match(profileScanProblems(elsewhere).join('\n'), /did not find its markers.*log marker/);
  });
});
