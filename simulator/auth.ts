import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors, GraphErrorBody } from './graphError';
import { TokenRecord, World } from './world';

export interface Presented {
  readonly token?: string;
  readonly proof?: string;
  readonly proofTime?: string;
}

const PROOF_WINDOW_S = 300;

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks the token and, where the app requires it, appsecret_proof (plain or appsecret_time form).
 * "Require App Secret" means the secret or a proof: an app access token (`APP_ID|APP_SECRET`)
 * carries the secret, so it needs no proof (a proof it does send must still be right).
 */
export function authenticate(
  world: World,
  presented: Presented,
  nowMs: number,
  requireProof = false,
  appTokenWithoutProof = true,
): TokenRecord | GraphErrorBody {
  if (!presented.token) {
    return errors.noToken();
  }
  const record = world.tokens.get(presented.token);
  if (!record) {
    return errors.invalidToken();
  }
  if (!record.valid) {
    return errors.invalidToken(record.invalidSubcode ?? 467);
  }
  if (record.expiresAt > 0 && record.expiresAt * 1000 < world.clock()) {
    return errors.expiredToken();
  }
  const app = world.app(record.appId);
  const secretInToken = appTokenWithoutProof && record.kind === 'app';
  if (app && (app.requireProof || requireProof || presented.proof !== undefined)) {
    if (!presented.proof && secretInToken) {
      return record;
    }
    if (!presented.proof) {
      return errors.proofMissing();
    }
    let expected: string;
    if (presented.proofTime !== undefined) {
      const time = Number(presented.proofTime);
      if (!Number.isInteger(time) || Math.abs(nowMs / 1000 - time) > PROOF_WINDOW_S) {
        return errors.proofInvalid();
      }
      expected = createHmac('sha256', app.secret).update(`${presented.token}|${presented.proofTime}`).digest('hex');
    } else {
      expected = createHmac('sha256', app.secret).update(presented.token).digest('hex');
    }
    if (!sameHex(presented.proof.toLowerCase(), expected)) {
      return errors.proofInvalid();
    }
  }
  return record;
}

export function isErrorBody(value: unknown): value is GraphErrorBody {
  return typeof value === 'object' && value !== null && 'body' in value && 'status' in value;
}
