import { delimiter } from 'node:path';

/**
 * The environment for every tool the harness starts (npm, apt-get, code-server).
 *
 * An outer `npm test` / `npm start` exports variables that describe itself (`npm_config_user_agent`
 * names Node 20, `npm_config_*` carry its config, `npm_package_*`, `npm_lifecycle_*`, `NODE`,
 * `INIT_CWD`) and puts `node_modules/.bin` and its node-gyp shim on PATH. A nested npm under Node 24
 * reads them as its own config; code-server's postinstall then believes it runs on Node 20.
 * Variables in upper case (`NPM_CONFIG_REGISTRY=…`) are the user's own and stay.
 */
export function toolEnv(base: NodeJS.ProcessEnv = process.env, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (!isOuterNpmVariable(name)) {
      env[name] = value;
    }
  }
  if (env.PATH !== undefined) {
    env.PATH = env.PATH.split(delimiter)
      .filter((dir) => !isOuterNpmPathEntry(dir))
      .join(delimiter);
  }
  return { ...env, ...extra };
}

export function isOuterNpmVariable(name: string): boolean {
  return name.startsWith('npm_') || name === 'NODE' || name === 'INIT_CWD';
}

export function isOuterNpmPathEntry(dir: string): boolean {
  return /[\\/]node_modules[\\/]\.bin[\\/]?$/.test(dir) || /node-gyp-bin[\\/]?$/.test(dir);
}
