-- bench/stats.lua — shared wrk reporting: counts responses by status per thread and
-- prints a latency/throughput summary at the end.
--
-- Usable on its own for plain GET benchmarks:
--   wrk -t2 -c32 -d20s --latency -s bench/stats.lua http://127.0.0.1:5099/.well-known/jwks.json
-- and loaded by bench/token.lua (via dofile) for the token endpoint.
--
-- wrk runs one Lua state per thread plus one for setup/done, so the per-thread counters
-- are collected in done() through the thread objects saved in setup().
--
-- Besides the human-readable block, done() prints one machine-readable line that
-- bench/run.sh parses:
--   BENCH_RESULT requests=N duration_s=X rps=X p50_ms=X p90_ms=X p99_ms=X p999_ms=X max_ms=X non200=N socket_errors=N exhausted=N

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

-- per-thread state (lives in each thread's own Lua state)
non200 = 0
statuses = {}
exhausted = 0  -- set by token.lua when a thread ran out of pre-signed requests

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
      local key = tostring(status)
      statuses[key] = (statuses[key] or 0) + 1
   end
end

local function ms(us)
   return us / 1000.0
end

function done(summary, latency, requests)
   local total_non200 = 0
   local total_exhausted = 0
   local by_status = {}
   for _, thread in ipairs(threads) do
      total_non200 = total_non200 + (thread:get("non200") or 0)
      total_exhausted = total_exhausted + (thread:get("exhausted") or 0)
      local s = thread:get("statuses") or {}
      for k, v in pairs(s) do
         by_status[k] = (by_status[k] or 0) + v
      end
   end

   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local duration_s = summary.duration / 1e6
   local rps = 0
   if duration_s > 0 then rps = summary.requests / duration_s end

   local p50, p90, p99, p999 =
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)

   io.write("------------------------------------------------------------\n")
   io.write(string.format("requests         %d in %.2fs (%.1f req/s)\n", summary.requests, duration_s, rps))
   io.write(string.format("latency p50      %.3f ms\n", ms(p50)))
   io.write(string.format("latency p90      %.3f ms\n", ms(p90)))
   io.write(string.format("latency p99      %.3f ms\n", ms(p99)))
   io.write(string.format("latency p99.9    %.3f ms\n", ms(p999)))
   io.write(string.format("latency max      %.3f ms\n", ms(latency.max)))
   io.write(string.format("non-200          %d\n", total_non200))
   local keys = {}
   for k in pairs(by_status) do table.insert(keys, k) end
   table.sort(keys)
   for _, k in ipairs(keys) do
      io.write(string.format("  status %s     %d\n", k, by_status[k]))
   end
   io.write(string.format("socket errors    connect %d, read %d, write %d, timeout %d\n",
      e.connect, e.read, e.write, e.timeout))
   if total_exhausted > 0 then
      io.write(string.format("exhausted        %d thread(s) ran out of pre-signed requests\n", total_exhausted))
   end
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f non200=%d socket_errors=%d exhausted=%d\n",
      summary.requests, duration_s, rps, ms(p50), ms(p90), ms(p99), ms(p999), ms(latency.max),
      total_non200, socket_errors, total_exhausted))
end
