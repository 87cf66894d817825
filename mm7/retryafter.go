package mm7

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// A RetryAfterError, returned by a [Handler] callback, says that the
// request could not be taken now but can be later: the storage behind the
// callback is unavailable, say. The Handler answers HTTP 503 Service
// Unavailable with a Retry-After header of After (in whole seconds, at
// least 1) and a SOAP Fault carrying 4006 Service unavailable, which MMSCs
// that read only the HTTP status and those that read the Fault both
// retry. Nothing is acknowledged.
//
//	if err := sink.Store(ctx, r); err != nil {
//		return &mm7.RetryAfterError{After: 5 * time.Second, Err: err}
//	}
type RetryAfterError struct {
	// After is how long the peer should wait before sending the request
	// again; 0 means 1 s.
	After time.Duration
	// Err is the cause, logged by the Handler and never sent to the peer;
	// it may be nil.
	Err error
}

// Error returns e.g. "mm7: unavailable, retry after 5s: nats: no servers".
func (e *RetryAfterError) Error() string {
	s := fmt.Sprintf("mm7: unavailable, retry after %s", e.retryAfter())
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// retryAfter returns After rounded up to whole seconds, at least 1 s.
func (e *RetryAfterError) retryAfter() time.Duration {
	return time.Duration(e.seconds()) * time.Second
}

// seconds is the Retry-After value: After in whole seconds, rounded up,
// between 1 and a day.
func (e *RetryAfterError) seconds() int64 {
	s := math.Ceil(e.After.Seconds())
	return int64(min(max(s, 1), 86400))
}

// header is the value of the Retry-After header.
func (e *RetryAfterError) header() string { return strconv.FormatInt(e.seconds(), 10) }

// unavailable answers a callback's *RetryAfterError: a 4006 Fault with
// HTTP 503 and Retry-After.
func (x *inbound) unavailable(msg *Message, e *RetryAfterError) {
	x.w.Header().Set("Retry-After", e.header())
	buf := getReplyBuffer()
	defer putReplyBuffer(buf)
	if err := appendFault(buf, msg.TransactionID, msg.Version, x.h.vaspSide(x.kind), StatusServiceUnavailable, "", "temporarily unavailable, retry later"); err != nil {
		x.internalError(err)
		return
	}
	x.send(http.StatusServiceUnavailable, StatusServiceUnavailable, buf.Bytes())
}
