/**
 * JSON for display: pretty-printed, with bidi controls, other control characters and invisible
 * characters written as \u escapes (still valid JSON), so untrusted strings cannot reorder or
 * hide what the editor shows. Nesting deeper than `maxDepth` is cut, so a hostile payload cannot
 * blow the stack.
 */
export function displayJson(value: unknown, maxDepth = 64): string {
  return JSON.stringify(prune(value, maxDepth), null, 2).replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function prune(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (depth <= 0) {
    return '[nested too deeply]';
  }
  if (Array.isArray(value)) {
    return value.map((v) => prune(v, depth - 1));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = prune(v, depth - 1);
  }
  return out;
}
