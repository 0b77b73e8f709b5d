import type { Express } from 'express';

export interface RouteInfo {
  method: string;
  /** as declared, with its :params */
  path: string;
  /** the audit action of its `audit.route(…)` handler, null when it is not audited */
  auditAction: string | null;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: Layer[] };
  handle: { stack?: Layer[]; auditAction?: string };
  rawPath?: unknown;
}

/**
 * Every route of the app, read from Express's router stack (not a list kept by hand), so a route
 * added later is swept too. Routers mounted under a path (`app.use('/imports', router)`) carry it in
 * their layer's rawPath.
 */
export function listRoutes(app: Express, skipPrefixes: string[] = []): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const p of [layer.route.path].flat()) {
          const path = prefix + (p === '/' && prefix ? '' : p) || '/';
          if (skipPrefixes.some((s) => path.startsWith(s))) continue;
          const action =
            layer.route.stack.find((l) => typeof l.handle.auditAction === 'string')?.handle.auditAction ?? null;
          for (const m of Object.keys(layer.route.methods).filter((m) => m !== '_all'))
            out.push({ method: m.toUpperCase(), path, auditAction: action });
        }
      } else if (layer.handle.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        if (skipPrefixes.some((s) => (prefix + mount).startsWith(s) && mount)) continue;
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}

/** The route's path with each :param replaced. */
export function fillPath(path: string, value: (param: string, path: string) => string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => value(name, path));
}
