/** What a person can do about a failure: a button on its notification. */
export interface UserAction {
  readonly title: string;
  run(): unknown;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A failure with intent: the message to show, how serious it is, and what the person can do. The
 * command runner shows it (errors and warnings with "Show Log" too); nothing else shows errors.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly severity: Severity;
  readonly actions: readonly UserAction[];

  constructor(message: string, options: { severity?: Severity; actions?: readonly UserAction[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.severity = options.severity ?? 'error';
    this.actions = options.actions ?? [];
  }
}

/** A command used without what it needs (nothing selected, no editor): information, not an error. */
export function precondition(message: string): UserError {
  return new UserError(message, { severity: 'info' });
}

/** Input the command cannot use: a warning that says what it expects. */
export function badInput(message: string): UserError {
  return new UserError(message, { severity: 'warning' });
}
