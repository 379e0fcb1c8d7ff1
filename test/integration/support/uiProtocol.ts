/** Messages between the integration tests (extension host) and the harness's UI driver (Playwright). */
export interface TreeRow {
  readonly label: string;
  readonly description: string;
  readonly ariaLabel: string;
  readonly level: number;
  readonly expanded: boolean | undefined;
  /** The row the keyboard is on (VS Code's `focused` class). */
  readonly focused: boolean;
}

export type UiRequest =
  | { action: 'treeRows'; viewTitle: string }
  | { action: 'welcomeText'; viewTitle: string }
  | { action: 'clickRow'; viewTitle: string; label: string; button?: 'left' | 'right' }
  | { action: 'press'; key: string }
  | { action: 'type'; text: string }
  | { action: 'screenshot'; name: string }
  | { action: 'visibleText'; selector: string }
  | { action: 'clickText'; selector: string; text: string }
  | { action: 'clickTitleAction'; viewTitle: string; actionLabel: string }
  | { action: 'timeClickToRows'; viewTitle: string; label: string; target: 'row' | 'twistie' }
  | { action: 'decideOnWebPage'; url: string; code: string; decision: 'approve' | 'decline'; screenshot?: string }
  /** Inside the visible webview (iframe.webview → iframe#active-frame). */
  | { action: 'webviewArticles' }
  | { action: 'webviewProbe' }
  /** The visible text of the visible webview (a walkthrough step's Markdown, a transcript). */
  | { action: 'webviewText' }
  | { action: 'webviewScroll'; to: 'top' | 'bottom' }
  | { action: 'webviewClick'; selector: string; button?: 'left' | 'right' }
  | { action: 'webviewFocus'; selector: string }
  | { action: 'dialogCount' }
  /** Everything the page holds, for the leak scan: see PageContent. */
  | { action: 'pageContent' }
  /** Hovers each rendered row of a view in turn and reads the hover it opens (a tree item's tooltip). */
  | { action: 'hoverRows'; viewTitle: string }
  /** The open quick input (input box or quick pick), read while it is open. */
  | { action: 'quickInput' };

/** What a person or a script in the page could read, for the leak scan. */
export interface PageContent {
  /** Each frame (webviews included): its HTML, and the value of every text field except password fields, which no one sees. */
  readonly frames: { readonly url: string; readonly html: string; readonly values: string[] }[];
  /** The workbench page's IndexedDB, localStorage and sessionStorage (web VS Code keeps state there). */
  readonly storage: { readonly name: string; readonly text: string }[];
}

export interface HoveredRow {
  readonly label: string;
  /** The hover's text; empty when none opened. */
  readonly hover: string;
}

export interface QuickInputState {
  readonly open: boolean;
  /** The type of the quick input's text field: `password` when masked. */
  readonly inputType: string;
  /** The widget's HTML and, unless it is a password field, the field's value. */
  readonly html: string;
  readonly value: string;
}

/** A message bubble as the webview's DOM shows it. */
export interface WebviewArticle {
  readonly id: string;
  readonly ariaLabel: string;
  readonly side: 'page' | 'person' | '';
  readonly sender: string;
  readonly time: string;
  /** The bubble's text content (what a person reads). */
  readonly text: string;
  /** Tag names of every element inside the bubble's text: only spans (links) may appear. */
  readonly textElements: string[];
}

export interface WebviewProbe {
  readonly logRole: string;
  readonly logLabel: string;
  readonly articles: number;
  /** Each script element: its src, or `inline:` and the start of its text; `in-app:` when inside the transcript's container. */
  readonly scripts: string[];
  readonly images: string[];
  readonly scrollY: number;
  readonly scrollHeight: number;
  readonly innerHeight: number;
  readonly activeId: string;
  readonly status: string;
  readonly buttons: string[];
  readonly dayHeadings: string[];
  readonly csp: string;
}

export const UI_DRIVER_ENV = 'MESSENGER_EXPLORER_UI_DRIVER';
