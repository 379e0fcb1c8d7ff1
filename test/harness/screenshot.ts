import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCodeServer } from './codeServer';
import { ensureToolchain } from './toolchain';
import { openActivityBarItem, openWorkbench } from './workbench';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const OUT = join(PROJECT_ROOT, 'screenshots');

/** `npm run screenshot`: opens the workbench with the extension and writes PNGs of the sidebar. */
async function main(): Promise<void> {
  const toolchain = ensureToolchain();
  mkdirSync(OUT, { recursive: true });
  const workspace = mkdtempSync(join(tmpdir(), 'mx-shot-'));
  const server = await startCodeServer(toolchain, { userSettings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  const workbench = await openWorkbench({ serverUrl: server.url, folder: workspace, extensionDevelopmentPath: PROJECT_ROOT });
  try {
    const page = workbench.page;
    await openActivityBarItem(page, 'Messenger Explorer');
    await page.locator('.pane:has(.pane-header[aria-label^="Conversations"]) .welcome-view-content').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    const file = join(OUT, 'sidebar-welcome.png');
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
  } finally {
    await workbench.close();
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
