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
