import { DisposableStore, Emitter } from '../../core/events';
import { SimulatorKeys } from '../botLoop/simulatorKeys';
import { Logger } from '../logger';

const RECONNECT_MS = 2000;

/**
 * The local simulator's change stream (`GET /__simulator/events?key=…`, server-sent events), read
 * with fetch so it works in Node and in a browser worker. It needs the simulator's control key
 * (SimulatorKeys: from the connect flow's address or `npm start`); without a key, the views poll
 * the simulator instead. Nothing here ever carries a Graph token.
 */
export class SimulatorChangeStream extends DisposableStore {
  private readonly threadChanged = this._register(new Emitter<string>());
  /** A thread got a message or changed: its ID. */
  readonly onDidChangeThread = this.threadChanged.event;
  private readonly connectionChanged = this._register(new Emitter<boolean>());
  readonly onDidChangeConnection = this.connectionChanged.event;
  private readonly deliveryChanged = this._register(new Emitter<void>());
  /** A webhook delivery was queued or one of its attempts ended. */
  readonly onDidChangeDeliveries = this.deliveryChanged.event;
  /** Origins whose stream is wanted (panels, the deliveries view), by who wants it. */
  private readonly wanted = new Map<string, string | undefined>();
  private origin: string | undefined;
  private abort: AbortController | undefined;
  private isConnected = false;
  private lastEventId: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly keys: SimulatorKeys,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {
    super();
    this._register(
      keys.onDidChange((origin) => {
        if (this.requested === origin || this.origin === origin) {
          this.origin = undefined;
          this.apply();
        }
      }),
    );
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Follows the stream of this simulator origin (or none) for one client (`who`). */
  follow(origin: string | undefined, who = 'conversations'): void {
    this.wanted.set(who, origin);
    this.apply();
  }

  private get requested(): string | undefined {
    return [...this.wanted.values()].find((o) => o !== undefined);
  }

  private apply(): void {
    const origin = this.requested;
    const wanted = origin && this.keys.get(origin) ? origin : undefined;
    if (wanted === this.origin) {
      return;
    }
    this.origin = wanted;
    this.lastEventId = undefined;
    this.restart();
  }

  override dispose(): void {
    this.origin = undefined;
    this.stop();
    super.dispose();
  }

  private restart(): void {
    this.stop();
    if (this.origin) {
      void this.read(this.origin);
    }
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = undefined;
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.setConnected(false);
  }

  private setConnected(value: boolean): void {
    if (this.isConnected !== value) {
      this.isConnected = value;
      this.connectionChanged.fire(value);
    }
  }

  private async read(origin: string): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const key = this.keys.get(origin) ?? '';
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (this.lastEventId) {
        headers['last-event-id'] = this.lastEventId;
      }
      const response = await this.fetchImpl(`${origin}/__simulator/events?key=${encodeURIComponent(key)}`, {
        headers,
        redirect: 'manual',
        signal: abort.signal,
      });
      if (!response.ok || !response.body) {
        this.log.info(`The simulator's change stream answered HTTP ${response.status}; conversations are polled instead.`);
        if (response.status === 401 || response.status === 403) {
          this.origin = undefined;
          this.keys.forget(origin);
        }
        return;
      }
      this.setConnected(true);
      this.log.trace("Following the simulator's change stream.");
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          this.dispatch(block);
        }
      }
    } catch (error) {
      if (abort.signal.aborted) {
        return;
      }
      this.log.trace(`The simulator's change stream closed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (this.abort === abort) {
        this.setConnected(false);
        if (this.origin === origin && !abort.signal.aborted) {
          this.retryTimer = setTimeout(() => this.restart(), RECONNECT_MS);
        }
      }
    }
  }

  private dispatch(block: string): void {
    let data = '';
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('id:')) {
        this.lastEventId = line.slice(3).trim();
      } else if (line.startsWith('data:')) {
        data += line.slice(5).trim();
      }
    }
    if (!data) {
      return;
    }
    try {
      const event = JSON.parse(data) as { type?: unknown; thread?: unknown };
      if (event.type === 'delivery.created' || event.type === 'delivery.updated') {
        this.deliveryChanged.fire();
      }
      if (
        (event.type === 'message.added' || event.type === 'thread.updated' || event.type === 'thread.created') &&
        typeof event.thread === 'string'
      ) {
        this.threadChanged.fire(event.thread);
      }
    } catch {
      // Not an event of ours.
    }
  }
}
