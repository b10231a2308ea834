package main

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"strings"

	"github.com/dustin/go-humanize"
)

// serve's collector. A turn allocates tens of kilobytes and keeps almost
// nothing (a chat's state lives in Redis), so serve's live heap is small
// (30-60 MiB under load) and Go's default (GOGC 100: collect each time the
// heap doubles) spends a sixth of serve's CPU collecting. Letting the heap
// grow five times what is live, under a soft limit that bounds it when
// connections pile up, gave on 2 cores (2026-11-30, issue 14's flow,
// 10,000 chats, two runs each): serve's CPU 425-450 -> 370 µs a turn,
// 2,050-2,160 -> 2,370-2,390 turns/s; RSS 75 -> 158 MiB. The limit keeps
// RSS under 256 MiB where the overload of 4,000 open connections took it
// to 272 MiB. It is soft: a live heap that nears it makes the collector
// work harder (at most half the CPU), it never fails an allocation.
const (
	defaultGCPercent   = 400
	defaultMemoryLimit = "192MiB"
)

// parseMemoryLimit reads a size like GOMEMLIMIT's ("192MiB", "1GiB", bytes)
// or humanize's ("200MB", "1.5 GiB"); "off" or 0 is no limit.
func parseMemoryLimit(s string) (int64, error) {
	if strings.EqualFold(s, "off") {
		return 0, nil
	}
	n, err := humanize.ParseBytes(s)
	if err != nil {
		return 0, fmt.Errorf("serve: --memory-limit %q: want a size like 192MiB, or off", s)
	}
	if n > math.MaxInt64 {
		return 0, fmt.Errorf("serve: --memory-limit %q is too large", s)
	}
	return int64(n), nil
}

// checkGC validates the collector's flags.
func (pc *perfConfig) checkGC() error {
	if pc.GCPercent < -1 {
		return errors.New("serve: --gc-percent must be -1 (off: collect only at --memory-limit) or more")
	}
	limit, err := parseMemoryLimit(pc.MemoryLimit)
	if err != nil {
		return err
	}
	if pc.GCPercent == -1 && limit == 0 {
		return errors.New("serve: --gc-percent -1 needs a --memory-limit, or the heap grows without end")
	}
	return nil
}

// tuneGC applies --gc-percent and --memory-limit to this process and
// returns what puts Go's settings back (tests run serve in their process).
// A config built without flags (tests) leaves Go's settings alone: restore
// is then nil.
func (pc *perfConfig) tuneGC() (restore func(), err error) {
	if pc.MemoryLimit == "" {
		return nil, nil
	}
	limit, err := parseMemoryLimit(pc.MemoryLimit)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = math.MaxInt64 // Go's "no limit"
	}
	oldPercent := debug.SetGCPercent(pc.GCPercent)
	oldLimit := debug.SetMemoryLimit(limit)
	return func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}, nil
}
