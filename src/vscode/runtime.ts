/**
 * Which extension host runs the extension: Node (VS Code desktop, code-server, remote) or a
 * browser's web worker (vscode.dev, github.dev). Set once by the entry point; the only thing
 * that differs is what a failed request can mean (a browser also fails on missing CORS).
 */
export type ExtensionRuntime = 'node' | 'browser';

let current: ExtensionRuntime = 'node';

export function setExtensionRuntime(runtime: ExtensionRuntime): void {
  current = runtime;
}

export function extensionRuntime(): ExtensionRuntime {
  return current;
}
