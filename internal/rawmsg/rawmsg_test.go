package rawmsg_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/internal/rawmsg"
)

func TestParse(t *testing.T) {
	big := strings.Repeat("x", 10000)
	tests := []struct {
		name, in, ct      string
		wantCT, wantStart string
		wantBody          string
	}{
		{"http request CRLF", "POST /mm7 HTTP/1.1\r\nHost: a\r\nContent-Type: text/xml\r\n\r\n<a/>", "", "text/xml", "POST /mm7 HTTP/1.1", "<a/>"},
		{"http response LF", "HTTP/1.1 500 Internal Server Error\nContent-Type: text/xml; charset=utf-8\n\n<b/>\n", "", "text/xml; charset=utf-8", "HTTP/1.1 500 Internal Server Error", "<b/>\n"},
		{"mime entity", "Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\n", "", "multipart/related; boundary=x", "", "--x\r\n"},
		{"bare xml", "<?xml version=\"1.0\"?><a/>", "", "text/xml", "", "<?xml version=\"1.0\"?><a/>"},
		{"override", "<a/>", "application/xml", "application/xml", "", "<a/>"},
		{"large body offset", "POST / HTTP/1.1\r\nContent-Type: text/plain\r\n\r\n" + big, "", "text/plain", "POST / HTTP/1.1", big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := rawmsg.Parse([]byte(tt.in), tt.ct)
			require.NoError(t, err)
			assert.Equal(t, tt.wantCT, m.ContentType)
			assert.Equal(t, tt.wantStart, m.StartLine)
			assert.Equal(t, tt.wantBody, string(m.Body))
			assert.Equal(t, tt.wantBody, tt.in[m.BodyOffset:])
		})
	}
	_, err := rawmsg.Parse([]byte("POST / HTTP/1.1\r\nHost: a\r\n\r\nbody"), "")
	assert.ErrorContains(t, err, "no Content-Type")
	_, err = rawmsg.Parse(nil, "")
	assert.ErrorContains(t, err, "empty input")
}
