package dialog

import (
	"testing"

	"github.com/clavebot/clavebot/i18n"
)

// An option given nil leaves the do-nothing collaborator, as a nil one
// always meant none: no desk and no reminders are offered, no code sent.
func TestNilOptionIsNone(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := New(nil, nil, cat, WithDesk(nil), WithReminders(nil), WithCodeSender(nil), WithClassifier(nil, 0.5, 0.3))
	if e.hasDesk || e.hasReminders {
		t.Errorf("hasDesk %v, hasReminders %v; want none", e.hasDesk, e.hasReminders)
	}
	if _, ok := e.desk.(noDesk); !ok {
		t.Errorf("desk %T, want noDesk", e.desk)
	}
	if _, ok := e.codes.(noCodeSender); !ok {
		t.Errorf("code sender %T, want noCodeSender", e.codes)
	}
	if _, ok := e.clf.(noClassifier); !ok {
		t.Errorf("classifier %T, want noClassifier", e.clf)
	}
}
