import { Page } from 'playwright-core';
import type { Conversation, GraphSimulator } from '../../simulator/index';

/**
 * What a person does and sees around a conversation panel, in a workbench page driven from the
 * harness (code-server or the web build): no extension host code, only the DOM.
 */

/** A message bubble as the transcript shows it. */
export interface ShownArticle {
  readonly id: string;
  readonly text: string;
}

export const domId = (messageId: string): string => `m-${messageId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The visible webview's page: VS Code hosts it in iframe.webview, which holds it in iframe#active-frame. */
export function transcriptFrame(page: Page) {
  return page.frameLocator('iframe.webview:visible').frameLocator('iframe#active-frame');
}

/**
 * Runs a command from the palette, by its title, as a person does. Opened again when something
 * takes the focus away first (the walkthrough opens itself on a first run).
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) {
        throw error;
      }
      await page.keyboard.press('Escape');
    }
  }
  await input.press('Enter');
}

/** Connect to Local Simulator, with the address the simulator printed (key included). */
export async function connectSimulator(page: Page, sim: GraphSimulator): Promise<void> {
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  await runCommand(page, 'Messenger Explorer: Connect to Local Simulator');
  // The palette turns into the address box: type only once the box is the one shown.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Connect to Local Simulator' }).waitFor({ timeout: 10_000 });
  const input = page.locator('.quick-input-widget input');
  await input.fill(sim.connectUrl);
  const widget = page.locator('.quick-input-widget');
  for (let attempt = 1; ; attempt++) {
    await input.press('Enter');
    try {
      await widget.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (error) {
      // An Enter pressed while the box was still taking the typed address can be lost.
      if (attempt === 3) {
        throw error;
      }
    }
  }
}

/**
 * Opens the first Messenger thread of the simulator's first Page from the Conversations view (a
 * click on its row) and answers the tab's title once the transcript shows its bubbles.
 */
export async function openFirstThread(page: Page, sim: GraphSimulator): Promise<string> {
  const view = page.locator('.pane:has(.pane-header[aria-label^="Conversations"])');
  const firstPage = sim.world.pages[0];
  if (!firstPage) {
    throw new Error('The simulator has no Page.');
  }
  const pageRow = view.locator('.monaco-list-row[aria-level="1"]', { hasText: firstPage.name }).first();
  for (let attempt = 1; ; attempt++) {
    // A click on the icon of the container already shown hides the sidebar (Connect may have shown it).
    if (!(await view.isVisible())) {
      await page.locator('.activitybar .action-label[aria-label^="Messenger Explorer"]').click({ timeout: 30_000 });
    }
    try {
      await pageRow.waitFor({ timeout: 15_000 });
      break;
    } catch (error) {
      if (attempt === 3) {
        throw error;
      }
    }
  }
  if ((await pageRow.getAttribute('aria-expanded')) !== 'true') {
    await pageRow.click();
  }
  // A Page with Instagram groups its threads by platform; a Messenger-only Page lists them itself.
  await view.locator('.monaco-list-row[aria-level="2"]').first().waitFor({ timeout: 15_000 });
  const messenger = view.locator('.monaco-list-row[aria-level="2"]', { hasText: /^Messenger/ }).first();
  const grouped = (await messenger.count()) > 0;
  if (grouped && (await messenger.getAttribute('aria-expanded')) !== 'true') {
    await messenger.click();
  }
  // Grouped: the row right under Messenger (an expanded Instagram group may draw its threads first).
  const thread = grouped
    ? view.locator(`.monaco-list-row[aria-level="3"][data-index="${Number(await messenger.getAttribute('data-index')) + 1}"]`)
    : view.locator('.monaco-list-row[aria-level="2"]').first();
  await thread.waitFor({ timeout: 15_000 });
  await thread.click();
  await transcriptFrame(page).locator('[role="log"] article').first().waitFor({ timeout: 30_000 });
  return (await page.locator('.tabs-container .tab.active .label-name').innerText({ timeout: 10_000 })).trim();
}

/** The bubbles of the visible transcript, top to bottom. */
export async function shownArticles(page: Page): Promise<ShownArticle[]> {
  return transcriptFrame(page)
    .locator('[role="log"] article')
    .evaluateAll((elements) =>
      (elements as unknown as { id: string; querySelector(s: string): { textContent: string | null } | null }[]).map((a) => ({
        id: a.id,
        text: a.querySelector('.bubble')?.textContent ?? '',
      })),
    );
}

/** The simulator's Messenger thread a panel titled `title` shows ("Person · Page · Messenger"). */
export function threadTitled(sim: GraphSimulator, title: string): Conversation {
  const [person, pageName] = title.split(' · ');
  const page = sim.world.pages.find((p) => p.name === pageName);
  const threads = (sim.world.conversations.get(page?.id ?? '') ?? []).filter(
    (c) => c.platform === 'messenger' && sim.world.people[c.personIndex]?.name === person,
  );
  const [thread, ...others] = threads;
  if (!thread || others.length > 0) {
    throw new Error(`Expected one Messenger thread titled "${title}" in the simulator, found ${threads.length}.`);
  }
  return thread;
}

/** The DOM IDs of the thread's newest `count` messages in the order a transcript lists them: oldest first. */
export function expectedArticleIds(sim: GraphSimulator, title: string, count: number): string[] {
  return sim.world
    .messages(threadTitled(sim, title))
    .slice(0, count)
    .reverse()
    .map((m) => domId(m.id));
}

export function assertSame<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new Error(`${what}: expected ${e}, got ${a}`);
  }
}
