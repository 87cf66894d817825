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
//	cancel    cancel a message submitted earlier (CancelReq, extendedCancelReq)
//	replace   replace the content of a message submitted earlier (ReplaceReq, extendedReplaceReq)
//	serve     receive MO messages, delivery reports and read replies
//	sim       run the embedded MMSC simulator
//	validate  check an MM7 message against its schema
//	inspect   decode an MM7 message and print it as JSON
//	demo      simulator + send + receive on loopback
//	version   print build information
//
// The commands that talk to an MMSC (send, cancel, replace) print one
// JSON object on stdout whenever the MMSC answered anything (HTTP status,
// MM7 status and its source, Fault, the version it answered in,
// deviations), and on stderr only a one-line error on failure; log records
// only with -v or --log-level.
//
// Exit codes:
//
//	0  success (1100 partial success included: see status_code)
//	1  could not complete (unreadable answer, TransactionID mismatch, TLS failure, local I/O)
//	2  usage: bad flags or arguments
//	3  the MMSC answered with a non-success MM7 status or a SOAP Fault
//	4  no answer: could not connect, or timed out (retrying later may help)
//	5  refused locally, nothing sent: over a profile limit or not encodable (do not retry as is)
//	6  HTTP error from the MMSC: a non-2xx status without an MM7 answer (401, 502, 503, ...)
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
	exitNoAnswer = 4
	exitRefused  = 5
	exitHTTP     = 6
)

// exitCodesHelp is the exit code table of mm7 -h and the MMSC commands.
const exitCodesHelp = `Exit codes:
  0  ok (1100 partial success included: see status_code)
  1  could not complete (unreadable answer, TransactionID mismatch, TLS failure, local I/O)
  2  usage: bad flags or arguments
  3  the MMSC answered with a non-success MM7 status or a SOAP Fault
  4  no answer: could not connect, or timed out (retrying later may help)
  5  refused locally, nothing sent: over a profile limit or not encodable (do not retry as is)
  6  HTTP error from the MMSC: non-2xx without an MM7 answer (401, 502, 503, ...)`

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
	fmt.Fprintln(w, "\n"+exitCodesHelp)
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
// should stop: 0 after -h (the full usage), 2 on a usage error (one line
// naming the problem, then where to find the usage).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard) // the flag package's own message is printed below, once
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(out)
	if err != nil {
		if err == flag.ErrHelp {
			usage()
			return exitOK, false
		}
		fmt.Fprintf(out, "mm7 %s: %s\nTry 'mm7 %s -h'.\n", fs.Name(), strings.ReplaceAll(err.Error(), "\n", " "), fs.Name())
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

// logFlags adds -v and --log-level to the flags of a one-shot command,
// whose stderr is silent on success by default.
func logFlags(fs *flag.FlagSet) func(w io.Writer) (*slog.Logger, error) {
	verbose := fs.Bool("v", false, "debug logging on stderr (same as --log-level debug)")
	level := fs.String("log-level", "", "log records on stderr at this `level` and above: debug, info, warn or error (default: none)")
	return func(w io.Writer) (*slog.Logger, error) {
		if *verbose {
			return newLogger(w, true), nil
		}
		if *level == "" {
			return slog.New(slog.DiscardHandler), nil
		}
		var l slog.Level
		if err := l.UnmarshalText([]byte(*level)); err != nil {
			return nil, fmt.Errorf("--log-level: want debug, info, warn or error, got %q", *level)
		}
		return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
	}
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
