package clientip_test

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/clavebot/clavebot/internal/clientip"
)

func TestAddr(t *testing.T) {
	ingress := clientip.MustParse("10.0.0.0/8, 192.168.1.7")
	tests := []struct {
		name   string
		r      *clientip.Resolver
		remote string
		xff    []string
		want   string
	}{
		{"no proxy trusted: header ignored", nil, "198.51.100.1:4000", []string{"203.0.113.9"}, "198.51.100.1"},
		{"empty list trusts nobody", clientip.MustParse(""), "10.1.2.3:4000", []string{"203.0.113.9"}, "10.1.2.3"},
		{"untrusted peer: header ignored", ingress, "198.51.100.1:4000", []string{"203.0.113.9"}, "198.51.100.1"},
		{"trusted ingress", ingress, "10.1.2.3:4000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"client's own made-up entry left of the real one", ingress, "10.1.2.3:4000", []string{"1.1.1.1, 203.0.113.9"}, "203.0.113.9"},
		{"chain of trusted proxies", ingress, "10.1.2.3:4000", []string{"203.0.113.9, 192.168.1.7", "10.9.9.9"}, "203.0.113.9"},
		{"every hop trusted: the leftmost", ingress, "10.1.2.3:4000", []string{"10.0.0.5, 10.0.0.6"}, "10.0.0.5"},
		{"no header from the ingress", ingress, "10.1.2.3:4000", nil, "10.1.2.3"},
		{"garbage stops the walk", ingress, "10.1.2.3:4000", []string{"203.0.113.9, not-an-ip"}, "10.1.2.3"},
		{"entry with a port", ingress, "10.1.2.3:4000", []string{"[2001:db8::7]:443"}, "2001:db8::7"},
		{"IPv4-mapped peer", ingress, "[::ffff:10.1.2.3]:4000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"single trusted address", ingress, "192.168.1.7:80", []string{"203.0.113.9"}, "203.0.113.9"},
		{"next to the single address", ingress, "192.168.1.8:80", []string{"203.0.113.9"}, "192.168.1.8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			if got := tt.r.Addr(req); got.String() != tt.want {
				t.Fatalf("Addr = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTrustsAny(t *testing.T) {
	var none *clientip.Resolver
	if none.TrustsAny() || clientip.MustParse(" ").TrustsAny() || !clientip.MustParse("10.0.0.1").TrustsAny() {
		t.Fatal("TrustsAny is wrong")
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	for _, s := range []string{"10.0.0.0/33", "proxy.local", "10.0.0.0/8,,nope"} {
		if _, err := clientip.Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

func TestKey(t *testing.T) {
	tests := map[string]string{
		"203.0.113.9":              "203.0.113.9",
		"2001:db8:1:2:aaaa::1":     "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb:cc::99": "2001:db8:1:2::/64",
	}
	for in, want := range tests {
		if got := clientip.Key(netip.MustParseAddr(in)); got != want {
			t.Errorf("Key(%s) = %s, want %s", in, got, want)
		}
	}
	if got := clientip.Key(netip.Addr{}); got != "unknown" {
		t.Errorf("Key(invalid) = %s", got)
	}
}
