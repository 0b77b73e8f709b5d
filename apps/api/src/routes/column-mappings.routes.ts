import { Router } from 'express';
import { z } from 'zod';
import type { ColumnMapping, UploadAccepted } from '@ledgerport/api-client';
import {
  AGING_FIELDS,
  AGING_FIELD_LABELS,
  ConflictError,
  NotFoundError,
  PROFILES,
  ValidationError,
  getProfile,
  missingFields,
  normalizeHeader,
  type AgingField,
} from '@ledgerport/core';
import { getImportForPractice, listColumnMappings, retryFailedImport, saveColumnMapping, withTransaction } from '@ledgerport/db';
import type pg from 'pg';
import { noteAudit, type AuditLog } from '../audit.js';
import { principalOf } from '../auth.js';
import { assertQueueReachable, queueChangedImport, type IntakeDeps } from '../import-intake.js';

const body = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  header: z.array(z.string()).min(1).max(500),
  /** canonical field → the file's column by its header name (a position in `header` is taken as that column's name) */
  columns: z.record(z.string(), z.union([z.string(), z.number().int().min(0)])),
  profile: z.string().optional(),
  /** a failed import of this layout to run again with the mapping */
  importId: z.string().optional(),
});

type Saved = Awaited<ReturnType<typeof saveColumnMapping>>;

function asMapping(m: Saved, requeued?: UploadAccepted): ColumnMapping {
  return {
    id: m.id,
    name: m.name,
    header: m.header,
    columns: m.columns,
    profileId: m.profileId,
    createdAt: m.createdAt.toISOString(),
    ...(requeued ? { requeued } : {}),
  };
}

/**
 * A practice's own column mapping for an aging layout no profile knows. It names each field's column
 * by its header text, so later files whose columns moved, or that have one more, still use it. Given
 * the failed import it was made for, that import runs again with it (for staff too: they made the
 * mapping, and the file is the same one).
 */
export function columnMappingRoutes(deps: IntakeDeps & { pool: pg.Pool; audit: AuditLog }): Router {
  const r = Router();
  r.get('/column-mappings', async (req, res) => {
    const p = principalOf(req);
    const items = await listColumnMappings(deps.db, p.practiceId);
    res.json({ items: items.map((m) => asMapping(m)) } satisfies { items: ColumnMapping[] });
  });
  r.post('/column-mappings', deps.audit.route('column_mapping.save', 'column_mapping', null), async (req, res) => {
    const p = principalOf(req);
    const b = body.safeParse(req.body ?? {});
    if (!b.success) throw new ValidationError('bad_request', "Send the file's header (a list of column names) and columns: {field: column name}.");
    const profile = getProfile(b.data.profile ?? 'generic');
    if (!profile) throw new ValidationError('unknown_format', `Unknown system "${b.data.profile}". Choose one of: ${PROFILES.map((x) => x.id).join(', ')}.`);
    const header = b.data.header;
    const byName: Record<string, string> = {};
    const positions: Partial<Record<AgingField, number>> = {};
    for (const [field, col] of Object.entries(b.data.columns)) {
      if (!(AGING_FIELDS as readonly string[]).includes(field)) {
        throw new ValidationError('unknown_field', `"${field}" is not a field Ledgerport reads. Fields: ${AGING_FIELDS.join(', ')}.`);
      }
      const idx = typeof col === 'number' ? col : header.findIndex((h) => normalizeHeader(h) === normalizeHeader(col));
      const name = header[idx];
      if (idx < 0 || name === undefined || normalizeHeader(name) === '') throw new ValidationError('unknown_column', `The header has no column "${String(col)}".`);
      byName[field] = name.trim();
      positions[field as AgingField] = idx;
    }
    const twice = Object.values(byName).find((n, i, all) => all.findIndex((x) => normalizeHeader(x) === normalizeHeader(n)) !== i);
    if (twice) throw new ValidationError('column_used_twice', `The column "${twice}" is chosen for two fields; choose one field for it.`);
    const missing = missingFields(positions, profile);
    if (missing.length) {
      throw new ValidationError('mapping_incomplete', `Choose a column for: ${missing.map((f) => AGING_FIELD_LABELS[f]).join(', ')}.`);
    }
    const imp = b.data.importId ? await getImportForPractice(deps.db, p.practiceId, b.data.importId) : null;
    if (b.data.importId && !imp) throw new NotFoundError('There is no such import in your practice.');
    if (imp && (imp.status !== 'failed' || imp.lastErrorCode !== 'unrecognized_layout'))
      throw new ConflictError('not_unrecognized', `Only an import that failed for its unknown columns runs again with a mapping; this one is ${imp.status}.`);
    if (imp) await assertQueueReachable(deps.redis);
    const saved = await saveColumnMapping(deps.db, {
      practiceId: p.practiceId,
      name: b.data.name ?? `Layout ${header.slice(0, 3).join(', ')}`,
      header,
      columns: byName,
      profileId: profile.id,
      createdBy: p.userId,
    });
    noteAudit(req, { resourceId: String(saved.id) });
    let requeued: UploadAccepted | undefined;
    if (imp && (await withTransaction(deps.pool, (tx) => retryFailedImport(tx, imp.id, p.userId)))) {
      await queueChangedImport(deps, imp.id);
      requeued = { id: imp.id, status: 'queued', statusUrl: `/imports/${imp.id}` };
    }
    res.status(201).json(asMapping(saved, requeued));
  });
  return r;
}
