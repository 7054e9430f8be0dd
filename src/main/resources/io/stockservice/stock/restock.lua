-- Adds units to an existing stock key, refusing to pass the largest stock level.
--
-- KEYS[1]  the stock key
-- ARGV[1]  the units to add (an integer >= 1)
-- ARGV[2]  the largest stock level allowed (2^53)
-- Reply    {0, level} the new level; {1} no such key; {2} the key is not a stock level;
--          {3, level} adding would pass the largest level, nothing changed.
local raw = redis.pcall('GET', KEYS[1])
if raw == false then
  return {1}
end
if type(raw) ~= 'string' or not (raw == '0' or string.match(raw, '^[1-9]%d*$'))
    or #raw > 16 or (#raw == 16 and raw > '9007199254740992') then
  return {2}
end
local level = tonumber(raw)
-- Compared as headroom, never as a sum: a sum past 2^53 would round and slip through.
if tonumber(ARGV[1]) > tonumber(ARGV[2]) - level then
  return {3, level}
end
return {0, redis.call('INCRBY', KEYS[1], ARGV[1])}
