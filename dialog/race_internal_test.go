//go:build race

package dialog

// underRace: the race detector's sync.Pool drops a quarter of what it is
// given, so counts of allocations that a pool saves are not the build's.
const underRace = true
