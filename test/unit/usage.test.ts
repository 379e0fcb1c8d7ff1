import * as assert from 'node:assert/strict';
import { parseUsage, peakUsage } from '../../src/core/graph/usage';

describe('Usage headers', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

  it('parses X-App-Usage', () => {
    const u = parseUsage(headers({ 'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":25}' }));
    assert.deepEqual(u.app, { callCount: 28, totalTime: 25, totalCputime: 25 });
    assert.equal(peakUsage(u), 28);
  });

  it('parses X-Business-Use-Case-Usage with estimated_time_to_regain_access', () => {
    const u = parseUsage(
      headers({
        'x-business-use-case-usage':
          '{"1093482904102":[{"type":"messenger","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":3}]}',
      }),
    );
    assert.deepEqual(u.business, [
      {
        businessObjectId: '1093482904102',
        type: 'messenger',
        callCount: 97,
        totalCputime: 23,
        totalTime: 23,
        estimatedTimeToRegainAccess: 3,
      },
    ]);
    assert.equal(peakUsage(u), 97);
  });

  it('parses the legacy X-Page-Usage', () => {
    assert.deepEqual(parseUsage(headers({ 'x-page-usage': '{"call_count":5,"total_time":1,"total_cputime":2}' })).page, {
      callCount: 5,
      totalTime: 1,
      totalCputime: 2,
    });
  });

  it('ignores malformed headers', () => {
    const u = parseUsage(headers({ 'x-app-usage': 'not json', 'x-business-use-case-usage': '[1,2]' }));
    assert.deepEqual(u, { business: [] });
    assert.equal(peakUsage(u), 0);
  });
});
