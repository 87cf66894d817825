package fit

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// vibesMediaBudget is the media share of Vibes' 1 MiB request limit once
// base64 (4/3) and the SOAP envelope and MIME framing (~8 KiB) are paid.
const vibesMediaBudget = (1<<20 - 8<<10) * 3 / 4

var (
	bigOnce sync.Once
	bigJPEG []byte
)

// twelveMP is a 4000x3000 camera-like JPEG (quality 90).
func twelveMP(b *testing.B) []byte {
	bigOnce.Do(func() {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, photo(4000, 3000, 12), &jpeg.Options{Quality: 90}); err != nil {
			b.Fatal(err)
		}
		bigJPEG = buf.Bytes()
	})
	return bigJPEG
}

// peakHeap samples the live heap while f runs and returns its peak in
// bytes above the heap before f.
func peakHeap(f func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	base := s[0].Value.Uint64()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	if peak < base {
		return 0
	}
	return peak - base
}

// BenchmarkFit12MP fits a 12-megapixel JPEG into the media share of
// Vibes' limit. impl=decode-encode is the floor any re-encoder pays in
// the same run: one decode and one full-size encode at quality 85.
func BenchmarkFit12MP(b *testing.B) {
	src := twelveMP(b)
	b.Logf("source: %d bytes, budget %d bytes", len(src), vibesMediaBudget)
	b.Run("impl=decode-encode", func(b *testing.B) {
		b.ReportAllocs()
		var peak uint64
		for b.Loop() {
			peak = max(peak, peakHeap(func() {
				img, _, err := image.Decode(bytes.NewReader(src))
				if err != nil {
					b.Fatal(err)
				}
				var out bytes.Buffer
				if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 85}); err != nil {
					b.Fatal(err)
				}
			}))
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
	})
	fitBench := func(src []byte) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			var res Result
			for b.Loop() {
				peak = max(peak, peakHeap(func() {
					var err error
					_, res, err = Image(src, "image/jpeg", Options{MaxBytes: vibesMediaBudget})
					if err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.ReportMetric(float64(res.ToBytes), "out-bytes")
			b.Logf("%dx%d -> %dx%d q%d orientation %d, %d bytes", res.FromWidth, res.FromHeight, res.ToWidth, res.ToHeight,
				res.Quality, res.Orientation, res.ToBytes)
		}
	}
	b.Run("impl=fit", fitBench(src))
	// EXIF orientation 6 (a phone held upright): the rotation is read
	// through a view of the decoded pixels, not a rotated copy.
	b.Run("impl=fit-exif6", fitBench(withOrientation(src, 6, binary.BigEndian)))
}
