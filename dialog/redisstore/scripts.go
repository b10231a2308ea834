package redisstore

// The scripts take KEYS = lock, state, was, seen (see chatKeys).

// acquireLua: ARGV = token, lock ttl ms, "1" to check the message id.
// Returns {status, state, expired}: status 0 acquired, 1 duplicate, 2 held.
// State "" means none (Commit never stores an empty state); expired is 1
// when there is no state but the "was" marker says there used to be one.
const acquireLua = `
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then
  return {1, '', 0}
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {2, '', 0}
end
local state = redis.call('GET', KEYS[2])
if state then
  return {0, state, 0}
end
return {0, '', redis.call('EXISTS', KEYS[3])}
`

// commitLua: ARGV = token, state, state ttl ms (0: none), marker ttl ms,
// seen ttl ms, "1" to mark the message id. Returns 1 when committed, 0
// when the lock is no longer this token's.
const commitLua = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2], KEYS[3])
elseif ARGV[3] == '0' then
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[4])
else
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[4])
end
if ARGV[6] == '1' then
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[5])
end
redis.call('DEL', KEYS[1])
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
