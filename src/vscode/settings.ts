import * as vscode from 'vscode';
import { hostRefusalText } from './errorText';
import { normalize, SETTINGS, SettingName, SettingSpec, ValueOf } from './settingsSpec';
import {
  checkGraphHost,
  DEFAULT_API_VERSION,
  DEFAULT_GRAPH_HOST,
  hostKey,
  isLoopbackHostname,
  isValidApiVersion,
} from '../core/graph/hosts';

export const SECTION = 'messengerExplorer';

export type GraphEndpoint =
  | { readonly ok: true; readonly origin: string; readonly hostKey: string; readonly apiVersion: string; readonly isSimulator: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Where tokens are sent. Both settings have application scope and are read from the user's own
 * settings only (`inspect().globalValue`): a workspace can never redirect tokens.
 */
export function readGraphEndpoint(): GraphEndpoint {
  const config = vscode.workspace.getConfiguration(SECTION);
  const host = config.inspect<string>('graph.host')?.globalValue ?? DEFAULT_GRAPH_HOST;
  const version = config.inspect<string>('graph.apiVersion')?.globalValue ?? DEFAULT_API_VERSION;
  const checked = checkGraphHost(host);
  if (!checked.ok) {
    return {
      ok: false,
      reason: vscode.l10n.t('The setting messengerExplorer.graph.host is not allowed: {0}', hostRefusalText(checked.problem, host)),
    };
  }
  if (!isValidApiVersion(version)) {
    return {
      ok: false,
      reason: vscode.l10n.t('The setting messengerExplorer.graph.apiVersion must look like {0}, not "{1}".', DEFAULT_API_VERSION, version),
    };
  }
  return {
    ok: true,
    origin: checked.origin,
    hostKey: hostKey(checked.origin),
    apiVersion: version,
    isSimulator: isLoopbackHostname(new URL(checked.origin).hostname),
  };
}

/** Where requests go, as the views show it: the host, and whether it is the local simulator. */
export function endpointLabel(endpoint: GraphEndpoint): string | undefined {
  if (!endpoint.ok) {
    return undefined;
  }
  const host = new URL(endpoint.origin).host;
  return endpoint.isSimulator ? vscode.l10n.t('{0} (local simulator)', host) : host;
}

export function setGraphHost(origin: string | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update('graph.host', origin, vscode.ConfigurationTarget.Global);
}

/** The value in force: clamped to the manifest range, and for restricted settings trusted scopes only in Restricted Mode. */
export function setting<N extends SettingName>(name: N, scope?: vscode.ConfigurationScope): ValueOf<N> {
  const spec: SettingSpec = SETTINGS[name];
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const raw: unknown = spec.restricted && !vscode.workspace.isTrusted ? trustedValue(config, name) : config.get(name);
  return normalize(spec, raw) as ValueOf<N>;
}

/** What the user set for themselves (or the default): never the workspace's or folder's value. */
function trustedValue(config: vscode.WorkspaceConfiguration, name: string): unknown {
  const inspected = config.inspect(name);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function expiryWarningDays(): number {
  return setting('tokens.expiryWarningDays');
}

export function requestTimeoutMs(): number {
  return setting('requestTimeoutSeconds') * 1000;
}

export function affectsGraphEndpoint(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.graph`) || e.affectsConfiguration(`${SECTION}.requestTimeoutSeconds`);
}
