/**
 * Turns a failed setup step's output into one plain message: which step, why, and what to run.
 * Pure, so every cause is unit-tested; the raw output stays in the step's log file.
 */
export interface FailedStep {
  /** What the step installs, e.g. "code-server 4.139.1". */
  readonly step: string;
  readonly exitCode: number | null;
  readonly output: string;
  readonly logFile: string;
  /** The cache folder the step writes to, for the disk-full advice. */
  readonly dir: string;
  /** The command to run again once the cause is fixed, e.g. "npm test". */
  readonly rerun: string;
}

export type FailureCause = 'disk-full' | 'no-root' | 'registry' | 'install-script' | 'other';

export function failureCause(output: string): FailureCause {
  if (/ENOSPC|No space left on device/i.test(output)) {
    return 'disk-full';
  }
  if (/are you root|Permission denied|EACCES|EPERM|Could not open lock file/i.test(output)) {
    return 'no-root';
  }
  if (
    /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|socket hang up|network request to .* failed|Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect/i.test(
      output,
    )
  ) {
    return 'registry';
  }
  if (/postinstall|install script|lifecycle script|command sh -c|gyp ERR/i.test(output)) {
    return 'install-script';
  }
  return 'other';
}

export function explainFailure(failed: FailedStep): string {
  const why: Record<FailureCause, string> = {
    'disk-full': `the disk is full. Free some space where ${failed.dir} lives (df -h ${failed.dir}), then run ${failed.rerun} again.`,
    'no-root': `it needs root to install system packages. Run ${failed.rerun} as root, or install them first with sudo (see the log).`,
    registry: `the package registry did not answer. Check the network and proxy (npm config get registry; apt-get update), then run ${failed.rerun} again.`,
    'install-script': `its install script failed. The log says why; run ${failed.rerun} again once it is fixed.`,
    other: `it exited with code ${String(failed.exitCode)}. The log says why; run ${failed.rerun} again once it is fixed.`,
  };
  const cause = failureCause(failed.output);
  // An unknown cause shows the tool's last words; a known one is said plainly, and the log has the rest.
  const tail = cause === 'other' ? lastLines(failed.output, 3) : '';
  return [
    `Setup failed while installing ${failed.step}: ${why[cause]}`,
    ...(tail ? [`  last lines: ${tail}`] : []),
    `  full log: ${failed.logFile}`,
  ].join('\n');
}

function lastLines(output: string, count: number): string {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-count)
    .join(' | ')
    .slice(0, 400);
}
