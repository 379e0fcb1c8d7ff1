import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
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
/**
 * The README shows its pictures at about half width: at most 1,024 px wide (drawn by the browser
 * from the full-size capture) they stay readable and keep the .vsix within its budget.
 */
async function writeReadmeJpeg(browser: Browser, png: Buffer, path: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 }, deviceScaleFactor: 1 });
  try {
    await page.setContent(
      `<body style="margin:0"><img id="shot" style="max-width:1024px" src="data:image/png;base64,${png.toString('base64')}"></body>`,
    );
    await page.waitForFunction('document.getElementById("shot").complete');
    await page.locator('#shot').screenshot({ path, type: 'jpeg', quality: 60 });
  } finally {
    await page.close();
  }
}

async function capture(locale: Locale, only?: 'bot-loop'): Promise<void> {
  const toolchain = await ensureToolchain();
  const out = OUT[locale];
  const review = join(PROJECT_ROOT, 'screenshots', locale);
  mkdirSync(out, { recursive: true });
  mkdirSync(review, { recursive: true });
  const nls = manifestStrings(locale);
  const workspace = mkdtempSync(join(tmpdir(), 'mx-shot-'));
  const sim = await startSimulator({ seed: 1 });
  const bot = only === 'bot-loop' ? await startEchoBot(sim) : undefined;
  const server = await startCodeServer(toolchain, {
    userSettings: { 'workbench.colorTheme': 'Default Dark Modern' },
    locale,
    env: { MESSENGER_EXPLORER_SIMULATOR_URL: sim.connectUrl },
  });
  const workbench = await openWorkbench({ serverUrl: server.url, folder: workspace, extensionDevelopmentPath: PROJECT_ROOT });
  const page = workbench.page;
  const shot = async (name: string, target: Page | Locator = page, clip?: { x: number; y: number; width: number; height: number }) => {
    if (locale !== 'en' && !JAPANESE_SHOTS.has(name)) {
      return;
    }
    // No hover from the last click covers the picture.
    await page.mouse.move(700, 700);
    await page.locator('.context-view .hover-contents').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForTimeout(700);
    const path = join(out, `${name}.jpg`);
    // A lossless copy in the git-ignored folder, for reviewing what users will see.
    const png = await target.screenshot({ path: join(review, `${name}.png`), ...(clip ? { clip } : {}) });
    await writeReadmeJpeg(workbench.browser, png, path);
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
  /** The pointer leaves the rows and a row's hover closes, so it covers nothing the next click aims at. */
  const dismissHover = async () => {
    await page.mouse.move(700, 700);
    await page.keyboard.press('Escape');
    await page.locator('.context-view .hover-contents').waitFor({ state: 'hidden', timeout: 10_000 });
  };
  const showOnly = async (openKey: string) => {
    // A click on an open header folds it, so only headers in the wrong state are clicked.
    for (const key of ['view.conversations', 'view.linkedIds', 'view.accounts']) {
      const header = page.locator(`.pane-header[aria-label^="${nls[key]}"]`);
      if ((await header.getAttribute('aria-expanded')) !== String(key === openKey)) {
        await dismissHover();
        await header.click();
      }
    }
  };
  try {
    // A new user's first window: the walkthrough opens by itself.
    await page.locator('.gettingStartedContainer').waitFor({ timeout: 30_000 });
    if (!only) {
      await shot('walkthrough');
    }
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
    // The pointer leaves the rows, so a row's hover does not cover the next row to click.
    await dismissHover();
    await row('Messenger').click();
    const thread = conversations.locator('.monaco-list-row[aria-level="3"]').first();
    await thread.waitFor({ timeout: 15_000 });
    // A click on a thread opens it as a conversation; its twistie lists the messages in the tree.
    await thread.click();
    const transcript = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await transcript.locator('article').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    if (only === 'bot-loop') {
      // The loop: write as the person in the composer; the example bot's echo lands in the
      // transcript, and each webhook delivery shows in the Webhook Deliveries view.
      const text = locale === 'ja' ? 'こんにちは、注文の状況は？' : 'Hi! Where is my order?';
      await transcript.locator('textarea.compose-text').fill(text);
      await transcript.locator('button.as-person').click();
      await transcript
        .locator('article', { hasText: `Echo: ${text}` })
        .first()
        .waitFor({ timeout: 20_000 });
      // Wider side bar, so a delivery's fields and status read in full.
      const sidebar = await page.locator('.part.sidebar').boundingBox();
      if (sidebar) {
        const y = sidebar.y + sidebar.height / 2;
        await page.mouse.move(sidebar.x + sidebar.width + 1, y);
        await page.mouse.down();
        await page.mouse.move(sidebar.x + sidebar.width + 230, y, { steps: 8 });
        await page.mouse.up();
      }
      const deliveriesHeader = page.locator(`.pane-header[aria-label^="${nls['view.deliveries']}"]`);
      if ((await deliveriesHeader.getAttribute('aria-expanded')) !== 'true') {
        await deliveriesHeader.click();
      }
      await pane('view.deliveries').locator('.monaco-list-row', { hasText: 'message_echoes' }).first().waitFor({ timeout: 15_000 });
      await transcript.locator('textarea.compose-text').fill('');
      // Only the loop (the person's message, the bot's echo, the composer, the deliveries): the
      // .vsix ships every screenshot and has a size budget.
      const asked = await transcript.locator('article', { hasText: text }).first().boundingBox();
      const viewport = page.viewportSize();
      const top = Math.max(0, (asked?.y ?? 0) - 32);
      const clip = viewport ? { x: 0, y: top, width: viewport.width, height: viewport.height - 24 - top } : undefined;
      await shot('bot-loop', page, clip);
      return;
    }
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
    // The menu settles (its items move in as it opens) before an item is clicked.
    await page.locator('.monaco-menu .action-label').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
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
    bot?.kill();
    await workbench.close();
    await server.stop();
    await sim.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The example bot (examples/echo-bot) for the first Page, subscribed to the simulator's webhooks. */
async function startEchoBot(sim: Awaited<ReturnType<typeof startSimulator>>): Promise<{ kill(): void }> {
  const page = sim.world.pages[0] ?? assert('the simulator has Pages');
  const secret = sim.world.app(page.appId)?.secret ?? assert('its app');
  const verifyToken = 'screenshot-verify';
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'examples', 'echo-bot', 'index.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      GRAPH_URL: `${sim.url}/v26.0`,
      PAGE_TOKEN: page.accessToken,
      APP_SECRET: secret,
      VERIFY_TOKEN: verifyToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`The example bot did not start: ${out}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+\/webhook)/.exec(out)?.[1];
      if (found) {
        clearTimeout(timer);
        resolvePromise(found);
      }
    });
  });
  const subscribed = await sim.subscribeWebhook(url, verifyToken, 10_000);
  if (!subscribed.ok) {
    child.kill();
    throw new Error(subscribed.message);
  }
  return { kill: () => child.kill() };
}

function assert(what: string): never {
  throw new Error(`Expected ${what}.`);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--locale');
  const locales: Locale[] = i >= 0 ? [process.argv[i + 1] as Locale] : ['en', 'ja'];
  // `--only bot-loop`: just the bot developer's loop (conversation composer + Webhook Deliveries).
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && only !== 'bot-loop') {
    throw new Error('--only takes bot-loop');
  }
  for (const locale of locales) {
    if (!(locale in OUT)) {
      throw new Error(`--locale must be one of ${Object.keys(OUT).join(', ')}`);
    }
    if (!only) {
      await capture(locale);
    }
    if (locale === 'en') {
      await capture(locale, 'bot-loop');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
