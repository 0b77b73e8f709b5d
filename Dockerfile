# syntax=docker/dockerfile:1
# One image for the API and the worker (and the migrations): `docker run IMAGE api|worker|migrate`,
# or LEDGERPORT_APP=api|worker. Build: docker build -t ledgerport .  (infra/docker-compose.yml does.)

# --- build: every workspace's dependencies, the TypeScript and the web page compiled ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 NPM_CONFIG_UPDATE_NOTIFIER=false
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json turbo.json tsconfig.base.json tsconfig.json ./
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/queue/package.json packages/queue/
COPY packages/storage/package.json packages/storage/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY packages/api-client/package.json packages/api-client/
COPY apps/cli/package.json apps/cli/
COPY tests/package.json tests/
# `npm ci`: the lock file's exact versions, every platform's optional binaries included, so the image
# gets what a developer's clone gets (every workspace's package.json must be here for it to agree).
RUN npm ci --no-audit --no-fund --loglevel=error
COPY packages packages
COPY apps apps
COPY infra infra
RUN npx turbo run build --filter=@ledgerport/api --filter=@ledgerport/worker --filter=@ledgerport/web --output-logs=errors-only \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# --- runtime: compiled code and production dependencies, run as an unprivileged user ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIR=/app/apps/web/dist \
    UPLOAD_DIR=/app/var/uploads \
    LEDGERPORT_APP=api
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages/core/package.json packages/core/
COPY --from=build /app/packages/core/dist packages/core/dist
COPY --from=build /app/packages/db/package.json packages/db/
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/packages/queue/package.json packages/queue/
COPY --from=build /app/packages/queue/dist packages/queue/dist
COPY --from=build /app/packages/storage/package.json packages/storage/
COPY --from=build /app/packages/storage/dist packages/storage/dist
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/worker/package.json apps/worker/
COPY --from=build /app/apps/worker/dist apps/worker/dist
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/infra/node-flags.json infra/
COPY --from=build /app/infra/scripts/migrate.mjs /app/infra/scripts/services.mjs /app/infra/scripts/service-plan.mjs /app/infra/scripts/embedded-postgres.mjs infra/scripts/
COPY --from=build /app/infra/docker/entrypoint.sh /usr/local/bin/ledgerport
# The local upload folder (STORAGE=local) belongs to the user the processes run as; nothing else is
# writable by it.
RUN mkdir -p /app/var/uploads && chown -R node:node /app/var
USER node
EXPOSE 3000 9464 9465
ENTRYPOINT ["ledgerport"]
CMD []
