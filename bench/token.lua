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
--
-- Pre-signed requests (issue 10): when BENCH_REQUESTS is set to a file prefix written by
-- bench/jwtgen.mjs, thread N reads <prefix>.N, one request per line ("<client_assertion>\t<DPoP proof>"),
-- and sends each line exactly once, in order: a client assertion (RFC 7523 §2.2, private_key_jwt or
-- client_secret_jwt) replaces the Basic header, and a DPoP proof (RFC 9449 §4) goes in the DPoP header.
-- When a thread runs out of lines it stops and counts it as "exhausted" (run.sh then refuses the numbers),
-- because sending a line twice would be a replay the server must refuse.
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
-- BENCH_FORWARDED_FOR: an X-Forwarded-For on every request, as a reverse proxy adds it (docs/adr/0045; the server
-- believes it only with Auth__ForwardedHeaders__TrustedProxies=127.0.0.1 in BENCH_SERVER_ENV).
local forwarded_for = os.getenv("BENCH_FORWARDED_FOR")
if forwarded_for and forwarded_for ~= "" then
   wrk.headers["X-Forwarded-For"] = forwarded_for
end

-- Load the shared response counter / summary (setup, response, done) from this folder.
local here = (debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./")
dofile(here .. "stats.lua")

local prefix = os.getenv("BENCH_REQUESTS")
if prefix and prefix ~= "" then
   local count_threads = setup
   local threads_seen = 0
   function setup(thread)
      count_threads(thread)
      threads_seen = threads_seen + 1
      thread:set("thread_no", threads_seen)  -- a global in that thread's own Lua state
   end

   local lines = {}
   local next_line = 1
   local last_line = "\t"
   local assertion_params = "&client_assertion_type=" .. form_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
      .. "&client_assertion="
   local base_body = wrk.body

   function init(args)
      local name = prefix .. "." .. tostring(_G.thread_no)
      local file = assert(io.open(name, "r"), "cannot open " .. name)
      for line in file:lines() do
         lines[#lines + 1] = line
      end
      file:close()
      if os.getenv("BENCH_AUTH") ~= "secret" then
         wrk.headers["Authorization"] = nil
      end
   end

   function request()
      local line = lines[next_line]
      if line == nil then
         exhausted = 1
         wrk.thread:stop()
         line = last_line
      else
         lines[next_line] = false  -- free it; a line is never sent twice
         next_line = next_line + 1
         last_line = line
      end
      local assertion, proof = line:match("^([^\t]*)\t(.*)$")
      local body = base_body
      if assertion ~= "" then
         body = body .. assertion_params .. assertion
      end
      local headers = wrk.headers
      if proof ~= "" then
         headers["DPoP"] = proof
      end
      return wrk.format(nil, nil, headers, body)
   end
end
