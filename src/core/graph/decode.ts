import { GraphError } from './errors';

/**
 * Validation of Graph responses before use: a missing or wrongly typed field becomes a
 * malformed-response GraphError that names the field, never an exception deep in the UI.
 */
export type Json = Record<string, unknown>;

export function malformed(field: string, expected: string, value: unknown): GraphError {
  const got = typeName(value);
  return new GraphError({ kind: 'malformed', field, message: `The Graph API response has ${field} as ${got}, expected ${expected}.` });
}

export function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(field, 'an object', value);
  }
  return value as Json;
}

export function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw malformed(field, 'an array', value);
  }
  return value;
}

export function string(obj: Json, key: string, path: string): string {
  const v = obj[key];
  if (typeof v !== 'string') {
    throw malformed(`${path}.${key}`, 'a string', v);
  }
  return v;
}

/** Graph IDs are JSON strings; numbers are accepted and turned into strings. */
export function id(obj: Json, key: string, path: string): string {
  const v = obj[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) {
    return String(v);
  }
  if (typeof v !== 'string' || v.length === 0) {
    throw malformed(`${path}.${key}`, 'an ID string', v);
  }
  return v;
}

export function optionalString(obj: Json, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'string') {
    throw malformed(`${path}.${key}`, 'a string', v);
  }
  return v;
}

export function optionalNumber(obj: Json, key: string, path: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw malformed(`${path}.${key}`, 'a number', v);
  }
  return v;
}

export function optionalBoolean(obj: Json, key: string, path: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'boolean') {
    throw malformed(`${path}.${key}`, 'a boolean', v);
  }
  return v;
}

export function stringArray(obj: Json, key: string, path: string): string[] {
  const v = obj[key];
  if (v === undefined || v === null) {
    return [];
  }
  return array(v, `${path}.${key}`).map((item, i) => {
    if (typeof item !== 'string') {
      throw malformed(`${path}.${key}[${i}]`, 'a string', item);
    }
    return item;
  });
}

/** Meta's datetimes, `2022-07-12T19:11:07+0000`, as epoch milliseconds. */
export function time(obj: Json, key: string, path: string): number {
  const raw = string(obj, key, path);
  const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) {
    throw malformed(`${path}.${key}`, 'an ISO-8601 time', raw);
  }
  return ms;
}

/** An edge rendered inline: `{ "data": [...], "paging": {...} }`. */
export function edgeData(obj: Json, key: string, path: string): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) {
    return [];
  }
  return array(object(v, `${path}.${key}`).data, `${path}.${key}.data`);
}

/** The JSON type of a value, as a reader of the error would name it. */
function typeName(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
}
