-- Creates one part of a reservation (the SKUs of one hash slot), all or nothing: the same
-- decisions as CreationPlan.java, in one atomic step. Every key is read and every value checked
-- before the first write, because Redis does not roll a script back; a key of another type comes
-- back from pcall as a table, never as an error raised halfway.
--
-- KEYS[1]            the hold's hash
-- KEYS[2]            the idempotency record (the hold's key again when there is none)
-- KEYS[3..2+n]       the stock key of each item;  KEYS[3+n..2+2n]  its reserved units
-- ARGV[1]            'hold' (units to reserved), 'sell' (units taken for good: born confirmed),
--                    'check' (write nothing, tell the levels)
-- ARGV[2]            expiresAt (ms, Redis time);  ARGV[3]  retention of an ended hold (ms)
-- ARGV[4]            record TTL (ms);  ARGV[5]  '1': rewrite a record found, so that WAIT covers it
-- ARGV[6]            '1' if keyed;  ARGV[7]  the record a success writes, '#k' standing for what
--                    item k leaves available
-- ARGV[8]            n;  ARGV[9..8+n]  the SKUs;  ARGV[9+n..8+2n]  the quantities
-- ARGV[9+2n]         m;  then m field/value pairs the hash gets besides its own
-- Reply              {'T', avail...}  taken;  {'S', level or -1...}  refused (and every check);
--                    {'K', wrote, record} record found;  {'X'} record of another type;
--                    {'C', sku} stock or reserved not a level;  {'L'} late;  {'E'} hold exists

-- TIME is not deterministic: before Redis 7, a script that writes after reading it must ask for
-- its effects, not its text, to be replicated (from 7 on this is the only way, and a no-op).
redis.replicate_commands()

local function level_of(raw)
  if type(raw) ~= 'string' or not (raw == '0' or string.match(raw, '^[1-9]%d*$'))
      or #raw > 16 or (#raw == 16 and raw > '9007199254740992') then
    return nil
  end
  return tonumber(raw)
end

local hold, record = KEYS[1], KEYS[2]
local mode, expires_at = ARGV[1], tonumber(ARGV[2])
local n = tonumber(ARGV[8])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

if mode ~= 'check' then
  if redis.call('EXISTS', hold) == 1 then
    return {'E'}
  end
  if ARGV[6] == '1' then
    local raw = redis.pcall('GET', record)
    if type(raw) == 'table' then
      return {'X'}
    end
    if raw then
      if ARGV[5] == '1' then
        redis.call('SET', record, raw, 'XX', 'KEEPTTL')
        return {'K', 1, raw}
      end
      return {'K', 0, raw}
    end
  end
  if now >= expires_at then
    return {'L'}
  end
end

local levels, fits = {}, true
for i = 1, n do
  local sku, quantity = ARGV[8 + i], tonumber(ARGV[8 + n + i])
  local stock = redis.pcall('GET', KEYS[2 + i])
  local reserved = redis.pcall('GET', KEYS[2 + n + i])
  local level = level_of(stock)
  if (stock and not level) or (reserved and not level_of(reserved)) then
    return {'C', sku}
  end
  levels[i] = level
  if not level or quantity > level then
    fits = false
  end
end

if mode == 'check' or not fits then
  local reply = {'S'}
  for i = 1, n do
    reply[i + 1] = levels[i] or -1
  end
  return reply
end

local reply, items = {'T'}, {}
for i = 1, n do
  local quantity = ARGV[8 + n + i]
  redis.call('DECRBY', KEYS[2 + i], quantity)
  if mode == 'hold' then
    redis.call('INCRBY', KEYS[2 + n + i], quantity)
  end
  reply[i + 1] = levels[i] - tonumber(quantity)
  items[i] = ARGV[8 + i] .. ' ' .. quantity
end
local fields = {'state', (mode == 'hold') and 'held' or 'confirmed', 'expiresAt', ARGV[2],
  'items', table.concat(items, '|')}
local m = tonumber(ARGV[9 + 2 * n])
for k = 1, 2 * m do
  fields[#fields + 1] = ARGV[9 + 2 * n + k]
end
if mode == 'sell' then
  fields[#fields + 1] = 'endedAt'
  fields[#fields + 1] = tostring(now)
end
redis.call('HSET', hold, unpack(fields))
if mode == 'sell' then
  redis.call('PEXPIRE', hold, ARGV[3])
end
if ARGV[6] == '1' then
  local text = ARGV[7]
  for k = n, 1, -1 do
    text = string.gsub(text, '#' .. k, string.format('%.0f', reply[k + 1]))
  end
  redis.call('SET', record, text, 'PX', ARGV[4])
end
return reply
