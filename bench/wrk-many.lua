-- wrk script: a store of many SKUs. Every request names one of SKUS SKUs (env, default 10000),
-- chosen at random: MODE=reduce (the default) takes one unit with POST /stock/reduce, MODE=get
-- reads it with GET /stock/{sku}, MODE=order takes one unit each of ITEMS (default 3) distinct
-- SKUs with one POST /stock/reduce. The SKUs are s0 .. s<SKUS-1>, stocked by the benchmark.
local skus = tonumber(os.getenv("SKUS") or "10000")
local mode = os.getenv("MODE") or "reduce"
local items = tonumber(os.getenv("ITEMS") or "3")
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  -- Each wrk thread its own sequence: the same seed would send the threads after the same SKUs.
  math.randomseed(os.time() * 1000 + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

local function sku()
  return "s" .. math.random(0, skus - 1)
end

function request()
  if mode == "get" then
    return wrk.format("GET", "/stock/" .. sku())
  elseif mode == "order" then
    local chosen, parts = {}, {}
    while #parts < items do
      local name = sku()
      if not chosen[name] then
        chosen[name] = true
        parts[#parts + 1] = '{"sku":"' .. name .. '","quantity":1}'
      end
    end
    return wrk.format("POST", "/stock/reduce", headers, '{"items":[' .. table.concat(parts, ",") .. ']}')
  end
  return wrk.format("POST", "/stock/reduce", headers, '{"sku":"' .. sku() .. '","quantity":1}')
end
