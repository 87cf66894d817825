package fit

import (
	"image"
	"image/color"
)

// oriented is a view of an image with an EXIF orientation applied: it
// reads the source's pixels in place, so no copy of a large image is
// made before it is scaled down.
type oriented struct {
	src  image.Image
	o    int
	w, h int // source size
}

// orient returns img as it is meant to be seen under EXIF orientation o.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	return &oriented{src: img, o: o, w: b.Dx(), h: b.Dy()}
}

func (v *oriented) ColorModel() color.Model { return v.src.ColorModel() }

func (v *oriented) Bounds() image.Rectangle {
	if v.o >= 5 {
		return image.Rect(0, 0, v.h, v.w)
	}
	return image.Rect(0, 0, v.w, v.h)
}

func (v *oriented) At(x, y int) color.Color {
	sx, sy := v.source(x, y)
	b := v.src.Bounds()
	return v.src.At(b.Min.X+sx, b.Min.Y+sy)
}

// row writes row y as 8-bit premultiplied RGBA into dst, reading the
// source's pixels directly where its type allows (no color.Color boxed
// per pixel).
func (v *oriented) row(dst []uint8, y int) {
	b := v.src.Bounds()
	w := v.Bounds().Dx()
	switch s := v.src.(type) {
	case *image.YCbCr:
		for x := range w {
			sx, sy := v.source(x, y)
			c := s.YCbCrAt(b.Min.X+sx, b.Min.Y+sy)
			r, g, bl := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = r, g, bl, 0xff
		}
	case *image.RGBA:
		for x := range w {
			sx, sy := v.source(x, y)
			c := s.RGBAAt(b.Min.X+sx, b.Min.Y+sy)
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = c.R, c.G, c.B, c.A
		}
	default:
		for x := range w {
			sx, sy := v.source(x, y)
			r, g, bl, a := v.src.At(b.Min.X+sx, b.Min.Y+sy).RGBA()
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = uint8(r>>8), uint8(g>>8), uint8(bl>>8), uint8(a>>8)
		}
	}
}

// source maps a pixel of the oriented view to the source's, relative to
// the source's origin.
func (v *oriented) source(x, y int) (sx, sy int) {
	switch v.o {
	case 2:
		sx, sy = v.w-1-x, y
	case 3:
		sx, sy = v.w-1-x, v.h-1-y
	case 4:
		sx, sy = x, v.h-1-y
	case 5:
		sx, sy = y, x
	case 6:
		sx, sy = y, v.h-1-x
	case 7:
		sx, sy = v.w-1-y, v.h-1-x
	case 8:
		sx, sy = v.w-1-y, x
	}
	return sx, sy
}

// Opaque reports whether every pixel is opaque, as the source does.
func (v *oriented) Opaque() bool { return opaque(v.src) }

// opaque reports whether img has no transparent or translucent pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
