#!/usr/bin/env bash
# Background work on a real queue: Debian's redis-server on a free loopback port as Celery's broker, and the
# queue tests (civicgrid/core/tests/test_queue.py), which start a Celery worker in its own process.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

REDIS=$(command -v redis-server || true)
if [ -z "$REDIS" ]; then echo "redis-server is not installed (apt-get install redis-server)"; exit 1; fi
WORK=$(mktemp -d /tmp/civicgrid-queue.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$REDIS" --bind 127.0.0.1 --port "$PORT" --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
redis_pid=$!
stop() { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; rm -rf "$WORK"; }
trap stop EXIT
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
  sleep 0.1
done

echo "== queue: Celery on Redis (port $PORT)"
CELERY_BROKER_URL="redis://127.0.0.1:$PORT/0" CIVICGRID_TEST_DATABASE_FILE="$WORK/test.sqlite3" \
  .venv/bin/pytest -m queue civicgrid/core/tests/test_queue.py -p no:xdist -q
echo "== queue finished in $(( $(date +%s) - started )) s"
