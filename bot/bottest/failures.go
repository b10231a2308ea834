// Package bottest holds what the channels' tests share.
package bottest

import (
	"fmt"
	"sync"

	"github.com/clavebot/clavebot/bot"
)

// Failures records what a channel reports as failed, as metrics.Delivery
// counts it in serve.
type Failures struct {
	mu sync.Mutex
	n  map[string]int // "channel/scope/code"
}

var _ bot.Failures = (*Failures)(nil)

// Failed implements bot.Failures.
func (f *Failures) Failed(channel, code string, account bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == nil {
		f.n = map[string]int{}
	}
	f.n[key(channel, scope(account), code)]++
}

// Count is how many failures of channel, in scope ("account" or
// "message"), with code were reported.
func (f *Failures) Count(channel, scope, code string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n[key(channel, scope, code)]
}

// Total is how many failures were reported, of any kind.
func (f *Failures) Total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.n {
		n += c
	}
	return n
}

// String lists every count, for a test's failure message.
func (f *Failures) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprint(f.n)
}

func scope(account bool) string {
	if account {
		return "account"
	}
	return "message"
}

func key(channel, scope, code string) string { return channel + "/" + scope + "/" + code }
