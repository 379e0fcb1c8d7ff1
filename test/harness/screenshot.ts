import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Locator, Page } from 'playwright-core';
import { startSimulator } from '../../simulator/index';
import { startCodeServer } from './codeServer';
import { ensureToolchain } from './toolchain';
import { openActivityBarItem, openWorkbench } from './workbench';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
/** The shots ship in the .vsix, so the README's images also show in VS Code's extension page. */
const OUT: Record<Locale, string> = {
  en: join(PROJECT_ROOT, 'media', 'screenshots'),
  ja: join(PROJECT_ROOT, 'media', 'screenshots', 'ja'),
};
/** The Japanese README section shows these; the rest would only repeat the English ones. */
const JAPANESE_SHOTS = new Set(['walkthrough', 'tree', 'conversation', 'linked-ids']);
type Locale = 'en' | 'ja';

function manifestStrings(locale: Locale): Record<string, string> {
  const file = locale === 'en' ? 'package.nls.json' : `package.nls.${locale}.json`;
  return JSON.parse(readFileSync(join(PROJECT_ROOT, file), 'utf8')) as Record<string, string>;
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * `npm run screenshot [-- --locale en|ja]`: drives the extension like a new user (the walkthrough
 * on first run → the welcome view → connect to a local simulator → a Page, a thread, a message →
 * a sample webhook event whose sender is resolved → the accounts) and writes what they see.
 */
async function capture(locale: Locale): Promise<void> {
  const toolchain = await ensureToolchain();
  const out = OUT[locale];
  const review = join(PROJECT_ROOT, 'screenshots', locale);
  mkdirSync(out, { recursive: true });
  mkdirSync(review, { recursive: true });
  const nls = manifestStrings(locale);
  const workspace = mkdtempSync(join(tmpdir(), 'mx-shot-'));
  const sim = await startSimulator({ seed: 1 });
  const server = await startCodeServer(toolchain, {
    userSettings: { 'workbench.colorTheme': 'Default Dark Modern' },
    locale,
    env: { MESSENGER_EXPLORER_SIMULATOR_URL: sim.connectUrl },
  });
  const workbench = await openWorkbench({ serverUrl: server.url, folder: workspace, extensionDevelopmentPath: PROJECT_ROOT });
  const page = workbench.page;
  const shot = async (name: string, target: Page | Locator = page) => {
    if (locale !== 'en' && !JAPANESE_SHOTS.has(name)) {
      return;
    }
    await page.waitForTimeout(700);
    const path = join(out, `${name}.jpg`);
    await target.screenshot({ path, type: 'jpeg', quality: 60 });
    // A lossless copy in the git-ignored folder, for reviewing what users will see.
    await target.screenshot({ path: join(review, `${name}.png`) });
    console.log(`wrote ${path}`);
  };
  const runCommand = async (title: string) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${nls.category}: ${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
    await input.press('Enter');
  };
  const pane = (titleKey: string) => page.locator(`.pane:has(.pane-header[aria-label^="${nls[titleKey]}"])`);
  const showOnly = async (openKey: string) => {
    // A click on an open header folds it, so only headers in the wrong state are clicked.
    for (const key of ['view.conversations', 'view.linkedIds', 'view.accounts']) {
      const header = page.locator(`.pane-header[aria-label^="${nls[key]}"]`);
      if ((await header.getAttribute('aria-expanded')) !== String(key === openKey)) {
        await header.click();
      }
    }
  };
  try {
    // A new user's first window: the walkthrough opens by itself.
    await page.locator('.gettingStartedContainer').waitFor({ timeout: 30_000 });
    await shot('walkthrough');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+W');

    await openActivityBarItem(page, nls['container.title']);
    const conversations = pane('view.conversations');
    await conversations.locator('.welcome-view-content').waitFor({ timeout: 30_000 });

    await conversations.getByRole('button', { name: nls['command.connectSimulator'].replace(/…$/, '') }).click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(sim.connectUrl);
    await input.press('Enter');
    const row = (label: string) =>
      conversations.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exactly(label) }) }).first();
    const firstPage = sim.world.pages[0] ?? assert('the simulator has Pages');
    await row(firstPage.name).waitFor({ timeout: 30_000 });
    await showOnly('view.conversations');
    await row(firstPage.name).click();
    await row('Messenger').click();
    const thread = conversations.locator('.monaco-list-row[aria-level="3"]').first();
    await thread.waitFor({ timeout: 15_000 });
    // A click on a thread opens it as a conversation; its twistie lists the messages in the tree.
    await thread.click();
    const transcript = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await transcript.locator('article').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    await shot('conversation');
    await thread.locator('.monaco-tl-twistie').click();
    const message = conversations.locator('.monaco-list-row[aria-level="4"]').first();
    await message.waitFor({ timeout: 15_000 });
    await shot('tree');
    await message.click();
    await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 15_000 });
    await shot('message-detail');

    // Resolve the sender of a sample webhook event from the editor's context menu.
    await runCommand(nls['command.openSampleWebhook']);
    const sender = page.locator('.editor-instance .view-line', { hasText: '"id"' }).nth(1);
    await sender.waitFor({ timeout: 15_000 });
    const psid = page.locator('.editor-instance .view-line span span', { hasText: /^"\d{6,}"$/ }).nth(1);
    await psid.click({ button: 'right' });
    await page
      .locator('.monaco-menu .action-label', { hasText: exactly(nls['command.resolveAtCursor']) })
      .first()
      .click();
    await showOnly('view.linkedIds');
    await pane('view.linkedIds').locator('.monaco-list-row[aria-level="2"]').first().waitFor({ timeout: 15_000 });
    await shot('linked-ids');

    await showOnly('view.accounts');
    await pane('view.accounts').locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
    await shot('accounts');
  } catch (error) {
    await page.screenshot({ path: join(review, 'failure.png') });
    throw error;
  } finally {
    await workbench.close();
    await server.stop();
    await sim.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function assert(what: string): never {
  throw new Error(`Expected ${what}.`);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--locale');
  const locales: Locale[] = i >= 0 ? [process.argv[i + 1] as Locale] : ['en', 'ja'];
  for (const locale of locales) {
    if (!(locale in OUT)) {
      throw new Error(`--locale must be one of ${Object.keys(OUT).join(', ')}`);
    }
    await capture(locale);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
