import { ApiError, errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, render, uid } from '../dom';
import { links } from '../router';
import type { FileHeader, ImportView } from '../types';
import { dataTable, notice } from '../ui';

const NOT_IN_FILE = '';

/** A guess to start from: a column whose header is the field's own label (case and spaces aside). */
function guess(header: string[], label: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return header.find((c) => norm(c) === norm(label)) ?? NOT_IN_FILE;
}

/**
 * The mapping screen for an aging file whose layout Ledgerport does not know: the file's header and
 * first rows, and for every field it reads, which column holds it (required ones marked). Saved as
 * the practice's mapping by the columns' names, then the import is read again with it.
 */
export function mappingPage(ctx: AppContext, id: string): View {
  let top: FileHeader | null = null;
  let imp: ImportView | null = null;
  let saving = false;
  const chosen = new Map<string, string>();
  const fieldErrors = new Map<string, string>();
  const element = h('div', { class: 'mapping' });
  const message = h('div', { class: 'form-message' });

  const crumbs = () =>
    h(
      'p',
      { class: 'crumbs' },
      h('a', { href: links.imports, 'data-key': 'crumb-imports' }, '‹ All imports'),
      ' · ',
      h('a', { href: links.import(id), 'data-key': 'crumb-import' }, imp ? `Back to ${imp.fileName}` : 'Back to the import'),
    );

  function draw(): void {
    if (!top || !imp) return;
    const t = top;
    const v = imp;
    const ids = new Map(t.fields.map((f) => [f.field, uid(`map-${f.field}`)]));
    const pickers = t.fields.map((f) => {
      const selectId = ids.get(f.field) ?? f.field;
      const errorId = `${selectId}-error`;
      const error = fieldErrors.get(f.field);
      const noteId = `${selectId}-note`;
      const select = h(
        'select',
        {
          id: selectId,
          name: f.field,
          'data-key': `map-${f.field}`,
          'aria-invalid': error ? 'true' : null,
          'aria-describedby': [error ? errorId : null, f.note ? noteId : null].filter(Boolean).join(' ') || null,
          onchange: (e: Event) => {
            chosen.set(f.field, (e.target as HTMLSelectElement).value);
            fieldErrors.delete(f.field);
          },
        },
        h('option', { value: NOT_IN_FILE }, f.required ? '— choose its column —' : '— not in this file —'),
        t.header.filter((c) => c.trim() !== '').map((c) => h('option', { value: c, selected: chosen.get(f.field) === c }, c)),
      );
      return h(
        'div',
        { class: `field${error ? ' has-error' : ''}` },
        h('label', { for: selectId }, f.label, f.required ? h('span', { class: 'required' }, ' (required)') : null),
        select,
        f.note ? h('p', { id: noteId, class: 'hint' }, `Required ${f.note}.`) : null,
        error ? h('p', { id: errorId, class: 'field-error' }, error) : null,
      );
    });
    render(
      element,
      crumbs(),
      h('h1', { tabindex: -1 }, `Map the columns of ${v.fileName}`),
      h(
        'p',
        null,
        'Ledgerport does not know this layout. For each thing it reads, choose the column of the file that holds it. ',
        'Columns are matched by their names, so later files with these columns, in any order, are read the same way.',
      ),
      v.status !== 'failed' || v.error?.code !== 'unrecognized_layout'
        ? notice('info', `This import is ${v.status === 'failed' ? 'failed for another reason' : v.status}: saving a mapping does not read it again.`)
        : null,
      h('section', { class: 'panel', 'aria-labelledby': 'file-top-title' }, h('h2', { id: 'file-top-title' }, 'The top of the file'),
        t.header.length
          ? dataTable(
              'The header and first rows of the file',
              t.header.map((c, i) => c || `Column ${i + 1}`),
              t.firstRows.filter((r) => r.join('|') !== t.header.join('|')).slice(0, 8).map((r) => t.header.map((_c, i) => r[i] ?? '')),
              { wide: true },
            )
          : h('p', { class: 'empty' }, 'The file shows no header row. Export the report again with its column names.'),
      ),
      h(
        'form',
        {
          class: 'panel mapping-form',
          novalidate: true,
          'aria-labelledby': 'fields-title',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void save();
          },
        },
        h('h2', { id: 'fields-title' }, 'Which column holds what'),
        h('div', { class: 'fields' }, pickers),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-key': 'save-mapping', disabled: saving }, saving ? 'Saving…' : 'Save the mapping and read the file again')),
        message,
      ),
    );
  }

  async function save(): Promise<void> {
    if (!top || !imp || saving) return;
    fieldErrors.clear();
    // Errors at their fields: every required field without a column says so under its own picker.
    for (const f of top.fields) {
      if (f.required && !chosen.get(f.field) && !(f.field === 'claimNumber' && chosen.get('patientAccount')) && !(f.field === 'patientName' && chosen.get('patientFirstName') && chosen.get('patientLastName')))
        fieldErrors.set(f.field, `Choose the column that holds the ${f.label.toLowerCase()}.`);
    }
    const used = new Map<string, string>();
    for (const [field, col] of chosen) {
      if (!col) continue;
      const other = used.get(col);
      const label = top.fields.find((f) => f.field === field)?.label ?? field;
      if (other) fieldErrors.set(field, `"${col}" is already chosen for ${other}.`);
      else used.set(col, label);
    }
    if (fieldErrors.size) {
      draw();
      render(message, notice('error', `Choose a column for each field marked below (${fieldErrors.size}).`));
      element.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    saving = true;
    draw();
    try {
      const columns = Object.fromEntries([...chosen].filter(([, c]) => c));
      const r = await ctx.api.saveColumnMapping({
        name: `Layout of ${imp.fileName}`,
        header: top.header,
        columns,
        ...(imp.status === 'failed' && imp.error?.code === 'unrecognized_layout' ? { importId: id } : {}),
      });
      ctx.announce(r.requeued ? `Mapping saved. ${imp.fileName} is read again.` : 'Mapping saved.');
      window.location.hash = links.import(id);
    } catch (e) {
      saving = false;
      draw();
      render(message, notice('error', errorMessage(e)));
      if (e instanceof ApiError) element.querySelector<HTMLElement>('select')?.focus();
    }
  }

  const refresh = async (): Promise<boolean> => {
    // The form is built once; polling must not undo what the user is choosing.
    if (top && imp) return false;
    try {
      [imp, top] = await Promise.all([ctx.api.getImport(id), ctx.api.header(id)]);
    } catch (e) {
      render(element, crumbs(), h('h1', { tabindex: -1 }, 'Map the columns'), notice('error', errorMessage(e)));
      throw e;
    }
    for (const f of top.fields) chosen.set(f.field, guess(top.header, f.label));
    draw();
    return false;
  };

  return { element, refresh };
}
