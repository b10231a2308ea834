package argonproc

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/procfs"
	"golang.org/x/sys/unix"
)

// Niceness is the child's: 10 weighs a tenth of a normal thread (110
// against 1024), so a turn's thread takes the CPU from hashing at once,
// and hashing still keeps a floor of the CPU when turns would take it all
// (at 19 key creations would all but stop on a saturated replica).
const Niceness = 10

// LowerPriority sets every thread of this process to nice Niceness. Linux keeps
// a niceness per thread and a new thread takes its creator's, so once all
// have it, the Go runtime's later threads have it too; a thread started
// while the list is walked is caught by the next pass.
func LowerPriority() error {
	for range 10 {
		changed := false
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return fmt.Errorf("argonproc: list threads: %w", err)
		}
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil {
				continue
			}
			prio, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
			if err != nil {
				continue // the thread ended
			}
			// The raw syscall returns 20 - nice.
			if 20-prio == Niceness {
				continue
			}
			if err := unix.Setpriority(unix.PRIO_PROCESS, tid, Niceness); err != nil {
				return fmt.Errorf("argonproc: nice thread %d: %w", tid, err)
			}
			changed = true
		}
		if !changed {
			return nil
		}
	}
	return nil
}

// usageOf reads a live process's CPU time and resident memory (0 when it
// is gone), with procfs, which serve's own process_ metrics already use.
func usageOf(pid int) (time.Duration, int64) {
	p, err := procfs.NewProc(pid)
	if err != nil {
		return 0, 0
	}
	st, err := p.Stat()
	if err != nil {
		return 0, 0
	}
	return time.Duration(st.CPUTime() * float64(time.Second)), int64(st.ResidentMemory())
}
