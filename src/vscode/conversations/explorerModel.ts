import * as vscode from 'vscode';
import { ConversationExplorer } from '../../core/explorer/conversationExplorer';
import { Folder } from '../../core/graph/models';
import { AccountService } from '../accounts/accountService';
import { Views } from '../constants';
import { ContextKeys, setContext } from '../contextKeys';
import { Logger } from '../logger';
import { setting } from '../settings';

const FOLDERS_KEY = 'messengerExplorer.folders';

/** The conversations tree's state (src/core/explorer), wired to accounts, settings, globalState and the view's progress bar. */
export function createExplorer(accounts: AccountService, state: vscode.Memento, log: Logger): ConversationExplorer {
  const explorer = new ConversationExplorer({
    hostProblem: () => {
      const endpoint = accounts.endpoint;
      return endpoint.ok ? undefined : endpoint.reason;
    },
    pages: () => accounts.pages(),
    call: (page, work) => accounts.call(page, work),
    pageSizes: () => ({ conversations: setting('conversations.pageSize'), messages: setting('messages.pageSize') }),
    folderOf: (pageId) => state.get<Record<string, Folder>>(FOLDERS_KEY, {})[pageId] ?? 'inbox',
    rememberFolder: async (pageId, folder) => {
      const folders = { ...state.get<Record<string, Folder>>(FOLDERS_KEY, {}), [pageId]: folder };
      if (folder === 'inbox') {
        delete folders[pageId];
      }
      await state.update(FOLDERS_KEY, folders);
    },
    withProgress: (work) => Promise.resolve(vscode.window.withProgress({ location: { viewId: Views.conversations } }, () => work)),
    warn: (message) => log.warn(message),
  });
  explorer.onDidChangeFilter((text) => setContext(ContextKeys.filtered, text.length > 0));
  return explorer;
}
