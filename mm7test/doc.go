// Package mm7test provides a fake MMSC (MMS Relay/Server) for testing
// code that speaks MM7, in the manner of net/http/httptest: a VASP's
// [mm7.Client] submits to it, and its delivery reports and MO messages
// reach the VASP's [mm7.Handler].
//
//	mmsc := mm7test.NewServer(mm7test.WithBasicAuth("vasp", "secret"))
//	defer mmsc.Close()
//	c, _ := mm7.NewClient(mmsc.URL, mm7.WithBasicAuth("vasp", "secret"))
//	res, err := c.Submit(ctx, req, atts)
//	got := mmsc.Requests() // what the MMSC received, attachments included
//
// [NewServer] serves an [MMSC] on loopback at Vibes' path
// ([DefaultPath]); [NewMMSC] returns the MMSC as a plain http.Handler,
// to serve it on any http.Server (the mm7 sim command does). The MMSC
// receives through an [mm7.Handler], so tests exercise the library's real
// receiving code, REL-5 and REL-6 alike.
//
// # Recording
//
// Every MM7 request is recorded as a [Recorded]: the decoded message,
// version, TransactionID, HTTP headers (X-Vibes-CarrierCode and
// X-Vibes-DlrCallbackUrl among them), attachments read whole up to a
// bound, the MessageID and the reply. [MMSC.Requests] lists them and
// [MMSC.WaitRequests] waits for some, with a context: tests never sleep.
//
// # Replies
//
// By default the MMSC answers as an MMSC would: SubmitReq gets 1000
// Success and a new MessageID ("mm7test-1", ...); CancelReq and ReplaceReq
// (and their extended forms) 1000, or 2005 Message ID Not found for an
// unknown MessageID, or 3001 Not Possible for a message cancelled or
// already reported. [Options] change that:
//
//   - Username and Password require HTTP Basic Auth (else HTTP 401);
//   - Versions restricts the releases accepted: others get a Fault with
//     4002 Unsupported version, which makes a client fall back;
//   - Script returns a [Reply] per request: a status ([StatusReply]), a
//     Fault ([FaultReply]), an HTTP status without MM7 body such as 503
//     with Retry-After ([HTTPReply]), extra latency ([DelayReply]);
//   - Latency delays every reply;
//   - FailRate fails a fraction of requests with a 3000 Server Error
//     Fault, drawn from a source seeded with Seed, so runs repeat.
//
// # Delivery reports
//
// After a SubmitReq with DeliveryReport=true, the MMSC posts a
// DeliveryReportReq per recipient to [Options.VASPURL] once
// [Options.DeliveryReportDelay] has passed: MMStatus Retrieved (or
// [Options.DeliveryReportStatus]), the MessageID, the recipient, the
// submitted sender, in the submitted message's version, with the VASP
// credentials. A SubmitReq with an X-Vibes-DlrCallbackUrl header gets its
// reports there instead, as at Vibes: the final status when
// DeliveryReport is true, the hand-off status (Forwarded, or
// [Options.HandoffStatus]) when it is not. [MMSC.Reports] lists the
// reports sent and [MMSC.WaitReports] waits for them. Cancelling a
// message drops its pending reports; [MMSC.Close] drops all of them and
// waits for those being sent.
//
// # Pushing to the VASP
//
// [MMSC.Deliver] sends an MO message (a DeliverReq with text and media
// attachments), [MMSC.SendDeliveryReport] and [MMSC.SendReadReply] send a
// report at a time of the test's choosing. Each returns the
// [mm7.Result] holding the VASP's status.
//
// # Time
//
// Delays are real time. To test them without waiting, run the test in a
// testing/synctest bubble: create the MMSC there with NewMMSC, serve it
// and the VASP's handler on in-memory listeners (net.Pipe connections),
// and give [Options.HTTPClient] and the client under test a Transport
// that dials them; the bubble's fake clock then runs the delays
// instantly. Loopback sockets (NewServer) do not work in a bubble.
package mm7test
