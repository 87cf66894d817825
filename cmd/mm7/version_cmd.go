package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func init() {
	register(&command{name: "version", short: "print build information", run: func(_ context.Context, e *env, args []string) int {
		fs := newFlags(e, commands["version"])
		if code, ok := parse(fs, args); !ok {
			return code
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(e.stderr, "mm7 version: unexpected argument %q\nTry 'mm7 version -h'.\n", fs.Arg(0))
			return exitUsage
		}
		info, ok := debug.ReadBuildInfo()
		if !ok {
			fmt.Fprintln(e.stdout, "mm7 (no build information)")
			return exitOK
		}
		fmt.Fprintf(e.stdout, "mm7 %s %s\n", info.Main.Version, info.GoVersion)
		return exitOK
	}})
}
