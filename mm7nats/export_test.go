package mm7nats

import "context"

// RecordResultForTest records a job outcome as a relay does.
func RecordResultForTest(ctx context.Context, b *Bus, r *Result) error { return b.record(ctx, r) }

// AbandonAfterRecordForTest makes r simulate a crash right after it
// recorded a job's outcome, for the jobs f returns true for.
func AbandonAfterRecordForTest(r *Relay, f func(jobID string) bool) { r.abandonAfterRecord = f }
