/** The change stream behind `GET /__simulator/events`: every change to threads, deliveries and subscriptions. */
export type SimulatorEventType =
  | 'thread.created' // a thread was opened (first message of a person to a Page or its Instagram account)
  | 'message.added' // a message was added to a thread (by the person or by the Page through the Send API)
  | 'thread.updated' // a thread changed without a new message (read receipt, mark_seen)
  | 'delivery.created' // a webhook POST was queued
  | 'delivery.updated' // a webhook attempt ended (delivered, retrying, failed)
  | 'subscription.changed'; // an app subscription or a Page's subscribed_apps changed

export interface SimulatorEvent {
  readonly seq: number;
  readonly type: SimulatorEventType;
  readonly time: number;
  readonly data: Record<string, unknown>;
}

export type Listener = (event: SimulatorEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();
  private seq = 0;
  /** The most recent events, so a client that reconnects with Last-Event-ID misses nothing recent. */
  readonly recent: SimulatorEvent[] = [];

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(type: SimulatorEventType, data: Record<string, unknown>): SimulatorEvent {
    const event: SimulatorEvent = { seq: ++this.seq, type, time: Date.now(), data };
    this.recent.push(event);
    if (this.recent.length > 200) {
      this.recent.shift();
    }
    for (const listener of this.listeners) {
      listener(event);
    }
    return event;
  }
}
