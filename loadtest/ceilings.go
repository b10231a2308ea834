package loadtest

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// Ceilings are what the machine does at best, measured in the same run:
// Redis answering GETs, argon2id hashing with every core, and the floor
// (floor.go): a turn with a turn's round trips and nothing else.
type Ceilings struct {
	RedisGET   []float64 // requests a second, each measurement
	Argon2     []float64 // hashes a second, each measurement
	Floor      []Floor   // each measurement
	RedisNote  string    // why there is no Redis figure, when there is none
	FloorNote  string    // why there is no floor, when there is none
	Argon2Para int       // hashes run at once
}

// Mean is the average of xs (0 when empty).
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

var getRate = regexp.MustCompile(`GET: ([0-9.]+) requests per second`)

// redisBenchmark runs `redis-benchmark -t get -c 50` against the Redis of
// redisURL and returns its GET rate.
func redisBenchmark(ctx context.Context, bin, redisURL string, requests int) (float64, error) {
	u, err := url.Parse(redisURL)
	if err != nil {
		return 0, err
	}
	args := []string{"-h", u.Hostname(), "-p", portOr(u.Port(), "6379"), "-t", "get", "-c", "50", "-n", strconv.Itoa(requests), "-q"}
	if pw, ok := u.User.Password(); ok {
		args = append(args, "-a", pw, "--no-auth-warning")
	}
	if u.Scheme == "rediss" {
		args = append(args, "--tls")
	}
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s: %w: %s", bin, err, out)
	}
	m := getRate.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("%s: no GET rate in %q", bin, out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

func portOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

// argon2Rate hashes with the registry's parameters on every core for d and
// returns hashes a second: the ceiling of key creation on this machine.
// kdf is where serve hashes (its one-P children, registry/argonproc): in
// one process with every core, these virtual machines read a fraction of
// it, and a ceiling serve cannot reach, or that serve beats, says nothing
// (2026-12-03: 0-2 hashes/s in one process while serve hashed 19-25).
// nil hashes in this process.
func argon2Rate(ctx context.Context, d time.Duration, kdf registry.KDF) (float64, int) {
	par := runtime.NumCPU()
	var opts []registry.HasherOption
	if kdf != nil {
		opts = append(opts, registry.WithKDF(kdf))
	}
	h := registry.NewHasher(registry.DefaultHashParams, par, opts...)
	var n atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := h.Hash(context.WithoutCancel(ctx), "Qx000000Wk0z"); err == nil {
					n.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds(), par
}
