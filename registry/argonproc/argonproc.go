// Package argonproc runs argon2id in a child process at a low CPU priority
// (nice 10, see Niceness).
//
// Hashing keys is the machine's most expensive work and the most elastic:
// a key creation may wait a few hundred milliseconds, a chat turn should
// not. In the serving process, argon2id's goroutines share the Go
// scheduler with every turn, and two hashes running keep both cores busy
// for tens of milliseconds while turns queue behind them. In a child at
// nice 10 the kernel gives the CPU to the serving process, Redis and
// PostgreSQL whenever they want it (a nice-10 thread weighs 110 against
// 1024), and hashing takes all that is left: key creations use the idle
// CPU without slowing anybody's turn.
//
// One child hashes one key at a time on one P (GOMAXPROCS=1, set by
// the child's command), and the parent keeps one child per core: on the
// virtual machines we run on, two argon2id evaluations at once in one
// address space spend most of their time in the kernel, taking the first
// touch of each evaluation's 19 MiB from two CPUs (2026-12-03, 2 cores:
// BenchmarkHashParallel 148-234 ms an evaluation with GOMAXPROCS=2, 51-65 %
// system time; two one-P processes 29-30 ms each, ~68 a second together).
//
// The child is the same binary (the parent names the command that starts
// it); requests and answers are gob values on its standard input and
// output. Keys cross a pipe between two processes of the same user, never
// a file or a log. A child that dies fails the hashes it had (as
// errs.Unavailable: the person is told to try again) and is started again
// at the next hash.
package argonproc

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/clavebot/clavebot/internal/errs"
)

// request is one argon2id evaluation.
type request struct {
	ID        uint64
	Key, Salt []byte
	Time      uint32
	Memory    uint32
	Threads   uint8
	KeyLen    uint32
}

// answer is the sum of request ID.
type answer struct {
	ID  uint64
	Sum []byte
}

// maxMemory bounds what a request may ask, as registry bounds stored
// hashes' parameters: the child trusts its parent, but a bug must not
// make it allocate gigabytes.
const maxMemory = 1 << 20 // KiB

// Serve is the child's side: it answers requests read from r on w until r
// ends, one after another: a child is one core's worth of hashing (the
// parent starts one per core), and an evaluation that waited its turn
// keeps its 19 MiB from being touched beside another's.
func Serve(r io.Reader, w io.Writer) error {
	dec := gob.NewDecoder(bufio.NewReader(r))
	bw := bufio.NewWriter(w)
	enc := gob.NewEncoder(bw)
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("argonproc: read request: %w", err)
		}
		if req.Memory > maxMemory || req.Time == 0 || req.Threads == 0 || req.KeyLen == 0 {
			return fmt.Errorf("argonproc: request with parameters m=%d t=%d p=%d", req.Memory, req.Time, req.Threads)
		}
		sum := argon2.IDKey(req.Key, req.Salt, req.Time, req.Memory, req.Threads, req.KeyLen)
		clear(req.Key)
		if err := enc.Encode(answer{ID: req.ID, Sum: sum}); err != nil {
			return fmt.Errorf("argonproc: write answer: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("argonproc: write answer: %w", err)
		}
	}
}

// Proc is the parent's side: IDKey sends an evaluation to the child with
// the least owed, starting one when every running child is busy and fewer
// than the pool's size run.
type Proc struct {
	command func() *exec.Cmd
	log     *slog.Logger
	size    int

	mu       sync.Mutex
	children []*child // running or dead, at most size
	nextID   uint64
	started  int           // children started, for tests and logs
	pastCPU  time.Duration // CPU time of the children that ended
	strikes  int           // children in a row that ended without answering
}

// child is one running child process and the evaluations it owes.
type child struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	enc     *gob.Encoder
	bw      *bufio.Writer
	pending map[uint64]chan []byte
	dead    bool
	// answered counts the child's answers: one that ends without any is a
	// strike against starting children at all (see maxStrikes).
	answered int
}

// maxStrikes is how many children in a row may end without answering
// before hashing stays in this process: a child that cannot work here
// (a binary of another version, a sandbox that kills it) must not leave
// every key creation failing.
const maxStrikes = 3

// Option configures a Proc.
type Option func(*Proc)

// WithChildren keeps up to n children (at least one), each hashing one key
// at a time: one per core the machine gives hashing. The default is one.
func WithChildren(n int) Option { return func(p *Proc) { p.size = max(n, 1) } }

// New returns a Proc whose children are started by command (a fresh
// *exec.Cmd each time; its Stdin and Stdout are set here). log may be nil.
func New(command func() *exec.Cmd, log *slog.Logger, opts ...Option) *Proc {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Proc{command: command, log: log, size: 1}
	for _, o := range opts {
		o(p)
	}
	return p
}

// IDKey is argon2.IDKey run by the child. It returns errs.Unavailable when
// the child cannot be started or dies first, and ctx's error when ctx ends
// first (the child's answer is then dropped).
func (p *Proc) IDKey(ctx context.Context, key, salt []byte, time, memory uint32, threads uint8, keyLen uint32) ([]byte, error) {
	ch, id, err := p.send(request{Key: key, Salt: salt, Time: time, Memory: memory, Threads: threads, KeyLen: keyLen})
	var notStarted *startError
	if errors.As(err, &notStarted) {
		// No child can run here (exec forbidden, binary gone): keys are
		// still hashed, in this process, rather than never created.
		p.log.Warn("argon2id in this process: the child does not start", "err", err)
		return argon2.IDKey(key, salt, time, memory, threads, keyLen), nil
	}
	if err != nil {
		return nil, errs.E(errs.Unavailable, "argon2id child", err)
	}
	select {
	case sum, ok := <-ch:
		if !ok {
			return nil, errs.E(errs.Unavailable, "argon2id child", errors.New("the child process ended"))
		}
		return sum, nil
	case <-ctx.Done():
		p.forget(id)
		return nil, errs.E(errs.Unavailable, "argon2id child", ctx.Err())
	}
}

func (p *Proc) send(req request) (<-chan []byte, uint64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.strikes >= maxStrikes {
		return nil, 0, &startError{fmt.Errorf("%d children in a row ended without answering", p.strikes)}
	}
	c, err := p.pick()
	if err != nil {
		return nil, 0, &startError{err}
	}
	p.nextID++
	req.ID = p.nextID
	ch := make(chan []byte, 1)
	c.pending[req.ID] = ch
	err = c.enc.Encode(req)
	if err == nil {
		err = c.bw.Flush()
	}
	if err != nil {
		delete(c.pending, req.ID)
		p.kill(c, err)
		return nil, 0, fmt.Errorf("send to the child: %w", err)
	}
	return ch, req.ID, nil
}

// pick returns the running child that owes the fewest evaluations, or a
// new one in a free or dead place when every running child owes some: an
// evaluation waits behind another only when all the pool's children are
// busy. p.mu is held.
func (p *Proc) pick() (*child, error) {
	var best *child
	free := -1
	for i, c := range p.children {
		if c.dead {
			if free < 0 {
				free = i
			}
			continue
		}
		if best == nil || len(c.pending) < len(best.pending) {
			best = c
		}
	}
	if best != nil && len(best.pending) == 0 {
		return best, nil
	}
	if free < 0 && len(p.children) < p.size {
		free = len(p.children)
		p.children = append(p.children, nil)
	}
	if free < 0 {
		return best, nil
	}
	c, err := p.start()
	if err != nil {
		if p.children[free] == nil {
			p.children = p.children[:free]
		}
		if best != nil {
			return best, nil // a running child still hashes
		}
		return nil, err
	}
	p.children[free] = c
	return c, nil
}

// startError is a child that could not be started.
type startError struct{ err error }

func (e *startError) Error() string { return "start the argon2id child: " + e.err.Error() }
func (e *startError) Unwrap() error { return e.err }

// start runs a child and the goroutine that reads its answers. p.mu is held.
func (p *Proc) start() (*child, error) {
	cmd := p.command()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.started++
	bw := bufio.NewWriter(stdin)
	c := &child{cmd: cmd, stdin: stdin, enc: gob.NewEncoder(bw), bw: bw, pending: map[uint64]chan []byte{}}
	p.log.Info("argon2id child started", "pid", cmd.Process.Pid, "starts", p.started)
	go p.read(c, stdout)
	return c, nil
}

// read delivers the child's answers until its output ends, then fails
// what it still owed.
func (p *Proc) read(c *child, stdout io.Reader) {
	dec := gob.NewDecoder(bufio.NewReader(stdout))
	var err error
	for {
		var a answer
		if err = dec.Decode(&a); err != nil {
			break
		}
		p.mu.Lock()
		ch, ok := c.pending[a.ID]
		delete(c.pending, a.ID)
		c.answered++
		p.strikes = 0
		p.mu.Unlock()
		if ok {
			ch <- a.Sum
		}
	}
	p.mu.Lock()
	p.kill(c, err)
	p.mu.Unlock()
	c.cmd.Wait()
	if st := c.cmd.ProcessState; st != nil {
		p.mu.Lock()
		p.pastCPU += st.UserTime() + st.SystemTime()
		p.mu.Unlock()
	}
}

// kill marks c dead and fails its pending evaluations. p.mu is held.
func (p *Proc) kill(c *child, why error) {
	if c.dead {
		return
	}
	c.dead = true
	if c.answered == 0 {
		p.strikes++
	}
	if len(c.pending) > 0 || !errors.Is(why, io.EOF) {
		p.log.Warn("argon2id child ended", "pid", c.cmd.Process.Pid, "owed", len(c.pending), "err", why)
	}
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	c.stdin.Close()
	c.cmd.Process.Kill()
}

func (p *Proc) forget(id uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.children {
		delete(c.pending, id)
	}
}

// Close stops the children; a later IDKey starts others.
func (p *Proc) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, c := range p.children {
		if c.dead {
			continue
		}
		c.dead = true
		for id, ch := range c.pending {
			close(ch)
			delete(c.pending, id)
		}
		errs = append(errs, c.stdin.Close()) // a child ends when its input does
	}
	return errors.Join(errs...)
}

// PIDs are the running children's process ids.
func (p *Proc) PIDs() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pids()
}

func (p *Proc) pids() []int {
	var pids []int
	for _, c := range p.children {
		if !c.dead {
			pids = append(pids, c.cmd.Process.Pid)
		}
	}
	return pids
}

// Usage returns the CPU time of every child so far, and the running ones'
// resident memory together (0 when none runs): the hashing serve's own
// figures do not count.
func (p *Proc) Usage() (cpu time.Duration, rss int64) {
	p.mu.Lock()
	cpu = p.pastCPU
	pids := p.pids()
	p.mu.Unlock()
	for _, pid := range pids {
		c, r := usageOf(pid)
		cpu, rss = cpu+c, rss+r
	}
	return cpu, rss
}

// Started reports how many children have been started.
func (p *Proc) Started() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started
}
