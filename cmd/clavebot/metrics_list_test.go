package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

var updateMetrics = flag.Bool("update-metrics", false, "rewrite "+metricsListPath)

// metricsListPath is where the deploy module's tests read the metrics serve
// exports, to check every name in the alerting rules and the dashboard.
const metricsListPath = "../../deploy/monitoring/metrics.txt"

// TestServeMetricsList keeps deploy/monitoring/metrics.txt equal to what a
// running serve registers: its own metrics and the Go and process
// collectors. The list comes from the registry's descriptors, so a metric
// with labels is listed before it has ever been observed.
func TestServeMetricsList(t *testing.T) {
	s, base := startTestServer(t, "")
	// One turn, so the families it touches are gathered with their type.
	call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": "metrics", "text": "hola"})
	got := metricsList(t, s.Prom)
	if *updateMetrics {
		if err := os.WriteFile(filepath.FromSlash(metricsListPath), []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(filepath.FromSlash(metricsListPath))
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("serve exports other metrics than %s lists; if that is meant, run\n"+
			"  go test ./cmd/clavebot -run TestServeMetricsList -update-metrics\n"+
			"and check the alerting rules and the dashboard. Now exported:\n%s", metricsListPath, got)
	}
}

var (
	descName   = regexp.MustCompile(`fqName: "([^"]+)"`)
	descLabels = regexp.MustCompile(`variableLabels: \{([^}]*)\}`)
)

// metricsList renders one line per metric: name, type, variable labels.
// Desc has no accessors, so its String form is read; the type comes from
// a gather and is "-" for a family that nothing has observed yet.
func metricsList(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	types := map[string]string{}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		types[mf.GetName()] = strings.ToLower(mf.GetType().String())
	}
	ch := make(chan *prometheus.Desc)
	go func() { reg.Describe(ch); close(ch) }()
	lines := map[string]string{}
	for d := range ch {
		s := d.String()
		m := descName.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("cannot read a metric name in %s", s)
		}
		var labels []string
		if l := descLabels.FindStringSubmatch(s); l != nil && l[1] != "" {
			for _, name := range strings.Split(l[1], ",") {
				labels = append(labels, strings.TrimSuffix(strings.TrimPrefix(name, "c("), ")"))
			}
		}
		slices.Sort(labels)
		typ := types[m[1]]
		if typ == "" {
			typ = "-"
		}
		lines[m[1]] = fmt.Sprintf("%s %s %s", m[1], typ, strings.Join(labels, ","))
	}
	names := slices.Sorted(maps.Keys(lines))
	var b strings.Builder
	b.WriteString("# The metrics `clavebot serve` exports: name, type (- until observed), labels.\n")
	b.WriteString("# Written by: go test ./cmd/clavebot -run TestServeMetricsList -update-metrics\n")
	for _, n := range names {
		b.WriteString(strings.TrimSpace(lines[n]) + "\n")
	}
	return b.String()
}
