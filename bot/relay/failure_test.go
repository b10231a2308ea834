package relay_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog/convo"
)

// clock is a time the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// takenThen is a failure after the platform took the message: the answer
// was lost on the way back.
type takenThen struct{ *bot.SendError }

// platform is a channel whose sends fail as scripted: each SendOnce takes
// the next error (nil: accepted).
type platform struct {
	name     string
	window   time.Duration
	template string

	mu        sync.Mutex
	script    []error
	accepted  []string // texts the platform took, failed answers included
	tries     int
	templates []string // template sends' keys
	tplErrs   []error
	ready     bool
	// during, when set, runs inside a send the platform took, before its
	// answer reaches the relay: a status webhook that overtakes it.
	during func(key, id string)
}

func (p *platform) Name() string                                   { return p.name }
func (p *platform) SendText(context.Context, string, string) error { panic("the outbox sends once") }
func (p *platform) Window() time.Duration                          { return p.window }
func (p *platform) Template() string                               { return p.template }
func (p *platform) Ready() bool                                    { p.mu.Lock(); defer p.mu.Unlock(); return p.ready }

func (p *platform) setReady(v bool) { p.mu.Lock(); p.ready = v; p.mu.Unlock() }

func (p *platform) fail(errs ...error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.script = append(p.script, errs...)
}

func (p *platform) SendOnce(_ context.Context, chat string, m bot.Message, key string) (string, error) {
	id, during, err := p.take(m)
	if during != nil && id != "" {
		during(key, id)
	}
	return id, err
}

func (p *platform) take(m bot.Message) (string, func(key, id string), error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tries++
	var err error
	if len(p.script) > 0 {
		err, p.script = p.script[0], p.script[1:]
	}
	if tt, ok := err.(takenThen); ok {
		p.accepted = append(p.accepted, m.Text)
		return "", nil, tt.SendError
	}
	if err != nil {
		return "", nil, err
	}
	p.accepted = append(p.accepted, m.Text)
	return "wamid." + strconv.Itoa(len(p.accepted)), p.during, nil
}

func (p *platform) Reopen(_ context.Context, chat, key string) (string, error) {
	id, during, err := p.reopen(key)
	if during != nil && id != "" {
		during(key, id)
	}
	return id, err
}

func (p *platform) reopen(key string) (string, func(key, id string), error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.tplErrs) > 0 {
		err := p.tplErrs[0]
		p.tplErrs = p.tplErrs[1:]
		return "", nil, err
	}
	p.templates = append(p.templates, key)
	return "wamid.tpl" + strconv.Itoa(len(p.templates)), p.during, nil
}

func (p *platform) state() (accepted []string, tries, templates int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.accepted...), p.tries, len(p.templates)
}

// meter counts what the relay reports.
type meter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (m *meter) inc(k string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.counts == nil {
		m.counts = map[string]int{}
	}
	m.counts[k]++
}
func (m *meter) get(k string) int               { m.mu.Lock(); defer m.mu.Unlock(); return m.counts[k] }
func (m *meter) Sent(ch, kind string)           { m.inc("sent") }
func (m *meter) Retried(ch, f string)           { m.inc("retried:" + f) }
func (m *meter) Dead(ch, kind, reason string)   { m.inc("dead") }
func (m *meter) Held(ch string)                 { m.inc("held") }
func (m *meter) Template(ch, result string)     { m.inc("template:" + result) }
func (m *meter) TemplateFailed(ch, code string) { m.inc("template-failed:" + code) }

func (m *meter) snapshot() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for k, n := range m.counts {
		out[k] = n
	}
	return out
}
func (m *meter) Stopped(ch string)               { m.inc("stopped") }
func (m *meter) Receipt(ch string, state string) { m.inc("receipt:" + state) }
func (m *meter) Failed(ch, code string, account bool) {
	if account {
		m.inc("account:" + code)
	}
}

// stepper is one process whose relay sends only when the test says.
type stepper struct {
	*process
	rdb    redis.UniversalClient
	prefix string
	p      *platform
	clk    *clock
	meter  *meter
	stops  []string
}

const chat = "whatsapp:5491111"

func newStepper(t *testing.T, p *platform, opts ...relay.Option) *stepper {
	rdb, prefix := realRedis(t)
	s := &stepper{rdb: rdb, prefix: prefix, p: p, clk: &clock{t: time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC)}, meter: &meter{}}
	p.ready = true
	base := []relay.Option{
		relay.WithWorkers(0), relay.WithClock(s.clk.now), relay.WithMeter(s.meter),
		relay.WithRetries(4, time.Second, time.Minute), relay.WithGiveUp(30 * time.Minute),
		relay.WithOnStop(func(_ context.Context, chat, reason string) { s.stops = append(s.stops, chat+" "+reason) }),
	}
	s.process = newProcess(t, rdb, prefix, append(base, opts...), p)
	return s
}

func (s *stepper) deliver(t *testing.T, key, txt string) {
	t.Helper()
	if err := s.outbox.Deliver(context.Background(), chat, key, text(txt)); err != nil {
		t.Fatal(err)
	}
}

func (s *stepper) drain(t *testing.T) int {
	t.Helper()
	n, err := s.relay.Drain(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (s *stepper) delivery(t *testing.T) bot.ChatDelivery {
	t.Helper()
	d, err := s.relay.Delivery(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (s *stepper) want(t *testing.T, key string, state bot.State) bot.Status {
	t.Helper()
	st, ok := s.delivery(t).Statuses[key]
	if !ok || st.State != state {
		t.Fatalf("status of %s = %+v, want %s", key, st, state)
	}
	return st
}

func retry(code string, after time.Duration) error {
	return &bot.SendError{Failure: bot.Retry, Code: code, Reason: "try later", RetryAfter: after}
}

func TestMessageStaysInRedisUntilSent(t *testing.T) {
	p := &platform{name: "whatsapp"}
	s := newStepper(t, p)
	p.fail(retry("500", 0), retry("130429", 30*time.Second))
	s.deliver(t, "agent:a1", "hola, soy Ana")

	if n := s.drain(t); n != 0 {
		t.Fatalf("sent %d on a 5xx", n)
	}
	if d := s.delivery(t); d.Waiting != 1 {
		t.Fatalf("after a failed send %d messages wait in Redis, want 1", d.Waiting)
	}
	s.want(t, "agent:a1", bot.Retrying)
	s.drain(t) // not due yet: no try
	if _, tries, _ := p.state(); tries != 1 {
		t.Fatalf("tried %d times before the backoff ended", tries)
	}
	s.clk.add(10 * time.Second)
	s.drain(t) // the rate limit asks for 30 s
	s.clk.add(29 * time.Second)
	s.drain(t)
	if _, tries, _ := p.state(); tries != 2 {
		t.Fatalf("tried %d times, want 2: Retry-After not honoured", tries)
	}
	s.clk.add(2 * time.Second)
	if n := s.drain(t); n != 1 {
		t.Fatalf("sent %d after the wait", n)
	}
	acc, _, _ := p.state()
	if len(acc) != 1 || acc[0] != "hola, soy Ana" {
		t.Fatalf("platform took %v", acc)
	}
	st := s.want(t, "agent:a1", bot.Sent)
	if st.ID != "wamid.1" || st.Tries != 3 {
		t.Fatalf("sent status %+v, want the platform id and 3 tries", st)
	}
	if d := s.delivery(t); d.Waiting != 0 {
		t.Fatalf("%d still waiting after the send", d.Waiting)
	}
	if s.meter.get("retried:retry") != 2 || s.meter.get("sent") != 1 {
		t.Fatalf("metrics %v", s.meter.counts)
	}
}

func TestDeadLetterAfterLastTryThenResend(t *testing.T) {
	p := &platform{name: "whatsapp"}
	s := newStepper(t, p)
	p.fail(retry("2", 0), retry("2", 0), retry("2", 0), retry("2", 0))
	s.deliver(t, "reminder:r1", "ya podés intentar de nuevo")
	s.deliver(t, "agent:a2", "segundo")
	for range 4 {
		s.drain(t)
		s.clk.add(10 * time.Minute)
	}
	// The fourth try, half an hour after the first, was the last: the
	// reminder is a dead letter and the next message is not held up by it.
	if acc, _, _ := p.state(); len(acc) != 1 || acc[0] != "segundo" {
		t.Fatalf("platform took %v, want only the second message", acc)
	}
	s.want(t, "reminder:r1", bot.Failed)
	dead, err := s.relay.DeadLetters(context.Background(), 10)
	if err != nil || len(dead) != 1 {
		t.Fatalf("dead letters %+v, %v", dead, err)
	}
	d := dead[0]
	if d.Chat != chat || d.Key != "reminder:r1" || d.Kind != "reminder" || d.Text != "ya podés intentar de nuevo" || d.Tries != 4 || !strings.Contains(d.Reason, "4 tries") {
		t.Fatalf("dead letter %+v", d)
	}
	if s.meter.get("dead") != 1 {
		t.Fatalf("dead letters counted %d", s.meter.get("dead"))
	}
	if err := s.relay.Resend(context.Background(), chat, "reminder:r1"); err != nil {
		t.Fatal(err)
	}
	s.drain(t)
	s.want(t, "reminder:r1", bot.Sent)
	if dead, _ := s.relay.DeadLetters(context.Background(), 10); len(dead) != 0 {
		t.Fatalf("resent letter still dead: %+v", dead)
	}
}

func TestRefusedGoesStraightToDeadLetters(t *testing.T) {
	p := &platform{name: "whatsapp"}
	s := newStepper(t, p)
	p.fail(&bot.SendError{Failure: bot.Refused, Code: "131026", Reason: "message undeliverable"})
	s.deliver(t, "agent:a1", "hola")
	s.drain(t)
	st := s.want(t, "agent:a1", bot.Failed)
	if st.Code != "131026" || st.Reason != "message undeliverable" {
		t.Fatalf("status %+v", st)
	}
}

func TestTakenThenUnansweredIsNotSentTwice(t *testing.T) {
	cloudLike := &bot.SendError{Failure: bot.Unsure, ConfirmWithin: time.Minute, Reason: "no answer"}
	t.Run("the platform confirms", func(t *testing.T) {
		p := &platform{name: "whatsapp"}
		s := newStepper(t, p)
		p.fail(takenThen{cloudLike})
		s.deliver(t, "agent:a1", "hola")
		s.drain(t)
		s.want(t, "agent:a1", bot.Retrying)
		// Meta's "sent" status echoes the key (biz_opaque_callback_data).
		if err := s.relay.Receipt(context.Background(), bot.Receipt{Chat: chat, Key: "agent:a1", ID: "wamid.X", State: bot.Sent}); err != nil {
			t.Fatal(err)
		}
		s.clk.add(2 * time.Minute)
		s.drain(t)
		if acc, tries, _ := p.state(); len(acc) != 1 || tries != 1 {
			t.Fatalf("platform took %v in %d tries: the retry doubled the message", acc, tries)
		}
		if st := s.want(t, "agent:a1", bot.Sent); st.ID != "wamid.X" {
			t.Fatalf("status %+v", st)
		}
	})
	t.Run("no confirmation: sent again after the wait", func(t *testing.T) {
		p := &platform{name: "whatsapp"}
		s := newStepper(t, p)
		p.fail(cloudLike)
		s.deliver(t, "agent:a1", "hola")
		s.drain(t)
		s.clk.add(30 * time.Second)
		s.drain(t)
		if _, tries, _ := p.state(); tries != 1 {
			t.Fatalf("tried again %d before the confirmation wait ended", tries-1)
		}
		s.clk.add(31 * time.Second)
		s.drain(t)
		if acc, _, _ := p.state(); len(acc) != 1 {
			t.Fatalf("platform took %v, want the message once (at least once)", acc)
		}
	})
}

func TestBlockedStopsTheChatUntilThePersonWrites(t *testing.T) {
	p := &platform{name: "telegram"}
	s := newStepper(t, p)
	const tg = "telegram:77"
	blocked := &bot.SendError{Failure: bot.Blocked, Code: "403", Reason: "the person blocked the bot"}
	p.fail(blocked)
	ctx := context.Background()
	for _, k := range []string{"agent:a1", "reminder:r1"} {
		if err := s.outbox.Deliver(ctx, tg, k, text(k)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.relay.Drain(ctx, tg); err != nil {
		t.Fatal(err)
	}
	if len(s.stops) != 1 || s.stops[0] != tg+" the person blocked the bot" {
		t.Fatalf("desk told %v", s.stops)
	}
	d, _ := s.relay.Delivery(ctx, tg)
	if d.Stopped == "" || d.Waiting != 0 || d.Statuses["reminder:r1"].State != bot.Failed {
		t.Fatalf("delivery %+v", d)
	}
	// No more reminders: a new one fails at once, without a try.
	if err := s.outbox.Deliver(ctx, tg, "reminder:r2", text("otra")); err != nil {
		t.Fatal(err)
	}
	s.relay.Drain(ctx, tg)
	if _, tries, _ := p.state(); tries != 1 {
		t.Fatalf("tried %d times to write to a person who blocked the bot", tries)
	}
	d, _ = s.relay.Delivery(ctx, tg)
	if st := d.Statuses["reminder:r2"]; st.State != bot.Failed || st.Code != "stopped" {
		t.Fatalf("reminder to a stopped chat: %+v", st)
	}
	// The person unblocks and writes: the chat works again, and the
	// agent's message they missed goes out first; the reminders, whose
	// moment passed, stay undelivered on the desk.
	if n, err := s.relay.Arrived(ctx, convo.Inbound{Chat: tg}); err != nil || n != 1 {
		t.Fatalf("Arrived = %d, %v: want the agent's message waiting", n, err)
	}
	if err := s.outbox.Deliver(ctx, tg, "agent:a3", text("de nuevo")); err != nil {
		t.Fatal(err)
	}
	s.relay.Drain(ctx, tg)
	if acc, _, _ := p.state(); !slices.Equal(acc, []string{"agent:a1", "de nuevo"}) {
		t.Fatalf("after the person wrote again the platform took %v", acc)
	}
	dead, err := s.relay.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Key != "reminder:r1" {
		t.Fatalf("dead letters %+v, want the reminder that was tried", dead)
	}
	if d, _ = s.relay.Delivery(ctx, tg); d.Statuses["reminder:r2"].State != bot.Failed {
		t.Fatalf("the reminder put while stopped: %+v, want failed still", d.Statuses["reminder:r2"])
	}
}

func windowPlatform() *platform {
	return &platform{name: "whatsapp", window: 24 * time.Hour, template: "clave_aviso"}
}

var closedWindow = &bot.SendError{Failure: bot.Window, Code: "131047", Reason: "Re-engagement message"}

func TestClosedWindowHoldsTextSendsTemplateDeliversOnReply(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	p.fail(closedWindow)
	s.deliver(t, "agent:a1", "Hola, soy Ana: ya revisé tu caso")
	s.drain(t)
	s.deliver(t, "close:c1", "¿Te sirvió la ayuda?")
	s.drain(t)
	acc, tries, templates := p.state()
	if len(acc) != 0 || tries != 1 || templates != 1 {
		t.Fatalf("took %v in %d tries with %d templates: want nothing, 1 try, 1 template", acc, tries, templates)
	}
	d := s.delivery(t)
	if d.Window == nil || d.Window.Template != "clave_aviso" || d.Window.TemplateStatus == nil || d.Window.TemplateStatus.State != bot.Sent {
		t.Fatalf("window shown as %+v", d.Window)
	}
	if d.Statuses["agent:a1"].State != bot.Held || d.Statuses["close:c1"].State != bot.Held || d.Waiting != 2 {
		t.Fatalf("statuses %+v, waiting %d: the text must be kept, held", d.Statuses, d.Waiting)
	}
	// The template is delivered; the person answers it.
	if err := s.relay.Receipt(context.Background(), bot.Receipt{Chat: chat, ID: "wamid.tpl1", State: bot.Delivered}); err != nil {
		t.Fatal(err)
	}
	if d := s.delivery(t); d.Window.TemplateStatus.State != bot.Delivered {
		t.Fatalf("template status %+v", d.Window.TemplateStatus)
	}
	n, err := s.relay.Arrived(context.Background(), convo.Inbound{Chat: chat})
	if err != nil || n != 2 {
		t.Fatalf("on the person's message %d sent (%v), want both", n, err)
	}
	if acc, _, _ := p.state(); len(acc) != 2 || acc[0] != "Hola, soy Ana: ya revisé tu caso" || acc[1] != "¿Te sirvió la ayuda?" {
		t.Fatalf("platform took %v", acc)
	}
	if d := s.delivery(t); d.Window != nil || d.Statuses["close:c1"].State != bot.Sent {
		t.Fatalf("after the reply: %+v", d)
	}
	if s.meter.get("held") != 1 || s.meter.get("template:sent") != 1 {
		t.Fatalf("metrics %v", s.meter.counts)
	}
}

func TestKnownOldLastMessageGoesStraightToTemplate(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	if _, err := s.relay.Arrived(context.Background(), convo.Inbound{Chat: chat}); err != nil { // Friday night
		t.Fatal(err)
	}
	s.clk.add(60 * time.Hour) // Monday morning
	s.deliver(t, "agent:a1", "Buen día")
	s.drain(t)
	if _, tries, templates := p.state(); tries != 0 || templates != 1 {
		t.Fatalf("%d tries of free text and %d templates, want none and one", tries, templates)
	}
	s.want(t, "agent:a1", bot.Held)
}

func TestNoTemplateConfiguredStillHolds(t *testing.T) {
	p := &platform{name: "whatsapp", window: 24 * time.Hour}
	s := newStepper(t, p)
	p.fail(closedWindow)
	s.deliver(t, "agent:a1", "Buen día")
	s.drain(t)
	d := s.delivery(t)
	if d.Window == nil || d.Window.TemplateStatus == nil || d.Window.TemplateStatus.State != bot.Failed || d.Statuses["agent:a1"].State != bot.Held {
		t.Fatalf("without a template: %+v", d)
	}
}

func TestLateWindowFailurePutsMessageBack(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	s.deliver(t, "agent:a1", "Buen día")
	s.drain(t)
	s.want(t, "agent:a1", bot.Sent)
	// Meta took it, then its status webhook says 131047.
	late := bot.Receipt{Chat: chat, ID: "wamid.1", State: bot.Failed, Code: "131047", Reason: "Re-engagement message"}
	if err := s.relay.Receipt(context.Background(), late); err != nil {
		t.Fatal(err)
	}
	s.drain(t)
	if _, _, templates := p.state(); templates != 1 {
		t.Fatalf("%d templates after a late 131047, want 1", templates)
	}
	s.want(t, "agent:a1", bot.Held)
	// Meta posts it again (it retries webhooks): still held, not failed.
	if err := s.relay.Receipt(context.Background(), late); err != nil {
		t.Fatal(err)
	}
	s.want(t, "agent:a1", bot.Held)
	if n, err := s.relay.Arrived(context.Background(), convo.Inbound{Chat: chat}); err != nil || n != 1 {
		t.Fatalf("on the person's message %d sent, %v", n, err)
	}
	if acc, _, _ := p.state(); len(acc) != 2 {
		t.Fatalf("platform took %v, want the message again", acc)
	}
}

// TestStatusOvertakingTheSendIsApplied: Meta's status webhook can be
// handled before the send that it is about has returned, so before the
// relay recorded the message as sent. The platform here delivers the
// status from inside the send, which makes that order certain.
func TestStatusOvertakingTheSendIsApplied(t *testing.T) {
	late := bot.Receipt{State: bot.Failed, Code: "131047", Reason: "Re-engagement message"}
	for _, tc := range []struct {
		name     string
		receipt  bot.Receipt // Meta echoes the key in it
		want     bot.State
		template int
	}{
		{"131047: held, template", late, bot.Held, 1},
		{"delivered", bot.Receipt{State: bot.Delivered}, bot.Delivered, 0},
		{"another failure", bot.Receipt{State: bot.Failed, Code: "131026", Reason: "Message undeliverable"}, bot.Failed, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := windowPlatform()
			s := newStepper(t, p)
			var rc bot.Receipt
			p.during = func(key, id string) {
				rc = tc.receipt
				rc.Chat, rc.Key, rc.ID = chat, key, id
				if err := s.relay.Receipt(context.Background(), rc); err != nil {
					t.Error(err)
				}
			}
			s.deliver(t, "agent:a1", "Buen día")
			s.drain(t)
			p.during = nil
			s.want(t, "agent:a1", tc.want)
			if _, _, templates := p.state(); templates != tc.template {
				t.Fatalf("%d templates, want %d", templates, tc.template)
			}
			if tc.want != bot.Held {
				if d := s.delivery(t); d.Waiting != 0 || d.Window != nil {
					t.Fatalf("after the send: %+v", d)
				}
				return
			}
			// Meta posts the same failure again: the message stays held.
			if err := s.relay.Receipt(context.Background(), rc); err != nil {
				t.Fatal(err)
			}
			s.want(t, "agent:a1", bot.Held)
			// The person writes: the message goes again, once.
			if n, err := s.relay.Arrived(context.Background(), convo.Inbound{Chat: chat}); err != nil || n != 1 {
				t.Fatalf("on the person's message %d sent, %v", n, err)
			}
			if acc, _, _ := p.state(); len(acc) != 2 || acc[1] != "Buen día" {
				t.Fatalf("platform took %v, want the message again", acc)
			}
			s.want(t, "agent:a1", bot.Sent)
			if d := s.delivery(t); d.Waiting != 0 || d.Window != nil {
				t.Fatalf("after the person wrote: %+v", d)
			}
		})
	}
}

// TestTemplateStatusOvertakingItsSendIsApplied: the template's key has no
// status until its send is recorded, so a status that comes first is kept
// for the record.
func TestTemplateStatusOvertakingItsSendIsApplied(t *testing.T) {
	for _, state := range []bot.State{bot.Delivered, bot.Failed} {
		t.Run(string(state), func(t *testing.T) {
			p := windowPlatform()
			s := newStepper(t, p)
			p.fail(closedWindow)
			p.during = func(key, id string) {
				rc := bot.Receipt{Chat: chat, Key: key, ID: id, State: state}
				if state == bot.Failed {
					rc.Code, rc.Reason = "131026", "Message undeliverable"
				}
				if err := s.relay.Receipt(context.Background(), rc); err != nil {
					t.Error(err)
				}
			}
			s.deliver(t, "agent:a1", "Buen día")
			s.drain(t)
			d := s.delivery(t)
			if d.Window == nil || d.Window.TemplateStatus == nil || d.Window.TemplateStatus.State != state {
				t.Fatalf("window shown as %+v, want the template %s", d.Window, state)
			}
			s.want(t, "agent:a1", bot.Held)
		})
	}
}

// TestArrivedCountsWhatWaitedThoughAnotherDrainSendsIt: the person writes
// while another process's drain is sending what waited for them. Arrived
// says it waited (a tap on the template then needs no turn of its own),
// though the other drain, not this call, sends it.
func TestArrivedCountsWhatWaitedThoughAnotherDrainSendsIt(t *testing.T) {
	p := windowPlatform()
	a := newStepper(t, p)
	arrived := make(chan struct{}, 1)
	b := newProcess(t, a.rdb, a.prefix, []relay.Option{relay.WithWorkers(0), relay.WithClock(a.clk.now),
		relay.WithOnChange(func(context.Context, string) {
			select {
			case arrived <- struct{}{}:
			default:
			}
		})}, &platform{name: "whatsapp", window: 24 * time.Hour, ready: true})
	type result struct {
		n   int
		err error
	}
	res := make(chan result, 1)
	p.during = func(string, string) {
		// A's send is under way: the person writes, to B.
		go func() {
			n, err := b.relay.Arrived(context.Background(), convo.Inbound{Chat: chat})
			res <- result{n, err}
		}()
		<-arrived
	}
	a.deliver(t, "agent:a1", "Buen día")
	if n := a.drain(t); n != 1 {
		t.Fatalf("A sent %d, want 1", n)
	}
	if r := <-res; r.err != nil || r.n != 1 {
		t.Fatalf("Arrived = %d, %v; want 1: one message waited", r.n, r.err)
	}
	if acc, _, _ := p.state(); len(acc) != 1 {
		t.Fatalf("A's platform took %v, want the message once", acc)
	}
}

func TestNotReadyProcessLeavesMessagesToTheOneThatIs(t *testing.T) {
	rdb, prefix := realRedis(t)
	// Two replicas with WhatsApp; only the lease holder is ready.
	pa, pb := &platform{name: "whatsapp", ready: true}, &platform{name: "whatsapp"}
	a := newProcess(t, rdb, prefix, nil, pa)
	b := newProcess(t, rdb, prefix, nil, pb)
	a.run(t)
	b.run(t)
	ctx := context.Background()
	for i := range 5 {
		if err := b.outbox.Deliver(ctx, chat, bot.NewKey("agent"), text("m"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the holder to send", func() bool { acc, _, _ := pa.state(); return len(acc) == 5 })
	// The lease moves to B (A lost it); in between, A fails "not connected".
	pa.fail(retry("not connected", 0))
	pa.setReady(false)
	for i := 5; i < 10; i++ {
		if err := a.outbox.Deliver(ctx, chat, bot.NewKey("agent"), text("m"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	pb.setReady(true)
	waitFor(t, "the new holder to send", func() bool { acc, _, _ := pb.state(); return len(acc) == 5 })
	accA, _, _ := pa.state()
	accB, _, _ := pb.state()
	all := append(accA, accB...)
	for i, m := range all {
		if m != "m"+strconv.Itoa(i) {
			t.Fatalf("messages %v: lost, doubled or out of order across the lease change", all)
		}
	}
}

func TestReceiptByPlatformIDAlone(t *testing.T) {
	p := &platform{name: "whatsapp"}
	s := newStepper(t, p)
	s.deliver(t, "agent:a1", "hola")
	s.drain(t)
	// A platform that echoes no key: the id it answered with is enough.
	if err := s.relay.Receipt(context.Background(), bot.Receipt{Chat: chat, ID: "wamid.1", State: bot.Read}); err != nil {
		t.Fatal(err)
	}
	s.want(t, "agent:a1", bot.Read)
	// A receipt for a message the outbox never sent changes nothing.
	if err := s.relay.Receipt(context.Background(), bot.Receipt{Chat: chat, ID: "wamid.turn", State: bot.Delivered}); err != nil {
		t.Fatal(err)
	}
	if d := s.delivery(t); len(d.Statuses) != 1 {
		t.Fatalf("statuses %+v", d.Statuses)
	}
}

// TestRepeatedMessageChangesNothing: Meta delivers a person's message
// again, to any replica, even days later (found by a probe). It moved the
// window's last message to now, so the bot wrote free text to a closed
// window; ended the stop of a person who had blocked the bot since; and
// forgot the current question, so the person's next tap on it was told it
// was an earlier message's. A message told again changes nothing; a new
// one, even of the same second, does.
func TestRepeatedMessageChangesNothing(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	ctx := context.Background()
	friday := convo.Inbound{Chat: chat, ID: "wamid.in1", At: s.clk.now().Truncate(time.Second)}
	if _, err := s.relay.Arrived(ctx, friday); err != nil {
		t.Fatal(err)
	}
	s.clk.add(60 * time.Hour)
	if n, err := s.relay.Arrived(ctx, friday); err != nil || n != 0 {
		t.Fatalf("Friday's message again: %d, %v", n, err)
	}
	s.deliver(t, "agent:a1", "Buen día")
	s.drain(t)
	if acc, tries, templates := p.state(); len(acc) != 0 || tries != 0 || templates != 1 {
		t.Fatalf("took %v in %d tries, %d templates: Friday's message again reopened the window", acc, tries, templates)
	}

	questions := relay.NewQuestions(s.rdb, s.prefix)
	if err := questions.Asked(ctx, chat, "q1"); err != nil {
		t.Fatal(err)
	}
	monday := convo.Inbound{Chat: chat, ID: "wamid.in2", At: s.clk.now().Truncate(time.Second)}
	if n, err := s.relay.Arrived(ctx, monday); err != nil || n != 1 {
		t.Fatalf("Monday's message: %d waited (%v), want the held one", n, err)
	}
	if err := questions.Asked(ctx, chat, "q2"); err != nil {
		t.Fatal(err)
	}
	for _, again := range []convo.Inbound{friday, monday} {
		if _, err := s.relay.Arrived(ctx, again); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := questions.Answer(ctx, chat, "q2", "wamid.tap1"); err != nil || !ok {
		t.Fatalf("a tap on the current question after a repeated message: %v, %v", ok, err)
	}

	p.fail(&bot.SendError{Failure: bot.Blocked, Code: "131031", Reason: "the person blocked the bot"})
	s.deliver(t, "agent:a2", "¿Seguís ahí?")
	s.drain(t)
	if _, err := s.relay.Arrived(ctx, monday); err != nil {
		t.Fatal(err)
	}
	if d := s.delivery(t); d.Stopped == "" {
		t.Fatalf("Monday's message again ended the stop: %+v", d)
	}
	// Another message of the same second is news.
	same := convo.Inbound{Chat: chat, ID: "wamid.in3", At: monday.At}
	if _, err := s.relay.Arrived(ctx, same); err != nil {
		t.Fatal(err)
	}
	if d := s.delivery(t); d.Stopped != "" {
		t.Fatalf("a new message did not end the stop: %+v", d)
	}
}

// TestOutageLosesNothing: with serve's settings an agent's reply that met
// an outage of the platform (502s) became a dead letter after 8 tries,
// 4 min 35 s (found by a probe): replies, rating questions and reminders
// were lost to a short outage. A message is tried for a day, the wait
// capped at 5 minutes, and goes out when the platform is back; a
// platform down for longer than that gives it up.
func TestOutageLosesNothing(t *testing.T) {
	serve := []relay.Option{relay.WithRetries(8, 2*time.Second, 5*time.Minute), relay.WithGiveUp(24 * time.Hour)}
	outage := func(t *testing.T, d time.Duration) (*stepper, *platform) {
		p := &platform{name: "whatsapp"}
		s := newStepper(t, p, serve...)
		s.deliver(t, "agent:a1", "Hola, soy Ana de ANSES: ya revisé tu caso")
		start := s.clk.now()
		for s.clk.now().Sub(start) < d {
			p.fail(retry("502", 0))
			s.drain(t)
			s.clk.add(time.Minute)
		}
		p.mu.Lock()
		p.script = nil // the platform is back
		p.mu.Unlock()
		s.clk.add(6 * time.Minute) // the longest wait, with its jitter
		s.drain(t)
		return s, p
	}
	t.Run("three hours", func(t *testing.T) {
		s, p := outage(t, 3*time.Hour)
		if acc, tries, _ := p.state(); len(acc) != 1 || tries > 3*60/5+10 {
			t.Fatalf("after the outage the platform took %v in %d tries", acc, tries)
		}
		s.want(t, "agent:a1", bot.Sent)
	})
	t.Run("over a day", func(t *testing.T) {
		s, p := outage(t, 25*time.Hour)
		if acc, _, _ := p.state(); len(acc) != 0 {
			t.Fatalf("platform took %v", acc)
		}
		if st := s.want(t, "agent:a1", bot.Failed); !strings.Contains(st.Reason, "gave up") {
			t.Fatalf("status %+v", st)
		}
	})
}

// TestUnsureOutageBacksOff: WhatsApp Cloud reads Meta's 5xx (and a send
// with no answer) as Unsure, to be confirmed within a minute. The relay
// retried every minute, without the doubling, the cap or the jitter, and
// with the give-up budget for 24 hours: 1,440 tries a waiting chat, every
// chat in step, against a Graph API that is down (found by a regression
// probe). After the confirmation's wait, the backoff as for any failure.
func TestUnsureOutageBacksOff(t *testing.T) {
	p := &platform{name: "whatsapp"}
	s := newStepper(t, p, relay.WithRetries(8, 2*time.Second, 5*time.Minute), relay.WithGiveUp(24*time.Hour))
	s.deliver(t, "agent:a1", "Hola, soy Ana de ANSES")
	start := s.clk.now()
	for s.clk.now().Sub(start) < 3*time.Hour {
		p.fail(&bot.SendError{Failure: bot.Unsure, ConfirmWithin: time.Minute, Code: "500", Reason: "Graph API 500"})
		s.drain(t)
		s.clk.add(30 * time.Second) // the sweep runs every 2 s
	}
	if _, tries, _ := p.state(); tries > 3*60/5+10 {
		t.Errorf("a 3-hour outage of 5xx made %d tries of one message (a 502 as Retry: at most %d)", tries, 3*60/5+10)
	}
}

// TestHeldMessagesBecomeDeadLettersBeforeTheyExpire: a message held for a
// closed window waits for the person to write. When they never do (no
// template is configured, or they ignore it), the chat's keys expired
// after 30 days untouched and the agent's message went with them, listed
// nowhere. Now the held messages become dead letters, which the desk
// lists, while Redis still has them.
func TestHeldMessagesBecomeDeadLettersBeforeTheyExpire(t *testing.T) {
	for _, tc := range []struct {
		name     string
		template string
		reason   string
	}{
		{"no template", "", "no template"},
		{"template ignored", "clave_aviso", "did not write again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &platform{name: "whatsapp", window: 24 * time.Hour, template: tc.template}
			s := newStepper(t, p)
			ctx := context.Background()
			s.deliver(t, "agent:a1", "Buen día, ya revisé tu caso")
			s.clk.add(20 * 24 * time.Hour) // a failing platform, an idle replica
			p.fail(closedWindow)
			s.drain(t)
			s.want(t, "agent:a1", bot.Held)
			base := s.prefix + "outbox:{whatsapp}:"
			due, err := s.rdb.ZScore(ctx, base+"due", chat).Result()
			if err != nil {
				t.Fatalf("the held chat is not due at any time (%v): nothing will ever look at it again", err)
			}
			until := time.UnixMilli(int64(due)).Sub(s.clk.now())
			if ttl := s.rdb.PTTL(ctx, base+"q:"+chat).Val(); ttl <= until {
				t.Fatalf("the queue expires in %s, before the chat is due in %s", ttl, until)
			}
			s.clk.add(until)
			s.relay.Sweep(ctx)
			s.drain(t)
			dead, err := s.relay.DeadLetters(ctx, 10)
			if err != nil || len(dead) != 1 || dead[0].Key != "agent:a1" || !strings.Contains(dead[0].Reason, tc.reason) {
				t.Fatalf("dead letters %+v, %v: want the held message, saying why", dead, err)
			}
			s.want(t, "agent:a1", bot.Failed)
			if d := s.delivery(t); d.Window != nil || d.Waiting != 0 {
				t.Fatalf("after the give-up: %+v", d)
			}
			// The person writes at last: nothing is left to send, the
			// agent may send the dead letter again.
			if n, err := s.relay.Arrived(ctx, convo.Inbound{Chat: chat}); err != nil || n != 0 {
				t.Fatalf("arrived: %d, %v", n, err)
			}
		})
	}
}

// TestRetryAfterIsSpread: the chats a 429 (retry_after) refused at one
// instant were all tried again at the instant it ended, each refused
// again, and the wait prolonged (a channels probe). Each now waits what
// was asked and a little more of its own.
func TestRetryAfterIsSpread(t *testing.T) {
	p := &platform{name: "whatsapp"}
	s := newStepper(t, p)
	const n = 20
	ctx := context.Background()
	for i := range n {
		p.fail(retry("429", 2*time.Second))
		c := chat + strconv.Itoa(i)
		if err := s.outbox.Deliver(ctx, c, "agent:s"+strconv.Itoa(i), text("hola")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.relay.Drain(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	due, err := s.rdb.ZRangeWithScores(ctx, s.prefix+"outbox:{whatsapp}:due", 0, -1).Result()
	if err != nil || len(due) != n {
		t.Fatalf("%d chats due (%v), want %d", len(due), err, n)
	}
	at := map[float64]bool{}
	now := float64(s.clk.now().UnixMilli())
	for _, z := range due {
		if wait := time.Duration(z.Score-now) * time.Millisecond; wait < 2*time.Second || wait > 3*time.Second {
			t.Errorf("%v waits %v, want what was asked (2 s) and at most a second more", z.Member, wait)
		}
		at[z.Score] = true
	}
	if len(at) == 1 {
		t.Errorf("all %d chats are tried again at the same instant", n)
	}
}
