package deploy

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/util/annotations"
)

// firing evaluates every alert of alerts.yaml at the end of an hour of
// series (lines of promqltest's series notation, one sample a minute) and
// returns the alerts that fire by then, their "for" included, with the
// label sets they fire for.
func firing(t *testing.T, series string) map[string][]string {
	t.Helper()
	c := newChecker(t)
	groups, errs := rulefmt.ParseFile(alertsFile, false, model.LegacyValidation, c.parser, slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var all []storage.Series
	for _, line := range strings.Split(strings.TrimSpace(series), "\n") {
		lset, vals, err := c.parser.ParseSeriesDesc(strings.TrimSpace(line))
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		var samples []chunks.Sample
		for i, v := range vals {
			if !v.Omitted {
				samples = append(samples, fsample{t: int64(i) * time.Minute.Milliseconds(), f: v.Value})
			}
		}
		all = append(all, storage.NewListSeries(lset, samples))
	}
	st := storage.QueryableFunc(func(_, _ int64) (storage.Querier, error) {
		return &storage.MockQuerier{SelectMockFunction: func(_ bool, _ *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
			var out []storage.Series
		next:
			for _, s := range all {
				for _, m := range ms {
					if !m.Matches(s.Labels().Get(m.Name)) {
						continue next
					}
				}
				out = append(out, s)
			}
			return &listSet{series: out, i: -1}
		}}, nil
	})
	eng := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: time.Minute, LookbackDelta: 5 * time.Minute, Parser: c.parser})
	end := time.Unix(0, 0).Add(60 * time.Minute)
	out := map[string][]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			// Fires at end when the expression held at every minute
			// since end minus its "for".
			var sets []string
			for at := end.Add(-time.Duration(r.For)); !at.After(end); at = at.Add(time.Minute) {
				q, err := eng.NewInstantQuery(context.Background(), st, nil, r.Expr, at)
				if err != nil {
					t.Fatalf("%s: %v", r.Alert, err)
				}
				v, err := q.Exec(context.Background()).Vector()
				q.Close()
				if err != nil {
					t.Fatalf("%s: %v", r.Alert, err)
				}
				if len(v) == 0 {
					sets = nil
					break
				}
				if at.Equal(end) {
					for _, s := range v {
						sets = append(sets, s.Metric.String())
					}
				}
			}
			if len(sets) > 0 {
				out[r.Alert] = sets
			}
		}
	}
	return out
}

// fsample is one float sample of a test series.
type fsample struct {
	t int64
	f float64
}

func (s fsample) T() int64                      { return s.t }
func (s fsample) F() float64                    { return s.f }
func (s fsample) H() *histogram.Histogram       { return nil }
func (s fsample) FH() *histogram.FloatHistogram { return nil }
func (s fsample) ST() int64                     { return 0 }
func (s fsample) Type() chunkenc.ValueType      { return chunkenc.ValFloat }
func (s fsample) Copy() chunks.Sample           { return s }

// listSet is a storage.SeriesSet over a slice.
type listSet struct {
	series []storage.Series
	i      int
}

func (l *listSet) Next() bool                        { l.i++; return l.i < len(l.series) }
func (l *listSet) At() storage.Series                { return l.series[l.i] }
func (l *listSet) Err() error                        { return nil }
func (l *listSet) Warnings() annotations.Annotations { return nil }

// TestAlertOnAStalledOutbox: WhatsApp's access token expired (Meta's 190,
// or Telegram's 401): every reply, in turns and out of them, waits in the
// outbox and is retried with backoff for 24 hours before it becomes a
// dead letter, the only outbox alert. People kept writing (the channel
// was not silent) and got nothing, and no alert fired for a day (a
// resilience probe against serve with the fake Graph API answering 190).
// An outbox that retries and sends nothing for half an hour is for an
// operator now; one that retries a few while it sends is not.
func TestAlertOnAStalledOutbox(t *testing.T) {
	const healthy = `
up{job="clavebot",instance="a"} 1+0x60
clavebot_turn_seconds_count{job="clavebot",channel="whatsapp"} 0+20x60
clavebot_outbox_sent_total{job="clavebot",channel="whatsapp",kind="agent"} 0+3x60
`
	stalled := strings.Replace(healthy, "0+3x60", "0x60", 1) + `clavebot_outbox_retries_total{job="clavebot",channel="whatsapp",failure="retry"} 0+40x60
`
	sent := strings.Replace(healthy, "0+3x60", "0+3x20 60+0x40", 1) // the token expired at 20 m
	stalledAfterSending := sent + `clavebot_outbox_retries_total{job="clavebot",channel="whatsapp",failure="retry"} 0x20 0+40x40
`
	someRetries := healthy + `clavebot_outbox_retries_total{job="clavebot",channel="whatsapp",failure="retry"} 0+1x60
`
	for name, tt := range map[string]struct {
		series string
		alert  bool
	}{
		"nothing sent, every try failing": {stalled, true},
		"sending stopped 40 minutes ago":  {stalledAfterSending, true},
		"healthy":                         {healthy, false},
		"a few retries while messages go": {someRetries, false},
	} {
		got := firing(t, tt.series)
		var outbox []string
		for name, sets := range got {
			for _, s := range sets {
				if strings.Contains(s, `channel="whatsapp"`) && name != "ClavebotChannelSilent" {
					outbox = append(outbox, name+s)
				}
			}
		}
		if tt.alert && len(outbox) == 0 {
			t.Errorf("%s: no alert for WhatsApp (firing: %v)", name, got)
		}
		if !tt.alert && len(outbox) > 0 {
			t.Errorf("%s: alerts %v", name, outbox)
		}
	}
}

// TestAlertOnAccountFailures: the platform refused the channel's account
// (WhatsApp's access token expired, 190; the business account blocked,
// 368; Telegram's token revoked, 401 on getUpdates): the channel sent
// nothing, and the only alert, ClavebotOutboxStalled, waited for half an
// hour of failed retries (a probe against serve with the fakes answering
// as the platforms do). The account's failures are counted apart now
// (clavebot_send_failures_total{scope="account"}) and page within
// minutes, by channel and code; one person's failures, however many, do
// not, nor does an account failure fixed an hour ago.
func TestAlertOnAccountFailures(t *testing.T) {
	const base = `
up{job="clavebot",instance="a"} 1+0x60
clavebot_turn_seconds_count{job="clavebot",channel="whatsapp"} 0+20x60
clavebot_turn_seconds_count{job="clavebot",channel="telegram"} 0+20x60
clavebot_outbox_sent_total{job="clavebot",channel="whatsapp",kind="agent"} 0+3x55 165+0x5
`
	failures := func(channel, code, scope, values string) string {
		return `clavebot_send_failures_total{job="clavebot",channel="` + channel + `",code="` + code + `",scope="` + scope + `"} ` + values + "\n"
	}
	for name, tt := range map[string]struct {
		series string
		want   string // the label set it fires for, "" for none
	}{
		"WhatsApp's token expired 5 minutes ago":   {base + failures("whatsapp", "190", "account", "_x55 1+4x5"), `{channel="whatsapp", code="190"}`},
		"WhatsApp's account blocked 5 minutes ago": {base + failures("whatsapp", "368", "account", "_x55 1+4x5"), `{channel="whatsapp", code="368"}`},
		"Telegram's token revoked 5 minutes ago":   {base + failures("telegram", "401", "account", "_x55 1+30x5"), `{channel="telegram", code="401"}`},
		"an hour of WhatsApp's account held":       {base + failures("whatsapp", "131042", "account", "0+1x60"), `{channel="whatsapp", code="131042"}`},
		"many persons left WhatsApp":               {base + failures("whatsapp", "131026", "message", "0+10x60"), ""},
		"Telegram down on its side":                {base + failures("telegram", "502", "message", "0+10x60"), ""},
		"the token replaced 40 minutes ago, fixed": {base + failures("whatsapp", "190", "account", "_x10 1+4x10 41+0x40"), ""},
		"healthy": {base, ""},
		// The counter's series is born at its first failure, at 1: one
		// failure that never repeats (a 190 at the only send of a quiet
		// night, a token refused once) had no increase to see.
		"one 190 5 minutes ago, no traffic since":  {base + failures("whatsapp", "190", "account", "_x55 1+0x5"), `{channel="whatsapp", code="190"}`},
		"one 401 5 minutes ago, after a restart":   {base + failures("telegram", "401", "account", "_x55 1+0x5"), `{channel="telegram", code="401"}`},
		"one 190 50 minutes ago, no traffic since": {base + failures("whatsapp", "190", "account", "_x10 1+0x50"), ""},
		// Prometheus itself away 20 minutes: an old failure's series is
		// not new for coming back.
		"an old failure, Prometheus back from 20 minutes away": {`
up{job="clavebot",instance="a"} 1+0x30 _x20 1+0x9
` + failures("whatsapp", "190", "account", "_x5 1+0x25 _x20 1+0x9"), ""},
	} {
		sets, fired := firing(t, tt.series)["ClavebotChannelAccountFailing"]
		if tt.want == "" && fired {
			t.Errorf("%s: ClavebotChannelAccountFailing fired for %v", name, sets)
		}
		if tt.want != "" && (len(sets) != 1 || sets[0] != tt.want) {
			t.Errorf("%s: ClavebotChannelAccountFailing fired for %v, want %s", name, sets, tt.want)
		}
	}
}

// TestAlertOnCodesNotSent: the SMTP relay down (or refusing the
// credentials) left every person asked for a one-time code with "No
// pudimos enviar el código ahora", and those with a verified e-mail
// unable to recover their key, while only the log said so (a resilience
// probe through serve). Codes the relay did not take are counted
// (code_unsent): most of them failing, a few at least, is for an
// operator; one failure among many sent is not.
func TestAlertOnCodesNotSent(t *testing.T) {
	const base = `
up{job="clavebot",instance="a"} 1+0x60
clavebot_turn_seconds_count{job="clavebot",channel="rest"} 0+50x60
`
	for name, tt := range map[string]struct {
		series string
		alert  bool
	}{
		"the relay down since 20 m": {base + `clavebot_events_total{job="clavebot",event="code_sent",flow="recover",channel="rest"} 0+2x20 40+0x40
clavebot_events_total{job="clavebot",event="code_unsent",flow="recover",channel="rest"} 0x20 0+2x40
`, true},
		"healthy": {base + `clavebot_events_total{job="clavebot",event="code_sent",flow="recover",channel="rest"} 0+2x60
`, false},
		"one failure among many sent": {base + `clavebot_events_total{job="clavebot",event="code_sent",flow="recover",channel="rest"} 0+2x60
clavebot_events_total{job="clavebot",event="code_unsent",flow="recover",channel="rest"} 0x30 1+0x30
`, false},
	} {
		_, fired := firing(t, tt.series)["ClavebotCodesUnsent"]
		if fired != tt.alert {
			t.Errorf("%s: ClavebotCodesUnsent fired %v, want %v", name, fired, tt.alert)
		}
	}
}

// TestAlertOnFailedTemplates: the template that reopens a closed
// WhatsApp window failed for good, and the agents' messages held for it
// wait for a person nobody asked to write. ClavebotTemplatesFailed fired
// on any one failure, a single person who left WhatsApp (131026) or gets
// too many templates (131049) included: nothing an operator can fix (the
// desk lists those messages for the agent), so it paged for nothing. It
// fires now on what an operator must fix: a failure of the template
// itself (132001: no such template; 132015/132016: paused or disabled;
// 132000/132012: its parameters), or a code clavebot does not know as one
// person's; and on person-level failures that are no longer one person's
// (more than half of the closed windows of the last hour, ten at least:
// a template Meta moved to the marketing category, whose 131049 reaches
// everybody). Templates sent, or tried again, do not fire it.
func TestAlertOnFailedTemplates(t *testing.T) {
	const base = `
up{job="clavebot",instance="a"} 1+0x60
clavebot_turn_seconds_count{job="clavebot",channel="whatsapp"} 0+20x60
clavebot_outbox_held_total{job="clavebot",channel="whatsapp"} 0+1x60
clavebot_outbox_templates_total{job="clavebot",channel="whatsapp",result="sent"} 0+1x60
`
	failed := func(code, values string) string {
		// serve counts a failure in both: by code, and as a result (the
		// code on the second only keeps two codes' series apart).
		return `clavebot_outbox_templates_failed_total{job="clavebot",channel="whatsapp",code="` + code + `"} ` + values + "\n" +
			`clavebot_outbox_templates_total{job="clavebot",channel="whatsapp",result="failed",code="` + code + `"} ` + values + "\n"
	}
	for name, tt := range map[string]struct {
		series string
		alert  bool
	}{
		"the template unknown, 10 minutes ago":   {base + failed("132001", "0x50 1+0x10"), true},
		"the template paused":                    {base + failed("132015", "0x55 1+0x5"), true},
		"its parameters":                         {base + failed("132000", "0x55 1+0x5"), true},
		"a code not known as one person's":       {base + failed("135000", "0x55 1+0x5"), true},
		"one person left WhatsApp":               {base + failed("131026", "0x50 1+0x10"), false},
		"a few persons in an hour":               {base + failed("131026", "0x20 1x10 2x10 3x20") + failed("131049", "0x40 1+0x20"), false},
		"most windows: a template for marketing": {base + failed("131049", "0x30 0+2x30"), true},
		"healthy":                                {base, false},
		"tried again": {base + `clavebot_outbox_templates_total{job="clavebot",channel="whatsapp",result="retry"} 0+1x60
`, false},
		"the template failed an hour ago": {base + failed("132001", "0x5 1+0x55"), false},
	} {
		sets, fired := firing(t, tt.series)["ClavebotTemplatesFailed"]
		if fired != tt.alert {
			t.Errorf("%s: ClavebotTemplatesFailed fired %v (%v), want %v", name, fired, sets, tt.alert)
		}
	}
}
