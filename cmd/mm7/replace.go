package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

func init() {
	register(&command{name: "replace", usage: "--message-id ID [--text T] [--attach FILE[;type=TYPE]]... [--extended] [flags]",
		short: "replace a message submitted earlier (ReplaceReq; extendedReplaceReq with --extended) and print the result as one JSON object",
		long: `ID is the MessageID the MMSC returned for the submit (mm7 send prints it as
message_id). The new content is given as for mm7 send (--text, --attach,
--smil, --layout, --transfer-encoding); without any, only the other
elements are replaced. --extended sends an extendedReplaceReq (6.8.0 only),
whose ReplaceID is ID; its answer carries a MessageID. Connection flags,
output and exit codes are those of mm7 send.

` + callOutputHelp + `

` + exitCodesHelp,
		run: runReplace})
}

func runReplace(ctx context.Context, e *env, args []string) int {
	c := commands["replace"]
	fs := newFlags(e, c)
	var (
		m              mmscFlags
		t              targetFlags
		content        contentFlags
		serviceCode    string
		readReply      bool
		deliveryReport bool
	)
	m.register(fs)
	t.register(fs, "replace")
	content.register(fs)
	fs.StringVar(&serviceCode, "service-code", "", "ServiceCode (billing)")
	fs.BoolVar(&readReply, "read-reply", false, "request read replies (ReadReply=true)")
	fs.BoolVar(&deliveryReport, "delivery-report", false, "request delivery reports (DeliveryReport=true; --extended only)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	usageErr := func(err error) int {
		fmt.Fprintf(e.stderr, "mm7 replace: %v\nTry 'mm7 replace -h'.\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if err := t.check(&m); err != nil {
		return usageErr(err)
	}
	if err := content.check(); err != nil {
		return usageErr(err)
	}
	if t.extended && t.from != "" {
		return usageErr(errors.New("--from cannot go with --extended: extendedReplaceReq has no SenderIdentification"))
	}
	if deliveryReport && !t.extended {
		return usageErr(errors.New("--delivery-report needs --extended: ReplaceReq has no DeliveryReport"))
	}
	encOpts, _ := content.encodeOptions() // checked above
	call, err := m.newCall(e, encOpts)
	if ue, ok := errors.AsType[usageError](err); ok {
		return usageErr(ue)
	}
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	parts, closeParts, err := content.parts()
	if err != nil {
		return fail(e, c.name, exitFail, err)
	}
	defer closeParts()
	id := strings.TrimSpace(t.messageID)
	var sc *rel6.ServiceCode
	if serviceCode != "" {
		sc = &rel6.ServiceCode{Value: serviceCode}
	}
	var body any = &rel6.ReplaceReq{SenderIdentification: senderID(&m, t.from), MessageID: id, ServiceCode: sc, ReadReply: optTrue(readReply)}
	if t.extended {
		body = &rel6.ExtendedReplaceReq{VASPID: optString(m.vaspID), VASID: optString(m.vasID), ServiceCode: sc, ReplaceID: &id,
			ReadReply: optTrue(readReply), DeliveryReport: optTrue(deliveryReport)}
	}
	if m.dryRun {
		if err := call.dryRun(e.stdout, body, parts); err != nil {
			return dryRunFailure(e, c.name, err)
		}
		return exitOK
	}
	ctx, cancel := call.timeoutCtx(ctx)
	defer cancel()
	var res *mm7.Result
	switch b := body.(type) { // concrete types: whatever interface the client takes
	case *rel6.ExtendedReplaceReq:
		res, err = call.client.Replace(ctx, b, parts, call.opts...)
	case *rel6.ReplaceReq:
		res, err = call.client.Replace(ctx, b, parts, call.opts...)
	}
	return reportCall(e, c.name, call.ctx, res, err)
}

// optTrue returns a pointer to true when b is set, else nil (element
// left out).
func optTrue(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}
