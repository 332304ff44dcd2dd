-- wrk script: creates webhook endpoints (POST /api/v1/webhook-endpoints) as the bench user,
-- with a new Idempotency-Key on every request when BENCH_IDEMPOTENCY=1.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.body = '{"url":"https://hooks.example.com/in","event_types":["none"]}'
local keyed = os.getenv("BENCH_IDEMPOTENCY") == "1"
local n = 0

request = function()
  if keyed then
    n = n + 1
    wrk.headers["Idempotency-Key"] = string.format('"bench-%d-%d"', os.time(), n)
  end
  return wrk.format()
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx responses: %d\n", summary.errors.status))
end
