package mm7_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/generated/rel5"
	"github.com/openmms/mm7go/generated/rel6"
	"github.com/openmms/mm7go/mm7"
)

// newVibesClient returns a client set up with WithVibes against mmsc.
func newVibesClient(t *testing.T, mmsc *clientMMSC, version string) *mm7.Client {
	t.Helper()
	v, err := mm7.ParseVersion(version)
	require.NoError(t, err)
	c, err := mm7.NewClient(mmsc.URL, mm7.WithVibes("vibes-user", "vibes-pass", v))
	require.NoError(t, err)
	return c
}

func TestVibesSubmit(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c := newVibesClient(t, mmsc, "5.5.0")
	assert.Equal(t, mm7.Rel5, c.Version())

	text := "Hello from Vibes"
	img := clientImage(20 << 10)
	req := clientSubmitReq()
	res, err := c.Submit(t.Context(), req, []mm7.Attachment{
		{ContentType: "application/smil", Body: strings.NewReader("<smil/>")},
		{ContentType: "text/plain", Body: strings.NewReader(text)},
		{ContentType: "image/jpeg", Body: bytes.NewReader(img)},
	}, mm7.VibesCarrierCode("104"), mm7.VibesDLRCallbackURL("https://vasp.example.com/dlr?id=1"))
	require.NoError(t, err)
	assert.Equal(t, "msg-1", res.MessageID)
	assert.Equal(t, mm7.Rel5, res.Version)
	assert.False(t, res.Negotiated)
	assert.Empty(t, res.Losses)

	ex := mmsc.exchange(0)
	user, pass, ok := ex.basicAuth()
	assert.True(t, ok)
	assert.Equal(t, "vibes-user", user)
	assert.Equal(t, "vibes-pass", pass)
	assert.Equal(t, "104", ex.Header.Get("X-Vibes-CarrierCode"))
	assert.Equal(t, "https://vasp.example.com/dlr?id=1", ex.Header.Get("X-Vibes-DlrCallbackUrl"))
	got, ok := ex.Msg.Body.(*rel5.SubmitReq)
	require.True(t, ok, "Vibes 5.5.0 is REL-5-MM7-1-2: %T", ex.Msg.Body)
	assert.Equal(t, "5.3.0", string(got.MM7Version), "MM7Version 5.3.0 on the wire")
	assert.Equal(t, "15555550123", got.Recipients.To[0].Number[0].Value)

	// Vibes accepts one attachment part: the three media arrive as the
	// leaves of one multipart content part.
	require.Len(t, ex.Parts, 3)
	for _, p := range ex.Parts {
		assert.Equal(t, 2, p.Depth, "inside the one content part")
		assert.Equal(t, ex.Parts[0].Container, p.Container)
	}
	assert.NotEmpty(t, ex.Parts[0].Container)
	assert.Equal(t, img, ex.Parts[2].Data)
}

func TestVibesVersion680(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c := newVibesClient(t, mmsc, "6.8.0")
	_, err := c.Submit(t.Context(), &rel5.SubmitReq{
		Recipients: rel5.Recipients{To: []rel5.MultiAddress{{Number: []rel5.Number{{Value: "15555550123"}}}}},
	}, nil)
	require.NoError(t, err)
	got, ok := mmsc.exchange(0).Msg.Body.(*rel6.SubmitReq)
	require.True(t, ok, "%T", mmsc.exchange(0).Msg.Body)
	assert.Equal(t, "6.8.0", string(got.MM7Version))
}

func TestVibesVersionRejectedIsNotNegotiated(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, func(w http.ResponseWriter, ex *clientExchange, _ int) {
		clientWrite(w, mm7.NewFault(ex.Msg, mm7.StatusUnsupportedVersion, ""), http.StatusInternalServerError)
	})
	c := newVibesClient(t, mmsc, "6.8.0")
	_, err := c.Submit(t.Context(), clientSubmitReq(), nil)
	require.ErrorIs(t, err, &mm7.StatusError{Code: mm7.StatusUnsupportedVersion})
	assert.Equal(t, 1, mmsc.count(), "a Vibes account speaks the one version it is provisioned for")
}

func TestVibesLimits(t *testing.T) {
	t.Parallel()
	big := clientImage(800 << 10) // 800 KiB of binary is over 1 MiB in base64
	tests := []struct {
		name string
		req  func() *rel6.SubmitReq
		atts func() []mm7.Attachment
		opts []mm7.CallOption
		want func(t *testing.T, err error)
	}{
		{"two recipients", func() *rel6.SubmitReq {
			r := clientSubmitReq()
			r.Recipients.Cc = []rel6.MultiAddress{{Number: []rel6.Number{{Value: "15555550124"}}}}
			return r
		}, nil, nil, func(t *testing.T, err error) {
			le, ok := errors.AsType[*mm7.LimitError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, mm7.LimitError{Profile: "Vibes", Limit: "recipients", Max: 1, Got: 2, Remote: "status 3003"}, *le)
		}},
		{"two numbers in one To", func() *rel6.SubmitReq {
			r := clientSubmitReq()
			r.Recipients.To[0].Number = append(r.Recipients.To[0].Number, rel6.Number{Value: "15555550124"})
			return r
		}, nil, nil, func(t *testing.T, err error) {
			_, ok := errors.AsType[*mm7.LimitError](err)
			require.True(t, ok, "%v", err)
		}},
		{"body over 1 MiB, size known", clientSubmitReq, func() []mm7.Attachment {
			return []mm7.Attachment{{ContentType: "image/jpeg", Body: bytes.NewReader(big)}}
		}, nil, func(t *testing.T, err error) {
			le, ok := errors.AsType[*mm7.LimitError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, int64(mm7.VibesMaxBodyBytes), le.Max)
			assert.Greater(t, le.Got, le.Max)
			assert.Equal(t, "HTTP 413", le.Remote)
		}},
		{"body over 1 MiB, size unknown", clientSubmitReq, func() []mm7.Attachment {
			return []mm7.Attachment{{ContentType: "image/jpeg", Body: io.MultiReader(bytes.NewReader(big))}}
		}, nil, func(t *testing.T, err error) {
			le, ok := errors.AsType[*mm7.LimitError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, int64(-1), le.Got)
			assert.Contains(t, err.Error(), "more than 1048576")
		}},
		{"invalid DLR callback URL", clientSubmitReq, nil, []mm7.CallOption{mm7.VibesDLRCallbackURL("/dlr")}, func(t *testing.T, err error) {
			require.Error(t, err)
			assert.Contains(t, err.Error(), "X-Vibes-DlrCallbackUrl")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mmsc := newClientMMSC(t, clientSuccess)
			c := newVibesClient(t, mmsc, "6.8.0")
			var atts []mm7.Attachment
			if tt.atts != nil {
				atts = tt.atts()
			}
			_, err := c.Submit(t.Context(), tt.req(), atts, tt.opts...)
			tt.want(t, err)
			assert.Equal(t, 0, mmsc.count(), "nothing was sent")
		})
	}
}

func TestVibesBodyJustUnderTheLimit(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, clientSuccess)
	c := newVibesClient(t, mmsc, "6.8.0")
	img := clientImage(700 << 10)
	for _, body := range []io.Reader{bytes.NewReader(img), io.MultiReader(bytes.NewReader(img))} {
		_, err := c.Submit(t.Context(), clientSubmitReq(), []mm7.Attachment{{ContentType: "image/jpeg", Body: body}})
		require.NoError(t, err)
	}
	require.Equal(t, 2, mmsc.count())
	for i := range 2 {
		ex := mmsc.exchange(i)
		assert.LessOrEqual(t, ex.ContentLength, int64(mm7.VibesMaxBodyBytes))
		assert.Positive(t, ex.ContentLength, "a body encoded into memory has a Content-Length")
		assert.Equal(t, img, ex.Parts[0].Data)
	}
}

func TestVibesRetries4005(t *testing.T) {
	t.Parallel()
	mmsc := newClientMMSC(t, retryScript(statusAnswer(mm7.StatusServiceError), clientSuccess))
	v, _ := mm7.ParseVersion("6.8.0")
	c, err := mm7.NewClient(mmsc.URL, mm7.WithVibes("u", "p", v), withRetry(mm7.RetryPolicy{MaxAttempts: 2, Backoff: mm7.Backoff{Base: 1}}))
	require.NoError(t, err)
	res, err := c.Submit(t.Context(), clientSubmitReq(), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Attempts)
}
