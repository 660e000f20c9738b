-- bench/reads.lua - wrk script for bench/reads.sh: token introspection and the password sign-in (issue 16).
--
--   BENCH_OP=introspect BENCH_LINES=DIR/introspect-cc.txt wrk -t2 -c32 -d15s --latency -s bench/reads.lua http://127.0.0.1:5194/connect/introspect
--   BENCH_OP=signin BENCH_LINES=DIR/signin.txt wrk -t2 -c8 -d20s --latency -s bench/reads.lua http://127.0.0.1:5194/account/login
--
-- introspect: POST token=<token> (RFC 7662 §2.1), authenticated as the resource server "rs" with client_secret_basic
--             (BENCH_CLIENT_ID, BENCH_CLIENT_SECRET override it). Each line is "<token> <1|0>": whether the answer must be
--             {"active":true,...} (1) or exactly {"active":false} (0); any other answer is unexpected.
-- signin:     the sign-in form's POST as a browser sends it: each line is "<Cookie header>\t<form body>" (the anti-forgery
--             cookie, and the form's hidden fields with a user's name and password). The answer must be 303 back to the
--             authorization endpoint (signed in); the sign-in page again (200) means the sign-in failed: unexpected.
-- Thread N sends lines N, N + T, N + 2T, ... (T threads) round robin, so two threads never use the same line (user).
local op            = os.getenv("BENCH_OP") or "introspect"
local lines_file    = assert(os.getenv("BENCH_LINES"), "BENCH_LINES (a file of lines) is required")
local client_id     = os.getenv("BENCH_CLIENT_ID") or "rs"
local client_secret = os.getenv("BENCH_CLIENT_SECRET") or "bench-secret-0123456789abcdefghijklmnop"

local here = (debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./")
local lib = dofile(here .. "lib.lua")

local mine, next_line = {}, 1
local introspect_headers = {
   ["Authorization"] = lib.basic(client_id, client_secret),
   ["Content-Type"] = "application/x-www-form-urlencoded",
   ["Accept"] = "application/json",
}

function init(args)
   local threads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
   for i, line in ipairs(lib.read_lines(lines_file)) do
      if (i - 1) % threads == _G.thread_no - 1 then mine[#mine + 1] = line end
   end
   assert(#mine > 0, "no lines for thread " .. tostring(_G.thread_no) .. " in " .. lines_file)
   assert(op == "introspect" or op == "signin", "BENCH_OP must be introspect or signin, got " .. op)
end

-- Answers come back per connection, not in the order of request() across a thread's connections, so an answer cannot be
-- paired with its line. A line that must be inactive is checked by count: a thread's active answers must equal the lines
-- it sent that must be active, give or take the requests still in flight at the end (one per connection); with only
-- active lines, every inactive answer is unexpected at once.
active, must_be_active = 0, 0
local only_active = true

function request()
   local line = mine[next_line]
   next_line = next_line % #mine + 1
   if op == "introspect" then
      local token, expected = line:match("^(%S+) ([01])$")
      if expected == "1" then must_be_active = must_be_active + 1 else only_active = false end
      return wrk.format("POST", nil, introspect_headers, "token=" .. token)
   end
   local cookie, body = line:match("^([^\t]*)\t(.*)$")
   return wrk.format("POST", nil, { ["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
   if op == "signin" then
      local location = headers["Location"] or headers["location"] or ""
      if status ~= 303 or not location:find("/connect/authorize?", 1, true) then lib.unexpected(status) end
      return
   end
   if status ~= 200 then
      lib.unexpected(status)
   elseif body:find('"active":true', 1, true) then
      active = active + 1
   elseif body ~= '{"active":false}' then
      lib.unexpected("200-malformed")       -- RFC 7662 §2.2: an inactive answer is exactly {"active":false}
   elseif only_active then
      lib.unexpected("200-inactive")
   end
end

local stats_done = done
function done(summary, latency, requests)
   local total_active, total_must, off = 0, 0, 0
   local slack = math.ceil(tonumber(os.getenv("BENCH_CONNECTIONS") or "32") / #lib.threads)
   for _, thread in ipairs(lib.threads) do
      local a, m = thread:get("active") or 0, thread:get("must_be_active") or 0
      total_active, total_must = total_active + a, total_must + m
      if math.abs(a - m) > slack then off = off + math.abs(a - m) end
   end
   stats_done(summary, latency, requests)
   io.write(string.format("BENCH_EXTRA active=%d must_be_active=%d active_mismatch=%d\n", total_active, total_must, off))
end
