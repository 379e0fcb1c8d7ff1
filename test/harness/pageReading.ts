import { Page } from 'playwright-core';
import type { HoveredRow, PageContent, QuickInputState } from '../integration/support/uiProtocol';

/*
 * What the leak scan reads in the workbench page: every frame's DOM, the browser storage web VS Code
 * keeps its state in, the hover each tree row opens, and the quick input while it is open. Scripts
 * run in the page are source text: the harness is not compiled against lib.dom.
 */

/** The frame's HTML plus the value of each field that is not a password field (a value is not in the HTML). */
const FRAME = `() => ({
  html: document.documentElement ? document.documentElement.outerHTML : '',
  values: Array.from(document.querySelectorAll('input, textarea'))
    .filter((e) => (e.getAttribute('type') || '').toLowerCase() !== 'password')
    .map((e) => e.value || ''),
})`;

const STORAGE = `async () => {
  const asText = (v) => {
    if (typeof v === 'string') return v;
    if (v instanceof ArrayBuffer) v = new Uint8Array(v);
    if (ArrayBuffer.isView(v)) return Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), (b) => String.fromCharCode(b)).join('');
    try { return JSON.stringify(v); } catch { return String(v); }
  };
  const done = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
  const out = [];
  for (const info of await indexedDB.databases()) {
    const db = await done(indexedDB.open(info.name));
    for (const store of Array.from(db.objectStoreNames)) {
      const objects = db.transaction(store, 'readonly').objectStore(store);
      const [keys, values] = await Promise.all([done(objects.getAllKeys()), done(objects.getAll())]);
      out.push({ name: 'IndexedDB ' + info.name + '/' + store, text: keys.map((k, i) => asText(k) + ' = ' + asText(values[i])).join('\\n') });
    }
    db.close();
  }
  for (const [name, area] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
    const lines = [];
    for (let i = 0; i < area.length; i++) lines.push(area.key(i) + ' = ' + area.getItem(area.key(i)));
    out.push({ name, text: lines.join('\\n') });
  }
  return out;
}`;

export async function pageContent(page: Page): Promise<PageContent> {
  const frames: PageContent['frames'][number][] = [];
  for (const frame of page.frames()) {
    try {
      const read = await frame.evaluate<{ html: string; values: string[] }>(`(${FRAME})()`);
      frames.push({ url: frame.url(), ...read });
    } catch (error) {
      // A frame that navigates away while read: say so rather than skip it silently.
      frames.push({ url: frame.url(), html: '', values: [`(unreadable: ${error instanceof Error ? error.message : String(error)})`] });
    }
  }
  const storage = await page.evaluate<PageContent['storage']>(`(${STORAGE})()`);
  return { frames, storage };
}

const HOVER = '.workbench-hover, .monaco-hover:not(.hidden)';

export async function hoverRows(page: Page, paneSelector: string): Promise<HoveredRow[]> {
  const rows = page.locator(`${paneSelector} .monaco-list-row`);
  const out: HoveredRow[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const label = (await row.locator('.label-name').first().textContent({ timeout: 5_000 })) ?? '';
    await row.hover({ timeout: 5_000 });
    const hover = page.locator(HOVER).last();
    let text = '';
    try {
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      text = await hover.innerText({ timeout: 2_000 });
    } catch {
      // No tooltip on this row: the caller checks which rows must have one.
    }
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await page
      .locator(HOVER)
      .first()
      .waitFor({ state: 'hidden', timeout: 3_000 })
      .catch(() => undefined);
    out.push({ label, hover: text });
  }
  return out;
}

export async function quickInput(page: Page): Promise<QuickInputState> {
  const widget = page.locator('.quick-input-widget');
  if (!(await widget.isVisible())) {
    return { open: false, inputType: '', html: '', value: '', length: 0 };
  }
  const input = widget.locator('input.input').first();
  const inputType = (await input.getAttribute('type')) ?? 'text';
  return {
    open: true,
    inputType,
    html: await widget.evaluate((e) => (e as unknown as { outerHTML: string }).outerHTML),
    value: inputType === 'password' ? '' : await input.inputValue(),
    length: (await input.inputValue()).length,
  };
}
