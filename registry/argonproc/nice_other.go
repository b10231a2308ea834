//go:build !linux

package argonproc

import "time"

// Niceness is the child's on Linux.
const Niceness = 10

// LowerPriority is a no-op where threads cannot be reniced one by one:
// the child still keeps hashing apart from the serving process.
func LowerPriority() error { return nil }

// usageOf is not read where there is no /proc.
func usageOf(int) (time.Duration, int64) { return 0, 0 }
