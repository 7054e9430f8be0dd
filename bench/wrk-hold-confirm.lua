-- wrk script: reservations as a shop uses them, a hold and then its confirmation. Each request is
-- either a hold of one unit of one of SKUS SKUs (env, default 1000) chosen at random, or the
-- confirmation of a hold this thread made earlier: a thread confirms every hold it got (201)
-- before it makes a new one. done() prints the pairs completed per second.
local skus = tonumber(os.getenv("SKUS") or "1000")
local headers = { ["Content-Type"] = "application/json" }
local held = {}
local threads = {}
holds, confirms, failures = 0, 0, 0

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

function request()
  local id = table.remove(held)
  if id then
    return wrk.format("POST", "/stock/reservations/" .. id .. "/confirm")
  end
  local sku = "s" .. math.random(0, skus - 1)
  return wrk.format("POST", "/stock/reservations", headers,
    '{"items":[{"sku":"' .. sku .. '","quantity":1}],"ttl":"PT120S"}')
end

function response(status, response_headers, body)
  if status == 201 then
    holds = holds + 1
    held[#held + 1] = body:match('"id":"([^"]+)"')
  elseif status == 200 then
    confirms = confirms + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local total = { holds = 0, confirms = 0, failures = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(total) do
      total[name] = total[name] + thread:get(name)
    end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("hold-confirm: holds %d confirms %d failures %d pairs/s %.1f\n",
    total.holds, total.confirms, total.failures, total.confirms / seconds))
end
