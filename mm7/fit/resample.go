package fit

import (
	"image"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
)

// resample scales src down to w x h with x/image/draw's Catmull-Rom
// kernel, widened by the scale ratio so that every source pixel counts.
//
// It streams: the source is read one row at a time and the horizontal
// pass keeps only the rows the vertical pass still needs, so memory is
// the output plus a few rows, where xdraw.Kernel.Scale holds the whole
// output width times the source height in float64 (190 MB for a 12 MP
// photo scaled to 2000 pixels wide).
func resample(src image.Image, w, h int) *image.RGBA {
	k := xdraw.CatmullRom
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	xs := weights(k, sw, w)
	ys := weights(k, sh, h)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))

	row := image.NewRGBA(image.Rect(0, 0, sw, 1)) // one source row, RGBA
	// ring of horizontally resampled rows, indexed by source row
	span := 0
	for _, c := range ys {
		span = max(span, len(c.w))
	}
	ring := make([][]float32, span)
	for i := range ring {
		ring[i] = make([]float32, 4*w)
	}
	ringRow := make([]int, span)
	for i := range ringRow {
		ringRow[i] = -1
	}
	hrow := func(y int) []float32 {
		slot := y % span
		if ringRow[slot] == y {
			return ring[slot]
		}
		if o, ok := src.(*oriented); ok {
			o.row(row.Pix, y)
		} else {
			draw.Draw(row, row.Bounds(), src, image.Pt(sb.Min.X, sb.Min.Y+y), draw.Src)
		}
		out := ring[slot]
		for x, c := range xs {
			var r, g, b, a float32
			for i, wt := range c.w {
				p := row.Pix[4*(c.first+i):]
				r += wt * float32(p[0])
				g += wt * float32(p[1])
				b += wt * float32(p[2])
				a += wt * float32(p[3])
			}
			out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = r, g, b, a
		}
		ringRow[slot] = y
		return out
	}
	acc := make([]float32, 4*w)
	for y, c := range ys {
		clear(acc)
		for i, wt := range c.w {
			hr := hrow(c.first + i)
			for j := range acc {
				acc[j] += wt * hr[j]
			}
		}
		d := dst.Pix[y*dst.Stride:]
		for x := range w {
			a := clamp8(acc[4*x+3])
			// premultiplied: no channel above alpha
			d[4*x] = min(clamp8(acc[4*x]), a)
			d[4*x+1] = min(clamp8(acc[4*x+1]), a)
			d[4*x+2] = min(clamp8(acc[4*x+2]), a)
			d[4*x+3] = a
		}
	}
	return dst
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// contrib is the run of source pixels one output pixel reads.
type contrib struct {
	first int
	w     []float32
}

// weights returns, for each of n output pixels, the normalised kernel
// weights over the m source pixels, edges clamped into the first and
// last pixel.
func weights(k *xdraw.Kernel, m, n int) []contrib {
	ratio := float64(m) / float64(n)
	scale := max(ratio, 1)
	support := k.Support * scale
	out := make([]contrib, n)
	for i := range out {
		center := (float64(i)+0.5)*ratio - 0.5
		lo := int(math.Ceil(center - support))
		hi := int(math.Floor(center + support))
		first, last := max(lo, 0), min(hi, m-1)
		w := make([]float32, last-first+1)
		var sum float64
		for s := lo; s <= hi; s++ {
			v := k.At((float64(s) - center) / scale)
			idx := min(max(s, 0), m-1) - first
			w[idx] += float32(v)
			sum += v
		}
		if sum != 0 {
			for j := range w {
				w[j] = float32(float64(w[j]) / sum)
			}
		}
		out[i] = contrib{first: first, w: w}
	}
	return out
}
