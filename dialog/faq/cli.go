package faq

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// Line is one answer of `clavebot faq classify` (CONTRACT §6).
type Line struct {
	Text   string  `json:"text"`
	Intent string  `json:"intent"`
	Score  float64 `json:"score"`
}

// maxLine is the longest question classified, in bytes.
const maxLine = 1 << 20

// ClassifyLines reads one question a line from r and writes, for each,
// its best intent as a JSON line to w (None when out of scope). Every
// input line has its output line, in order: a byte-order mark opening r
// is not part of the first question, and a line longer than maxLine is
// cut there and answered None (no one asks a megabyte), rather than
// ending the run and taking the answers before it along.
func ClassifyLines(clf *Classifier, r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 64*1024)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for n := 1; ; n++ {
		text, cut, err := readLine(br, maxLine)
		if err == io.EOF {
			break
		}
		if err != nil {
			bw.Flush()
			return fmt.Errorf("faq classify: read line %d: %w", n, err)
		}
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		l := Line{Text: text, Intent: None, Score: 1}
		if !cut {
			g := clf.Classify(text)[0]
			l.Intent, l.Score = g.Intent, math.Round(g.Score*1e4)/1e4
		}
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("faq classify: write: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("faq classify: write: %w", err)
	}
	return nil
}

// readLine returns br's next line without its end ("\n" or "\r\n"), at
// most max bytes of it, cut on a character's boundary, and whether it was
// cut; the rest of a long line is read and dropped. io.EOF when no line
// is left.
func readLine(br *bufio.Reader, max int) (string, bool, error) {
	var buf []byte
	dropped, read := false, false
	for {
		frag, err := br.ReadSlice('\n')
		read = read || len(frag) > 0
		if room := max + len("\r\n") - len(buf); len(frag) > room {
			buf, dropped = append(buf, frag[:room]...), true
		} else {
			buf = append(buf, frag...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && !read {
			return "", false, io.EOF
		}
		if err != nil && err != io.EOF {
			return "", false, err
		}
		break
	}
	if !dropped {
		buf = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
	}
	if !dropped && len(buf) <= max {
		return string(buf), false, nil
	}
	buf = buf[:max]
	for len(buf) > 0 && !utf8.Valid(buf) {
		buf = buf[:len(buf)-1]
	}
	return string(buf), true, nil
}

// Export writes every training example as a JSON line
// {"intent":"<id>","text":"..."}.
func Export(w io.Writer) error {
	exs, err := loadExamples()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, ex := range exs {
		if err := enc.Encode(ex); err != nil {
			return fmt.Errorf("faq export: write: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("faq export: write: %w", err)
	}
	return nil
}
