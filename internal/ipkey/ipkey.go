// Package ipkey says how a rate limit counts a client's address. It is a
// leaf, on net/netip alone, so the engine (dialog) and the HTTP edge
// (clientip, the desk's sign-in) count an address the same way without
// the engine depending on the HTTP stack.
package ipkey

import "net/netip"

// Of is the address as a rate limit should count it: an IPv4 address
// alone, an IPv6 address by its /64, since one subscriber usually holds a
// whole /64 and could otherwise try from 2^64 addresses. An invalid
// address is "unknown".
func Of(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "unknown"
	case a.Is4():
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
