package dialog_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// cutAtCommit is the test Redis through a proxy that is cut, when armed,
// just as a turn commits: the registry has done the turn's work, and the
// chat's state cannot be saved.
type cutAtCommit struct {
	*redisstore.Store
	p     *proxy
	armed bool
}

var _ dialog.StateStore = (*cutAtCommit)(nil)

func (s *cutAtCommit) Commit(ctx context.Context, l dialog.Lease, state []byte, lines [][]byte, ttl time.Duration) error {
	if s.armed {
		s.armed = false
		s.p.cut(true)
	}
	return s.Store.Commit(ctx, l, state, lines, ttl)
}

// TestAttemptReservedInALostTurnIsGivenBack: Redis goes away as the turn
// that reserved a validation attempt (the questions begun, or the next
// round after a failed one) saves the chat. The person is told the system
// has trouble and asked the same again, so no chat holds that attempt; it
// counted as a failure for an hour, and after such turns the person was
// told "ya hay otros intentos de validación en curso para ese CUIL" and
// had to wait that hour (a resilience probe, two replicas over a Redis
// cut). The attempt is given back; a round judged keeps its judgment.
func TestAttemptReservedInALostTurnIsGivenBack(t *testing.T) {
	tests := []struct {
		name string
		// toCut takes a new chat to where cut's message is sent as
		// Redis goes away; expect is what the apology asks for again.
		toCut  func(h *harness, chat string)
		cut    func(h *harness, chat string) string
		expect dialog.Expect
		// failures is what the CUIL's count must be afterwards.
		failures int
	}{
		{
			name:     "the questions begun",
			toCut:    func(h *harness, chat string) { h.toDNIStep(chat) },
			cut:      func(*harness, string) string { return "31.456.789" },
			expect:   dialog.ExpectDNI,
			failures: 0,
		},
		{
			name: "a round failed, the next one begun",
			toCut: func(h *harness, chat string) {
				h.toDNIStep(chat)
				h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
				qs := h.questions(maria)
				for _, q := range qs[:len(qs)-1] {
					h.step(chat, strconv.Itoa(q.Answer+1), dialog.ExpectChoice)
				}
			},
			cut: func(h *harness, chat string) string {
				qs := h.questions(maria)
				q := qs[len(qs)-1]
				return strconv.Itoa((q.Answer+1)%len(q.Options) + 1)
			},
			expect:   dialog.ExpectChoice,
			failures: 1, // the wrong answer, judged
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			p, store := proxiedStore(t, "commitcut")
			cs := &cutAtCommit{Store: store, p: p}
			h.eng = dialog.New(cs, h.reg, h.cat, h.opts...)
			const chat = "commitcut"
			tt.toCut(h, chat)
			cs.armed = true
			h.step(chat, tt.cut(h, chat), tt.expect, i18n.M("error.unavailable"))
			p.cut(false)
			l, err := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation)
			if err != nil {
				t.Fatal(err)
			}
			if l.Failures != tt.failures {
				t.Errorf("Redis lost at the commit: %d failures counted, want %d", l.Failures, tt.failures)
			}
		})
	}
}
