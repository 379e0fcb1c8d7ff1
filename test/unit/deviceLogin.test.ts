import * as assert from 'node:assert/strict';
import {
  clientAccessToken,
  DEVICE_PENDING,
  DEVICE_SLOW_DOWN,
  DeviceCode,
  DeviceToken,
  pollDeviceLogin,
  PollOptions,
} from '../../src/core/accounts/deviceLogin';
import { GraphError, GraphErrorKind } from '../../src/core/graph/errors';
import { rejection } from '../support/rejection';

const TOKEN: DeviceToken = { accessToken: 'EAAB-device', expiresIn: 3600 };

function device(interval: number, expiresIn = 420): DeviceCode {
  return { code: 'c', userCode: 'ABCD-EFGH', verificationUri: 'https://www.facebook.com/device', expiresIn, interval };
}

function statusError(kind: GraphErrorKind, code: number, subcode?: number): GraphError {
  return new GraphError({ kind, code, subcode, message: `${code}/${subcode ?? ''}` });
}

/** A fake clock whose sleeps pass at once; records each wait and each state reported while waiting. */
function clock(): { options: PollOptions; slept: number[]; waits: string[] } {
  let now = 0;
  const slept: number[] = [];
  const waits: string[] = [];
  return {
    slept,
    waits,
    options: {
      nowMs: () => now,
      sleep: (ms) => {
        slept.push(ms);
        now += ms;
        return Promise.resolve();
      },
      onWait: (state, intervalS) => waits.push(`${state} ${intervalS}`),
    },
  };
}

/** `/device/login_status` answering each poll in turn from `answers`, then approving. */
function status(...answers: GraphError[]): { check: () => Promise<DeviceToken>; polls: () => number } {
  let polls = 0;
  return {
    check: () => {
      const answer = answers[polls++];
      return answer ? Promise.reject(answer) : Promise.resolve(TOKEN);
    },
    polls: () => polls,
  };
}

describe('Sign-in with Login for Devices: polling', () => {
  it('signs in with the client access token APP_ID|CLIENT_TOKEN', () => {
    assert.equal(clientAccessToken({ appId: '1000000000001', clientToken: 'abc123' }), '1000000000001|abc123');
  });

  it('waits the interval Meta gave before each poll, and at least a second', async () => {
    const slow = clock();
    const pending = statusError('badRequest', 31, DEVICE_PENDING);
    assert.deepEqual(await pollDeviceLogin(status(pending).check, device(5), slow.options), { kind: 'approved', token: TOKEN });
    assert.deepEqual(slow.slept, [5000, 5000]);
    assert.deepEqual(slow.waits, ['pending 5']);
    const hasty = clock();
    await pollDeviceLogin(status().check, device(0), hasty.options);
    assert.deepEqual(hasty.slept, [1000]);
  });

  it('waits five seconds longer after each "slow down"', async () => {
    const c = clock();
    const slowDown = statusError('badRequest', 31, DEVICE_SLOW_DOWN);
    await pollDeviceLogin(status(slowDown, slowDown).check, device(5), c.options);
    assert.deepEqual(c.slept, [5000, 10000, 15000]);
    assert.deepEqual(c.waits, ['slowDown 10', 'slowDown 15']);
  });

  it('gives up without asking once the code has expired, but still asks at the very deadline', async () => {
    const c = clock();
    const pending = statusError('badRequest', 31, DEVICE_PENDING);
    const late = status(pending, pending, pending, pending);
    assert.deepEqual(await pollDeviceLogin(late.check, device(5, 12), c.options), { kind: 'expired' });
    assert.equal(late.polls(), 2, 'polled at 5 s and 10 s; at 15 s the 12 s code had expired');
    const onTime = status(pending);
    assert.deepEqual(await pollDeviceLogin(onTime.check, device(5, 10), clock().options), { kind: 'approved', token: TOKEN });
    assert.equal(onTime.polls(), 2, 'the poll at exactly 10 s still asked');
  });

  it('calls only a #200 permission refusal a decline; other failures end the sign-in with their error', async () => {
    assert.deepEqual(await pollDeviceLogin(status(statusError('permission', 200)).check, device(1), clock().options), { kind: 'declined' });
    for (const error of [
      statusError('unavailable', 200, 1545041),
      statusError('permission', 10),
      new GraphError({ kind: 'network', message: 'fetch failed' }),
    ]) {
      const polling = status(error);
      const thrown = await rejection(pollDeviceLogin(polling.check, device(1), clock().options));
      assert.equal(thrown, error);
      assert.equal(polling.polls(), 1);
    }
  });
});
