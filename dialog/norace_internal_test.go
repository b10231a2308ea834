//go:build !race

package dialog

// underRace: see race_internal_test.go.
const underRace = false
