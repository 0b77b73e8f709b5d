import type { Location, LocationRequest } from '@ledgerport/api-client';
import type { AppContext, View } from '../context';
import { h, render, uid } from '../dom';
import { formatDate } from '../format';
import { dataTable, notice } from '../ui';
import { act, field, onceView, select } from './form-bits';

/** "EAST, East Side\nEastside Clinic" → the names, one per comma or line. */
export function namesFrom(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
}

/** A practice's locations, for administrators: add, rename, say what PM exports call them and which PM system they use, archive. */
export function locationsPage(ctx: AppContext): View {
  const body = h('div');
  const message = h('div', { class: 'form-message' });
  const element = h('div', null, h('h1', { tabindex: -1 }, 'Locations'), message, body);
  if (!ctx.isAdmin) {
    render(body, notice('info', 'Only a practice administrator can add or change locations.'));
    return { element, refresh: () => Promise.resolve(false) };
  }
  let editing: string | null = null;
  const pmOptions = (): Array<[string, string]> => [['', 'Not set (detect from each file)'], ...(ctx.formats ?? []).map((f): [string, string] => [f.id, f.label])];
  const pmLabel = (id: string | null) => (id ? (ctx.formats?.find((f) => f.id === id)?.label ?? id) : 'Not set');

  const changed = async (what: () => Promise<string>) => {
    await act(message, (t) => ctx.announce(t), what, async () => {
      editing = null;
      // The upload form's list of locations follows at once.
      ctx.locations = await ctx.api.listLocations();
      await view.reload();
    });
  };

  const editor = (l: Location | null): HTMLElement => {
    const name = h('input', { type: 'text', name: 'name', value: l?.name ?? '', required: true, maxlength: 100, autocomplete: 'off' });
    const aliases = h('textarea', { name: 'aliases', rows: 2 }, (l?.aliases ?? []).join('\n'));
    const pm = select('pmSystem', pmOptions(), l?.pmSystem ?? '');
    const title = l ? `Change ${l.name}` : 'Add a location';
    const titleId = uid('loc-form');
    return h(
      'form',
      {
        class: 'panel',
        'aria-labelledby': titleId,
        onsubmit: (e: Event) => {
          e.preventDefault();
          const c: LocationRequest & { name: string } = { name: name.value.trim(), aliases: namesFrom(aliases.value), pmSystem: pm.value || null };
          void changed(async () => {
            if (l) {
              const saved = await ctx.api.updateLocation(l.id, c);
              return `${saved.name} was saved.`;
            }
            const made = await ctx.api.createLocation(c);
            return `${made.name} was added.`;
          });
        },
      },
      h('h2', { id: titleId }, title),
      h(
        'div',
        { class: 'fields' },
        field('Name', name),
        field('Other names in PM exports', aliases, 'One per line or separated by commas. A file naming the location by any of these is accepted for it.'),
        field('PM system', pm, 'The layout its aging files are read with, unless the upload says otherwise.'),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', 'data-key': l ? `save-${l.id}` : 'add-location' }, l ? 'Save' : 'Add location'),
        l ? h('button', { type: 'button', onclick: () => ((editing = null), void view.reload()) }, 'Cancel') : null,
      ),
    );
  };

  const view = onceView(element, body, async () => {
    const all = await ctx.api.allLocations();
    const current = all.find((l) => l.id === editing) ?? null;
    const rows = all.map((l) => [
      h('strong', null, l.name),
      l.aliases.length ? l.aliases.join(', ') : h('span', { class: 'muted' }, 'none'),
      pmLabel(l.pmSystem),
      l.lastReportDate ? formatDate(l.lastReportDate) : '—',
      l.archivedAt ? 'Archived' : 'Active',
      h(
        'span',
        { class: 'actions tight' },
        h('button', { type: 'button', 'data-key': `edit-${l.id}`, 'aria-label': `Change ${l.name}`, onclick: () => ((editing = l.id), void view.reload()) }, 'Change'),
        h(
          'button',
          {
            type: 'button',
            class: l.archivedAt ? null : 'danger',
            'data-key': `archive-${l.id}`,
            'aria-label': `${l.archivedAt ? 'Restore' : 'Archive'} ${l.name}`,
            onclick: () =>
              void changed(async () => {
                await ctx.api.updateLocation(l.id, { archived: !l.archivedAt });
                return l.archivedAt ? `${l.name} was restored: it takes uploads again.` : `${l.name} was archived: it takes no more uploads.`;
              }),
          },
          l.archivedAt ? 'Restore' : 'Archive',
        ),
      ),
    ]);
    return [
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'loc-list' },
        h('h2', { id: 'loc-list' }, 'Your locations'),
        all.length
          ? dataTable('Locations', ['Name', 'Other names', 'PM system', 'Last report', 'Status', 'Actions'], rows, { captionHidden: true })
          : h('p', { class: 'empty' }, 'No locations yet. Add the first one below.'),
      ),
      current ? editor(current) : null,
      editor(null),
    ];
  });
  return view;
}
