package mm7_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/openmms/mm7go/mm7"
)

func TestHTTPErrorHTMLSummary(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, ct, body, want string }{
		{"title with attributes and entities", "text/html", `<HTML><HEAD><TITLE lang="en">Service &quot;Unavailable&quot;</TITLE>`, `Service "Unavailable"`},
		{"empty title: first words", "text/html", "<html><title> </title><body><p>Down for maintenance</p></body></html>", "Down for maintenance"},
		{"sniffed doctype", "application/octet-stream", "\n<!DOCTYPE html><html><body>Gateway timeout</body></html>", "Gateway timeout"},
		{"unterminated tag", "text/html", "<html><body>Bad<p class=", "Bad"},
		{"unterminated comment", "text/html", "<html>Oops<!-- never ends", "Oops"},
		{"style and script skipped", "text/html", "<style>p{}</style><script>alert(1)</script>Visible", "Visible"},
		{"no text at all", "text/html", "<html><body></body></html>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := &mm7.HTTPError{StatusCode: 503, Status: "503 Service Unavailable", ContentType: tt.ct, Body: []byte(tt.body)}
			prefix := "mm7: unexpected http response 503 Service Unavailable (" + tt.ct + ")"
			if tt.want == "" {
				assert.Equal(t, prefix, e.Error())
				return
			}
			assert.Equal(t, prefix+": "+tt.want, e.Error())
		})
	}
	long := &mm7.HTTPError{StatusCode: 502, ContentType: "text/html", Body: []byte("<p>" + strings.Repeat("word ", 100) + "</p>")}
	assert.Less(t, len(long.Error()), 200, long.Error())
	assert.True(t, strings.HasSuffix(long.Error(), "..."))
}

func FuzzHTTPErrorError(f *testing.F) {
	f.Add("text/html", "<html><title>x</title></html>")
	f.Add("text/plain", "<!DOCTYPE html><!-- <script>")
	f.Add("", "<html><script>")
	f.Fuzz(func(t *testing.T, ct, body string) {
		e := &mm7.HTTPError{StatusCode: 500, ContentType: ct, Body: []byte(body)}
		s := e.Error()
		if len(s) > 400 || !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") {
			t.Fatalf("bad error text %q", s)
		}
	})
}
