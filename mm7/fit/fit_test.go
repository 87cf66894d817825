package fit

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/bmp"
)

// photo returns a w x h picture with the detail of a photograph:
// gradients, edges and sensor-like noise, so that JPEG sizes are
// realistic.
func photo(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			n := func() int { return rng.IntN(25) - 12 }
			c := func(v int) uint8 { return uint8(max(0, min(255, v))) }
			edge := ((x/37 + y/53) % 2) * 90
			img.SetRGBA(x, y, color.RGBA{c(x*255/w + n()), c(y*255/h + n()), c(edge + 60 + n()), 255})
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, &jpeg.Options{Quality: q}))
	return b.Bytes()
}

func encPNG(t testing.TB, img image.Image, level png.CompressionLevel) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, (&png.Encoder{CompressionLevel: level}).Encode(&b, img))
	return b.Bytes()
}

// withOrientation inserts an EXIF APP1 segment with the orientation tag
// right after the SOI of a JPEG.
func withOrientation(j []byte, o uint16, order binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II*\x00")
	} else {
		copy(tiff, "MM\x00*")
	}
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 1)
	order.PutUint16(tiff[10:], 0x0112)
	order.PutUint16(tiff[12:], 3)
	order.PutUint32(tiff[14:], 1)
	order.PutUint16(tiff[18:], o)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, j[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, j[2:]...)
}

// assertFits checks what every result must satisfy: within budget,
// decodable as the type it claims, the dimensions it reports, the
// aspect ratio of the source as shown (within rounding).
func assertFits(t *testing.T, out []byte, res Result, max int64, shownW, shownH int) image.Image {
	t.Helper()
	assert.LessOrEqual(t, int64(len(out)), max)
	assert.Equal(t, int64(len(out)), res.ToBytes)
	img, format, err := image.Decode(bytes.NewReader(out))
	require.NoError(t, err)
	assert.Equal(t, res.ToType, "image/"+format)
	assert.Equal(t, res.ToWidth, img.Bounds().Dx())
	assert.Equal(t, res.ToHeight, img.Bounds().Dy())
	want := float64(shownW) / float64(shownH)
	got := float64(res.ToWidth) / float64(res.ToHeight)
	// One pixel of rounding on the shorter side.
	tol := want / float64(min(res.ToWidth, res.ToHeight))
	assert.InDelta(t, want, got, tol+1e-9, "aspect %dx%d from %dx%d", res.ToWidth, res.ToHeight, shownW, shownH)
	return img
}

func TestImageKeepsWhatFits(t *testing.T) {
	j := encJPEG(t, photo(200, 100, 1), 90)
	out, res, err := Image(j, "image/jpeg", Options{MaxBytes: int64(len(j))})
	require.NoError(t, err)
	assert.Equal(t, j, out)
	assert.Equal(t, Result{FromType: "image/jpeg", ToType: "image/jpeg", FromBytes: int64(len(j)), ToBytes: int64(len(j)),
		FromWidth: 200, FromHeight: 100, ToWidth: 200, ToHeight: 100}, res)
}

func TestImageKeepsWhatFitsEvenUnreadable(t *testing.T) {
	// A HEIC labelled image/jpeg, within its share: sent as it is.
	heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00heicmif1")
	out, res, err := Image(heic, "image/jpeg", Options{MaxBytes: 1000})
	require.NoError(t, err)
	assert.Equal(t, heic, out)
	assert.False(t, res.Changed)
	assert.Zero(t, res.FromWidth)
}

func TestImageJPEGSizes(t *testing.T) {
	for _, c := range []struct {
		name   string
		w, h   int
		budget float64 // share of the input size
	}{
		{"landscape, quality step enough", 640, 480, 0.6},
		{"portrait, downscale", 480, 800, 0.15},
		{"panorama, heavy downscale", 1600, 400, 0.04},
		{"square, tiny budget", 500, 500, 0.02},
	} {
		t.Run(c.name, func(t *testing.T) {
			j := encJPEG(t, photo(c.w, c.h, 2), 95)
			max := int64(float64(len(j)) * c.budget)
			out, res, err := Image(j, "image/jpeg", Options{MaxBytes: max})
			require.NoError(t, err)
			assert.True(t, res.Changed)
			assertFits(t, out, res, max, c.w, c.h)
			assert.Equal(t, "image/jpeg", res.ToType)
			assert.GreaterOrEqual(t, res.Quality, DefaultMinQuality)
			assert.LessOrEqual(t, res.Quality, 85)
			assert.LessOrEqual(t, res.ToWidth, c.w)
		})
	}
}

func TestImageQualityBeforeScaling(t *testing.T) {
	// A budget a quality step can meet keeps every pixel.
	j := encJPEG(t, photo(400, 300, 3), 100)
	q75 := encJPEG(t, photo(400, 300, 3), 75)
	out, res, err := Image(j, "image/jpeg", Options{MaxBytes: int64(len(q75))})
	require.NoError(t, err)
	assertFits(t, out, res, int64(len(q75)), 400, 300)
	assert.Equal(t, 400, res.ToWidth)
	assert.Equal(t, 300, res.ToHeight)
	// Re-encoding a decoded JPEG costs a step more than encoding the
	// original at 75; the highest step that fits is taken.
	assert.Contains(t, []int{75, 65}, res.Quality)
	q := res.Quality
	_, res, err = Image(j, "image/jpeg", Options{MaxBytes: int64(len(out)) - 1})
	require.NoError(t, err)
	assert.Less(t, res.Quality, q, "one byte less: the next step down")
}

func TestImageOrientation(t *testing.T) {
	// A 300x200 picture, red in its top-left quarter as stored, noisy
	// grey elsewhere; each orientation moves the red corner where a
	// viewer shows it.
	src := photo(300, 200, 4)
	for y := range 100 {
		for x := range 150 {
			src.SetRGBA(x, y, color.RGBA{230, 20, 20, 255})
		}
	}
	base := encJPEG(t, src, 100)
	// Where the stored top-left corner is shown: (right?, bottom?).
	corner := map[uint16][2]bool{1: {false, false}, 2: {true, false}, 3: {true, true}, 4: {false, true},
		5: {false, false}, 6: {true, false}, 7: {true, true}, 8: {false, true}}
	for o := uint16(1); o <= 8; o++ {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			j := withOrientation(base, o, order)
			require.Equal(t, int(o), Orientation(j))
			max := int64(len(j) / 4)
			out, res, err := Image(j, "image/jpeg", Options{MaxBytes: max})
			require.NoError(t, err, "orientation %d", o)
			shownW, shownH := 300, 200
			if o >= 5 {
				shownW, shownH = 200, 300
			}
			img := assertFits(t, out, res, max, shownW, shownH)
			if o > 1 {
				assert.Equal(t, int(o), res.Orientation)
			}
			b := img.Bounds()
			x, y := b.Dx()/8, b.Dy()/8
			if corner[o][0] {
				x = b.Dx() - 1 - x
			}
			if corner[o][1] {
				y = b.Dy() - 1 - y
			}
			r, g, _, _ := img.At(x, y).RGBA()
			assert.Greater(t, r>>8, uint32(180), "orientation %d: red corner at (%d,%d)", o, x, y)
			assert.Less(t, g>>8, uint32(80), "orientation %d", o)
		}
	}
}

func TestImagePNG(t *testing.T) {
	t.Run("opaque photo becomes JPEG", func(t *testing.T) {
		p := encPNG(t, photo(600, 400, 5), png.DefaultCompression)
		max := int64(len(p) / 5)
		out, res, err := Image(p, "image/png", Options{MaxBytes: max})
		require.NoError(t, err)
		assertFits(t, out, res, max, 600, 400)
		assert.Equal(t, "image/jpeg", res.ToType)
		assert.Equal(t, 600, res.ToWidth, "JPEG at full size is small enough")
	})
	t.Run("graphic stays a lossless PNG when recompressing fits", func(t *testing.T) {
		img := image.NewRGBA(image.Rect(0, 0, 400, 300))
		for y := range 300 {
			for x := range 400 {
				img.SetRGBA(x, y, color.RGBA{uint8(x / 100 * 60), uint8(y / 100 * 80), 200, 255})
			}
		}
		p := encPNG(t, img, png.NoCompression)
		max := int64(len(p) / 10)
		out, res, err := Image(p, "image/png", Options{MaxBytes: max})
		require.NoError(t, err)
		got := assertFits(t, out, res, max, 400, 300)
		assert.Equal(t, "image/png", res.ToType)
		assert.Zero(t, res.Quality)
		for _, pt := range []image.Point{{0, 0}, {399, 299}, {150, 120}} {
			assert.Equal(t, color.RGBAModel.Convert(img.At(pt.X, pt.Y)), color.RGBAModel.Convert(got.At(pt.X, pt.Y)), "lossless at %v", pt)
		}
	})
	t.Run("transparency stays PNG with its alpha", func(t *testing.T) {
		ph := photo(500, 500, 6)
		img := image.NewNRGBA(ph.Bounds())
		for y := range 500 {
			for x := range 500 {
				c := ph.RGBAAt(x, y)
				a := uint8(255)
				if x < 250 {
					a = 0
				}
				img.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, a})
			}
		}
		p := encPNG(t, img, png.DefaultCompression)
		max := int64(len(p) / 4)
		out, res, err := Image(p, "image/png", Options{MaxBytes: max})
		require.NoError(t, err)
		got := assertFits(t, out, res, max, 500, 500)
		assert.Equal(t, "image/png", res.ToType)
		_, _, _, a := got.At(2, got.Bounds().Dy()/2).RGBA()
		assert.Zero(t, a, "left half stays transparent")
		_, _, _, a = got.At(got.Bounds().Dx()-3, got.Bounds().Dy()/2).RGBA()
		assert.Equal(t, uint32(0xffff), a)
	})
}

func animation(t *testing.T, frames, w, h int) []byte {
	t.Helper()
	g := &gif.GIF{LoopCount: 0}
	pal := color.Palette{color.Transparent}
	for i := 1; i < 256; i++ {
		pal = append(pal, color.RGBA{uint8(i), uint8(255 - i), uint8(i * 7), 255})
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for f := range frames {
		fr := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for i := range fr.Pix {
			fr.Pix[i] = uint8(rng.IntN(255) + 1)
		}
		// a transparent band, to keep
		for y := range h / 4 {
			for x := range w {
				fr.SetColorIndex(x, y, 0)
			}
		}
		g.Image = append(g.Image, fr)
		g.Delay = append(g.Delay, 10+f)
		g.Disposal = append(g.Disposal, gif.DisposalBackground)
	}
	var b bytes.Buffer
	require.NoError(t, gif.EncodeAll(&b, g))
	return b.Bytes()
}

func TestImageAnimatedGIF(t *testing.T) {
	t.Run("frame by frame", func(t *testing.T) {
		a := animation(t, 6, 300, 200)
		max := int64(len(a) / 3)
		out, res, err := Image(a, "image/gif", Options{MaxBytes: max})
		require.NoError(t, err)
		assertFits(t, out, res, max, 300, 200)
		assert.Equal(t, 6, res.Frames)
		assert.Empty(t, res.Warnings)
		g, err := gif.DecodeAll(bytes.NewReader(out))
		require.NoError(t, err)
		require.Len(t, g.Image, 6)
		assert.Equal(t, []int{10, 11, 12, 13, 14, 15}, g.Delay)
		assert.Equal(t, uint8(0), g.Image[3].ColorIndexAt(res.ToWidth/2, 0), "transparent band kept")
	})
	t.Run("first frame with a warning", func(t *testing.T) {
		a := animation(t, 30, 200, 200)
		max := int64(20000) // 30 frames of 64x64 noise do not fit; one frame does
		out, res, err := Image(a, "image/gif", Options{MaxBytes: max})
		require.NoError(t, err)
		assertFits(t, out, res, max, 200, 200)
		require.Len(t, res.Warnings, 1)
		assert.Contains(t, res.Warnings[0], "only its first frame")
		assert.Zero(t, res.Frames)
	})
}

func TestImageRefuses(t *testing.T) {
	j := encJPEG(t, photo(400, 300, 9), 95)
	_, _, err := Image(j, "image/jpeg", Options{MaxBytes: 10, MaxPixels: 100_000})
	assert.ErrorContains(t, err, "image/jpeg of 400x300 pixels: more than the 100000 pixels allowed")
	_, _, err = Image(j, "image/jpeg", Options{MaxBytes: 300})
	assert.True(t, errors.Is(err, ErrCannotFit), "%v", err)
	assert.ErrorContains(t, err, "over the 300 bytes allowed")
	_, _, err = Image([]byte("not an image at all"), "image/jpeg", Options{MaxBytes: 5})
	assert.ErrorContains(t, err, "not a decodable image")
	_, _, err = Image(j[:len(j)/2], "image/jpeg", Options{MaxBytes: 5})
	assert.Error(t, err)
	_, _, err = Image(j, "image/jpeg", Options{})
	assert.ErrorContains(t, err, "MaxBytes")
}

func TestGIFFramesRefusesBeforeDecoding(t *testing.T) {
	a := animation(t, 5, 100, 100)
	n, px, err := gifFrames(a)
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	assert.Equal(t, int64(5*100*100), px)
	_, _, err = Image(a, "image/gif", Options{MaxBytes: 10, MaxPixels: 40_000})
	assert.ErrorContains(t, err, "5 frames and 50000 pixels")
}

func TestOrientationMalformed(t *testing.T) {
	j := encJPEG(t, photo(16, 16, 1), 80)
	assert.Zero(t, Orientation(j))
	good := withOrientation(j, 6, binary.BigEndian)
	assert.Equal(t, 6, Orientation(good))
	for i := 4; i < 40; i++ { // every truncation inside the EXIF segment
		assert.NotPanics(t, func() { Orientation(good[:i]) })
	}
	assert.Zero(t, Orientation(withOrientation(j, 9, binary.BigEndian)))
	assert.Zero(t, Orientation(nil))
	assert.Zero(t, Orientation([]byte("GIF89a")))
}

func FuzzOrientation(f *testing.F) {
	j := encJPEG(f, photo(8, 8, 1), 80)
	f.Add(withOrientation(j, 6, binary.LittleEndian))
	f.Add(withOrientation(j, 3, binary.BigEndian))
	f.Add(j)
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := Orientation(b); o < 0 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

func FuzzImage(f *testing.F) {
	f.Add(encJPEG(f, photo(24, 16, 1), 90), int64(200))
	f.Add(encPNG(f, photo(24, 16, 2), png.NoCompression), int64(300))
	f.Fuzz(func(t *testing.T, b []byte, max int64) {
		if max <= 0 {
			return
		}
		out, res, err := Image(b, "image/jpeg", Options{MaxBytes: max, MaxPixels: 200_000})
		if err != nil {
			return
		}
		if int64(len(out)) > max {
			t.Fatalf("%d bytes over %d", len(out), max)
		}
		if res.Changed {
			if _, _, err := image.Decode(bytes.NewReader(out)); err != nil {
				t.Fatalf("output does not decode: %v", err)
			}
		}
	})
}

func FuzzGIFFrames(f *testing.F) {
	g := &gif.GIF{}
	pal := color.Palette{color.Black, color.White}
	for range 3 {
		g.Image = append(g.Image, image.NewPaletted(image.Rect(0, 0, 4, 4), pal))
		g.Delay = append(g.Delay, 1)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		n, px, err := gifFrames(data)
		if err == nil && (n < 0 || px < 0) {
			t.Fatalf("frames %d, pixels %d", n, px)
		}
	})
}

func TestImageBMP(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, bmp.Encode(&b, photo(320, 240, 11)))
	max := int64(b.Len() / 6)
	out, res, err := Image(b.Bytes(), "image/bmp", Options{MaxBytes: max})
	require.NoError(t, err)
	assertFits(t, out, res, max, 320, 240)
	assert.Equal(t, "image/bmp", res.FromType)
	assert.Equal(t, "image/jpeg", res.ToType, "an opaque bitmap becomes a JPEG")
}

func TestOrientedRowsMatchTheView(t *testing.T) {
	// The fast row reader gives the pixels At gives, for every
	// orientation and the source types a decoder returns.
	j := encJPEG(t, photo(37, 23, 5), 90)
	ycc, err := jpeg.Decode(bytes.NewReader(j))
	require.NoError(t, err)
	require.IsType(t, &image.YCbCr{}, ycc)
	rgba := photo(37, 23, 6)
	gray := image.NewGray(image.Rect(3, 4, 40, 27)) // an offset origin
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 13)
	}
	for _, src := range []image.Image{ycc, rgba, gray} {
		for o := 2; o <= 8; o++ {
			v := orient(src, o).(*oriented)
			b := v.Bounds()
			row := make([]uint8, 4*b.Dx())
			for y := range b.Dy() {
				v.row(row, y)
				for x := range b.Dx() {
					r, g, bl, a := v.At(x, y).RGBA()
					want := []int{int(r >> 8), int(g >> 8), int(bl >> 8), int(a >> 8)}
					for c := range 4 {
						assert.InDelta(t, want[c], int(row[4*x+c]), 1, "%T orientation %d (%d,%d) channel %d", src, o, x, y, c)
					}
				}
			}
		}
	}
}
