import * as assert from 'node:assert/strict';
import { AppAccount, PageAccount } from '../../src/core/accounts/accounts';
import { findIdsWithOwners, looksLikeTimestamp, ownAccountOf } from '../../src/core/ids/extract';
import { candidateOwners, UnresolvedError } from '../../src/core/ids/resolve';
import { resolveMany } from '../../src/core/ids/resolveMany';
import { messengerWebhookSample } from '../../src/core/ids/webhookSample';

const northwind: PageAccount = {
  kind: 'page',
  id: '1000000000000001',
  name: 'Northwind Outdoor',
  token: 'token-page',
  tasks: [],
  scopes: [],
  instagram: { id: '17841400000000001' },
};
const app: AppAccount = { kind: 'app', id: '200000000000001', name: 'Support Bot', secret: 'secret' };

describe('Bulk results say what is not a person, instead of blaming the user', () => {
  it("reads the connected account from resolveMany's own-ID answers, without a call", async () => {
    const ids = [northwind.id, '17841400000000001', app.id];
    const results = await resolveMany(
      () => Promise.reject(new Error('no call is made for own IDs')),
      ids,
      candidateOwners([northwind], [app]),
      { concurrency: 1 },
    );
    const said = ids.map((id) => {
      const result = results.get(id);
      assert.ok(result instanceof UnresolvedError);
      assert.equal(result.tried, 0);
      return ownAccountOf(result.reason?.message ?? '');
    });
    assert.deepEqual(said, [
      { kind: 'page', name: 'Northwind Outdoor' },
      { kind: 'instagram', name: 'Northwind Outdoor' },
      { kind: 'app', name: 'Support Bot' },
    ]);
    assert.equal(ownAccountOf("Unsupported get request. Object with ID '1763639040000' does not exist"), undefined);
  });

  it('calls a 13-digit millisecond time a timestamp, and no PSID, ASID or Page ID one', () => {
    assert.ok(looksLikeTimestamp('1763639040000'));
    assert.ok(looksLikeTimestamp(String(Date.UTC(2030, 0, 1))));
    for (const id of ['24012345678901234', '1000000000000001', '200000000000001', '9763639040000', '1763639040']) {
      assert.ok(!looksLikeTimestamp(id), id);
    }
  });

  it("the extension's own sample webhook: only the sender could be a person; the Page is the Page; times are not IDs", () => {
    const sample = messengerWebhookSample(northwind.id, '7000000000000042', 'Hi', 1_763_639_040_000);
    const { ids } = findIdsWithOwners(sample.text, new Set([northwind.id]));
    assert.deepEqual(
      ids.filter((id) => id !== northwind.id && !looksLikeTimestamp(id)),
      ['7000000000000042'],
    );
  });
});
