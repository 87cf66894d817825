package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

func init() {
	register(&command{name: "cancel", usage: "--message-id ID [--extended] [flags]",
		short: "cancel a message submitted earlier (CancelReq; extendedCancelReq with --extended) and print the result as one JSON object",
		long: `ID is the MessageID the MMSC returned for the submit (mm7 send prints it as
message_id). --extended sends an extendedCancelReq (6.8.0 only), whose
CancelID is ID. Connection flags, output and exit codes are those of mm7 send.

` + callOutputHelp + `

` + exitCodesHelp,
		run: runCancel})
}

// targetFlags are the flags naming the message cancel and replace act on.
type targetFlags struct {
	messageID, from string
	extended        bool
}

func (t *targetFlags) register(fs *flag.FlagSet, verb string) {
	fs.StringVar(&t.messageID, "message-id", "", "MessageID of the message to "+verb+" (as the MMSC returned it)")
	fs.StringVar(&t.from, "from", "", "sender `address` in SenderIdentification/SenderAddress (short code, number or e-mail)")
	fs.BoolVar(&t.extended, "extended", false, "send the extended"+strings.ToUpper(verb[:1])+verb[1:]+"Req of REL-6 (6.8.0 only)")
}

// check validates the target flags; errors are usage errors. An extended
// request exists in REL-6 only: --version auto then means 6.8.0.
func (t *targetFlags) check(m *mmscFlags) error {
	if strings.TrimSpace(t.messageID) == "" {
		return errors.New("no message: give --message-id")
	}
	if err := m.check(); err != nil {
		return err
	}
	if t.extended {
		vs, _ := m.versions()
		if len(vs) == 1 && vs[0].Release == 5 {
			return fmt.Errorf("--extended needs --version 6.8.0: 5.5.0 (REL-5-MM7-1-2) has no extended requests")
		}
		m.version = "6.8.0"
	}
	return nil
}

// senderID returns the SenderIdentification of the flags.
func senderID(m *mmscFlags, from string) rel6.SenderID {
	si := rel6.SenderID{VASPID: optString(m.vaspID), VASID: optString(m.vasID)}
	if strings.TrimSpace(from) != "" {
		a := address(from)
		si.SenderAddress = &a
	}
	return si
}

// optString returns nil for "", else a pointer to s.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func runCancel(ctx context.Context, e *env, args []string) int {
	c := commands["cancel"]
	fs := newFlags(e, c)
	var m mmscFlags
	var t targetFlags
	m.register(fs)
	t.register(fs, "cancel")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	usageErr := func(err error) int {
		fmt.Fprintf(e.stderr, "mm7 cancel: %v\nTry 'mm7 cancel -h'.\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if err := t.check(&m); err != nil {
		return usageErr(err)
	}
	call, err := m.newCall(e, mm7.EncodeOptions{})
	if ue, ok := errors.AsType[usageError](err); ok {
		return usageErr(ue)
	}
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	var body any = &rel6.CancelReq{SenderIdentification: senderID(&m, t.from), MessageID: strings.TrimSpace(t.messageID)}
	if t.extended {
		body = &rel6.ExtendedCancelReq{SenderIdentification: senderID(&m, t.from), CancelID: strings.TrimSpace(t.messageID)}
	}
	if m.dryRun {
		if err := call.dryRun(e.stdout, body, nil); err != nil {
			return dryRunFailure(e, c.name, err)
		}
		return exitOK
	}
	ctx, cancel := call.timeoutCtx(ctx)
	defer cancel()
	var res *mm7.Result
	switch b := body.(type) { // concrete types: whatever interface the client takes
	case *rel6.ExtendedCancelReq:
		res, err = call.client.Cancel(ctx, b, call.opts...)
	case *rel6.CancelReq:
		res, err = call.client.Cancel(ctx, b, call.opts...)
	}
	return reportCall(e, c.name, call.ctx, res, err)
}
