package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/dialog/faq"
	"github.com/clavebot/clavebot/registry"
)

// serve started by a test (Main in this process) runs argon2id in a child
// made from os.Executable, which is the test binary: started with
// "hash-worker" it is that child, as clavebot is.
func TestMain(m *testing.M) {
	if len(os.Args) == 2 && os.Args[1] == hashWorkerCommand {
		os.Exit(runHashWorker(os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(runTests(m))
}

// runTests runs the tests with a folder for the shared clavebot binary
// (buildClavebot). When the whole package runs, the build starts at once,
// in the background: the tests that spawn serve processes come late, and
// the build, mostly one link, overlaps the in-process tests' waits.
func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "clavebot-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// A build still running when the tests end (none of them needed it)
	// stops, and writes nothing into the removed folder.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sharedBinary.ctx, sharedBinary.dir = ctx, dir
	// Every Main of this process shares one trained classifier (see
	// newClassifier); the serve processes the tests spawn train their own.
	newClassifier = sync.OnceValues(faq.New)
	// Cheap hashes, as the engine's and the desk's tests use (see
	// hashParams): the serve processes the tests spawn keep the defaults.
	hashParams = registry.HashParams{Memory: 64, Time: 1, Threads: 1}
	flag.Parse()
	if wholePackage() {
		sharedBinary.start()
	}
	return m.Run()
}

// wholePackage reports whether every test of the package may run: no
// -run, no -skip, and not -short (which skips the replicas).
func wholePackage() bool {
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// serve hashes in a child at nice 10 unless told --hash-priority normal;
// the other commands hash in their own process.
func TestHashPriority(t *testing.T) {
	tests := []struct {
		command, priority string
		child             bool
	}{
		{"serve", hashLow, true},
		{"serve", "", true},
		{"serve", hashNormal, false},
		{"chat", hashLow, false},
	}
	for _, tt := range tests {
		t.Run(tt.command+"/"+tt.priority, func(t *testing.T) {
			m := NewMain(nil, nil, os.Stderr)
			m.Command, m.Config.HashPriority = tt.command, tt.priority
			kdf, err := m.hashKDF()
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if (kdf != nil) != tt.child {
				t.Fatalf("argon2id in a child: %v, want %v", kdf != nil, tt.child)
			}
			if kdf == nil {
				return
			}
			h := registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 2, registry.WithKDF(kdf))
			phc, err := h.Hash(context.Background(), "Tomate#Azul42")
			if err != nil {
				t.Fatal(err)
			}
			// A hash made by the child is checked in this process alike.
			in := registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 2)
			if ok, _, err := in.Compare(context.Background(), phc, "Tomate#Azul42"); err != nil || !ok {
				t.Fatalf("the child's hash does not verify in process: %v, %v", ok, err)
			}
		})
	}
}

func TestHashPriorityChecked(t *testing.T) {
	pc := perfConfig{MaxTurnsInFlight: 1, HashPriority: "high"}
	if err := pc.check(); err == nil {
		t.Fatal("--hash-priority high accepted")
	}
}
