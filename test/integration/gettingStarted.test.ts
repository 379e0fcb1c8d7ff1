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

describe('The Get Started walkthrough: its steps, its links and its sample', function () {
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

  // The real first activation happens once per session (firstRun.test.ts); this other case of it
  // can only be had by calling the first-run check itself.
  it('the first-run check (called directly) does not open the walkthrough for someone who has already connected an account', async () => {
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    await api.storage.globalState.update('messengerExplorer.welcomed', undefined);
    assert.equal(await api.internals.gettingStarted.openOnFirstRun(), false);
    assert.equal(api.storage.globalState.get('messengerExplorer.welcomed'), true);
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

  it("opens a sample webhook event on a real PSID, which Resolve Linked IDs in the editor's context menu resolves", async () => {
    // The sample needs a connected Page with a thread (also when this test runs alone).
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
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
    if (uiDriverAvailable()) {
      // As the walkthrough's step says: the context menu on the ID.
      await ui.editorContextMenu(psid, 'Resolve Linked IDs');
      await eventually(
        async () => {
          const rows = await ui.treeRows('Linked IDs');
          assert.ok(
            rows.some((r) => r.label === `${psid} · ${person.name}`),
            rows.map((r) => r.label).join(' | '),
          );
        },
        10_000,
        "the sender's row in the Linked IDs view",
      );
    } else {
      const resolution = await vscode.commands.executeCommand<Resolution>('messengerExplorer.resolveAtCursor');
      assert.equal(resolution.id, psid);
      assert.equal(resolution.name, person.name);
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
