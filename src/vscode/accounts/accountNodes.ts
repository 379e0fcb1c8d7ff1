import { Account } from '../../core/accounts/accounts';
import { HostErrorNode } from '../../core/explorer/nodes';

/** A stored account (app, user or Page) in the Accounts view. Nodes of every tree are told apart by `kind`. */
export interface AccountNode {
  readonly kind: 'account';
  readonly account: Account;
}

/** One fact about an account: its token kind, app, expiry, scopes, Instagram account. */
export interface AccountDetailNode {
  readonly kind: 'detail';
  readonly parentId: string;
  readonly key: string;
  readonly label: string;
  readonly value: string;
  readonly icon: string;
  readonly warning?: boolean;
}

/** Shown instead of accounts when the Graph host setting is refused: the same row as the conversations tree's. */
export type AccountsTreeNode = AccountNode | AccountDetailNode | HostErrorNode;
