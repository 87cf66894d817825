// Package mm7nats runs MM7 beyond one machine on NATS JetStream:
// replicated receivers that publish what MMSCs send to a stream
// ([Sink]), a work queue of MT jobs ([Bus.Enqueue]) and the relay that
// submits them to an MMSC under a rate limit ([Relay]).
//
// Every replica of a receiver and every relay shares one [Bus]: the
// streams, key-value buckets and object store below, created (or updated)
// by [Open] with the replication factor of [Config.Replicas].
//
//	PREFIX.in.<deliver|delivery-report|read-reply>   stream PREFIX_IN: received messages ([Inbound])
//	PREFIX.jobs.<account>                            stream PREFIX_JOBS (work queue): MT jobs ([Job])
//	PREFIX.results.<account>                         stream PREFIX_RESULTS: job outcomes ([Result])
//	PREFIX.dead.<account>                            stream PREFIX_DEAD: jobs given up
//	KV PREFIX_DEDUPE                                 received messages already stored (TTL ≥ 24 h)
//	KV PREFIX_SENT                                   job outcomes and MessageID → job id
//	object store PREFIX_OBJECTS                      attachments over the inline threshold, by SHA-256
//
// (PREFIX is [Config.Prefix], "mm7" by default, upper-cased in stream
// names.) A receiver answers 1000 only after JetStream acknowledged
// everything; a relay records the MessageID an MMSC gave a job before it
// acknowledges the job, so that a redelivered job is not submitted twice.
// See docs/scale.md for the whole picture.
package mm7nats
