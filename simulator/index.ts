/** Programmatic API of the local Graph API simulator, for tests, the demo and benchmarks. */
export { GraphSimulator } from './server';
export type { SimulatorOptions, RequestLogEntry } from './server';
export type { FaultRule, FaultKind } from './faults';
export { World, DEMO_USER_TOKEN } from './world';
export { parseFields, FieldSyntaxError } from './fields';

import { GraphSimulator, SimulatorOptions } from './server';

export async function startSimulator(options: SimulatorOptions = {}): Promise<GraphSimulator> {
  const simulator = new GraphSimulator(options);
  await simulator.start();
  return simulator;
}
