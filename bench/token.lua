-- bench/token.lua — wrk script for the OAuth token endpoint (client_credentials grant).
--
--   wrk -t2 -c32 -d30s --latency -s bench/token.lua http://127.0.0.1:5099/connect/token
--
-- Sends: POST <url>
--        Authorization: Basic base64(client_id:client_secret)   (client_secret_basic)
--        Content-Type: application/x-www-form-urlencoded
--        grant_type=client_credentials&scope=<scope>
--
-- Client, secret and scope come from the environment (defaults match bench/run.sh's seed):
--   BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_SCOPE
-- Non-200 responses are counted and latency percentiles (50/90/99/99.9) printed by
-- bench/stats.lua, loaded from this script's folder.

local client_id     = os.getenv("BENCH_CLIENT_ID")     or "bench-client"
local client_secret = os.getenv("BENCH_CLIENT_SECRET") or "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz"
local scope         = os.getenv("BENCH_SCOPE")         or "bench.read"

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64(data)
   local out = {}
   for i = 1, #data, 3 do
      local a, b, c = data:byte(i, i + 2)
      local n = a * 65536 + (b or 0) * 256 + (c or 0)
      local c1 = math.floor(n / 262144) % 64
      local c2 = math.floor(n / 4096) % 64
      local c3 = math.floor(n / 64) % 64
      local c4 = n % 64
      out[#out + 1] = b64chars:sub(c1 + 1, c1 + 1)
      out[#out + 1] = b64chars:sub(c2 + 1, c2 + 1)
      out[#out + 1] = b and b64chars:sub(c3 + 1, c3 + 1) or "="
      out[#out + 1] = c and b64chars:sub(c4 + 1, c4 + 1) or "="
   end
   return table.concat(out)
end

-- application/x-www-form-urlencoded encoding (RFC 6749 §2.3.1 applies it to the
-- client id and secret before Basic encoding, too).
local function form_encode(s)
   return (s:gsub("[^%w%-%._~]", function(ch)
      return string.format("%%%02X", ch:byte())
   end))
end

wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=" .. form_encode(scope)
wrk.headers["Authorization"] = "Basic " .. base64(form_encode(client_id) .. ":" .. form_encode(client_secret))
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"

-- Load the shared response counter / summary (setup, response, done) from this folder.
local here = (debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./")
dofile(here .. "stats.lua")
