package redisstore

// The scripts take KEYS = lock, state, was, handled, queue, waiters,
// transcript, old seen (see chatKeys).
//
// Handled message ids: the chat's handled hash maps each id committed
// within seenTTL to "<token>|<expiry>": the first 16 hex digits (64 bits)
// of the lease token that committed it and when it stops counting (unix
// ms, on the processes' clock, as the waiters' deadlines). One small hash
// a chat, rather than a key a message (136 B each, mostly the key's own
// overhead) or a sorted set beside a hash (two keys, two copies of each
// id): Redis keeps a hash of up to 128 short fields as one listpack, a few
// bytes over its fields' own. The expiry lives in the value because
// Redis (before 7.4) cannot expire a field: an id counts only until its
// expiry, whatever is still stored, and commitLua deletes the expired ones
// each time the hash reaches a multiple of seenSweep fields, so the hash
// of a chat active for days holds about what it handled within seenTTL,
// at the cost of one pass over it every seenSweep messages. The key
// itself expires seenTTL after the last id was marked, with all its ids.

// seenSweep is how many marks apart commitLua sweeps a chat's handled hash
// of expired ids: small enough that a quiet chat's hash stays a listpack
// (128 fields), large enough that the sweep, a pass over the hash, is
// rare.
const seenSweep = 32

// handledLua is shared by the scripts: handled(id, now) reports whether
// id was committed within seenTTL, by this version (the handled hash) or
// by the previous one (its own key, KEYS[8]).
const handledLua = `
local function expiry(v)
  local bar = string.find(v, '|', 1, true)
  return tonumber(bar and string.sub(v, bar + 1) or '') or 0
end
local function handled(id, now)
  local v = redis.call('HGET', KEYS[4], id)
  if v and expiry(v) > now then
    return true
  end
  return redis.call('EXISTS', KEYS[8]) == 1
end
`

// acquireLua: ARGV = token, lock ttl ms, handled field of the message id
// ("": none; see handledField), now ms, waiter ttl ms. Returns {status,
// state, expired}: status 0 acquired, 1 duplicate, 2 held. State "" means
// none (Commit never stores an empty state); expired is 1 when there is no
// state but the "was" marker says there used to be one. With status 2 the
// third value is 0 for the head of the queue (next to go: it asks again
// soon) and 1 for the others.
//
// Turns that find the chat busy wait in a queue, in the order they first
// asked, so two messages of one chat arriving at two processes are handled
// in arrival order. Each waiter's entry lives while it keeps asking (its
// deadline in the waiters hash); a waiter that died is dropped when it
// reaches the head of the queue.
//
// go-redis sends a command again when the connection drops before the
// reply (as in a failover), so the script may run twice for one call: a
// lock already holding the token was taken by the first run.
const acquireLua = handledLua + `
local now = tonumber(ARGV[4])
if ARGV[3] ~= '' and handled(ARGV[3], now) then
  redis.call('LREM', KEYS[5], 0, ARGV[1])
  redis.call('HDEL', KEYS[6], ARGV[1])
  return {1, '', 0}
end
local function take()
  local state = redis.call('GET', KEYS[2])
  if state then
    return {0, state, 0}
  end
  return {0, '', redis.call('EXISTS', KEYS[3])}
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('LREM', KEYS[5], 0, ARGV[1])
  redis.call('HDEL', KEYS[6], ARGV[1])
  return take()
end
-- Nobody waiting: take the lock if it is free, as before queues.
if redis.call('EXISTS', KEYS[5]) == 0 and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return take()
end
local ttl = tonumber(ARGV[5])
if redis.call('HEXISTS', KEYS[6], ARGV[1]) == 0 then
  redis.call('RPUSH', KEYS[5], ARGV[1])
end
redis.call('HSET', KEYS[6], ARGV[1], now + ttl)
redis.call('PEXPIRE', KEYS[5], 4 * ttl)
redis.call('PEXPIRE', KEYS[6], 4 * ttl)
while true do
  local head = redis.call('LINDEX', KEYS[5], 0)
  if not head then break end
  local deadline = tonumber(redis.call('HGET', KEYS[6], head) or '0')
  if deadline >= now then break end
  redis.call('LPOP', KEYS[5])
  redis.call('HDEL', KEYS[6], head)
end
if redis.call('LINDEX', KEYS[5], 0) ~= ARGV[1] then
  return {2, '', 1}
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {2, '', 0}
end
redis.call('LPOP', KEYS[5])
redis.call('HDEL', KEYS[6], ARGV[1])
return take()
`

// commitLua: ARGV = token, state, state ttl ms (0: none), marker ttl ms,
// seen ttl ms, handled field of the message id ("": none), now ms,
// seenSweep, transcript length, then the transcript lines to append.
// Returns 1 when committed, 0 when the lock is no longer this token's. The
// message id maps to (a prefix of) the token that committed it, so a run
// repeated by go-redis after a dropped reply knows that the first one
// committed (and appends no line twice); 64 bits of a random token are as
// good as all of it for telling two turns apart.
//
// The transcript is a list beside the state: a turn appends its lines and
// trims the list to its length instead of rewriting it, and the list lives
// as long as the state.
const commitLua = handledLua + `
local id = ARGV[6]
local mark = string.sub(ARGV[1], 1, 16) .. '|'
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if id ~= '' then
    local v = redis.call('HGET', KEYS[4], id)
    if v and string.sub(v, 1, #mark) == mark then
      return 1
    end
  end
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[7])
else
  if #ARGV > 9 then
    redis.call('RPUSH', KEYS[7], unpack(ARGV, 10))
    redis.call('LTRIM', KEYS[7], -tonumber(ARGV[9]), -1)
  end
  if ARGV[3] == '0' then
    redis.call('SET', KEYS[2], ARGV[2])
    redis.call('PERSIST', KEYS[7])
  else
    redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
    redis.call('PEXPIRE', KEYS[7], ARGV[3])
  end
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[4])
end
if id ~= '' then
  local now = tonumber(ARGV[7])
  redis.call('HSET', KEYS[4], id, mark .. string.format('%d', now + tonumber(ARGV[5])))
  redis.call('PEXPIRE', KEYS[4], ARGV[5])
  if redis.call('HLEN', KEYS[4]) % tonumber(ARGV[8]) == 0 then
    local all = redis.call('HGETALL', KEYS[4])
    for i = 1, #all, 2 do
      if expiry(all[i + 1]) <= now then
        redis.call('HDEL', KEYS[4], all[i])
      end
    end
  end
end
redis.call('DEL', KEYS[1])
return 1
`

// leaveLua: ARGV = token. Takes a waiter that gives up out of the queue.
const leaveLua = `
redis.call('LREM', KEYS[5], 0, ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
return 1
`

// releaseLua: ARGV = token. Deletes the lock only if it is still this
// token's, so a turn that outlived its lock cannot free another's.
const releaseLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`
