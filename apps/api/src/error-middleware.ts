import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Logger } from 'pino';
import { AppError, coerceError, safeError } from '@ledgerport/core';

/** The one place errors become responses: {error: {code, message}} with words a billing clerk reads. */
export function errorMiddleware(logger: Logger, maxUploadBytes: number) {
  return (e: unknown, req: Request, res: Response, _next: NextFunction) => {
    const err = coerceError(e);
    if (err instanceof AppError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err as { details?: object }).details } });
      return;
    }
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        res.status(413).json({
          error: { code: 'file_too_large', message: `The file is larger than the ${formatBytes(maxUploadBytes)} limit. Split it or ask an administrator to raise the limit.` },
        });
        return;
      }
      res.status(400).json({ error: { code: 'bad_upload', message: `The upload could not be read (${err.message}). Send one file in the "file" field.` } });
      return;
    }
    if ((err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'bad_json', message: 'The request body is not valid JSON.' } });
      return;
    }
    // The path, not the URL: a query string can carry a patient's name (?search=).
    logger.error({ err: safeError(err), method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.' } });
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
