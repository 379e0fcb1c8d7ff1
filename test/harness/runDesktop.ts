import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * `npm run test:desktop`: the same integration suite in VS Code desktop, downloaded by
 * @vscode/test-electron. Needs internet access to the VS Code update server; UI-driver checks
 * that need the harness's Playwright bridge are skipped there.
 */
async function main(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'mx-desktop-'));
  await runTests({
    version: '1.96.0',
    extensionDevelopmentPath: PROJECT_ROOT,
    extensionTestsPath: join(PROJECT_ROOT, 'out', 'test', 'integration', 'index.js'),
    // A new profile each run, as code-server gets: the first-run suite watches the first activation in it.
    launchArgs: [
      workspace,
      '--user-data-dir',
      mkdtempSync(join(tmpdir(), 'mx-desktop-profile-')),
      '--disable-extensions',
      '--disable-workspace-trust',
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
