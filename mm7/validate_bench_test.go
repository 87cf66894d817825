package mm7_test

import (
	"io"
	"testing"

	"github.com/openmms/mm7go/mm7"
)

// BenchmarkEncodeValidation measures what schema validation adds to
// encoding a SubmitReq envelope (no attachments, so the check is not
// hidden by MIME work): validate=on is the default, validate=off sets
// EncodeOptions.SkipValidation, in the same run.
func BenchmarkEncodeValidation(b *testing.B) {
	for _, skip := range []bool{false, true} {
		name := "validate=on"
		if skip {
			name = "validate=off"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			msg := &mm7.Message{TransactionID: "tx-1", Version: mm7.Rel6, Body: clientSubmitReq()}
			for b.Loop() {
				enc, err := mm7.NewEncoder(msg, nil, mm7.EncodeOptions{SkipValidation: skip})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := enc.WriteTo(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
