import * as vscode from 'vscode';
import type { TestApi } from '../../../src/vscode/activate';
import { FaultKind, GraphSimulator, SimulatorOptions, startSimulator } from '../../../simulator/index';

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

/**
 * What a fault test reads back from the simulator's request log: how many requests it answered with an injected
 * fault of this kind since `since` (a log `seq`, from `logMark`), on paths containing `match` when given, and how many
 * requests those paths got in all. A fault test asserts on it so that it fails when injection is off.
 */
export function faultsServed(
  sim: GraphSimulator,
  kind: FaultKind,
  options: { since?: number; match?: string } = {},
): { served: number; requests: number } {
  const entries = sim.log.filter((r) => r.seq > (options.since ?? 0) && (options.match === undefined || r.path.includes(options.match)));
  return { served: entries.filter((r) => r.fault === kind).length, requests: entries.length };
}

/** The request log's position now: pass it as `since` to count only what comes after. */
export function logMark(sim: GraphSimulator): number {
  return sim.log.reduce((max, r) => Math.max(max, r.seq), 0);
}
