package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildClavebot returns the path of this command built without the race
// detector (the replicas hash keys, which it slows down). The binary is
// built once per test process and shared: each of the four tests that
// spawn serve processes built their own, a link of some 20 s of CPU each
// on a loaded two-core CI machine (a whole build on a cold cache), and
// none of them changes it.
func buildClavebot(t *testing.T) string {
	t.Helper()
	bin, err := sharedBinary.get()
	if err != nil {
		t.Fatalf("the tests that spawn serve build clavebot: %v", err)
	}
	return bin
}

// sharedBinary is the clavebot binary of this test process, in a folder
// TestMain removes when the tests end.
var sharedBinary = &binaryBuild{}

// binaryBuild builds the command once, on the first get or when start
// runs it ahead.
type binaryBuild struct {
	once sync.Once
	ctx  context.Context // set with dir, before the first get or start
	dir  string
	bin  string
	err  error
}

// start builds in the background, so the build overlaps the tests that
// run in this process and a later get waits for less or nothing.
func (b *binaryBuild) start() { go b.get() }

func (b *binaryBuild) get() (string, error) {
	b.once.Do(func() { b.bin, b.err = goBuild(b.ctx, b.dir) })
	return b.bin, b.err
}

// goBuild builds this package into dir.
func goBuild(ctx context.Context, dir string) (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	if ctx == nil || dir == "" {
		return "", errors.New("no folder for the binary (TestMain sets one)")
	}
	bin := filepath.Join(dir, "clavebot")
	if out, err := exec.CommandContext(ctx, goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// replica is one `clavebot serve` process.
type replica struct {
	name string
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	out  *tail
	done chan struct{}
	err  error // of Wait, once done is closed
}

// spawnReplica starts `clavebot serve args...` and waits until it
// listens. It may run on any goroutine: it reports instead of failing the
// test.
func spawnReplica(t *testing.T, bin, name string, args ...string) (*replica, error) {
	return spawnReplicaEnv(t, bin, name, nil, args...)
}

// spawnReplicaEnv is spawnReplica with env added to this process's
// environment.
func spawnReplicaEnv(t *testing.T, bin, name string, env []string, args ...string) (*replica, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--http-addr", "127.0.0.1:0", "--log-level", "info"}, args...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	r := &replica{name: name, cmd: cmd, out: &tail{max: 64 << 10}, done: make(chan struct{})}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = r.out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	listening := make(chan string, 1)
	go r.read(stderr, listening)
	go func() {
		r.err = cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		r.kill()
		if t.Failed() {
			t.Logf("%s's last output:\n%s", name, r.out.String())
		}
	})
	select {
	case addr := <-listening:
		r.base = "http://" + addr
		return r, nil
	case <-r.done:
		return nil, fmt.Errorf("%s exited at start: %v\n%s", name, r.err, r.out.String())
	case <-time.After(60 * time.Second):
		return nil, fmt.Errorf("%s did not start listening:\n%s", name, r.out.String())
	}
}

var servingLine = regexp.MustCompile(`msg=serving addr=(\S+)`)

// read keeps the process's log and reports the address it listens on.
func (r *replica) read(stderr io.Reader, listening chan<- string) {
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		r.out.Write([]byte(line + "\n"))
		if m := servingLine.FindStringSubmatch(line); m != nil {
			select {
			case listening <- m[1]:
			default:
			}
		}
	}
}

// kill ends the process at once, as a crash or the OOM killer would.
func (r *replica) kill() {
	r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.done
}

// terminate sends SIGTERM, as Kubernetes does to stop a pod.
func (r *replica) terminate() error { return r.cmd.Process.Signal(syscall.SIGTERM) }

// wait waits for the process to exit and returns its exit status.
func (r *replica) wait(ctx context.Context) (int, error) {
	select {
	case <-r.done:
	case <-ctx.Done():
		return -1, ctx.Err()
	}
	var ee *exec.ExitError
	if errors.As(r.err, &ee) {
		return ee.ExitCode(), nil
	}
	return 0, r.err
}

// alive reports whether the process still runs.
func (r *replica) alive() bool {
	select {
	case <-r.done:
		return false
	default:
		return true
	}
}

// tail keeps the last max bytes written, for failure reports.
type tail struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}

// errorLines returns the process's ERROR log lines.
func (t *tail) errorLines() []string {
	var out []string
	for _, l := range strings.Split(t.String(), "\n") {
		if strings.Contains(l, "level=ERROR") {
			out = append(out, l)
		}
	}
	return out
}
