package fit_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/openmms/mm7go/mm7/fit"
)

func ExampleImage() {
	// An 800x600 PNG screenshot without transparency, uncompressed.
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7 % 251)
	}
	for y := range 600 {
		img.Set(0, y, color.Black)
	}
	var src bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&src, img); err != nil {
		panic(err)
	}
	out, res, err := fit.Image(src.Bytes(), "image/png", fit.Options{MaxBytes: 300 << 10})
	if err != nil {
		panic(err)
	}
	// Recompressing the PNG losslessly is enough here: no JPEG needed,
	// every pixel kept.
	fmt.Println(res.FromType, "->", res.ToType, len(out) <= 300<<10, res.ToWidth, res.ToHeight)
	// Output: image/png -> image/png true 800 600
}
