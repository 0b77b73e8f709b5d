// Small pieces the practice screens share: a labelled field, a view that loads once and reloads
// after the user changes something, and a region that shows what went wrong in the server's words.
import { errorMessage } from '../api';
import type { View } from '../context';
import { h, render, uid, type Child } from '../dom';
import { notice } from '../ui';

/** A label above its control, an optional hint under it, tied together for screen readers. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('field');
  control.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

/** A form's refusal at the field it is about: the words in the form's message area, the field marked invalid and focused. */
export function refuseAtField(message: HTMLElement, text: string, input: HTMLInputElement): void {
  render(message, notice('error', text));
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

export function select(name: string, options: Array<[value: string, label: string]>, value = ''): HTMLSelectElement {
  return h(
    'select',
    { name },
    options.map(([v, l]) => h('option', { value: v, selected: v === value }, l)),
  );
}

/**
 * A screen that is read when it opens and again after the user changes something, not on every
 * tick of the page's poller: polling would wipe a form half filled in.
 */
export function onceView(
  element: HTMLElement,
  body: HTMLElement,
  load: () => Promise<Child>,
): View & { reload(): Promise<void> } {
  let loaded = false;
  const reload = async () => {
    try {
      render(body, await load());
    } catch (e) {
      render(body, notice('error', errorMessage(e)));
    }
  };
  return {
    element,
    reload,
    async refresh() {
      if (!loaded) {
        loaded = true;
        await reload();
      }
      return false;
    },
  };
}

/** Runs a change the user asked for, saying how it went in `region` and to screen readers. */
export async function act(
  region: HTMLElement,
  announce: (text: string) => void,
  change: () => Promise<string>,
  /**
   * Runs after the change and before it is announced (a reload of the page's lists): whoever reads
   * "saved" and goes on typing must not have the form redrawn under them.
   */
  after?: () => Promise<void>,
): Promise<boolean> {
  try {
    const done = await change();
    if (after) await after();
    render(region, notice('success', done));
    announce(done);
    return true;
  } catch (e) {
    render(region, notice('error', errorMessage(e)));
    return false;
  }
}
