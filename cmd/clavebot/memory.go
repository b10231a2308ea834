package main

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"strings"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/dustin/go-humanize"
)

// serve's collector. A turn allocates tens of kilobytes and keeps almost
// nothing (a chat's state lives in Redis), so serve's live heap is small
// (30-60 MiB under load) and Go's default (GOGC 100: collect each time the
// heap doubles) spent a sixth of serve's CPU collecting. Letting the heap
// grow five times what is live (400) gave on 2 cores (2026-11-30, issue
// 14's flow, 10,000 chats, two runs each): serve's CPU 317-355 -> 266-294
// µs a turn, 2,548-2,862 -> 2,908-3,198 turns/s; RSS 75 -> 150 MiB. But
// with the argon2id child beside it, the load tool's realistic mix then
// reached 233-279 MiB, over the 256 MiB issue 14 allows. Three times what
// is live (200) collects half as often as the default: on another machine
// the same day, four runs of each alternated, 200 and 400 gave the same
// within the machine's drift (1,520-1,718 and 1,288-1,838 turns/s,
// 456-511 and 422-566 µs a turn; by the sixth above, 200 should cost
// about 4 % of serve's CPU more than 400), RSS 96-107 against 130-158
// MiB, and the realistic mix 193-210 MiB.
//
// What bounds the heap when connections pile up is the soft memory limit,
// by default three quarters of the container's memory limit (the rest is
// for the argon2id child, which hashes in the same container). It must
// stay well above what is live: at 192 MiB, a flood of 8,192 connections
// held open (~18 KiB each) made the live heap near the limit, the
// collector ran without end and serve answered 78 turns a second, where
// without a limit it answered 743 with an RSS of 741 MiB. Without a
// container limit there is none unless one is set.
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = "auto"
	// containerShare is the share of the container's memory limit that
	// --memory-limit auto gives serve's heap.
	containerShare = 0.75
)

// parseMemoryLimit reads a size like GOMEMLIMIT's ("192MiB", "1GiB", bytes)
// or humanize's ("200MB", "1.5 GiB"); "off" or 0 is no limit; "auto" is
// containerShare of what container reports, no limit where it reports
// none (or cannot tell).
func parseMemoryLimit(s string, container func() (uint64, error)) (int64, error) {
	switch strings.ToLower(s) {
	case "off":
		return 0, nil
	case "auto":
		n, err := container()
		if err != nil || n == 0 || n > math.MaxInt64 {
			return 0, nil
		}
		return int64(float64(n) * containerShare), nil
	}
	n, err := humanize.ParseBytes(s)
	if err != nil {
		return 0, fmt.Errorf("serve: --memory-limit %q: want a size like 384MiB, auto or off", s)
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
	limit, err := parseMemoryLimit(pc.MemoryLimit, memlimit.FromCgroup)
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
	limit, err := parseMemoryLimit(pc.MemoryLimit, memlimit.FromCgroup)
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
