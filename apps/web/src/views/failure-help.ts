import { failureAction } from '@ledgerport/api-client';
import type { AppContext } from '../context';
import { h } from '../dom';
import { links } from '../router';
import type { ImportView } from '../types';

/**
 * What to do about a failed import, by why it failed: Retry only helps where the trouble was outside
 * the file; an unknown layout is mapped; a wrong file is fixed and uploaded again.
 */
export function failureHelp(
  ctx: Pick<AppContext, 'isAdmin'>,
  v: ImportView,
  downloadRejected: () => void,
): HTMLElement | null {
  const action = failureAction(v);
  if (!action) return null;
  const panel = (...children: Array<HTMLElement | string | null>) =>
    h('section', { class: 'panel what-to-do', 'aria-labelledby': 'what-to-do-title' }, h('h2', { id: 'what-to-do-title' }, 'What to do'), ...children);
  const uploadAgain = h('a', { href: links.imports, 'data-key': 'upload-again', class: 'button-link' }, 'Upload a file');
  switch (action) {
    case 'map_columns':
      return panel(
        h('p', null, 'Ledgerport does not know this layout. Say which of its columns holds what; the file is then read again, and later files with these columns are read the same way.'),
        h('div', { class: 'actions' }, h('a', { href: links.map(v.id), class: 'button-link primary', 'data-key': 'map-columns' }, 'Map the columns')),
      );
    case 'fix_and_upload':
      return panel(
        h('p', null, 'Retrying would read the same file and fail again. Fix the file (or export it again from the old system), then upload it again.'),
        h(
          'div',
          { class: 'actions' },
          v.rowsRejected > 0
            ? h('button', { type: 'button', class: 'primary', 'data-key': 'fix-download', onclick: downloadRejected }, 'Download the rejected rows to fix')
            : null,
          uploadAgain,
        ),
      );
    case 'upload_again':
      return panel(
        h('p', null, 'The uploaded file is no longer kept, so this import cannot run again. Upload the file again to import it.'),
        h('div', { class: 'actions' }, uploadAgain),
      );
    case 'retry':
      return panel(
        h(
          'p',
          null,
          ctx.isAdmin
            ? 'This did not fail because of the file. Retry puts it back in the queue; it carries on where it stopped. Once dealt with otherwise, Dismiss takes it off “Needs attention”.'
            : 'This did not fail because of the file: an administrator of your practice can retry it, and it carries on where it stopped.',
        ),
      );
    case 'confirm_empty':
      return panel(
        h(
          'p',
          null,
          ctx.isAdmin
            ? `If ${v.location?.name ?? 'the location'} really has no open insurance claims, confirm it below; otherwise export the report again and upload it.`
            : `An administrator of your practice can confirm that ${v.location?.name ?? 'the location'} has no open claims; until then nothing is changed.`,
        ),
      );
  }
}
