import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import type { TreeRow, UiRequest, WalkthroughStepState } from '../integration/support/uiProtocol';
import { hoverRows, pageContent, quickInput } from './pageReading';

/**
 * A loopback bridge from the tests in the extension host to the workbench page: the tests ask,
 * Playwright reads or clicks the real DOM. The extension host cannot see the DOM by itself.
 */
export class UiDriver {
  private server: Server | undefined;
  private page: Page | undefined;
  /** alert/confirm/prompt dialogs opened by any frame: a hostile message that ran script would open one. */
  private dialogs = 0;

  constructor(
    private readonly screenshotDir: string,
    /** What the harness itself can do on a test's request (stop a simulator), by name. */
    private readonly hooks: Record<string, () => Promise<void>> = {},
  ) {}

  attach(page: Page): void {
    this.page = page;
    page.on('dialog', (dialog) => {
      this.dialogs++;
      void dialog.dismiss();
    });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      // The web build's tests call from a web worker on the workbench's origin: a cross-origin fetch.
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-private-network': 'true' };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
        res.end();
        return;
      }
      void this.handle(req).then(
        (result) => {
          res.writeHead(200, { ...cors, 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, result: result ?? null }));
        },
        (error: unknown) => {
          res.writeHead(500, { ...cors, 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const request = JSON.parse(Buffer.concat(chunks).toString() || '{}') as UiRequest;
    if (request.action === 'harness') {
      const hook = this.hooks[request.name] ?? fail(`The harness has no hook "${request.name}".`);
      await hook();
      return undefined;
    }
    const page = this.page;
    if (!page) {
      throw new Error('The workbench page is not open yet.');
    }
    switch (request.action) {
      case 'treeRows':
        return readTreeRows(page, request.viewTitle);
      case 'welcomeText':
        return page.locator(`${paneSelector(request.viewTitle)} .welcome-view-content`).innerText({ timeout: 5_000 });
      case 'hoverRow':
        // The mouse rests on the row's label, where VS Code shows the item's tooltip.
        await rowLocator(page, request.viewTitle, request.label).locator('.label-name').first().hover({ timeout: 5_000 });
        return undefined;
      case 'clickRow':
        await rowLocator(page, request.viewTitle, request.label).click({ button: request.button ?? 'left', timeout: 5_000 });
        return undefined;
      case 'editorContextMenu':
        await rightClickEditorText(page, request.text);
        await chooseMenuItem(page, request.item);
        return undefined;
      case 'chooseMenuItem':
        await chooseMenuItem(page, request.item);
        return undefined;
      case 'press':
        await page.keyboard.press(request.key);
        return undefined;
      case 'type':
        await page.keyboard.type(request.text);
        return undefined;
      case 'screenshot': {
        const path = join(this.screenshotDir, `${request.name}.png`);
        await page.screenshot({ path });
        // A small JPEG beside it, ready to ship if the README shows it.
        await page.screenshot({ path: join(this.screenshotDir, `${request.name}.jpg`), type: 'jpeg', quality: 60 });
        return path;
      }
      case 'visibleText':
        return page.locator(request.selector).allInnerTexts();
      case 'clickTitleAction': {
        // Title-bar buttons show while the pane's header is hovered, as for a person with a mouse.
        const pane = page.locator(paneSelector(request.viewTitle));
        await pane.locator('.pane-header').hover({ timeout: 5_000 });
        await pane.locator(`.pane-header .actions .action-label[aria-label^="${request.actionLabel}"]`).first().click({ timeout: 5_000 });
        return undefined;
      }
      case 'decideOnWebPage': {
        // Another tab of the same browser (the workbench's page owns its context).
        const browser = page.context().browser();
        if (!browser) {
          throw new Error('No browser to open another tab in.');
        }
        const tab = await browser.newPage();
        try {
          await tab.goto(request.url);
          await tab.locator('input[name="user_code"]').fill(request.code, { timeout: 5_000 });
          if (request.screenshot) {
            await tab.screenshot({ path: join(this.screenshotDir, `${request.screenshot}.png`) });
          }
          await tab.locator(`button[value="${request.decision}"]`).click({ timeout: 5_000 });
          return await tab.locator('[data-result]').first().getAttribute('data-result', { timeout: 5_000 });
        } finally {
          await tab.close();
        }
      }
      case 'timeClickToRows':
        return timeClickToRows(page, request.viewTitle, request.label, request.target);
      case 'clickText':
        // Fails loudly when nothing matches: a test that meant to click must not pass without the click.
        await page.locator(request.selector).filter({ hasText: request.text }).first().click({ timeout: 5_000 });
        return undefined;
      case 'webviewArticles':
        return webviewBody(page).evaluate(`(${READ_ARTICLES})()`, undefined, { timeout: 5_000 });
      case 'webviewText':
        return webviewBody(page).innerText({ timeout: 5_000 });
      case 'webviewProbe':
        return webviewBody(page).evaluate(`(${PROBE})()`, undefined, { timeout: 5_000 });
      case 'webviewScroll':
        // A real scroll of the page, as a wheel or the scrollbar makes: the page's scroll listener sees it.
        await webviewBody(page).evaluate(
          request.to === 'top' ? 'window.scrollTo(0, 0)' : 'window.scrollTo(0, document.documentElement.scrollHeight)',
          undefined,
          { timeout: 5_000 },
        );
        return undefined;
      case 'webviewClick':
        await webviewFrame(page)
          .locator(request.selector)
          .first()
          .click({ button: request.button ?? 'left', timeout: 5_000 });
        return undefined;
      case 'webviewFocus':
        await webviewFrame(page).locator(request.selector).first().focus({ timeout: 5_000 });
        return undefined;
      case 'dialogCount':
        return this.dialogs;
      case 'walkthroughSteps':
        return readWalkthroughSteps(page);
      case 'pageContent':
        return pageContent(page);
      case 'hoverRows':
        return hoverRows(page, paneSelector(request.viewTitle));
      case 'quickInput':
        return quickInput(page);
      case 'typeIntoQuickInput':
        return typeIntoQuickInput(page, request.text);
    }
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** The steps of the walkthrough shown in the Welcome editor, and whether each shows as done (its checkmark). */
async function readWalkthroughSteps(page: Page): Promise<WalkthroughStepState[]> {
  return page.locator('.getting-started-step[data-step-id]').evaluateAll((elements) =>
    (elements as unknown as WalkthroughStepDom[]).map((step) => ({
      id: step.getAttribute('data-step-id') ?? '',
      title: step.querySelector('.step-title')?.textContent ?? '',
      // The step's badge: a filled check (and aria-checked) once VS Code counts the step as done.
      done: step.getAttribute('aria-checked') === 'true' && step.querySelector('.codicon.complete') !== null,
    })),
  );
}

/** The little of a walkthrough step's DOM the harness reads. */
interface WalkthroughStepDom {
  querySelector(selector: string): { textContent: string | null } | null;
  getAttribute(name: string): string | null;
}

/** The visible webview's content: VS Code hosts it in iframe.webview, which holds the page in iframe#active-frame. */
function webviewFrame(page: Page) {
  return page.frameLocator('iframe.webview:visible').frameLocator('iframe#active-frame');
}

function webviewBody(page: Page) {
  return webviewFrame(page).locator('body');
}

/** Run inside the webview (as source text: the harness is not compiled against lib.dom). */
const READ_ARTICLES = `() => Array.from(document.querySelectorAll('[role="log"] article')).map((a) => ({
  id: a.id,
  ariaLabel: a.getAttribute('aria-label') || '',
  side: a.classList.contains('page') ? 'page' : a.classList.contains('person') ? 'person' : '',
  sender: (a.querySelector('.sender') || {}).textContent || '',
  time: (a.querySelector('time') || {}).textContent || '',
  text: (a.querySelector('.bubble') || {}).textContent || '',
  textElements: Array.from(a.querySelectorAll('.bubble .text *')).map((e) => e.tagName.toLowerCase()),
}))`;

const PROBE = `() => {
  const log = document.querySelector('[role="log"]');
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return {
    logRole: log ? log.getAttribute('role') : '',
    logLabel: log ? log.getAttribute('aria-label') || '' : '',
    articles: document.querySelectorAll('article').length,
    scripts: Array.from(document.scripts).map((s) => (s.closest('#app') ? 'in-app:' : '') + (s.getAttribute('src') || 'inline:' + (s.textContent || '').slice(0, 80))),
    images: Array.from(document.images).map((i) => i.getAttribute('src') || ''),
    scrollY: window.scrollY,
    scrollHeight: document.documentElement.scrollHeight,
    innerHeight: window.innerHeight,
    activeId: document.activeElement ? document.activeElement.id : '',
    status: (document.querySelector('.status') || {}).textContent || '',
    buttons: Array.from(document.querySelectorAll('button')).filter((b) => !b.hidden).map((b) => b.textContent || ''),
    dayHeadings: Array.from(document.querySelectorAll('h2.day')).map((h) => h.textContent || ''),
    csp: meta ? meta.getAttribute('content') || '' : '',
    themeId: document.body.getAttribute('data-vscode-theme-id') || '',
  };
}`;

function paneSelector(viewTitle: string): string {
  return `.pane:has(.pane-header[aria-label^="${viewTitle}"])`;
}

function rowLocator(page: Page, viewTitle: string, label: string) {
  return page
    .locator(`${paneSelector(viewTitle)} .monaco-list-row`)
    .filter({ hasText: label })
    .first();
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Clicks an item of the open context menu by its label. VS Code renders the menu in a shadow root
 * (`.shadow-root-host` in `.context-view`); Playwright's CSS selectors pierce open shadow roots.
 */
async function chooseMenuItem(page: Page, item: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout: 5_000 });
  const entry = menu.locator('.action-menu-item').filter({ has: page.locator('.action-label', { hasText: exactly(item) }) });
  if ((await entry.count()) === 0) {
    const shown = (await menu.locator('.action-label').allInnerTexts()).filter((t) => t.trim());
    await page.keyboard.press('Escape');
    throw new Error(`The context menu has no item "${item}"; it shows: ${shown.join(' | ')}`);
  }
  // A click that lands while the menu is still laid out (a live view redraws under it) can be lost: one more, then fail.
  for (let attempt = 0; attempt < 2; attempt++) {
    await entry.first().click({ timeout: 5_000 });
    if (
      await menu.waitFor({ state: 'hidden', timeout: 2_500 }).then(
        () => true,
        () => false,
      )
    ) {
      return;
    }
  }
  // Closed, so that it does not block the tests that follow.
  await page.keyboard.press('Escape');
  throw new Error(`Clicking "${item}" did not close the context menu: the item did not run.`);
}

/**
 * Where a text is drawn in the editor's lines: the middle of its characters, found with a DOM Range
 * over the line's text nodes (Monaco splits a line into token spans, and decorations split tokens).
 * Source text: the harness is not compiled against lib.dom.
 */
const TEXT_BOX = `(text) => {
  for (const line of document.querySelectorAll('.part.editor .editor-instance .monaco-editor .view-lines .view-line')) {
    const walker = document.createTreeWalker(line, 4);
    const nodes = [];
    let all = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node: node, from: all.length });
      all += node.textContent || '';
    }
    const at = all.indexOf(text);
    if (at < 0) {
      continue;
    }
    const locate = (offset) => {
      const hit = nodes.filter((n) => n.from <= offset).pop();
      return [hit.node, offset - hit.from];
    };
    const range = document.createRange();
    range.setStart(...locate(at));
    range.setEnd(...locate(at + text.length - 1));
    range.setEnd(range.endContainer, range.endOffset + 1);
    const r = range.getBoundingClientRect();
    if (r.width > 0) {
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
  }
  return null;
}`;

/** Right-clicks a text where the visible editor draws it, as a person does; Monaco moves the cursor there first. */
async function rightClickEditorText(page: Page, text: string): Promise<void> {
  const lines = page.locator('.part.editor .editor-instance .monaco-editor .view-lines').filter({ hasText: text }).first();
  await lines.waitFor({ state: 'visible', timeout: 5_000 });
  // An editor just shown may still draw the document it showed before, or shift as its bars appear:
  // the text's place counts only once two reads a few frames apart agree.
  const where = () => page.evaluate<{ x: number; y: number } | null>(`(${TEXT_BOX})(${JSON.stringify(text)})`);
  let box = await where();
  for (let settled = false, deadline = Date.now() + 5_000; !settled && Date.now() < deadline;) {
    await page.waitForTimeout(150);
    const again = await where();
    settled = box !== null && again !== null && box.x === again.x && box.y === again.y;
    box = again;
  }
  if (!box) {
    throw new Error(`The editor does not draw "${text}" on one line.`);
  }
  await page.mouse.click(box.x, box.y, { button: 'right' });
}

/** The little of the DOM the harness reads; the project is not compiled against lib.dom. */
interface DomRow {
  querySelector(selector: string): { textContent: string | null } | null;
  getAttribute(name: string): string | null;
  readonly classList: { contains(token: string): boolean };
}

/** The parts of the list's DOM the timing reads (the harness compiles without the DOM library). */
interface ListElement {
  querySelector(
    selector: string,
  ): { getAttribute(name: string): string | null; querySelector(selector: string): { textContent: string | null } | null } | null;
  readonly ownerDocument: { addEventListener(type: string, listener: () => void, options: object): void };
}

/** Milliseconds from the mouse press on a row to the frame showing its first child row, or another row in its place. */
async function timeClickToRows(page: Page, viewTitle: string, label: string, target: 'row' | 'twistie'): Promise<number> {
  const row = rowLocator(page, viewTitle, label);
  await row.scrollIntoViewIfNeeded({ timeout: 5_000 });
  const index = await row.getAttribute('data-index', { timeout: 5_000 });
  const level = Number((await row.getAttribute('aria-level')) ?? '0');
  const list = page.locator(`${paneSelector(viewTitle)} .monaco-list`).first();
  const watch = list.evaluate(
    (dom, [at, depth, text]) =>
      new Promise<number>((resolve, reject) => {
        const element = dom as unknown as ListElement;
        const nextFrame = (callback: () => void) =>
          (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(callback);
        let pressedAt: number | undefined;
        const onPress = () => {
          pressedAt = performance.now();
        };
        element.ownerDocument.addEventListener('mousedown', onPress, { capture: true, once: true });
        const deadline = performance.now() + 20_000;
        const done = (): boolean => {
          const next = element.querySelector(`.monaco-list-row[data-index="${Number(at) + 1}"]`);
          const same = element.querySelector(`.monaco-list-row[data-index="${at}"]`);
          const expanded = next !== null && Number(next.getAttribute('aria-level')) === Number(depth) + 1;
          const replaced = same !== null && (same.querySelector('.label-name')?.textContent ?? '') !== text;
          return expanded || replaced;
        };
        const frame = () => {
          if (pressedAt !== undefined && done()) {
            resolve(performance.now() - pressedAt);
          } else if (performance.now() > deadline) {
            reject(new Error('No rows appeared within 20 s of the click.'));
          } else {
            nextFrame(frame);
          }
        };
        nextFrame(frame);
      }),
    [index ?? '-1', String(level), label] as const,
  );
  await (target === 'twistie' ? row.locator('.monaco-tl-twistie') : row).click({ timeout: 5_000 });
  return watch;
}

async function readTreeRows(page: Page, viewTitle: string): Promise<TreeRow[]> {
  return page.locator(`${paneSelector(viewTitle)} .monaco-list-row`).evaluateAll((elements) =>
    (elements as unknown as DomRow[]).map((row) => ({
      label: row.querySelector('.label-name')?.textContent ?? '',
      description: row.querySelector('.label-description')?.textContent ?? '',
      ariaLabel: row.getAttribute('aria-label') ?? '',
      level: Number(row.getAttribute('aria-level') ?? '0'),
      expanded: row.getAttribute('aria-expanded') === null ? undefined : row.getAttribute('aria-expanded') === 'true',
      focused: row.classList.contains('focused'),
    })),
  );
}

/**
 * Types into the quick input's box as a person does: click into it, then key by key. Something else taking the
 * focus mid-typing (a view redrawn, a notification) sends the rest elsewhere, so the box is emptied and typed
 * into again, twice at most, until it holds every character.
 */
async function typeIntoQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input').first();
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.click({ timeout: 5_000 });
    await input.press('ControlOrMeta+a');
    await input.press('Backspace');
    await input.pressSequentially(text);
    if ((await input.inputValue()).length === text.length) {
      return;
    }
  }
  throw new Error(`The input box did not keep the ${text.length} characters typed into it, three times.`);
}
