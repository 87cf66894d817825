package main

import (
	"bytes"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
