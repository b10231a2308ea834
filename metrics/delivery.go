package metrics

import "github.com/prometheus/client_golang/prometheus"

// Delivery counts what becomes of the messages sent outside a person's
// turn (bot/relay): sends, retries, dead letters, closed WhatsApp windows
// and the templates that reopen them, chats stopped because the person
// blocked the bot, and the platforms' receipts.
type Delivery struct {
	sent      *prometheus.CounterVec
	retried   *prometheus.CounterVec
	dead      *prometheus.CounterVec
	held      *prometheus.CounterVec
	templates *prometheus.CounterVec
	tplFailed *prometheus.CounterVec
	stopped   *prometheus.CounterVec
	receipts  *prometheus.CounterVec
	replies   *prometheus.CounterVec
	failures  *prometheus.CounterVec
}

// NewDelivery registers the delivery counters with reg.
func NewDelivery(reg prometheus.Registerer) *Delivery {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	return &Delivery{
		sent: counter("clavebot_outbox_sent_total",
			"Out-of-turn messages the platform took, by channel and kind (agent, reminder, rating...).", "channel", "kind"),
		retried: counter("clavebot_outbox_retries_total",
			"Failed tries that will be tried again, by channel and failure (retry, unsure).", "channel", "failure"),
		dead: counter("clavebot_outbox_dead_letters_total",
			"Messages given up (dead letters), by channel, kind and the platform's code.", "channel", "kind", "code"),
		held: counter("clavebot_outbox_held_total",
			"Times a chat's messages were held because WhatsApp's 24-hour window had closed.", "channel"),
		templates: counter("clavebot_outbox_templates_total",
			"Templates tried to reopen a closed window, by result (sent, retry, failed, none).", "channel", "result"),
		tplFailed: counter("clavebot_outbox_templates_failed_total",
			"Templates that failed for good (result=\"failed\" in clavebot_outbox_templates_total), by the platform's code: one person's (131026, 131049) or the template's (132001, 132015...).", "channel", "code"),
		stopped: counter("clavebot_chats_stopped_total",
			"Chats stopped because the person blocked the bot, left the platform, or the platform does not know the chat (Telegram 400 chat not found).", "channel"),
		receipts: counter("clavebot_outbox_receipts_total",
			"Receipts the platforms reported for out-of-turn messages, by state.", "channel", "state"),
		failures: counter("clavebot_send_failures_total",
			"Failed calls to a channel's platform, by the platform's code (\"other\" for one not known, \"none\" for no answer) and scope: \"account\" when the whole channel cannot send (a token refused, an account blocked or unpaid, a number not registered), else \"message\".", "channel", "code", "scope"),
		replies: counter("clavebot_replies_undelivered_total",
			"Replies within a turn the platform took and reported later it could not deliver (WhatsApp Cloud's failed statuses), by the platform's code.", "channel", "code"),
	}
}

// Sent implements relay.Meter.
func (d *Delivery) Sent(channel, kind string) { d.sent.WithLabelValues(channel, kind).Inc() }

// Retried implements relay.Meter.
func (d *Delivery) Retried(channel, failure string) {
	d.retried.WithLabelValues(channel, failure).Inc()
}

// Dead implements relay.Meter.
func (d *Delivery) Dead(channel, kind, code string) {
	d.dead.WithLabelValues(channel, kind, code).Inc()
}

// Held implements relay.Meter.
func (d *Delivery) Held(channel string) { d.held.WithLabelValues(channel).Inc() }

// Template implements relay.Meter.
func (d *Delivery) Template(channel, result string) {
	d.templates.WithLabelValues(channel, result).Inc()
}

// TemplateFailed implements relay.Meter; a failure without a code counts
// as "unknown".
func (d *Delivery) TemplateFailed(channel, code string) {
	if code == "" {
		code = "unknown"
	}
	d.tplFailed.WithLabelValues(channel, code).Inc()
}

// Stopped implements relay.Meter.
func (d *Delivery) Stopped(channel string) { d.stopped.WithLabelValues(channel).Inc() }

// Receipt implements relay.Meter.
func (d *Delivery) Receipt(channel, state string) { d.receipts.WithLabelValues(channel, state).Inc() }

// ReplyUndelivered counts a turn's reply the platform took and reported
// later it could not deliver: nobody else sees it (the outbox never had
// it), and the person waits for an answer that never came.
func (d *Delivery) ReplyUndelivered(channel, code string) {
	d.replies.WithLabelValues(channel, code).Inc()
}

// Failed implements bot.Failures. The code is kept when it is one of the
// platforms' known codes, else counted as "other", so that a platform
// answering with new codes (or a chat id where a code was expected) does
// not grow the series without bound.
func (d *Delivery) Failed(channel, code string, account bool) {
	scope := "message"
	if account {
		scope = "account"
	}
	d.failures.WithLabelValues(channel, boundedCode(code), scope).Inc()
}

// knownCodes are the platforms' codes a failure keeps as its label: the
// Bot API's HTTP statuses, and Meta's codes clavebot classifies or an
// operator acts on (see bot/whatsapp/cloud, graph.go).
var knownCodes = map[string]bool{
	// Telegram's Bot API (and Meta's HTTP statuses without a code).
	"400": true, "401": true, "403": true, "404": true, "409": true, "429": true,
	"500": true, "502": true, "503": true, "504": true,
	// Meta: the account's (token, permissions, policy, payment, number).
	"0": true, "3": true, "10": true, "190": true, "200": true, "368": true,
	"131005": true, "131031": true, "131042": true, "133010": true,
	// Meta: rate, its own failures.
	"1": true, "2": true, "4": true, "80007": true, "130429": true, "131000": true,
	"131016": true, "131048": true, "131056": true,
	// Meta: one person's or one message's.
	"100": true, "130472": true, "131008": true, "131009": true, "131021": true,
	"131026": true, "131047": true, "131049": true, "131050": true, "131051": true,
	"131052": true, "131053": true,
	// Meta: templates.
	"132000": true, "132001": true, "132005": true, "132007": true, "132012": true,
	"132015": true, "132016": true,
}

func boundedCode(code string) string {
	switch {
	case code == "":
		return "none"
	case knownCodes[code]:
		return code
	}
	return "other"
}
