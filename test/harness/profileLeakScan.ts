import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeFindings, Finding, LeakScanner, Secret } from '../integration/support/leakScan';

/**
 * The leak scan's second half, run by the harness once code-server has stopped (VS Code writes
 * storage lazily and flushes it on shutdown): every byte of the profile — user data (settings,
 * state databases, workspaceStorage, History, Backups, globalStorage), every log folder, the
 * home folder the server ran with. The test writes what to look for in LEAK_SCAN_ENV's file.
 */
export const LEAK_SCAN_ENV = 'MESSENGER_EXPLORER_LEAK_SCAN';

/** What the leak test hands the harness. */
export interface LeakScanRequest {
  readonly secrets: Secret[];
  readonly publicTexts: string[];
  /** Non-secret values the test put where the extension stores and logs: each must be found on disk. */
  readonly markers: Marker[];
}

/** A non-secret value the test put somewhere the extension stores or logs, and a part of the path it must be found under. */
export interface Marker extends Secret {
  readonly under: string;
}

export interface ProfileScan {
  readonly files: number;
  readonly bytes: number;
  readonly findings: Finding[];
  /** Markers the scan did not find: the scan did not see a place it claims to read. */
  readonly missedMarkers: string[];
  readonly markerPlaces: string[];
}

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      yield* filesUnder(path);
    } else if (stat?.isFile()) {
      yield path;
    }
  }
}

export function scanProfile(profileDir: string, request: LeakScanRequest): ProfileScan {
  const secrets = new LeakScanner(request.secrets, request.publicTexts);
  const markers = new LeakScanner(request.markers);
  const findings: Finding[] = [];
  const markerHits = new Map<string, string[]>();
  let files = 0;
  let bytes = 0;
  for (const file of existsSync(profileDir) ? filesUnder(profileDir) : []) {
    // Bytes as latin1: SQLite pages, LevelDB logs and JSON all keep ASCII text as is.
    const text = readFileSync(file).toString('latin1');
    const place = relative(profileDir, file);
    files++;
    bytes += text.length;
    findings.push(...secrets.scan(place, text));
    for (const hit of markers
      .scan(place, text)
      .filter((h) => place.includes(request.markers.find((m) => m.label === h.secret)?.under ?? '\0'))) {
      markerHits.set(hit.secret, [...(markerHits.get(hit.secret) ?? []), place]);
    }
  }
  return {
    files,
    bytes,
    findings,
    missedMarkers: request.markers.map((m) => m.label).filter((l) => !markerHits.has(l)),
    markerPlaces: [...markerHits].map(([label, places]) => `${label}: ${[...new Set(places)].join(', ')}`),
  };
}

/** The scan's verdict as lines for the test log; empty when clean and every marker was found. */
export function profileScanProblems(scan: ProfileScan): string[] {
  const problems: string[] = [];
  if (scan.findings.length > 0) {
    problems.push(`A planted secret appears in VS Code's profile on disk:\n${describeFindings(scan.findings)}`);
  }
  if (scan.missedMarkers.length > 0) {
    problems.push(`The profile scan did not find its markers (it does not see where they are stored): ${scan.missedMarkers.join(', ')}`);
  }
  return problems;
}
