#!/usr/bin/env bash
# The photo tests once more, against a local S3-compatible server (moto in server mode) through the real boto3
# client: uploads land in a bucket, the photo view redirects to signed URLs that a plain HTTP client follows,
# backups read the media through the storage API. Run after `make test` (or `make install-dev`: moto is a development dependency), alone or from .ci/run.
# Fails when any of these tests is skipped for want of the server, so a broken switch cannot pass quietly.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

TESTS=(civicgrid/cases/tests/test_photo_serving.py civicgrid/cases/tests/test_api.py
       civicgrid/cases/tests/test_photo_quota.py civicgrid/core/tests/test_backup.py)
[ -x .venv/bin/moto_server ] || { echo ".venv/bin/moto_server is missing: run 'make install-dev'"; exit 1; }

WORK=$(mktemp -d /tmp/civicgrid-s3.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server_pid=""
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap stop EXIT

.venv/bin/moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/moto-api/" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/moto-api/" || { echo "moto did not come up"; cat "$WORK/moto.log"; exit 1; }

# Only this server and these keys: no profile, config file or proxy of the machine may redirect boto3.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 STORAGE_URL
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=civicgrid-ci AWS_SECRET_ACCESS_KEY=civicgrid-ci-secret AWS_DEFAULT_REGION=us-east-1
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
export CIVICGRID_TEST_S3_ENDPOINT="http://127.0.0.1:$PORT" CIVICGRID_TEST_S3_BUCKET=civicgrid-ci
export CIVICGRID_TEST_S3_REGION=us-east-1
.venv/bin/python -c 'import os, boto3
boto3.client("s3", endpoint_url=os.environ["CIVICGRID_TEST_S3_ENDPOINT"]).create_bucket(
    Bucket=os.environ["CIVICGRID_TEST_S3_BUCKET"])'

echo "== photo tests against S3 (moto on port $PORT)"
status=0
# As `make test`: tests that commit real transactions (the backup's) after the rest.
for phase in "not transactional and not production" "transactional and not production"; do
  .venv/bin/pytest "${TESTS[@]}" -m "$phase" -n 2 --dist loadfile -q -rs 2>&1 | tee -a "$WORK/pytest.log" \
    || status=${PIPESTATUS[0]}
  [ "$status" = 0 ] || break
done
if [ "$status" = 0 ] && grep -q "no S3 server" "$WORK/pytest.log"; then
  echo "some tests were skipped for want of the S3 server: the switch did not reach them"
  status=1
fi
if [ "$status" != 0 ]; then
  echo "== moto log (last 40 lines)"; tail -n 40 "$WORK/moto.log"
fi
echo "== S3 photo tests finished in $(( $(date +%s) - started )) s"
exit "$status"
