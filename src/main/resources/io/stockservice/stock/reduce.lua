-- Check-and-decrement for a batch of claims on one stock key, served in arrival order, with the
-- idempotency records of keyed claims read and written in the same atomic step. Redis runs a
-- script atomically: no other client writes between its reads and writes, so it never retries.
--
-- KEYS[1]    the stock key
-- KEYS[2..]  the idempotency record keys of the batch's keyed claims
-- ARGV[1]    record TTL in milliseconds
-- ARGV[2]    the SKU
-- ARGV[3..]  two per claim: the units it asks for, and the index in KEYS of its record key
--            (0 for a claim without a key)
-- Reply      {2} if the stock key is not a stock level (it is left untouched); otherwise {0, ...}
--            with one entry per claim: the claim's outcome as a record (see IdempotencyRecords:
--            kind|quantity|available|attempts|sku), prefixed with '*' when it is a stored record
--            being replayed.
local stock = nil
local raw = redis.pcall('GET', KEYS[1])
if raw then
  -- A stock level is a canonical integer in 0 .. 2^53 (see StockLevel.java); 2^53 is the largest
  -- integer a Lua number holds exactly. A WRONGTYPE error comes back as a table.
  if type(raw) ~= 'string' or not (raw == '0' or string.match(raw, '^[1-9]%d*$'))
      or #raw > 16 or (#raw == 16 and raw > '9007199254740992') then
    return {2}
  end
  stock = tonumber(raw)
end

local ttl = ARGV[1]
local sku = ARGV[2]
local replies = {0}
local granted = 0
for i = 1, (#ARGV - 2) / 2 do
  local quantity = ARGV[1 + 2 * i]
  local keyIndex = tonumber(ARGV[2 + 2 * i])
  local stored = false
  if keyIndex > 0 then
    stored = redis.call('GET', KEYS[keyIndex])
  end
  if stored then
    replies[i + 1] = '*' .. stored
  else
    local record
    if not stock then
      record = 'N|' .. quantity .. '|0|1|' .. sku
    elseif tonumber(quantity) <= stock then
      stock = stock - tonumber(quantity)
      granted = granted + tonumber(quantity)
      record = 'R|' .. quantity .. '|' .. string.format('%.0f', stock) .. '|1|' .. sku
    else
      record = 'I|' .. quantity .. '|' .. string.format('%.0f', stock) .. '|1|' .. sku
    end
    if keyIndex > 0 then
      redis.call('SET', KEYS[keyIndex], record, 'PX', ttl)
    end
    replies[i + 1] = record
  end
end
if granted > 0 then
  redis.call('DECRBY', KEYS[1], granted)
end
return replies
