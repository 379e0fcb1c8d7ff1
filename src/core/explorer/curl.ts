/**
 * A `curl` command for a Graph request, for pasting into a terminal or a bug report. Credentials
 * are shell variables the user sets first, never the stored values.
 */
export function curlCommand(url: string, options: { tokenVariable: string; withProof: boolean }): string {
  const target = new URL(url);
  target.searchParams.delete('access_token');
  target.searchParams.delete('appsecret_proof');
  const base = escapeForDoubleQuotes(target.toString());
  const token = `$${options.tokenVariable}`;
  if (!options.withProof) {
    return [`# Set ${options.tokenVariable} first.`, `curl -sS -H "Authorization: Bearer ${token}" "${base}"`].join('\n');
  }
  const separator = target.search ? '&' : '?';
  return [
    `# Set ${options.tokenVariable} and APP_SECRET first.`,
    `APPSECRET_PROOF=$(printf %s "${token}" | openssl dgst -sha256 -hmac "$APP_SECRET" | sed 's/^.* //')`,
    `curl -sS -H "Authorization: Bearer ${token}" "${base}${separator}appsecret_proof=$APPSECRET_PROOF"`,
  ].join('\n');
}

function escapeForDoubleQuotes(text: string): string {
  return text.replace(/["\\$`]/g, (c) => `\\${c}`);
}
