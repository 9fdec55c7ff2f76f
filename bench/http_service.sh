# Sourced by bench/peers and bench/peers-classify: the service jar over HTTP for their "sparsefit over HTTP" rows.
# start_service JAR DIR: the jar on a free port (PORT), as the production JVM runs it (--add-modules
# jdk.incubator.vector), its H2 database fresh in DIR/h2, its log in DIR/server.log, one fit worker (one fit at a time,
# as the core side runs them); waits for /actuator/health; killed on exit. stop_service: stops it. Needs PY.
start_service() {
  local jar="$1" dir="$2"
  PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  rm -rf "$dir/h2"
  java --add-modules jdk.incubator.vector -jar "$jar" --server.port="$PORT" --sparsefit.data-dir="$PWD/$dir/h2" \
    --sparsefit.fits.threads=1 > "$dir/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$PORT/actuator/health" > /dev/null && return 0
    kill -0 $SERVER 2>/dev/null || { echo "the service did not start, see $dir/server.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the service did not answer /actuator/health within 120 s, see $dir/server.log" >&2
  exit 1
}

stop_service() {
  kill $SERVER
  wait $SERVER 2>/dev/null || true
  trap - EXIT
}
