import { Account } from '../../core/accounts/accounts';

/** A stored account (app, user or Page) in the Accounts view. */
export interface AccountNode {
  readonly type: 'account';
  readonly account: Account;
}

/** One fact about an account: its token kind, app, expiry, scopes, Instagram account. */
export interface AccountDetailNode {
  readonly type: 'detail';
  readonly parentId: string;
  readonly key: string;
  readonly label: string;
  readonly value: string;
  readonly icon: string;
  readonly warning?: boolean;
}

/** Shown instead of accounts when the Graph host setting is refused. */
export interface HostErrorNode {
  readonly type: 'hostError';
  readonly reason: string;
}

export type AccountsTreeNode = AccountNode | AccountDetailNode | HostErrorNode;
