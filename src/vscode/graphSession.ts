import * as vscode from 'vscode';
import { DisposableStore } from '../core/events';
import { TokenRegistry } from '../core/accounts/tokenRegistry';
import { GraphClient } from '../core/graph/client';
import { GraphError } from '../core/graph/errors';
import { RequestScheduler } from '../core/graph/scheduler';
import { GraphTransport, ResponseInfo } from '../core/graph/transport';
import { Logger } from './logger';
import { affectsGraphEndpoint, GraphEndpoint, readGraphEndpoint, requestTimeoutMs } from './settings';

/**
 * The Graph client for the current endpoint settings, rebuilt when they change. Everything that
 * talks to the Graph API gets its client here, so a refused host stops every request.
 */
export class GraphSession extends DisposableStore {
  private current: { endpoint: GraphEndpoint; client?: GraphClient; transport?: GraphTransport; signIn?: GraphTransport };
  /** Which token may go to which host; every transport of this session asks it before sending. */
  readonly tokens = new TokenRegistry();
  private readonly changed = this._register(new vscode.EventEmitter<GraphEndpoint>());
  readonly onDidChangeEndpoint = this.changed.event;
  private readonly usageChanged = this._register(new vscode.EventEmitter<number>());
  /** The highest rate-limit usage (percent) Meta reported in the last response that had any. */
  readonly onDidChangeUsage = this.usageChanged.event;
  /** Retries, rate-limit pauses and concurrency for every request of this endpoint. */
  scheduler!: RequestScheduler;
  private usageSubscription: { dispose(): void } | undefined;

  constructor(
    private readonly log: Logger,
    /** A browser's extension host: a failed request is probed to tell a stopped host from one refusing browsers. */
    private readonly inBrowser = false,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {
    super();
    this.current = this.build();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsGraphEndpoint(e)) {
          // Work started for the old host stops here: nothing it still has queued reaches the new one.
          this.current.transport?.close();
          this.current.signIn?.close();
          this.current = this.build();
          this.changed.fire(this.current.endpoint);
        }
      }),
    );
  }

  get endpoint(): GraphEndpoint {
    return this.current.endpoint;
  }

  /** The client, or a hostRefused error explaining which setting to fix. */
  client(): GraphClient {
    const { endpoint, client } = this.current;
    if (!client) {
      throw endpoint.ok
        ? new GraphError({ kind: 'hostRefused', message: 'No Graph client.' })
        : new GraphError({ kind: 'hostRefused', message: endpoint.reason, said: 'localized' });
    }
    return client;
  }

  /**
   * The client for signing in (Login for Devices, the long-lived exchange): same host and token
   * gate, but no scheduler, whose retries and rate-limit pauses would misread Meta's "slow down"
   * answer (code 17) as a rate limit on the person's token.
   */
  signInClient(): GraphClient {
    const { endpoint, signIn } = this.current;
    if (!signIn) {
      throw new GraphError({ kind: 'hostRefused', message: endpoint.ok ? 'No Graph client.' : endpoint.reason });
    }
    return new GraphClient(signIn);
  }

  /** Resolves once the settings point at `origin` (a settings write reaches this window asynchronously). */
  whenEndpointIs(origin: string, timeoutMs = 5000): Promise<void> {
    const matches = (e: GraphEndpoint) => e.ok && e.origin === origin;
    if (matches(this.current.endpoint)) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new GraphError({ kind: 'hostRefused', message: `The Graph host setting did not change to ${origin}.` }));
      }, timeoutMs);
      const subscription = this.onDidChangeEndpoint((e) => {
        if (matches(e)) {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      });
    });
  }

  private build(): { endpoint: GraphEndpoint; client?: GraphClient; transport?: GraphTransport; signIn?: GraphTransport } {
    this.usageSubscription?.dispose();
    this.scheduler = new RequestScheduler();
    this.usageSubscription = this.scheduler.onDidChangeUsage((usage) => this.usageChanged.fire(usage));
    const endpoint = readGraphEndpoint();
    if (!endpoint.ok) {
      this.log.error(endpoint.reason);
      return { endpoint };
    }
    const transport = new GraphTransport({
      fetch: this.fetchImpl,
      host: endpoint.origin,
      apiVersion: endpoint.apiVersion,
      timeoutMs: requestTimeoutMs(),
      onResponse: (info) => this.logResponse(info),
      scheduler: this.scheduler,
      gate: this.tokens,
      probeReach: this.inBrowser,
    });
    const signIn = new GraphTransport({
      fetch: this.fetchImpl,
      host: endpoint.origin,
      apiVersion: endpoint.apiVersion,
      timeoutMs: requestTimeoutMs(),
      onResponse: (info) => this.logResponse(info),
      gate: this.tokens,
      probeReach: this.inBrowser,
    });
    this.log.info(`Graph API: ${endpoint.origin}/${endpoint.apiVersion}`);
    return { endpoint, client: new GraphClient(transport), transport, signIn };
  }

  private logResponse(info: ResponseInfo): void {
    this.log.trace(`${info.method} /${info.path} → ${info.status} in ${info.durationMs.toFixed(0)} ms`);
  }

  override dispose(): void {
    this.current.transport?.close();
    this.current.signIn?.close();
    this.usageSubscription?.dispose();
    super.dispose();
  }
}
