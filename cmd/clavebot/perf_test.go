package main

import (
	"io"
	"regexp"
	"strconv"
	"testing"
)

// TestServeCountsRoundTrips: serve's metrics count the round trips of its
// turns to Redis (two a turn: take the chat, commit it) and PostgreSQL.
func TestServeCountsRoundTrips(t *testing.T) {
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
	before := trips("redis")
	call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": "rt", "text": "hola"})
	// Background jobs (reminders) may add a few; a turn adds its own two.
	if n := trips("redis") - before; n < 2 || n > 6 {
		t.Errorf("a turn counted %v Redis round trips, want about 2", n)
	}
	trips("postgres") // present even where the registry is SQLite (then 0)
}

func TestServeRefusesABadTurnLimit(t *testing.T) {
	for _, args := range [][]string{{"--max-turns-in-flight", "0"}, {"--database-max-conns", "0"}, {"--database-statement-timeout", "-1s"}} {
		err := runMain(t.Context(), append([]string{"serve"}, args...), nil, io.Discard, io.Discard)
		if ee, ok := err.(*exitError); !ok || ee.code != 2 {
			t.Errorf("serve %v: %v, want exit status 2", args, err)
		}
	}
}
