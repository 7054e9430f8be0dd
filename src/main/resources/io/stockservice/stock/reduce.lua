-- Check-and-decrement for a batch of claims on one stock key, served in arrival order.
-- Redis runs a script atomically, so no other client can write the key between the read and
-- the write, and no retry is ever needed.
--
-- KEYS[1]  the stock key
-- ARGV     the units each claim asks for (integers >= 1)
-- Reply    {1} no such key; {2} the key is not a stock level (left untouched);
--          {0, r1, r2, ...} one entry per claim: the stock the claim left if it was granted,
--          or -1 - (the stock it saw) if it did not fit.
local raw = redis.pcall('GET', KEYS[1])
if raw == false then
  return {1}
end
-- A stock level is a canonical integer in 0 .. 2^53 (see StockLevel.java); 2^53 is the largest
-- integer a Lua number holds exactly. A WRONGTYPE error comes back as a table.
if type(raw) ~= 'string' or not (raw == '0' or string.match(raw, '^[1-9]%d*$'))
    or #raw > 16 or (#raw == 16 and raw > '9007199254740992') then
  return {2}
end
local stock = tonumber(raw)
local replies = {0}
local granted = 0
for i = 1, #ARGV do
  local quantity = tonumber(ARGV[i])
  if quantity <= stock then
    stock = stock - quantity
    granted = granted + quantity
    replies[i + 1] = stock
  else
    replies[i + 1] = -1 - stock
  end
end
if granted > 0 then
  redis.call('DECRBY', KEYS[1], granted)
end
return replies
