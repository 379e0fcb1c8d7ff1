import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Page } from 'playwright-core';
import { startSimulator } from '../../simulator/index';
import { startCodeServer } from './codeServer';
import { ensureToolchain } from './toolchain';
import { openActivityBarItem, openWorkbench } from './workbench';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const OUT = join(PROJECT_ROOT, 'screenshots');

/**
 * `npm run screenshot`: drives the extension like a new user (welcome view → connect to a local
 * simulator → expand a Page, a thread, a message) and writes PNGs of what they see.
 */
async function main(): Promise<void> {
  const toolchain = ensureToolchain();
  mkdirSync(OUT, { recursive: true });
  const workspace = mkdtempSync(join(tmpdir(), 'mx-shot-'));
  const sim = await startSimulator({ seed: 1 });
  const server = await startCodeServer(toolchain, { userSettings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  const workbench = await openWorkbench({ serverUrl: server.url, folder: workspace, extensionDevelopmentPath: PROJECT_ROOT });
  const shot = async (page: Page, name: string) => {
    await page.waitForTimeout(600);
    const file = join(OUT, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
  };
  try {
    const page = workbench.page;
    await openActivityBarItem(page, 'Messenger Explorer');
    const conversations = page.locator('.pane:has(.pane-header[aria-label^="Conversations"])');
    await conversations.locator('.welcome-view-content').waitFor({ timeout: 30_000 });
    await shot(page, 'sidebar-welcome');

    await conversations.getByRole('button', { name: 'Connect to Local Simulator' }).click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(sim.url);
    await input.press('Enter');
    const firstPage = sim.world.pages[0];
    if (!firstPage) {
      throw new Error('The simulator has no Pages.');
    }
    const row = (label: string) => conversations.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    await row(firstPage.name).waitFor({ timeout: 30_000 });
    await row(firstPage.name).click();
    await row('Messenger').click();
    await conversations.locator('.monaco-list-row[aria-level="3"]').first().waitFor({ timeout: 15_000 });
    await conversations.locator('.monaco-list-row[aria-level="3"]').first().click();
    const message = conversations.locator('.monaco-list-row[aria-level="4"]').first();
    await message.waitFor({ timeout: 15_000 });
    await shot(page, 'tree');
    await message.click();
    await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 15_000 });
    await shot(page, 'message-detail');
    // Make room: fold the other views, open Accounts (a click on an open header would fold it).
    for (const [title, open] of [['Conversations', false], ['Linked IDs', false], ['Accounts', true]] as const) {
      const header = page.locator(`.pane-header[aria-label^="${title}"]`);
      if ((await header.getAttribute('aria-expanded')) !== String(open)) {
        await header.click();
      }
    }
    await shot(page, 'accounts');
  } catch (error) {
    await shot(workbench.page, 'failure');
    throw error;
  } finally {
    await workbench.close();
    await server.stop();
    await sim.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
