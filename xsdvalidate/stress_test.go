package xsdvalidate_test

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/openmms/mm7go/xsdvalidate"
)

// rssBytes returns the resident set size from /proc/self/statm, or -1 when
// it is not available (non-Linux).
func rssBytes(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	fields := strings.Fields(string(b))
	require.GreaterOrEqual(t, len(fields), 2)
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	require.NoError(t, err)
	return pages * int64(os.Getpagesize())
}

// TestConcurrentValidateMemory validates 20000 documents from 8 goroutines
// against one shared schema and checks that C memory is released: the RSS
// must not grow with the number of validations.
func TestConcurrentValidateMemory(t *testing.T) {
	const goroutines, total = 8, 20000
	s := mustSchema(t, xsdvalidate.Rel6)
	valid := readFile(t, "rel6/submit-req.xml")
	invalid := readFile(t, "invalid/rel6-nested.xml")

	run := func(n int) {
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for i := range n / goroutines {
					// Mostly valid documents; every 10th one exercises the
					// error collection and node paths.
					if i%10 == g%10 {
						var ve *xsdvalidate.ValidationError
						if !assert.ErrorAs(t, s.Validate(invalid), &ve) || !assert.Len(t, ve.Problems, 3) {
							return
						}
					} else if !assert.NoError(t, s.Validate(valid)) {
						return
					}
				}
			})
		}
		wg.Wait()
	}

	run(2000) // warm up: allocator arenas, libxml2 per-thread state
	runtime.GC()
	before := rssBytes(t)
	run(total)
	runtime.GC()
	after := rssBytes(t)
	if before < 0 {
		t.Skip("RSS check needs /proc/self/statm (Linux); validations passed")
	}
	growth := after - before
	t.Logf("RSS before %d KiB, after %d KiB, growth %d KiB", before>>10, after>>10, growth>>10)
	// A leaked document per validation would be ~20000 * >10 KiB = 200+ MiB.
	assert.Less(t, growth, int64(48<<20), "RSS grew by %d KiB over %d validations", growth>>10, total)
}

// BenchmarkValidate validates a ~2 KB SubmitReq.
func BenchmarkValidate(b *testing.B) {
	s, err := xsdvalidate.Rel6()
	require.NoError(b, err)
	doc, err := os.ReadFile("testdata/rel6/submit-req.xml")
	require.NoError(b, err)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateInvalid validates a document with three problems.
func BenchmarkValidateInvalid(b *testing.B) {
	s, err := xsdvalidate.Rel6()
	require.NoError(b, err)
	doc, err := os.ReadFile("testdata/invalid/rel6-nested.xml")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(doc); err == nil {
			b.Fatal("no error")
		}
	}
}
