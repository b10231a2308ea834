// Package outagelog logs the failures of a job that runs every few
// seconds (the outbox's sweep, the reminders) as a person reading the log
// can bear during an outage: the first failure at once, then one line a
// minute while the failures go on, and one when they end. Logged on every
// run, an outage of Redis wrote a line a second in each process, and in
// the terminal chat between the person's own messages.
package outagelog

import (
	"log/slog"
	"sync"
	"time"
)

// Every is how often a failure that goes on is logged again.
const Every = time.Minute

// Job is one job's failures. The zero value is ready; it is safe for
// concurrent use.
type Job struct {
	mu     sync.Mutex
	since  time.Time // the first failure of the current run of them; zero when none
	logged time.Time // when a failure was logged last
	n      int       // failures since since
}

// Failed records a failure: logged at Warn with args when it is the
// first after a success, or Every after the last one logged (then with
// how many and since when).
func (j *Job) Failed(log *slog.Logger, msg string, args ...any) {
	now := time.Now()
	j.mu.Lock()
	if j.since.IsZero() {
		j.since = now
	}
	j.n++
	repeat := j.n > 1
	if repeat && now.Sub(j.logged) < Every {
		j.mu.Unlock()
		return
	}
	j.logged = now
	n, since := j.n, j.since
	j.mu.Unlock()
	if repeat {
		args = append(args, "failures", n, "failing_for", now.Sub(since).Round(time.Second))
	}
	log.Warn(msg, args...)
}

// Worked records a success: after failures, logged once at Info.
func (j *Job) Worked(log *slog.Logger, msg string) {
	j.mu.Lock()
	if j.since.IsZero() {
		j.mu.Unlock()
		return
	}
	n, since := j.n, j.since
	j.since, j.n = time.Time{}, 0
	j.mu.Unlock()
	log.Info(msg+" works again", "failures", n, "failed_for", time.Since(since).Round(time.Second))
}
