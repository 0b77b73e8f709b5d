import type { NextFunction, Request, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';

/**
 * Request latency by route and status. The route is Express's pattern ("/imports/:id"), never the
 * path itself, which carries ids; a request no route matched is "unmatched".
 */
export function httpMetrics(registry: Registry) {
  const seconds = new Histogram({
    name: 'ledgerport_http_request_seconds',
    help: 'API request latency by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const end = seconds.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const base = typeof res.locals.routeBase === 'string' ? res.locals.routeBase : '';
      end({ method: req.method, route: typeof route === 'string' ? `${base}${route}` : 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * Mounted in front of a router that has a prefix ("/imports"): by the time a response finishes,
 * Express has restored req.baseUrl, so the prefix is kept where the metrics can read it.
 */
export function routeBase(req: Request, res: Response, next: NextFunction) {
  res.locals.routeBase = req.baseUrl;
  next();
}
