import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

// A caller's own id (a proxy's X-Request-Id) is kept when it is a plain token; anything else is replaced.
const SANE = /^[\w.:-]{8,64}$/;

/**
 * Gives every request an id, answered in X-Request-Id, logged with its errors and carried into the job
 * it queues, so the API's lines and the worker's about one upload can be found together.
 */
export function requestId(req: Request, res: Response, next: NextFunction) {
  const given = req.get('x-request-id');
  const id = given && SANE.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  next();
}

export function requestIdOf(res: Response): string | undefined {
  return typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
}
