package dialog_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// questionsCancel is issue 14's flow as a REST client plays it: create,
// the personal data, then "cancelar" at the first identity question.
var questionsCancel = []struct {
	text string
	want dialog.Expect
}{
	{"hola", dialog.ExpectMenu},
	{"Crear mi clave", dialog.ExpectCUIL},
	{"20-31456789-8", dialog.ExpectFirstNames},
	{"María Belén", dialog.ExpectLastNames},
	{"Gómez Ruiz", dialog.ExpectBirthDate},
	{"14/03/1985", dialog.ExpectDNI},
	{"31.456.789", dialog.ExpectChoice},
	{"cancelar", dialog.ExpectMenu},
}

// BenchmarkEngineFlow measures the engine alone on issue 14's flow, a
// new chat each time, on the in-memory store and the SQLite registry:
// the engine's own CPU and allocations a turn (state, transcript, masks,
// the classifier, the data steps), not the service's throughput, which
// `clavebot loadtest` measures through serve. One op is one turn.
func BenchmarkEngineFlow(b *testing.B) {
	h := newHarness(b)
	runFlow(b, dialog.New(dialogtestStore(h), h.reg, h.cat, h.opts...))
}

// runFlow times eng on issue 14's flow, a new chat each time, one op a
// turn.
func runFlow(b *testing.B, eng *dialog.Engine) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; {
		chat := "flow-" + strconv.Itoa(n)
		for i, m := range questionsCancel {
			res, err := eng.Handle(ctx, dialog.Inbound{Chat: chat, ID: strconv.Itoa(i), Text: m.text, Channel: "rest"})
			if err != nil {
				b.Fatal(err)
			}
			if got := res.Replies[len(res.Replies)-1].Expect; got != m.want {
				b.Fatalf("after %q the chat expects %q, want %q", m.text, got, m.want)
			}
			n++
		}
	}
}
