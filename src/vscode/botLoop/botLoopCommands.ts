import * as vscode from 'vscode';
import { ExplorerNode } from '../../core/explorer/nodes';
import { stringArg } from '../commandArgs';
import { CommandRunner } from '../commandRunner';
import { Commands } from '../constants';
import { precondition, UserError } from '../userError';
import { BotLoop, ReplayOutcome } from './botLoop';

/** Replay as Webhook Event… and Test Webhook Verification…: the bot side of the loop. */
export function registerBotLoopCommands(loop: BotLoop, tree: vscode.TreeView<ExplorerNode>, runner: CommandRunner): vscode.Disposable {
  return vscode.Disposable.from(
    runner.register(Commands.replayAsWebhook, async (node?: ExplorerNode, url?: unknown): Promise<ReplayOutcome | undefined> => {
      const target = node ?? tree.selection[0];
      if (target?.kind !== 'message') {
        throw precondition(vscode.l10n.t('Right-click a message first.'));
      }
      const botUrl = await loop.chooseBotUrl(stringArg(url));
      if (!botUrl) {
        return undefined;
      }
      const outcome = await loop.replay(target, botUrl);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('The bot at {0} answered HTTP {1} in {2} ms.', botUrl, outcome.status, outcome.ms),
      );
      return outcome;
    }),
    runner.register(Commands.testWebhookVerification, async (url?: unknown, verifyToken?: unknown) => {
      const botUrl = await loop.chooseBotUrl(stringArg(url));
      if (!botUrl) {
        return undefined;
      }
      const token =
        stringArg(verifyToken) ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('Verify Token'),
          prompt: vscode.l10n.t('The verify token your bot expects (the one you give Meta with the callback URL).'),
          ignoreFocusOut: true,
          password: true,
        }));
      if (token === undefined) {
        return undefined;
      }
      const result = await loop.testVerification(botUrl, token);
      if (!result.ok) {
        throw new UserError(
          vscode.l10n.t(
            'The bot did not return the challenge (HTTP {0}): check its verify token and that it answers GET with hub.challenge.',
            result.status,
          ),
          { severity: 'warning' },
        );
      }
      void vscode.window.showInformationMessage(vscode.l10n.t('Verification passed: the bot at {0} returned the challenge.', botUrl));
      return result;
    }),
  );
}
