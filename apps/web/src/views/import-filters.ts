import type { ImportKind, ImportListFilter, ImportStatus } from '@ledgerport/api-client';
import type { AppContext } from '../context';
import { h } from '../dom';
import { STATUS_LABELS } from '../ui';
import { field, select } from './form-bits';

/**
 * The imports list narrowed down: location, kind, status, upload dates and who uploaded. Built once
 * (polling never re-renders it, so a half-set filter stays); `onChange` gets the filter to list with.
 */
export function importFilters(ctx: AppContext, onChange: (f: ImportListFilter) => void): HTMLElement {
  const location = select('locationId', [['', 'Any location'], ...ctx.locations.map((l): [string, string] => [l.id, l.name])]);
  const kind = select('kind', [['', 'Any kind'], ...ctx.kinds.map((k): [string, string] => [k.kind, k.label])]);
  const status = select('status', [['', 'Any status'], ...Object.entries(STATUS_LABELS)]);
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  const uploader = select('createdBy', [
    ['', 'Anyone'],
    [ctx.me.user.id, `Me (${ctx.me.user.name})`],
  ]);
  // Administrators can pick anyone of the practice; staff see their own uploads or everyone's.
  if (ctx.isAdmin)
    void ctx.api
      .get<{ items: Array<{ id: string; name: string }> }>('/users')
      .then((r) => {
        for (const u of r.items) if (u.id !== ctx.me.user.id) uploader.append(h('option', { value: u.id }, u.name));
      })
      .catch(() => {
        // the filter still offers "Anyone" and "Me"
      });

  const read = (): ImportListFilter => ({
    locationId: location.value || undefined,
    kind: kind.value ? [kind.value as ImportKind] : undefined,
    status: status.value ? [status.value as ImportStatus] : undefined,
    from: from.value || undefined,
    to: to.value || undefined,
    createdBy: uploader.value || undefined,
  });
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filter imports',
      onsubmit: (e: Event) => (e.preventDefault(), onChange(read())),
      onreset: () => window.setTimeout(() => onChange(read()), 0),
    },
    h(
      'div',
      { class: 'fields' },
      field('At location', location),
      field('Kind', kind),
      field('Status', status),
      field('Uploaded from', from),
      field('Uploaded to', to),
      field('Uploaded by', uploader),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', 'data-key': 'filter-imports' }, 'Filter'),
      h('button', { type: 'reset', class: 'link', 'data-key': 'clear-filters' }, 'Clear filters'),
    ),
  );
  for (const control of [location, kind, status, uploader]) control.addEventListener('change', () => onChange(read()));
  return form;
}
