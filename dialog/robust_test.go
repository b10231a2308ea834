package dialog_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/dialogtest"
	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

func TestAlwaysAvailableCommands(t *testing.T) {
	h := newHarness(t)
	const chat = "cmd"
	h.toFirstNamesStep(chat)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	h.step(chat, "volver", dialog.ExpectFirstNames)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	h.step(chat, "ayuda", dialog.ExpectLastNames, i18n.M("help"), i18n.M("ask.last_names"))
	h.step(chat, "cancelar", dialog.ExpectMenu, i18n.M("cancel.done"))
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, "MENÚ", dialog.ExpectMenu)
	h.step(chat, "inicio", dialog.ExpectMenu)
}

func TestQuestionKeepsPlace(t *testing.T) {
	h := newHarness(t)
	const chat = "faq"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, "sirve para la afip??", dialog.ExpectCUIL, i18n.M("faq.answer.key.not_afip"), i18n.M("ask.cuil"))
	h.step(chat, maria, dialog.ExpectFirstNames)
	h.step(chat, "no se donde encuentro mi cuil?", dialog.ExpectFirstNames, i18n.M("faq.answer.cuil.find"), i18n.M("ask.first_names"))
}

func TestFreeTextStartsFlows(t *testing.T) {
	h := newHarness(t)
	h.step("f1", "me olvide la clave q hago", dialog.ExpectCUIL, i18n.M("recover.intro"))
	h.step("f2", "hola", dialog.ExpectMenu)
	h.step("f2", "quiero crear la clave de la seguridad social", dialog.ExpectCUIL)
	// In the middle of a flow, another flow is offered, not forced.
	h.step("f2", maria, dialog.ExpectFirstNames)
	h.step("f2", "me olvide la clave q hago", dialog.ExpectChoice, i18n.M("offer.switch", "what", i18n.M("topic.recover")))
	h.step("f2", "no", dialog.ExpectFirstNames)
	// Asking for the flow one is in goes on with it.
	h.step("f2", "quiero crear la clave de la seguridad social", dialog.ExpectFirstNames, i18n.M("ask.first_names"))
	// At a flow's first step, nothing given yet, another flow asked for
	// starts, as CONTRACT §6 says (it was offered: a contract probe).
	for _, tt := range []struct {
		chat, text string
		expect     dialog.Expect
		want       i18n.Message
	}{
		{"f3", "me olvidé la clave", dialog.ExpectCUIL, i18n.M("recover.intro")},
		{"f4", "quiero cambiar mi clave", dialog.ExpectCUIL, i18n.M("change.intro")},
		{"f5", "tengo un problema", dialog.ExpectChoice, i18n.M("trouble.ask")},
	} {
		h.step(tt.chat, "hola", dialog.ExpectMenu)
		h.step(tt.chat, "1", dialog.ExpectCUIL)
		h.step(tt.chat, tt.text, tt.expect, tt.want)
	}
}

func TestNotUnderstoodTwiceOffersPerson(t *testing.T) {
	h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
	const chat = "nu"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "cual es el resultado de boca river", dialog.ExpectMenu)
	h.step(chat, "asdkjh qwe zxc", dialog.ExpectChoice, i18n.M("offer.handoff_not_understood"))
	h.step(chat, "si", dialog.ExpectText, i18n.M("handoff.queued", "position", 1))
}

func TestIdleExpiry(t *testing.T) {
	h := newHarness(t)
	const chat = "idle"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.now = h.now.Add(16 * time.Minute)
	h.step(chat, maria, dialog.ExpectChoice, i18n.M("idle.restart", "minutes", 15), i18n.M("cuil.what"))
}

// A round of questions left by going quiet is given back when the chat
// starts over, as one left by "cancelar" (found by a probe: it counted).
func TestIdleAtTheQuestionsGivesTheAttemptBack(t *testing.T) {
	h := newHarness(t)
	h.toDNIStep("idle-q")
	h.step("idle-q", "31456789", dialog.ExpectChoice, i18n.M("questions.intro"))
	h.now = h.now.Add(registry.DefaultPolicy().IdleTimeout + time.Minute)
	h.step("idle-q", "hola", dialog.ExpectMenu, i18n.M("idle.restart", "minutes", 15))
	if l, _ := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation); l.Failures != 0 {
		t.Fatalf("the idle round counted: %+v", l)
	}
}

func TestIdleAtKeyStepKeepsTheKeySecret(t *testing.T) {
	h := newHarness(t)
	const chat = "idlekey"
	h.toKeyStep(chat)
	h.step(chat, "Olvidada2024z", dialog.ExpectConfirmKey)
	h.now = h.now.Add(16 * time.Minute)
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "late", Text: "Olvidada2024z", Channel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rs := res.Replies
	if !res.Secret || !has(rs, i18n.M("idle.restart", "minutes", 15)) || last(rs).Expect != dialog.ExpectMenu {
		t.Fatalf("secret=%v, replies:\n%s", res.Secret, h.dump(rs))
	}
	raw := string(h.store.Raw(chat)) + h.store.Lines(chat)
	if strings.Contains(raw, "Olvidada2024z") || strings.Contains(raw, "argon2id") {
		t.Fatalf("the key or its hash outlived the idle timeout: %s", raw)
	}
}

func TestBadInputIsAnsweredKindly(t *testing.T) {
	h := newHarness(t)
	const chat = "bad"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "st1", Media: "sticker", Channel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if rs := res.Replies; !has(rs, i18n.M("input.media")) || last(rs).Expect != dialog.ExpectCUIL {
		t.Fatalf("sticker:\n%s", h.dump(rs))
	}
	h.step(chat, strings.Repeat("a", 10<<10), dialog.ExpectCUIL, i18n.M("input.too_long"))
	h.step(chat, "   ", dialog.ExpectCUIL)
	h.step(chat, "\x00\x01", dialog.ExpectCUIL)
}

// TestDuplicateDelivery: a message delivered again is not handled again.
// A platform's redelivery gets no replies (they were sent: sending them
// again would say everything twice); a client that reads the replies from
// its request's answer (Replay: the REST chat) gets the same ones again,
// as it sends the message again because it lost them.
func TestDuplicateDelivery(t *testing.T) {
	for _, replay := range []bool{false, true} {
		t.Run(fmt.Sprintf("replay=%v", replay), func(t *testing.T) {
			h := newHarness(t)
			h.step("dup", "hola", dialog.ExpectMenu)
			in := dialog.Inbound{Chat: "dup", ID: "m1", Text: "1", Channel: "test", Replay: replay}
			first, err := h.eng.Handle(h.ctx, in)
			if err != nil || len(first.Replies) == 0 {
				t.Fatalf("first delivery: %v, %d replies", err, len(first.Replies))
			}
			again, err := h.eng.Handle(h.ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool][]dialog.Reply{true: first.Replies}[replay]; !reflect.DeepEqual(again.Replies, want) {
				t.Fatalf("second delivery:\n%s\nwant:\n%s", h.dump(again.Replies), h.dump(want))
			}
			// Not handled twice: "1" again would be read as a CUIL.
			h.step("dup", "ayuda", dialog.ExpectCUIL)
		})
	}
}

func TestConcurrentMessagesOfOneChat(t *testing.T) {
	h := newHarness(t)
	const chat = "burst"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	var wg sync.WaitGroup
	replies := make([]int, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "b" + strconv.Itoa(i), Text: "123", Channel: "test"})
			if err != nil {
				t.Error(err)
			}
			replies[i] = len(res.Replies)
		}()
	}
	wg.Wait()
	for i, n := range replies {
		if n == 0 {
			t.Fatalf("message %d got no reply: lost or taken for a duplicate", i)
		}
	}
	h.step(chat, maria, dialog.ExpectFirstNames)
}

// flakyRegistry fails with Unavailable while down is set.
type flakyRegistry struct {
	dialog.Registry
	down bool
}

func (f *flakyRegistry) Citizen(ctx context.Context, c registry.CUIL) (*registry.Citizen, error) {
	if f.down {
		return nil, errs.E(errs.Unavailable, "citizen", context.DeadlineExceeded)
	}
	return f.Registry.Citizen(ctx, c)
}

func TestRegistryOutageLosesNothing(t *testing.T) {
	h := newHarness(t)
	flaky := &flakyRegistry{Registry: h.reg}
	h.eng = dialog.New(h.store, flaky, h.cat, h.opts...)
	const chat = "outage"
	h.toFirstNamesStep(chat)
	flaky.down = true
	h.step(chat, "María Belén", dialog.ExpectFirstNames, i18n.M("error.unavailable"), i18n.M("ask.first_names"))
	flaky.down = false
	h.step(chat, "María Belén", dialog.ExpectLastNames)
}

// failingCommits is a store whose commits fail while down (Redis gone
// between a turn's read and its write).
type failingCommits struct {
	*dialogtest.MemStore
	down bool
}

func (f *failingCommits) Commit(ctx context.Context, l statestore.Lease, state []byte, lines [][]byte, ttl time.Duration) error {
	if f.down {
		return errs.E(errs.Unavailable, "commit", errors.New("connection reset"))
	}
	return f.MemStore.Commit(ctx, l, state, lines, ttl)
}

// TestFailedCommitFreesTheChat: a turn whose commit fails gives the chat's
// lock back; it blocked the chat's next messages until the lock expired
// (found by a probe: 20 s, then "tuvimos un problema técnico"). The
// person is asked the question they were at again, with its expect (it
// was an error, answered "text"). The message is not marked handled:
// sent again, it is handled.
func TestFailedCommitFreesTheChat(t *testing.T) {
	h := newHarness(t)
	store := &failingCommits{MemStore: h.store}
	h.eng = dialog.New(store, h.reg, h.cat, h.opts...)
	h.step("commit", "hola", dialog.ExpectMenu)
	store.down = true
	in := dialog.Inbound{Chat: "commit", ID: "m1", Text: "1", Channel: "test"}
	if res, err := h.eng.Handle(h.ctx, in); err != nil || !has(res.Replies, i18n.M("error.unavailable")) || last(res.Replies).Expect != dialog.ExpectMenu {
		t.Fatalf("a failed commit: %v, %s; want the apology and the menu asked again", err, h.dump(res.Replies))
	}
	store.down = false
	ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	res, err := h.eng.Handle(ctx, in)
	if err != nil || len(res.Replies) == 0 || res.Replies[len(res.Replies)-1].Expect != dialog.ExpectCUIL {
		t.Fatalf("the message sent again: %v, %+v", err, res.Replies)
	}
}

// fakeDesk is a desk whose queue is a counter.
type fakeDesk struct {
	mu      sync.Mutex
	closed  bool
	opens   time.Time
	queue   []dialog.Handoff
	relayed []string
	taken   bool // an agent has the chat
	pending bool // a message left outside hours, the desk open now
	place   int  // the place in the line; 0: the queue's length
	kept    bool // in the line though closed: kept there at closing
}

func (d *fakeDesk) Enqueue(_ context.Context, h dialog.Handoff) (dialog.Ticket, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queue = append(d.queue, h)
	return dialog.Ticket{Position: len(d.queue), Open: !d.closed, Opens: d.opens}, nil
}
func (d *fakeDesk) Relay(_ context.Context, _, text string) (dialog.Relayed, error) {
	d.relayed = append(d.relayed, text)
	r := dialog.Relayed{AtAgent: d.taken, Waiting: !d.taken && (!d.closed || d.kept) && !d.pending, Open: !d.closed, Opens: d.opens}
	if r.Waiting {
		r.Position = cmp.Or(d.place, len(d.queue))
	}
	return r, nil
}
func (d *fakeDesk) Leave(context.Context, string) (bool, error) { return d.taken, nil }
func (d *fakeDesk) Holds(context.Context, string) (bool, error) { return d.taken, nil }
func (d *fakeDesk) Rate(context.Context, string, bool) error    { return nil }

func TestHandoffTranscriptHidesKeys(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "ho"
	h.toKeyStep(chat)
	h.step(chat, "Secreta2024q", dialog.ExpectConfirmKey)
	h.step(chat, "hablar con una persona", dialog.ExpectChoice, i18n.M("offer.handoff_validated"))
	// "No" keeps the place, the new key kept; "sí" hands over.
	h.step(chat, "no", dialog.ExpectConfirmKey)
	h.step(chat, "hablar con una persona", dialog.ExpectChoice, i18n.M("offer.handoff_validated"))
	h.step(chat, "sí", dialog.ExpectText, i18n.M("handoff.queued", "position", 1))
	h.send(chat, "hola, necesito ayuda")
	if len(desk.queue) != 1 || len(desk.relayed) != 1 {
		t.Fatalf("queue %d, relayed %d", len(desk.queue), len(desk.relayed))
	}
	for _, l := range desk.queue[0].Transcript {
		if strings.Contains(l.Msg.Text, "Secreta2024q") {
			t.Fatal("the key reached the desk's transcript")
		}
	}
	if !desk.queue[0].Validated {
		t.Fatal("the desk is not told the person validated")
	}
	// The identity questions' answers are a credential: hidden as the
	// key is (an attack probe read them on the desk).
	hidden := 0
	for _, l := range desk.queue[0].Transcript {
		if l.Msg.Key == "transcript.hidden_answer" {
			hidden++
		}
	}
	if hidden != 3 {
		t.Fatalf("%d answers hidden, want the 3 of the round:\n%+v", hidden, desk.queue[0].Transcript)
	}

	for _, l := range desk.queue[0].Transcript {
		if strings.Contains(l.Msg.Text, "31456789") {
			t.Fatalf("the transcript holds the CUIL in clear: %q", l.Msg.Text)
		}
	}
	// Waiting, the bot's commands but leaving are the person's words to
	// the desk (found by a probe: with an agent, "ayuda", "volver" and
	// "hablar con una persona" got "Seguís en la fila" and never reached
	// the agent); "menú" leaves, said as "cancelar" says it.
	for _, text := range []string{"volver", "ayuda", "hablar con una persona"} {
		h.step(chat, text, dialog.ExpectText, i18n.M("handoff.message_again_at", "position", 1))
	}
	if n := len(desk.relayed); n != 4 {
		t.Fatalf("relayed %d, want the 4 messages", n)
	}
	h.step(chat, "menú", dialog.ExpectMenu, i18n.M("handoff.left"))
	// "Empezar de nuevo" leaves too (a regression probe: it was relayed);
	// with an agent, leaving says the conversation ended, not the line.
	h.step(chat, "hablar con una persona", dialog.ExpectText)
	h.step(chat, "empezar de nuevo", dialog.ExpectMenu, i18n.M("handoff.left"))
	h.step(chat, "hablar con una persona", dialog.ExpectText)
	desk.taken = true
	h.step(chat, "cancelar", dialog.ExpectMenu, i18n.M("handoff.left_agent"))
}

func TestRepeatedFailuresPointToAPerson(t *testing.T) {
	h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
	const chat = "fails"
	if rs := h.failValidation(chat); has(rs, i18n.M("hint.handoff")) || has(rs, i18n.M("offer.*")) {
		t.Fatalf("a person is offered after one failure:\n%s", h.dump(rs))
	}
	h.step(chat, "24/07/1990", dialog.ExpectBirthDate, i18n.M("attempts.last"), i18n.M("hint.handoff"))
}

// toQueue hands chat to the desk from the menu, first in line.
func toQueue(h *harness, chat string) {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "6", dialog.ExpectText, i18n.M("handoff.queued", "position", 1))
}

// TestMessagesWhileWaitingAreAcknowledged: in line for an agent,
// "¿hola? ¿hay alguien?" got nothing back and the bot looked broken (found
// by a probe); it is told the message will be read, and its place. The
// same again is said short (several messages in a row each got the whole
// paragraph), keeping the place and when the desk opens (a regression
// probe: the short form dropped them); a new place, at length. When the
// desk answers is the bot's to say, with the acknowledgement at length.
// With an agent, the agent answers: the bot says nothing.
func TestMessagesWhileWaitingAreAcknowledged(t *testing.T) {
	desk := &fakeDesk{place: 3}
	hours := i18n.M("hours.span", "days", "de lunes a viernes", "from", "8:00", "to", "20:00")
	h := newHarness(t, dialog.WithDesk(desk), dialog.WithDeskHours(hours))
	const chat = "waiting"
	toQueue(h, chat)
	h.step(chat, "¿hola? ¿hay alguien?", dialog.ExpectText, i18n.M("handoff.message_waiting_at", "position", 3))
	rs := h.step(chat, "es por mi clave", dialog.ExpectText, i18n.M("handoff.message_again_at", "position", 3))
	if has(rs, i18n.M("handoff.message_waiting_at")) {
		t.Fatalf("the same acknowledgement twice:\n%s", h.dump(rs))
	}
	desk.place = 2
	h.step(chat, "¿cuánto falta?", dialog.ExpectText, i18n.M("handoff.message_waiting_at", "position", 2))
	h.step(chat, "¿en qué horario atienden?", dialog.ExpectText, i18n.M("handoff.message_waiting_at", "position", 2),
		i18n.M("faq.hours_desk", "desk_hours", hours))
	// The desk closed meanwhile: the short form says when it opens.
	desk.closed, desk.opens = true, time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)
	h.step(chat, "¿hay alguien?", dialog.ExpectText, i18n.M("handoff.message_saved_until", "opens", i18n.M("when.day", "at", desk.opens)))
	h.step(chat, "es urgente", dialog.ExpectText, i18n.M("handoff.message_again_until", "opens", i18n.M("when.day", "at", desk.opens)))
	// Kept in the line at closing, the place is said too (a regression
	// probe: "¿cuánto falta?" lost it).
	desk.kept = true
	h.step(chat, "¿cuánto falta?", dialog.ExpectText, i18n.M("handoff.message_closed_at", "position", 2, "opens", i18n.M("when.day", "at", desk.opens)))
	h.step(chat, "¿qué lugar tengo?", dialog.ExpectText, i18n.M("handoff.message_again_closed_at", "position", 2, "opens", i18n.M("when.day", "at", desk.opens)))
	desk.closed, desk.opens, desk.kept = false, time.Time{}, false
	desk.taken = true
	if rs := h.send(chat, "necesito ayuda con mi clave"); len(rs) != 0 {
		t.Fatalf("with an agent, the bot said:\n%s", h.dump(rs))
	}
	if len(desk.relayed) != 9 {
		t.Fatalf("relayed %v", desk.relayed)
	}
}

// TestAgentRatedNotUseful: "No me sirvió" of the desk's help got the
// cheerful thanks of a good rating (found by a probe); it is heard, and
// what is left is said.
func TestAgentRatedNotUseful(t *testing.T) {
	for _, tt := range []struct {
		text string
		want i18n.Message
	}{{"Me sirvió", i18n.M("rate.thanks")}, {"No me sirvió", i18n.M("rate_agent.sorry")},
		// Typed (found by a regression probe: "no" got "¡De nada!").
		{"no", i18n.M("rate_agent.sorry")}, {"sí, gracias", i18n.M("rate.thanks")}} {
		h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
		chat := "rated-" + tt.text
		toQueue(h, chat)
		if err := h.eng.EndHandoff(h.ctx, chat, nil); err != nil {
			t.Fatal(err)
		}
		h.step(chat, tt.text, dialog.ExpectMenu, tt.want)
	}
}

func TestOutsideDeskHoursMessagesAreAcknowledged(t *testing.T) {
	desk := &fakeDesk{closed: true}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "closed"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "6", dialog.ExpectText, i18n.M("handoff.closed"))
	h.step(chat, "necesito ayuda con mi clave", dialog.ExpectText, i18n.M("handoff.message_saved"))
	if len(desk.relayed) != 1 {
		t.Fatalf("relayed %v", desk.relayed)
	}
	// A desk that knows when it opens says so ("¿cuándo me contestan?"
	// got "cuando abra").
	desk.opens = time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC)
	h.step("closed-until", "hola", dialog.ExpectMenu)
	h.step("closed-until", "6", dialog.ExpectText, i18n.M("handoff.closed_until", "opens", i18n.M("when.day", "at", desk.opens)))
	h.step("closed-until", "¿cuándo me contestan?", dialog.ExpectText, i18n.M("handoff.message_saved_until", "opens", i18n.M("when.day", "at", desk.opens)))
}

// TestDeskHoursChangeWhilePeopleWait: what a message gets is what the
// desk says now (found by a probe): in line when the desk closed, it was
// promised an answer at once; left outside hours, it was told "cuando
// abra" with the desk open.
func TestDeskHoursChangeWhilePeopleWait(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "hours-change"
	toQueue(h, chat)
	desk.closed, desk.opens = true, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	h.step(chat, "¿falta mucho?", dialog.ExpectText, i18n.M("handoff.message_saved_until", "opens", i18n.M("when.day", "at", desk.opens)))
	desk.closed, desk.opens, desk.pending = false, time.Time{}, true
	h.step(chat, "¿ya abrieron?", dialog.ExpectText, i18n.M("handoff.message_open"))
}

// Accepting to leave a flow for a person gives the desk the CUIL in hand.
func TestSwitchToAPersonKeepsTheCUIL(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "switch"
	h.toFirstNamesStep(chat)
	h.step(chat, "me pasas con un operador xfa", dialog.ExpectChoice, i18n.M("offer.switch", "what", i18n.M("topic.handoff")))
	h.step(chat, "si", dialog.ExpectText, i18n.M("handoff.queued"))
	if len(desk.queue) != 1 || desk.queue[0].CUIL != "20314567898" || desk.queue[0].Reason != "requested" {
		t.Fatalf("desk got %+v", desk.queue)
	}
}

// TestAnswerToAnotherQuestionHidden: an option of another question typed
// at the first is hidden from the desk too (a regression probe: "córdoba"
// at the benefits' question reached it); what is no option stays.
func TestAnswerToAnotherQuestionHidden(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	qs := h.questions(maria)
	var other string
	for _, o := range qs[len(qs)-1].Options {
		if !o.None {
			other = o.Text
			break
		}
	}
	const wrong = "wrong-question"
	h.toDNIStep(wrong)
	h.step(wrong, "31456789", dialog.ExpectChoice)
	h.send(wrong, "no entiendo")
	h.send(wrong, other)
	h.send(wrong, "hablar con una persona")
	h.send(wrong, "sí")
	var typed []string
	for _, l := range desk.queue[len(desk.queue)-1].Transcript {
		if l.From == "person" {
			typed = append(typed, l.Msg.Text+string(l.Msg.Key))
		}
	}
	all := strings.Join(typed, "|")
	if strings.Contains(all, other) || !strings.Contains(all, "no entiendo") {
		t.Fatalf("the person's lines reached the desk as %q", typed)
	}
}

// TestLockedHoldsTheChat: what the desk does under the chat's lock
// (giving a chat back to the line) is never interleaved with the
// person's message, which is handled after it, and leaves the chat's
// state as it was: a refused change changes nothing either.
func TestLockedHoldsTheChat(t *testing.T) {
	h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
	const chat = "locked"
	toQueue(h, chat)
	entered, release := make(chan struct{}), make(chan struct{})
	refused := errors.New("refused")
	locked := make(chan error, 1)
	go func() {
		locked <- h.eng.Locked(h.ctx, chat, func(context.Context) error {
			close(entered)
			<-release
			return refused
		})
	}()
	<-entered
	sent := make(chan []dialog.Reply, 1)
	go func() {
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "m1", Text: "¿hola?", Channel: "test"})
		if err != nil {
			t.Error(err)
		}
		sent <- res.Replies
	}()
	// The wait only gives a wrong order time to show.
	select {
	case <-sent:
		t.Fatal("the person's message was handled while the chat was locked")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-locked; !errors.Is(err, refused) {
		t.Fatalf("Locked returned %v, want f's error", err)
	}
	// Still in the line: acknowledged there.
	if rs := <-sent; len(rs) != 1 || rs[0].Msg.Key != "handoff.message_waiting_at" {
		t.Fatalf("after the lock, the person's message got:\n%s", h.dump(rs))
	}
}
