package dialog

import (
	"slices"
	"strings"
)

// Names typed with a request to a flow that asks none (recovery, change:
// "me olvidé la clave, soy Ana López, mi cuil es …") were dropped; when
// the CUIL had no key and creating was offered, "sí" asked them again (a
// people probe). They are set aside (State.Names), labelled as a carry
// is, for a flow on the same CUIL that asks them.

// namesAside notes the names the message's request gives when the flow
// just started asks none.
func (t *turn) namesAside() {
	if t.text == "" || slices.Contains(t.personalSteps(), StepFirstNames) {
		return
	}
	r := t.reading()
	names, _ := requestNameCarry(requestNames(r, true, false))
	if names == "" {
		if n := listedFullName(r); n != "" {
			names = "nombre completo: " + n + ","
		}
	}
	if names == "" {
		// The names kept where the bot asked what the CUIL was for
		// (namesAloneCarry), come with the carry: said "Anoté…", they
		// were asked again when creating was offered after recovery.
		names, _ = namesAloneCarry(r)
	}
	if names != "" {
		t.st.Names = strings.TrimSpace(names)
	}
}

// namesBack makes the names set aside the message's, for the flow just
// started on the same CUIL to take them as it takes data typed with a
// request; not when the message brings names or data of its own.
func (t *turn) namesBack() {
	names := t.st.Names
	if names == "" || !slices.Contains(t.personalSteps(), StepFirstNames) {
		return
	}
	t.st.Names = ""
	if r := t.reading(); r.data() > 0 || len(r.names) > 0 {
		return
	}
	t.read, t.carriedDone = readText(names, t.now), false
}
