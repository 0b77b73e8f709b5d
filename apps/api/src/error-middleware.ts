import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Logger } from 'pino';
import { AppError, coerceError, describeFault, safeError } from '@ledgerport/core';
import { isDatabaseUnavailable } from '@ledgerport/db';
import { isRedisUnavailable } from '@ledgerport/queue';
import { formatBytes, type ErrorEnvelope } from '@ledgerport/api-client';

/** What staff read while a service the API needs is down; nothing was changed, so trying again is safe. */
const UNAVAILABLE = {
  postgres:
    'Ledgerport cannot reach its database right now, so nothing was saved or changed. Please try again in a few minutes; if it keeps happening, tell your administrator.',
  redis:
    'Ledgerport cannot reach its import queue right now, so nothing was saved or changed. Please try again in a few minutes; if it keeps happening, tell your administrator.',
} as const;

/** How long a client should wait before trying again after a 503. */
const RETRY_AFTER_SECONDS = '30';

/**
 * The path a log line may carry: never the URL, whose query string can hold a patient's name
 * (`?search=`), and never the secret of an invitation or reset link (`/password-links/<secret>`).
 */
export function loggedPath(req: Pick<Request, 'path'>): string {
  return req.path.replace(/^\/password-links\/[^/]+/, '/password-links/:token');
}

/** The one place errors become responses: {error: {code, message}} with words a billing clerk reads. */
export function errorMiddleware(logger: Logger, maxUploadBytes: number) {
  return (e: unknown, req: Request, res: Response, _next: NextFunction) => {
    const err = coerceError(e);
    if (res.headersSent) {
      // A download that broke half-way (the database went away mid-stream): no status can be sent any
      // more; cutting the connection tells the client the file is incomplete.
      logger.warn({ err: safeError(err), method: req.method, path: loggedPath(req) }, 'response failed part-way');
      res.destroy();
      return;
    }
    if (err instanceof AppError) {
      if (err.status >= 500)
        logger.warn(
          { code: err.code, cause: err.cause === undefined ? undefined : safeError(err.cause), method: req.method, path: loggedPath(req) },
          'request refused',
        );
      if (err.status === 503) res.setHeader('retry-after', RETRY_AFTER_SECONDS);
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err as { details?: object }).details } } satisfies ErrorEnvelope);
      return;
    }
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        res.status(413).json({
          error: { code: 'file_too_large', message: `The file is larger than the ${formatBytes(maxUploadBytes)} limit. Split it or ask an administrator to raise the limit.` },
        } satisfies ErrorEnvelope);
        return;
      }
      res.status(400).json({ error: { code: 'bad_upload', message: `The upload could not be read (${err.message}). Send one file in the "file" field.` } } satisfies ErrorEnvelope);
      return;
    }
    if ((err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'bad_json', message: 'The request body is not valid JSON.' } } satisfies ErrorEnvelope);
      return;
    }
    // Connection failures: the service is down, not the request wrong. Logged with the error's code and
    // message only (a driver error may carry a query's parameters).
    const down = isDatabaseUnavailable(err) ? 'postgres' : isRedisUnavailable(err) ? 'redis' : null;
    if (down) {
      logger.warn(
        { service: down, error: describeFault(err), method: req.method, path: loggedPath(req), requestId: res.locals.requestId as unknown },
        'service unavailable',
      );
      res.setHeader('retry-after', RETRY_AFTER_SECONDS);
      res.status(503).json({ error: { code: 'service_unavailable', message: UNAVAILABLE[down] } } satisfies ErrorEnvelope);
      return;
    }
    logger.error({ err: safeError(err), method: req.method, path: loggedPath(req), requestId: res.locals.requestId as unknown }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.' } } satisfies ErrorEnvelope);
  };
}
