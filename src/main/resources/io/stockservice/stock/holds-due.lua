-- Writes to the list of reservations due to expire, one shard (a sorted set scored by expiresAt),
-- on the clock of the Redis that keeps it. (Reading what is due takes no script: see HoldsDue.)
--
-- KEYS[1]  the shard
-- ARGV[1]  'add': ARGV[2] a TTL (ms), ARGV[3] the entry; scores it now + TTL.
--                 Reply {expiresAt}
--          'remove': ARGV[2..] the entries.  Reply {removed}

-- TIME is not deterministic: before Redis 7, a script that writes after reading it must ask for
-- its effects, not its text, to be replicated (from 7 on this is the only way, and a no-op).
redis.replicate_commands()

if ARGV[1] == 'add' then
  local clock = redis.call('TIME')
  local at = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) + tonumber(ARGV[2])
  redis.call('ZADD', KEYS[1], at, ARGV[3])
  return {at}
end
local entries = {}
for i = 2, #ARGV do
  entries[#entries + 1] = ARGV[i]
end
return {redis.call('ZREM', KEYS[1], unpack(entries))}
