/**
 * A multipart aging upload whose second half is held back until `release()`: as far as the API knows
 * it is in flight until then (its first half is being written under UPLOAD_DIR/tmp). For the tests
 * and the chaos run that stop an API with an upload under way.
 */
export function uploadHeldOpen(o: {
  url: string;
  token: string;
  csv: string;
  locationId: string;
  fileName: string;
}): { response: Promise<Response>; release: () => void } {
  const boundary = 'lp-held-boundary';
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const half = Math.floor(o.csv.length / 2);
  const parts = [
    Buffer.from(
      field('kind', 'aging') +
        field('locationId', o.locationId) +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${o.fileName}"\r\nContent-Type: text/csv\r\n\r\n` +
        o.csv.slice(0, half),
    ),
    Buffer.from(o.csv.slice(half) + `\r\n--${boundary}--\r\n`),
  ];
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (parts.length === 1) await gate;
      const next = parts.shift();
      if (next) c.enqueue(next);
      else c.close();
    },
  });
  const response = fetch(`${o.url}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${o.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  });
  return { response, release };
}
