package loadtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/procfs"
)

// The backends whose processes a machine reading sums, by their command
// name: on the machine that runs the tool they share its cores, so where
// a turn's CPU goes tells what a faster serve could still win.
var backendComms = map[string]string{
	"postgres":     "PostgreSQL",
	"redis-server": "Redis",
}

// machineCPU is one reading of a Linux machine's CPU time, from /proc: the
// whole machine's (/proc/stat's first line), and that of the backends'
// processes alive when read.
type machineCPU struct {
	ok        bool
	total     time.Duration // every state, idle included
	idle      time.Duration // idle and waiting for I/O
	interrupt time.Duration // hard and soft interrupts: loopback's packets are delivered there
	steal     time.Duration // taken by the hypervisor for other machines
	backends  map[string]time.Duration
}

// readMachine reads the /proc mounted at root with procfs (which serve's
// own process_ metrics use); ok is false where there is none (not Linux),
// and the report then leaves the line out.
func readMachine(root string) machineCPU {
	fs, err := procfs.NewFS(root)
	if err != nil {
		return machineCPU{}
	}
	st, err := fs.Stat()
	if err != nil {
		return machineCPU{}
	}
	c := st.CPUTotal
	m := machineCPU{
		ok:        true,
		total:     seconds(c.User + c.Nice + c.System + c.Idle + c.Iowait + c.IRQ + c.SoftIRQ + c.Steal),
		idle:      seconds(c.Idle + c.Iowait),
		interrupt: seconds(c.IRQ + c.SoftIRQ),
		steal:     seconds(c.Steal),
		backends:  map[string]time.Duration{},
	}
	procs, _ := fs.AllProcs()
	for _, p := range procs {
		ps, err := p.Stat()
		if err != nil {
			continue // the process ended meanwhile
		}
		if name, ok := backendComms[ps.Comm]; ok {
			m.backends[name] += seconds(ps.CPUTime())
		}
	}
	return m
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// MachineShare is where the machine's CPU went while the people played,
// per answered turn.
type MachineShare struct {
	Measured  bool
	Cores     float64                  // the machine's cores, from /proc/stat's time
	Busy      time.Duration            // all but idle, a turn
	Idle      float64                  // share of the machine left idle
	Serve     time.Duration            // serve and its argon2id child (their own counters)
	Tool      time.Duration            // this tool
	Backends  map[string]time.Duration // PostgreSQL and Redis processes on this machine
	Interrupt time.Duration            // interrupts, not charged to any process
	Steal     time.Duration            // taken by the hypervisor
}

// share divides what happened between two readings over turns; serve's
// and the tool's times come from their own counters.
func share(before, after machineCPU, wall time.Duration, turns int, serve, tool time.Duration) MachineShare {
	if !before.ok || !after.ok || turns <= 0 || after.total <= before.total {
		return MachineShare{}
	}
	per := func(d time.Duration) time.Duration { return d / time.Duration(turns) }
	total := after.total - before.total
	idle := after.idle - before.idle
	s := MachineShare{
		Measured:  true,
		Cores:     total.Seconds() / wall.Seconds(),
		Busy:      per(total - idle),
		Idle:      idle.Seconds() / total.Seconds(),
		Serve:     per(serve),
		Tool:      per(tool),
		Interrupt: per(after.interrupt - before.interrupt),
		Steal:     per(after.steal - before.steal),
		Backends:  map[string]time.Duration{},
	}
	for name, d := range after.backends {
		// A process that started during the run counts whole; one that
		// ended does not count at all. PostgreSQL's backends live as long
		// as serve's pool keeps them, so this is small.
		s.Backends[name] = per(max(0, d-before.backends[name]))
	}
	return s
}

// String is the report's line.
func (s MachineShare) String() string {
	if !s.Measured {
		return "not measured (no /proc)"
	}
	us := func(d time.Duration) string { return strconv.FormatInt(d.Microseconds(), 10) }
	parts := []string{"serve " + us(s.Serve)}
	for _, name := range sortedKeys(s.Backends) {
		parts = append(parts, name+" "+us(s.Backends[name]))
	}
	parts = append(parts, "loadtest "+us(s.Tool), "interrupts "+us(s.Interrupt))
	// serve's counters span the scrapes around the run, a little longer
	// than the machine's readings: the rest is shown only where it is
	// more than that blur.
	rest := s.Busy - s.Serve - s.Tool - s.Interrupt
	for _, d := range s.Backends {
		rest -= d
	}
	if rest > s.Busy/20 {
		parts = append(parts, "the rest "+us(rest))
	}
	line := fmt.Sprintf("%s µs busy a turn (%s); %.0f%% of %.0f cores idle", us(s.Busy), strings.Join(parts, ", "), 100*s.Idle, s.Cores)
	if s.Steal >= time.Microsecond {
		line += fmt.Sprintf("; %s µs a turn stolen by the hypervisor", us(s.Steal))
	}
	return line
}
