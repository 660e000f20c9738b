-- bench/coldstart.lua: bench/token.lua (client credentials) plus the responses counted per wall-clock second, so
-- bench/coldstart.sh can show how fast a freshly started server reaches its steady rate.
--
--   wrk -t2 -c32 -d10s --latency -s bench/coldstart.lua http://127.0.0.1:5099/connect/token
--
-- Prints, besides token.lua's summary, one line per second that saw responses:
--   BENCH_SECOND epoch=<unix second> responses=<n> non200=<n>
local here = (debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./")
dofile(here .. "token.lua")

local counted_response = response
local counted_done = done
local threads = {}
local counted_setup = setup

function setup(thread)
   table.insert(threads, thread)
   counted_setup(thread)
end

-- per-thread: responses and non-200 answers by unix second
per_second = {}
per_second_non200 = {}

function response(status, headers, body)
   local now = os.time()
   per_second[now] = (per_second[now] or 0) + 1
   if status ~= 200 then
      per_second_non200[now] = (per_second_non200[now] or 0) + 1
   end
   counted_response(status, headers, body)
end

function done(summary, latency, requests)
   counted_done(summary, latency, requests)
   local total, bad = {}, {}
   for _, thread in ipairs(threads) do
      for k, v in pairs(thread:get("per_second") or {}) do total[k] = (total[k] or 0) + v end
      for k, v in pairs(thread:get("per_second_non200") or {}) do bad[k] = (bad[k] or 0) + v end
   end
   local seconds = {}
   for k in pairs(total) do table.insert(seconds, k) end
   table.sort(seconds)
   for _, k in ipairs(seconds) do
      io.write(string.format("BENCH_SECOND epoch=%d responses=%d non200=%d\n", k, total[k], bad[k] or 0))
   end
end
