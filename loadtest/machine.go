package loadtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of /proc's CPU times: 100 a second on every Linux
// the tool runs on (USER_HZ is fixed for user space, whatever the kernel's
// own tick).
const userHZ = 100

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

// readMachine reads /proc under root; ok is false where there is none
// (not Linux), and the report then leaves the line out.
func readMachine(root string) machineCPU {
	b, err := os.ReadFile(filepath.Join(root, "stat"))
	if err != nil {
		return machineCPU{}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return machineCPU{}
	}
	var v [8]time.Duration // user nice system idle iowait irq softirq steal
	for i := range v {
		n, err := strconv.ParseInt(f[i+1], 10, 64)
		if err != nil {
			return machineCPU{}
		}
		v[i] = ticks(n)
	}
	m := machineCPU{ok: true, idle: v[3] + v[4], interrupt: v[5] + v[6], steal: v[7], backends: map[string]time.Duration{}}
	for _, x := range v {
		m.total += x
	}
	dirs, _ := os.ReadDir(root)
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		comm, cpu, ok := processCPU(filepath.Join(root, d.Name(), "stat"))
		if name, mine := backendComms[comm]; ok && mine {
			m.backends[name] += cpu
		}
	}
	return m
}

// processCPU reads a /proc/PID/stat: the command name and the user and
// system time. The name is in parentheses and may hold spaces or ")".
func processCPU(path string) (comm string, cpu time.Duration, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, false // the process ended meanwhile
	}
	s := string(b)
	open, shut := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || shut < open {
		return "", 0, false
	}
	f := strings.Fields(s[shut+1:])
	// After the name: state, ppid, ... utime is the 14th field of the
	// line, the 12th after the name.
	if len(f) < 13 {
		return "", 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return s[open+1 : shut], ticks(ut + st), true
}

func ticks(n int64) time.Duration { return time.Duration(n) * time.Second / userHZ }

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
	if s.Steal > 0 {
		line += fmt.Sprintf("; %s µs a turn stolen by the hypervisor", us(s.Steal))
	}
	return line
}
