-- bench/writes.lua — wrk script for the write paths (issue 16), run by bench/writes.sh.
--
--   BENCH_OP=refresh   BENCH_FILES=DIR wrk -t2 -c32 -d20s --latency -s bench/writes.lua http://127.0.0.1:5097/connect/token
--   BENCH_OP=authorize BENCH_FILES=DIR wrk ... http://127.0.0.1:5097/connect/authorize
--   BENCH_OP=redeem    BENCH_FILES=DIR wrk ... http://127.0.0.1:5097/connect/token
--
-- DIR holds what bench/writes-setup.py wrote: refresh-tokens.txt, sessions.txt, pkce.txt.
--
-- refresh:   refresh-token rotation (RFC 6749 §6) over the chains of refresh-tokens.txt; thread N of T takes the lines
--            N, N+T, N+2T, ... Each thread keeps a queue of its chains' current tokens: request() pops one, response()
--            parses the new refresh_token from the 200 body and pushes it back, so a chain is never in flight twice.
--            A non-200 drops the chain (counted as non-200 and "dropped"); a thread whose queue is empty stops and
--            counts as "exhausted" (the run is then not valid).
-- authorize: silent re-authorization: GET /connect/authorize with a session cookie (sessions.txt, round robin) of a
--            person whose consent is given; the expected answer is 303 to the redirect URI with a code. Each code goes
--            to DIR/codes.N (thread N), one line each, for the redemption run.
-- redeem:    authorization code redemption: POST grant_type=authorization_code with the codes of DIR/codes.N, each
--            sent once, in order, with the PKCE verifier of pkce.txt. A thread that runs out stops ("exhausted").
--            The codes live 60 s (Auth:SignIn:AuthorizationCodeLifetime), so this run follows the authorize run at once.
-- The client is "web" with client_secret_basic (BENCH_CLIENT_ID, BENCH_CLIENT_SECRET override it).
-- Percentiles and the BENCH_RESULT line come from bench/stats.lua; "non200" there counts every unexpected status.
local op            = os.getenv("BENCH_OP") or "refresh"
local dir           = assert(os.getenv("BENCH_FILES"), "BENCH_FILES (the setup folder) is required")
local client_id     = os.getenv("BENCH_CLIENT_ID") or "web"
local client_secret = os.getenv("BENCH_CLIENT_SECRET") or "web-secret-0123456789abcdefghijklmnop"
local redirect_uri  = "http://127.0.0.1:9/cb"
local scope         = "openid offline_access api.read"

local here = (debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./")
local lib = dofile(here .. "lib.lua")
local form_encode, read_lines = lib.form_encode, lib.read_lines

dropped = 0
local queue, head, tail = {}, 1, 0          -- refresh: the current tokens of this thread's chains
local codes, next_code = {}, 1              -- redeem: this thread's codes
local code_file                             -- authorize: where the codes go
local sessions, next_session = {}, 1        -- authorize: Cookie headers
local verifier, challenge

local basic = lib.basic(client_id, client_secret)

function init(args)
   local pkce = read_lines(dir .. "/pkce.txt")[1]
   verifier, challenge = pkce:match("^(%S+) (%S+)$")
   if op == "refresh" then
      local threads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
      for i, token in ipairs(read_lines(dir .. "/refresh-tokens.txt")) do
         if (i - 1) % threads == _G.thread_no - 1 then
            tail = tail + 1
            queue[tail] = token
         end
      end
   elseif op == "authorize" then
      sessions = read_lines(dir .. "/sessions.txt")
      code_file = assert(io.open(dir .. "/codes." .. tostring(_G.thread_no), "w"))
      code_file:setvbuf("line")
   elseif op == "redeem" then
      codes = read_lines(dir .. "/codes." .. tostring(_G.thread_no))
   else
      error("BENCH_OP must be refresh, authorize or redeem, got " .. op)
   end
end

local token_headers = {
   ["Authorization"] = basic,
   ["Content-Type"] = "application/x-www-form-urlencoded",
   ["Accept"] = "application/json",
}
local authorize_path = "/connect/authorize?response_type=code&client_id=" .. form_encode(client_id)
   .. "&redirect_uri=" .. form_encode(redirect_uri) .. "&scope=" .. form_encode(scope) .. "&state=s&nonce=n"
   .. "&code_challenge_method=S256&code_challenge="

local function stop_exhausted()
   exhausted = 1
   wrk.thread:stop()
end

function request()
   if op == "refresh" then
      local token = "exhausted"  -- not a token's length: refused without touching the database (never reuse)
      if head <= tail then
         token = queue[head]
         queue[head] = nil
         head = head + 1
      else
         stop_exhausted()
      end
      return wrk.format("POST", nil, token_headers, "grant_type=refresh_token&refresh_token=" .. form_encode(token))
   elseif op == "authorize" then
      local cookie = sessions[next_session]
      next_session = next_session % #sessions + 1
      return wrk.format("GET", authorize_path .. challenge, { ["Cookie"] = cookie })
   else
      local code = codes[next_code]
      if code == nil then
         stop_exhausted()
         code = "exhausted"
      else
         codes[next_code] = false
         next_code = next_code + 1
      end
      return wrk.format("POST", nil, token_headers, "grant_type=authorization_code&code=" .. form_encode(code)
         .. "&code_verifier=" .. verifier .. "&redirect_uri=" .. form_encode(redirect_uri))
   end
end

local unexpected = lib.unexpected

function response(status, headers, body)
   if op == "authorize" then
      local location = headers["Location"] or headers["location"] or ""
      local code = location:match("[?&]code=([^&]+)")
      if status ~= 303 or code == nil then
         unexpected(status)
         return
      end
      code_file:write(code, "\n")  -- as sent (URL-encoded); form_encode of it in the redemption is harmless for base64url
      return
   end
   if status ~= 200 then
      unexpected(status)
      if op == "refresh" then dropped = dropped + 1 end
      return
   end
   if op == "refresh" then
      local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
      if token == nil then
         unexpected("200-without-refresh_token")
         dropped = dropped + 1
         return
      end
      tail = tail + 1
      queue[tail] = token
   end
end

local stats_done = done
function done(summary, latency, requests)
   local total_dropped = 0
   for _, thread in ipairs(lib.threads) do
      total_dropped = total_dropped + (thread:get("dropped") or 0)
   end
   stats_done(summary, latency, requests)
   io.write(string.format("BENCH_EXTRA dropped=%d\n", total_dropped))
end
