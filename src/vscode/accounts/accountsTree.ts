import * as vscode from 'vscode';
import { Account, AppAccount, PageAccount, UserAccount } from '../../core/accounts/accounts';
import { missingScopes, TokenHealth, tokenHealth } from '../../core/accounts/tokenHealth';
import { DisposableStore } from '../../core/events';
import { HostErrorNode } from '../../core/explorer/nodes';
import { exactDate, exactTime } from '../../core/explorer/text';
import { hostErrorItem } from '../hostErrorItem';
import { errorText } from '../errorText';
import { ExtensionRuntime } from '../runtime';
import { expiryWarningDays } from '../settings';
import { AccountService } from './accountService';
import { kindLabel } from './accountLabels';
import { ExpiryWarnings } from './expiryWarnings';
import { AccountDetailNode, AccountNode, AccountsTreeNode } from './accountNodes';

/** The Accounts view: apps, users and Pages of the current Graph host, with each token's health. */
export class AccountsTreeProvider extends DisposableStore implements vscode.TreeDataProvider<AccountsTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<AccountsTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly service: AccountService,
    private readonly warnings: ExpiryWarnings,
    private readonly runtime: ExtensionRuntime,
    private readonly nowS: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    super();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: AccountsTreeNode): Promise<AccountsTreeNode[]> {
    if (!node) {
      const endpoint = this.service.endpoint;
      if (!endpoint.ok) {
        return [new HostErrorNode(endpoint.reason)];
      }
      const accounts = await this.service.accounts();
      this.warnings.check(accounts);
      return accounts.map((account): AccountNode => ({ kind: 'account', account }));
    }
    if (node.kind === 'account') {
      return this.details(node.account, await this.service.accounts());
    }
    return [];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: AccountsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'hostError':
        return hostErrorItem(node.reason);
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.parentId}/${node.key}`;
        item.description = node.value;
        item.tooltip = `${node.label}: ${node.value}`;
        item.iconPath = new vscode.ThemeIcon(node.icon, node.warning ? new vscode.ThemeColor('list.warningForeground') : undefined);
        item.contextValue = 'accountDetail';
        item.accessibilityInformation = { label: `${node.label}: ${node.value}` };
        return item;
      }
      case 'account':
        return this.accountItem(node.account);
    }
  }

  private accountItem(account: Account): vscode.TreeItem {
    const item = new vscode.TreeItem(account.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${account.kind}/${account.id}`;
    const rejection = this.service.rejectionOf(account);
    const health = account.kind === 'app' ? undefined : tokenHealth(account, this.nowS(), expiryWarningDays());
    const state = stateText(rejection !== undefined, health);
    item.description = `${kindLabel(account)} · ${state}`;
    item.contextValue = `account.${account.kind}${rejection ? '.rejected' : ''}`;
    const warn = rejection !== undefined || health?.state === 'expired' || health?.state === 'expiring';
    item.iconPath =
      rejection || health?.state === 'expired'
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
        : new vscode.ThemeIcon(ACCOUNT_ICONS[account.kind], warn ? new vscode.ThemeColor('list.warningForeground') : undefined);
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.appendText(`${account.name}\n\n${kindLabel(account)} ${account.id} · ${state}`);
    if (rejection) {
      tooltip.appendText(`\n\n${errorText(rejection, this.runtime)}`);
    }
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: vscode.l10n.t('{0}, {1} {2}, {3}', account.name, kindLabel(account), account.id, state) };
    return item;
  }

  private details(account: Account, all: readonly Account[]): AccountDetailNode[] {
    const apps = all.filter((a): a is AppAccount => a.kind === 'app');
    const parentId = `${account.kind}/${account.id}`;
    const detail = (key: string, label: string, value: string, icon: string, warning = false): AccountDetailNode => ({
      kind: 'detail',
      parentId,
      key,
      label,
      value,
      icon,
      warning,
    });
    const out: AccountDetailNode[] = [detail('id', vscode.l10n.t('ID'), account.id, 'symbol-number')];
    if (account.kind === 'app') {
      out.push(
        detail(
          'token',
          vscode.l10n.t('Token'),
          vscode.l10n.t('app access token and appsecret_proof, from the App Secret in the keychain'),
          'key',
        ),
      );
      return out;
    }
    out.push(detail('token', vscode.l10n.t('Token'), tokenKindText(account, all), 'key'));
    const app = apps.find((a) => a.id === account.appId);
    out.push(
      app
        ? detail('app', vscode.l10n.t('App'), `${app.name} (${app.id}) · appsecret_proof`, 'package')
        : detail(
            'app',
            vscode.l10n.t('App'),
            account.appId ? vscode.l10n.t('{0}, not added: add it for appsecret_proof', account.appId) : vscode.l10n.t('unknown'),
            'package',
            account.appId !== undefined,
          ),
    );
    const health = tokenHealth(account, this.nowS(), expiryWarningDays());
    out.push(
      detail('expires', vscode.l10n.t('Expires'), expiryText(health), 'watch', health.state === 'expiring' || health.state === 'expired'),
    );
    if (account.dataAccessExpiresAt) {
      out.push(
        detail(
          'dataAccess',
          vscode.l10n.t('Data access expires'),
          exactDate(account.dataAccessExpiresAt * 1000, vscode.env.language),
          'watch',
        ),
      );
    }
    const missing = missingScopes(account.kind, account);
    out.push(
      detail('scopes', vscode.l10n.t('Scopes'), account.scopes.length > 0 ? account.scopes.join(', ') : vscode.l10n.t('unknown'), 'shield'),
    );
    if (missing.length > 0) {
      out.push(detail('missing', vscode.l10n.t('Missing'), missing.join(', '), 'warning', true));
    }
    if (account.kind === 'page' && account.instagram) {
      out.push(
        detail(
          'instagram',
          vscode.l10n.t('Instagram'),
          account.instagram.username ? `@${account.instagram.username} (${account.instagram.id})` : account.instagram.id,
          'device-camera',
        ),
      );
    }
    if (account.checkedAt) {
      out.push(detail('checked', vscode.l10n.t('Checked'), exactTime(account.checkedAt * 1000, vscode.env.language), 'check'));
    }
    return out;
  }
}

function healthText(health: TokenHealth): string {
  switch (health.state) {
    case 'never':
      return vscode.l10n.t('never expires');
    case 'unknown':
      return vscode.l10n.t('expiry unknown');
    case 'expired':
      return vscode.l10n.t('expired');
    case 'expiring':
    case 'ok':
      return health.daysLeft === 0 ? vscode.l10n.t('expires today') : vscode.l10n.t('expires in {0} days', health.daysLeft);
  }
}

function expiryText(health: TokenHealth): string {
  if (health.state === 'never' || health.state === 'unknown') {
    return healthText(health);
  }
  return `${healthText(health)} (${exactTime(health.expiresAt * 1000, vscode.env.language)})`;
}

const ACCOUNT_ICONS: Record<Account['kind'], string> = { app: 'key', user: 'account', page: 'comment-discussion' };

/** What a row says about its secret: rejected, its expiry, or (an app) that its secret is stored. */
function stateText(rejected: boolean, health: TokenHealth | undefined): string {
  if (rejected) {
    return vscode.l10n.t('token rejected');
  }
  return health ? healthText(health) : vscode.l10n.t('App Secret stored');
}

/** The kind of a user's or Page's token, and for a Page token the user it came from (by name). */
function tokenKindText(account: UserAccount | PageAccount, all: readonly Account[]): string {
  if (account.kind === 'user') {
    return vscode.l10n.t('user access token');
  }
  if (!account.viaUserId) {
    return vscode.l10n.t('Page access token');
  }
  const user = all.find((a) => a.kind === 'user' && a.id === account.viaUserId);
  return vscode.l10n.t('Page access token, from user {0}', user?.name ?? account.viaUserId);
}
