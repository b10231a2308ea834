package redisstore

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
)

// countsField is the field of a chat's handled hash that keeps its counts
// (statestore.Lease.Counts): the hash already outlives the state and is
// read and written by the chat's own scripts, under its lock, so a count
// costs no round trip and no key of its own. No message id has this field:
// handledField keeps an id starting with "-" only as "-" and digits.
const countsField = "-n"

// encodeCounts returns countsField's value for counts ("" when none), and
// how long from now the field must be kept, in ms: the latest end, in unix
// seconds rounded up, then each count's name, number and end,
// space-separated, names in order ("1764470000 cuil 3 1764470000"). Which
// windows have ended is the engine's to judge, on its clock (it commits
// only live counts): the scripts never drop the field, they keep the
// hash until the latest end at least.
func encodeCounts(counts map[string]statestore.Count, now time.Time) (string, int64, error) {
	names := make([]string, 0, len(counts))
	var last int64
	for name, c := range counts {
		if c.N <= 0 {
			continue
		}
		if name == "" || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' }) {
			return "", 0, fmt.Errorf("redisstore: count name %q: empty or with spaces", name)
		}
		names = append(names, name)
		last = max(last, unixCeil(c.Ends))
	}
	if len(names) == 0 {
		return "", 0, nil
	}
	slices.Sort(names)
	// One buffer of the field's size (each count is its name and two
	// numbers of at most 20 digits), filled without fmt: a commit writes
	// the counts every turn once the CUIL is given.
	size := 20
	for _, name := range names {
		size += len(name) + 2*21 + 1
	}
	b := make([]byte, 0, size)
	b = strconv.AppendInt(b, last, 10)
	for _, name := range names {
		c := counts[name]
		b = append(append(append(b, ' '), name...), ' ')
		b = strconv.AppendInt(b, int64(c.N), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, unixCeil(c.Ends), 10)
	}
	return string(b), max(0, last*1000-now.UnixMilli()), nil
}

// decodeCounts reads encodeCounts' value; what it cannot read it leaves
// out (nil for "").
func decodeCounts(v string) map[string]statestore.Count {
	f := strings.Fields(v)
	if len(f) < 4 {
		return nil
	}
	counts := map[string]statestore.Count{}
	for i := 1; i+2 < len(f); i += 3 {
		n, err1 := strconv.Atoi(f[i+1])
		end, err2 := strconv.ParseInt(f[i+2], 10, 64)
		if err1 != nil || err2 != nil || n <= 0 {
			continue
		}
		counts[f[i]] = statestore.Count{N: n, Ends: time.Unix(end, 0)}
	}
	return counts
}

// unixCeil is t in unix seconds, rounded up: a window never ends early.
func unixCeil(t time.Time) int64 {
	return (t.UnixMilli() + 999) / 1000
}
