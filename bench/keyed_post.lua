-- wrk script: POSTs BENCH_BODY (default {}) as the bench user (BENCH_COOKIE, BENCH_ORIGIN), with
-- a new Idempotency-Key on every request when BENCH_IDEMPOTENCY=1.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.body = os.getenv("BENCH_BODY") or "{}"
local keyed = os.getenv("BENCH_IDEMPOTENCY") == "1"
local n = 0

request = function()
  if keyed then
    n = n + 1
    wrk.headers["Idempotency-Key"] = string.format('"bench-%d-%d"', os.time(), n)
  end
  return wrk.format()
end
