import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const COMPLETE = '.complete';

export interface CacheEntry {
  /** The entry's final folder, e.g. <cache>/code-server-4.139.1. */
  readonly dir: string;
  /** Fills the staging folder; the entry appears only if this resolves and `isWhole` agrees. */
  install(staging: string): Promise<void>;
  /** Whether a folder holds a whole install (checked on the staging folder and again on reuse). */
  isWhole(dir: string): boolean;
}

/**
 * Installs into `<dir>.partial-<pid>` and renames it into place only when whole, so an interrupted
 * or failed install is never mistaken for a complete one; a folder without its marker is replaced.
 */
export async function ensureCacheEntry(entry: CacheEntry): Promise<string> {
  if (isReady(entry, entry.dir)) {
    return entry.dir;
  }
  removeAbandonedStaging(entry.dir);
  const staging = `${entry.dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await entry.install(staging);
    if (!entry.isWhole(staging)) {
      throw new Error(`the install of ${basename(entry.dir)} finished but is incomplete`);
    }
    writeFileSync(join(staging, COMPLETE), new Date().toISOString());
    if (isReady(entry, entry.dir)) {
      return entry.dir; // Another run finished first; keep its copy.
    }
    rmSync(entry.dir, { recursive: true, force: true });
    renameSync(staging, entry.dir);
    return entry.dir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function isReady(entry: CacheEntry, dir: string): boolean {
  return existsSync(join(dir, COMPLETE)) && entry.isWhole(dir);
}

/** Staging folders of runs that died (their process is gone). */
function removeAbandonedStaging(dir: string): void {
  const parent = dirname(dir);
  if (!existsSync(parent)) {
    return;
  }
  const prefix = `${basename(dir)}.partial-`;
  for (const name of readdirSync(parent)) {
    const pid = Number(name.startsWith(prefix) ? name.slice(prefix.length) : NaN);
    if (Number.isInteger(pid) && !isAlive(pid)) {
      rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
