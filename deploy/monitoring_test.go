package deploy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	promql "github.com/prometheus/prometheus/promql/parser"
)

const (
	metricsFile   = "monitoring/metrics.txt"
	alertsFile    = "monitoring/alerts.yaml"
	dashboardFile = "monitoring/dashboard.json"
	readmeFile    = "README.md"
)

// metric is one metric family: its type and variable labels.
type metric struct {
	typ    string
	labels []string
}

// servedMetrics reads metrics.txt, which a test of the main module
// (cmd/clavebot TestServeMetricsList) writes from serve's own registry
// and keeps true.
func servedMetrics(t *testing.T) map[string]metric {
	t.Helper()
	f, err := os.Open(metricsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]metric{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			t.Fatalf("%s: %q", metricsFile, line)
		}
		var ls []string
		if len(fields) > 2 {
			ls = strings.Split(fields[2], ",")
		}
		m[fields[0]] = metric{fields[1], ls}
	}
	if len(m) == 0 {
		t.Fatalf("%s lists no metric", metricsFile)
	}
	return m
}

// notServed are the series the rules read that serve does not export:
// Prometheus' own up, and kube-state-metrics v2 (for the autoscaler and the
// retention CronJob, which no process of ours can report on).
var notServed = map[string]metric{
	"up": {"gauge", nil},
	"kube_horizontalpodautoscaler_status_current_replicas": {"gauge", []string{"horizontalpodautoscaler"}},
	"kube_horizontalpodautoscaler_spec_max_replicas":       {"gauge", []string{"horizontalpodautoscaler"}},
	"kube_cronjob_status_last_successful_time":             {"gauge", []string{"cronjob"}},
}

// targetLabels are added by the scrape (job, instance) and by Kubernetes
// service discovery's usual relabelling.
var targetLabels = []string{"job", "instance", "namespace", "pod", "container", "service", "endpoint", "node"}

// checker checks PromQL against what exists.
type checker struct {
	errorf  func(format string, args ...any)
	metrics map[string]metric
	values  map[string]map[string]bool // label -> the values the service uses
	parser  promql.Parser
}

func newChecker(t *testing.T) *checker {
	t.Helper()
	m := servedMetrics(t)
	for k, v := range notServed {
		if _, dup := m[k]; dup {
			t.Errorf("%s is served now: drop it from notServed", k)
		}
		m[k] = v
	}
	values, err := labelValues()
	if err != nil {
		t.Fatal(err)
	}
	return &checker{errorf: t.Errorf, metrics: m, values: values, parser: promql.NewParser(promql.Options{})}
}

// resolve finds a series name's family: a histogram's _bucket, _sum and
// _count, a summary's _sum and _count; extra are the labels they add.
func (c *checker) resolve(name string) (metric, []string, bool) {
	if m, ok := c.metrics[name]; ok {
		if m.typ == "summary" {
			return m, []string{"quantile"}, true
		}
		return m, nil, true
	}
	for suffix, types := range map[string][]string{"_bucket": {"histogram"}, "_sum": {"histogram", "summary"}, "_count": {"histogram", "summary"}} {
		base, ok := strings.CutSuffix(name, suffix)
		if m, found := c.metrics[base]; ok && found && slices.Contains(types, m.typ) {
			if suffix == "_bucket" {
				return m, []string{"le"}, true
			}
			return m, nil, true
		}
	}
	return metric{}, nil, false
}

var plainAlternatives = regexp.MustCompile(`^[a-z_]+(\|[a-z_]+)*$`)

// check parses expr and reports a metric, label or label value that does
// not exist, and a grouping by a label no selected metric has.
func (c *checker) check(where, expr string) {
	e, err := c.parser.ParseExpr(expr)
	if err != nil {
		c.errorf("%s: %v\n%s", where, err, expr)
		return
	}
	known := map[string]bool{}
	for _, l := range targetLabels {
		known[l] = true
	}
	promql.Inspect(e, func(n promql.Node, _ []promql.Node) error {
		vs, ok := n.(*promql.VectorSelector)
		if !ok {
			return nil
		}
		name := vs.Name
		m, extra, found := c.resolve(name)
		if !found {
			c.errorf("%s: %q is not a metric serve exports (%s)", where, name, metricsFile)
			return nil
		}
		labelSet := append(append(slices.Clone(m.labels), extra...), targetLabels...)
		for _, l := range append(m.labels, extra...) {
			known[l] = true
		}
		for _, mt := range vs.LabelMatchers {
			if mt.Name == labels.MetricName {
				continue
			}
			if !slices.Contains(labelSet, mt.Name) {
				c.errorf("%s: %s has no label %q", where, name, mt.Name)
				continue
			}
			c.checkValue(where, name, mt)
		}
		return nil
	})
	promql.Inspect(e, func(n promql.Node, _ []promql.Node) error {
		if agg, ok := n.(*promql.AggregateExpr); ok {
			for _, l := range agg.Grouping {
				if !known[l] {
					c.errorf("%s: grouping by %q, a label none of its metrics has", where, l)
				}
			}
		}
		return nil
	})
}

// checkValue reports a value of event, flow, step or channel that the
// service never records.
func (c *checker) checkValue(where, name string, mt *labels.Matcher) {
	values, ok := c.values[mt.Name]
	if !ok || !strings.HasPrefix(name, "clavebot_") {
		return
	}
	var want []string
	switch {
	case mt.Type == labels.MatchEqual:
		want = []string{mt.Value}
	case mt.Type == labels.MatchRegexp && plainAlternatives.MatchString(mt.Value):
		want = strings.Split(mt.Value, "|")
	}
	for _, v := range want {
		if !values[v] {
			c.errorf("%s: %s{%s=%q}: the service never records that %s", where, name, mt.Name, v, mt.Name)
		}
	}
}

var labelValues = sync.OnceValues(func() (map[string]map[string]bool, error) {
	return readLabelValues(repoRoot)
})

// readLabelValues reads from the source the values serve's labels take:
// events (dialog.Event{Name: ...}), flows and steps (the Flow and Step
// constants of dialog and dialog/convo), channels (each channel package's Name constant).
func readLabelValues(root string) (map[string]map[string]bool, error) {
	v := map[string]map[string]bool{"event": {}, "flow": {}, "step": {}, "channel": {}}
	fset := token.NewFileSet()
	dirs := []string{"dialog", "dialog/convo", "bot/console", "bot/rest", "bot/telegram", "bot/whatsapp", "bot/whatsapp/cloud"}
	for _, dir := range dirs {
		// The engine's flows and steps are declared in its leaf,
		// dialog/convo, and named in dialog.
		engine := dir == "dialog" || dir == "dialog/convo"
		files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Event" {
						for _, el := range n.Elts {
							if kv, ok := el.(*ast.KeyValueExpr); ok && fmt.Sprint(kv.Key) == "Name" {
								if s, ok := stringLit(kv.Value); ok {
									v["event"][s] = true
								}
							}
						}
					}
				case *ast.ValueSpec:
					typ := ""
					if id, ok := n.Type.(*ast.Ident); ok {
						typ = id.Name
					}
					for i, id := range n.Names {
						if i >= len(n.Values) {
							continue
						}
						s, ok := stringLit(n.Values[i])
						switch {
						case !ok:
						case engine && typ == "Flow":
							v["flow"][s] = true
						case engine && typ == "Step":
							v["step"][s] = true
						case !engine && id.Name == "Name":
							v["channel"][s] = true
						}
					}
				}
				return true
			})
		}
	}
	for label, set := range v {
		if len(set) == 0 {
			return nil, fmt.Errorf("no %s value found in the source", label)
		}
	}
	return v, nil
}

// readmeAnchors are the anchors GitHub gives deploy/README.md's headings.
func readmeAnchors(t *testing.T) map[string]bool {
	t.Helper()
	doc, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	drop := regexp.MustCompile(`[^\p{L}\p{N} _-]`)
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		anchors[strings.ReplaceAll(drop.ReplaceAllString(h, ""), " ", "-")] = true
	}
	return anchors
}

func TestAlertingRules(t *testing.T) {
	c := newChecker(t)
	groups, errs := rulefmt.ParseFile(alertsFile, false, model.LegacyValidation, c.parser, slog.New(slog.DiscardHandler))
	for _, err := range errs {
		t.Errorf("%s: %v", alertsFile, err)
	}
	if groups == nil {
		t.FailNow()
	}
	anchors := readmeAnchors(t)
	names := map[string]bool{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			where := alertsFile + " " + r.Alert + r.Record
			c.check(where, r.Expr)
			if r.Alert == "" {
				continue
			}
			if names[r.Alert] {
				t.Errorf("%s: alert name used twice", where)
			}
			names[r.Alert] = true
			if s := r.Labels["severity"]; s != "warning" && s != "critical" {
				t.Errorf("%s: severity %q, want warning or critical", where, s)
			}
			if r.Annotations["summary"] == "" {
				t.Errorf("%s: no summary", where)
			}
			_, anchor, _ := strings.Cut(r.Annotations["runbook_url"], "/deploy/README.md#")
			if !anchors[anchor] {
				t.Errorf("%s: runbook %q is not a heading of deploy/README.md", where, r.Annotations["runbook_url"])
			}
		}
	}
	if len(names) == 0 {
		t.Error("no alert")
	}
}

// grafanaVars stand in for Grafana's variables so the PromQL parses.
var grafanaVars = strings.NewReplacer(
	"$__rate_interval", "5m", "$__interval", "1m", "$__range", "6h",
	"${job}", "clavebot", "$job", "clavebot",
)

// dashboard is the part of Grafana's model the check reads.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Type       string `json:"type"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID         int    `json:"id"`
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	GridPos struct{ H, W, X, Y int } `json:"gridPos"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

var labelValuesQuery = regexp.MustCompile(`^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)

func TestGrafanaDashboard(t *testing.T) {
	c := newChecker(t)
	doc, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	if d.UID == "" || d.Title == "" {
		t.Error("the dashboard needs a uid and a title")
	}
	vars := map[string]bool{}
	for _, v := range d.Templating.List {
		vars[v.Name] = true
		if v.Type != "query" {
			continue
		}
		m := labelValuesQuery.FindStringSubmatch(v.Definition)
		if m == nil {
			t.Errorf("variable %s: %q is not label_values(metric, label)", v.Name, v.Definition)
			continue
		}
		c.check("variable "+v.Name, fmt.Sprintf(`count by (%s) (%s)`, m[2], m[1]))
	}
	if !vars["datasource"] {
		t.Error("no datasource variable: the dashboard would be tied to one Prometheus")
	}
	ids, exprs := map[int]bool{}, 0
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			where := fmt.Sprintf("panel %d %q", p.ID, p.Title)
			if ids[p.ID] {
				t.Errorf("%s: id used twice", where)
			}
			ids[p.ID] = true
			if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X+p.GridPos.W > 24 {
				t.Errorf("%s: gridPos %+v", where, p.GridPos)
			}
			walk(p.Panels)
			if p.Type == "row" {
				continue
			}
			if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
				t.Errorf("%s: datasource must be ${datasource}", where)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: no query", where)
			}
			refs := map[string]bool{}
			for _, tg := range p.Targets {
				if refs[tg.RefID] || tg.RefID == "" {
					t.Errorf("%s: refId %q missing or repeated", where, tg.RefID)
				}
				refs[tg.RefID] = true
				c.check(where+" "+tg.RefID, grafanaVars.Replace(tg.Expr))
				exprs++
			}
		}
	}
	walk(d.Panels)
	if exprs == 0 {
		t.Error("no PromQL in the dashboard")
	}
}

// The checks must be able to fail.
func TestPromQLCheckCanFail(t *testing.T) {
	tests := []struct {
		expr string
		ok   bool
	}{
		{`sum by (channel) (rate(clavebot_turn_seconds_count{job="clavebot"}[5m]))`, true},
		{`histogram_quantile(0.99, sum by (le) (rate(clavebot_turn_seconds_bucket[5m])))`, true},
		{`go_gc_duration_seconds{quantile="0.75"}`, true},
		{`sum(rate(clavebot_events_total{event=~"validated|data_mismatch"}[5m]))`, true},
		{`rate(clavebot_turns_total[5m])`, false},                             // no such metric
		{`rate(clavebot_events_total_bucket[5m])`, false},                     // a counter has no buckets
		{`sum(rate(clavebot_events_total{evnt="done"}[5m]))`, false},          // no such label
		{`sum(rate(clavebot_events_total{event="finished"}[5m]))`, false},     // no such event
		{`sum(rate(clavebot_events_total{flow=~"create|renew"}[5m]))`, false}, // no such flow
		{`sum by (intent) (rate(clavebot_turn_seconds_count[5m]))`, false},    // grouping by a label it lacks
		{`sum(rate(clavebot_turn_seconds_count[5m])`, false},                  // syntax
	}
	c := newChecker(t)
	for _, tt := range tests {
		var complaints []string
		c.errorf = func(format string, args ...any) { complaints = append(complaints, fmt.Sprintf(format, args...)) }
		c.check("test", tt.expr)
		if (len(complaints) == 0) != tt.ok {
			t.Errorf("%s: complaints %q, want ok %v", tt.expr, complaints, tt.ok)
		}
	}
}
