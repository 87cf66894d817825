package mm7nats

import "context"

// RecordResultForTest records a job outcome as a relay does.
func RecordResultForTest(ctx context.Context, b *Bus, r *Result) error { return b.record(ctx, r) }
