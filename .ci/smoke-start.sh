#!/usr/bin/env bash
# `npm start` with no DATABASE_URL must bring up the embedded database, answer /api/health,
# and stop cleanly (database included) on SIGINT.
set -euo pipefail
unset DATABASE_URL
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
log=$(mktemp)
PORT=$port setsid npm start >"$log" 2>&1 &
pid=$!
ok=""
for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then ok=yes; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/api/health" || true
echo
if [ -z "$ok" ]; then cat "$log"; echo "smoke: /api/health never answered"; kill -- -"$pid" 2>/dev/null || true; exit 1; fi
grep -q "alice@tandem.test" "$log" || { cat "$log"; echo "smoke: demo accounts not printed"; exit 1; }
kill -INT -- -"$pid"
for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "smoke: server did not stop on SIGINT"; kill -9 -- -"$pid"; exit 1; fi
if pgrep -f "$(pwd)/.data/postgres" >/dev/null; then echo "smoke: embedded PostgreSQL still running"; exit 1; fi
cat "$log"
echo "smoke: 1 passed, 0 failed"
