import * as vscode from 'vscode';
import { Redactor } from '../core/redact';

const PREFIX = 'messengerExplorer';
const INDEX_KEY = `${PREFIX}/index`;

/**
 * Secrets in VS Code's SecretStorage (the OS keychain on desktop), keyed by Graph host so that a
 * token stored for one host is never sent to another. SecretStorage cannot list its keys in
 * VS Code 1.96, so the vault keeps its own index of key names, itself in SecretStorage.
 */
export class SecretVault {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly redactor: Redactor,
  ) {}

  static keyFor(host: string, name: string): string {
    return `${PREFIX}/${host}/${name}`;
  }

  async get(host: string, name: string): Promise<string | undefined> {
    const value = await this.storage.get(SecretVault.keyFor(host, name));
    this.redactor.register(value);
    return value;
  }

  store(host: string, name: string, value: string): Promise<void> {
    this.redactor.register(value);
    const key = SecretVault.keyFor(host, name);
    return this.serialized(async () => {
      await this.storage.store(key, value);
      const keys = await this.readIndex();
      if (!keys.includes(key)) {
        await this.writeIndex([...keys, key]);
      }
    });
  }

  delete(host: string, name: string): Promise<void> {
    const key = SecretVault.keyFor(host, name);
    return this.serialized(async () => {
      await this.storage.delete(key);
      await this.writeIndex((await this.readIndex()).filter((k) => k !== key));
    });
  }

  /** Every key this extension has stored, across hosts. */
  keys(): Promise<string[]> {
    return this.serialized(() => this.readIndex());
  }

  /** Deletes every secret this extension stored, then the index itself. */
  clear(): Promise<void> {
    return this.serialized(async () => {
      for (const key of await this.readIndex()) {
        await this.storage.delete(key);
      }
      await this.storage.delete(INDEX_KEY);
    });
  }

  isOwnKey(key: string): boolean {
    return key.startsWith(`${PREFIX}/`);
  }

  private async readIndex(): Promise<string[]> {
    const raw = await this.storage.get(INDEX_KEY);
    if (!raw) {
      return [];
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return [];
    }
  }

  private async writeIndex(keys: string[]): Promise<void> {
    if (keys.length === 0) {
      await this.storage.delete(INDEX_KEY);
    } else {
      await this.storage.store(INDEX_KEY, JSON.stringify(keys));
    }
  }

  /** Index updates are read-modify-write: run them one at a time. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
