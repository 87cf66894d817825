// Command mm7 sends and receives MMS over MM7 (3GPP TS 23.140), runs an
// MMSC simulator, and validates and inspects MM7 messages.
//
// Usage:
//
//	mm7 <command> [flags]
//
// Commands:
//
//	send      submit an MT message (SubmitReq) to an MMSC
//	serve     receive MO messages, delivery reports and read replies
//	sim       run the embedded MMSC simulator
//	validate  check an MM7 message against its schema
//	inspect   decode an MM7 message and print it as JSON
//	demo      simulator + send + receive on loopback
//	version   print build information
//
// Exit codes: 0 success; 1 could not complete (network, decode, invalid
// message); 2 usage; 3 the MMSC answered with a non-success status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/openmms/mm7go/mm7"
)

// A command is one subcommand.
type command struct {
	name, usage, short string
	long               string // optional: more help, printed before the flags
	run                func(ctx context.Context, env *env, args []string) int
}

// env is what a command may touch: the standard streams and the
// environment, injectable for tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

const (
	exitOK       = 0
	exitFail     = 1
	exitUsage    = 2
	exitMMStatus = 3
)

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "mm7: unknown command %q. Try 'mm7 -h'.\n", args[0])
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: mm7 <command> [flags]\n\nCommands:")
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].short)
	}
	fmt.Fprintln(w, "\nRun 'mm7 <command> -h' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok; 1 could not complete; 2 usage; 3 the MMSC answered with a non-success status.")
}

// newFlags returns a flag set for a command that writes its usage to
// stderr; both -flag and --flag work.
func newFlags(e *env, c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: mm7 %s %s\n\n%s\n\n", c.name, c.usage, c.short)
		if c.long != "" {
			fmt.Fprintf(e.stderr, "%s\n\n", c.long)
		}
		fmt.Fprintln(e.stderr, "Flags:")
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; it returns (exit code, false) when the command
// should stop: 0 after -h, 2 on a usage error.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK, false
		}
		fmt.Fprintf(fs.Output(), "Try 'mm7 %s -h'.\n", fs.Name())
		return exitUsage, false
	}
	return 0, true
}

// fail prints a one-line error for command name and returns code.
func fail(e *env, name string, code int, err error) int {
	fmt.Fprintf(e.stderr, "mm7 %s: %s\n", name, strings.ReplaceAll(err.Error(), "\n", " "))
	return code
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// newLogger returns the logger of a command: slog text records on
// stderr, at Debug level when verbose.
func newLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// passwordEnv names the environment variable holding the MM7 password.
const passwordEnv = "MM7_PASSWORD"

// passwordFileFlag adds --password-file, the file-based alternative to
// MM7_PASSWORD (passwords are never flag values: ps shows those).
func passwordFileFlag(fs *flag.FlagSet) *string {
	return fs.String("password-file", "", "read the password from `FILE` (default: the "+passwordEnv+" environment variable)")
}

// readPassword returns the password from file when it is set (one
// trailing newline removed), else from MM7_PASSWORD, else "". The value is
// never printed: errors name the file only.
func readPassword(e *env, file string) (mm7.Secret, error) {
	return readSecret(e, passwordEnv, file)
}

// readSecret reads a secret from file when given, else from the
// environment variable envName.
func readSecret(e *env, envName, file string) (mm7.Secret, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return "", fmt.Errorf("password file %s: %w", file, pe.Err)
			}
			return "", fmt.Errorf("password file %s: %w", file, err)
		}
		s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		if s == "" {
			return "", fmt.Errorf("password file %s is empty", file)
		}
		return mm7.Secret(s), nil
	}
	if e.getenv == nil {
		return "", nil
	}
	return mm7.Secret(e.getenv(envName)), nil
}
