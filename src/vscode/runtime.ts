/**
 * What differs between the extension hosts, decided by the entry point and passed into activation:
 * Node (VS Code desktop, code-server, remote) or a browser's web worker (vscode.dev, github.dev),
 * where a failed request can also mean missing CORS; and, in Node, the simulator a launcher
 * (npm start) started together with this VS Code.
 */
export interface ExtensionRuntime {
  readonly kind: 'node' | 'browser';
  /** The connect address (with its control key) of the simulator started with this VS Code, if any. */
  readonly launcherSimulatorUrl?: string;
}
