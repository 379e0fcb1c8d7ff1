// Builds the extension bundle (and the simulator's own bundle, which never ships in the .vsix).
// Usage: node esbuild.js [--production] [--watch] [--simulator]
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const simulatorOnly = process.argv.includes('--simulator');

/** Prints errors in the format of the `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

const extensionNode = {
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'silent',
  plugins: watch ? [problemMatcher] : [],
};

// The web extension (vscode.dev, github.dev): the same code for a browser's web worker host.
const extensionBrowser = {
  ...extensionNode,
  entryPoints: ['src/extension.browser.ts'],
  outfile: 'dist/web/extension.js',
  platform: 'browser',
  target: 'es2022',
};

const simulator = {
  entryPoints: ['simulator/cli.ts'],
  outfile: 'dist-simulator/cli.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'silent',
  plugins: watch ? [problemMatcher] : [],
};

async function main() {
  const configs = simulatorOnly ? [simulator] : [extensionNode, extensionBrowser, simulator];
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.errors.length > 0)) {
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
