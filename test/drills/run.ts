import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { runIntegrationTests } from '../harness/runIntegration';
import { LayerResult } from '../support/suiteSummary';
import { DRILLS, Patch } from './drills';

/**
 * `npm run test:drills`: applies each deliberate leak to a copy of the extension, builds it, runs
 * the leak scan against it inside a real VS Code, and fails unless the scan catches every one. An
 * unpatched copy runs first and must pass, so a drill's failure is its leak and not the copy.
 */
const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
/** The leak scan: the first test of secrets.test.ts. */
const SCAN = 'drives every account command and error path with secrets typed into the input boxes';
const COPIED = ['src', 'l10n', 'media', 'package.json', 'package.nls.json', 'package.nls.ja.json', 'package.nls.vi.json', 'tsconfig.json'];

/** Applies a patch; its text must occur exactly once, or the drill no longer tests what it says. */
export function applyPatch(root: string, patch: Patch): void {
  const path = join(root, patch.file);
  const text = readFileSync(path, 'utf8');
  const count = text.split(patch.find).length - 1;
  if (count !== 1) {
    throw new Error(`The drill's patch of ${patch.file} matches ${count} times instead of once: update the drill.`);
  }
  writeFileSync(
    path,
    text.replace(patch.find, () => patch.replace),
  );
}

async function extensionCopy(patches: readonly Patch[]): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'mx-drill-'));
  for (const entry of COPIED) {
    cpSync(join(PROJECT_ROOT, entry), join(root, entry), { recursive: true });
  }
  for (const patch of patches) {
    applyPatch(root, patch);
  }
  // The extension host loads dist/extension.js (package.json "main"); esbuild does not type-check, as a hurried edit would not.
  await build({
    entryPoints: [join(root, 'src', 'extension.ts')],
    outfile: join(root, 'dist', 'extension.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'silent',
  });
  return root;
}

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly seconds: number;
}

async function runOne(name: string, patches: readonly Patch[], caughtBy: RegExp | undefined): Promise<Outcome> {
  const started = Date.now();
  const lines: string[] = [];
  let root: string | undefined;
  try {
    root = await extensionCopy(patches);
    const result = await runIntegrationTests({ grep: SCAN, extensionDevelopmentPath: root, onLine: (l) => lines.push(l), quiet: true });
    const output = lines.join('\n');
    const seconds = (Date.now() - started) / 1000;
    if (!caughtBy) {
      const ok = result.failed === 0 && result.passed > 0;
      return { name, ok, detail: ok ? 'passes' : `the unpatched copy fails:\n${output}`, seconds };
    }
    const caught = result.failed > 0 && caughtBy.test(output);
    const where = output.split('\n').find((l) => caughtBy.test(l)) ?? '';
    return {
      name,
      ok: caught,
      detail: caught ? where.trim().slice(0, 160) : `not caught (${result.failed} failed; expected ${String(caughtBy)}):\n${output}`,
      seconds,
    };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error), seconds: (Date.now() - started) / 1000 };
  } finally {
    if (root) {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

/** Every drill, the control first; one passed test per leak caught, one failed per leak missed. */
export async function runDrills(): Promise<LayerResult> {
  const outcomes: Outcome[] = [await runOne('control: no leak', [], undefined)];
  // Indented like mocha's lines: a ✔ at the start of a line reads as node's test runner to log parsers.
  console.log(`  ${outcomes[0]?.ok ? '✔' : '✗'} control: no leak (${outcomes[0]?.seconds.toFixed(0)} s)`);
  if (!outcomes[0]?.ok) {
    console.log(outcomes[0]?.detail);
  } else {
    for (const drill of DRILLS) {
      let outcome = await runOne(drill.name, drill.patches, drill.caughtBy);
      if (!outcome.ok && /Timeout of \d+ms exceeded/.test(outcome.detail)) {
        // The scan never got to look (the session stalled before it): once more. Caught still needs a finding.
        console.log(`  … ${drill.name}: the scan timed out before it looked; once more`);
        outcome = await runOne(drill.name, drill.patches, drill.caughtBy);
      }
      outcomes.push(outcome);
      console.log(
        `  ${outcome.ok ? '✔ caught' : '✗ MISSED'}: ${drill.name} (${outcome.seconds.toFixed(0)} s)${outcome.ok ? '' : `\n${outcome.detail}`}`,
      );
    }
  }
  console.log('\ndrill                                                        result');
  for (const o of outcomes) {
    console.log(
      `${o.name.padEnd(60)} ${o.ok ? (o.name.startsWith('control') ? 'passes' : 'caught') : 'MISSED'}  ${o.detail.split('\n')[0]}`,
    );
  }
  const total = outcomes.reduce((t, o) => t + o.seconds, 0);
  console.log(`\n${outcomes.length} VS Code sessions, ${total.toFixed(0)} s in all`);
  const failed = outcomes.filter((o) => !o.ok).length + (outcomes.length < DRILLS.length + 1 ? DRILLS.length + 1 - outcomes.length : 0);
  return { passed: outcomes.filter((o) => o.ok).length, failed, skipped: 0 };
}

if (require.main === module) {
  runDrills().then(
    (r) => process.exit(r.failed > 0 || r.passed === 0 ? 1 : 0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
