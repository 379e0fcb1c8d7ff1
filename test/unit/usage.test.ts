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

// Edges found unpinned by mutation testing (test/mutation/SURVIVORS.md).
describe('Usage headers: what is not a figure', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

  it('reads a missing, non-numeric or non-finite figure as 0, and keeps eta and type only when typed right', () => {
    const u = parseUsage(
      headers({
        'x-app-usage': '{"call_count":"50","total_time":1e999,"estimated_time_to_regain_access":"5","type":7}',
        'x-page-usage': '{"total_cputime":12,"estimated_time_to_regain_access":0,"type":"pages"}',
      }),
    );
    assert.deepEqual(u.app, { callCount: 0, totalTime: 0, totalCputime: 0 });
    assert.deepEqual(u.page, { callCount: 0, totalTime: 0, totalCputime: 12, estimatedTimeToRegainAccess: 0, type: 'pages' });
  });

  it('skips business entries that are not objects, and business values that are not lists', () => {
    const u = parseUsage(
      headers({ 'x-business-use-case-usage': '{"1":[null,[1],"x",{"call_count":3}],"2":{"call_count":9},"3":[{"total_time":4}]}' }),
    );
    assert.deepEqual(u.business, [
      { businessObjectId: '1', callCount: 3, totalTime: 0, totalCputime: 0 },
      { businessObjectId: '3', callCount: 0, totalTime: 4, totalCputime: 0 },
    ]);
    assert.deepEqual(parseUsage(headers({ 'x-business-use-case-usage': 'null', 'x-app-usage': '[]', 'x-page-usage': '' })), {
      business: [],
    });
    assert.deepEqual(parseUsage(headers({ 'x-app-usage': '5', 'x-page-usage': '"text"' })), { business: [] });
  });

  it('peaks over every figure of every header', () => {
    const figures = (callCount: number, totalTime: number, totalCputime: number) => ({ callCount, totalTime, totalCputime });
    assert.equal(peakUsage({ app: figures(1, 2, 3), business: [] }), 3);
    assert.equal(peakUsage({ app: figures(1, 5, 3), business: [] }), 5);
    assert.equal(peakUsage({ page: figures(40, 0, 0), business: [] }), 40);
    assert.equal(peakUsage({ app: figures(10, 0, 0), business: [{ businessObjectId: 'b', ...figures(0, 0, 60) }] }), 60);
  });
});
