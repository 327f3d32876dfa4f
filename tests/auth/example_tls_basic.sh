#!/bin/sh
# The example scheduler (launch_tasks) end to end over TLS with HTTP Basic
# authentication against its embedded simulator: a throw-away CA and server
# certificate made here with openssl, the secret in a file. Every task must finish,
# and the secret must not show in anything the example printed.
# Usage: example_tls_basic.sh path/to/launch_tasks
set -eu
launch_tasks=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

ossl() {
  timeout 30 openssl "$@" >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
}
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
ossl req -x509 $ec -days 1 -subj /CN=example-ca -keyout "$dir/ca.key" -out "$dir/ca.pem"
ossl req $ec -subj /CN=127.0.0.1 -keyout "$dir/server.key" -out "$dir/server.csr"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext"
ossl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 1 -extfile "$dir/san.ext" -out "$dir/server.pem"
secret="example-secret-$$-$(date +%s)"
printf '%s\n' "$secret" >"$dir/secret"

status=0
out=$(timeout 150 "$launch_tasks" --tasks 3 --timeout 120 \
  --sim-cert "$dir/server.pem" --sim-key "$dir/server.key" --sim-require-auth \
  --ca-file "$dir/ca.pem" --principal example-framework --secret-file "$dir/secret" 2>&1) || status=$?
echo "$out"
[ "$status" -eq 0 ] || { echo "FAIL: launch_tasks exited $status"; exit 1; }
echo "$out" | grep -q "simulated Mesos cluster at https://127.0.0.1:" || { echo "FAIL: not TLS"; exit 1; }
echo "$out" | grep -q "authenticating with basic (principal 'example-framework'" || { echo "FAIL: no auth"; exit 1; }
echo "$out" | grep -q "all 3 task(s) ended, 0 failed" || { echo "FAIL: tasks"; exit 1; }
if echo "$out" | grep -qF "$secret"; then echo "FAIL: the secret was printed"; exit 1; fi
echo "PASS: 3 tasks finished over TLS with Basic authentication"
