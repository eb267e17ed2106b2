#!/usr/bin/env bash
# The product as deployed, then the browser walks every demo role's pages through it:
#   DEBUG=false, static files collected (hashed names, compressed), gunicorn, a seeded demo district.
# Database: $PRODUCTION_DATABASE_URL when set (PostgreSQL in CI), else a fresh SQLite file.
# Extra commands to run against the server may follow: `.ci/production.sh CMD…` runs them with
# CIVICGRID_PRODUCTION_URL set, after the browser tests (e.g. the schemathesis run).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

WORK=$(mktemp -d /tmp/civicgrid-prod.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DEBUG=false DEMO_MODE=true
export SECRET_KEY="ci-production-run-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=127.0.0.1,localhost
# Plain HTTP on loopback: no TLS proxy in front of this server.
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_PROXY_SSL_HEADER=false SECURE_HSTS_SECONDS=0
export VAR_DIR="$WORK" STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"
# Thirteen roles log in from one address within a minute or two.
export LOGIN_THROTTLE_RATE=1000/min LOGIN_THROTTLE_ADDRESS_RATE=1000/min LOGIN_LOCKOUT_FAILURES=1000
export DATABASE_URL="${PRODUCTION_DATABASE_URL:-sqlite:///$WORK/civicgrid.sqlite3}"

server_pid=""
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap stop EXIT

echo "== production mode on ${DATABASE_URL%%:*}: collectstatic, migrate, seed"
.venv/bin/civicgrid collectstatic --no-input -v0
.venv/bin/civicgrid migrate --no-input -v0
.venv/bin/civicgrid seed_demo --history-days 20 >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; exit 1; }

.venv/bin/gunicorn civicgrid.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --error-logfile "$WORK/gunicorn.log" --capture-output &
server_pid=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/health/" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/health/" || { echo "the server did not come up"; cat "$WORK/gunicorn.log"; exit 1; }
echo

export CIVICGRID_PRODUCTION_URL="http://127.0.0.1:$PORT"
# Every role's first screen, desktop and phone, kept as artifacts of the run (one folder per database).
export CIVICGRID_SCREENSHOTS="var/screenshots/${DATABASE_URL%%:*}"
status=0
.venv/bin/pytest -m production civicgrid/web/tests/test_production.py -n 2 -q || status=$?
for command in "$@"; do
  [ "$status" = 0 ] || break
  bash -c "$command" || status=$?
done
if [ "$status" != 0 ]; then
  echo "== server log (last 80 lines)"; tail -n 80 "$WORK/gunicorn.log"
fi
echo "== first screens of every role: $CIVICGRID_SCREENSHOTS/ ($(ls "$CIVICGRID_SCREENSHOTS" 2>/dev/null | wc -l) screenshots)"
echo "== production mode finished in $(( $(date +%s) - started )) s"
exit "$status"
