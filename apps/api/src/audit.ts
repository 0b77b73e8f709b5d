import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isUuid, parseIntegerId } from '@ledgerport/core';
import { insertAuditEntry, type AuditEntry, type Db } from '@ledgerport/db';
import type { BackgroundWrites } from './background-writes.js';

/** What a handler adds to its audit line: the id of what it created, non-identifying facts. */
export interface AuditNote {
  resourceId?: string | null;
  /** ids, counts, amounts and codes only: never a cell value, a name or a file name */
  detail?: Record<string, unknown>;
}

declare module 'express-serve-static-core' {
  interface Request {
    auditNote?: AuditNote;
  }
}

/** A middleware that records its route in the audit log; `auditAction` lets a test find every such route. */
export type AuditedHandler = RequestHandler & { auditAction: string };

/** Adds to the audit line of this request (see AuditNote). */
export function noteAudit(req: Request, note: AuditNote): void {
  req.auditNote = { ...req.auditNote, ...note, detail: { ...req.auditNote?.detail, ...note.detail } };
}

/**
 * The audit log: every read of patient data and every change, with who (user, token, address), when,
 * which practice, which resource and the outcome (the HTTP status, 499 when the client left first).
 * Put `audit.route(action, type)` first in a route's handlers; the line is written once the response
 * is done, one insert that the request does not wait for (see BackgroundWrites: a failed insert is
 * logged as an error, and shutdown waits for pending ones).
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly background: BackgroundWrites,
  ) {}

  /**
   * A line for a request no principal made yet (a sign-in, a password set through a link): the
   * handler names the user once it knows them. Written like route()'s, without the request waiting.
   */
  record(entry: AuditEntry): void {
    this.background.run('writing the audit log', () => insertAuditEntry(this.db, entry), {
      action: entry.action,
      practiceId: entry.practiceId,
    });
  }

  /**
   * @param idParam the route parameter naming the resource (`id` by default); null for a list.
   */
  route(action: string, resourceType: string, idParam: string | null = 'id'): AuditedHandler {
    const handler = (req: Request, res: Response, next: NextFunction) => {
      const p = req.principal;
      if (p) {
        const raw: unknown = idParam ? req.params[idParam] : undefined;
        const param = typeof raw === 'string' ? raw : undefined;
        res.once('close', () => {
          const note = req.auditNote ?? {};
          // Anything else in the id's place is not kept (it could be any text, a name included): only that it was not an id.
          const malformed = param !== undefined && !isUuid(param) && parseIntegerId(param) === null;
          const details = { ...note.detail, ...(malformed ? { malformedId: true } : {}) };
          const detail = Object.keys(details).length ? details : null;
          const entry = {
            practiceId: p.practiceId,
            userId: p.userId,
            tokenId: p.tokenId,
            action,
            resourceType,
            resourceId:
              note.resourceId ??
              (param !== undefined && (isUuid(param) || parseIntegerId(param) !== null) ? param : null),
            status: res.writableFinished ? res.statusCode : 499,
            ip: req.ip ?? null,
            detail,
          };
          this.background.run('writing the audit log', () => insertAuditEntry(this.db, entry), {
            action,
            practiceId: p.practiceId,
          });
        });
      }
      next();
    };
    return Object.assign(handler, { auditAction: action });
  }
}
