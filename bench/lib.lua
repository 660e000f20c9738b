-- bench/lib.lua - what the wrk scripts share (bench/writes.lua, bench/reads.lua): Basic credentials, form encoding, files
-- of lines, and each thread's own number. Loaded with dofile; it loads bench/stats.lua (setup, response, done, BENCH_RESULT).
local here = (debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./")
dofile(here .. "stats.lua")

local lib = {}

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function lib.base64(data)
   local out = {}
   for i = 1, #data, 3 do
      local a, b, c = data:byte(i, i + 2)
      local n = a * 65536 + (b or 0) * 256 + (c or 0)
      out[#out + 1] = b64chars:sub(math.floor(n / 262144) % 64 + 1, math.floor(n / 262144) % 64 + 1)
      out[#out + 1] = b64chars:sub(math.floor(n / 4096) % 64 + 1, math.floor(n / 4096) % 64 + 1)
      out[#out + 1] = b and b64chars:sub(math.floor(n / 64) % 64 + 1, math.floor(n / 64) % 64 + 1) or "="
      out[#out + 1] = c and b64chars:sub(n % 64 + 1, n % 64 + 1) or "="
   end
   return table.concat(out)
end

-- application/x-www-form-urlencoded (RFC 6749 §2.3.1 applies it to the client id and secret before Basic encoding, too).
function lib.form_encode(s)
   return (s:gsub("[^%w%-%._~]", function(ch) return string.format("%%%02X", ch:byte()) end))
end

function lib.basic(client_id, client_secret)
   return "Basic " .. lib.base64(lib.form_encode(client_id) .. ":" .. lib.form_encode(client_secret))
end

function lib.read_lines(name)
   local file = assert(io.open(name, "r"), "cannot open " .. name)
   local lines = {}
   for line in file:lines() do
      if line ~= "" then lines[#lines + 1] = line end
   end
   file:close()
   return lines
end

-- An unexpected answer, counted by status as stats.lua does (non200 is its "unexpected" column).
function lib.unexpected(status)
   non200 = non200 + 1
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

-- Thread numbers: setup() runs in the main Lua state once per thread; each thread's own state gets its number
-- (the global thread_no, from 1). lib.threads lists the thread objects, for done().
lib.threads = {}
local count_thread = setup
function setup(thread)
   count_thread(thread)
   lib.threads[#lib.threads + 1] = thread
   thread:set("thread_no", #lib.threads)
end

return lib
