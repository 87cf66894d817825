// Package fit re-encodes images so that they fit a byte budget, such as
// the media share of an MMSC's request limit, without cutting anything:
// JPEG quality steps first, then downscaling with a Catmull-Rom filter,
// PNG to JPEG when that is smaller and the image has no transparency,
// animated GIFs frame by frame (or their first frame, with a warning).
// The EXIF orientation of a JPEG is applied to the pixels, since the
// re-encoded image carries no EXIF.
//
// Decoding is bounded: images over [Options.MaxPixels] are refused before
// their pixels are decoded.
package fit

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"strings"

	xdraw "golang.org/x/image/draw"

	_ "golang.org/x/image/bmp"  // image/bmp decoding
	_ "golang.org/x/image/webp" // image/webp decoding
)

// Defaults of [Options].
const (
	// DefaultMaxPixels bounds the images decoded: 40 megapixels, about
	// 160 MB of RGBA at most, well above the 12 to 24 MP of phone cameras.
	DefaultMaxPixels = 40_000_000
	// DefaultMinQuality is the lowest JPEG quality used before the image
	// is made smaller instead.
	DefaultMinQuality = 50
	// DefaultMinSide is the smallest width or height an image is scaled
	// down to.
	DefaultMinSide = 64
)

// Options set the budget of [Image].
type Options struct {
	// MaxBytes is the largest size the image may have; it must be > 0.
	MaxBytes int64
	// MaxPixels refuses larger images (the sum of the frames of an
	// animated GIF); 0 means DefaultMaxPixels.
	MaxPixels int64
	// MinQuality is the lowest JPEG quality, 1 to 100; 0 means
	// DefaultMinQuality.
	MinQuality int
	// MinSide is the smallest width or height to scale down to; 0 means
	// DefaultMinSide.
	MinSide int
}

// A Result says what [Image] did.
type Result struct {
	// Changed is false when the image already fitted and was kept
	// byte for byte.
	Changed bool `json:"changed"`
	// FromType and ToType are the media types before and after.
	FromType string `json:"from_type"`
	ToType   string `json:"to_type"`
	// FromBytes and ToBytes are the sizes before and after.
	FromBytes int64 `json:"from_bytes"`
	ToBytes   int64 `json:"to_bytes"`
	// FromWidth x FromHeight and ToWidth x ToHeight are the dimensions
	// before (as stored) and after (as shown).
	FromWidth  int `json:"from_width"`
	FromHeight int `json:"from_height"`
	ToWidth    int `json:"to_width"`
	ToHeight   int `json:"to_height"`
	// Quality is the JPEG quality of the output, 0 when it is not a
	// re-encoded JPEG.
	Quality int `json:"quality,omitempty"`
	// Orientation is the EXIF orientation applied to the pixels (2 to 8),
	// 0 when none was.
	Orientation int `json:"orientation,omitempty"`
	// Frames is the number of frames of an animated GIF output.
	Frames int `json:"frames,omitempty"`
	// Warnings say what was lost, e.g. the frames of an animation.
	Warnings []string `json:"warnings,omitempty"`
}

// ErrCannotFit is wrapped by the error of [Image] when even the smallest
// allowed image exceeds the budget.
var ErrCannotFit = errors.New("image cannot fit")

// Image returns data, an image of the given media type, within
// opts.MaxBytes: unchanged when it already fits, re-encoded otherwise.
// It handles JPEG, PNG, GIF, BMP and WebP input; the output is JPEG, PNG
// or GIF. The error names what is wrong: an unsupported or corrupt
// image, one over MaxPixels, or one that cannot fit (ErrCannotFit).
func Image(data []byte, mediaType string, opts Options) ([]byte, Result, error) {
	if opts.MaxBytes <= 0 {
		return nil, Result{}, fmt.Errorf("fit: MaxBytes %d must be positive", opts.MaxBytes)
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = DefaultMaxPixels
	}
	if opts.MinQuality <= 0 || opts.MinQuality > 100 {
		opts.MinQuality = DefaultMinQuality
	}
	if opts.MinSide <= 0 {
		opts.MinSide = DefaultMinSide
	}
	mt, _, _ := strings.Cut(mediaType, ";")
	res := Result{FromType: strings.ToLower(strings.TrimSpace(mt)), FromBytes: int64(len(data))}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if int64(len(data)) <= opts.MaxBytes {
		// Kept as it is, whether or not this package can read it; the
		// dimensions are reported when it can.
		res.ToType, res.ToBytes = res.FromType, res.FromBytes
		if err == nil {
			res.FromWidth, res.FromHeight, res.ToWidth, res.ToHeight = cfg.Width, cfg.Height, cfg.Width, cfg.Height
		}
		return data, res, nil
	}
	if err != nil {
		return nil, res, fmt.Errorf("fit: %s of %d bytes: not a decodable image: %w", res.FromType, len(data), err)
	}
	res.FromWidth, res.FromHeight = cfg.Width, cfg.Height
	if px := int64(cfg.Width) * int64(cfg.Height); px > opts.MaxPixels {
		return nil, res, fmt.Errorf("fit: %s of %dx%d pixels: more than the %d pixels allowed", res.FromType, cfg.Width, cfg.Height, opts.MaxPixels)
	}
	res.Changed = true
	if format == "gif" {
		frames, px, err := gifFrames(data)
		if err != nil {
			return nil, res, fmt.Errorf("fit: %s: %w", res.FromType, err)
		}
		if frames > maxGIFFrames || px > opts.MaxPixels {
			return nil, res, fmt.Errorf("fit: animated GIF of %d frames and %d pixels: more than %d frames or %d pixels", frames, px, maxGIFFrames, opts.MaxPixels)
		}
		if frames > 1 {
			return fitAnimation(data, res, opts)
		}
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, res, fmt.Errorf("fit: %s of %d bytes: %w", res.FromType, len(data), err)
	}
	if format == "jpeg" {
		if o := Orientation(data); o > 1 {
			img, res.Orientation = orient(img, o), o
		}
	}
	return fitStill(img, res, opts)
}

// fitStill fits one picture: JPEG when it is opaque (or PNG when that is
// smaller at full size), PNG when it has transparency; smaller and
// smaller until it fits.
func fitStill(img image.Image, res Result, opts Options) ([]byte, Result, error) {
	transparent := !opaque(img)
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var last int64
	for step := 0; ; step++ {
		cur := img
		if w != b.Dx() || h != b.Dy() {
			cur = scale(img, w, h)
		}
		var out []byte
		var q int
		var err error
		switch {
		case transparent:
			out, err = encodePNG(cur)
		case step == 0 && res.FromType != "image/jpeg":
			// A lossless re-encode (PNG with the best compression) is
			// kept when it fits; JPEG only when it does not.
			out, err = encodePNG(cur)
			if err == nil && int64(len(out)) > opts.MaxBytes {
				out, q, err = encodeJPEG(cur, opts)
			}
		default:
			out, q, err = encodeJPEG(cur, opts)
		}
		if err != nil {
			return nil, res, fmt.Errorf("fit: encode %dx%d: %w", w, h, err)
		}
		last = int64(len(out))
		if last <= opts.MaxBytes {
			res.ToBytes, res.ToWidth, res.ToHeight, res.Quality = last, w, h, q
			res.ToType = "image/jpeg"
			if q == 0 {
				res.ToType = "image/png"
			}
			return out, res, nil
		}
		nw, nh, ok := smaller(w, h, last, opts)
		if !ok || step > 20 {
			return nil, res, fmt.Errorf("fit: %s of %d bytes (%dx%d): still %d bytes at %dx%d, over the %d bytes allowed: %w",
				res.FromType, res.FromBytes, res.FromWidth, res.FromHeight, last, w, h, opts.MaxBytes, ErrCannotFit)
		}
		w, h = nw, nh
	}
}

// smaller returns the next size to try: the area scaled by the ratio of
// budget to size, with a margin, at least 10% and at most 50% smaller per
// step; ok is false below MinSide.
func smaller(w, h int, size int64, opts Options) (int, int, bool) {
	f := math.Sqrt(float64(opts.MaxBytes)/float64(size)) * 0.95
	f = max(0.5, min(f, 0.9))
	nw, nh := int(math.Round(float64(w)*f)), int(math.Round(float64(h)*f))
	if nw < opts.MinSide || nh < opts.MinSide {
		if w <= opts.MinSide || h <= opts.MinSide {
			return 0, 0, false
		}
		// One last try at the smallest size allowed, aspect kept.
		k := float64(opts.MinSide) / float64(min(w, h))
		nw, nh = max(opts.MinSide, int(math.Round(float64(w)*k))), max(opts.MinSide, int(math.Round(float64(h)*k)))
	}
	return nw, nh, true
}

// qualities are the JPEG quality steps tried at one size.
var qualities = []int{85, 75, 65, 55, 50, 40, 30}

// encodeJPEG encodes img at the highest quality step that fits, down to
// MinQuality; when even the first step is far over the budget it returns
// that, as lower qualities would not save enough and cost quality for
// nothing.
func encodeJPEG(img image.Image, opts Options) ([]byte, int, error) {
	var buf bytes.Buffer
	var out []byte
	q := 0
	for i, step := range qualities {
		if step < opts.MinQuality && i > 0 {
			break
		}
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: step}); err != nil {
			return nil, 0, err
		}
		out, q = append(out[:0], buf.Bytes()...), step
		if int64(len(out)) <= opts.MaxBytes {
			break
		}
		// Quality steps from 85 save at most about 60%: when the image
		// is over 2.5 times the budget, only a smaller size helps.
		if i == 0 && int64(len(out)) > opts.MaxBytes*5/2 {
			break
		}
	}
	return out, q, nil
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scale returns img resized to w x h with a Catmull-Rom filter.
func scale(img image.Image, w, h int) image.Image { return resample(img, w, h) }

// fitAnimation scales every frame of an animated GIF by the same factor
// until it fits; when even MinSide does not fit, it keeps the first
// frame and says so.
func fitAnimation(data []byte, res Result, opts Options) ([]byte, Result, error) {
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		return nil, res, fmt.Errorf("fit: %s of %d bytes: %w", res.FromType, len(data), err)
	}
	sw, sh := g.Config.Width, g.Config.Height
	if sw == 0 || sh == 0 {
		b := g.Image[0].Bounds()
		sw, sh = b.Max.X, b.Max.Y
	}
	w, h := sw, sh
	size := int64(len(data))
	for step := 0; step < 20; step++ {
		nw, nh, ok := smaller(w, h, size, opts)
		if !ok {
			break
		}
		w, h = nw, nh
		out, err := scaleAnimation(g, sw, sh, w, h)
		if err != nil {
			return nil, res, fmt.Errorf("fit: encode animated GIF %dx%d: %w", w, h, err)
		}
		size = int64(len(out))
		if size <= opts.MaxBytes {
			res.ToType, res.ToBytes, res.ToWidth, res.ToHeight, res.Frames = "image/gif", size, w, h, len(g.Image)
			return out, res, nil
		}
	}
	// The first frame alone, as shown: drawn on the logical screen.
	first := image.NewRGBA(image.Rect(0, 0, sw, sh))
	draw.Draw(first, g.Image[0].Bounds(), g.Image[0], g.Image[0].Bounds().Min, draw.Src)
	res.Warnings = append(res.Warnings, fmt.Sprintf("animated GIF of %d frames does not fit at %dx%d: only its first frame is kept", len(g.Image), w, h))
	return fitStill(first, res, opts)
}

// scaleAnimation scales each frame of g, whose logical screen is sw x
// sh, to a screen of w x h, keeping palettes, delays and disposal.
func scaleAnimation(g *gif.GIF, sw, sh, w, h int) ([]byte, error) {
	out := &gif.GIF{Delay: g.Delay, LoopCount: g.LoopCount, Disposal: g.Disposal, BackgroundIndex: g.BackgroundIndex,
		Config: image.Config{ColorModel: g.Config.ColorModel, Width: w, Height: h}}
	fx, fy := float64(w)/float64(sw), float64(h)/float64(sh)
	for _, fr := range g.Image {
		b := fr.Bounds()
		r := image.Rect(int(math.Floor(float64(b.Min.X)*fx)), int(math.Floor(float64(b.Min.Y)*fy)),
			int(math.Ceil(float64(b.Max.X)*fx)), int(math.Ceil(float64(b.Max.Y)*fy))).Intersect(image.Rect(0, 0, w, h))
		if r.Empty() {
			r = image.Rect(0, 0, 1, 1)
		}
		dst := image.NewPaletted(r, fr.Palette)
		// Nearest neighbour keeps palette indices, and so transparency,
		// exact; a smoothing filter would invent colours the palette
		// lacks and fringe transparent edges.
		xdraw.NearestNeighbor.Scale(dst, r, fr, b, xdraw.Src, nil)
		out.Image = append(out.Image, dst)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
