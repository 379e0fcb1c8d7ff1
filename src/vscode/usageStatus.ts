import * as vscode from 'vscode';
import { DisposableStore } from '../core/events';
import { Commands } from './constants';
import { GraphSession } from './graphSession';

const WARN_ABOVE = 75;

/**
 * A status bar item with Meta's rate-limit usage from the last response: hidden until a response
 * reports usage, a warning above 75%, when the extension also slows its own calls down.
 */
export class UsageStatus extends DisposableStore {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('messengerExplorer.usage', vscode.StatusBarAlignment.Right, 100),
  );

  constructor(session: GraphSession) {
    super();
    this.item.name = vscode.l10n.t('Messenger Explorer: Graph API usage');
    this.item.command = Commands.showLog;
    this._register(session.onDidChangeUsage((usage) => this.show(usage)));
  }

  get text(): string {
    return this.item.text;
  }

  get warning(): boolean {
    return this.item.backgroundColor !== undefined;
  }

  private show(usage: number): void {
    const percent = Math.round(usage);
    const high = percent > WARN_ABOVE;
    this.item.text = `${high ? '$(warning)' : '$(pulse)'} ${vscode.l10n.t('Graph {0}%', percent)}`;
    this.item.tooltip = high
      ? vscode.l10n.t(
          'Meta reports {0}% of a rate limit used. Messenger Explorer now sends one request at a time, spaced out, so that Meta does not block the app.',
          percent,
        )
      : vscode.l10n.t('Meta reports {0}% of the tightest rate limit used (X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage).', percent);
    this.item.backgroundColor = high ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Graph API rate-limit usage {0} percent', percent) };
    this.item.show();
  }
}
