import { ApiError, errorMessage } from '../api';
import type { AppContext } from '../context';
import { h, render, uid } from '../dom';
import { formatBytes, formatBytesOf } from '../format';
import { links } from '../router';
import type { KindInfo } from '../types';
import { notice } from '../ui';

const ANY_FILE = '.csv,.txt,.tsv,.xls,.xlsx';

/** Client-side refusal of a file that cannot be right, in the words the server would use. */
export function refuseFile(file: File | null, maxUploadBytes: number | null): string | null {
  if (!file) return 'Choose the file to upload.';
  if (file.size === 0) return `${file.name} is empty. Export the report again and upload the new file.`;
  if (maxUploadBytes !== null && file.size > maxUploadBytes) {
    return `${file.name} is ${formatBytes(file.size)}; files can be at most ${formatBytes(maxUploadBytes)}. Split it or ask an administrator to raise the limit.`;
  }
  return null;
}

/**
 * The upload panel: kind, location, PM system, file (picker or drop), preview or commit, template.
 * It is built once and never re-rendered by polling, so what the user chose stays put.
 */
export function uploadForm(ctx: AppContext, onUploaded: (id: string) => void): HTMLElement {
  let file: File | null = null;
  let busy = false;
  const kindId = uid('kind');
  const locationId = uid('location');
  const formatId = uid('format');
  const dateOrderId = uid('date-order');
  const fileId = uid('file');
  const hintId = uid('file-hint');

  const kindSelect = h(
    'select',
    { id: kindId, name: 'kind' },
    ctx.kinds.map((k) => h('option', { value: k.kind }, k.label)),
  );
  const multipleLocations = ctx.locations.length > 1;
  const locationSelect = h(
    'select',
    { id: locationId, name: 'location' },
    multipleLocations ? h('option', { value: '' }, 'Choose a location…') : null,
    ctx.locations.map((l) => h('option', { value: l.id }, l.name)),
  );
  const formatSelect = h(
    'select',
    { id: formatId, name: 'format' },
    h('option', { value: 'detect' }, 'Detect from the file'),
    (ctx.formats ?? []).map((f) => h('option', { value: f.id }, f.label)),
  );
  // Every kind has dates (of service, of birth, of a credit). Without it the server decides the order
  // from the file's own dates, and says so when it had to assume one.
  const dateOrderSelect = h(
    'select',
    { id: dateOrderId, name: 'dateOrder' },
    h('option', { value: '' }, 'Detect from the file'),
    h('option', { value: 'MDY' }, 'Month first MM/DD/YYYY'),
    h('option', { value: 'DMY' }, 'Day first DD/MM/YYYY'),
    h('option', { value: 'YMD' }, 'Year first YYYY-MM-DD'),
  );
  const acceptTypes = ctx.formats?.flatMap((f) => f.fileTypes ?? []).map((t) => (t.startsWith('.') ? t : `.${t}`));
  const fileInput = h('input', {
    id: fileId,
    name: 'file',
    type: 'file',
    accept: acceptTypes?.length ? [...new Set(acceptTypes)].join(',') : ANY_FILE,
    'aria-describedby': hintId,
  });
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite' });
  const fileError = h('div', { id: '' });
  const blockCheck = h('input', { type: 'checkbox', name: 'onInvalid' });
  const inactiveCheck = h('input', { type: 'checkbox', name: 'skipInactive', checked: true });
  const inactiveField = h('label', { class: 'check' }, inactiveCheck, ' Skip inactive patients');
  const description = h('p', { class: 'hint' });
  const modeBox = h('div');
  const kindExtras = h('div');
  const message = h('div', { class: 'form-message' });
  const uploadProgress = h('progress', { max: 100, value: 0, 'aria-label': 'Upload progress' });
  const uploadText = h('span', { class: 'upload-text' });
  const uploadBox = h('div', { class: 'upload-progress', hidden: true }, uploadProgress, uploadText);
  const locationErrorId = uid('location-error');
  const locationError = h('p', { id: locationErrorId, class: 'field-error', hidden: true });
  const fileErrorId = uid('file-error');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload');

  const kind = (): KindInfo => ctx.kinds.find((k) => k.kind === kindSelect.value) ?? (ctx.kinds[0] as KindInfo);
  const locationField = h('div', { class: 'field' }, h('label', { for: locationId }, 'Location'), locationSelect, locationError);
  const fieldError = (select: HTMLElement, box: HTMLElement, text: string | null) => {
    box.textContent = text ?? '';
    box.hidden = !text;
    if (text) {
      select.setAttribute('aria-invalid', 'true');
      select.setAttribute('aria-describedby', box.id);
    } else {
      select.removeAttribute('aria-invalid');
      select.removeAttribute('aria-describedby');
    }
  };
  locationSelect.addEventListener('change', () => fieldError(locationSelect, locationError, null));
  const formatField = h(
    'div',
    { class: 'field' },
    h('label', { for: formatId }, 'Exported from (PM system)'),
    formatSelect,
  );

  const dateOrderField = h('div', { class: 'field' }, h('label', { for: dateOrderId }, 'Date order'), dateOrderSelect);

  const showMessage = (el: HTMLElement | null) => render(message, el);

  const setFile = (f: File | null) => {
    file = f;
    const refusal = f ? refuseFile(f, ctx.maxUploadBytes) : null;
    render(chosen, f ? `${f.name} · ${formatBytes(f.size)}` : null);
    // The refusal shows at the file field, and the field says it is in error.
    render(fileError, refusal ? notice('error', refusal) : null);
    if (refusal) fileInput.setAttribute('aria-invalid', 'true');
    else fileInput.removeAttribute('aria-invalid');
    showMessage(null);
  };

  const renderKind = () => {
    const k = kind();
    locationField.hidden = !k.needsLocation;
    formatField.hidden = k.kind !== 'aging';
    inactiveField.hidden = k.kind !== 'patients';
    description.textContent = k.description ?? '';
    const name = `mode-${uid('m')}`;
    render(
      modeBox,
      k.modes.length > 1
        ? h(
            'fieldset',
            { class: 'modes' },
            h('legend', null, 'When the file has been read'),
            k.modes.map((m) =>
              h(
                'label',
                { class: 'radio' },
                h('input', { type: 'radio', name, value: m, checked: m === k.defaultMode }),
                m === 'preview' ? ' Show me a preview first; I will press Save' : ' Apply it right away',
              ),
            ),
          )
        : null,
    );
    render(
      kindExtras,
      ctx.kindsFromServer
        ? h(
            'div',
            { class: 'template' },
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                onclick: () => {
                  ctx.api
                    .download(
                      ctx.api.send('GET', k.templateUrl || `/imports/templates/${encodeURIComponent(k.kind)}`),
                      `${k.label} template.csv`,
                    )
                    .then(
                      (name) => ctx.announce(`Downloaded ${name}`),
                      (e: unknown) => showMessage(notice('error', errorMessage(e))),
                    );
                },
              },
              `Download the ${k.label} CSV template`,
            ),
            k.columns.length
              ? h(
                  'details',
                  null,
                  h('summary', null, 'Columns this file needs'),
                  h(
                    'ul',
                    { class: 'columns' },
                    k.columns.map((c) =>
                      h(
                        'li',
                        null,
                        h('strong', null, c.name),
                        c.required ? ' (required)' : ' (optional)',
                        c.format ? ` · ${c.format}` : c.type ? ` · ${c.type}` : '',
                        c.example ? h('span', { class: 'muted' }, ` · e.g. ${c.example}`) : null,
                      ),
                    ),
                  ),
                )
              : null,
          )
        : null,
    );
  };

  const dropZone = h(
    'div',
    { class: 'drop' },
    h('label', { for: fileId }, 'File'),
    fileInput,
    h(
      'p',
      { id: hintId, class: 'hint' },
      'Drag the exported file here, or choose it',
      ctx.maxUploadBytes !== null ? ` (up to ${formatBytes(ctx.maxUploadBytes)})` : '',
      '.',
    ),
    chosen,
    fileError,
  );
  fileError.id = fileErrorId;
  fileInput.setAttribute('aria-describedby', `${hintId} ${fileErrorId}`);
  fileInput.addEventListener('change', () => setFile(fileInput.files?.[0] ?? null));
  dropZone.addEventListener('dragover', (e) => {
    e.preventDefault();
    dropZone.classList.add('over');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
  dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    dropZone.classList.remove('over');
    const files = e.dataTransfer?.files;
    if (!files?.length) return;
    fileInput.files = files;
    setFile(files[0] ?? null);
  });
  kindSelect.addEventListener('change', renderKind);

  const form = h(
    'form',
    { class: 'upload', novalidate: true, 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload a file'),
    h(
      'div',
      { class: 'fields' },
      h('div', { class: 'field' }, h('label', { for: kindId }, 'What the file holds'), kindSelect),
      locationField,
      formatField,
      dateOrderField,
    ),
    description,
    dropZone,
    modeBox,
    inactiveField,
    h(
      'label',
      { class: 'check' },
      blockCheck,
      ' Stop if any row has an error (otherwise bad rows are skipped and listed)',
    ),
    h('div', { class: 'actions' }, submit, uploadBox),
    kindExtras,
    message,
  );

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    const k = kind();
    // Each error at its own field, the first one focused.
    const noLocation = k.needsLocation && !locationSelect.value;
    fieldError(locationSelect, locationError, noLocation ? 'Choose the location this file is for.' : null);
    const refusal = refuseFile(file, ctx.maxUploadBytes);
    render(fileError, refusal ? notice('error', refusal) : null);
    if (refusal) fileInput.setAttribute('aria-invalid', 'true');
    if (noLocation || refusal || !file) {
      (noLocation ? locationSelect : fileInput).focus();
      return;
    }
    const mode = modeBox.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value;
    const name = file.name;
    busy = true;
    submit.disabled = true;
    submit.textContent = 'Uploading…';
    uploadBox.hidden = false;
    uploadProgress.value = 0;
    uploadText.textContent = `0% · ${formatBytesOf(0, file.size)}`;
    showMessage(null);
    ctx.api
      .uploadWithProgress(
        {
          file,
          fileName: file.name,
          kind: k.kind,
          location: k.needsLocation ? locationSelect.value : undefined,
          format: k.kind === 'aging' ? formatSelect.value : undefined,
          dateOrder: dateOrderSelect.value ? (dateOrderSelect.value as 'MDY' | 'DMY' | 'YMD') : undefined,
          mode: mode === 'preview' || mode === 'commit' ? mode : undefined,
          onInvalid: blockCheck.checked ? 'block' : undefined,
          skipInactive: k.kind === 'patients' ? inactiveCheck.checked : undefined,
        },
        (sent, total) => {
          if (!total) return;
          const pct = Math.min(100, Math.floor((sent / total) * 100));
          uploadProgress.value = pct;
          uploadText.textContent = `${pct}% · ${formatBytesOf(sent, total)}`;
        },
      )
      .then(
        (r) => {
          fileInput.value = '';
          setFile(null);
          showMessage(
            notice(
              'success',
              `Uploaded ${name}. `,
              h('a', { href: links.import(r.id) }, 'Open it'),
              ' or follow its progress in the list below.',
            ),
          );
          ctx.announce(`Uploaded ${name}`);
          onUploaded(r.id);
        },
        (err: unknown) => {
          const earlier = err instanceof ApiError ? err.details.importId : undefined;
          showMessage(
            notice(
              'error',
              errorMessage(err),
              typeof earlier === 'string'
                ? [' ', h('a', { href: links.import(earlier) }, 'Open the earlier import')]
                : null,
            ),
          );
        },
      )
      .finally(() => {
        busy = false;
        submit.disabled = false;
        submit.textContent = 'Upload';
        uploadBox.hidden = true;
      });
  });

  renderKind();
  return form;
}
