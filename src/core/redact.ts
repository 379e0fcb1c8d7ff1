/**
 * Removes secrets from text before it is logged, shown or copied.
 * Query parameters and headers that carry credentials are masked by name; values the
 * caller registers (every token the extension reads) are masked wherever they appear.
 */
const SECRET_PARAMS = /([?&#](?:access_token|appsecret_proof|input_token|client_secret|key)=)[^&#\s"']*/gi;
const AUTH_HEADER = /(authorization["']?\s*[:=]\s*["']?(?:bearer|oauth)\s+)[^\s"',}]+/gi;

export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret so that any later occurrence of it is masked. Short values are ignored. */
  register(secret: string | undefined): void {
    if (secret && secret.length >= 8) {
      this.secrets.add(secret);
      // App tokens are APP_ID|APP_SECRET: the secret half alone must be masked too.
      const bar = secret.indexOf('|');
      if (bar > 0 && secret.length - bar - 1 >= 8) {
        this.secrets.add(secret.slice(bar + 1));
      }
    }
  }

  forget(secret: string): void {
    this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text.replace(SECRET_PARAMS, `$1${REDACTED}`).replace(AUTH_HEADER, `$1${REDACTED}`);
    for (const secret of this.secrets) {
      if (out.includes(secret)) {
        out = out.split(secret).join(REDACTED);
      }
    }
    return out;
  }
}
