import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { contentSecurityPolicy, strictTransportSecurity } from 'helmet';

/**
 * The page is a Vite build served from this origin: its scripts and styles are files of its own, it
 * talks only to this API, and its one image is the `data:` favicon; downloads are `blob:` links it
 * makes itself. Nothing may frame it (clickjacking), and no form posts anywhere else.
 */
const PAGE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'none'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
  },
};

/**
 * bull-board's page (operators only) sets inline styles and a <base href>: the same policy, with
 * inline styles allowed and the base kept to this origin. Its scripts are still files of its own.
 */
const DASHBOARD_CSP = {
  useDefaults: false,
  directives: {
    ...PAGE_CSP.directives,
    baseUri: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    fontSrc: ["'self'", 'data:'],
  },
};

/**
 * helmet's headers for every response: the CSP above, `X-Frame-Options: DENY`, `nosniff`,
 * `Referrer-Policy: no-referrer` and the cross-origin isolation headers. HSTS only on a request
 * that came over TLS (directly or through a proxy TRUST_PROXY believes): sent over plain http it
 * means nothing, and a developer's http://127.0.0.1 must keep working.
 */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: PAGE_CSP,
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const hsts = strictTransportSecurity({ maxAge: 365 * 24 * 3600, includeSubDomains: true });
  return (req: Request, res: Response, next: NextFunction) => {
    headers(req, res, (err?: unknown) => {
      if (err || !req.secure) return next(err);
      hsts(req, res, next);
    });
  };
}

/** The dashboard's CSP in place of the page's; mount it on the dashboard's path. */
export function dashboardContentSecurityPolicy(): RequestHandler {
  return contentSecurityPolicy(DASHBOARD_CSP);
}

/**
 * Patient and practice data must never sit in a browser's or a proxy's cache: every response of the
 * API (data, errors, downloads) says so. Only the page's static files, mounted before this, are cached.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('cache-control', 'no-store');
  next();
}
