package main

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7test"
)

func TestDemoPNGIsValid(t *testing.T) {
	t.Parallel()
	img, err := png.Decode(bytes.NewReader(demoPNG()))
	require.NoError(t, err)
	assert.Equal(t, 48, img.Bounds().Dx())
}

// demoSteps are the lines mm7 demo prints when every step works.
var demoSteps = []*regexp.Regexp{
	regexp.MustCompile(`(?m)^1\. Started the receiver \(mm7 serve\) at http://127\.0\.0\.1:\d+/mm7, storing`),
	regexp.MustCompile(`(?m)^2\. Started the MMSC simulator \(mm7 sim\) at http://127\.0\.0\.1:\d+/`),
	regexp.MustCompile(`(?m)^3\. Sent an MMS from short code 12345 to 15555550123 .* answered 1000 Success with MessageID demo-1\.$`),
	regexp.MustCompile(`(?m)^4\. The delivery report arrived: Retrieved for 15555550123\. .*delivery-report/demo-1_15555550123_Retrieved/message\.json`),
	regexp.MustCompile(`(?m)^5\. The simulator sent an MO message from 15555550123 to 12345 .* answered 1000 Success\.$`),
	regexp.MustCompile(`(?m)^6\. The MO message is stored in .*/deliver/\S+ with 2 attachments; the image is byte for byte the one sent\.$`),
	regexp.MustCompile(`(?m)^Done: an MMS sent, its delivery report received, an MO message received\.$`),
}

func TestDemo(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"6.8.0", "5.5.0"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runEnv(t, nil, "demo", "--version", v)
			require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			for _, re := range demoSteps {
				assert.Regexp(t, re, out)
			}
			assert.Contains(t, out, "in MM7 "+v)
			assert.Empty(t, errOut, "logs only with -v")
			assert.Contains(t, out, "The receiver's files are removed now")
		})
	}
}

func TestDemoUsage(t *testing.T) {
	t.Parallel()
	code, _, errOut := runEnv(t, nil, "demo", "--timeout", "0s")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Try 'mm7 demo -h'")
	code, _, errOut = runEnv(t, nil, "demo", "-h")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(errOut, "Usage: mm7 demo"))
}

// A delivery report the receiver refuses ends the demo's wait at once
// with the reason, however long --timeout is: the demo reacts to what
// happened instead of waiting for a timer.
func TestDemoWaitEndsWhenTheReportFails(t *testing.T) {
	t.Parallel()
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "disk full", http.StatusInternalServerError)
	}))
	defer refusing.Close()
	mmsc := mm7test.NewServer(mm7test.WithVASP(refusing.URL, "", ""))
	defer mmsc.Close()
	c, err := mm7.NewClient(mmsc.URL)
	require.NoError(t, err)
	res, err := c.Submit(t.Context(), &rel6.SubmitReq{
		Recipients:     rel6.Recipients{To: []rel6.MultiAddress{{Number: []rel6.Number{{Value: demoHandset}}}}},
		DeliveryReport: new(true),
	}, nil)
	require.NoError(t, err)

	d := &demo{timeout: time.Hour, saved: make(chan *saveResult, 1)}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // a bound for a broken wait, far below the demo's
	defer cancel()
	_, err = d.wait(ctx, "the delivery report", reportFailures(ctx, mmsc.MMSC, res.MessageID), func(*saveResult) bool { return true })
	require.Error(t, err)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "waiting for the delivery report: the simulator sent it to "+refusing.URL)
	assert.Contains(t, err.Error(), "500")
}

// A report stored before the wait starts (a fast receiver, a slow demo)
// is found; reports of other messages are not taken for it, and their
// failures do not end the wait.
func TestDemoWaitStoredBeforeWaiting(t *testing.T) {
	t.Parallel()
	d := &demo{timeout: time.Hour, saved: make(chan *saveResult, 4)}
	d.saved <- &saveResult{Kind: kindDeliveryReport, Summary: messageSummary{messageID: "other"}}
	d.saved <- &saveResult{Kind: kindDeliveryReport, Summary: messageSummary{messageID: "demo-1"}}
	failed := make(chan error) // never fires
	got, err := d.wait(t.Context(), "the delivery report", failed, func(r *saveResult) bool { return r.Summary.messageID == "demo-1" })
	require.NoError(t, err)
	assert.Equal(t, "demo-1", got.Summary.messageID)

	d.timeout = time.Millisecond
	_, err = d.wait(t.Context(), "the MO message", nil, func(*saveResult) bool { return true })
	assert.EqualError(t, err, "waiting for the MO message: timed out after 1ms")
}
