import { Writable } from 'node:stream';
import type { Request, Response } from 'express';
import { pino } from 'pino';
import { AppError, LOG_REDACT, safeError } from '@ledgerport/core';
import { errorMiddleware } from './error-middleware.js';

// What the API logs of a refused or failed request: the path with no query string (`?search=` holds
// a patient's name) and no link secret, errors as codes; and the logger's redaction catches the keys
// that could hold patient data or a secret, whoever logs them.
const MARKER = 'Zqxvmarker';
const SECRET = 'Sekretlinkvalue';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  // As the API runtime makes its logger.
  const logger = pino({ level: 'trace' }, sink).child({}, { serializers: { err: safeError }, redact: LOG_REDACT });
  return { lines, logger };
}

function fakeRes() {
  const res = { headersSent: false, locals: {}, statusCode: 200, body: undefined as unknown, destroyed: false };
  return Object.assign(res, {
    setHeader: () => res,
    status: (s: number) => ((res.statusCode = s), res),
    json: (b: unknown) => ((res.body = b), res),
    destroy: () => void (res.destroyed = true),
  });
}

const req = (path: string) =>
  ({ method: 'GET', path, originalUrl: `${path}?search=${MARKER}`, url: `${path}?search=${MARKER}` }) as unknown as Request;

describe('what the error middleware logs', () => {
  it.each([
    ['a refusal of ours (503)', new AppError('storage_unavailable', `Could not store ${MARKER}.csv`, 503, { cause: new Error(`EACCES ${MARKER}`) })],
    ['an unhandled Postgres error quoting a value', Object.assign(new Error(`invalid input syntax for type date: "${MARKER}"`), { code: '22007', detail: MARKER })],
  ])('%s: no query string, no link secret, no message; the code stays', async (_what, err) => {
    const { lines, logger } = capture();
    for (const path of [`/patients`, `/password-links/${SECRET}`]) {
      const res = fakeRes();
      errorMiddleware(logger, 1000)(err, req(path), res as unknown as Response, () => undefined);
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
    }
    await new Promise((r) => setImmediate(r));
    expect(lines.length).toBe(2);
    for (const line of lines) {
      expect(line).not.toContain(MARKER);
      expect(line).not.toContain(SECRET);
    }
    expect(lines.join('\n')).toContain('/password-links/:token');
    expect(lines.join('\n')).toContain(err instanceof AppError ? 'storage_unavailable' : '22007');
  });

  it('cuts a download that broke part-way and logs its code, not its message or address', async () => {
    const { lines, logger } = capture();
    const res = Object.assign(fakeRes(), { headersSent: true });
    errorMiddleware(logger, 1000)(Object.assign(new Error(`bad value ${MARKER}`), { code: '22P02' }), req('/locations/x/claims.csv'), res as unknown as Response, () => undefined);
    await new Promise((r) => setImmediate(r));
    expect(res.destroyed).toBe(true);
    expect(lines.join('\n')).not.toContain(MARKER);
    expect(lines.join('\n')).toContain('22P02');
  });
});

describe("the runtimes' log redaction", () => {
  it('writes [redacted] for addresses, headers, bodies and fields that name a person, at the top and one level in', async () => {
    const { lines, logger } = capture();
    logger.info(
      {
        url: `/patients?search=${MARKER}`,
        headers: { authorization: `Bearer ${SECRET}`, cookie: `lp_session=${SECRET}` },
        body: { name: MARKER },
        request: { query: { search: MARKER }, token: SECRET, patientName: MARKER, email: `${MARKER}@example.com` },
        importId: 'kept',
      },
      'a line someone adds later',
    );
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).not.toContain(MARKER);
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).toContain('"importId":"kept"');
    expect(lines[0]).toContain('[redacted]');
  });
});
