import { z } from 'zod';
import { ValidationError } from '@ledgerport/core';

const pagingSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export function parsePaging(query: unknown): { page: number; pageSize: number; limit: number; offset: number } {
  const r = pagingSchema.safeParse(query);
  if (!r.success) throw new ValidationError('bad_paging', 'page must be 1 or more and pageSize between 1 and 500.');
  return { ...r.data, limit: r.data.pageSize, offset: (r.data.page - 1) * r.data.pageSize };
}
