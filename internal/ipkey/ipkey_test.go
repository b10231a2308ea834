package ipkey_test

import (
	"net/netip"
	"testing"

	"github.com/clavebot/clavebot/internal/ipkey"
)

func TestOf(t *testing.T) {
	tests := []struct {
		name string
		in   netip.Addr
		want string
	}{
		{"IPv4 alone", netip.MustParseAddr("203.0.113.9"), "203.0.113.9"},
		{"IPv6 by its /64", netip.MustParseAddr("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64"},
		{"another of the same /64", netip.MustParseAddr("2001:db8:1:2:bbbb:cc::99"), "2001:db8:1:2::/64"},
		{"invalid", netip.Addr{}, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ipkey.Of(tt.in); got != tt.want {
				t.Errorf("Of(%v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
