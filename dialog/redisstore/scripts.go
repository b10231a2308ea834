package redisstore

// The scripts take KEYS = lock, state, was, handled, queue, waiters,
// transcript, old seen, replies (see chatKeys).
//
// The handled hash is the chat's record of what outlives its state: the
// message ids it handled, the marker that it had a state, and the chat's
// counts (the field "-n", see counts.go).
//
// Handled message ids: the hash maps each id committed within seenTTL to
// "<mark><expiry>", all digits: the lease's mark (8 digits, see
// leaseMark) and when the id stops counting, in unix seconds on the
// processes' clock, rounded up. The guarantee:
// a message whose turn committed is dropped as a duplicate when it comes
// again within seenTTL (24h by default) of that commit, however many
// messages the chat handled meanwhile; the platforms redeliver within
// minutes or hours. After seenTTL it may be handled again.
//
// Why this shape: one small hash a chat, rather than a key a message (136
// B each, mostly the key's own overhead) or a sorted set beside a hash
// (two keys, two copies of each id). Redis keeps a hash of short fields as
// one listpack, a few bytes over its fields' own, and stores a value that
// reads as an integer in 9 bytes: the previous "<16 hex digits of the
// token>|<expiry in ms>" took 32. The mark tells a commit repeated by
// go-redis (after a dropped reply) from another turn's commit of the same
// id; 8 digits do, as two turns committing one id are already a lost
// lock. The expiry lives in the value because Redis (before 7.4) cannot
// expire a field: an id counts only until its expiry, whatever is still
// stored, and commitLua deletes the expired fields each time the hash
// reaches a multiple of seenSweep fields, so the hash of a chat active for
// days holds about what it handled within seenTTL, at the cost of one pass
// over it every seenSweep messages. Values the previous version wrote
// ("<token>|<ms>") are still read, during a rolling upgrade; the previous
// version does not read these.
//
// The marker: the field "" (no message id has it: handledField("") is the
// "no id" of the scripts) holds until when, in unix seconds, the chat is
// known to have had a state: markerTTL past the state's own expiry, so the
// chat's next message within that time learns that its state idled out.
// It was a key of its own ("was", about 100 B of Redis memory for one
// byte); the previous version's such keys are still read, and deleted at
// the chat's next commit. KEYS[3] and those two uses can go once no
// process of a version before this one has run for a week and a day (the
// longest a state lives, queueTTL in dialog, plus markerTTL).
//
// The hash itself expires when the last of its fields does: seenTTL after
// the last id was marked, or when the marker ends if later.

// seenSweep is how many marks apart commitLua sweeps a chat's handled hash
// of expired ids: small enough that a quiet chat's hash stays a listpack
// (128 fields), large enough that the sweep, a pass over the hash, is
// rare.
const seenSweep = 32

// handledLua is shared by the scripts: handled(id, now) reports whether
// id was committed within seenTTL, by this version (the handled hash) or
// by the previous one (its own key, KEYS[8]); ending(field, value) is when
// a field of the handled hash stops counting, in unix ms.
const handledLua = `
local function ending(field, v)
  if field == '' then
    return (tonumber(v) or 0) * 1000
  end

  local bar = string.find(v, '|', 1, true)
  if bar then
    return tonumber(string.sub(v, bar + 1)) or 0
  end
  return (tonumber(string.sub(v, 9)) or 0) * 1000
end
local function handled(id, now)
  local v = redis.call('HGET', KEYS[4], id)
  if v and ending(id, v) > now then
    return true
  end
  return redis.call('EXISTS', KEYS[8]) == 1
end
local function seconds(ms)
  return string.format('%d', math.floor((ms + 999) / 1000))
end
`

// acquireLua: ARGV = token, lock ttl ms, handled field of the message id
// ("": none; see handledField), now ms (the process's clock, for the
// handled ids and the marker), waiter ttl ms, the previous
// version's field of the id ("": the same; see oldHandledField), then the
// limits (statestore.NewCounter): the most new chats KEYS[10] allows ("":
// none) and its window in ms, the most uses KEYS[11] allows when the chat
// is armed ("": none) and its window in ms. Returns {status, state,
// expired, counts}: status 0 acquired, 1 duplicate, 2 held. State ""
// means none (Commit never stores an empty state); expired is 1 when
// there is no state but the marker says there used to be one; counts is
// the chat's counts field ("" when none; see counts.go), only when
// acquired. With status 2 the third value is 0 for the head of the queue
// (next to go: it asks again soon) and 1 for the others.
//
// With limits, an acquired chat's reply has four more values: the new
// chats' count and the ms left in its window, then the armed limit's,
// each -1 when not counted. A chat taken new (no state, none idled out)
// counts one use of KEYS[10], as limitLua does; beyond the limit the lock
// is given back at once: nothing of the chat is kept. A chat with its
// state whose last commit armed it (the field "-a" of the handled hash)
// counts one use of KEYS[11]: a reservation that commitLua gives back
// when the turn does not spend it. The limits' keys are in other slots
// than the chat's, so Cluster cannot run this (the caller counts the
// limits itself there); one Redis and a Sentinel's primary can, in the
// round trip that takes the lock.
//
// Turns that find the chat busy wait in a queue, in the order they first
// asked, so two messages of one chat arriving at two processes are handled
// in arrival order. Each waiter's entry lives while it keeps asking (its
// deadline in the waiters hash); a waiter that died is dropped when it
// reaches the head of the queue. The deadlines are Redis' time (TIME), not
// the processes': a process whose clock ran ahead of the others' took
// their waiters for dead and dropped them, and they went in again behind
// its own.
//
// go-redis sends a command again when the connection drops before the
// reply (as in a failover), so the script may run twice for one call: a
// lock already holding the token was taken by the first run.
const acquireLua = handledLua + `
local now = tonumber(ARGV[4])
if (ARGV[3] ~= '' and handled(ARGV[3], now)) or (ARGV[6] ~= '' and handled(ARGV[6], now)) then
  redis.call('LREM', KEYS[5], 0, ARGV[1])
  redis.call('HDEL', KEYS[6], ARGV[1])
  local kept = redis.call('GET', KEYS[9])
  if kept and ARGV[3] ~= '' then
    local p = string.format('%d:', #ARGV[3]) .. ARGV[3]
    if string.sub(kept, 1, #p) == p then
      return {1, string.sub(kept, #p + 1), 0}
    end
  end
  return {1, '', 0}
end
-- count counts one use of key within window ms, as limitLua does; again
-- (a run repeated by go-redis that finds the lock its own: the first run
-- counted) only reads the count.
local function count(key, window, again)
  if again then
    return tonumber(redis.call('GET', key) or '0'), math.max(redis.call('PTTL', key), 0)
  end
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if n == 1 or ttl < 0 then
    redis.call('PEXPIRE', key, window)
    ttl = tonumber(window)
  end
  return n, ttl
end
-- Without limits the arguments stop at ARGV[6].
local newMax, armedMax = ARGV[7] or '', ARGV[9] or ''
local function limited(r, new, armed, again)
  if newMax == '' and armedMax == '' then
    return r
  end
  local nn, nt, an, at = -1, -1, -1, -1
  if new and newMax ~= '' and again then
    -- The first run allowed it: a refusal gives the lock back.
    nn, nt = 0, 0
  elseif new and newMax ~= '' then
    nn, nt = count(KEYS[10], ARGV[8], false)
    if nn > tonumber(newMax) then
      redis.call('DEL', KEYS[1])
    end
  end
  if armed and armedMax ~= '' and redis.call('HEXISTS', KEYS[4], '-a') == 1 then
    an, at = count(KEYS[11], ARGV[10], again)
  end
  return {r[1], r[2], r[3], r[4], nn, nt, an, at}
end
local function take(again)
  local counts = redis.call('HGET', KEYS[4], '-n') or ''
  local state = redis.call('GET', KEYS[2])
  if state then
    return limited({0, state, 0, counts}, false, true, again)
  end
  local was = redis.call('HGET', KEYS[4], '')
  if (was and ending('', was) > now) or redis.call('EXISTS', KEYS[3]) == 1 then
    return limited({0, '', 1, counts}, false, false, again)
  end
  return limited({0, '', 0, counts}, true, false, again)
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('LREM', KEYS[5], 0, ARGV[1])
  redis.call('HDEL', KEYS[6], ARGV[1])
  return take(true)
end
-- Nobody waiting: take the lock if it is free, as before queues.
if redis.call('EXISTS', KEYS[5]) == 0 and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return take(false)
end
local ttl = tonumber(ARGV[5])
local clock = redis.call('TIME')
local rnow = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if redis.call('HEXISTS', KEYS[6], ARGV[1]) == 0 then
  redis.call('RPUSH', KEYS[5], ARGV[1])
end
redis.call('HSET', KEYS[6], ARGV[1], rnow + ttl)
redis.call('PEXPIRE', KEYS[5], 4 * ttl)
redis.call('PEXPIRE', KEYS[6], 4 * ttl)
while true do
  local head = redis.call('LINDEX', KEYS[5], 0)
  if not head then break end
  local deadline = tonumber(redis.call('HGET', KEYS[6], head) or '0')
  if deadline >= rnow then break end
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
return take(false)
`

// commitLua: ARGV = token, state, state ttl ms (0: none), marker ttl ms,
// seen ttl ms, handled field of the message id ("": none), now ms,
// seenSweep, transcript length, the lease's mark, the counts field's value
// ("": none) and how long it must be kept in ms, the replies key's value
// ("": keep none; see replyValue) and its ttl in ms, "1" to arm the chat
// (statestore.Lease.Arm; the field "-a" of the handled hash, read by
// acquireLua), "1" to give back a use of KEYS[10] that acquireLua reserved
// and the turn did not spend, then the transcript lines to append. Returns 1 when committed, 0 when the lock is no longer
// this token's. The message id maps to the mark of the lease that
// committed it, so a run repeated by go-redis after a dropped reply knows
// that the first one committed (and appends no line twice).
//
// The transcript is a list beside the state: a turn appends its lines and
// trims the list to its length instead of rewriting it, and the list lives
// as long as the state.
const commitLua = handledLua + `
local id = ARGV[6]
local now = tonumber(ARGV[7])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if id ~= '' then
    local v = redis.call('HGET', KEYS[4], id)
    if v and string.sub(v, 1, 8) == ARGV[10] then
      return 1
    end
  end
  return 0
end
local live = 0
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[7])
  redis.call('HDEL', KEYS[4], '', '-a')
else
  if #ARGV > 16 then
    redis.call('RPUSH', KEYS[7], unpack(ARGV, 17))
    redis.call('LTRIM', KEYS[7], -tonumber(ARGV[9]), -1)
  end
  if ARGV[3] == '0' then
    redis.call('SET', KEYS[2], ARGV[2])
    redis.call('PERSIST', KEYS[7])
  else
    redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
    redis.call('PEXPIRE', KEYS[7], ARGV[3])
  end
  live = tonumber(ARGV[4])
  redis.call('HSET', KEYS[4], '', seconds(now + live))
  redis.call('DEL', KEYS[3])
  if ARGV[15] == '1' then
    redis.call('HSET', KEYS[4], '-a', '1')
  else
    redis.call('HDEL', KEYS[4], '-a')
  end
end
-- A reservation not spent is given back, unless the counter is gone (its
-- window ended meanwhile; one started anew since, in the few ms of a
-- turn, loses a use).
if ARGV[16] == '1' and tonumber(redis.call('GET', KEYS[10]) or '0') > 0 then
  redis.call('DECR', KEYS[10])
end
-- The counts are rewritten whole at every commit (one field, a few bytes)
-- and outlive the state, as the handled ids do.
local keep = math.max(live, tonumber(ARGV[12]))
if ARGV[11] ~= '' then
  redis.call('HSET', KEYS[4], '-n', ARGV[11])
else
  redis.call('HDEL', KEYS[4], '-n')
end
if id ~= '' then
  local seen = tonumber(ARGV[5])
  redis.call('HSET', KEYS[4], id, ARGV[10] .. seconds(now + seen))
  -- Every field ends within the longest of the TTLs from now.
  redis.call('PEXPIRE', KEYS[4], string.format('%d', math.max(keep, seen)))
  if redis.call('HLEN', KEYS[4]) % tonumber(ARGV[8]) == 0 then
    local all = redis.call('HGETALL', KEYS[4])
    for i = 1, #all, 2 do
      -- The counts are the engine's to end (it commits only live ones):
      -- the hash lives at least as long as they do. The arming lives
      -- with the state, and is rewritten at every commit.
      if all[i] ~= '-n' and all[i] ~= '-a' and ending(all[i], all[i + 1]) <= now then
        redis.call('HDEL', KEYS[4], all[i])
      end
    end
  end
elseif keep > 0 and redis.call('PTTL', KEYS[4]) < keep then
  -- Without an id, the ids already marked may need longer than the marker
  -- and the counts.
  redis.call('PEXPIRE', KEYS[4], string.format('%d', keep))
end
-- The replies kept are the last message's: a commit without any forgets
-- the previous ones, which a retry of an older id must not get.
if id ~= '' and ARGV[13] ~= '' then
  redis.call('SET', KEYS[9], ARGV[13], 'PX', ARGV[14])
else
  redis.call('DEL', KEYS[9])
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
