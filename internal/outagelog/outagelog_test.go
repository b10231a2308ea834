package outagelog

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestJob(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	var j Job
	j.Worked(log, "sweep") // no failure before: nothing
	for range 5 {
		j.Failed(log, "sweep", "err", "refused")
	}
	if n := strings.Count(out.String(), "level=WARN"); n != 1 {
		t.Fatalf("%d warnings for 5 failures in a row, want 1:\n%s", n, out.String())
	}
	j.logged = j.logged.Add(-Every - time.Second) // a minute later
	j.Failed(log, "sweep", "err", "refused")
	if !strings.Contains(out.String(), "failures=6") {
		t.Fatalf("the failure a minute later does not say how many:\n%s", out.String())
	}
	j.Worked(log, "sweep")
	j.Worked(log, "sweep")
	if n := strings.Count(out.String(), `msg="sweep works again"`); n != 1 {
		t.Fatalf("%d lines for the end, want 1:\n%s", n, out.String())
	}
	j.Failed(log, "sweep", "err", "refused")
	if n := strings.Count(out.String(), "level=WARN"); n != 3 {
		t.Fatalf("a new outage is not logged at once:\n%s", out.String())
	}
}
