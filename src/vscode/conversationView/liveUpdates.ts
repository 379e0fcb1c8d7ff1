import { checkSimulatorUrl } from '../../core/accounts/simulatorCredentials';
import { DisposableStore, Emitter } from '../../core/events';
import { Logger } from '../logger';

const RECONNECT_MS = 2000;

/**
 * The local simulator's change stream (`GET /__simulator/events?key=…`, server-sent events), read
 * with fetch so it works in Node and in a browser worker. It needs the simulator's control key,
 * which only `npm start` hands over (the connect flow does not keep it); without a key, the views
 * poll the simulator instead. Nothing here ever carries a Graph token.
 */
export class SimulatorChangeStream extends DisposableStore {
  private readonly threadChanged = this._register(new Emitter<string>());
  /** A thread got a message or changed: its ID. */
  readonly onDidChangeThread = this.threadChanged.event;
  private readonly connectionChanged = this._register(new Emitter<boolean>());
  readonly onDidChangeConnection = this.connectionChanged.event;
  private readonly keys = new Map<string, string>();
  private origin: string | undefined;
  private abort: AbortController | undefined;
  private isConnected = false;
  private lastEventId: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly log: Logger,
    launcherUrl: string | undefined,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {
    super();
    const launcher = launcherUrl ? checkSimulatorUrl(launcherUrl) : undefined;
    if (launcher?.ok && launcher.key) {
      this.keys.set(launcher.origin, launcher.key);
    }
  }

  get connected(): boolean {
    return this.isConnected;
  }

  useKey(origin: string, key: string): void {
    this.keys.set(origin, key);
    if (this.origin === origin && !this.isConnected) {
      this.restart();
    }
  }

  /** Follows the stream of this simulator origin (or none). */
  follow(origin: string | undefined): void {
    const wanted = origin && this.keys.has(origin) ? origin : undefined;
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
          this.keys.delete(origin);
          this.origin = undefined;
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
