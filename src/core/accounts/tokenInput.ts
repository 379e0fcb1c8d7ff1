/** What a pasted credential is expected to be. */
export type ExpectedToken = 'user' | 'page' | 'app';

export type TokenInputProblem =
  | 'empty'
  | 'bearerPrefix'
  | 'queryParameter'
  | 'quoted'
  | 'innerWhitespace'
  | 'invalidCharacters'
  | 'truncated'
  | 'appTokenGiven'
  | 'appTokenMissingSeparator'
  | 'appTokenBadAppId'
  | 'appTokenBadSecret';

export type InputCheck<T> =
  | { readonly ok: true; readonly value: T; readonly trimmed: boolean }
  | { readonly ok: false; readonly problem: TokenInputProblem | AppInputProblem };

export type AppInputProblem = 'appIdEmpty' | 'appIdNotNumeric' | 'appIdLength' | 'appSecretEmpty' | 'appSecretFormat';

/** User and Page tokens are long; anything shorter was cut off while copying. */
const MIN_TOKEN_LENGTH = 32;
const TOKEN_CHARACTERS = /^[\w.~+/=-]+$/;
const APP_ID = /^\d+$/;
const APP_SECRET = /^[0-9a-f]{32}$/i;

/**
 * Checks a pasted access token before anything is sent or stored. Surrounding whitespace is
 * removed (and reported, so the input box can say so); everything else suspicious is refused
 * with a problem the UI turns into advice.
 */
export function checkTokenInput(raw: string, expected: ExpectedToken): InputCheck<string> {
  const token = raw.trim();
  const trimmed = token.length !== raw.length;
  if (token.length === 0) {
    return fail('empty');
  }
  if (/^(bearer|oauth)\s/i.test(token)) {
    return fail('bearerPrefix');
  }
  // Anywhere: a URL's query, or a pasted `.env` line such as PAGE_ACCESS_TOKEN=… (tokens never contain it).
  if (/access_token=/i.test(token)) {
    return fail('queryParameter');
  }
  if (/^["'`].*["'`]$/s.test(token)) {
    return fail('quoted');
  }
  if (/\s/.test(token)) {
    return fail('innerWhitespace');
  }
  if (token.includes('|')) {
    return expected === 'app' ? checkAppTokenParts(token, trimmed) : fail('appTokenGiven');
  }
  if (expected === 'app') {
    return fail('appTokenMissingSeparator');
  }
  if (token.endsWith('…') || token.endsWith('...')) {
    return fail('truncated');
  }
  if (!TOKEN_CHARACTERS.test(token)) {
    return fail('invalidCharacters');
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    return fail('truncated');
  }
  return { ok: true, value: token, trimmed };
}

function checkAppTokenParts(token: string, trimmed: boolean): InputCheck<string> {
  const [appId = '', secret = '', ...rest] = token.split('|');
  if (rest.length > 0 || !APP_ID.test(appId)) {
    return fail('appTokenBadAppId');
  }
  if (!APP_SECRET.test(secret)) {
    return fail('appTokenBadSecret');
  }
  return { ok: true, value: token, trimmed };
}

/** App IDs are decimal numbers of 5 to 20 digits. */
export function checkAppId(raw: string): InputCheck<string> {
  const value = raw.trim();
  if (value.length === 0) {
    return fail('appIdEmpty');
  }
  if (!APP_ID.test(value)) {
    return fail('appIdNotNumeric');
  }
  if (value.length < 5 || value.length > 20) {
    return fail('appIdLength');
  }
  return { ok: true, value, trimmed: value.length !== raw.length };
}

/** App secrets are 32 hexadecimal characters (App settings → Basic → App secret). */
export function checkAppSecret(raw: string): InputCheck<string> {
  const value = raw.trim();
  if (value.length === 0) {
    return fail('appSecretEmpty');
  }
  if (!APP_SECRET.test(value)) {
    return fail('appSecretFormat');
  }
  return { ok: true, value: value.toLowerCase(), trimmed: value.length !== raw.length };
}

function fail<T>(problem: TokenInputProblem | AppInputProblem): InputCheck<T> {
  return { ok: false, problem };
}
