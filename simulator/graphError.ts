/** Graph API error envelopes, as Meta sends them. Texts marked synthetic are unconfirmed guesses. */
export interface GraphErrorBody {
  readonly status: number;
  readonly body: { error: Record<string, unknown> };
  readonly headers?: Record<string, string>;
}

let trace = 0;
function fbtraceId(): string {
  trace++;
  return `SIM${trace.toString(36).padStart(8, '0')}`;
}

export function graphError(
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
  type = 'OAuthException',
): GraphErrorBody {
  const error = { message, type, code, ...extra, fbtrace_id: fbtraceId() };
  const headers: Record<string, string> = {};
  if (type === 'OAuthException' && (code === 190 || code === 102 || code === 104)) {
    headers['www-authenticate'] = `OAuth "Facebook Platform" "invalid_token" "${message.replace(/"/g, "'")}"`;
  }
  return { status, body: { error }, headers };
}

export const errors = {
  noToken: () => graphError(400, 104, 'An access token is required to request this resource.'),
  invalidToken: (subcode?: number) =>
    graphError(
      400,
      190,
      subcode === 460
        ? 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.'
        : subcode === 458
          ? 'Error validating access token: The user has not authorized application.'
          : 'Invalid OAuth access token - Cannot parse access token',
      subcode === undefined ? {} : { error_subcode: subcode },
    ),
  expiredToken: () =>
    graphError(
      400,
      190,
      'Error validating access token: Session has expired on Thursday, 19-Nov-26 04:00:00 PST. The current time is Friday, 20-Nov-26 04:00:00 PST.',
      { error_subcode: 463 },
    ),
  proofMissing: () => graphError(400, 100, 'API calls from the server require an appsecret_proof argument', {}, 'GraphMethodException'),
  proofInvalid: () => graphError(400, 100, 'Invalid appsecret_proof provided in the API argument', {}, 'GraphMethodException'),
  unsupportedPost: (id: string) =>
    graphError(
      400,
      100,
      `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      { error_subcode: 33 },
      'GraphMethodException',
    ),
  unsupportedGet: (id: string) =>
    graphError(
      400,
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      { error_subcode: 33 },
      'GraphMethodException',
    ),
  nonexistingField: (field: string, node: string) =>
    graphError(400, 100, `(#100) Tried accessing nonexisting field (${field}) on node type (${node})`),
  badParam: (message: string) => graphError(400, 100, `(#100) ${message}`),
  // HTTP 400, as in the reference's batch example (its 803 item has code 400).
  aliases: (ids: string[]) => graphError(400, 803, `(#803) Some of the aliases you requested do not exist: ${ids.join(',')}`),
  permission: (message: string) => graphError(403, 200, `(#200) ${message}`),
  permission10: (message: string) => graphError(403, 10, `(#10) ${message}`),
  businessReview: () => graphError(403, 200, '(#200) Your business is currently going through review to access this API.'),
  /** Synthetic: Meta documents the rule but not the error's code or text. */
  messageTooOld: () =>
    graphError(
      400,
      100,
      '(#100) The message has been deleted (simulator: only the 20 most recent messages of an Instagram thread can be read).',
    ),
  parse: (message: string) => graphError(400, 2500, message),
  rateLimit: (code: number) => graphError(400, code, rateLimitText(code), code === 613 ? { error_subcode: 1996 } : {}),
};

export function rateLimitText(code: number): string {
  switch (code) {
    case 4:
      return '(#4) Application request limit reached';
    case 17:
      return '(#17) User request limit reached';
    case 32:
      return '(#32) Page request limit reached';
    case 613:
      return '(#613) Calls to this api have exceeded the rate limit.';
    case 80001:
      return '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.';
    case 80002:
      return '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.';
    case 80006:
      return '(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.';
    default:
      return `(#${code}) There have been too many calls for this business use case. Wait a bit and try again.`;
  }
}

/** Send API and webhook errors (reference A12.7 and A13.1; texts marked synthetic are the simulator's own). */
export const sendErrors = {
  recipientRequired: () => graphError(400, 100, '(#100) The parameter recipient is required'),
  recipientInvalid: () => graphError(400, 100, '(#100) Param recipient[id] must be a valid ID string (e.g., "123")'),
  noMatchingUser: () => graphError(400, 100, '(#100) No matching user found', { error_subcode: 2018001 }),
  bothMessageAndAction: () =>
    graphError(400, 100, '(#100) Cannot send both message and state at the same time.', { error_subcode: 2018014 }),
  neitherMessageNorAction: () => graphError(400, 100, '(#100) Must send either message or state', { error_subcode: 2018015 }),
  emptyMessage: () =>
    graphError(400, 100, '(#100) Message cannot be empty, must provide valid attachment or text', { error_subcode: 2018034 }),
  textTooLong: (limit: number) => graphError(400, 100, `(#100) Length of param message[text] must be less than or equal to ${limit}`),
  outsideWindow: (instagram: boolean) =>
    instagram
      ? graphError(400, 10, '(#10) This message is sent outside of allowed window.', { error_subcode: 2534022 })
      : graphError(
          400,
          10,
          '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
          { error_subcode: 2018278 },
        ),
  invalidTag: () => graphError(400, 100, '(#100) Invalid tag.'),
  tagNeedsMessageTag: () => graphError(400, 100, '(#100) Messaging type should be MESSAGE_TAG for tagged messages.'),
  retiredTag: () => graphError(400, 100, 'Invalid parameter', { error_subcode: 1893061 }),
  newsPermission: () =>
    graphError(400, 10, '(#10) This message is sent outside of allowed window. You need News Messaging permission to be able to do it.', {
      error_subcode: 2018065,
    }),
  fetchFailed: () => graphError(400, 100, '(#100) Failed to fetch the file from the url', { error_subcode: 2018008 }),
  attachmentNotYours: () =>
    graphError(400, 100, '(#100) The attachment_id you provided is not owned by this page or does not exist', { error_subcode: 2018074 }),
  invalidTemplate: () => graphError(400, 100, '(#100) Invalid template type'),
  quickRepliesTooFew: () => graphError(400, 194, '(#194) param message[quick_replies] has too few elements.'),
  quickReplyTitle: () => graphError(400, 100, '(#100) Title is required for this quick reply content type', { error_subcode: 2018098 }),
  quickReplyPayload: () => graphError(400, 100, '(#100) Payload is required for this quick reply content type', { error_subcode: 2018099 }),
  sendRate: () => graphError(400, 613, '(#613) Calls to this api have exceeded the rate limit.', { error_subcode: 2534040 }),
  appTokenRequired: () => graphError(400, 15, '(#15) This method must be called with an app access_token.'),
  callbackFailed: (message: string) => graphError(400, 2200, message),
};
