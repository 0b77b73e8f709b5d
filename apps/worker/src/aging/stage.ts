import type pg from 'pg';
import {
  UnrecoverableImportError,
  contradicts,
  createRowReader,
  decideDateOrder,
  detectLayout,
  findReportDate,
  findTitleLocation,
  formatCents,
  isAmbiguousDate,
  isBlankRow,
  locationChecker,
  SeenKeys,
  type AgingField,
  type DateOrder,
  type DateOrderDecision,
  type RowReader,
  type SavedColumnMapping,
} from '@ledgerport/core';
import {
  CopyLines,
  ensureStagedClaimsPartition,
  keepFirstRows,
  payerAliases,
  stageClaimsChunk,
  type ImportNotice,
  type ImportRecord,
  type StagedClaim,
} from '@ledgerport/db';
import type { FileLayout, RowHandler } from '../stage/stage-file.js';
import type { FileRow, RowSource } from '../read/row-source.js';
import { DateOrderContradicted } from '../job/attempt-interruptions.js';

const DATE_FIELDS: AgingField[] = ['dateOfService', 'dateOfBirth'];
const DATE_ORDERS: readonly string[] = ['MDY', 'DMY', 'YMD'];

/**
 * Aging files: detect the PM system's layout from the first rows (or use the one named at upload, or
 * the practice's saved mapping), then read each row through it and COPY the claims into staged_claims.
 */
export function agingRowHandler(imp: ImportRecord, pool: pg.Pool, today: string): RowHandler<StagedClaim> {
  let read: RowReader | null = null;
  /** merged payers: a file that still names one gets the payer it was merged into */
  let merged = new Map<string, { key: string; name: string }>();
  /** the date order, and the cells to watch while it is only assumed */
  let dates: { decision: DateOrderDecision; columns: number[]; ambiguousSeen: boolean } | null = null;
  const watchDates = (r: FileRow) => {
    if (!dates || dates.decision.decided) return;
    for (const i of dates.columns) {
      const cell = r.cells[i] ?? '';
      const other = contradicts(dates.decision.order, cell);
      if (other !== null) throw new DateOrderContradicted(other, r.line);
      if (!dates.ambiguousSeen && isAmbiguousDate(cell)) dates.ambiguousSeen = true;
    }
  };
  /**
   * Claim keys of the rows staged so far, replayed ones included: only a row whose key may have come
   * before can be refused by the partition's unique key, so only its cells are kept (keepCells).
   */
  const seen = new SeenKeys();
  /** the chunks' COPY text, one chunk at a time (stage() is never called again before it returns) */
  const copyLines = new CopyLines();
  const readRow = (r: FileRow) => {
    if (!read) throw new Error('row before header');
    watchDates(r);
    return read(r.cells, r.line);
  };
  return {
    analyzeAsItGrows: null,
    // The partition's unique claim key stops a second worker's COPY of the same lines (stageClaimsChunk).
    writesBeforeLock: true,
    async start(first: FileRow[], source: RowSource): Promise<FileLayout> {
      const rows = first.map((r) => r.cells);
      const det = detectLayout(rows, {
        fileType: source.fileType,
        formatHint: typeof imp.options.formatHint === 'string' ? imp.options.formatHint : undefined,
        savedMappings: await savedMappings(pool, imp.practiceId),
        today,
      });
      if (!det.ok) {
        // Kept so staff can map this layout themselves (GET /imports/:id/header, POST /column-mappings).
        await keepFirstRows(
          pool,
          imp.id,
          rows.filter((r) => !isBlankRow(r)).slice(0, 12),
        );
        throw new UnrecoverableImportError('unrecognized_layout', det.error);
      }
      const d = det.value;
      const headerRow = first[d.headerIndex];
      if (!headerRow) throw new UnrecoverableImportError('unrecognized_layout', 'The header row could not be found.');
      const header = headerRow.cells.map((c) => c.trim());
      const checkLocation = locationChecker(await chosenLocation(pool, imp));
      const titleLocation = findTitleLocation(rows.slice(0, d.headerIndex));
      const wrongTitle = titleLocation === null ? null : checkLocation(titleLocation);
      if (wrongTitle !== null) throw new UnrecoverableImportError('wrong_location', wrongTitle);
      const body = first.slice(d.headerIndex + 1);
      const decimalComma =
        d.profile.decimalComma || (source.delimiter === ';' && usesDecimalComma(body, d.mapping.columns));
      const columns = DATE_FIELDS.map((f) => d.mapping.columns[f]).filter((i): i is number => i !== undefined);
      const stated = typeof imp.options.dateOrder === 'string' && DATE_ORDERS.includes(imp.options.dateOrder);
      const decision = decideDateOrder({
        values: body.flatMap((r) => columns.map((i) => r.cells[i] ?? '')),
        profileOrder: d.profile.dateOrder,
        decimalComma,
        ...(stated ? { stated: imp.options.dateOrder as DateOrder } : {}),
      });
      dates = { decision, columns, ambiguousSeen: false };
      const titleDate =
        decision.order === 'MDY' ? d.reportDate : findReportDate(rows.slice(0, d.headerIndex), today, decision.order);
      const reportDate = titleDate ?? imp.reportDate ?? today;
      await assertNotOlder(pool, imp, reportDate);
      merged = await payerAliases(pool, imp.practiceId);
      await ensureStagedClaimsPartition(pool, imp.id);
      const profile = { ...d.profile, decimalComma, dateOrder: decision.order };
      read = createRowReader({ ...d, profile }, { header, reportDate, today, checkLocation });
      return {
        headerLine: headerRow.line,
        header,
        format: d.savedMappingId ? `mapping:${d.savedMappingId}` : d.profile.id,
        reportDate,
      };
    },
    replay(r) {
      const v = readRow(r);
      if (v.kind === 'row') seen.add(v.row.claimKey);
    },
    finish() {
      const counters: Record<string, number> = {};
      const notices: ImportNotice[] = [];
      const t = read?.totals();
      if (t && t.totals.length > 0) {
        if (t.reportTotalCents !== null) {
          counters.printedTotalCents = t.reportTotalCents;
          counters.printedDifferenceCents = t.differenceCents;
        }
        counters.printedTotalsMismatched = t.mismatches.length;
        for (const m of t.mismatches.slice(0, 20))
          notices.push({
            code: 'printed_total_differs',
            message:
              `The report prints ${formatCents(m.printedCents)} on line ${m.line} ("${m.label}"), but its rows add up to ${formatCents(m.rowsCents)}: ` +
              `${formatCents(Math.abs(m.printedCents - m.rowsCents))} ${m.printedCents > m.rowsCents ? 'more than the rows Ledgerport read' : 'less than the rows'}.`,
          });
      }
      if (dates && !dates.decision.decided && dates.ambiguousSeen)
        notices.push({ code: 'date_order_assumed', message: dates.decision.assumption });
      return { counters, notices };
    },
    row(r) {
      const v = readRow(r);
      if (v.kind === 'skip') return { kind: 'skip', counter: v.reason === 'blank' ? undefined : `skipped_${v.reason}` };
      if (v.kind === 'wrong_location') throw new UnrecoverableImportError('wrong_location', v.message);
      if (v.kind === 'error') return { kind: 'rejected', errors: v.errors, keptKey: v.claimKey, cents: v.balanceCents };
      const c = v.row;
      // The claim key was made from the payer as the file names it: a merge must not change which claim it is.
      const payer = merged.get(c.payerKey);
      // Only what staged_claims holds: a chunk of full rows (details and all) would be held twice as long.
      const value: StagedClaim = {
        rowNo: r.line,
        claimKey: c.claimKey,
        claimNumber: c.claimNumber,
        patientName: c.patientName,
        patientAccount: c.patientAccount,
        dateOfBirth: c.dateOfBirth,
        payerName: payer?.name ?? c.payerName,
        payerKey: payer?.key ?? c.payerKey,
        dateOfService: c.dateOfService,
        billedCents: c.billedCents,
        balanceCents: c.balanceCents,
        agingBucket: c.agingBucket,
      };
      return { kind: 'staged', value, cents: c.balanceCents, warnings: v.warnings, keepCells: seen.add(c.claimKey) };
    },
    async stage(client: pg.PoolClient, staged: StagedClaim[], prevCheckpoint: number) {
      const rejectedLines = await stageClaimsChunk(client, imp.id, staged, copyLines);
      if (!rejectedLines.length) return { rejectedLines };
      const { rows } = await client.query<{ sum: number | null }>(
        'select coalesce(sum(balance_cents), 0)::bigint as sum from staged_claims where import_id = $1 and row_no > $2',
        [imp.id, prevCheckpoint],
      );
      return { rejectedLines, cents: rows[0]?.sum ?? 0 };
    },
  };
}

const MONEY_FIELDS: AgingField[] = ['balance', 'billed', 'paid', 'adjustments'];

/**
 * A semicolon-separated export usually comes from a machine set to decimal commas; the money cells
 * tell: "12,50" or "1.234,56" (a comma then one or two digits at the end) and no "12.50".
 */
function usesDecimalComma(rows: FileRow[], columns: Partial<Record<AgingField, number>>): boolean {
  let comma = 0;
  let dot = 0;
  for (const r of rows) {
    for (const f of MONEY_FIELDS) {
      const i = columns[f];
      const cell = i === undefined ? '' : (r.cells[i] ?? '').trim().replace(/[)\-]$/, '');
      if (/\d,\d{1,2}$/.test(cell)) comma++;
      else if (/\d\.\d{1,2}$/.test(cell)) dot++;
    }
  }
  return comma > 0 && comma >= dot;
}

/** The location the file was uploaded for, with the names it goes by, and whether it is the practice's only one. */
async function chosenLocation(pool: pg.Pool, imp: ImportRecord) {
  const { rows } = await pool.query<{ name: string; aliases: string[]; locations: number }>(
    `select l.name, l.aliases,
       (select count(*) from locations o where o.practice_id = l.practice_id and o.archived_at is null)::int as locations
     from locations l where l.id = $1`,
    [imp.locationId],
  );
  const r = rows[0];
  if (!r) throw new UnrecoverableImportError('unknown_location', 'The location this file was uploaded for no longer exists.');
  return { name: r.name, aliases: r.aliases, onlyLocation: r.locations === 1 };
}

async function savedMappings(pool: pg.Pool, practiceId: string): Promise<SavedColumnMapping[]> {
  const { rows } = await pool.query<{ id: string; header: string[]; columns: Partial<Record<AgingField, string | number>> }>(
    'select id, header, columns from column_mappings where practice_id = $1',
    [practiceId],
  );
  return rows;
}

/** Each aging file is a snapshot: one older than the snapshot already applied would undo newer facts. */
export async function assertNotOlder(
  db: pg.Pool | pg.PoolClient,
  imp: ImportRecord,
  reportDate: string,
): Promise<void> {
  const { rows } = await db.query<{ last: string | null; name: string }>(
    'select last_report_date as last, name from locations where id = $1',
    [imp.locationId],
  );
  const last = rows[0]?.last;
  if (last && reportDate < last) {
    throw new UnrecoverableImportError(
      'older_snapshot',
      `This aging report is as of ${usDate(reportDate)}, but ${rows[0]?.name ?? 'this location'} already has a newer one applied (as of ${usDate(last)}). ` +
        'Upload the latest report instead; an older one would undo newer payments.',
    );
  }
}

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}
