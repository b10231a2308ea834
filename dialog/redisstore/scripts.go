package redisstore

// The scripts take KEYS = lock, state, was, seen, queue, waiters,
// transcript (see chatKeys).

// acquireLua: ARGV = token, lock ttl ms, "1" to check the message id, now
// ms, waiter ttl ms. Returns {status, state, expired}: status 0 acquired,
// 1 duplicate, 2 held. State "" means none (Commit never stores an empty
// state); expired is 1 when there is no state but the "was" marker says
// there used to be one. With status 2 the third value is 0 for the head
// of the queue (next to go: it asks again soon) and 1 for the others.
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
const acquireLua = `
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then
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
local now = tonumber(ARGV[4])
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
// seen ttl ms, "1" to mark the message id, transcript length, then the
// transcript lines to append. Returns 1 when committed, 0 when the lock is
// no longer this token's. The message id's key holds the token, so a run
// repeated by go-redis after a dropped reply knows that the first one
// committed (and appends no line twice).
//
// The transcript is a list beside the state: a turn appends its lines and
// trims the list to its length instead of rewriting it, and the list lives
// as long as the state.
const commitLua = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if ARGV[6] == '1' and redis.call('GET', KEYS[4]) == ARGV[1] then
    return 1
  end
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[7])
else
  if #ARGV > 7 then
    redis.call('RPUSH', KEYS[7], unpack(ARGV, 8))
    redis.call('LTRIM', KEYS[7], -tonumber(ARGV[7]), -1)
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
if ARGV[6] == '1' then
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[5])
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
