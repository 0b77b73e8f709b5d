import { Router } from 'express';
import { z } from 'zod';
import { AGING_FIELDS, AGING_FIELD_LABELS, PROFILES, ValidationError, getProfile, missingFields, type AgingField } from '@ledgerport/core';
import { listColumnMappings, saveColumnMapping, type Db } from '@ledgerport/db';
import { noteAudit, type AuditLog } from '../audit.js';
import { principalOf } from '../auth.js';

const body = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  header: z.array(z.string()).min(1).max(500),
  /** canonical field → the file's column, by header text or by position */
  columns: z.record(z.string(), z.union([z.string(), z.number().int().min(0)])),
  profile: z.string().optional(),
});

/** A practice's own column mapping for an aging layout no profile knows; later files with that header use it. */
export function columnMappingRoutes(db: Db, audit: AuditLog): Router {
  const r = Router();
  r.get('/column-mappings', async (req, res) => {
    const p = principalOf(req);
    res.json({ items: await listColumnMappings(db, p.practiceId) });
  });
  r.post('/column-mappings', audit.route('column_mapping.save', 'column_mapping', null), async (req, res) => {
    const p = principalOf(req);
    const b = body.safeParse(req.body ?? {});
    if (!b.success) throw new ValidationError('bad_request', "Send the file's header (a list of column names) and columns: {field: column name}.");
    const profile = getProfile(b.data.profile ?? 'generic');
    if (!profile) throw new ValidationError('unknown_format', `Unknown system "${b.data.profile}". Choose one of: ${PROFILES.map((x) => x.id).join(', ')}.`);
    const columns: Partial<Record<AgingField, number>> = {};
    for (const [field, col] of Object.entries(b.data.columns)) {
      if (!(AGING_FIELDS as readonly string[]).includes(field)) {
        throw new ValidationError('unknown_field', `"${field}" is not a field Ledgerport reads. Fields: ${AGING_FIELDS.join(', ')}.`);
      }
      const idx = typeof col === 'number' ? col : b.data.header.findIndex((h) => h.trim().toLowerCase() === col.trim().toLowerCase());
      if (idx < 0 || idx >= b.data.header.length) throw new ValidationError('unknown_column', `The header has no column "${String(col)}".`);
      columns[field as AgingField] = idx;
    }
    const missing = missingFields(columns, profile);
    if (missing.length) {
      throw new ValidationError('mapping_incomplete', `Map these fields too: ${missing.map((f) => AGING_FIELD_LABELS[f]).join(', ')}.`);
    }
    const saved = await saveColumnMapping(db, {
      practiceId: p.practiceId,
      name: b.data.name ?? `Layout ${b.data.header.slice(0, 3).join(', ')}`,
      header: b.data.header,
      columns,
      profileId: profile.id,
      createdBy: p.userId,
    });
    noteAudit(req, { resourceId: String(saved.id) });
    res.status(201).json(saved);
  });
  return r;
}
