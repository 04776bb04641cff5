-- One workload for wrk: requests for the duration wrk is given (-d), then a JSON line of figures.
-- Environment: BENCH_METHOD, BENCH_PATHS (paths separated by "|", taken in turn), BENCH_BODY (JSON with
-- {n} replaced by an 8-digit request counter, so every created complaint differs), BENCH_HEADERS ("Name: value|...").
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local paths, headers = {}, {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^|]+") do table.insert(paths, path) end
for header in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = string.match(header, "^([^:]+):%s*(.*)$")
  headers[name] = value
end

local threads = {}
counter, unexpected, thread_number = 0, 0, 0

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local path = paths[(counter + thread_number) % #paths + 1]
  local text = nil
  if body then text = string.gsub(body, "{n}", string.format("%08d", thread_number * 10000000 + counter)) end
  return wrk.format(method, path, headers, text)
end

function response(status, response_headers, response_body)
  if status < 200 or status > 299 then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local not_2xx = 0
  for _, thread in ipairs(threads) do not_2xx = not_2xx + thread:get("unexpected") end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "per_second": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, not_2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
