-- Check-and-decrement for a batch of claims, each on one or more SKUs (all or nothing), served
-- in arrival order, with the idempotency records of keyed claims read and written in the same
-- atomic step. Redis runs a script atomically: no other client writes between its reads and
-- writes, so it never retries. Redis does not roll a script back either, so every key is read
-- and every value checked before the first write; a bad value is an answer about its own key,
-- never an error raised halfway (a key of another type comes back from pcall as a table).
--
-- KEYS[1..S]   the stock keys;  KEYS[S+1..]  the record keys of the keyed claims
-- ARGV[1]      record TTL in milliseconds
-- ARGV[2]      the attempt, for the records
-- ARGV[3]      '1': rewrite each replayed record unchanged (TTL kept), so that a WAIT after
--              this script covers it
-- ARGV[4]      S;  ARGV[5..4+S]  the SKU of each stock key
-- then, per claim: the index in KEYS of its record key (0 without a key), its item count n,
--              and n pairs: the index in KEYS of the item's stock key, the units it asks for
-- Reply        {wrote, outcome of claim 1, ...}: wrote is 1 if anything was written; an outcome
--              is a record (see IdempotencyRecords: kind|attempt|sku quantity available|...),
--              '*' followed by a stored record being replayed, 'C|sku' (the stock of sku is not
--              a stock level), 'X' (the claim's record is not a record of ours), 'K' (its key
--              was used for another request), or '=i' (a retry of claim i of this batch).

-- A stock level is a canonical integer in 0 .. 2^53 (see StockLevel.java); 2^53 is the largest
-- integer a Lua number holds exactly.
local function level_of(raw)
  if type(raw) ~= 'string' or not (raw == '0' or string.match(raw, '^[1-9]%d*$'))
      or #raw > 16 or (#raw == 16 and raw > '9007199254740992') then
    return nil
  end
  return tonumber(raw)
end

-- The lines of a record this service could have written under a key in the slot of the SKU
-- anchor, or nil. The same grammar as IdempotencyRecords.decode.
local function record_lines(raw, anchor)
  if type(raw) ~= 'string' or #raw > 10000 then
    return nil
  end
  local kind, attempts, rest = string.match(raw, '^([RIN])|([1-9]%d*)(|.+)$')
  if not kind or #attempts > 6 then
    return nil
  end
  local lines, seen, smallest = {}, {}, nil
  local short, unknown, negative = false, false, false
  for line in string.gmatch(rest, '|([^|]*)') do
    local sku, quantity, available = string.match(line, '^([%w%._:%-]+) ([1-9]%d*) (%-?%d+)$')
    if not sku or #sku > 64 or #quantity > 16 or seen[sku] or #lines >= 100
        or not (available == '0' or available == '-1' or (#available <= 16 and string.match(available, '^[1-9]%d*$'))) then
      return nil
    end
    seen[sku] = true
    if not smallest or sku < smallest then
      smallest = sku
    end
    if available == '-1' then
      unknown = true
    elseif tonumber(quantity) > tonumber(available) then
      short = true
    end
    lines[#lines + 1] = {sku, quantity}
  end
  if #lines == 0 or smallest ~= anchor then
    return nil
  end
  if (kind == 'R' and unknown) or (kind == 'I' and (unknown or not short)) or (kind == 'N' and not unknown) then
    return nil
  end
  return lines
end

local ttl, attempt, touch = ARGV[1], ARGV[2], ARGV[3] == '1'
local stocks = tonumber(ARGV[4])
local skus, left, corrupt = {}, {}, {}

-- Read and check every stock level.
for s = 1, stocks do
  skus[s] = ARGV[4 + s]
  local raw = redis.pcall('GET', KEYS[s])
  if raw then
    local level = level_of(raw)
    if level then
      left[s] = level
    else
      corrupt[s] = true
    end
  end
end

-- Read every record: false when absent, true when the key holds another type.
local claims, records = {}, {}
local i = 5 + stocks
while i <= #ARGV do
  local claim = {record = tonumber(ARGV[i]), items = {}}
  local n = tonumber(ARGV[i + 1])
  i = i + 2
  for k = 1, n do
    claim.items[k] = {tonumber(ARGV[i]), ARGV[i + 1]}
    i = i + 2
  end
  claims[#claims + 1] = claim
  if claim.record > 0 and records[claim.record] == nil then
    local raw = redis.pcall('GET', KEYS[claim.record])
    if raw == false or type(raw) == 'string' then
      records[claim.record] = raw
    else
      records[claim.record] = true
    end
  end
end

-- Decide every claim, in arrival order, writing nothing yet.
local replies, decrements, writes, touches, first = {0}, {}, {}, {}, {}
for c, claim in ipairs(claims) do
  local outcome
  if claim.record > 0 and first[claim.record] then
    outcome = '=' .. first[claim.record]
  else
    if claim.record > 0 then
      first[claim.record] = c
    end
    local stored = (claim.record > 0) and records[claim.record]
    if stored then
      local anchor = nil
      for _, item in ipairs(claim.items) do
        if not anchor or skus[item[1]] < anchor then
          anchor = skus[item[1]]
        end
      end
      local lines = record_lines(stored, anchor)
      if not lines then
        outcome = 'X'
      else
        local same = #lines == #claim.items
        for k, item in ipairs(claim.items) do
          same = same and lines[k][1] == skus[item[1]] and lines[k][2] == item[2]
        end
        if same then
          outcome = '*' .. stored
          if touch then
            touches[#touches + 1] = claim.record
          end
        else
          outcome = 'K'
        end
      end
    else
      local bad, unknown, fits = nil, false, true
      for _, item in ipairs(claim.items) do
        local s = item[1]
        if corrupt[s] then
          bad = s
          break
        end
        if left[s] == nil then
          unknown = true
        elseif tonumber(item[2]) > left[s] then
          fits = false
        end
      end
      if bad then
        outcome = 'C|' .. skus[bad]
      else
        local kind = unknown and 'N' or (fits and 'R' or 'I')
        local parts = {kind, attempt}
        for _, item in ipairs(claim.items) do
          local s, quantity = item[1], item[2]
          local available
          if kind == 'N' then
            available = (left[s] == nil) and '-1' or '0'
          else
            if kind == 'R' then
              left[s] = left[s] - tonumber(quantity)
              decrements[s] = (decrements[s] or 0) + tonumber(quantity)
            end
            available = string.format('%.0f', left[s])
          end
          parts[#parts + 1] = skus[s] .. ' ' .. quantity .. ' ' .. available
        end
        outcome = table.concat(parts, '|')
        if claim.record > 0 then
          writes[#writes + 1] = {claim.record, outcome}
        end
      end
    end
  end
  replies[#replies + 1] = outcome
end

-- Only now write: the decrements, the new records, the replayed records rewritten.
for s = 1, stocks do
  if decrements[s] then
    redis.call('DECRBY', KEYS[s], string.format('%.0f', decrements[s]))
    replies[1] = 1
  end
end
for _, write in ipairs(writes) do
  redis.call('SET', KEYS[write[1]], write[2], 'PX', ttl)
  replies[1] = 1
end
for _, record in ipairs(touches) do
  redis.call('SET', KEYS[record], records[record], 'XX', 'KEEPTTL')
  replies[1] = 1
end
return replies
