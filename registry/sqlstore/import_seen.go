package sqlstore

import (
	"strconv"

	"github.com/clavebot/clavebot/registry"
)

// cuilSet is the CUILs an import has read, to count the citizens rather
// than the lines: a bit a CUIL, in pages of 65,536 made as CUILs fall in
// them. A CUIL's check digit follows from its first ten digits, which are
// the key. The file streams in constant memory still: a country's
// registry, 46 million people under a few prefixes, fills at most about
// 1,500 pages (12 MB) a prefix; a file of a thousand lines, a few pages.
type cuilSet map[uint64]*[1024]uint64

// add adds c and reports whether it was not there yet.
func (s cuilSet) add(c registry.CUIL) bool {
	n, err := strconv.ParseUint(string(c[:10]), 10, 64)
	if err != nil {
		return true // not a CUIL ParseCUIL gave
	}
	page, bit := n>>16, n&0xffff
	p := s[page]
	if p == nil {
		p = new([1024]uint64)
		s[page] = p
	}
	word, mask := bit>>6, uint64(1)<<(bit&63)
	if p[word]&mask != 0 {
		return false
	}
	p[word] |= mask
	return true
}
