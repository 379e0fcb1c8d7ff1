import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const read = <T>(name: string) => JSON.parse(readFileSync(resolve(ROOT, name), 'utf8')) as T;
interface Manifest {
  contributes: {
    viewsWelcome: { view: string; contents: string; when?: string }[];
    walkthroughs: { id: string; steps: { id: string; description: string; completionEvents?: string[] }[] }[];
  };
}
const manifest = read<Manifest>('package.json');
const nls = read<Record<string, string>>('package.nls.json');
const text = (value: string) => nls[value.replace(/^%|%$/g, '')] ?? value;

describe('What the welcome view and the walkthrough say is true in every host', () => {
  it('says "keychain" only where the host keeps tokens in a keychain, and "browser" in a web host', () => {
    const welcomes = manifest.contributes.viewsWelcome.filter((w) => w.view === 'messengerExplorer.conversations');
    const keychain = welcomes.filter((w) => /keychain/i.test(text(w.contents)));
    assert.ok(keychain.length > 0);
    for (const w of keychain) {
      assert.match(w.when ?? '', /!messengerExplorer\.webHost/, `${w.contents} is not shown in a browser`);
    }
    const web = welcomes.filter((w) => /(^|&& )messengerExplorer\.webHost/.test(w.when ?? ''));
    assert.equal(web.length, 1, 'one welcome for web hosts');
    assert.match(text(web[0].contents), /browser/);
    assert.doesNotMatch(text(web[0].contents), /keychain/);
    const remote = welcomes.find((w) => /(^|&& )messengerExplorer\.remoteHost/.test(w.when ?? ''));
    assert.match(text(remote?.contents ?? ''), /not on the remote machine/);
  });

  it('ticks a step only when the user did the thing, never on opening a view or pressing a button that can fail', () => {
    const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
    for (const step of steps) {
      for (const event of step.completionEvents ?? []) {
        assert.doesNotMatch(event, /^onView:/, `${step.id} completes on ${event}`);
      }
    }
    const tokens = steps.find((s) => s.id === 'tokens');
    assert.deepEqual(tokens?.completionEvents, ['onCommand:messengerExplorer.walkthrough.showAccounts']);
    assert.ok(
      text(tokens?.description ?? '').includes('(command:messengerExplorer.walkthrough.showAccounts)'),
      'the step links the command it completes on',
    );
    assert.match(text(tokens?.description ?? ''), /browser/);
    const resolveStep = steps.find((s) => s.id === 'resolve');
    assert.deepEqual(resolveStep?.completionEvents, ['onContext:messengerExplorer.resolvedAnId']);
  });
});
