package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/admit"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/metrics"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/argonproc"
)

// turnsPerCore is the default limit of turns in flight per core: a turn
// spends a fraction of a millisecond on the CPU and a millisecond or two
// waiting for Redis and PostgreSQL, so about ten per core keep a core
// busy; more only wait for the CPU. 32 leaves room for bursts while an
// admitted turn's wait stays a small fraction of a second under overload.
const turnsPerCore = 32

func defaultTurnsInFlight() int { return turnsPerCore * runtime.GOMAXPROCS(0) }

// runningPerCore: of the turns in flight, how many run at once per core
// (admit.WithRunning). Measured on 2 cores (2026-11-30), every turn
// running against 16 (single runs unless said; this machine drifted
// ±20 % within minutes):
//   - issue 14's flow, 64 in flight, 10,000 chats: p99 288-321 -> 187 ms,
//     the same mean; the turns that were fast wait in line behind the slow
//     ones (their p99 53-70 -> 130 ms). 3,000 chats with 4, 8, 16 and 32
//     running: p99 185, 177, 183, 247 ms against 293: fewer than 8 a core
//     leave the CPUs idle while turns wait for Redis and PostgreSQL, more
//     let the machine serve them out of order again.
//   - the realistic mix, 3,000 chats: p99 528 -> 492 ms, keys 7.4 -> 8.0 a
//     second (argon2id in the nice-10 child); 551 -> 457 ms with argon2id
//     in process.
//   - half the people creating keys and writing again 0.1 s after "busy"
//     (two runs each): keys 21-23 -> 18-19 a second and p99 up (the
//     nice-10 child gets less of the CPU the turns use more evenly); with
//     argon2id in process 21.7 -> 27.8 keys/s and p99 630 -> 483 ms.
//
// Four a core since: once turns cost less CPU (a question set half, the
// collector a fraction) and key steps no longer share these slots, 8
// running against 16 on 2 cores (later on 2026-11-30): issue 14's flow,
// two pairs alternated, p99 85.6 -> 72.6 and 110.4 -> 96.6 ms (questions
// turns 116 -> 84, 134 -> 112), turns/s 3,026 -> 3,206 and 2,518 -> 2,427;
// the realistic mix: other turns' p99 49 -> 42 ms, questions turns' 111
// -> 47 ms, keys/s the same (14.6, 14.5); --mix create: the same (32.3,
// 31.3 keys/s; other turns' p99 68.7, 69.8 ms). Every turn running: p99
// 143.7 ms. 32 running: 93.8 ms.
const runningPerCore = 4

func defaultTurnsRunning() int { return runningPerCore * runtime.GOMAXPROCS(0) }

// slowTurn is how long a turn runs before it gives its place in the line
// to the next (admit.WithRunning): several times a turn's time on a
// saturated machine, a fraction of an SMTP server's answer.
const slowTurn = 250 * time.Millisecond

// argon2id's priorities (--hash-priority).
const (
	hashLow    = "low"
	hashNormal = "normal"
)

func (pc *perfConfig) check() error {
	if pc.MaxTurnsInFlight < 1 {
		return errors.New("serve: --max-turns-in-flight must be at least 1")
	}
	if pc.TurnsRunning < 0 {
		return errors.New("serve: --max-turns-running must be 0 (all run) or more")
	}
	if pc.HashPriority != hashLow && pc.HashPriority != hashNormal && pc.HashPriority != "" {
		return fmt.Errorf("serve: --hash-priority must be %s or %s, not %q", hashLow, hashNormal, pc.HashPriority)
	}
	return pc.checkGC()
}

// hashWorkerCommand is the hidden command that runs argon2id for serve, in
// a child process at the a low CPU priority (registry/argonproc).
const hashWorkerCommand = "hash-worker"

// runHashWorker is the child's whole life: one P, a lower priority, then
// answer the parent on standard input and output until its input ends.
func runHashWorker(stdin io.Reader, stdout, stderr io.Writer) int {
	// A child is one core's worth of hashing (serve starts one per core):
	// with more Ps its runtime would touch an evaluation's memory from two
	// CPUs of one address space, which these virtual machines make
	// dearest of all (registry/argonproc).
	runtime.GOMAXPROCS(1)
	if err := argonproc.LowerPriority(); err != nil {
		// A sandbox that forbids it leaves hashing at serve's priority,
		// which is still hashing: keys are created either way.
		fmt.Fprintln(stderr, "hash-worker: hashing at normal priority:", err)
	}
	if err := argonproc.Serve(stdin, stdout); err != nil {
		fmt.Fprintln(stderr, "hash-worker:", err)
		return 1
	}
	return 0
}

// hashKDF is where serve runs argon2id: with --hash-priority low, in
// child processes of this binary at nice 10, one per P of serve (as many
// as its hasher runs at once), stopped when Main closes.
func (m *Main) hashKDF() (registry.KDF, error) {
	if m.Command != "serve" || m.Config.HashPriority == hashNormal {
		return nil, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("argon2id child: %w", err)
	}
	proc := hashChildren(exe, m.stderr, m.log().With("component", "argon2id"))
	m.onClose("argon2id children", proc.Close)
	m.hashChild = proc
	return proc.IDKey, nil
}

// hashChildren runs argon2id in `exe hash-worker` children, one per P of
// this process: serve's hashing, and the load tool's argon2id ceiling
// measured in the same shape.
func hashChildren(exe string, stderr io.Writer, log *slog.Logger) *argonproc.Proc {
	return argonproc.New(func() *exec.Cmd {
		cmd := exec.Command(exe, hashWorkerCommand)
		cmd.Stderr = stderr
		return cmd
	}, log, argonproc.WithChildren(runtime.GOMAXPROCS(0)))
}

// admitted wraps the engine the channels call: turns are measured, and
// refused at once beyond the limit, or at a key step beyond what hashing
// can take (the refusals counted apart).
func admitted(reg prometheus.Registerer, pc *perfConfig) func(bot.Engine) bot.Engine {
	refused := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "clavebot_turns_refused_total", Help: "Messages answered at once that the system is busy (too many turns in flight), by channel.",
	}, []string{"channel"})
	reg.MustRegister(refused)
	n := pc.MaxTurnsInFlight
	if n == 0 { // a config built without flags (tests)
		n = defaultTurnsInFlight()
	}
	return func(e bot.Engine) bot.Engine {
		return admit.New(metrics.NewEngine(e, reg), n,
			admit.WithOnRefuse(func(ch string) { refused.WithLabelValues(ch).Inc() }),
			admit.WithHeavy(dialog.Expect.Secret, registry.HashCapacity(runtime.NumCPU())),
			admit.WithRunning(pc.TurnsRunning, slowTurn),
			admit.WithSourceShare(sourceShare(n)))
	}
}

// sourceShare is how many of a replica's n turns in flight one source (a
// REST client, the person the portal names) may have at once: a quarter,
// so that one client flooding leaves the rest to everyone else. A person
// has one turn in flight, an office behind one address a few.
func sourceShare(n int) int { return max(1, n/sourceShareDiv) }

const sourceShareDiv = 4

// registerRoundTrips exports the round trips counted to each backend.
func registerRoundTrips(reg prometheus.Registerer, t *roundTrips) {
	for backend, c := range map[string]interface{ Load() int64 }{"postgres": &t.postgres, "redis": &t.redis} {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clavebot_roundtrips_total", Help: "Requests sent and answered (round trips) to each backend, background work included.",
			ConstLabels: prometheus.Labels{"backend": backend},
		}, func() float64 { return float64(c.Load()) }))
	}
}

// registerHashing exports the argon2id evaluations run, the work that
// bounds key creations: what a load test compares with the machine's
// argon2id ceiling.
// With the child of --hash-priority low, its CPU time and memory too:
// serve's process_ figures do not count them.
func registerHashing(reg prometheus.Registerer, svc *registry.Service, child *argonproc.Proc) {
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "clavebot_argon2id_evaluations_total", Help: "argon2id evaluations run (keys hashed and keys compared).",
	}, func() float64 { return float64(svc.HashEvaluations()) }))
	if child == nil {
		return
	}
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "clavebot_argon2id_child_cpu_seconds_total", Help: "CPU time of the argon2id child processes (--hash-priority low).",
	}, func() float64 { cpu, _ := child.Usage(); return cpu.Seconds() }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "clavebot_argon2id_child_resident_memory_bytes", Help: "Resident memory of the running argon2id child processes together (--hash-priority low).",
	}, func() float64 { _, rss := child.Usage(); return float64(rss) }))
}

// startPprof serves the profiler on its own listener until ctx ends.
func startPprof(addr string) (runner, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pprof: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return func(ctx context.Context) error {
		go func() {
			<-ctx.Done()
			srv.Close()
		}()
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}, nil
}
