import { createServer, type Server } from 'node:http';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

/**
 * A process's Prometheus registry: the process's own default metrics plus whatever its app registers.
 * One registry per runtime (not prom-client's global one), so two APIs in one test process do not
 * collide. Labels carry queue names, kinds, outcomes, routes and status codes: never practice or
 * patient data.
 */
export function createMetricsRegistry(app: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry, prefix: 'ledgerport_' });
  return registry;
}

/** Jobs per queue and state, read from Redis when scraped. */
export function queueDepthGauge(registry: Registry, queues: Queue[]): void {
  new Gauge({
    name: 'ledgerport_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed, completed, prioritized).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of queues) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
}

/**
 * Serves /metrics on a port of its own (METRICS_PORT), which operators keep private: not the API's
 * public port. Resolves with the server once it listens.
 */
export async function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
