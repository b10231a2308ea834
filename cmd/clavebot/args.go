package main

import (
	"flag"
	"fmt"
)

// positionals is what a command takes besides flags: from min to max
// arguments, as its usage line says.
type positionals struct {
	min, max int
	usage    string // "" for a command that takes none
}

// noArgs is a command that takes flags only.
var noArgs = positionals{}

// parse parses a command's args: its flags before, between or after its
// positional arguments ("--" ends the flags), which it returns. Go's flag
// package stops at the first positional argument: `registry import FILE
// --database-url X` was a usage error, and `agent add nico extra words`
// created nico without a word. -h gives status 0; bad flags, and more or
// fewer arguments than want, status 2; so does an environment variable
// whose value does not parse, unless its flag is on the command line.
func parse(fs *flagSet, args []string, want positionals) ([]string, error) {
	pos, err := interleaved(fs.FlagSet, args)
	if err != nil {
		if err == flag.ErrHelp {
			return nil, &exitError{code: 0}
		}
		return nil, &exitError{code: 2}
	}
	if err := fs.envErr(); err != nil {
		return nil, err
	}
	switch {
	case len(pos) > want.max && want.usage == "":
		return nil, &exitError{code: 2, msg: fmt.Sprintf("%s: unexpected argument %q (flags start with -; see %s -h)", fs.Name(), pos[want.max], fs.Name())}
	case len(pos) > want.max:
		return nil, &exitError{code: 2, msg: fmt.Sprintf("%s: unexpected argument %q\n%s", fs.Name(), pos[want.max], want.usage)}
	case len(pos) < want.min:
		return nil, &exitError{code: 2, msg: want.usage}
	}
	return pos, nil
}

// interleaved parses args with fs, going on after each positional
// argument, and returns those arguments.
func interleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		switch {
		case len(rest) == 0:
			return pos, nil
		case len(args) > len(rest) && args[len(args)-len(rest)-1] == "--":
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// envErr is the first environment variable whose value does not parse
// and whose flag is not on the command line, as a usage error.
func (fs *flagSet) envErr() error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, e := range fs.envErrs {
		if !given[e.flag.Name] {
			return &exitError{code: 2, msg: "clavebot: " + e.Error()}
		}
	}
	return nil
}
