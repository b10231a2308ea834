package main

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

func TestParseMemoryLimit(t *testing.T) {
	limited := func() (uint64, error) { return 512 << 20, nil }
	unlimited := func() (uint64, error) { return 0, memlimit.ErrNoLimit }
	broken := func() (uint64, error) { return 0, errors.New("no cgroup mounted") }
	tests := []struct {
		in        string
		container func() (uint64, error)
		want      int64
		ok        bool
	}{
		{"192MiB", limited, 192 << 20, true},
		{"1GiB", limited, 1 << 30, true},
		{"200MB", limited, 200_000_000, true},
		{"1.5 GiB", limited, 3 << 29, true},
		{"134217728", limited, 134217728, true},
		{"off", limited, 0, true},
		{"OFF", limited, 0, true},
		{"0", limited, 0, true},
		{"auto", limited, 384 << 20, true},
		{"Auto", limited, 384 << 20, true},
		{"auto", unlimited, 0, true},
		{"auto", broken, 0, true},
		{"", limited, 0, false},
		{"lots", limited, 0, false},
		{"-5MiB", limited, 0, false},
	}
	for _, tt := range tests {
		got, err := parseMemoryLimit(tt.in, tt.container)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestServeRefusesBadCollectorSettings(t *testing.T) {
	for _, args := range [][]string{{"--gc-percent", "-2"}, {"--memory-limit", "lots"}, {"--gc-percent", "-1", "--memory-limit", "off"}} {
		err := runMain(t.Context(), append([]string{"serve"}, args...), nil, io.Discard, io.Discard)
		if ee, ok := err.(*exitError); !ok || ee.code != 2 {
			t.Errorf("serve %v: %v, want exit status 2", args, err)
		}
	}
}

// TestServeTunesItsCollector runs the binary, whose collector settings are
// its own (tests run serve in their process too), and reads what Go
// applied from /metrics: the defaults, Go's variables where the
// operator set them, and the flags over both.
func TestServeTunesItsCollector(t *testing.T) {
	bin := buildClavebot(t)
	redisURL := serveRedis(t)
	// What auto gives where this test runs: a share of the container's
	// limit, or none.
	auto := int64(1<<63 - 1)
	if n, err := memlimit.FromCgroup(); err == nil && n > 0 {
		auto = int64(float64(n) * containerShare)
	}
	tests := []struct {
		name        string
		env         []string
		args        []string
		gogc, limit int64
	}{
		{"defaults", nil, nil, defaultGCPercent, auto},
		{"Go's variables", []string{"GOGC=150", "GOMEMLIMIT=300MiB"}, nil, 150, 300 << 20},
		{"clavebot's variables over Go's", []string{"GOGC=150", "GOMEMLIMIT=300MiB", "CLAVEBOT_GC_PERCENT=250", "CLAVEBOT_MEMORY_LIMIT=100MiB"}, nil, 250, 100 << 20},
		{"flags over variables", []string{"CLAVEBOT_GC_PERCENT=250", "GOMEMLIMIT=300MiB"}, []string{"--gc-percent", "300", "--memory-limit", "64MiB"}, 300, 64 << 20},
		{"no limit", []string{"GOMEMLIMIT=300MiB"}, []string{"--memory-limit", "off"}, defaultGCPercent, 1<<63 - 1},
		{"auto over Go's variable", []string{"GOMEMLIMIT=300MiB"}, []string{"--memory-limit", "auto"}, defaultGCPercent, auto},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append([]string{"GOGC=", "GOMEMLIMIT=", "CLAVEBOT_GC_PERCENT=", "CLAVEBOT_MEMORY_LIMIT="}, tt.env...)
			args := append([]string{"--database-url", "sqlite:" + filepath.Join(t.TempDir(), "r.db"), "--redis-url", redisURL}, tt.args...)
			r, err := spawnReplicaEnv(t, bin, "serve "+strconv.Itoa(i), env, args...)
			if err != nil {
				t.Fatal(err)
			}
			raw := getMetrics(t, r.base)
			if got := gauge(t, raw, "go_gc_gogc_percent"); got != float64(tt.gogc) {
				t.Errorf("GOGC %v, want %d", got, tt.gogc)
			}
			if got := gauge(t, raw, "go_gc_gomemlimit_bytes"); got != float64(tt.limit) {
				t.Errorf("memory limit %v, want %d", got, tt.limit)
			}
		})
	}
}

func getMetrics(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d, %v", resp.StatusCode, err)
	}
	return string(b)
}

// gauge reads an unlabelled gauge of the exposition format.
func gauge(t *testing.T, raw, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindStringSubmatch(raw)
	if m == nil {
		t.Fatalf("no %s in /metrics", name)
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}
