import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Page } from 'playwright-core';
import { startSimulator } from '../../simulator/index';
import { startCodeServer } from './codeServer';
import {
  assertSame,
  connectSimulator,
  expectedArticleIds,
  openFirstThread,
  runCommand,
  shownArticles,
  threadTitled,
  transcriptFrame,
} from './conversationSteps';
import { ensureToolchain } from './toolchain';
import { openWorkbench } from './workbench';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/** Every value of the page's IndexedDB databases that mentions `needle`: where the web workbench keeps editor state. */
async function storedValuesMentioning(page: Page, needle: string): Promise<string[]> {
  // Source text: the harness is not compiled against lib.dom.
  return page.evaluate(`(async (needle) => {
    const found = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, fail) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise((ok, fail) => {
          const r = db.transaction(store, 'readonly').objectStore(store).getAll();
          r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
        });
        for (const value of values) {
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          if (text && text.includes(needle)) found.push(text);
        }
      }
      db.close();
    }
    return found;
  })(${JSON.stringify(needle)})`);
}

/**
 * A real window reload in VS Code (code-server): connect to the simulator and open a thread through
 * the UI, run Developer: Reload Window, and read the workbench the reload brings back. The panel is
 * only back if VS Code kept its webview state and the extension's serializer restored it; the
 * extension host of the first window is gone by then, so this runs from the harness.
 */
export async function conversationSurvivesReload(): Promise<void> {
  const toolchain = await ensureToolchain();
  const sim = await startSimulator({ seed: 1 });
  const workspace = mkdtempSync(join(tmpdir(), 'mx-reload-'));
  const server = await startCodeServer(toolchain, {});
  const workbench = await openWorkbench({ serverUrl: server.url, folder: workspace, extensionDevelopmentPath: PROJECT_ROOT });
  const page = workbench.page;
  try {
    await connectSimulator(page, sim);
    const title = await openFirstThread(page, sim);
    const before = await shownArticles(page);
    assertSame(
      before.map((a) => a.id),
      expectedArticleIds(sim, title, before.length),
      'before the reload, the newest messages oldest first',
    );

    const reloaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;

    // Back: a tab with the same title whose webview lists the same bubbles.
    await page.locator('.tabs-container .tab .label-name', { hasText: title }).first().waitFor({ timeout: 60_000 });
    await transcriptFrame(page).locator('[role="log"] article').first().waitFor({ timeout: 60_000 });
    const after = await shownArticles(page);
    assertSame(
      after.map((a) => a.id),
      before.map((a) => a.id),
      'after the reload, the same bubbles',
    );
    assertSame((await page.locator('.tabs-container .tab.active .label-name').innerText()).trim(), title, 'the restored tab');

    // What made it back: the thread's ID in the saved webview state, and no credential there or in the page.
    const threadId = threadTitled(sim, title).id;
    const states = (await storedValuesMentioning(page, 'messengerExplorer.conversation')).filter((v) => v.includes(threadId));
    if (states.length === 0) {
      throw new Error(`No saved webview state names the thread ${threadId}.`);
    }
    const html = await transcriptFrame(page)
      .locator('html')
      .evaluate((e) => (e as unknown as { outerHTML: string }).outerHTML);
    for (const secret of sim.world.secrets()) {
      if (states.some((s) => s.includes(secret)) || html.includes(secret)) {
        throw new Error(`A credential (${secret.slice(0, 12)}…) is in the saved webview state or the transcript's HTML.`);
      }
    }
  } catch (error) {
    await page.screenshot({ path: join(PROJECT_ROOT, 'screenshots', 'tests', 'conversation-reload-failure.png') }).catch(() => undefined);
    throw error;
  } finally {
    await workbench.close();
    await server.stop();
    await sim.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}
