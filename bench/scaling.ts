import { GraphClient } from '../src/core/graph/client';
import { Credentials, GraphTransport } from '../src/core/graph/transport';
import { findIdsWithOwners } from '../src/core/ids/extract';
import { Owner, ownerCredentials } from '../src/core/ids/resolve';
import { resolveMany, ResolveManyReport } from '../src/core/ids/resolveMany';
import { startSimulator } from '../simulator/index';
import { accountsOf, bareList, webhookLog, withoutAppScopedId } from './idFiles';

/** How calls and requests grow with the number of Pages (1,000 IDs, counts only). */
async function main(): Promise<void> {
  for (const businesses of [1, 2, 4, 8]) {
    const sim = await startSimulator({
      seed: 7,
      businesses,
      pagesPerBusiness: 2,
      appsPerBusiness: 2,
      people: 3000,
      conversationsPerPage: 600,
      limits: { app: 1e9, user: 1e9, page: 1e9 },
      itemCostMs: 0,
    });
    const client = new GraphClient(new GraphTransport({ fetch, host: sim.url }));
    const { apps, owners } = accountsOf(sim.world);
    const call = <T>(o: Owner, work: (c: GraphClient, creds: Credentials) => Promise<T>) => work(client, ownerCredentials(o, apps));
    const accountIds = new Set(
      owners.flatMap((o) => [o.account.id, ...(o.kind === 'page' && o.account.instagram ? [o.account.instagram.id] : [])]),
    );
    const log = webhookLog(sim.world);
    for (const file of [log, bareList(log)]) {
      sim.reset();
      let report: ResolveManyReport | undefined;
      const found = findIdsWithOwners(file.text, accountIds);
      await resolveMany(call, found.ids, owners, { hints: found.hints, concurrency: 6, onReport: (r) => (report = r) });
      const c = sim.calls();
      console.log(
        `| ${sim.world.pages.length} | ${file.name} | ${file.ids.length} | ${withoutAppScopedId(sim.world, file)} | ${c.total} | ${report?.discoveryCalls ?? 0} | ${c.httpRequests} | ${report?.discoveryRequests ?? 0} |`,
      );
    }
    await sim.stop();
  }
}
void main();
