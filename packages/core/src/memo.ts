/**
 * `read` remembered per text, for the values a file repeats a million times (payer names, dates). The
 * cache starts over once it holds `limit` values, so a file of odd values cannot grow it without end.
 */
export function memoByText<V>(read: (text: string) => V, limit: number): (text: string) => V {
  const cache = new Map<string, V>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const v = read(text);
    if (cache.size >= limit) cache.clear();
    cache.set(text, v);
    return v;
  };
}
