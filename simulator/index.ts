/** Programmatic API of the local Graph API simulator, for tests, the demo and benchmarks. */
export { GraphSimulator } from './server';
export type { SimulatorOptions, RequestLogEntry, CallAccounting } from './server';
export type { SimulatorSettings, GraphResult } from './graph';
export { serializeFields } from './graph';
export type { FaultRule, FaultKind } from './faults';
export { World, DEMO_USER_TOKEN } from './world';
export type { WorldOptions, App, FbPage, Person, Conversation, Message, Share, TokenRecord } from './world';
export { jsonPath } from './server';
export { parseFields, FieldSyntaxError } from './fields';

import { GraphSimulator, SimulatorOptions } from './server';

export async function startSimulator(options: SimulatorOptions = {}): Promise<GraphSimulator> {
  const simulator = new GraphSimulator(options);
  await simulator.start();
  return simulator;
}
export { MessagingPlatform, relaxedJson } from './platform';
export type { PlatformSettings } from './platform';
export { EventBus } from './events';
export type { SimulatorEvent, SimulatorEventType } from './events';
export { metaJson, signatures } from './webhooks';
export type { Delivery, DeliveryAttempt, DeliveryStatus, AppSubscription, WebhookEvent, WebhookSettings } from './webhooks';
