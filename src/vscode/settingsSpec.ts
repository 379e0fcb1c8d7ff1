// Pure data and logic (no vscode import): the package tests check it against package.json.

/**
 * Every other setting, typed and clamped to its manifest range in one place. Settings that change
 * what the extension does on its own (timeouts, network hovers, concurrency, caching) are
 * `restrictedConfigurations`: in Restricted Mode they are read from the user's settings only, so a
 * cloned repository's .vscode/settings.json cannot change them.
 */
export interface NumberSetting {
  readonly kind: 'number' | 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly restricted: boolean;
}
export interface BooleanSetting {
  readonly kind: 'boolean';
  readonly default: boolean;
  readonly restricted: boolean;
}

export type SettingSpec = NumberSetting | BooleanSetting;

export const SETTINGS = {
  'tokens.expiryWarningDays': { kind: 'number', default: 7, min: 0, max: 60, restricted: false },
  requestTimeoutSeconds: { kind: 'number', default: 30, min: 1, max: 300, restricted: true },
  'conversations.pageSize': { kind: 'integer', default: 25, min: 1, max: 100, restricted: false },
  'messages.pageSize': { kind: 'integer', default: 20, min: 1, max: 100, restricted: false },
  'linkedIds.cacheMinutes': { kind: 'number', default: 60, min: 0, max: 10_080, restricted: true },
  'linkedIds.concurrency': { kind: 'integer', default: 4, min: 1, max: 16, restricted: true },
  'linkedIds.hover': { kind: 'boolean', default: false, restricted: false },
  'linkedIds.hoverNetwork': { kind: 'boolean', default: false, restricted: true },
  'conversation.refreshSeconds': { kind: 'integer', default: 0, min: 0, max: 3600, restricted: true },
  'conversation.showImages': { kind: 'boolean', default: true, restricted: false },
} as const satisfies Record<string, NumberSetting | BooleanSetting>;

export type SettingName = keyof typeof SETTINGS;
export type ValueOf<N extends SettingName> = (typeof SETTINGS)[N]['default'] extends boolean ? boolean : number;

export function normalize(spec: SettingSpec, raw: unknown): number | boolean {
  if (spec.kind === 'boolean') {
    return typeof raw === 'boolean' ? raw : spec.default;
  }
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    return spec.default;
  }
  const value = spec.kind === 'integer' ? Math.round(raw) : raw;
  return Math.min(spec.max, Math.max(spec.min, value));
}
