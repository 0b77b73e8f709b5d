import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError, csvLine } from '@ledgerport/core';
import {
  deleteStagedClaims,
  findCompletedDuplicate,
  findLocation,
  getImportForPractice,
  insertImport,
  listImports,
  listRowErrors,
  markForRetry,
  requestCancel,
  type Db,
  type ImportStatus,
} from '@ledgerport/db';
import { enqueueImport, removeQueuedImport, type ImportQueue } from '@ledgerport/queue';
import type pg from 'pg';
import { principalOf, requireAdmin } from '../auth.js';
import { importView } from '../import-view.js';
import { parsePaging } from '../paging.js';
import { discardUpload, hashingDiskStorage, keepUpload, type StoredUpload } from '../upload-storage.js';

export interface ImportRoutesDeps {
  db: Db;
  pool: pg.Pool;
  queue: ImportQueue;
  uploadDir: string;
  maxUploadBytes: number;
  jobAttempts: number;
}

const KINDS = ['aging'] as const;

const uploadFields = z.object({
  kind: z.enum(KINDS, { error: `Choose what kind of file this is: ${KINDS.join(', ')}.` }),
  locationId: z.string().trim().min(1, 'Choose the location this file is for.').optional(),
  mode: z.enum(['commit', 'preview'], { error: 'mode must be "commit" or "preview".' }).optional(),
  onInvalid: z.enum(['skip', 'block'], { error: 'onInvalid must be "skip" or "block".' }).optional(),
});

const STATUSES: ImportStatus[] = ['queued', 'running', 'ready', 'completed', 'failed', 'cancelled', 'reverted'];

export function importRoutes(deps: ImportRoutesDeps): Router {
  const r = Router();
  const upload = multer({ storage: hashingDiskStorage(deps.uploadDir), limits: { fileSize: deps.maxUploadBytes, files: 1 } });

  const findOwn = async (req: Request) => {
    const p = principalOf(req);
    const imp = await getImportForPractice(deps.db, p.practiceId, String(req.params.id));
    if (!imp) throw new NotFoundError('There is no such import in your practice.');
    return imp;
  };

  r.post('/', upload.single('file'), async (req, res) => {
    const p = principalOf(req);
    const file: (Express.Multer.File & Partial<StoredUpload>) | undefined = req.file;
    try {
      if (!file?.tmpPath || file.sha256 === undefined || file.size === undefined) {
        throw new ValidationError('file_missing', 'Attach the file to import (form field "file").');
      }
      const fields = uploadFields.safeParse(req.body ?? {});
      if (!fields.success) throw new ValidationError('bad_request', fields.error.issues.map((i) => i.message).join(' '));
      if (file.size === 0) throw new ValidationError('empty_file', `${file.originalname} is empty. Export the report again and upload the new file.`);
      const { kind } = fields.data;
      if (!fields.data.locationId) throw new ValidationError('location_required', 'Choose the location this file is for.');
      const location = await findLocation(deps.db, p.practiceId, fields.data.locationId);
      if (!location) throw new ValidationError('unknown_location', `Your practice has no location "${fields.data.locationId}".`);
      const dup = await findCompletedDuplicate(deps.db, { practiceId: p.practiceId, locationId: location.id, kind, sha256: file.sha256 });
      if (dup) {
        throw new ConflictError('duplicate_file', `This exact file was already imported for ${location.name} on ${dup.createdAt.toISOString().slice(0, 10)}.`, {
          details: { importId: dup.id },
        });
      }
      const id = randomUUID();
      const storageKey = `${p.practiceId}/${id}`;
      await keepUpload(deps.uploadDir, file.tmpPath, storageKey);
      const imp = await insertImport(deps.db, {
        id,
        practiceId: p.practiceId,
        locationId: location.id,
        kind,
        format: null,
        mode: fields.data.mode ?? 'commit',
        onInvalid: fields.data.onInvalid ?? 'skip',
        options: {},
        originalName: file.originalname,
        sizeBytes: file.size,
        sha256: file.sha256,
        storageKey,
        createdBy: p.userId,
      });
      await enqueueImport(deps.queue, imp.id, deps.jobAttempts);
      res.status(202).json({ id: imp.id, status: imp.status, statusUrl: `/imports/${imp.id}` });
    } finally {
      await discardUpload(file?.tmpPath);
    }
  });

  r.get('/', async (req, res) => {
    const p = principalOf(req);
    const paging = parsePaging(req.query);
    const statusParam = typeof req.query.status === 'string' ? req.query.status.split(',') : [];
    const status = statusParam.filter((s): s is ImportStatus => (STATUSES as string[]).includes(s));
    const { items, total } = await listImports(deps.db, p.practiceId, { limit: paging.limit, offset: paging.offset, status });
    const now = new Date();
    res.json({ items: items.map((i) => importView(i, now)), page: paging.page, pageSize: paging.pageSize, total });
  });

  r.get('/:id', async (req, res) => {
    res.json(importView(await findOwn(req)));
  });

  r.get('/:id/errors', async (req, res) => {
    const imp = await findOwn(req);
    if (req.query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${imp.originalName.replace(/[^\w.-]+/g, '_')}-errors.csv"`);
      res.write('\ufeff' + csvLine(['Row', 'Column', 'Value', 'Message']));
      for (let offset = 0; ; offset += 1000) {
        const { items } = await listRowErrors(deps.db, imp.id, { limit: 1000, offset });
        for (const e of items) res.write(csvLine([e.rowNumber, e.column, e.value, e.message]));
        if (items.length < 1000) break;
      }
      res.end();
      return;
    }
    const paging = parsePaging(req.query);
    const { items, total } = await listRowErrors(deps.db, imp.id, { limit: paging.limit, offset: paging.offset });
    res.json({ items, page: paging.page, pageSize: paging.pageSize, total });
  });

  r.post('/:id/retry', async (req, res) => {
    const admin = requireAdmin(req);
    const imp = await findOwn(req);
    if (imp.status !== 'failed') throw new ConflictError('not_failed', `Only a failed import can be retried; this one is ${imp.status}.`);
    if (!(await markForRetry(deps.db, imp.id, admin.userId))) throw new ConflictError('not_failed', 'This import changed while you were looking; reload it.');
    await enqueueImport(deps.queue, imp.id, deps.jobAttempts);
    res.status(202).json({ id: imp.id, status: 'queued', statusUrl: `/imports/${imp.id}` });
  });

  r.post('/:id/cancel', async (req, res) => {
    const admin = requireAdmin(req);
    const imp = await findOwn(req);
    const status = await requestCancel(deps.db, imp.id, admin.userId);
    if (!status) throw new ConflictError('not_cancellable', `This import is ${imp.status} and can no longer be cancelled.`);
    if (status === 'queued' || status === 'ready') {
      // No worker holds it: close it here, in one transaction that also drops what it staged.
      const client = await deps.pool.connect();
      let closedHere = false;
      try {
        await client.query('begin');
        const { rowCount } = await client.query(
          `update imports set status = 'cancelled', phase = 'done', finished_at = now(), updated_at = now(),
             last_error = 'Cancelled before it was applied; nothing from this file was applied.', last_error_code = 'cancelled'
           where id = $1 and status in ('queued', 'ready') and commit_checkpoint = 0`,
          [imp.id],
        );
        closedHere = rowCount === 1;
        if (closedHere) await deleteStagedClaims(client, imp.id);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback');
        throw e;
      } finally {
        client.release();
      }
      if (closedHere) await removeQueuedImport(deps.queue, imp.id);
    }
    const after = await findOwn(req);
    res.status(202).json(importView(after));
  });

  return r;
}
