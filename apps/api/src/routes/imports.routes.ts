import { Router, type Request } from 'express';
import iconv from 'iconv-lite';
import {
  downloadName,
  failureAction,
  type FailureAction,
  formatDate,
  type FileHeader,
  type ImportView,
  type Page,
  type RowErrorGroupsPage,
  type RowErrorsPage,
  type UploadAccepted,
  type ClaimToResolve,
  type KindInfo,
  type Preview,
} from '@ledgerport/api-client';
import type { RedisClient } from '@ledgerport/queue';
import multer from 'multer';
import { z } from 'zod';
import {
  AGING_FIELDS,
  AGING_FIELD_LABELS,
  ConflictError,
  ForbiddenError,
  IMPORT_KINDS,
  KIND_SPECS,
  NotFoundError,
  PROFILES,
  ValidationError,
  csvLine,
  getProfile,
  isImportKind,
  templateCsv,
  todayIso,
} from '@ledgerport/core';
import {
  cancelUnstartedImport,
  deleteStagedClaims,
  deleteStagedRows,
  discardImport,
  findCompletedDuplicate,
  findLocation,
  getPracticeSettings,
  getFirstRows,
  getImportForPractice,
  listClaimsToResolve,
  listImports,
  listRowErrors,
  listRowErrorGroups,
  rowErrorCounts,
  dismissFailedImport,
  notifyUser,
  retryFailedImport,
  saveStagedImport,
  confirmEmptyReport,
  revertAgingImport,
  revertPatientImport,
  previewImport,
  rejectedRowsWithMessages,
  requestCancel,
  withTransaction,
  type Db,
  type ImportRecord,
  type ImportStatus,
} from '@ledgerport/db';
import { removeQueuedImport, requestRetentionRun, type ImportQueue, type MaintenanceQueue } from '@ledgerport/queue';
import type { Logger } from 'pino';
import type pg from 'pg';
import { noteAudit, type AuditLog } from '../audit.js';
import { principalOf, requireAdmin } from '../auth.js';
import { requestIdOf } from '../request-id.js';
import { uploadErrors } from '../request-errors.js';
import { importView } from '../import-view.js';
import { PaceSamples } from '../progress-pace.js';
import { parsePaging } from '../paging.js';
import { assertQueueReachable, queueChangedImport, storeAndQueueImport } from '../import-intake.js';
import type { UploadStore } from '@ledgerport/storage';
import { hashingStorage, removeStoredUpload, type StoredUpload } from '../upload-storage.js';

export interface ImportRoutesDeps {
  db: Db;
  pool: pg.Pool;
  redis: RedisClient;
  queue: ImportQueue;
  maintenanceQueue?: MaintenanceQueue;
  store: UploadStore;
  maxUploadBytes: number;
  jobAttempts: number;
  logger: Logger;
  audit: AuditLog;
}

const uploadFields = z.object({
  kind: z.enum(IMPORT_KINDS, { error: `Choose what kind of file this is: ${IMPORT_KINDS.join(', ')}.` }),
  locationId: z.string().trim().min(1, 'Choose the location this file is for.').optional(),
  mode: z.enum(['commit', 'preview'], { error: 'mode must be "commit" or "preview".' }).optional(),
  onInvalid: z.enum(['skip', 'block'], { error: 'onInvalid must be "skip" or "block".' }).optional(),
  skipInactive: z.enum(['true', 'false', '1', '0'], { error: 'skipInactive must be true or false.' }).optional(),
  format: z.string().trim().optional(),
  dateOrder: z
    .enum(['MDY', 'DMY', 'YMD'], {
      error: 'dateOrder must be MDY (month first), DMY (day first) or YMD (year first).',
    })
    .optional(),
});

const STATUSES: ImportStatus[] = ['queued', 'running', 'ready', 'completed', 'failed', 'cancelled', 'reverted'];

/** `?status=failed,queued&kind=aging&locationId=…&createdBy=…&from=2026-11-01&to=2026-11-30` */
const commaList = <T extends string>(values: readonly T[], what: string) =>
  z
    .string()
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(z.enum(values as [T, ...T[]], { error: `${what} must be one or more of: ${values.join(', ')}.` })))
    .optional();
const uuidParam = (what: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `${what} must be an id.`).optional();
const listFilter = z.object({
  status: commaList(STATUSES, 'status'),
  kind: commaList(IMPORT_KINDS, 'kind'),
  locationId: uuidParam('locationId'),
  createdBy: uuidParam('createdBy'),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'from is a date, YYYY-MM-DD.').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'to is a date, YYYY-MM-DD.').optional(),
  dismissed: z.enum(['0', '1', 'false', 'true'], { error: 'dismissed is 0 or 1.' }).optional(),
});

const errorQuery = z.object({
  severity: z.enum(['error', 'warning'], { error: 'severity is error or warning.' }).optional(),
  group: z.enum(['message'], { error: 'group can only be message.' }).optional(),
});

/**
 * The file of rejected rows goes back in the upload's own delimiter and encoding: a semicolon file
 * with decimal commas, written back with commas, would refuse its corrected "1,00" on re-upload, and
 * a Windows-1252 file read back as UTF-8 would garble its names in the old system's import.
 */
function encodeAs(encoding: string | null): { charset: string; bom: Buffer; encode(text: string): Buffer } {
  switch (encoding) {
    case 'windows-1252':
      return { charset: 'windows-1252', bom: Buffer.alloc(0), encode: (t) => iconv.encode(t, 'win1252') };
    case 'utf-16le':
      return { charset: 'utf-16le', bom: Buffer.from([0xff, 0xfe]), encode: (t) => iconv.encode(t, 'utf16le') };
    case 'utf-16be':
      return { charset: 'utf-16be', bom: Buffer.from([0xfe, 0xff]), encode: (t) => iconv.encode(t, 'utf16-be') };
    default:
      // Excel opens a UTF-8 CSV as UTF-8 only with the byte-order mark.
      return { charset: 'utf-8', bom: Buffer.from([0xef, 0xbb, 0xbf]), encode: (t) => Buffer.from(t, 'utf8') };
  }
}

function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replaceAll('"', "'");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The day a moment fell on for the practice, written as the page writes dates (MM/DD/YYYY): staff read
 * one date format, and an upload at 7 PM in Chicago is not dated tomorrow (UTC's day).
 */
async function practiceDay(db: Db, practiceId: string, at: Date): Promise<string> {
  return formatDate(todayIso(at, (await getPracticeSettings(db, practiceId))?.timeZone));
}

/** What to do instead of a retry that would read the same file and fail the same way (the page offers no Retry then). */
const RETRY_WOULD_FAIL: Record<Exclude<FailureAction, 'retry'>, string> = {
  map_columns:
    "Retrying would read the same file and fail again: Ledgerport does not know its layout. Map its columns on the import's page (Map the columns), and the file is read again.",
  fix_and_upload: 'Retrying would read the same file and fail again. Fix the file (or export it again from the old system) and upload it again.',
  confirm_empty:
    'Retrying would fail again on the same empty report. If the location really has no open claims, an administrator confirms it (POST /imports/:id/confirm-empty); otherwise export the report again and upload it.',
  upload_again: 'The uploaded file is no longer kept, so this import cannot run again. Upload the file again to import it.',
};

/** Retry only where it can succeed: the trouble was outside the file (the database, a worker, a lock). */
function assertRetryCanHelp(imp: ImportRecord): void {
  const action = failureAction({
    status: 'failed',
    kind: imp.kind as ImportView['kind'],
    fileDeletedAt: imp.fileDeletedAt ? imp.fileDeletedAt.toISOString() : null,
    error: { code: imp.lastErrorCode, message: imp.lastError ?? '' },
  });
  if (action && action !== 'retry') throw new ConflictError('not_retryable', RETRY_WOULD_FAIL[action]);
}

/** A retry reads the stored file again: one the retention policy deleted cannot be. */
async function assertFileKept(db: Db, imp: ImportRecord): Promise<void> {
  if (imp.fileDeletedAt)
    throw new ConflictError(
      'file_deleted',
      `The file of this import was deleted on ${await practiceDay(db, imp.practiceId, imp.fileDeletedAt)}, as your practice's retention policy says. Upload it again to import it.`,
    );
}

/** What an aging file cannot do without (core's missingFields): a patient's whole name may be two columns. */
const REQUIRED_FIELDS = new Set<string>(['claimNumber', 'patientName', 'payer', 'dateOfService', 'balance']);
const FIELD_NOTES: Partial<Record<string, string>> = {
  patientName: 'or Patient First Name and Patient Last Name',
  claimNumber: 'or Patient Account, when the system prints no claim numbers',
};

export function importRoutes(deps: ImportRoutesDeps): Router {
  const r = Router();
  const upload = uploadErrors(
    multer({
      storage: hashingStorage(deps.store),
      // The form has one file and seven short fields (kind, locationId, mode, onInvalid, skipInactive,
      // format, dateOrder): a little room over that, and nothing a field could carry a file in.
      limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 20, parts: 24, fieldSize: 1024, fieldNameSize: 100 },
    }).single('file'),
  );
  const audit = deps.audit;

  const pace = new PaceSamples();
  const view = (imp: ImportRecord, now = new Date()) => importView(imp, now, pace.earlier(imp, now));
  const findOwn = async (req: Request) => {
    const p = principalOf(req);
    const imp = await getImportForPractice(deps.db, p.practiceId, String(req.params.id));
    if (!imp) throw new NotFoundError('There is no such import in your practice.');
    return imp;
  };

  r.post('/', audit.route('import.upload', 'import', null), upload, async (req, res) => {
    const p = principalOf(req);
    const file: (Express.Multer.File & Partial<StoredUpload>) | undefined = req.file;
    // Until storeAndQueueImport takes it over, a refused upload's stored file is removed here.
    let handedOver = false;
    try {
      if (!file?.storageKey || !file.importId || file.sha256 === undefined || file.size === undefined) {
        throw new ValidationError('file_missing', 'Attach the file to import (form field "file").');
      }
      const fields = uploadFields.safeParse(req.body ?? {});
      if (!fields.success) throw new ValidationError('bad_request', fields.error.issues.map((i) => i.message).join(' '));
      if (file.size === 0) throw new ValidationError('empty_file', `${file.originalname} is empty. Export the report again and upload the new file.`);
      const { kind } = fields.data;
      const spec = KIND_SPECS[kind];
      const namedFormat = fields.data.format && fields.data.format !== 'detect' ? fields.data.format : undefined;
      if (namedFormat && (kind !== 'aging' || !getProfile(namedFormat))) {
        throw new ValidationError(
          'unknown_format',
          kind === 'aging'
            ? `"${namedFormat}" is not a practice-management system Ledgerport knows. Choose one of: ${PROFILES.map((p) => p.id).join(', ')}, or detect.`
            : 'Only aging files come in practice-management formats; leave the format out for this kind of file.',
        );
      }
      if (spec.needsLocation && !fields.data.locationId) throw new ValidationError('location_required', 'Choose the location this file is for.');
      const location = fields.data.locationId ? await findLocation(deps.db, p.practiceId, fields.data.locationId) : null;
      if (fields.data.locationId && !location) throw new ValidationError('unknown_location', `Your practice has no location "${fields.data.locationId}".`);
      if (location?.archivedAt && spec.needsLocation)
        throw new ValidationError('location_archived', `${location.name} is archived and takes no uploads. An administrator can restore it.`);
      const locationId = spec.needsLocation ? (location?.id ?? null) : null;
      // The location's PM system is the layout its files come in, unless the upload names one (or detect).
      const formatHint = namedFormat ?? (fields.data.format === 'detect' || kind !== 'aging' ? undefined : (location?.pmSystem ?? undefined));
      const dup = await findCompletedDuplicate(deps.db, { practiceId: p.practiceId, locationId, kind, sha256: file.sha256 });
      if (dup) {
        const where = location && spec.needsLocation ? ` for ${location.name}` : '';
        throw new ConflictError('duplicate_file', `This exact file was already imported${where} on ${await practiceDay(deps.db, p.practiceId, dup.createdAt)}.`, {
          details: { importId: dup.id },
        });
      }
      handedOver = true;
      const imp = await storeAndQueueImport(deps, { importId: file.importId, storageKey: file.storageKey }, {
        practiceId: p.practiceId,
        locationId,
        kind,
        format: null,
        mode: fields.data.mode ?? (await getPracticeSettings(deps.db, p.practiceId))?.defaultModes[kind] ?? spec.defaultMode,
        onInvalid: fields.data.onInvalid ?? 'skip',
        options: {
          ...(kind === 'patients'
            ? { skipInactive: !['false', '0'].includes(fields.data.skipInactive ?? 'true') }
            : formatHint
              ? { formatHint }
              : {}),
          // Every kind has dates (of service, of birth, of a credit) whose order the uploader may name.
          ...(fields.data.dateOrder ? { dateOrder: fields.data.dateOrder, dateOrderFrom: 'upload' } : {}),
        },
        originalName: file.originalname,
        sizeBytes: file.size,
        sha256: file.sha256,
        createdBy: p.userId,
      }, requestIdOf(res));
      noteAudit(req, { resourceId: imp.id, detail: { kind, locationId, sizeBytes: file.size } });
      res.status(202).json({ id: imp.id, status: imp.status, statusUrl: `/imports/${imp.id}` } satisfies UploadAccepted);
    } finally {
      if (!handedOver && file?.storageKey) await removeStoredUpload(deps.store, file.storageKey);
    }
  });

  r.get('/kinds', (_req, res) => {
    res.json({
      items: IMPORT_KINDS.map((k) => {
        const spec = KIND_SPECS[k];
        return {
          kind: k,
          label: spec.label,
          description: spec.description,
          defaultMode: spec.defaultMode,
          modes: ['preview', 'commit'],
          needsLocation: spec.needsLocation,
          templateUrl: `/imports/templates/${k}`,
          columns: spec.columns.map((c) => ({ field: c.field, name: c.header, type: c.type, required: c.required, format: c.format, example: c.example, aliases: c.aliases })),
        } satisfies KindInfo;
      }),
    });
  });

  r.get('/templates/:kind', (req, res) => {
    const kind = String(req.params.kind);
    if (!isImportKind(kind)) throw new NotFoundError(`There is no template for "${kind}". Templates: ${IMPORT_KINDS.join(', ')}.`);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="ledgerport-${kind.replaceAll('_', '-')}-template.csv"`);
    res.send(templateCsv(KIND_SPECS[kind]));
  });

  r.get('/', audit.route('imports.list', 'import', null), async (req, res) => {
    const p = principalOf(req);
    const paging = parsePaging(req.query);
    const f = listFilter.safeParse(req.query);
    if (!f.success) throw new ValidationError('bad_filter', f.error.issues.map((i) => i.message).join(' '));
    const { status, kind, locationId, createdBy, from, to, dismissed } = f.data;
    const { items, total } = await listImports(deps.db, p.practiceId, {
      limit: paging.limit,
      offset: paging.offset,
      ...(status ? { status } : {}),
      ...(kind ? { kind } : {}),
      ...(locationId ? { locationId } : {}),
      ...(createdBy ? { createdBy } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(dismissed ? { dismissed: dismissed === '1' || dismissed === 'true' } : {}),
    });
    const now = new Date();
    res.json({ items: items.map((i) => view(i, now)), page: paging.page, pageSize: paging.pageSize, total } satisfies Page<ImportView>);
  });

  r.get('/:id', audit.route('import.read', 'import'), async (req, res) => {
    res.json(view(await findOwn(req)));
  });

  r.get('/:id/errors', audit.route('import.errors.read', 'import'), async (req, res) => {
    const imp = await findOwn(req);
    noteAudit(req, { detail: { format: req.query.format === 'csv' ? (req.query.annotated === '1' ? 'csv_rejected_rows' : 'csv') : 'json' } });
    const q = errorQuery.safeParse(req.query);
    if (!q.success) throw new ValidationError('bad_filter', q.error.issues.map((i) => i.message).join(' '));
    const { severity } = q.data;
    if (req.query.format === 'csv' && req.query.annotated === '1') {
      // The rejected rows as they were in the file plus their messages: fix in a spreadsheet, upload again.
      const out = encodeAs(imp.encoding);
      const delimiter = imp.delimiter ?? ',';
      res.setHeader('content-type', `text/csv; charset=${out.charset}`);
      res.setHeader('content-disposition', attachment(downloadName(imp.originalName, 'rejected rows')));
      res.write(Buffer.concat([out.bom, out.encode(csvLine([...(imp.header ?? []), 'Ledgerport errors'], delimiter))]));
      for (let after = 0; ; ) {
        const rows = await rejectedRowsWithMessages(deps.pool, imp.id, after, 1000);
        const text = rows.map((r) => csvLine([...(imp.header ?? []).map((_h, i) => r.cells[i] ?? ''), r.messages], delimiter)).join('');
        if (text) res.write(out.encode(text));
        if (rows.length < 1000) break;
        after = rows.at(-1)?.row_number ?? after;
      }
      res.end();
      return;
    }
    if (req.query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader(
        'content-disposition',
        attachment(downloadName(imp.originalName, severity === 'warning' ? 'warnings' : severity === 'error' ? 'errors' : 'errors and warnings')),
      );
      res.write('\ufeff' + csvLine(['Row', 'Column', 'Value', 'Message', 'Severity']));
      for (let offset = 0; ; offset += 1000) {
        const { items } = await listRowErrors(deps.db, imp.id, { limit: 1000, offset, ...(severity ? { severity } : {}) });
        for (const e of items) res.write(csvLine([e.rowNumber, e.column, e.value, e.message, e.severity]));
        if (items.length < 1000) break;
      }
      res.end();
      return;
    }
    const paging = parsePaging(req.query);
    const filter = { limit: paging.limit, offset: paging.offset, ...(severity ? { severity } : {}) };
    const counts = await rowErrorCounts(deps.db, imp.id);
    if (q.data.group === 'message') {
      const { items, total } = await listRowErrorGroups(deps.db, imp.id, filter);
      res.json({ items, page: paging.page, pageSize: paging.pageSize, total, counts } satisfies RowErrorGroupsPage);
      return;
    }
    const { items, total } = await listRowErrors(deps.db, imp.id, filter);
    res.json({ items, page: paging.page, pageSize: paging.pageSize, total, counts } satisfies RowErrorsPage);
  });

  r.get('/:id/preview', audit.route('import.preview.read', 'import'), async (req, res) => {
    const imp = await findOwn(req);
    if (imp.status !== 'ready') throw new ConflictError('not_ready', `There is nothing to preview: this import is ${imp.status}.`);
    res.json({ import: view(imp), ...(await previewImport(deps.pool, imp)) } satisfies Preview);
  });

  /** What an import waiting for an administrator would close: the claims, largest balance first. */
  r.get('/:id/review/claims', audit.route('import.review.read', 'import'), async (req, res) => {
    const imp = await findOwn(req);
    if (imp.kind !== 'aging' || imp.status !== 'ready')
      throw new ConflictError('not_ready', `Only an aging import waiting for review lists the claims it would close; this one is ${imp.status}.`);
    const paging = parsePaging(req.query);
    const { items, total } = await listClaimsToResolve(deps.pool, imp, { limit: paging.limit, offset: paging.offset });
    res.json({ items, page: paging.page, pageSize: paging.pageSize, total } satisfies Page<ClaimToResolve>);
  });

  r.post('/:id/commit', audit.route('import.commit', 'import'), async (req, res) => {
    const p = principalOf(req);
    const imp = await findOwn(req);
    if (imp.status === 'ready' && imp.review && p.role !== 'admin')
      throw new ForbiddenError(
        `Only a practice administrator can save this import. ${typeof imp.review.message === 'string' ? imp.review.message : ''}`.trim(),
      );
    await assertQueueReachable(deps.redis);
    // An administrator's Save approves what the import closes: it was shown in the review.
    if (!(await withTransaction(deps.pool, (tx) => saveStagedImport(tx, imp.id, p.role === 'admin' ? p.userId : null))))
      throw new ConflictError('not_ready', `Only an import waiting for review can be saved; this one is ${imp.status}.`);
    await queueChangedImport(deps, imp.id, requestIdOf(res));
    res.status(202).json({ id: imp.id, status: 'queued', statusUrl: `/imports/${imp.id}` } satisfies UploadAccepted);
  });

  r.post('/:id/discard', audit.route('import.discard', 'import'), async (req, res) => {
    const p = principalOf(req);
    const imp = await findOwn(req);
    await withTransaction(deps.pool, async (tx) => {
      if (!(await discardImport(tx, imp.id, p.userId)))
        throw new ConflictError('not_ready', `Only an import waiting for review can be discarded; this one is ${imp.status}.`);
      await deleteStagedRows(tx, imp.id);
      await deleteStagedClaims(tx, imp.id);
    });
    // A discarded file is not kept: a worker deletes it now (or, if Redis is away, at its hourly run).
    if (deps.maintenanceQueue)
      await requestRetentionRun(deps.maintenanceQueue).catch((err: unknown) =>
        deps.logger.warn({ err }, 'could not ask for the discarded file to be deleted; the hourly run will'),
      );
    if (imp.createdBy !== p.userId)
      await notifyUser(deps.db, imp.createdBy, {
        kind: 'import_cancelled',
        message: `${imp.originalName} was discarded by ${p.userName} after review; nothing from it was applied.`,
        link: `/imports/${imp.id}`,
      });
    res.json(view((await getImportForPractice(deps.db, p.practiceId, imp.id)) ?? imp));
  });

  /** The top of a file whose layout was not recognised, so staff can map its columns themselves. */
  r.get('/:id/header', audit.route('import.header.read', 'import'), async (req, res) => {
    const imp = await findOwn(req);
    const firstRows = await getFirstRows(deps.db, imp.id);
    const header = imp.header ?? firstRows.reduce<string[]>((best, r) => (r.filter((c) => c.trim()).length > best.filter((c) => c.trim()).length ? r : best), []);
    res.json({
      id: imp.id,
      status: imp.status,
      format: imp.format,
      header,
      firstRows,
      fields: AGING_FIELDS.map((f) => ({ field: f, label: AGING_FIELD_LABELS[f], required: REQUIRED_FIELDS.has(f), ...(FIELD_NOTES[f] ? { note: FIELD_NOTES[f] } : {}) })),
    } satisfies FileHeader);
  });

  /**
   * Undoes the latest completed aging import of a location (or the latest of a patient kind): claims,
   * patients, balances or credits it created are removed, those it changed or resolved get their
   * before-images back. Older imports can be reverted in order after it.
   */
  r.post('/:id/revert', audit.route('import.revert', 'import'), async (req, res) => {
    const admin = requireAdmin(req);
    const imp = await findOwn(req);
    if (imp.status !== 'completed') throw new ConflictError('not_revertible', `Only a completed import can be reverted; this one is ${imp.status}.`);
    if (imp.kind === 'aging') await revertAgingImport(deps.pool, imp, admin.userId);
    else await revertPatientImport(deps.pool, imp, admin.userId);
    if (imp.createdBy !== admin.userId)
      await notifyUser(deps.db, imp.createdBy, {
        kind: 'import_reverted',
        message: `${imp.originalName} was reverted by ${admin.userName}: what it applied was undone.`,
        link: `/imports/${imp.id}`,
      });
    res.json(view((await getImportForPractice(deps.db, admin.practiceId, imp.id)) ?? imp));
  });

  /** An administrator confirms that the location of an empty aging report really has no open claims. */
  r.post('/:id/confirm-empty', audit.route('import.confirm_empty', 'import'), async (req, res) => {
    const admin = requireAdmin(req);
    const imp = await findOwn(req);
    if (imp.status !== 'failed' || imp.lastErrorCode !== 'no_claims')
      throw new ConflictError('not_empty_report', 'Only an aging report that failed for having no claims can be confirmed as empty.');
    await assertFileKept(deps.db, imp);
    await assertQueueReachable(deps.redis);
    if (!(await withTransaction(deps.pool, (tx) => confirmEmptyReport(tx, imp.id, admin.userId)))) throw new ConflictError('not_failed', 'This import changed while you were looking; reload it.');
    await queueChangedImport(deps, imp.id, requestIdOf(res));
    res.status(202).json({ id: imp.id, status: 'queued', statusUrl: `/imports/${imp.id}` } satisfies UploadAccepted);
  });

  r.post('/:id/retry', audit.route('import.retry', 'import'), async (req, res) => {
    const admin = requireAdmin(req);
    const imp = await findOwn(req);
    if (imp.status !== 'failed') throw new ConflictError('not_failed', `Only a failed import can be retried; this one is ${imp.status}.`);
    await assertFileKept(deps.db, imp);
    assertRetryCanHelp(imp);
    await assertQueueReachable(deps.redis);
    if (!(await withTransaction(deps.pool, (tx) => retryFailedImport(tx, imp.id, admin.userId)))) throw new ConflictError('not_failed', 'This import changed while you were looking; reload it.');
    await queueChangedImport(deps, imp.id, requestIdOf(res));
    res.status(202).json({ id: imp.id, status: 'queued', statusUrl: `/imports/${imp.id}` } satisfies UploadAccepted);
  });

  r.post('/:id/cancel', audit.route('import.cancel', 'import'), async (req, res) => {
    const admin = requireAdmin(req);
    const imp = await findOwn(req);
    const status = await withTransaction(deps.pool, (tx) => requestCancel(tx, imp.id, admin.userId));
    if (!status) throw new ConflictError('not_cancellable', `This import is ${imp.status} and can no longer be cancelled.`);
    if (status === 'queued' || status === 'ready') {
      // No worker holds it: close it here, in one transaction that also drops what it staged.
      const closedHere = await withTransaction(deps.pool, async (tx) => {
        const closed = await cancelUnstartedImport(tx, imp.id);
        if (closed) await deleteStagedClaims(tx, imp.id);
        return closed;
      });
      // Best effort: a job left behind (Redis down just now) finds its import cancelled and does nothing.
      if (closedHere) await removeQueuedImport(deps.queue, imp.id).catch(() => undefined);
    }
    if (imp.createdBy !== admin.userId)
      await notifyUser(deps.db, imp.createdBy, {
        kind: 'import_cancelled',
        message: `${imp.originalName} was cancelled by ${admin.userName}; nothing from it stays applied.`,
        link: `/imports/${imp.id}`,
      });
    const after = await findOwn(req);
    res.status(202).json(view(after));
  });

  /** An administrator sets a failed import aside: it was dealt with, and leaves "Needs attention". */
  r.post('/:id/dismiss', audit.route('import.dismiss', 'import'), async (req, res) => {
    const admin = requireAdmin(req);
    const imp = await findOwn(req);
    if (imp.status !== 'failed') throw new ConflictError('not_failed', `Only a failed import can be dismissed; this one is ${imp.status}.`);
    if (!imp.dismissedAt && !(await dismissFailedImport(deps.db, admin.practiceId, imp.id, admin.userId)))
      throw new ConflictError('not_failed', 'This import changed while you were looking; reload it.');
    res.json(view((await getImportForPractice(deps.db, admin.practiceId, imp.id)) ?? imp));
  });

  return r;
}
