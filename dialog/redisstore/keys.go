package redisstore

// chatKeys are the keys of one chat. They share the hash tag {chat}: Redis
// Cluster puts them in one slot, as a script touching them all requires.
type chatKeys struct {
	lock, state, was, seen string
	queue, waiters         string // turns waiting for the lock, in arrival order
	transcript             string // a list, oldest line first
}

// keys returns chat's keys; seen is the key of msgID, or a placeholder the
// scripts do not touch when msgID is "".
func (s *Store) keys(chat, msgID string) chatKeys {
	tag := "{" + chat + "}"
	return chatKeys{
		lock:       s.prefix + "lock:" + tag,
		state:      s.prefix + "state:" + tag,
		was:        s.prefix + "was:" + tag,
		seen:       s.prefix + "seen:" + tag + ":" + msgID,
		queue:      s.prefix + "queue:" + tag,
		waiters:    s.prefix + "waiters:" + tag,
		transcript: s.prefix + "transcript:" + tag,
	}
}

func (k chatKeys) list() []string {
	return []string{k.lock, k.state, k.was, k.seen, k.queue, k.waiters, k.transcript}
}
