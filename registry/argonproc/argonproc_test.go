package argonproc_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry/argonproc"
	"github.com/prometheus/procfs"
)

// The test binary is also the child: started with ARGONPROC_CHILD=1 it
// serves requests on one P, as `clavebot hash-worker` does.
func TestMain(m *testing.M) {
	if os.Getenv("ARGONPROC_CHILD") == "1" {
		runtime.GOMAXPROCS(1)
		if err := argonproc.LowerPriority(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := argonproc.Serve(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newProc(tb testing.TB, opts ...argonproc.Option) *argonproc.Proc {
	tb.Helper()
	p := argonproc.New(func() *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "ARGONPROC_CHILD=1")
		cmd.Stderr = os.Stderr
		return cmd
	}, nil, opts...)
	tb.Cleanup(func() { p.Close() })
	return p
}

func TestSameSumsAsInProcess(t *testing.T) {
	p := newProc(t)
	tests := []struct {
		key, salt string
		time, mem uint32
		threads   uint8
		keyLen    uint32
	}{
		{"Tomate#Azul42", "0123456789abcdef", 1, 64, 1, 32},
		{"Córdoba2024x", "fedcba9876543210", 2, 1024, 1, 32},
		{"", "0123456789abcdef", 1, 64, 2, 16},
		{"Qx000000Wk0z", "salt-salt-salt-s", 2, 19 * 1024, 1, 32}, // the registry's parameters
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("m=%d,t=%d,p=%d", tt.mem, tt.time, tt.threads), func(t *testing.T) {
			got, err := p.IDKey(t.Context(), []byte(tt.key), []byte(tt.salt), tt.time, tt.mem, tt.threads, tt.keyLen)
			if err != nil {
				t.Fatal(err)
			}
			want := argon2.IDKey([]byte(tt.key), []byte(tt.salt), tt.time, tt.mem, tt.threads, tt.keyLen)
			if !bytes.Equal(got, want) {
				t.Fatalf("sum %x, want %x", got, want)
			}
		})
	}
}

func TestConcurrentEvaluations(t *testing.T) {
	for _, size := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("children=%d", size), func(t *testing.T) {
			p := newProc(t, argonproc.WithChildren(size))
			burst(t, p)
			if n := p.Started(); n < 1 || n > size {
				t.Errorf("%d children started for one burst, want 1 to %d", n, size)
			}
		})
	}
}

// burst runs 24 evaluations at once through p, each checked against its own
// sum: answers never go to another request.
func burst(t *testing.T, p *argonproc.Proc) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key, salt := []byte("key-"+strconv.Itoa(i)), []byte("salt-salt-salt-s")
			got, err := p.IDKey(context.Background(), key, salt, 1, 256, 1, 32)
			if err != nil {
				t.Error(err)
				return
			}
			if want := argon2.IDKey(key, salt, 1, 256, 1, 32); !bytes.Equal(got, want) {
				t.Errorf("key %d: answer of another request", i)
			}
		}()
	}
	wg.Wait()
}

// An evaluation does not wait behind another while the pool has room: it
// goes to a child of its own (the first is long, one child hashes one at a
// time, so waiting behind it would show).
func TestPoolHashesSideBySide(t *testing.T) {
	p := newProc(t, argonproc.WithChildren(2))
	longDone := make(chan error, 1)
	go func() {
		_, err := p.IDKey(context.Background(), []byte("k"), []byte("salt-salt-salt-s"), 48, 32*1024, 1, 32)
		longDone <- err
	}()
	for p.Started() == 0 { // started under the lock that sends: the long one is owed
		runtime.Gosched()
	}
	key, salt := []byte("short"), []byte("salt-salt-salt-s")
	got, err := p.IDKey(t.Context(), key, salt, 1, 64, 1, 32)
	if err != nil || !bytes.Equal(got, argon2.IDKey(key, salt, 1, 64, 1, 32)) {
		t.Fatalf("short evaluation beside a long one: %x, %v", got, err)
	}
	select {
	case <-longDone:
		t.Error("the short evaluation waited for the long one: it went to the busy child")
	default:
	}
	if n, pids := p.Started(), p.PIDs(); n != 2 || len(pids) != 2 {
		t.Errorf("%d children started, %d running, want 2", n, len(pids))
	}
	if err := <-longDone; err != nil {
		t.Fatal(err)
	}
	// Both idle now: the next evaluations go to them, no third starts.
	burst(t, p)
	if n := p.Started(); n != 2 {
		t.Errorf("%d children started after a burst on an idle pool of 2", n)
	}
}

// Every thread of the child runs at argonproc.Niceness, the Go runtime's later ones
// included: what makes hashing yield the CPU to turns.
func TestChildRunsAtTheLowestPriority(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("threads are reniced on Linux only")
	}
	p := newProc(t)
	// Enough work that the runtime starts its threads.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.IDKey(t.Context(), []byte("k"), []byte("salt-salt-salt-s"), 1, 4096, 2, 32); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	pids := p.PIDs()
	if len(pids) == 0 {
		t.Fatal("no child runs after hashing")
	}
	threads, err := procfs.AllThreads(pids[0])
	if err != nil || len(threads) == 0 {
		t.Fatalf("threads of the child %d: %v", pids[0], err)
	}
	for _, th := range threads {
		st, err := th.Stat()
		if err != nil {
			continue // the thread ended
		}
		if st.Nice != argonproc.Niceness {
			t.Errorf("thread %d of the child runs at nice %d, want %d", th.PID, st.Nice, argonproc.Niceness)
		}
	}
}

// A child that dies fails what it owed as Unavailable, and the next hash
// starts another.
func TestChildDiesAndIsReplaced(t *testing.T) {
	p := newProc(t)
	if _, err := p.IDKey(t.Context(), []byte("k"), []byte("salt-salt-salt-s"), 1, 64, 1, 32); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		// A long evaluation, killed under way.
		_, err := p.IDKey(context.Background(), []byte("k"), []byte("salt-salt-salt-s"), 64, 64*1024, 1, 32)
		done <- err
	}()
	proc, err := os.FindProcess(p.PIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	proc.Kill()
	if err := <-done; !errs.Is(errs.Unavailable, err) {
		t.Fatalf("the evaluation of a killed child returned %v, want Unavailable", err)
	}
	got, err := p.IDKey(t.Context(), []byte("k"), []byte("salt-salt-salt-s"), 1, 64, 1, 32)
	if err != nil || !bytes.Equal(got, argon2.IDKey([]byte("k"), []byte("salt-salt-salt-s"), 1, 64, 1, 32)) {
		t.Fatalf("after the child died: %x, %v", got, err)
	}
	if n := p.Started(); n != 2 {
		t.Errorf("%d children started, want 2", n)
	}
}

func TestGivesUpWithItsContext(t *testing.T) {
	p := newProc(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.IDKey(ctx, []byte("k"), []byte("salt-salt-salt-s"), 8, 8*1024, 1, 32); !errs.Is(errs.Unavailable, err) {
		t.Fatalf("a done context: %v, want Unavailable", err)
	}
}

// A request the child must not run (parameters out of bounds) ends the
// child rather than allocating what it asks; the caller is told
// Unavailable.
func TestChildRefusesHostileParameters(t *testing.T) {
	p := newProc(t)
	if _, err := p.IDKey(t.Context(), []byte("k"), []byte("salt-salt-salt-s"), 1, 1<<30, 1, 32); !errs.Is(errs.Unavailable, err) {
		t.Fatalf("m = 1 TiB: %v, want Unavailable", err)
	}
}

// The child's CPU time and memory are told, since the parent's own
// figures do not count them; a child that ended still counts its CPU.
func TestUsage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("read from /proc")
	}
	p := newProc(t)
	for range 3 {
		if _, err := p.IDKey(t.Context(), []byte("k"), []byte("salt-salt-salt-s"), 4, 16*1024, 1, 32); err != nil {
			t.Fatal(err)
		}
	}
	cpu, rss := p.Usage()
	if cpu <= 0 || rss <= 0 {
		t.Fatalf("usage of a child that hashed: cpu %v, rss %d", cpu, rss)
	}
	p.Close()
	if after, rss := p.Usage(); rss != 0 || after < 0 {
		t.Fatalf("after the child ended: cpu %v, rss %d", after, rss)
	}
}

// Where no child can be started, keys are still hashed, in this process.
func TestNoChildHashesInProcess(t *testing.T) {
	p := argonproc.New(func() *exec.Cmd { return exec.Command("/nonexistent/clavebot", "hash-worker") }, nil)
	defer p.Close()
	key, salt := []byte("k"), []byte("salt-salt-salt-s")
	got, err := p.IDKey(t.Context(), key, salt, 1, 64, 1, 32)
	if err != nil || !bytes.Equal(got, argon2.IDKey(key, salt, 1, 64, 1, 32)) {
		t.Fatalf("without a child: %x, %v", got, err)
	}
}

// Children that end without answering (here: a program that is no hash
// worker) are given up after maxStrikes, and keys are hashed in this
// process: key creation must not fail for as long as serve runs.
func TestChildrenThatNeverAnswerAreGivenUp(t *testing.T) {
	p := argonproc.New(func() *exec.Cmd { return exec.Command("true") }, nil)
	defer p.Close()
	key, salt := []byte("k"), []byte("salt-salt-salt-s")
	want := argon2.IDKey(key, salt, 1, 64, 1, 32)
	for i := range 10 {
		got, err := p.IDKey(t.Context(), key, salt, 1, 64, 1, 32)
		if err == nil {
			if !bytes.Equal(got, want) {
				t.Fatalf("sum %x, want %x", got, want)
			}
			if n := p.Started(); n > 3 {
				t.Errorf("%d children started before hashing in process", n)
			}
			return
		}
		if !errs.Is(errs.Unavailable, err) {
			t.Fatalf("try %d: %v, want Unavailable", i, err)
		}
	}
	t.Fatal("ten hashes failed: children that never answer are started again and again")
}

// The pool at the registry's parameters (m=19 MiB, t=2, p=1), one child
// per core, against argon2id in this process on every core: what serve's
// key creations get from hashing in one-P children.
func BenchmarkPoolParallel(b *testing.B) {
	p := newProc(b, argonproc.WithChildren(runtime.NumCPU()))
	salt := []byte("salt-salt-salt-s")
	b.SetParallelism(1) // one evaluation per core at once, as serve's hasher
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := p.IDKey(context.Background(), []byte("Qx000000Wk0z"), salt, 2, 19*1024, 1, 32); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkInProcessParallel(b *testing.B) {
	salt := []byte("salt-salt-salt-s")
	b.SetParallelism(1)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			argon2.IDKey([]byte("Qx000000Wk0z"), salt, 2, 19*1024, 1, 32)
		}
	})
}
