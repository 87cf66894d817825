package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/openmms/mm7go/mm7nats"
)

// queueFlags are the flags of mm7 send --queue.
type queueFlags struct {
	url, idempotencyKey, account string
	nats                         natsFlags
}

func addQueueFlags(fs *flag.FlagSet) *queueFlags {
	q := &queueFlags{}
	fs.StringVar(&q.url, "queue", "", "enqueue the message as a job in NATS JetStream at `URL` (nats://HOST:4222) for mm7 relay, instead of sending it")
	fs.StringVar(&q.idempotencyKey, "idempotency-key", "", "with --queue: the same `key` twice is one job")
	fs.StringVar(&q.account, "account", "", "with --queue: the relay `account` that submits the job")
	q.nats.add(fs)
	return q
}

// queueOutput is what mm7 send --queue prints.
type queueOutput struct {
	JobID   string `json:"job_id"`
	Account string `json:"account"`
	Subject string `json:"subject"`
}

// enqueueSend builds the job of mm7 send's flags and content and enqueues
// it; it returns the exit code.
func enqueueSend(ctx context.Context, e *env, q *queueFlags, f *sendFlags) int {
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "mm7 send: %s\nTry 'mm7 send -h'.\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if bad := queueConflicts(f); bad != "" {
		return usageErr("--queue: %s does not apply to a queued job", bad)
	}
	if err := checkNATSURLs(q.url); err != nil {
		return usageErr("--queue: %v", err)
	}
	parts, closeParts, err := f.parts()
	if err != nil {
		return fail(e, "send", exitFail, err)
	}
	defer closeParts()
	if len(parts) == 0 {
		return usageErr("nothing to send: give --text, --attach or both")
	}
	job := &mm7nats.Job{IdempotencyKey: q.idempotencyKey, Account: q.account, From: f.from,
		To: f.to, Cc: f.cc, Bcc: f.bcc, Subject: f.subject, DeliveryReport: f.deliveryReport, ReadReply: f.readReply,
		VASPID: f.vaspID, VASID: f.vasID, ServiceCode: f.serviceCode, LinkedID: f.linkedID, TransactionID: f.txID,
		CarrierCode: f.carrierCode, DLRCallbackURL: f.dlrCallbackURL}
	for _, p := range parts {
		data, err := io.ReadAll(p.Body)
		if err != nil {
			return fail(e, "send", exitFail, fmt.Errorf("read %s: %w", p.ContentLocation, err))
		}
		job.Parts = append(job.Parts, mm7nats.Part{ContentType: p.ContentType, ContentID: p.ContentID,
			ContentLocation: p.ContentLocation, Data: data})
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	bus, closeBus, err := connectBus(ctx, "mm7 send", q.url, q.nats)
	if err != nil {
		return fail(e, "send", exitFail, fmt.Errorf("--queue: %w", err))
	}
	defer closeBus()
	id, err := bus.Enqueue(ctx, job)
	if err != nil {
		return fail(e, "send", exitFail, fmt.Errorf("enqueue: %w", err))
	}
	out := queueOutput{JobID: id, Account: q.account, Subject: bus.JobSubject(q.account)}
	if err := json.NewEncoder(e.stdout).Encode(out); err != nil {
		return fail(e, "send", exitFail, err)
	}
	return exitOK
}

// queueConflicts names a flag mm7 send --queue cannot honour, or "".
func queueConflicts(f *sendFlags) string {
	switch {
	case f.dryRun:
		return "--dry-run"
	case strings.TrimSpace(f.version) != "6.8.0":
		return "--version (the relay's --version applies)"
	}
	return ""
}
