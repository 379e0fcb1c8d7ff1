import * as vscode from 'vscode';
import type { TestApi } from '../../../src/vscode/activate';
import { GraphSimulator, SimulatorOptions, startSimulator } from '../../../simulator/index';

/** A simulator in the test process, with the extension pointed at it through the user setting. */
export async function startSimulatorFor(api: TestApi, options: SimulatorOptions = {}): Promise<GraphSimulator> {
  const sim = await startSimulator({ seed: 3, ...options });
  await useGraphHost(api, sim.url);
  return sim;
}

export async function useGraphHost(api: TestApi, origin: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('messengerExplorer').update('graph.host', origin, vscode.ConfigurationTarget.Global);
  await api.internals.accounts.whenEndpointIs(origin ?? 'https://graph.facebook.com');
}

export function hostKeyOf(sim: GraphSimulator): string {
  return new URL(sim.url).host;
}

/** Calls a control endpoint of the simulator, as a test or a bot developer would. */
export async function control<T = unknown>(sim: GraphSimulator, path: string, body: unknown): Promise<T> {
  return sim.controlRequest<T>(path, body);
}
