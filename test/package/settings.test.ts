import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalize, SETTINGS } from '../../src/vscode/settingsSpec';

const ROOT = resolve(__dirname, '..', '..', '..');

interface ManifestSetting {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  scope?: string;
}

const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, ManifestSetting> } };
};
const properties = manifest.contributes.configuration.properties;

describe('Settings: one accessor that agrees with the manifest', () => {
  it('knows every setting the manifest contributes (the two endpoint settings have their own reader)', () => {
    const own = Object.keys(SETTINGS).map((name) => `messengerExplorer.${name}`);
    const endpoint = ['messengerExplorer.graph.host', 'messengerExplorer.graph.apiVersion'];
    assert.deepEqual([...own, ...endpoint].sort(), Object.keys(properties).sort());
  });

  for (const [name, spec] of Object.entries(SETTINGS)) {
    it(`${name}: the same type, default and range as package.json`, () => {
      const declared = properties[`messengerExplorer.${name}`];
      assert.ok(declared);
      assert.equal(declared.type, spec.kind);
      assert.equal(declared.default, spec.default);
      if (spec.kind !== 'boolean') {
        assert.equal(declared.minimum, spec.min);
        assert.equal(declared.maximum, spec.max, 'every number has a maximum, so nothing can overflow a timer');
      }
    });
  }

  it('restricts, in untrusted workspaces, exactly the settings that change how requests are made', () => {
    const restricted = Object.entries(SETTINGS)
      .filter(([, s]) => s.restricted)
      .map(([n]) => `messengerExplorer.${n}`)
      .sort();
    assert.deepEqual(restricted, [
      'messengerExplorer.conversation.refreshSeconds',
      'messengerExplorer.linkedIds.cacheMinutes',
      'messengerExplorer.linkedIds.concurrency',
      'messengerExplorer.linkedIds.hoverNetwork',
      'messengerExplorer.requestTimeoutSeconds',
    ]);
    assert.deepEqual([...(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(), restricted);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('the endpoint settings are application-scoped: a workspace can never redirect tokens', () => {
    assert.equal(properties['messengerExplorer.graph.host']?.scope, 'application');
    assert.equal(properties['messengerExplorer.graph.apiVersion']?.scope, 'application');
  });

  it('clamps what a settings file can hold to the declared range', () => {
    const timeout = SETTINGS.requestTimeoutSeconds;
    assert.equal(normalize(timeout, 0.0001), 1, 'a tiny timeout becomes the minimum, not a RangeError');
    assert.equal(normalize(timeout, 2_200_000), 300, 'a huge timeout cannot overflow the timer');
    assert.equal(normalize(timeout, Number.NaN), 30);
    assert.equal(normalize(timeout, '10'), 30, 'a string is not a number');
    assert.equal(normalize(SETTINGS['linkedIds.concurrency'], 2.6), 3);
    assert.equal(normalize(SETTINGS['linkedIds.concurrency'], 1000), 16);
    assert.equal(normalize(SETTINGS['linkedIds.cacheMinutes'], -5), 0);
    assert.equal(normalize(SETTINGS['linkedIds.hoverNetwork'], 'yes'), false);
    assert.equal(normalize(SETTINGS['linkedIds.hoverNetwork'], true), true);
  });
});
