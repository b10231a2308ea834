package relay

import "github.com/redis/go-redis/v9"

// Every script gets the same KEYS, all of one channel's hash slot
// ({outbox:<channel>}), so each runs atomically on Redis Cluster too:
//
//	KEYS[1] q       the chat's queued messages (list of "key\n<envelope>")
//	KEYS[2] meta    the chat's delivery state (hash)
//	KEYS[3] st      the chat's statuses: key → status; "p:<id>" → key;
//	                "e:<key>" → a sent message kept for a late failure
//	KEYS[4] due     the channel's chats with messages, by next try (zset)
//	KEYS[5] lock    the chat's drain lock
//	KEYS[6] dead    the channel's dead letters, by time (zset of chat\nkey)
//	KEYS[7] deadmsg the dead letters themselves (hash)
//	KEYS[8] early   statuses that overtook their send: platform id →
//	                status, kept until the send is recorded; "k:<key>" →
//	                status of a turn's reply not yet put (hash, short TTL)
//	KEYS[9] qtext   the current question as numbered text, for a platform
//	                that reports later it could not show it (string,
//	                qtextTTL: an identity question's options are no
//	                longer kept than that)
//	KEYS[10] kept   a turn's replies the platform took, key → item, for a
//	                late failure to send one again (hash, bot.KeptReplies)
//	KEYS[11] back   what a stop kept for the person's return, in order
//	                (list): "d:<key>", a dead letter the stop made;
//	                "i:<item>", a message put while the chat was stopped
//	KEYS[12] stuck  the channel's chats whose closed window's template
//	                failed for good or is not configured, by when (zset): their held messages
//	                are listed with the dead letters (see stuckScript)
//
// Statuses are JSON with "at" as a string of Unix milliseconds, which Lua
// can write without number formatting.

// setStatus writes a status without going back: queued, retrying and held
// come first, then sent, delivered, read; failed goes over anything but
// read. force (a dead letter sent again) overrides.
const setStatus = `
local function rank(s)
  if s == 'sent' then return 1 elseif s == 'delivered' then return 2
  elseif s == 'read' then return 3 elseif s == 'failed' then return 4 end
  return 0
end
local function setin(hash, field, json, force)
  local cur = redis.call('HGET', hash, field)
  if cur and not force then
    local c, n = cjson.decode(cur).state, cjson.decode(json).state
    if n == 'failed' then
      if c == 'read' then return 0 end
    elseif rank(n) < rank(c) or (c == 'failed' and rank(n) < 4) then
      return 0
    end
  end
  redis.call('HSET', hash, field, json)
  return 1
end
local function setstatus(key, json, force) return setin(KEYS[3], key, json, force) end
-- early takes the status parked for platform id, if any.
local function early(id)
  if id == '' then return nil end
  local st = redis.call('HGET', KEYS[8], id)
  if st then redis.call('HDEL', KEYS[8], id) end
  return st
end
local function windowfailure(json)
  local st = cjson.decode(json)
  return st.state == 'failed' and st.code == '131047'
end
local function keyof(item) return string.match(item, '^([^\n]*)\n') end
local function failed(reason, code, now)
  return '{"state":"failed","reason":' .. cjson.encode(reason) .. ',"code":' .. cjson.encode(code) .. ',"at":"' .. now .. '"}'
end
local function bury(chat, item, reason, code, tries, now)
  local key = keyof(item)
  setstatus(key, failed(reason, code, now), false)
  redis.call('ZADD', KEYS[6], now, chat .. '\n' .. key)
  redis.call('HSET', KEYS[7], chat .. '\n' .. key, cjson.encode({chat = chat, item = item, reason = reason, code = code, tries = tries, at = now}))
  local n = redis.call('ZCARD', KEYS[6])
  if n > 10000 then -- the oldest dead letters go: the list is for people to read
    for _, m in ipairs(redis.call('ZRANGE', KEYS[6], 0, n - 10001)) do redis.call('HDEL', KEYS[7], m) end
    redis.call('ZREMRANGEBYRANK', KEYS[6], 0, n - 10001)
  end
end
-- kindof is a key's kind, as bot.KindOf reads it, of the message itself
-- for one sent again ("resend:agent:…" is an agent's).
local function kindof(key)
  return string.match((string.gsub(key, '^resend:', '')), '^([^:]*):') or 'other'
end
local function lapses(lapsing, key) return string.find(lapsing, ' ' .. kindof(key) .. ' ', 1, true) ~= nil end
-- keepforback remembers, for the person's return, a dead letter a stop
-- made ("d:<key>"); one buried again (an agent sent it by hand while the
-- person still blocked the bot) keeps its place.
local function keepforback(key, ttl)
  local entry = 'd:' .. key
  if not redis.call('LPOS', KEYS[11], entry) then redis.call('RPUSH', KEYS[11], entry) end
  redis.call('PEXPIRE', KEYS[11], ttl)
end
-- stashforback keeps, for the person's return, a message put while the
-- chat was stopped ("i:<item>"): it failed without a try, and is no dead
-- letter (a chat Telegram does not know would fill the desk's list).
local function stashforback(item, ttl)
  redis.call('RPUSH', KEYS[11], 'i:' .. item)
  redis.call('PEXPIRE', KEYS[11], ttl)
end
-- comeback queues again, in order, what a stop kept for the person's
-- return (see keepforback, stashforback), but for a dead letter no longer
-- one (an agent sent it again by hand, or discarded it) and for a kind
-- that no longer holds (lapsing: " kind kind … "), which stays as it was
-- on the desk. Returns how many were queued.
local function comeback(chat, lapsing, queued, now)
  local n = 0
  for _, entry in ipairs(redis.call('LRANGE', KEYS[11], 0, -1)) do
    local what, rest = string.sub(entry, 1, 2), string.sub(entry, 3)
    local item
    if what == 'd:' then
      local member = chat .. '\n' .. rest
      local rec = redis.call('HGET', KEYS[7], member)
      if rec and not lapses(lapsing, rest) then
        item = cjson.decode(rec).item
        redis.call('HDEL', KEYS[7], member)
        redis.call('ZREM', KEYS[6], member)
      end
    elseif what == 'i:' and not lapses(lapsing, keyof(rest) or '') then
      item = rest
    end
    if item then
      redis.call('RPUSH', KEYS[1], item)
      setstatus(keyof(item), queued, true)
      n = n + 1
    end
  end
  redis.call('DEL', KEYS[11])
  if n > 0 then redis.call('ZADD', KEYS[4], now, chat) end
  return n
end
-- heldin is the queued item of key, held in chat while it is stuck
-- (KEYS[12]), or nil.
local function heldin(chat, key)
  if not redis.call('ZSCORE', KEYS[12], chat) then return nil end
  local cur = redis.call('HGET', KEYS[3], key)
  if not cur or cjson.decode(cur).state ~= 'held' then return nil end
  for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
    if keyof(item) == key then return item end
  end
  return nil
end
local function reschedule(chat, now)
  if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[4], chat)
  else redis.call('ZADD', KEYS[4], now, chat) end
end
local function touch(ttl)
  for i = 1, 3 do if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ttl) end end
end
`

// withdraw takes the chat's waiting messages of kind off its queue, and
// forgets their statuses: they no longer hold. Returns how many.
const withdraw = `
local function withdraw(kind)
  local n = 0
  for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
    local key = keyof(item)
    if string.match(key, '^([^:]*):') == kind then
      redis.call('LREM', KEYS[1], 1, item)
      redis.call('HDEL', KEYS[3], key)
      n = n + 1
    end
  end
  return n
end
`

// putScript stores a delivery: envelopes whose key was seen are skipped;
// to a stopped chat they fail at once, kept for the person's return when
// their kind still holds then (see comeback); while the window is closed
// they wait as held. The chat's waiting messages of the kind the delivery
// supersedes go first (see bot.Superseding). ARGV: chat, now, ttl, n, then
// n × (key, item, queued status, held status), then the kind superseded
// ("" for none), then the lapsing kinds. Returns each envelope's fate.
var putScript = redis.NewScript(setStatus + withdraw + `
local chat, now, ttl, n = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local lapsing = ARGV[6 + 4*n] or ''
if (ARGV[5 + 4*n] or '') ~= '' then withdraw(ARGV[5 + 4*n]) end
local stopped = redis.call('HGET', KEYS[2], 'stopped')
local held = redis.call('HEXISTS', KEYS[2], 'window') == 1
local out, pushed = {}, 0
for i = 0, n - 1 do
  local key, item, queued, heldst = ARGV[5 + 4*i], ARGV[6 + 4*i], ARGV[7 + 4*i], ARGV[8 + 4*i]
  local parked = redis.call('HGET', KEYS[8], 'k:' .. key)
  if parked then redis.call('HDEL', KEYS[8], 'k:' .. key) end
  if redis.call('HEXISTS', KEYS[3], key) == 1 then
    table.insert(out, 'dup')
  elseif stopped then
    setstatus(key, failed(stopped, 'stopped', now), false)
    if not lapses(lapsing, key) then stashforback(item, ttl) end
    table.insert(out, 'stopped')
  elseif held then
    setstatus(key, heldst, false)
    redis.call('RPUSH', KEYS[1], item)
    table.insert(out, 'held')
  else
    setstatus(key, queued, false)
    if parked then setstatus(key, parked, false) end
    redis.call('RPUSH', KEYS[1], item)
    pushed = pushed + 1
    table.insert(out, 'queued')
  end
end
if pushed > 0 then redis.call('ZADD', KEYS[4], 'NX', now, chat) end
touch(ttl)
return out`)

// peekScript refreshes the caller's lock and returns the chat's first
// message, its state and the message's status; with no message left the
// chat leaves the due set. ARGV: token, lock ttl, chat.
var peekScript = redis.NewScript(`
if redis.call('GET', KEYS[5]) ~= ARGV[1] then return false end
redis.call('PEXPIRE', KEYS[5], ARGV[2])
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then
  redis.call('ZREM', KEYS[4], ARGV[3])
  return {'', {}, ''}
end
local key = string.match(head, '^([^\n]*)\n')
return {head, redis.call('HGETALL', KEYS[2]), redis.call('HGET', KEYS[3], key) or ''}`)

// tryScript counts a try of the first message, while the caller holds the
// lock and it is still first. ARGV: token, item. Returns the try's number,
// or 0.
var tryScript = redis.NewScript(`
if redis.call('GET', KEYS[5]) ~= ARGV[1] then return 0 end
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[2] then return 0 end
return redis.call('HINCRBY', KEYS[2], 'tries', 1)`)

// sentScript records a message the platform took, and takes it off the
// queue; a status that overtook the send is applied now. When that status
// is the late failure for the closed window, the message stays first,
// held, and the window is closed. ARGV: item, key, status, platform id,
// keep ("1" keeps the message for a late failure), chat, now, ttl, held
// status. Returns 1, 2 when the message was held, or the status when it
// is another failure that came first, for the caller to act on as on a
// late failure.
var sentScript = redis.NewScript(setStatus + `
local item, key, chat, now = ARGV[1], ARGV[2], ARGV[6], ARGV[7]
local first = redis.call('LINDEX', KEYS[1], 0) == item
local st = early(ARGV[4])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], 'p:' .. ARGV[4], key) end
if st and first and ARGV[5] == '1' and windowfailure(st) then
  redis.call('HSETNX', KEYS[2], 'window', now)
  setstatus(key, ARGV[9], true)
  redis.call('HDEL', KEYS[2], 'tries', 'next', 'unsure', 'failing')
  redis.call('ZADD', KEYS[4], now, chat)
  touch(ARGV[8])
  return 2
end
if first then redis.call('LPOP', KEYS[1]) end
setstatus(key, ARGV[3], false)
if st then setstatus(key, st, false) end
if ARGV[5] == '1' then redis.call('HSET', KEYS[3], 'e:' .. key, item) end
redis.call('HDEL', KEYS[2], 'tries', 'next', 'unsure', 'failing')
reschedule(chat, now)
touch(ARGV[8])
if st and cjson.decode(st).state == 'failed' then return st end
return 1`)

// retryScript puts off the first message until next; 'failing' keeps
// when its first failed try was. ARGV: item, key, status, next, unsure
// ("" or when the unanswered try was made), chat, now.
var retryScript = redis.NewScript(setStatus + `
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'next', ARGV[4])
redis.call('HSETNX', KEYS[2], 'failing', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[2], 'unsure', ARGV[5]) end
setstatus(ARGV[2], ARGV[3], false)
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[6])
return 1`)

// buryScript moves the first message to the dead letters. ARGV: item,
// reason, code, tries, chat, now.
var buryScript = redis.NewScript(setStatus + `
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
bury(ARGV[5], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6])
redis.call('HDEL', KEYS[2], 'tries', 'next', 'unsure', 'failing')
reschedule(ARGV[5], ARGV[6])
return 1`)

// stopScript stops writing to a chat whose person blocked the bot: every
// queued message becomes a dead letter, kept for the person's return.
// ARGV: reason, code, chat, now, ttl.
var stopScript = redis.NewScript(setStatus + `
local reason, code, chat, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
redis.call('HSET', KEYS[2], 'stopped', reason, 'stopped_at', now)
touch(ARGV[5])
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do
  bury(chat, item, reason, code, '1', now)
  keepforback(keyof(item), ARGV[5])
end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], 'tries', 'next', 'unsure', 'failing')
redis.call('ZREM', KEYS[4], chat)
redis.call('ZREM', KEYS[12], chat)
return #items`)

// unstopScript ends a chat's stop: the person unblocked the bot; what the
// stop kept and still holds is queued again (see comeback).
// ARGV: chat, now, queued status, lapsing kinds. Returns 1 when it was
// stopped, and how many were queued again.
var unstopScript = redis.NewScript(setStatus + `
local was = redis.call('HDEL', KEYS[2], 'stopped', 'stopped_at')
return {was, comeback(ARGV[1], ARGV[4], ARGV[3], ARGV[2])}`)

// holdScript marks the chat's window closed: its messages wait, held,
// until the person writes, and are kept from now (the relay makes them
// dead letters before they would expire). ARGV: chat, now, held status,
// ttl. Returns the key of the template already tried for this closing,
// or "".
var holdScript = redis.NewScript(setStatus + `
redis.call('HSETNX', KEYS[2], 'window', ARGV[2])
touch(ARGV[4])
for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do setstatus(keyof(item), ARGV[3], false) end
redis.call('HDEL', KEYS[2], 'tries', 'next', 'unsure', 'failing')
redis.call('ZREM', KEYS[4], ARGV[1])
return redis.call('HGET', KEYS[2], 'tpl') or ''`)

// stuck is stuckif, for the scripts that record a template's failure.
const stuck = `
-- stuckif lists the chat's held messages (KEYS[12]) when key, its closed
-- window's template, failed for good, or none is configured (its status
-- failed "no_template"): either way nothing asks the person to write.
local function stuckif(key, chat)
  if redis.call('HGET', KEYS[2], 'tpl') ~= key or redis.call('HEXISTS', KEYS[2], 'window') == 0 then return end
  local cur = redis.call('HGET', KEYS[3], key)
  if not cur then return end
  local st = cjson.decode(cur)
  if st.state == 'failed' then redis.call('ZADD', KEYS[12], 'NX', st.at, chat) end
end
`

// templateScript records a try of the template; 'tplfailing' keeps when
// its first failed try was. ARGV: key, status, platform id, name, next
// ("" when no retry), chat, tries, failing ("" or now). A template that
// failed with no retry to come makes the chat stuck (see stuckif).
var templateScript = redis.NewScript(setStatus + stuck + `
if redis.call('HEXISTS', KEYS[2], 'window') == 0 then return 0 end
redis.call('HSET', KEYS[2], 'tpl', ARGV[1], 'tplname', ARGV[4], 'tpltries', ARGV[7])
if ARGV[8] ~= '' then redis.call('HSETNX', KEYS[2], 'tplfailing', ARGV[8]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[2], 'tplnext', ARGV[5]) else redis.call('HDEL', KEYS[2], 'tplnext') end
setstatus(ARGV[1], ARGV[2], false)
if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], 'p:' .. ARGV[3], ARGV[1]) end
local st = early(ARGV[3])
if st then setstatus(ARGV[1], st, false) end
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[4], ARGV[5], ARGV[6])
else stuckif(ARGV[1], ARGV[6]) end
return 1`)

// arrive is arriveScript's body, for the scripts that tell an arrival.
const arrive = `
local function arrive()
  if ARGV[6] ~= '' then
    local at, seen = tonumber(ARGV[6]), tonumber(redis.call('HGET', KEYS[2], 'seen') or '0')
    local ids = redis.call('HGET', KEYS[2], 'ids') or ''
    if at < seen then return -1 end
    if at == seen then
      if string.find('\n' .. ids .. '\n', '\n' .. ARGV[7] .. '\n', 1, true) then return -1 end
      redis.call('HSET', KEYS[2], 'ids', ids .. '\n' .. ARGV[7])
    else
      redis.call('HSET', KEYS[2], 'seen', ARGV[6], 'ids', ARGV[7])
    end
    redis.call('PEXPIRE', KEYS[2], ARGV[3])
  elseif ARGV[4] == '1' then
    redis.call('HSET', KEYS[2], 'seen', ARGV[2])
    redis.call('PEXPIRE', KEYS[2], ARGV[3])
  end
  local wasHeld = redis.call('HEXISTS', KEYS[2], 'window') == 1
  redis.call('ZREM', KEYS[12], ARGV[1])
  redis.call('HDEL', KEYS[2], 'stopped', 'stopped_at', 'window', 'tpl', 'tplname', 'tpltries', 'tplfailing', 'tplnext', 'question')
  redis.call('DEL', KEYS[9])
  comeback(ARGV[1], ARGV[8], ARGV[5], ARGV[2])
  local items = redis.call('LRANGE', KEYS[1], 0, -1)
  if #items == 0 then return 0 end
  if wasHeld then
    for _, item in ipairs(items) do
      local key = keyof(item)
      local cur = redis.call('HGET', KEYS[3], key)
      if cur and cjson.decode(cur).state == 'held' then redis.call('HSET', KEYS[3], key, ARGV[5]) end
    end
  end
  -- A send that got no answer waits for the platform's word (or its time)
  -- still: trying it now could double it.
  if redis.call('HEXISTS', KEYS[2], 'unsure') == 0 then redis.call('HDEL', KEYS[2], 'next') end
  redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
  return #items
end
`

// arriveScript is a person's message: the window reopens, a stop ends
// (what it kept and still holds is queued again, see comeback), the current question is forgotten, and what waited is due
// now, but for a send that got no answer, which still waits for the
// platform's word. ARGV: chat, now, ttl, track ("1" records the time for
// the window), queued status, the message's time ("" when the platform
// gives none), its id, the lapsing kinds.
// Returns how many messages wait, or -1 for a message told before: with
// its time, 'seen' is the latest message's and 'ids' those of that
// instant, so a redelivery (to any replica, days later) is known without
// keeping every id.
var arriveScript = redis.NewScript(setStatus + arrive + `
return arrive()`)

// receiptScript records a platform's receipt. A late failure for the
// closed window puts the kept message back first in the queue; a chat
// waiting to hear whether a doubtful send went out becomes due now.
//
// A status can overtake its send: Meta may post it before the send's
// answer is back and recorded. What the record would undo (the late
// failure of a message still first in the queue; a template's status,
// whose key has no status yet) is parked under the platform id, for
// sentScript and templateScript to apply; the rest goes only forward, so
// it is recorded now. ARGV: key ("" to find it by platform id), platform
// id, status, state, code, chat, now, held status, how long a parked
// status is kept, "1" to keep a status of an unknown key for a put that
// may follow (a turn's reply, see bot.KeyedSender). Returns the key (""
// when unknown), 1 when the chat should be drained now, and, once the
// status is recorded, 1 when the message had that state already (Meta
// posting a status again).
var receiptScript = redis.NewScript(setStatus + stuck + `
local key = ARGV[1]
local unrecorded = ARGV[2] ~= '' and redis.call('HEXISTS', KEYS[3], 'p:' .. ARGV[2]) == 0
local function park()
  setin(KEYS[8], ARGV[2], ARGV[3], false)
  redis.call('PEXPIRE', KEYS[8], ARGV[9])
end
if key == '' then key = redis.call('HGET', KEYS[3], 'p:' .. ARGV[2]) end
if not key then
  -- A failure named by the platform's id alone (whatsmeow) may be of a
  -- send not yet recorded: kept for the record, which acts on it.
  if ARGV[4] == 'failed' and ARGV[2] ~= '' then park() end
  return {'', 0}
end
local cur = redis.call('HGET', KEYS[3], key)
if not cur then
  -- Only a template is sent with a key that has no status yet, and only
  -- while the window is closed.
  if ARGV[1] ~= '' and unrecorded and redis.call('HEXISTS', KEYS[2], 'window') == 1 then
    park()
    return {key, 0}
  end
  -- A turn's reply whose send got no answer may be handed to the outbox
  -- just after Meta confirmed it: its word waits for the put.
  if ARGV[10] == '1' and ARGV[4] ~= 'failed' then
    setin(KEYS[8], 'k:' .. key, ARGV[3], false)
    redis.call('PEXPIRE', KEYS[8], ARGV[9])
  end
  return {'', 0}
end
local state = ARGV[4]
if state == 'failed' and ARGV[5] == '131047' then
  -- Held already: this is Meta delivering the same failure again.
  if cjson.decode(cur).state == 'held' then return {key, 0} end
  if unrecorded and keyof(redis.call('LINDEX', KEYS[1], 0) or '') == key then
    park()
    return {key, 0}
  end
  local item = redis.call('HGET', KEYS[3], 'e:' .. key)
  if item then
    redis.call('HDEL', KEYS[3], 'e:' .. key)
    redis.call('LPUSH', KEYS[1], item)
    redis.call('HSETNX', KEYS[2], 'window', ARGV[7])
    setstatus(key, ARGV[8], true)
    redis.call('ZADD', KEYS[4], ARGV[7], ARGV[6])
    return {key, 1}
  end
end
if state == 'failed' and unrecorded and keyof(redis.call('LINDEX', KEYS[1], 0) or '') == key then
  -- Any other failure of a message still in flight: nothing is kept yet
  -- for a late failure to act on (the dead letter, the send again), so
  -- the send's record acts on it (sentScript).
  park()
  return {key, 0, 0, 1}
end
local again = cjson.decode(cur).state == state and 1 or 0
setstatus(key, ARGV[3], false)
if state == 'failed' then stuckif(key, ARGV[6]) end
if state == 'delivered' or state == 'read' then redis.call('HDEL', KEYS[3], 'e:' .. key) end
if redis.call('HEXISTS', KEYS[2], 'unsure') == 1 or keyof(redis.call('LINDEX', KEYS[1], 0) or '') == key then
  redis.call('ZADD', KEYS[4], ARGV[7], ARGV[6])
  return {key, 1, again}
end
return {key, 0, again}`)

// askScript sets the chat's current question ("" forgets it), with its
// numbered text when given. ARGV: question, ttl, text, text's ttl.
var askScript = redis.NewScript(`
redis.call('DEL', KEYS[9])
if ARGV[1] == '' then return redis.call('HDEL', KEYS[2], 'question') end
redis.call('HSET', KEYS[2], 'question', ARGV[1])
if ARGV[3] ~= '' then redis.call('SET', KEYS[9], ARGV[3], 'PX', ARGV[4]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`)

// answerScript takes the chat's current question if it is ARGV[1], for
// the tap ARGV[2], which is remembered: the same tap again takes it too.
var answerScript = redis.NewScript(`
if ARGV[1] ~= '' and redis.call('HGET', KEYS[2], 'question') == ARGV[1] then
  redis.call('HDEL', KEYS[2], 'question') redis.call('DEL', KEYS[9])
  if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], 'answered', ARGV[2]) end
  return 1
end
if ARGV[2] ~= '' and redis.call('HGET', KEYS[2], 'answered') == ARGV[2] then return 1 end
return 0`)

// tapScript is answerScript and, for a tap that answers, arriveScript,
// in one round trip (they were two, issue 14). ARGV: arriveScript's,
// then the question and the tap. Returns {1, what arriveScript returns}
// when the tap takes the question, else {0, the chat's current question
// ("" for none)}: a tap that does not answer is not an arrival yet (see
// bot.TapArrivals).
var tapScript = redis.NewScript(setStatus + arrive + `
local question, tap = ARGV[9], ARGV[10]
if question == '' then return {0, redis.call('HGET', KEYS[2], 'question') or ''} end
local taken = false
if redis.call('HGET', KEYS[2], 'question') == question then
  redis.call('HDEL', KEYS[2], 'question') redis.call('DEL', KEYS[9])
  if tap ~= '' then redis.call('HSET', KEYS[2], 'answered', tap) end
  taken = true
elseif tap ~= '' and redis.call('HGET', KEYS[2], 'answered') == tap then
  taken = true
end
if taken then return {1, arrive()} end
return {0, redis.call('HGET', KEYS[2], 'question') or ''}`)

// abandonScript makes the chat's held messages dead letters: the template
// that would reopen its window could not be sent. The window's state goes
// with them, so the next message tries afresh. ARGV: reason, code, tries,
// chat, now. Returns the keys buried.
var abandonScript = redis.NewScript(setStatus + `
local reason, code, tries, chat, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local keys = {}
for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  bury(chat, item, reason, code, tries, now)
  table.insert(keys, keyof(item))
end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], 'window', 'tpl', 'tplname', 'tpltries', 'tplfailing', 'tplnext', 'tries', 'next', 'unsure', 'failing')
redis.call('ZREM', KEYS[4], chat)
redis.call('ZREM', KEYS[12], chat)
return keys`)

// buryKeptScript makes a message kept for a late failure (see sentScript)
// a dead letter. ARGV: key, chat, reason, code, now. Returns 1 when it
// was kept.
var buryKeptScript = redis.NewScript(setStatus + `
local item = redis.call('HGET', KEYS[3], 'e:' .. ARGV[1])
if not item then return 0 end
redis.call('HDEL', KEYS[3], 'e:' .. ARGV[1])
bury(ARGV[2], item, ARGV[3], ARGV[4], '1', ARGV[5])
return 1`)

// unlockScript releases the lock only while it is the caller's.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[5]) == ARGV[1] then return redis.call('DEL', KEYS[5]) end
return 0`)

// resendScript puts a dead letter back at the end of its chat's queue.
// ARGV: chat, key, now, queued status. Returns 1, 0 when there is no such
// dead letter, -1 when it is a message held in a stuck chat.
var resendScript = redis.NewScript(setStatus + `
local member = ARGV[1] .. '\n' .. ARGV[2]
local rec = redis.call('HGET', KEYS[7], member)
if not rec then
  if heldin(ARGV[1], ARGV[2]) then return -1 end
  return 0
end
redis.call('RPUSH', KEYS[1], cjson.decode(rec).item)
redis.call('HDEL', KEYS[7], member)
redis.call('ZREM', KEYS[6], member)
redis.call('HDEL', KEYS[2], 'stopped', 'stopped_at')
setstatus(ARGV[2], ARGV[4], true)
redis.call('ZADD', KEYS[4], 'NX', ARGV[3], ARGV[1])
return 1`)

// withdrawScript takes the chat's waiting messages of a kind off its
// queue. ARGV: kind, chat, now.
var withdrawScript = redis.NewScript(setStatus + withdraw + `
local n = withdraw(ARGV[1])
if n > 0 then reschedule(ARGV[2], ARGV[3]) end
return n`)

// discardScript forgets a dead letter, or takes a message held in a
// stuck chat off its queue, failed: it will not go out when the person
// writes. ARGV: chat, key, failed status.
var discardScript = redis.NewScript(setStatus + `
local member = ARGV[1] .. '\n' .. ARGV[2]
redis.call('ZREM', KEYS[6], member)
if redis.call('HDEL', KEYS[7], member) == 1 then return 1 end
local item = heldin(ARGV[1], ARGV[2])
if not item then return 0 end
redis.call('LREM', KEYS[1], 1, item)
setstatus(ARGV[2], ARGV[3], true)
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[12], ARGV[1]) end
return 1`)

// takeScript returns the reply kept under ARGV[1] and those of its turn
// after it (key#n+1…), and forgets them; none when the kept replies name
// another turn as the latest (ARGV[2]'s field): the conversation went on
// past them. A reply the outbox has itself (the turn left it there: the
// outbox's own tries settle it) is left out.
var takeScript = redis.NewScript(`
local key = ARGV[1]
local base, n = string.match(key, '^(.*)#(%d+)$')
if base then n = tonumber(n) else base, n = key, 1 end
local item = redis.call('HGET', KEYS[10], key)
if not item then return {} end
redis.call('HDEL', KEYS[10], key)
local latest = redis.call('HGET', KEYS[10], ARGV[2])
if latest and latest ~= base then return {} end
local out = {}
if redis.call('HEXISTS', KEYS[3], key) == 0 then table.insert(out, item) end
if #out == 0 then return out end
for i = n + 1, n + 100 do
  local k = base .. '#' .. i
  local it = redis.call('HGET', KEYS[10], k)
  if not it then break end
  redis.call('HDEL', KEYS[10], k)
  if redis.call('HEXISTS', KEYS[3], k) == 0 then table.insert(out, it) end
end
return out`)

// stuckScript returns, for a chat listed stuck, when it became so, its
// template's status and its held messages; a chat no longer stuck (the
// window reopened, nothing held) leaves the list. ARGV: chat.
var stuckScript = redis.NewScript(`
local at = redis.call('ZSCORE', KEYS[12], ARGV[1])
if not at then return {} end
local tpl = redis.call('HGET', KEYS[2], 'tpl')
local items = redis.call('LRANGE', KEYS[1], 0, -1)
if not tpl or redis.call('HEXISTS', KEYS[2], 'window') == 0 or #items == 0 then
  redis.call('ZREM', KEYS[12], ARGV[1])
  return {}
end
local out = {at, redis.call('HGET', KEYS[3], tpl) or ''}
for _, item in ipairs(items) do
  local key = string.match(item, '^([^\n]*)\n')
  local cur = redis.call('HGET', KEYS[3], key or '')
  if cur and cjson.decode(cur).state == 'held' then table.insert(out, item) end
end
return out`)
