/**
 * Commands are called from the palette (no arguments), from tests and links (their own arguments),
 * from a view's title bar (VS Code passes the selected row) and from an editor's context menu (it
 * passes the document's URI). A command's own argument is used only when it has the right type.
 */
export function stringArg(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}
