package bot

import (
	"hash/fnv"
	"sync"
)

// Sequencer runs each chat's jobs one at a time, in the order submitted,
// while different chats run in parallel. Chats are sharded over a fixed set
// of workers, so memory stays bounded however many chats there are.
type Sequencer struct {
	shards []chan func()
	wg     sync.WaitGroup
}

// NewSequencer starts n workers, each with a queue of depth jobs.
func NewSequencer(n, depth int) *Sequencer {
	s := &Sequencer{shards: make([]chan func(), n)}
	for i := range s.shards {
		ch := make(chan func(), depth)
		s.shards[i] = ch
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for job := range ch {
				job()
			}
		}()
	}
	return s
}

// Do queues job behind the chat's earlier jobs. It blocks when the chat's
// shard is full, which pushes back on the channel's reader.
func (s *Sequencer) Do(chat string, job func()) {
	h := fnv.New32a()
	h.Write([]byte(chat))
	s.shards[h.Sum32()%uint32(len(s.shards))] <- job
}

// Close stops taking jobs and waits for the queued ones.
func (s *Sequencer) Close() {
	for _, ch := range s.shards {
		close(ch)
	}
	s.wg.Wait()
}
