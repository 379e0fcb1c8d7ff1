import * as vscode from 'vscode';
import {
  HoveredRow,
  PageContent,
  QuickInputState,
  TreeRow,
  UI_DRIVER_ENV,
  UiRequest,
  WalkthroughStepState,
  WebviewArticle,
  WebviewProbe,
} from './uiProtocol';

/**
 * The driver's address. Written out as `process.env.MESSENGER_EXPLORER_UI_DRIVER` (UI_DRIVER_ENV) so
 * that the web suite's bundler can put the value in: a web worker has no environment.
 */
function driverUrl(): string | undefined {
  return process.env.MESSENGER_EXPLORER_UI_DRIVER;
}

/** The UI driver, when the harness provides one (code-server or the web workbench, + Playwright); absent under test-electron. */
export function uiDriverAvailable(): boolean {
  return Boolean(driverUrl());
}

async function send<T>(request: UiRequest): Promise<T> {
  const base = driverUrl();
  if (!base) {
    throw new Error(`No UI driver: ${UI_DRIVER_ENV} is not set (run the suite through npm test).`);
  }
  const response = await fetch(base, { method: 'POST', body: JSON.stringify(request) });
  const body = (await response.json()) as { ok: boolean; result: T; error?: string };
  if (!body.ok) {
    throw new Error(`UI driver: ${body.error ?? 'failed'}`);
  }
  return body.result;
}

export const ui = {
  treeRows: (viewTitle: string) => send<TreeRow[]>({ action: 'treeRows', viewTitle }),
  welcomeText: (viewTitle: string) => send<string>({ action: 'welcomeText', viewTitle }),
  clickRow: (viewTitle: string, label: string, button?: 'left' | 'right') => send<void>({ action: 'clickRow', viewTitle, label, button }),
  hoverRow: (viewTitle: string, label: string) => send<void>({ action: 'hoverRow', viewTitle, label }),
  /** Right-clicks a text in the visible editor and picks a context-menu item, as a person does. */
  editorContextMenu: (text: string, item: string) => send<void>({ action: 'editorContextMenu', text, item }),
  /** Picks an item of the open context menu (after a right-click), by its label. */
  chooseMenuItem: (item: string) => send<void>({ action: 'chooseMenuItem', item }),
  press: (key: string) => send<void>({ action: 'press', key }),
  type: (text: string) => send<void>({ action: 'type', text }),
  screenshot: (name: string) => send<string>({ action: 'screenshot', name }),
  visibleText: (selector: string) => send<string[]>({ action: 'visibleText', selector }),
  clickText: (selector: string, text: string) => send<void>({ action: 'clickText', selector, text }),
  clickTitleAction: (viewTitle: string, actionLabel: string) => send<void>({ action: 'clickTitleAction', viewTitle, actionLabel }),
  /**
   * Clicks a row (or its twistie) and measures, in the page, the time from the mouse press to the
   * frame that shows what the click brought: the first child row under it, or, for a row that is
   * replaced (Load more…), another row in its place.
   */
  /**
   * What a person does on a device-login page in another browser tab: types the code, clicks
   * Approve or Decline; answers the page's result (`data-result`).
   */
  decideOnWebPage: (url: string, code: string, decision: 'approve' | 'decline', screenshot?: string) =>
    send<string>({ action: 'decideOnWebPage', url, code, decision, screenshot }),
  timeClickToRows: (viewTitle: string, label: string, target: 'row' | 'twistie' = 'row') =>
    send<number>({ action: 'timeClickToRows', viewTitle, label, target }),
  webviewArticles: () => send<WebviewArticle[]>({ action: 'webviewArticles' }),
  webviewProbe: () => send<WebviewProbe>({ action: 'webviewProbe' }),
  webviewText: () => send<string>({ action: 'webviewText' }),
  webviewScroll: (to: 'top' | 'bottom') => send<void>({ action: 'webviewScroll', to }),
  webviewClick: (selector: string, button?: 'left' | 'right') => send<void>({ action: 'webviewClick', selector, button }),
  webviewFocus: (selector: string) => send<void>({ action: 'webviewFocus', selector }),
  dialogCount: () => send<number>({ action: 'dialogCount' }),
  walkthroughSteps: () => send<WalkthroughStepState[]>({ action: 'walkthroughSteps' }),
  harness: (name: string) => send<void>({ action: 'harness', name }),
  pageContent: () => send<PageContent>({ action: 'pageContent' }),
  hoverRows: (viewTitle: string) => send<HoveredRow[]>({ action: 'hoverRows', viewTitle }),
  quickInput: () => send<QuickInputState>({ action: 'quickInput' }),
  /** Types into the open quick input's box, key by key, clicking into it first (again if a keystroke went elsewhere). */
  typeIntoQuickInput: (text: string) => send<void>({ action: 'typeIntoQuickInput', text }),
};

/** Polls until the check passes or the time is up; the last failure is the error. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}: ${detail}`);
}

/**
 * Texts of the notifications shown so far. Under test, VS Code files them in the notification
 * center rather than as toasts, so the center is opened to read them.
 */
export async function notificationTexts(selector = '.notification-list-item-message'): Promise<string[]> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    return await ui.visibleText(`.notifications-center ${selector}`);
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}
