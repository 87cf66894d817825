package mm7test_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

func TestDeliveryReportsReachTheVASP(t *testing.T) {
	for _, tt := range versions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vp := newVASP()
			vp.h.Username, vp.h.Password = "mmsc", "callback-secret"
			mmsc := mm7test.NewServer(mm7test.WithVASP(vp.serve(t), "mmsc", "callback-secret"))
			defer mmsc.Close()

			res, err := newClient(t, mmsc.URL, tt.v).Submit(t.Context(), submitReq(t, tt.v, true, "+15555550001", "+15555550002"), nil)
			require.NoError(t, err)

			reports, err := mmsc.WaitReports(t.Context(), 2)
			require.NoError(t, err)
			got := vp.waitFor(t, 2)
			recipients := map[string]bool{}
			for _, g := range got {
				assert.Equal(t, "DeliveryReportReq", g.Kind)
				assert.Equal(t, tt.v.Release, g.Release, "sent in the submitted version")
				assert.Equal(t, "mmsc", g.User, "with the VASP credentials")
				assert.Equal(t, res.MessageID, g.MessageID)
				assert.Equal(t, "12345", g.Sender)
				assert.Equal(t, "Retrieved", g.Status)
				recipients[g.Recipient] = true
			}
			assert.Equal(t, map[string]bool{"+15555550001": true, "+15555550002": true}, recipients)
			for _, r := range reports {
				require.NoError(t, r.Err)
				assert.Equal(t, mm7.StatusSuccess, r.Result.Status)
				assert.Equal(t, res.MessageID, r.MessageID)
				assert.Equal(t, "Retrieved", r.Status)
				assert.Equal(t, tt.v, r.Version)
			}
			st, _ := mmsc.Message(res.MessageID)
			assert.Equal(t, mm7test.StateReported, st.State)
			assert.Equal(t, 2, st.ReportsSent)
			assert.Equal(t, "Retrieved", st.LastReport)

			// A reported message can no longer be cancelled.
			var cancel mm7.Body = &rel6.CancelReq{MessageID: res.MessageID}
			if tt.v.Release == 5 {
				cancel = &rel5.CancelReq{MessageID: res.MessageID}
			}
			_, err = newClient(t, mmsc.URL, tt.v).Cancel(t.Context(), cancel)
			assert.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusNotPossible})
		})
	}
}

// TestVibesDlrCallbackURL follows mm7-facts 10.4: the header takes the
// reports; DeliveryReport decides between the final and the hand-off
// status; without either nothing is sent.
func TestVibesDlrCallbackURL(t *testing.T) {
	tests := []struct {
		name           string
		deliveryReport bool
		callback       bool
		wantAt         string // "vasp", "callback" or ""
		wantStatus     string
	}{
		{"report and callback: final status to the callback", true, true, "callback", "Retrieved"},
		{"callback only: hand-off status to the callback", false, true, "callback", "Forwarded"},
		{"report only: to the VASP URL", true, false, "vasp", "Retrieved"},
		{"neither: nothing", false, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := newMemNet()
				hc := n.client(t)
				vp, cb := newVASP(), newVASP()
				n.serve(t, "vasp", vp.h)
				n.serve(t, "callback", cb.h)
				mmsc := mm7test.NewMMSC(mm7test.Options{VASPURL: "http://vasp/mm7", HTTPClient: hc, DeliveryReportDelay: time.Minute})
				defer mmsc.Close()
				n.serve(t, "mmsc", mmsc)
				c := newClient(t, "http://mmsc/mm7", mm7.Rel5, func(o *mm7.Options) { o.HTTPClient = hc })
				var opts []mm7.CallOption
				if tt.callback {
					opts = append(opts, mm7.VibesDLRCallbackURL("http://callback/dlr"))
				}
				res, err := c.Submit(t.Context(), submitReq(t, mm7.Rel5, tt.deliveryReport, "+15555550123"), nil, opts...)
				require.NoError(t, err)
				time.Sleep(time.Minute)
				synctest.Wait()

				switch tt.wantAt {
				case "":
					assert.Empty(t, vp.received())
					assert.Empty(t, cb.received())
					assert.Empty(t, mmsc.Reports())
				case "vasp":
					assert.Empty(t, cb.received())
					got := vp.received()
					require.Len(t, got, 1)
					assert.Equal(t, tt.wantStatus, got[0].Status)
					assert.Equal(t, res.MessageID, got[0].MessageID)
				case "callback":
					assert.Empty(t, vp.received())
					got := cb.received()
					require.Len(t, got, 1)
					assert.Equal(t, tt.wantStatus, got[0].Status)
					assert.Equal(t, res.MessageID, got[0].MessageID)
					assert.Equal(t, 5, got[0].Release)
					require.Len(t, mmsc.Reports(), 1)
					assert.Equal(t, "http://callback/dlr", mmsc.Reports()[0].URL)
				}
				st, _ := mmsc.Message(res.MessageID)
				if tt.callback {
					assert.Equal(t, "http://callback/dlr", st.CallbackURL)
				}
				assert.Equal(t, tt.deliveryReport, st.DeliveryReport)
				if tt.wantStatus == "Forwarded" {
					assert.Equal(t, mm7test.StateSubmitted, st.State, "Forwarded is not final")
				}
			})
		})
	}
}

func TestDeliveryReportDelayAndStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mmsc, vp, c := inMemory(t, mm7.Rel6, mm7test.Options{DeliveryReportDelay: 10 * time.Second, DeliveryReportStatus: "Rejected"})
		res, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+15555550123"), nil)
		require.NoError(t, err)
		submitted := time.Now()

		time.Sleep(10*time.Second - time.Nanosecond)
		synctest.Wait()
		assert.Empty(t, vp.received(), "not before the delay")

		reports, err := mmsc.WaitReports(t.Context(), 1)
		require.NoError(t, err)
		assert.Equal(t, 10*time.Second, time.Since(submitted))
		got := vp.received()
		require.Len(t, got, 1)
		assert.Equal(t, "Rejected", got[0].Status)
		assert.Equal(t, res.MessageID, got[0].MessageID)
		assert.Equal(t, submitted.Add(10*time.Second), reports[0].Time)
	})
}

func TestCancelDropsPendingReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mmsc, vp, c := inMemory(t, mm7.Rel6, mm7test.Options{DeliveryReportDelay: time.Hour})
		first, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+15555550001"), nil)
		require.NoError(t, err)
		second, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+15555550002"), nil)
		require.NoError(t, err)
		_, err = c.Cancel(t.Context(), &rel6.CancelReq{MessageID: first.MessageID})
		require.NoError(t, err)

		time.Sleep(2 * time.Hour)
		synctest.Wait()
		got := vp.received()
		require.Len(t, got, 1)
		assert.Equal(t, second.MessageID, got[0].MessageID)
		st, _ := mmsc.Message(first.MessageID)
		assert.Zero(t, st.ReportsSent)
	})
}

func TestCloseStopsPendingReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mmsc, vp, c := inMemory(t, mm7.Rel6, mm7test.Options{DeliveryReportDelay: time.Hour})
		_, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+15555550001", "+15555550002"), nil)
		require.NoError(t, err)
		synctest.Wait()
		start := time.Now()
		mmsc.Close()
		assert.Zero(t, time.Since(start), "Close does not wait for pending reports")
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		assert.Empty(t, vp.received())
		assert.Empty(t, mmsc.Reports())
		// synctest.Test fails if a report goroutine is left.
	})
}

func TestCloseCancelsReportsBeingSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newMemNet()
		hc := n.client(t)
		entered := make(chan struct{})
		stuck := &mm7.Handler{OnDeliveryReport: func(ctx context.Context, _ *mm7.Request) error {
			close(entered)
			<-ctx.Done() // a VASP that never answers
			return ctx.Err()
		}}
		n.serve(t, "vasp", stuck)
		mmsc := mm7test.NewMMSC(mm7test.Options{VASPURL: "http://vasp/mm7", HTTPClient: hc})
		n.serve(t, "mmsc", mmsc)
		c := newClient(t, "http://mmsc/mm7", mm7.Rel6, func(o *mm7.Options) { o.HTTPClient = hc })
		_, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+15555550001"), nil)
		require.NoError(t, err)
		<-entered
		mmsc.Close()
		reports := mmsc.Reports()
		require.Len(t, reports, 1, "Close waited for the report being sent")
		assert.ErrorIs(t, reports[0].Err, context.Canceled)
	})
}

func TestShutdownWaitsForPendingReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mmsc, vp, c := inMemory(t, mm7.Rel6, mm7test.Options{DeliveryReportDelay: 5 * time.Second})
		_, err := c.Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+15555550001"), nil)
		require.NoError(t, err)
		synctest.Wait()
		start := time.Now()
		require.NoError(t, mmsc.Shutdown(t.Context()))
		assert.Equal(t, 5*time.Second, time.Since(start))
		assert.Len(t, vp.received(), 1)

		// Shutdown gives up when its context ends.
		mmsc2, vp2, c2 := inMemory(t, mm7.Rel6, mm7test.Options{DeliveryReportDelay: time.Hour})
		_, err = c2.Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+15555550001"), nil)
		require.NoError(t, err)
		synctest.Wait()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		assert.ErrorIs(t, mmsc2.Shutdown(ctx), context.DeadlineExceeded)
		assert.Empty(t, vp2.received())
	})
}

func TestSendDeliveryReportAndReadReply(t *testing.T) {
	for _, tt := range versions {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vp := newVASP()
			mmsc := mm7test.NewServer(mm7test.WithVASP(vp.serve(t), "", ""))
			defer mmsc.Close()
			res, err := newClient(t, mmsc.URL, tt.v).Submit(t.Context(), submitReq(t, tt.v, false, "+15555550123"), nil)
			require.NoError(t, err)

			// Known message: everything else comes from it.
			dres, err := mmsc.SendDeliveryReport(t.Context(), mm7test.DeliveryReport{MessageID: res.MessageID, Status: "Expired"})
			require.NoError(t, err)
			assert.Equal(t, mm7.StatusSuccess, dres.Status)
			assert.Equal(t, tt.v, dres.Version)
			rres, err := mmsc.SendReadReply(t.Context(), mm7test.ReadReply{MessageID: res.MessageID})
			require.NoError(t, err)
			assert.Equal(t, "ReadReplyRsp", rres.Kind)

			got := vp.received()
			require.Len(t, got, 2)
			assert.Equal(t, received{Kind: "DeliveryReportReq", Release: tt.v.Release, MessageID: res.MessageID, Recipient: "+15555550123",
				Sender: "12345", Status: "Expired", Header: got[0].Header, Attachments: map[string][]byte{}}, got[0])
			assert.Equal(t, received{Kind: "ReadReplyReq", Release: tt.v.Release, MessageID: res.MessageID, Recipient: "+15555550123",
				Sender: "12345", Status: "Read", Header: got[1].Header, Attachments: map[string][]byte{}}, got[1])
			assert.Empty(t, mmsc.Reports(), "sent by hand, not listed")
		})
	}
}

func TestSendDeliveryReportErrors(t *testing.T) {
	vp := newVASP()
	vp.h.OnDeliveryReport = func(context.Context, *mm7.Request) error {
		return &mm7.StatusError{Code: mm7.StatusMessageIDNotFound}
	}
	url := vp.serve(t)
	mmsc := mm7test.NewMMSC(mm7test.Options{})
	defer mmsc.Close()
	ctx := t.Context()

	_, err := mmsc.SendDeliveryReport(ctx, mm7test.DeliveryReport{MessageID: "unknown", URL: url})
	assert.ErrorContains(t, err, "no Recipient")
	_, err = mmsc.SendDeliveryReport(ctx, mm7test.DeliveryReport{MessageID: "unknown", Recipient: "+1555"})
	assert.ErrorContains(t, err, "no Sender")
	_, err = mmsc.SendDeliveryReport(ctx, mm7test.DeliveryReport{MessageID: "unknown", Recipient: "+1555", Sender: "12345"})
	assert.ErrorContains(t, err, "no URL")

	// An unknown message is fine for the MMSC; the VASP's answer comes back.
	res, err := mmsc.SendDeliveryReport(ctx, mm7test.DeliveryReport{MessageID: "unknown", Recipient: "+1555", Sender: "12345", URL: url,
		Version: mm7.Rel5})
	assert.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusMessageIDNotFound})
	require.NotNil(t, res)
	assert.Equal(t, mm7.StatusMessageIDNotFound, res.Status)
	assert.Equal(t, mm7.Rel5, res.Version)
}

func TestReportToAnUnreachableVASP(t *testing.T) {
	dead := httptest.NewServer(nil)
	url := dead.URL
	dead.Close()
	mmsc := mm7test.NewServer(mm7test.WithVASP(url, "", ""))
	defer mmsc.Close()
	_, err := newClient(t, mmsc.URL, mm7.Rel6).Submit(t.Context(), submitReq(t, mm7.Rel6, true, "+1555"), nil)
	require.NoError(t, err)
	reports, err := mmsc.WaitReports(t.Context(), 1)
	require.NoError(t, err)
	var opErr interface{ Timeout() bool }
	assert.True(t, errors.As(reports[0].Err, &opErr), "%v", reports[0].Err)
}
