import { h } from '../dom';
import { notice } from '../ui';

/**
 * A link or token shown once, in a read-only field with a Copy button: the person passes it on or
 * keeps it now, because the server keeps only its hash.
 */
export function secretBox(opts: { id: string; label: string; value: string; message: string; announce(text: string): void }): HTMLElement {
  const input = h('input', { id: opts.id, type: 'text', readonly: true, value: opts.value, spellcheck: 'false', 'data-testid': opts.id });
  const copy = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        input.select();
        const done = () => opts.announce('Copied');
        if (navigator.clipboard) navigator.clipboard.writeText(opts.value).then(done, () => document.execCommand('copy'));
        else if (document.execCommand('copy')) done();
      },
    },
    'Copy',
  );
  return notice('success', h('p', null, opts.message), h('label', { for: opts.id }, opts.label), h('div', { class: 'secret' }, input, copy));
}
