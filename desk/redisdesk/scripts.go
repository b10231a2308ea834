package redisdesk

import "github.com/redis/go-redis/v9"

// Every script gets KEYS: conv, msgs, waiting, pending, active, seq.

// putScript replaces the chat's conversation and queues it.
// ARGV: chat, ttl ms, status, n, n field/value items, history messages...
var putScript = redis.NewScript(`
local chat, ttl, status, n = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], chat) redis.call('ZREM', KEYS[4], chat) redis.call('ZREM', KEYS[5], chat)
redis.call('HSET', KEYS[1], unpack(ARGV, 5, 4 + n))
for i = 5 + n, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
local set = KEYS[3]
if status == 'pending' then set = KEYS[4] end
local seq = redis.call('INCR', KEYS[6])
redis.call('ZADD', set, seq, chat)
redis.call('HSET', KEYS[1], 'seq', seq)
local pos = redis.call('ZRANK', set, chat) + 1
redis.call('HSET', KEYS[1], 'told', pos)
redis.call('PEXPIRE', KEYS[1], ttl)
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ttl) end
return pos`)

// appendScript adds a message to an existing conversation, keeping its
// latest messages only (counted in 'trimmed' the others), and returns it
// with its place in the line when it waits there. ARGV: message, ttl ms,
// messages kept, who wrote it, when (ms). The person's first message
// after the agent's answer starts their wait ('awaiting'); the agent's
// answer ends it.
var appendScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
if ARGV[4] == 'agent' then
  redis.call('HDEL', KEYS[1], 'awaiting')
elseif ARGV[4] == 'person' then
  redis.call('HSETNX', KEYS[1], 'awaiting', ARGV[5])
end
local n, keep = redis.call('RPUSH', KEYS[2], ARGV[1]), tonumber(ARGV[3])
if n > keep then
  redis.call('LTRIM', KEYS[2], n - keep, -1)
  redis.call('HINCRBY', KEYS[1], 'trimmed', n - keep)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2]) redis.call('PEXPIRE', KEYS[2], ARGV[2])
local out = {'ok'}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do table.insert(out, v) end
local rank = redis.call('ZRANK', KEYS[3], redis.call('HGET', KEYS[1], 'chat'))
if rank then table.insert(out, 'position') table.insert(out, tostring(rank + 1)) end
return out`)

// takeScript gives a waiting or pending conversation to an agent (again to
// the same agent is fine), or, with ARGV[4] "1", an active one of another
// agent too (a supervisor taking it over). ARGV: chat, agent, now ms,
// take over.
var takeScript = redis.NewScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
local agent = redis.call('HGET', KEYS[1], 'agent')
if st == 'active' and agent ~= ARGV[2] and ARGV[4] ~= '1' then return {'conflict', agent} end
if st ~= 'active' then
  redis.call('ZREM', KEYS[3], ARGV[1]) redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[1], 'status', 'active', 'agent', ARGV[2], 'taken', ARGV[3])
elseif agent ~= ARGV[2] then
  redis.call('HSET', KEYS[1], 'agent', ARGV[2], 'taken', ARGV[3])
end
local out = {'ok'}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do table.insert(out, v) end
return out`)

// returnScript gives agent's active conversation back to the line, ahead
// of everyone who waits (the first given back first), and adds a line to
// its messages; the agent's name and take are forgotten. ARGV: chat,
// agent, line, ttl ms, now ms. A conversation stored before 'seq' was
// kept goes first of all. A person the agent had answered waits from now.
var returnScript = redis.NewScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
local agent = redis.call('HGET', KEYS[1], 'agent')
if st ~= 'active' or agent ~= ARGV[2] then return {'conflict', agent or 'nobody'} end
redis.call('ZREM', KEYS[5], ARGV[1])
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
redis.call('ZADD', KEYS[3], string.format('%d', seq - 1e12), ARGV[1])
redis.call('HDEL', KEYS[1], 'agent', 'taken')
local pos = redis.call('ZRANK', KEYS[3], ARGV[1]) + 1
redis.call('HSET', KEYS[1], 'status', 'waiting', 'told', pos)
redis.call('HINCRBY', KEYS[1], 'returned', 1)
redis.call('HSETNX', KEYS[1], 'awaiting', ARGV[5])
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4]) redis.call('PEXPIRE', KEYS[2], ARGV[4])
local out = {'ok'}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do table.insert(out, v) end
table.insert(out, 'position') table.insert(out, tostring(pos))
return out`)

// removeScript ends a conversation; with an agent in ARGV[2], only that
// agent's active one. ARGV: chat, agent or "".
var removeScript = redis.NewScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'missing'} end
if ARGV[2] ~= '' then
  local agent = redis.call('HGET', KEYS[1], 'agent')
  if st ~= 'active' or agent ~= ARGV[2] then return {'conflict', agent or 'nobody'} end
end
local out = {'ok'}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do table.insert(out, v) end
redis.call('ZREM', KEYS[3], ARGV[1]) redis.call('ZREM', KEYS[4], ARGV[1]) redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('DEL', KEYS[1], KEYS[2])
return out`)

// movesScript finds the waiting chats whose place is worth telling (see
// desk.Queue.Moves: better than the one last told, and within the first
// ARGV[1] or at most three quarters of it), and records the new one.
// KEYS: waiting, then the conversation of each chat in ARGV[2..] (the
// waiting chats when read); a chat not among them is left for the next
// call.
var movesScript = redis.NewScript(`
local near = tonumber(ARGV[1])
local conv = {}
for i = 2, #ARGV do conv[ARGV[i]] = KEYS[i] end
local out = {}
for i, chat in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local k = conv[chat]
  if k then
    local told = tonumber(redis.call('HGET', k, 'told') or '0')
    if told > i and (i <= near or 4 * i <= 3 * told) then
      redis.call('HSET', k, 'told', i)
      table.insert(out, chat) table.insert(out, tostring(i))
    end
  end
end
return out`)

// setOpenScript records whether the desk is open, since when, by which
// hours, in a process started when, and, open, moves the pending
// conversations into the line with the order they arrived in (a place is
// the arrival's sequence number). KEYS: the desk's state
// ("open|<since ms>|<hours>|<started ms>"), waiting, pending, then the
// conversation of each chat in ARGV[5..] (the waiting and pending chats
// when read; one that came meanwhile is left for the next call). ARGV:
// "open" or "closed", since ms, hours, started ms, chats. On the recorded
// hours, a since older than the recorded one, or the same with the other
// state, changes nothing (the latest change wins); on other hours, a
// process started before the recorded one changes nothing (the hours of
// the latest deployment win; the same start, the greater hours' hash). It returns "1" when the desk opened or
// closed since the last call ("0" otherwise, the first call included),
// then chat and place of each chat to tell.
var setOpenScript = redis.NewScript(`
local now, since, hours, started = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local cur = redis.call('GET', KEYS[1])
local prev, prevSince, prevHours, prevStarted
if cur then
  local f = {}
  for p in string.gmatch(cur, '[^|]+') do table.insert(f, p) end
  prev, prevSince, prevHours, prevStarted = f[1], tonumber(f[2] or '') or -1, f[3], tonumber(f[4] or '') or -1
  if hours == prevHours then
    if since < prevSince or (since == prevSince and prev ~= now) then return {'0'} end
  elseif started < prevStarted or (started == prevStarted and hours < prevHours) then
    return {'0'}
  end
end
local changed = cur and prev ~= now
redis.call('SET', KEYS[1], now .. '|' .. ARGV[2] .. '|' .. hours .. '|' .. ARGV[4])
local conv = {}
for i = 5, #ARGV do conv[ARGV[i]] = KEYS[i - 1] end
local moved = {}
if now == 'open' then
  for _, chat in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    local k = conv[chat]
    if k and redis.call('EXISTS', k) == 1 then
      redis.call('ZADD', KEYS[2], redis.call('ZSCORE', KEYS[3], chat), chat)
      redis.call('ZREM', KEYS[3], chat)
      redis.call('HSET', k, 'status', 'waiting')
      moved[chat] = true
    end
  end
end
local out = {changed and '1' or '0'}
for i, chat in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local k = conv[chat]
  if k and (changed or moved[chat]) then
    if now == 'open' then redis.call('HSET', k, 'told', i) end
    table.insert(out, chat) table.insert(out, tostring(i))
  end
end
return out`)
