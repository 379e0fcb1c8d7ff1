import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/vscode/activate';
import type { ConversationNode, ExplorerNode } from '../../../src/core/explorer/nodes';
import { EXTENSION_ID } from './extension';
import { expandInView } from './tree';
import { eventually, ui } from './ui';

export type DisplayLanguage = 'ja' | 'vi';

/** The translations the extension ships, read from the extension itself. */
export function shipped(language: DisplayLanguage): { nls: Record<string, string>; bundle: Record<string, string> } {
  const root = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? assert.fail('the extension is installed');
  return {
    nls: JSON.parse(readFileSync(join(root, `package.nls.${language}.json`), 'utf8')) as Record<string, string>,
    bundle: JSON.parse(readFileSync(join(root, 'l10n', `bundle.l10n.${language}.json`), 'utf8')) as Record<string, string>,
  };
}

/** Kana and CJK ideographs. */
export const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/u;
/** Letters only Vietnamese uses: ă â đ ê ô ơ ư and the Latin Extended Additional block (ạ ả ấ … ỹ). */
export const VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]/u;
/** The script a text in this language must show. */
export const SCRIPT: Record<DisplayLanguage, RegExp> = { ja: JAPANESE, vi: VIETNAMESE };

/**
 * Words only an English sentence has (none is a Japanese romanization or a Vietnamese word without
 * its marks). Product names, commands and IDs (Graph API, npm start, PSID) are not sentences.
 */
const ENGLISH_WORDS = /\b(the|and|your|with|from|this|that|could|was|were|is|are|of|for|please|here|not)\b/gi;

/** The English words in a text, for an assertion message; empty when the text has no English sentence. */
export function englishIn(text: string): string[] {
  return text.match(ENGLISH_WORDS) ?? [];
}

/** Asserts that a text the user sees is in the display language, with no English sentence in it. */
export function assertInLanguage(language: DisplayLanguage, text: string, where: string): void {
  assert.match(text, SCRIPT[language], `${where} is in ${language}: ${text}`);
  assert.deepEqual(englishIn(text), [], `${where} has no English sentence: ${text}`);
}

const WALKTHROUGH = `${EXTENSION_ID}#messengerExplorer.gettingStarted`;

/**
 * Opens the walkthrough, checks from the DOM that its title, steps and the Markdown drawings of its
 * first step and of the resolve step are in the display language, and takes a screenshot of each.
 */
export async function checkWalkthrough(language: DisplayLanguage): Promise<void> {
  const { nls } = shipped(language);
  // VS Code hides a step's media when the editor is 950 px wide or less: the sidebar makes room.
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
  const ours = async () => [
    ...(await ui.visibleText('.gettingStartedContainer .category-description-container')),
    ...(await ui.visibleText('.gettingStartedContainer button.getting-started-step')),
  ];
  const texts = await eventually(
    async () => {
      const t = await ours();
      assert.ok(t.join('\n').includes(nls['walkthrough.title']), `the walkthrough's title: ${t.join(' | ')}`);
      return t;
    },
    20_000,
    'the walkthrough',
  );
  for (const text of texts.filter((t) => t.trim())) {
    assertInLanguage(language, text, 'the walkthrough');
  }
  const media = async (must: RegExp, what: string) => {
    const text = await eventually(
      async () => {
        const t = await ui.webviewText();
        assert.match(t, must, `${what}: ${t}`);
        return t;
      },
      20_000,
      what,
    );
    assertInLanguage(language, text, what);
  };
  // The first step's drawing: the welcome view's buttons; the resolve step's: an ID and its linked IDs.
  await media(/\[ .+… \]/u, "the first step's drawing");
  await ui.screenshot(`${language}-walkthrough`);
  await ui.clickText('button.getting-started-step[data-step-id$="#resolve"]', nls['walkthrough.resolve.title']);
  await media(/3506459779380004/u, "the resolve step's drawing");
  await ui.screenshot(`${language}-walkthrough-resolve`);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
}

/**
 * Shows the rows under a thread in the Conversations view: collapses the rest first, so that the
 * rows are on screen (a tree renders only the rows it shows).
 */
export async function showThread(api: TestApi, thread: ConversationNode): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.treeView.messengerExplorer.conversations.collapseAll');
  const chain: ExplorerNode[] = [];
  for (let node: ExplorerNode | undefined = thread; node; node = api.trees.conversations.getParent(node)) {
    chain.unshift(node);
  }
  for (const node of chain) {
    await expandInView(api, node);
  }
  await api.views.conversations.reveal(thread, { select: true, focus: false });
}

/** Takes a screenshot with the notification center open (under test, VS Code shows no toasts). */
export async function screenshotNotifications(name: string): Promise<void> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    // Shot once the center is drawn with its notifications in it.
    await eventually(
      async () => assert.ok((await ui.visibleText('.notifications-center.visible .notification-list-item-message')).length > 0),
      5_000,
      'the notification center',
    );
    await ui.screenshot(name);
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}
