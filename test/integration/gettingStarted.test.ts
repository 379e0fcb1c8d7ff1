import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { Resolution } from '../../src/core/ids/resolve';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension, EXTENSION_ID } from './support/extension';
import { startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, ui, uiDriverAvailable } from './support/ui';

interface WalkthroughStep {
  readonly id: string;
  readonly description: string;
  readonly media: { readonly markdown?: string };
}

describe('First run: the walkthrough, from nothing to browsing threads and resolving an ID', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sim: GraphSimulator;
  const manifest = () =>
    vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { walkthroughs: { id: string; steps: WalkthroughStep[] }[] };
    };
  const closeEditors = () => vscode.commands.executeCommand('workbench.action.closeAllEditors');

  before(async () => {
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 4 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
  });
  after(async () => {
    await closeEditors();
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim.stop();
  });

  it('opens the walkthrough once for a new user, and never again', async () => {
    await api.storage.globalState.update('messengerExplorer.welcomed', undefined);
    assert.equal(await api.internals.gettingStarted.openOnFirstRun(), true);
    if (uiDriverAvailable()) {
      await eventually(
        async () => {
          const text = (await ui.visibleText('.gettingStartedContainer')).join('\n');
          assert.match(text, /Get Started with Messenger Explorer/);
          assert.match(text, /Connect an account/);
          assert.match(text, /Resolve an ID from an editor/);
        },
        15_000,
        'the walkthrough editor',
      );
      await ui.screenshot('walkthrough');
    }
    assert.equal(await api.internals.gettingStarted.openOnFirstRun(), false, 'only once per profile');
    await closeEditors();
  });

  it('does not open it for someone who has already connected an account', async () => {
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    await api.storage.globalState.update('messengerExplorer.welcomed', undefined);
    assert.equal(await api.internals.gettingStarted.openOnFirstRun(), false);
  });

  it('links every step to commands that exist, with Markdown media', async () => {
    const walkthrough =
      manifest().contributes.walkthroughs.find((w) => w.id === 'messengerExplorer.gettingStarted') ??
      assert.fail('the walkthrough is contributed');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['connect', 'browse', 'resolve', 'tokens'],
    );
    const registered = new Set(await vscode.commands.getCommands(false));
    for (const step of walkthrough.steps) {
      const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(links.length > 0, `${step.id} has a button`);
      for (const command of links) {
        assert.ok(registered.has(command), `${step.id}: ${command} is a command`);
      }
      // The %placeholder% is replaced by VS Code with the display language's file (package.nls*.json).
      assert.equal(step.media.markdown, `media/walkthrough/${step.id}.md`, `${step.id} shows its English Markdown drawing`);
    }
  });

  it('opens a sample webhook event on a real PSID, which Resolve ID at Cursor resolves', async () => {
    await vscode.commands.executeCommand('messengerExplorer.openSampleWebhook');
    const editor = vscode.window.activeTextEditor ?? assert.fail('the sample is open');
    assert.equal(editor.document.languageId, 'json');
    assert.ok(editor.document.isUntitled, 'an unsaved document the user can save');
    assert.match(editor.document.uri.path, /^Sample webhook event( \(\d+\))?\.json$/, 'a readable tab title, not Untitled-1');
    const event = JSON.parse(editor.document.getText()) as {
      object: string;
      entry: { id: string; messaging: { sender: { id: string }; recipient: { id: string } }[] }[];
    };
    assert.equal(event.object, 'page');
    const psid = event.entry[0].messaging[0].sender.id;
    const page = sim.world.pages.find((p) => p.id === event.entry[0].id) ?? assert.fail('the sample names a connected Page');
    const person =
      sim.world.people.find((p) => p.psids.get(page.id) === psid) ?? assert.fail(`${psid} is a person's PSID for ${page.name}`);
    const word = editor.document.getText(editor.document.getWordRangeAtPosition(editor.selection.active, /\d+/));
    assert.equal(word, psid, "the cursor is on the sender's PSID");
    const resolution = await vscode.commands.executeCommand<Resolution>('messengerExplorer.resolveAtCursor');
    assert.equal(resolution.id, psid);
    assert.equal(resolution.name, person.name);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
