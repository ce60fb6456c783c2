#!/usr/bin/env bash
# Start smoke test: what `npm start` runs (the production build, then the server in production
# mode, embedded database in a fresh DATA_DIR) answers
# /healthz, the OpenAPI document, the API reference and the sign-in page, then stops cleanly on
# SIGTERM. Uses whichever `node` is first on PATH (CI runs it on Node 24).
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${SMOKE_PORT:-3917}"
data="$(mktemp -d)"
log="$data/start.log"
npm run build --silent
# The server process itself (not `npm start`'s shell), so SIGTERM reaches it directly.
NODE_ENV=production PORT="$port" HOST=127.0.0.1 DATA_DIR="$data/db" LOG_LEVEL=warn node --import tsx server/main.ts >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the server exited early:"; cat "$log"; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz"; echo
curl -fsS "http://127.0.0.1:$port/api/openapi.json" | grep -q '"openapi":"3.1.0"'
curl -fsS "http://127.0.0.1:$port/api/docs" | grep -q 'swagger-ui-bundle.js'
curl -fsS "http://127.0.0.1:$port/login" | grep -qi '<html'
kill -TERM "$pid"
wait "$pid" || { echo "the server did not stop cleanly on SIGTERM:"; cat "$log"; exit 1; }
echo "start smoke test passed on $(node --version)"
