// Package clientip finds the address of the client behind an HTTP
// request: the connection's, or, when the connection comes from a proxy
// the operator trusts (an ingress, a load balancer), the address that
// proxy reports in X-Forwarded-For. Anyone can write that header, so it is
// believed only from trusted proxies, and only as far as the chain of
// trusted proxies goes.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/clavebot/clavebot/internal/ipkey"
)

// Resolver tells a request's client address. The zero Resolver (or nil)
// trusts no proxy: the address is the connection's.
type Resolver struct {
	trusted []netip.Prefix
}

// Parse reads trusted proxies: CIDRs or single addresses separated by
// commas or spaces ("10.0.0.0/8, 192.168.1.7"). An empty string trusts no
// proxy.
func Parse(list string) (*Resolver, error) {
	r := &Resolver{}
	for _, f := range strings.FieldsFunc(list, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("trusted proxies: %q is neither a CIDR nor an address", f)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		r.trusted = append(r.trusted, p.Masked())
	}
	return r, nil
}

// MustParse is Parse for lists known to be valid (tests, constants).
func MustParse(list string) *Resolver {
	r, err := Parse(list)
	if err != nil {
		panic(err)
	}
	return r
}

// TrustsAny reports whether any proxy is trusted.
func (r *Resolver) TrustsAny() bool { return r != nil && len(r.trusted) > 0 }

func (r *Resolver) trusts(a netip.Addr) bool {
	if r == nil {
		return false
	}
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// HTTPS reports whether req reached us over https: on a TLS connection,
// or from a trusted proxy that says so in X-Forwarded-Proto (a client's
// own header is not believed).
func (r *Resolver) HTTPS(req *http.Request) bool {
	if req.TLS != nil {
		return true
	}
	return r.trusts(remote(req)) && strings.EqualFold(strings.TrimSpace(req.Header.Get("X-Forwarded-Proto")), "https")
}

// Addr is req's client address. From a trusted proxy, X-Forwarded-For is
// read from the right: each trusted hop is skipped, and the first address
// no trusted proxy stands for is the client. A malformed entry stops the
// walk at the last hop known, so garbage never chooses an address.
func (r *Resolver) Addr(req *http.Request) netip.Addr {
	addr := remote(req)
	if !addr.IsValid() || !r.trusts(addr) {
		return addr
	}
	hops := forwarded(req.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := parseHop(hops[i])
		if err != nil {
			return addr
		}
		addr = hop
		if !r.trusts(hop) {
			return hop
		}
	}
	return addr
}

// remote is the connection's address; invalid when RemoteAddr is not an
// address (as some test servers set it).
func remote(req *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// forwarded is every X-Forwarded-For entry, in order, across repeated
// header lines.
func forwarded(h http.Header) []string {
	var out []string
	for _, line := range h.Values("X-Forwarded-For") {
		for _, f := range strings.Split(line, ",") {
			out = append(out, strings.TrimSpace(f))
		}
	}
	return out
}

// parseHop reads one X-Forwarded-For entry: an address, maybe with a port
// ("1.2.3.4:5678", "[2001:db8::1]:80").
func parseHop(s string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.Addr{}, err
	}
	return ap.Addr().Unmap().WithZone(""), nil
}

// Key is the address as a rate limit should count it (ipkey.Of: an IPv4
// address alone, an IPv6 address by its /64), for the HTTP edge's users.
func Key(a netip.Addr) string { return ipkey.Of(a) }
