// The deployment files cannot be run here (no Docker engine on this machine): what can be checked
// without one is, that the compose file parses and wires what docs/operations.md promises, that its
// settings pass the apps' own configuration, and that the image is built and run the way it says.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadApiConfig } from '@ledgerport/api';
import { loadWorkerConfig } from '@ledgerport/worker';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  healthcheck?: unknown;
}
const compose = parse(read('infra/docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

/** The environment a container gets, with `${VAR:-default}` taken at its default as on a bare host. */
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [
      k,
      String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1'),
    ]),
  );

it('runs Postgres, Redis, an S3 store, two APIs behind a proxy and two workers, from one image', () => {
  expect(Object.keys(services).sort()).toEqual(
    ['api-1', 'api-2', 'bucket', 'migrate', 'minio', 'postgres', 'proxy', 'redis', 'worker-1', 'worker-2'].sort(),
  );
  const apps = ['migrate', 'api-1', 'api-2', 'worker-1', 'worker-2'];
  for (const name of apps) {
    expect(services[name]?.image).toBe('ledgerport:latest');
    expect(services[name]?.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
  }
  expect(apps.map((n) => services[n]?.command)).toEqual([['migrate'], ['api'], ['api'], ['worker'], ['worker']]);
});

it('runs the migrations once, before any API or worker starts', () => {
  expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  for (const name of ['api-1', 'api-2', 'worker-1', 'worker-2'])
    expect(services[name]?.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      bucket: { condition: 'service_completed_successfully' },
    });
  expect(services.proxy?.depends_on).toEqual({
    'api-1': { condition: 'service_healthy' },
    'api-2': { condition: 'service_healthy' },
  });
});

it("gives the apps settings their own configuration accepts: uploads in the compose file's bucket", () => {
  for (const name of ['api-1', 'api-2', 'migrate']) {
    const config = loadApiConfig(envOf(name));
    expect(config).toMatchObject({ STORAGE: 's3', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: true });
    expect(String(services.bucket?.command)).toContain(`store/${config.S3_BUCKET}`);
    expect(config.AWS_ACCESS_KEY_ID).toBe(envOf('minio').MINIO_ROOT_USER);
  }
  expect(loadApiConfig(envOf('api-1'))).toMatchObject({ HOST: '0.0.0.0', PORT: 3000, METRICS_PORT: 9464 });
  for (const name of ['worker-1', 'worker-2'])
    expect(loadWorkerConfig(envOf(name))).toMatchObject({ STORAGE: 's3', METRICS_HOST: '0.0.0.0', METRICS_PORT: 9465 });
  const db = new URL(envOf('api-1').DATABASE_URL!);
  expect(db.password).toBe(envOf('postgres').POSTGRES_PASSWORD);
});

it('sends requests through the proxy to every API that is ready', () => {
  const caddy = read('infra/Caddyfile');
  expect(caddy).toMatch(/reverse_proxy api-1:3000 api-2:3000/);
  expect(caddy).toMatch(/health_uri \/health\/ready/);
  // Only the proxy (and the operators' consoles on this host) is published.
  expect(services.proxy?.ports).toEqual(['127.0.0.1:8080:80']);
  for (const name of ['api-1', 'api-2', 'worker-1', 'worker-2']) expect(services[name]?.ports).toBeUndefined();
});

it('builds in stages and runs as an unprivileged user, the role chosen at run time', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  expect(stages.length).toBeGreaterThanOrEqual(2);
  const runtime = stages.at(-1)!;
  expect(runtime).toMatch(/^USER node$/m);
  expect(runtime).toMatch(/^ENTRYPOINT \["ledgerport"\]$/m);
  expect(runtime).not.toMatch(/npm install|turbo/);
  // What the runtime stage copies from the build exists in the repository (or is built from it).
  for (const [, from] of runtime.matchAll(/^COPY --from=build \/app\/(\S+)/gm)) {
    const source = from!.replace(/\/dist$/, '/src');
    expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
  }
  const ignore = read('.dockerignore').split('\n');
  for (const entry of ['**/node_modules', '**/dist', '.git', 'var', '.env']) expect(ignore).toContain(entry);

  const entrypoint = path.join(ROOT, 'infra/docker/entrypoint.sh');
  expect(spawnSync('sh', ['-n', entrypoint]).status).toBe(0);
  const script = readFileSync(entrypoint, 'utf8');
  for (const role of ['api|worker)', 'migrate)']) expect(script).toContain(role);
  expect(existsSync(path.join(ROOT, 'infra/scripts/migrate.mjs'))).toBe(true);
});
