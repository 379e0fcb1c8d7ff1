/**
 * appsecret_proof: hex(HMAC-SHA256(key = app secret, message = access token)), computed with
 * Web Crypto so it works in Node and in a web worker. The timestamped form signs
 * "token|time" and is sent together with appsecret_time (valid for 5 minutes).
 */
const encoder = new TextEncoder();

async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)));
  let hex = '';
  for (const byte of signature) {
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

export function appsecretProof(accessToken: string, appSecret: string): Promise<string> {
  return hmacSha256Hex(appSecret, accessToken);
}

export interface TimedProof {
  readonly appsecret_proof: string;
  readonly appsecret_time: string;
}

export async function timedAppsecretProof(accessToken: string, appSecret: string, unixSeconds: number): Promise<TimedProof> {
  const time = String(Math.floor(unixSeconds));
  return { appsecret_proof: await hmacSha256Hex(appSecret, `${accessToken}|${time}`), appsecret_time: time };
}
