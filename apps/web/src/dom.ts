// A few lines instead of a framework: build elements declaratively, and re-render a region without
// losing the keyboard user's place.

export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (e: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

const PROPERTIES = new Set(['value', 'checked', 'selected', 'indeterminate']);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  append(el, children);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (PROPERTIES.has(key)) (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
  }
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/**
 * Replaces a region's content. The element that had focus is found again by its data-key (or id),
 * so polling every second does not throw a keyboard user back to the top of the page.
 */
export function render(region: HTMLElement, ...children: Child[]): void {
  const active = document.activeElement;
  const key =
    active instanceof HTMLElement && region.contains(active) ? (active.dataset.key ?? (active.id || null)) : null;
  region.replaceChildren();
  append(region, children);
  if (key) {
    const again = region.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"], #${CSS.escape(key)}`);
    again?.focus({ preventScroll: true });
  }
}

let ids = 0;
/** A unique id for pairing a label with its control. */
export function uid(prefix: string): string {
  return `${prefix}-${++ids}`;
}

/** Saves a Blob as a file: how a download works when the request needs the bearer token. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Let the browser start the download before the URL goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
