package main

import (
	"net"
	"strings"
)

// checkExposure refuses to serve /v1/ (the REST chat and key verification,
// for the portal only) where other hosts reach it without --api-token:
// only a loopback --http-addr may go without one.
func checkExposure(sc *serveConfig) error {
	if host, port, err := net.SplitHostPort(sc.HTTPAddr); err != nil || port == "" || strings.ContainsAny(host, "/ ") {
		return &exitError{code: 2, msg: "clavebot: serve: --http-addr " + sc.HTTPAddr + " is not an address: want HOST:PORT, like 127.0.0.1:8080"}
	}
	if sc.APIToken != "" || isLoopback(sc.HTTPAddr) {
		return nil
	}
	return &exitError{code: 2, msg: "clavebot: serve: --http-addr " + sc.HTTPAddr +
		" is reachable from other hosts: set --api-token (CLAVEBOT_API_TOKEN) so /v1/ is not open to anyone, or listen on 127.0.0.1"}
}

// isLoopback reports whether addr (host:port) listens on loopback only. An
// empty host listens on every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
