package main

import (
	"io"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"testing"
)

// TestServeCountsRoundTrips: serve's metrics count the round trips of its
// turns to Redis and PostgreSQL. A chat's first REST turn costs exactly
// three Redis round trips: the chat secret's check (rest.RedisSecrets),
// the engine's take of the chat and its commit. The counter is global, and
// background work (the relay's sweep, reminders, the desk) and a new
// pooled connection or a script Redis had not cached only add to it, never
// take away: so the cheapest of several turns, each on a chat of its own,
// is what a turn costs.
func TestServeCountsRoundTrips(t *testing.T) {
	const perTurn = 3
	_, base := startTestServer(t, "")
	trips := func(backend string) float64 {
		_, body, _ := call(t, "GET", base+"/metrics", "", nil)
		raw, _ := body["raw"].(string)
		m := regexp.MustCompile(`clavebot_roundtrips_total\{backend="` + backend + `"\} (\S+)`).FindStringSubmatch(raw)
		if m == nil {
			t.Fatalf("metrics lack the %s round trips", backend)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	cheapest := math.Inf(1)
	var costs []float64
	// Stop at the first turn that costs no more than perTurn: it cannot
	// cost less unless a round trip went missing, which is a failure too.
	for i := 0; i < 20 && cheapest > perTurn; i++ {
		before := trips("redis")
		code, _, _ := call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": "rt" + strconv.Itoa(i), "text": "hola"})
		if code != http.StatusOK {
			t.Fatalf("turn %d answered %d", i, code)
		}
		n := trips("redis") - before
		costs = append(costs, n)
		cheapest = min(cheapest, n)
	}
	if cheapest != perTurn {
		t.Errorf("the cheapest turn counted %v Redis round trips (all: %v), want %d", cheapest, costs, perTurn)
	}
	trips("postgres") // present even where the registry is SQLite (then 0)
}

func TestServeRefusesABadTurnLimit(t *testing.T) {
	for _, args := range [][]string{{"--max-turns-in-flight", "0"}, {"--max-turns-running", "-1"}, {"--database-max-conns", "0"}, {"--database-statement-timeout", "-1s"}} {
		err := runMain(t.Context(), append([]string{"serve"}, args...), nil, io.Discard, io.Discard)
		if ee, ok := err.(*exitError); !ok || ee.code != 2 {
			t.Errorf("serve %v: %v, want exit status 2", args, err)
		}
	}
}
