-- GCRA (generic cell rate algorithm) for one subject under one policy.
-- The key holds the subject's theoretical arrival time (TAT) in microseconds of Redis' clock.
-- Redis' own TIME is used, never the caller's, so every API instance judges by one clock.
--
-- KEYS[1]  the subject's key
-- ARGV[1]  emission interval in microseconds (period / limit)
-- ARGV[2]  burst: how many requests may arrive at once
-- Returns {allowed (0|1), remaining, reset_after_ms, retry_after_ms}.

-- Redis < 5 needs this before a write that follows TIME; later versions do it anyway.
if redis.replicate_commands then
  redis.replicate_commands()
end

local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local tat = tonumber(redis.call('GET', KEYS[1]) or '') or now
if tat < now then
  tat = now
end

local new_tat = tat + interval
local allow_at = new_tat - interval * burst
local spare = now - allow_at

if spare < 0 then
  return {0, 0, math.ceil((tat - now) / 1000), math.ceil(-spare / 1000)}
end

-- The key lives exactly as long as it matters: once TAT is in the past it holds nothing.
local reset_after = new_tat - now
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil(reset_after / 1000))
return {1, math.floor(spare / interval), math.ceil(reset_after / 1000), 0}
