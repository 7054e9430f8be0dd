-- Moves one part of a reservation out of 'held', once: the same decisions as MovePlan.java, in
-- one atomic step. Every key is read and every value checked before the first write, because
-- Redis does not roll a script back.
--
-- The SKUs a hold holds are known only from its hash, so their keys are derived here from the
-- key prefixes rather than passed in KEYS: each of them carries the stock key as its hash tag,
-- and a part holds only SKUs of its own slot, so on a Redis Cluster they all lie in KEYS[1]'s
-- slot too.
--
-- KEYS[1]   the hold's hash
-- ARGV[1]   'confirm', 'release', 'expire' or 'follow';  ARGV[2]  for follow, the state to take
-- ARGV[3]   dueAt (ms): a missing hold found by expire or follow at or after it is marked void
-- ARGV[4]   retention of an ended hold (ms);  ARGV[5]  '1': rewrite an ended hold's state, so that
--           WAIT covers it
-- ARGV[6]   the stock key prefix;  ARGV[7]  the key namespace
-- Reply     {'D', now, state, fields...} moved by this call;  {'F', now, fields...} ended before;
--           {'W', now, fields...} not due;  {'M', now, voided};  {'C', sku} a level is not one;
--           {'B'} not a hold of ours.  fields is the hash as it was read, field then value.

redis.replicate_commands()

local function level_of(raw)
  if type(raw) ~= 'string' or not (raw == '0' or string.match(raw, '^[1-9]%d*$'))
      or #raw > 16 or (#raw == 16 and raw > '9007199254740992') then
    return nil
  end
  return tonumber(raw)
end

local hold, op, due_at = KEYS[1], ARGV[1], tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

local fields = redis.pcall('HGETALL', hold)
if fields.err then
  return {'B'}
end
if #fields == 0 then
  if (op == 'expire' or op == 'follow') and now >= due_at then
    redis.call('HSET', hold, 'state', 'void', 'expiresAt', ARGV[3], 'endedAt', tostring(now))
    redis.call('PEXPIRE', hold, ARGV[4])
    return {'M', now, 1}
  end
  return {'M', now, 0}
end

local h = {}
for i = 1, #fields, 2 do
  h[fields[i]] = fields[i + 1]
end
local states = {held = true, confirmed = true, released = true, expired = true, void = true}
local expires_at = tonumber(h.expiresAt)
if not states[h.state] or not expires_at or not string.match(h.expiresAt, '^%d+$') then
  return {'B'}
end

local function reply(kind, ...)
  local out = {kind, now, ...}
  for i = 1, #fields do
    out[#out + 1] = fields[i]
  end
  return out
end

if h.state ~= 'held' then
  if ARGV[5] == '1' then
    redis.call('HSET', hold, 'state', h.state)
  end
  return reply('F')
end

local expired = now >= expires_at
local target
if op == 'confirm' then
  target = expired and 'expired' or 'confirmed'
elseif op == 'release' then
  target = expired and 'expired' or 'released'
elseif op == 'expire' then
  if not expired then
    return reply('W')
  end
  target = 'expired'
else
  target = ARGV[2]
end
local gives_back = target ~= 'confirmed'

local items = {}
for entry in string.gmatch(h.items or '', '[^|]+') do
  local sku, quantity = string.match(entry, '^([%w%._:%-]+) ([1-9]%d*)$')
  if not sku then
    return {'B'}
  end
  items[#items + 1] = {sku, quantity, ARGV[6] .. sku, ARGV[7] .. 'reserved:{' .. ARGV[6] .. sku .. '}'}
end
if #items == 0 then
  return {'B'}
end

for _, item in ipairs(items) do
  local reserved = level_of(redis.pcall('GET', item[4]))
  local stock = redis.pcall('GET', item[3])
  if not reserved or reserved < tonumber(item[2]) or (gives_back and stock and not level_of(stock)) then
    return {'C', item[1]}
  end
  item[5] = reserved
end

for _, item in ipairs(items) do
  -- Nothing held of a SKU leaves no key behind.
  if item[5] == tonumber(item[2]) then
    redis.call('DEL', item[4])
  else
    redis.call('DECRBY', item[4], item[2])
  end
  if gives_back then
    redis.call('INCRBY', item[3], item[2])
  end
end
redis.call('HSET', hold, 'state', target, 'endedAt', tostring(now))
redis.call('PEXPIRE', hold, ARGV[4])
return reply('D', target)
