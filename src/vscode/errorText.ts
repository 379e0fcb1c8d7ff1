import * as vscode from 'vscode';
import { ConnectError, ConnectProblem } from '../core/accounts/connect';
import { AppInputProblem, ExpectedToken, TokenInputProblem } from '../core/accounts/tokenInput';
import { GraphError, GraphErrorKind, HostRefusal } from '../core/graph/errors';
import { isLoopbackHostname } from '../core/graph/hosts';
import type { GraphReach } from '../core/graph/reach';
import { UnresolvedError } from '../core/ids/resolve';
import { redact } from './redaction';
import { ExtensionRuntime } from './runtime';

/** What to do about each kind of Graph failure, in the user's language. */
function graphHint(kind: GraphErrorKind, runtime: ExtensionRuntime): string {
  switch (kind) {
    case 'invalidToken':
      return vscode.l10n.t('The access token is invalid or has expired: update it with "Messenger Explorer: Update Token…".');
    case 'appSecretProof':
      return vscode.l10n.t(
        'The app requires appsecret_proof: add the app (App ID and App Secret) that this token belongs to, or check that its secret is current.',
      );
    case 'permission':
      return vscode.l10n.t(
        'The token lacks a permission or Page task this call needs (for example pages_messaging or the MESSAGING task): grant it, then update the token.',
      );
    case 'businessReview':
      return vscode.l10n.t(
        'Meta is reviewing your business for this API, which can take about 48 hours after the first call: wait, then try again.',
      );
    case 'rateLimited':
      return vscode.l10n.t('Meta is rate-limiting these calls: wait until access is regained, then try again.');
    case 'transient':
      return vscode.l10n.t('Meta reported a temporary problem: try again in a moment.');
    case 'notFound':
      return vscode.l10n.t('The ID does not exist, was deleted, or is not visible to this token: check the ID and which account you use.');
    case 'messageUnavailable':
      return vscode.l10n.t(
        'Instagram only returns details of the 20 most recent messages of a thread; older messages are reported as deleted.',
      );
    case 'badRequest':
      return vscode.l10n.t('The Graph API rejected the request: check the ID and parameters.');
    case 'network':
      return runtime.kind === 'browser'
        ? vscode.l10n.t(
            'The Graph API could not be reached from the browser: check your connection. A browser reaches only hosts that answer cross-origin requests (CORS), as the local simulator does; if this host does not, use VS Code desktop.',
          )
        : vscode.l10n.t('The Graph API could not be reached: check your connection and proxy settings (http.proxy).');
    case 'timeout':
      return vscode.l10n.t('The Graph API did not answer in time: try again, or raise messengerExplorer.requestTimeoutSeconds.');
    case 'cancelled':
      return vscode.l10n.t('The request was cancelled.');
    case 'malformed':
      return vscode.l10n.t('The Graph API answered with something that is not the expected JSON: try again, and report it if it persists.');
    case 'blocked':
      return vscode.l10n.t(
        "Meta has temporarily blocked these calls for a policy violation: wait before trying again, and check the Page's quality in Business Suite.",
      );
    case 'unavailable':
      return vscode.l10n.t(
        'This person cannot receive messages from the Page right now (blocked, deactivated or restricted): do not retry.',
      );
    case 'hostRefused':
      return vscode.l10n.t(
        'Tokens are only sent to https://graph.facebook.com, https://graph.instagram.com or a local simulator on a loopback address.',
      );
  }
}

/**
 * Meta's own message with its code and trace id, then what to do. A message the core wrote (in
 * English, for the log) is never shown: the text is built here from the error's kind and facts.
 */
export function graphErrorText(error: GraphError, runtime: ExtensionRuntime): string {
  const own = ownFailureText(error, runtime);
  if (own !== undefined) {
    return own;
  }
  const wait =
    error.kind === 'rateLimited' && error.retryAfterMs
      ? ` ${vscode.l10n.t('Calls with this account resume in about {0} min.', Math.max(1, Math.ceil(error.retryAfterMs / 60_000)))}`
      : '';
  const said = saidText(error);
  if (said === undefined) {
    const status = error.httpStatus === undefined ? '' : ` (HTTP ${error.httpStatus})`;
    return `${graphHint(error.kind, runtime)}${status}${wait}`;
  }
  const codes =
    error.code === undefined
      ? undefined
      : `${vscode.l10n.t('code {0}', error.subcode === undefined ? String(error.code) : `${error.code}/${error.subcode}`)}${error.fbtraceId ? `, fbtrace_id ${error.fbtraceId}` : ''}`;
  const words = said.replace(/[.。]$/, '');
  const head = codes === undefined ? vscode.l10n.t('{0}.', words) : vscode.l10n.t('{0} ({1}).', words, codes);
  return `${head} ${graphHint(error.kind, runtime)}${wait}`;
}

/** Meta's own words, or a text the glue already wrote in the user's language; never the core's English. */
function saidText(error: GraphError): string | undefined {
  if (error.said === 'meta') {
    return error.userMessage ?? error.message;
  }
  return error.said === 'localized' ? error.message : undefined;
}

/**
 * What failed, in a few words for a tree row. Meta's words when it wrote them for people
 * (error_user_msg), or when VS Code speaks English; otherwise Meta's developer message (always
 * English) would stand in front of the row in another language, so the row says what to do in the
 * user's language after Meta's code. The tooltip keeps Meta's own words.
 */
export function graphErrorSummary(error: GraphError, runtime: ExtensionRuntime): string {
  const english = !vscode.env.language || /^en\b/.test(vscode.env.language);
  if (error.said === 'meta' && error.userMessage === undefined && !english) {
    const code = error.code === undefined ? '' : `(#${error.code}) `;
    return `${code}${graphHint(error.kind, runtime)}`;
  }
  return saidText(error) ?? ownFailureText(error, runtime) ?? graphHint(error.kind, runtime);
}

/** Why a Graph host is refused, in the user's language. */
export function hostRefusalText(refusal: HostRefusal, host: string | undefined): string {
  switch (refusal) {
    case 'notUrl':
      return vscode.l10n.t('"{0}" is not a URL.', host ?? '');
    case 'credentials':
      return vscode.l10n.t('The Graph host must not contain a user name or password.');
    case 'notOrigin':
      return vscode.l10n.t('The Graph host must be an origin only (no path, query or fragment), such as https://graph.facebook.com.');
    case 'scheme':
      return vscode.l10n.t('A local simulator is reached over http or https only.');
    case 'notAllowed':
      return vscode.l10n.t(
        'Tokens are only sent to https://graph.facebook.com, https://graph.instagram.com or a local simulator on a loopback address.',
      );
    case 'redirect':
      return vscode.l10n.t('The Graph host answered with a redirect; it was not followed, so the token stays with {0}.', host ?? '');
    case 'otherHost':
      return vscode.l10n.t('This token was stored for another Graph host, so it is not sent to {0}.', host ?? '');
  }
}

/**
 * Failures the extension itself observed (no answer, nothing listening, a pause it keeps), said from
 * their facts in the user's language rather than with the core's English message.
 */
function ownFailureText(error: GraphError, runtime: ExtensionRuntime): string | undefined {
  if (error.kind === 'timeout' && error.timeoutMs !== undefined) {
    const seconds = Math.round(error.timeoutMs / 1000);
    const said =
      error.attempts && error.attempts > 1
        ? vscode.l10n.t('The Graph API did not answer within {0} s, {1} times in a row.', seconds, error.attempts)
        : vscode.l10n.t('The Graph API did not answer within {0} s.', seconds);
    return `${said} ${graphHint('timeout', runtime)}`;
  }
  // Refused on loopback: no simulator listens there (a reset or a timeout is another story).
  if (
    error.kind === 'network' &&
    error.origin !== undefined &&
    runtime.kind === 'node' &&
    /ECONNREFUSED/.test(error.message) &&
    isLoopbackHostname(new URL(error.origin).hostname)
  ) {
    return vscode.l10n.t(
      'Nothing answers at {0}: the local simulator is not running there. Start it with npm run simulator (npm start starts one too), then try again.',
      error.origin,
    );
  }
  if (error.kind === 'network' && error.origin !== undefined && runtime.kind === 'browser') {
    return browserReachText(error.origin, error.reach);
  }
  if (error.kind === 'hostRefused' && error.hostRefusal !== undefined) {
    return hostRefusalText(error.hostRefusal, error.host);
  }
  if (error.kind === 'rateLimited' && error.pausedUntil !== undefined) {
    return vscode.l10n.t(
      'Calls with this account are paused until {0}, because Meta rate-limited them. They resume by themselves then.',
      new Date(error.pausedUntil).toLocaleTimeString(vscode.env.language),
    );
  }
  return undefined;
}

/**
 * A browser's failed request, told from what the transport's probe found (a stopped host and one
 * refusing cross-origin requests fail alike in a browser), with the fix that applies.
 */
function browserReachText(origin: string, reach: GraphReach | undefined): string {
  const loopback = isLoopbackHostname(new URL(origin).hostname);
  if (reach === 'down') {
    return loopback
      ? vscode.l10n.t(
          'Nothing answers at {0}: the local simulator is not running there. Start it with npm run simulator (npm start starts one too), then try again.',
          origin,
        )
      : vscode.l10n.t('The browser got no answer from {0}: check your connection, then try again.', origin);
  }
  if (reach === 'refusesBrowser') {
    return loopback
      ? vscode.l10n.t(
          '{0} answers, but refuses requests from a browser (no CORS: a simulator started with --no-cors does this). This host does not allow browsers: restart the simulator without --no-cors, or use VS Code desktop.',
          origin,
        )
      : vscode.l10n.t(
          '{0} answers, but refuses requests from a browser (no CORS). This host does not allow browsers: use VS Code desktop, or a host that answers CORS.',
          origin,
        );
  }
  // Not probed, or the host answered the probe: name the address and both fixes.
  return vscode.l10n.t(
    'The browser got no answer from {0}. Either nothing runs there (for the local simulator: start it with npm run simulator), or the host does not allow browsers (CORS): use VS Code desktop, or a host that answers CORS.',
    origin,
  );
}

export function connectProblemText(problem: ConnectProblem): string {
  switch (problem) {
    case 'noPages':
      return vscode.l10n.t(
        'This user manages no Pages the token can see. Check that the token has the pages_show_list permission and that the user has a task on the Page, or add a Page access token directly.',
      );
    case 'pageTokenGiven':
      return vscode.l10n.t(
        'This is a Page access token, not a user access token. Use "Add Page Access Token…" for it, or paste a user access token.',
      );
    case 'userTokenGiven':
      return vscode.l10n.t(
        'This is a user access token, not a Page access token. Use "Connect with User Access Token…" for it: it adds every Page the user manages.',
      );
    case 'needsApp':
      return vscode.l10n.t(
        'The app this token belongs to requires appsecret_proof. Add that app (App ID and App Secret) first, then try again.',
      );
    case 'appSecretWrong':
      return vscode.l10n.t('The App ID and App Secret do not match an app. Copy both from App settings → Basic in the Meta app dashboard.');
    case 'differentAccount':
      return vscode.l10n.t('This token belongs to a different account. Use "Connect…" to add another account instead.');
  }
}

export function inputProblemText(problem: TokenInputProblem | AppInputProblem, expected: ExpectedToken): string {
  switch (problem) {
    case 'empty':
      return {
        user: () => vscode.l10n.t('Paste a user access token, for example from Graph API Explorer.'),
        page: () => vscode.l10n.t('Paste a Page access token.'),
        app: () => vscode.l10n.t('Paste an app access token (APP_ID|APP_SECRET).'),
      }[expected]();
    case 'bearerPrefix':
      return vscode.l10n.t('Paste only the token, without "Bearer" or "OAuth" in front of it.');
    case 'queryParameter':
      return vscode.l10n.t('Paste only the token, not a URL, an access_token= parameter or a line such as PAGE_ACCESS_TOKEN=….');
    case 'quoted':
      return vscode.l10n.t('Paste the token without quotes around it.');
    case 'innerWhitespace':
      return vscode.l10n.t('The token contains spaces or line breaks: copy it again as one line.');
    case 'invalidCharacters':
      return vscode.l10n.t('The token contains characters an access token never has: copy it again.');
    case 'truncated':
      return vscode.l10n.t('This token looks cut off. Copy the whole token (Graph API Explorer has a copy button next to it).');
    case 'appTokenGiven':
      return vscode.l10n.t('This is an app access token (APP_ID|APP_SECRET). Use "Add App…" to add the app instead.');
    case 'appTokenMissingSeparator':
      return vscode.l10n.t('An app access token has the form APP_ID|APP_SECRET, with a "|" between the two.');
    case 'appTokenBadAppId':
      return vscode.l10n.t('The part before "|" must be the numeric App ID.');
    case 'appTokenBadSecret':
      return vscode.l10n.t('The part after "|" must be the 32-character App Secret.');
    case 'appIdEmpty':
      return vscode.l10n.t('Enter the App ID, from the Meta app dashboard.');
    case 'appIdNotNumeric':
      return vscode.l10n.t('An App ID contains only digits.');
    case 'appIdLength':
      return vscode.l10n.t('An App ID has between 5 and 20 digits.');
    case 'appSecretEmpty':
      return vscode.l10n.t('Enter the App Secret, from App settings → Basic.');
    case 'appSecretFormat':
      return vscode.l10n.t('An App Secret is 32 characters, 0-9 and a-f.');
  }
}

/** Why an ID could not be resolved, in the words of Meta's ID-matching page. */
export function unresolvedText(error: UnresolvedError, runtime: ExtensionRuntime): string {
  const reason = error.reason;
  const head = vscode.l10n.t('Could not resolve {0} with any of the {1} connected account(s).', error.id, error.tried);
  if (!reason) {
    return `${head} ${vscode.l10n.t('Connect the Page or app this ID belongs to.')}`;
  }
  switch (reason.kind) {
    case 'businessReview':
      return `${head} ${vscode.l10n.t('Meta answered (#200): the ID-matching API is available only when the app and the Page belong to the same business, and not while Meta reviews the business (about 48 hours after its first call). Check both in Business Settings, or wait and try again.')}`;
    case 'permission':
      return /install/i.test(reason.message)
        ? `${head} ${vscode.l10n.t('The person has not used the app making the request, so it has no app-scoped ID to link from.')}`
        : `${head} ${graphErrorText(reason, runtime)}`;
    case 'appSecretProof':
      return `${head} ${vscode.l10n.t('ids_for_apps and ids_for_pages require appsecret_proof: add the app (App ID and App Secret) that the Page token belongs to.')}`;
    case 'notFound':
    case 'badRequest':
      if (/node type \(Page\)/.test(reason.message)) {
        return vscode.l10n.t('{0} is the ID of a Page, not of a person: a Page has no linked IDs.', error.id);
      }
      return `${head} ${vscode.l10n.t('The ID is unknown, deleted, or belongs to a Page or app that is not connected: a PSID is only visible to its own Page, an ASID to its own app.')}`;
    default:
      return `${head} ${graphErrorText(reason, runtime)}`;
  }
}

/** Text for any failure a command can meet, redacted; never includes a stack trace. */
export function errorText(error: unknown, runtime: ExtensionRuntime): string {
  return redact(plainErrorText(error, runtime));
}

function plainErrorText(error: unknown, runtime: ExtensionRuntime): string {
  if (error instanceof GraphError) {
    return graphErrorText(error, runtime);
  }
  if (error instanceof UnresolvedError) {
    return unresolvedText(error, runtime);
  }
  if (error instanceof ConnectError) {
    return connectProblemText(error.problem);
  }
  return error instanceof Error ? error.message : String(error);
}
