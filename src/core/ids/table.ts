import { Resolution, UnresolvedError } from './resolve';

export interface TableRow {
  readonly id: string;
  readonly name: string;
  readonly via: string;
  readonly linkedKind: 'app' | 'page' | '';
  readonly linkedId: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly error: string;
}

/** One row per linked ID (or one row for an ID that could not be resolved). */
export function tableRows(results: ReadonlyMap<string, Resolution | UnresolvedError>): TableRow[] {
  const rows: TableRow[] = [];
  for (const [id, result] of results) {
    if (result instanceof UnresolvedError) {
      rows.push({ id, name: '', via: '', linkedKind: '', linkedId: '', ownerId: '', ownerName: '', error: result.message });
      continue;
    }
    const base = { id, name: result.name ?? '', via: `${result.via.kind}:${result.via.id}`, error: '' };
    for (const a of result.idsForApps) {
      rows.push({ ...base, linkedKind: 'app', linkedId: a.id, ownerId: a.app.id, ownerName: a.app.name ?? '' });
    }
    for (const p of result.idsForPages) {
      rows.push({ ...base, linkedKind: 'page', linkedId: p.id, ownerId: p.page.id, ownerName: p.page.name ?? '' });
    }
    if (result.idsForApps.length === 0 && result.idsForPages.length === 0) {
      rows.push({ ...base, linkedKind: '', linkedId: '', ownerId: '', ownerName: '' });
    }
  }
  return rows;
}

const COLUMNS: (keyof TableRow)[] = ['id', 'name', 'via', 'linkedKind', 'linkedId', 'ownerId', 'ownerName', 'error'];
const HEADER = ['id', 'name', 'resolved_via', 'linked_kind', 'linked_id', 'app_or_page_id', 'app_or_page_name', 'error'];

/** RFC 4180 CSV. Cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(rows: readonly TableRow[]): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [HEADER.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** JSON keyed by ID: each with its name, the account that answered, and its linked IDs. */
export function toJson(results: ReadonlyMap<string, Resolution | UnresolvedError>): string {
  const out: Record<string, unknown> = {};
  for (const [id, result] of results) {
    out[id] =
      result instanceof UnresolvedError
        ? { error: result.message }
        : { name: result.name, resolved_via: result.via, ids_for_apps: result.idsForApps, ids_for_pages: result.idsForPages };
  }
  return JSON.stringify(out, null, 2);
}
