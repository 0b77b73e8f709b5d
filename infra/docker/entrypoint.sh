#!/bin/sh
# One image, three roles: `api`, `worker` (each with the node flags of infra/node-flags.json, which keep
# their memory flat) and `migrate` (run once before new processes start). The role is the first
# argument, or LEDGERPORT_APP; anything else runs as a command.
set -e
role="${1:-${LEDGERPORT_APP:-api}}"
case "$role" in
  api|worker)
    flags=$(node -e "process.stdout.write(require('/app/infra/node-flags.json')[process.argv[1]].join(' '))" "$role")
    # exec: node is PID 1's child no more, it is PID 1's process itself and gets SIGTERM directly.
    exec node $flags "apps/$role/dist/main.js"
    ;;
  migrate)
    exec node infra/scripts/migrate.mjs
    ;;
  *)
    exec "$@"
    ;;
esac
