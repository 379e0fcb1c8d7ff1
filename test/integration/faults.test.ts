import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { PageNode } from '../../src/core/explorer/nodes';
import type { FaultRule, GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { control, faultsServed, logMark, startSimulatorFor, useGraphHost } from './support/simulator';
import { errorRowUnder, isErrorRow, isThreadRow, pageRowOf, rowsUnder, threadRowsOfPage } from './support/rows';
import { expandInView, renderedErrorRowUnder } from './support/tree';
import { eventually, ui, uiDriverAvailable } from './support/ui';

interface ViewFault {
  readonly name: string;
  readonly rule: Omit<FaultRule, 'match'>;
  /** What the error row's tooltip tells the user; undefined when a retry recovers. */
  readonly says?: RegExp;
  /** App- and user-level limits stop every call, not only this Page's. */
  readonly global?: boolean;
}

const TEMPORARY = /temporary problem: try again/;
const FAULTS: ViewFault[] = [
  ...[500, 502, 503].map((status): ViewFault => ({ name: `HTTP ${status} once`, rule: { kind: 'status', status, times: 1 } })),
  { name: 'HTTP 503 once with Retry-After', rule: { kind: 'status', status: 503, retryAfter: '1', times: 1 } },
  { name: 'HTTP 503 every time', rule: { kind: 'status', status: 503 }, says: TEMPORARY },
  { name: 'connection reset once', rule: { kind: 'reset', times: 1 } },
  { name: 'connection reset every time', rule: { kind: 'reset' }, says: /could not be reached: check your connection/ },
  { name: 'timeout', rule: { kind: 'timeout' }, says: /did not answer in time/ },
  { name: 'malformed JSON', rule: { kind: 'malformed' }, says: /not the expected JSON/ },
  { name: 'truncated body', rule: { kind: 'truncated' }, says: /could not be reached|not the expected JSON/ },
  { name: 'HTML error page', rule: { kind: 'html', status: 502 }, says: TEMPORARY },
  ...[4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006].map((code): ViewFault => ({
    name: `rate limit ${code}`,
    rule: { kind: 'rateLimit', code },
    says: /rate-limiting/,
    global: code === 4 || code === 17,
  })),
  ...[458, 460, 463, 467].map((subcode): ViewFault => ({
    name: `token 190/${subcode}`,
    rule: { kind: 'graphError', code: 190, subcode, status: 401, message: 'Error validating access token' },
    says: /update it with "Messenger Explorer: Update Token/,
  })),
  {
    name: 'invalid appsecret_proof',
    rule: { kind: 'graphError', code: 100, message: 'Invalid appsecret_proof provided in the API argument' },
    says: /add the app \(App ID and App Secret\)/,
  },
  {
    name: 'missing appsecret_proof',
    rule: { kind: 'graphError', code: 100, message: 'API calls from the server require an appsecret_proof argument' },
    says: /add the app \(App ID and App Secret\)/,
  },
  ...[10, 200, 230].map((code): ViewFault => ({
    name: `permission ${code}`,
    rule: { kind: 'graphError', code, status: 403, message: `(#${code}) Permission denied` },
    says: /lacks a permission or Page task/,
  })),
  {
    name: '(#200) business review',
    rule: {
      kind: 'graphError',
      code: 200,
      status: 403,
      message: '(#200) Your business is currently going through review to access this API.',
    },
    says: /reviewing your business/,
  },
  {
    name: 'unknown ID 100/33',
    rule: { kind: 'graphError', code: 100, subcode: 33, message: "Unsupported get request. Object with ID '1' does not exist" },
    says: /does not exist, was deleted/,
  },
  {
    name: 'unknown ID 803',
    rule: { kind: 'graphError', code: 803, message: '(#803) Some of the aliases you requested do not exist' },
    says: /does not exist, was deleted/,
  },
];

describe('Faults in the real views: one case per fault', function () {
  this.timeout(240_000);
  let api: TestApi;
  let sim: GraphSimulator;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    api = await activateExtension();
    await vscode.workspace.getConfiguration('messengerExplorer').update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    sim = await startSimulatorFor(api, { seed: 12 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await vscode.workspace
      .getConfiguration('messengerExplorer')
      .update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });

  const pageNode = async (withInstagram: boolean) => {
    const real = sim.world.pages.find((p) => Boolean(p.instagram) === withInstagram) ?? assert.fail('a Page');
    const node = (await api.trees.conversations.getChildren()).find((n): n is PageNode => n.kind === 'page' && n.page.id === real.id);
    assert.ok(node);
    return { real, node };
  };

  for (const fault of FAULTS) {
    it(`${fault.name}: ${fault.says ? 'an error row that says what to do' : 'recovers by retrying'}, and the rest of the tree works`, async () => {
      sim.reset();
      api.internals.accounts.resetForTests();
      const { real, node } = await pageNode(false);
      await control(sim, '/faults', { rules: [{ ...fault.rule, match: `${real.id}/conversations` }] });
      await vscode.commands.executeCommand('messengerExplorer.refreshNode', node);
      await expandInView(api, node);
      const children = await eventually(
        async () => {
          const rows = await rowsUnder(api, node);
          assert.ok(
            rows.some((row) => isErrorRow(row) || isThreadRow(row)),
            rows.map((row) => row.label).join(', '),
          );
          return rows;
        },
        20_000,
        'the list to settle',
      );
      if (fault.says) {
        const row = children.find(isErrorRow);
        assert.ok(row, `an error row: ${children.map((c) => c.contextValue).join(',')}`);
        if (uiDriverAvailable()) {
          // The row as drawn: what it says (its screen-reader sentence holds the whole explanation) and that it retries.
          const shown = await renderedErrorRowUnder(api, node, 'the error row drawn');
          assert.match(shown.ariaLabel, fault.says);
          assert.match(shown.ariaLabel, /\. Activate to retry\.$/);
          assert.doesNotMatch(shown.ariaLabel, /\.\./, 'one full stop, not two');
          assert.equal(shown.description, 'Retry');
          assert.doesNotMatch(`${shown.label} ${shown.ariaLabel}`, new RegExp(real.accessToken));
        } else {
          const item = api.trees.conversations.getTreeItem(row.node);
          assert.match(typeof item.tooltip === 'string' ? item.tooltip : '', fault.says);
          assert.doesNotMatch(item.accessibilityInformation?.label ?? '', /\.\./, 'one full stop, not two');
          assert.doesNotMatch(typeof item.tooltip === 'string' ? item.tooltip : '', new RegExp(real.accessToken));
        }
        // What activating the row runs (Enter on it is driven in conversations.test.ts).
        assert.equal(
          api.trees.conversations.getTreeItem(row.node).command?.command,
          'messengerExplorer.retry',
          'the row retries when activated',
        );
      } else {
        assert.ok(children.some(isThreadRow) && !children.some(isErrorRow), 'loaded after a retry');
      }
      // The fault really happened, as often as asked: once, or on every request for the list. Fails when injection is off.
      const { served, requests } = faultsServed(sim, fault.rule.kind, { match: `${real.id}/conversations` });
      if (fault.rule.times === undefined) {
        assert.ok(served >= 1 && served === requests, `the ${fault.rule.kind} fault answered ${served} of ${requests} request(s)`);
      } else {
        assert.equal(served, fault.rule.times, `the ${fault.rule.kind} fault was served ${served} time(s)`);
        assert.ok(requests > served, 'and the retry that recovered went through');
      }
      await control(sim, '/faults', { rules: [] }).then(() => sim.reset());
      const other = await pageNode(true);
      await vscode.commands.executeCommand('messengerExplorer.refreshNode', other.node);
      await expandInView(api, other.node);
      if (fault.global) {
        // The whole app is over its limit: other Pages wait too, with the same explanation, and no request goes out.
        const platforms = await rowsUnder(api, other.node);
        const paused = await Promise.all(platforms.map((platform) => errorRowUnder(api, platform.node, 'another Page paused', 20_000)));
        for (const [i, row] of paused.entries()) {
          if (uiDriverAvailable()) {
            const platform = platforms[i] ?? assert.fail('its platform row');
            await expandInView(api, platform.node);
            const shown = await renderedErrorRowUnder(api, platform.node, 'the pause drawn');
            assert.match(shown.ariaLabel, /rate-limit/, 'the pause says why');
          } else {
            assert.match(row.tooltip, /rate-limit/, 'the pause says why');
          }
        }
        assert.equal(sim.log.length, 0);
      } else {
        await threadRowsOfPage(api, other.node, 'another Page still loads', 20_000);
      }
      assert.deepEqual(unhandled, [], 'no unhandled rejection');
    });
  }

  it('shows rate-limit usage in the status bar, as a warning above 75%', async function () {
    api.internals.accounts.resetForTests();
    const { real, node } = await pageNode(false);
    const mark = logMark(sim);
    await control(sim, '/faults', { rules: [{ kind: 'rateLimit', code: 80006, match: `${real.id}/conversations`, times: 1 }] });
    await vscode.commands.executeCommand('messengerExplorer.refreshNode', node);
    await api.views.conversations.reveal(node, { expand: true, select: false, focus: false });
    await eventually(() => assert.equal(faultsServed(sim, 'rateLimit', { since: mark }).served, 1), 10_000, 'the rate limit served once');
    if (!uiDriverAvailable()) {
      this.skip();
    }
    // What a person sees: the item's text, on the theme's warning background.
    await eventually(
      async () => assert.ok((await ui.visibleText('.statusbar-item.warning-kind')).some((t) => t.includes('Graph 100%'))),
      10_000,
      'the status bar item, as a warning',
    );
  });
});

describe('A simulator that is not running', function () {
  this.timeout(60_000);

  it('says so and how to start it, instead of blaming the connection or the proxy', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.messengerExplorer');
    const api = await activateExtension();
    const sim = await startSimulatorFor(api, { seed: 14 });
    try {
      await vscode.commands.executeCommand('messengerExplorer.signOut', true);
      await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
      const plain = sim.world.pages.find((p) => !p.instagram) ?? assert.fail('a Page without Instagram');
      const { node } = await pageRowOf(api, plain.id);
      await sim.stop();
      await vscode.commands.executeCommand('messengerExplorer.refreshNode', node);
      await expandInView(api, node);
      const { tooltip } = await errorRowUnder(api, node, 'the load to fail', 20_000);
      // What the row says as drawn (its screen-reader sentence holds the whole explanation).
      const said = uiDriverAvailable() ? (await renderedErrorRowUnder(api, node, 'the error row drawn')).ariaLabel : tooltip;
      assert.match(
        said,
        new RegExp(
          `Nothing answers at ${sim.url.replace(/\./g, '\\.')}: the local simulator is not running there\\. Start it with npm run simulator`,
        ),
      );
      assert.doesNotMatch(said, /proxy/);
    } finally {
      await vscode.commands.executeCommand('messengerExplorer.signOut', true);
      await useGraphHost(api, undefined);
      await sim.stop();
    }
  });
});
