package mm7_test

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/mm7"
)

// TestBroken decodes every file of testdata/broken: each must fail with an
// error that names the problem and where, from Message, NextAttachment or
// an attachment's Read, in lenient and in strict mode, without panicking
// or hanging.
func TestBroken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		opts mm7.DecodeOptions
		want []string // substrings of the lenient error
		is   error    // errors.Is target, if any
	}{
		{"truncated_in_attachment", mm7.DecodeOptions{}, []string{"mm7: decode: part 2 (depth 1): body truncated", "without the close delimiter"}, io.ErrUnexpectedEOF},
		{"truncated_in_headers", mm7.DecodeOptions{}, []string{"mm7: decode: multipart (depth 1)", "part 2: header truncated at byte"}, io.ErrUnexpectedEOF},
		{"bad_base64", mm7.DecodeOptions{}, []string{"mm7: decode: part content: ", "base64: illegal character '*' (0x2a) at byte 57"}, nil},
		{"no_envelope_part", mm7.DecodeOptions{}, []string{"mm7: decode: multipart has no SOAP envelope part: none of its 2 parts is XML"}, nil},
		{"two_envelopes", mm7.DecodeOptions{}, []string{"mm7: decode: element Envelope after the SOAP Envelope (two envelopes?)"}, nil},
		{"two_body_elements", mm7.DecodeOptions{}, []string{"mm7: decode: SOAP Body holds a second element (DeliverReq after DeliverReq)"}, nil},
		{"empty_body", mm7.DecodeOptions{}, []string{"mm7: decode: SOAP Body is empty"}, nil},
		{"unknown_message", mm7.DecodeOptions{}, []string{"mm7: decode: unknown MM7 message FooReq"}, nil},
		{"not_xml", mm7.DecodeOptions{}, []string{"mm7: decode: no SOAP Envelope: text before the first element"}, nil},
		{"billion_laughs", mm7.DecodeOptions{}, []string{"DTDs are not allowed"}, nil},
		{"too_deep", mm7.DecodeOptions{}, []string{"mm7: decode: multipart nested deeper than 4 levels (part level5)"}, nil},
		{"too_many_parts", mm7.DecodeOptions{MaxParts: 10}, []string{"mm7: decode: more than 10 MIME parts"}, nil},
		{"envelope_too_large", mm7.DecodeOptions{MaxEnvelopeBytes: 2048}, []string{"mm7: decode: SOAP part larger than 2048 bytes"}, nil},
		{"header_too_large", mm7.DecodeOptions{MaxHeaderBytes: 1024}, []string{"mm7: decode: multipart (depth 1): mime: part 2: header exceeds 1024 bytes"}, nil},
		{"xml_too_deep", mm7.DecodeOptions{}, []string{"mm7: decode: elements nested deeper than 100 levels at /SubmitRsp/Status/Details/d"}, nil},
		{"no_boundary", mm7.DecodeOptions{}, []string{"mm7: decode: multipart Content-Type without a boundary"}, nil},
	}
	files := map[string]bool{}
	for _, p := range fixturePaths(t, "broken", ".http") {
		files[strings.TrimSuffix(filepath.Base(p), ".http")] = true
	}
	for _, tt := range tests {
		assert.True(t, files[tt.file], "testdata/broken/%s.http exists", tt.file)
		delete(files, tt.file)
	}
	assert.Empty(t, files, "files of testdata/broken without a case")

	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			m := readHTTPFixture(t, filepath.Join("testdata", "broken", tt.file+".http"))
			for _, strict := range []bool{false, true} {
				opts := tt.opts
				opts.Strict = strict
				err := decodeGuarded(t, m.Body, m.Header.Get("Content-Type"), opts)
				require.Error(t, err, "strict=%v", strict)
				if strict {
					continue // may stop earlier, at a deviation
				}
				for _, w := range tt.want {
					assert.Contains(t, err.Error(), w)
				}
				if tt.is != nil {
					assert.ErrorIs(t, err, tt.is)
				}
				assert.Regexp(t, `^mm7: `, err.Error())
			}
		})
	}
}

// decodeGuarded decodes body completely and returns the first error,
// failing the test on a panic or when decoding takes more than a few
// seconds (a hang).
func decodeGuarded(t *testing.T, body []byte, contentType string, opts mm7.DecodeOptions) error {
	t.Helper()
	type result struct {
		err   error
		panic any
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			r.panic = recover()
			done <- r
		}()
		_, _, _, r.err = decodeAll(body, contentType, opts)
	}()
	select {
	case r := <-done:
		require.Nil(t, r.panic, "decoder panicked")
		return r.err
	case <-time.After(10 * time.Second):
		t.Fatal("decoder hangs")
		return nil
	}
}
