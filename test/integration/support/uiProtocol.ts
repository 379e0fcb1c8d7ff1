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
  | { action: 'hoverRow'; viewTitle: string; label: string }
  /** Right-clicks the rendered text in the visible editor (the cursor moves there, as for a person), then picks the menu item. */
  | { action: 'editorContextMenu'; text: string; item: string }
  /** Clicks an item of the context menu that is open, by its label; fails when the menu or the item is missing. */
  | { action: 'chooseMenuItem'; item: string }
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
  /** The steps of the walkthrough open in the Welcome editor, as its DOM shows them. */
  | { action: 'walkthroughSteps' }
  /** Something only the harness can do (stop a simulator it started), by the name it gave it. */
  | { action: 'harness'; name: string }

  /** Everything the page holds, for the leak scan: see PageContent. */
  | { action: 'pageContent' }
  /** Hovers each rendered row of a view in turn and reads the hover it opens (a tree item's tooltip). */
  | { action: 'hoverRows'; viewTitle: string }
  /** The open quick input (input box or quick pick), read while it is open. */
  | { action: 'quickInput' }
  | { action: 'typeIntoQuickInput'; text: string };

/** A walkthrough step as the Welcome editor shows it. */
export interface WalkthroughStepState {
  /** VS Code's full step id: `<extension>#<walkthrough>#<step>`. */
  readonly id: string;
  readonly title: string;
  /** The step shows its checkmark (VS Code's `complete` class). */
  readonly done: boolean;
}

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
  /** How many characters the field holds, masked or not: typing is complete once it is the typed length. */
  readonly length: number;
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
  /** The color theme VS Code gave the webview (`data-vscode-theme-id` on its body). */
  readonly themeId: string;
}

export const UI_DRIVER_ENV = 'MESSENGER_EXPLORER_UI_DRIVER';
