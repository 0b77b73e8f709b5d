import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { AppError, ValidationError, coerceError } from '@ledgerport/core';

/** 415: a body in an encoding or character set we do not read. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 415, options);
  }
}

/** 413 for a request body (not an upload's file, which has its own limit and message). */
export class BodyTooLargeError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('body_too_large', message, 413, options);
  }
}

const JSON_LIMIT = '1mb';

/**
 * What body-parser, the router (a malformed %-escape in the address) and http-errors throw for a bad
 * request: a 4xx with a `type`. Each becomes an AppError in the user's words; anything else (a 5xx,
 * an error of ours) is passed on unchanged.
 */
export function clientError(e: unknown): unknown {
  if (e instanceof AppError || e instanceof multer.MulterError) return e;
  const err = coerceError(e) as Error & { status?: unknown; statusCode?: unknown; type?: unknown };
  const status = typeof err.status === 'number' ? err.status : typeof err.statusCode === 'number' ? err.statusCode : 0;
  if (status < 400 || status > 499) return e;
  const cause = { cause: err };
  switch (err.type) {
    case 'entity.too.large':
      return new BodyTooLargeError(
        `The request is larger than the ${JSON_LIMIT.toUpperCase()} a request may carry.`,
        cause,
      );
    case 'entity.parse.failed':
      return new ValidationError('bad_json', 'The request body is not valid JSON.', cause);
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError(
        'unsupported_encoding',
        'The request body is compressed in a way we do not read; send it as is, or with Content-Encoding gzip, deflate or br.',
        cause,
      );
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('unsupported_charset', 'Send the request body as UTF-8.', cause);
    case 'parameters.too.many':
      return new BodyTooLargeError('The request has too many fields.', cause);
    case 'request.aborted':
      return new ValidationError('request_aborted', 'The request ended before all of it arrived.', cause);
    default:
      return new AppError(
        status === 400 ? 'bad_request' : `http_${status}`,
        status === 400
          ? 'The request could not be read (a damaged or wrongly compressed body, or a malformed address).'
          : 'The request could not be handled as sent.',
        status,
        cause,
      );
  }
}

/** Error middleware that turns a client's malformed request into a 4xx (see clientError). */
export function clientErrors() {
  return (e: unknown, _req: Request, _res: Response, next: NextFunction) => next(clientError(e));
}

/**
 * JSON bodies, read only once the request is authenticated: a stranger cannot make the API read and
 * parse a megabyte (or log a stack trace) without a valid token.
 */
export function jsonBody(): RequestHandler {
  const parse = express.json({ limit: JSON_LIMIT });
  return (req, res, next) => parse(req, res, (err?: unknown) => next(err ? clientError(err) : undefined));
}

// An upload form has a handful of short fields and one file (see multer's limits in imports.routes).
const FORM_LIMITS: Partial<Record<multer.ErrorCode, string>> = {
  LIMIT_PART_COUNT: 'The upload form has too many parts: send the file and its few fields only.',
  LIMIT_FIELD_COUNT: 'The upload form has too many fields.',
  LIMIT_FIELD_KEY: 'A field name of the upload form is too long.',
  LIMIT_FIELD_VALUE: 'A field of the upload form is too long.',
};

/**
 * Runs multer and turns what busboy throws about a malformed multipart body (no boundary, a body that
 * ends mid-part, a malformed header) into a 400; disk errors (with a syscall) stay server errors.
 */
export function uploadErrors(upload: RequestHandler): RequestHandler {
  return (req, res, next) =>
    upload(req, res, (e?: unknown) => {
      if (!e) return next();
      const err = coerceError(e);
      if (err instanceof multer.MulterError && err.code in FORM_LIMITS)
        return next(new BodyTooLargeError(FORM_LIMITS[err.code] ?? '', { cause: err }));
      if (err instanceof AppError || err instanceof multer.MulterError || 'syscall' in err) return next(err);
      const mapped = clientError(err);
      if (mapped !== e && mapped instanceof AppError) return next(mapped);
      next(
        new ValidationError(
          'bad_upload',
          'The upload could not be read: it is not a complete multipart form. Send the file in the "file" field of a form.',
          { cause: err },
        ),
      );
    });
}
