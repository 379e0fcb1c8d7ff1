/** Messages between the integration tests (extension host) and the harness's UI driver (Playwright). */
export interface TreeRow {
  readonly label: string;
  readonly description: string;
  readonly ariaLabel: string;
  readonly level: number;
  readonly expanded: boolean | undefined;
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
  | { action: 'clickTitleAction'; viewTitle: string; actionLabel: string };

export const UI_DRIVER_ENV = 'MESSENGER_EXPLORER_UI_DRIVER';
