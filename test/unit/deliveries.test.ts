import * as assert from 'node:assert/strict';
import { decodeDeliveryDetail, decodeDeliveryList, deliveryStatusCode } from '../../src/core/webhooks/deliveries';

describe('The simulator delivery log, decoded', () => {
  const entry = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    app: '1',
    object: 'page',
    url: 'http://127.0.0.1:3000/webhook',
    events: [{ field: 'message_echoes' }, { field: 'message_deliveries' }, { field: 'message_echoes' }],
    status: 'delivered',
    attempts: 1,
    http_status: 200,
    latency_ms: 4,
    created_at: '2026-01-01T00:00:00.000Z',
    response_body: 'EVENT_RECEIVED',
    attempt_log: [{ at: '2026-01-01T00:00:00.000Z', status: 200, latencyMs: 4 }],
    ...extra,
  });

  it('lists newest first, each field once, and skips what is not an entry', () => {
    const list = decodeDeliveryList({ deliveries: [entry('d_1'), null, { no: 'id' }, entry('d_2', { redelivery_of: 'd_1' })] });
    assert.deepEqual(
      list.map((d) => d.id),
      ['d_2', 'd_1'],
    );
    assert.deepEqual(list[0]?.fields, ['message_echoes', 'message_deliveries']);
    assert.equal(list[0]?.redeliveryOf, 'd_1');
    assert.equal(list[1]?.attemptLog[0]?.latencyMs, 4);
    assert.deepEqual(decodeDeliveryList({}), []);
  });

  it('reads the HTTP status only when the bot answered', () => {
    const [failed] = decodeDeliveryList({ deliveries: [entry('d_3', { status: 'failed', http_status: 0, error: 'ECONNREFUSED' })] });
    assert.equal(failed && deliveryStatusCode(failed), undefined);
    assert.equal(failed?.state, 'failed');
    assert.equal(decodeDeliveryList({ deliveries: [entry('d_4', { status: 'odd' })] })[0]?.state, 'pending');
  });

  it('reads the HTTP status of a delivery the bot answered', () => {
    const [delivered] = decodeDeliveryList({ deliveries: [entry('d_7')] });
    assert.equal(delivered && deliveryStatusCode(delivered), 200);
  });

  it('fills what an older simulator left out with neutral values', () => {
    assert.deepEqual(decodeDeliveryList({ deliveries: [{ id: 'd_8' }] }), [
      {
        id: 'd_8',
        fields: [],
        object: 'page',
        url: '',
        state: 'pending',
        attempts: 0,
        httpStatus: undefined,
        latencyMs: undefined,
        error: undefined,
        redeliveryOf: undefined,
        createdAt: '',
        responseBody: undefined,
        attemptLog: [],
      },
    ]);
  });

  it('skips events without a field and attempts that are not objects', () => {
    const [d] = decodeDeliveryList({
      deliveries: [entry('d_9', { events: [{ field: 'messages' }, {}, null, { field: 7 }], attempt_log: [null, 'x', 7, { status: 502 }] })],
    });
    assert.deepEqual(d?.fields, ['messages']);
    assert.deepEqual(d?.attemptLog, [{ at: '', status: 502, error: undefined, latencyMs: undefined }]);
  });

  it('keeps the payload of a detail', () => {
    const detail = decodeDeliveryDetail({ ...entry('d_5'), payload: { object: 'page', entry: [] } });
    assert.deepEqual(detail?.payload, { object: 'page', entry: [] });
    assert.equal(decodeDeliveryDetail({ ...entry('d_6'), body: 'not json' })?.payload, 'not json');
  });
});
