import { format } from 'node:util';
import { Browser, chromium, Page } from 'playwright-core';
import { CHROMIUM } from './toolchain';

export interface WorkbenchOptions {
  readonly serverUrl: string;
  readonly folder: string;
  readonly extensionDevelopmentPath?: string;
  readonly extensionTestsPath?: string;
  readonly viewport?: { width: number; height: number };
  /** Called with each line the extension host's tests print (mocha's reporter output). */
  readonly onTestLog?: (line: string) => void;
  /** Called once the tests finish, with 0 when all passed. */
  readonly onTestExit?: (code: number) => void;
}

export interface Workbench {
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Opens the VS Code workbench served by code-server in headless Chromium. */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    options.onTestLog?.(format(...(Array.isArray(args) ? args : [args])));
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    options.onTestExit?.(code);
  });

  const authority = new URL(options.serverUrl).host;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${options.extensionDevelopmentPath}`]);
  }
  if (options.extensionTestsPath) {
    payload.push(['extensionTestsPath', `vscode-remote://${authority}${options.extensionTestsPath}`]);
  }
  const query = new URLSearchParams({ folder: options.folder });
  if (payload.length > 0) {
    query.set('payload', JSON.stringify(payload));
  }
  await page.goto(`${options.serverUrl}/?${query.toString()}`);
  return {
    browser,
    page,
    async close() {
      await browser.close();
    },
  };
}

/** Clicks the extension's activity-bar item and waits for its view to render. */
export async function openActivityBarItem(page: Page, title: string): Promise<void> {
  const item = page.locator(`.activitybar .action-label[aria-label^="${title}"]`);
  await item.waitFor({ timeout: 30_000 });
  await item.click();
}
