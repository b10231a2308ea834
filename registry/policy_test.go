package registry_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

func TestLockFor(t *testing.T) {
	const h = time.Hour
	tests := []struct {
		name   string
		rule   registry.LockRule
		strike int
		want   time.Duration
	}{
		{"first", registry.LockRule{For: 4 * h, MaxFor: 168 * h}, 1, 4 * h},
		{"second doubles", registry.LockRule{For: 4 * h, MaxFor: 168 * h}, 2, 8 * h},
		{"sixth", registry.LockRule{For: 4 * h, MaxFor: 168 * h}, 6, 128 * h},
		{"capped", registry.LockRule{For: 4 * h, MaxFor: 168 * h}, 7, 168 * h},
		{"far past the cap", registry.LockRule{For: 4 * h, MaxFor: 168 * h}, 200, 168 * h},
		{"no escalation", registry.LockRule{For: 30 * time.Minute}, 5, 30 * time.Minute},
		{"cap below For", registry.LockRule{For: 4 * h, MaxFor: h}, 3, 4 * h},
		{"strike zero is the first", registry.LockRule{For: 4 * h, MaxFor: 168 * h}, 0, 4 * h},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.LockFor(tt.strike); got != tt.want {
				t.Errorf("LockFor(%d) = %v, want %v", tt.strike, got, tt.want)
			}
		})
	}
}

func TestNextStrike(t *testing.T) {
	at := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		prev      int
		prevUntil time.Time
		want      int
	}{
		{"never locked", 0, time.Time{}, 1},
		{"right after", 2, at.Add(-time.Hour), 3},
		{"within memory", 1, at.Add(-registry.StrikeMemory + time.Hour), 2},
		{"forgotten", 4, at.Add(-registry.StrikeMemory - time.Hour), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := registry.NextStrike(tt.prev, tt.prevUntil, at); got != tt.want {
				t.Errorf("NextStrike = %d, want %d", got, tt.want)
			}
		})
	}
}
