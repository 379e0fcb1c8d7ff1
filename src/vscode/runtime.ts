/**
 * Which extension host runs the extension: Node (VS Code desktop, code-server, remote) or a
 * browser's web worker (vscode.dev, github.dev). Set once by the entry point; what differs is what
 * a failed request can mean (a browser also fails on missing CORS) and, in Node, the simulator
 * address a launcher (npm start) may hand over through the environment.
 */
export type ExtensionRuntime = 'node' | 'browser';

let current: ExtensionRuntime = 'node';
let launcherSimulatorUrl: string | undefined;

export function setExtensionRuntime(runtime: ExtensionRuntime, simulatorUrl?: string): void {
  current = runtime;
  launcherSimulatorUrl = simulatorUrl || undefined;
}

export function extensionRuntime(): ExtensionRuntime {
  return current;
}

/** The connect address (with its control key) of the simulator started together with this VS Code, if any. */
export function launcherSimulator(): string | undefined {
  return launcherSimulatorUrl;
}
