package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func init() {
	register(&command{name: "version", short: "print build information", run: func(_ context.Context, e *env, _ []string) int {
		info, ok := debug.ReadBuildInfo()
		if !ok {
			fmt.Fprintln(e.stdout, "mm7 (no build information)")
			return exitOK
		}
		fmt.Fprintf(e.stdout, "mm7 %s %s\n", info.Main.Version, info.GoVersion)
		return exitOK
	}})
}
