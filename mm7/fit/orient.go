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
	var sx, sy int
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
	b := v.src.Bounds()
	return v.src.At(b.Min.X+sx, b.Min.Y+sy)
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
