package fit

import (
	"encoding/binary"
	"errors"
)

// maxGIFFrames bounds the frames of an animated GIF.
const maxGIFFrames = 1000

// gifFrames walks the blocks of a GIF without decompressing them and
// returns the number of frames and the sum of their pixels, so that an
// animation can be refused before it is decoded.
func gifFrames(data []byte) (frames int, pixels int64, err error) {
	bad := errors.New("malformed GIF")
	if len(data) < 13 || string(data[:3]) != "GIF" {
		return 0, 0, bad
	}
	i := 13
	if flags := data[10]; flags&0x80 != 0 {
		i += 3 << (flags&7 + 1)
	}
	skipSubBlocks := func() bool {
		for i < len(data) {
			n := int(data[i])
			i++
			if n == 0 {
				return true
			}
			i += n
		}
		return false
	}
	for i < len(data) {
		switch data[i] {
		case 0x3B: // trailer
			return frames, pixels, nil
		case 0x21: // extension: label, sub-blocks
			i += 2
			if !skipSubBlocks() {
				return 0, 0, bad
			}
		case 0x2C: // image descriptor
			if i+10 > len(data) {
				return 0, 0, bad
			}
			w := int64(binary.LittleEndian.Uint16(data[i+5:]))
			h := int64(binary.LittleEndian.Uint16(data[i+7:]))
			flags := data[i+9]
			i += 10
			if flags&0x80 != 0 {
				i += 3 << (flags&7 + 1)
			}
			i++ // LZW minimum code size
			if !skipSubBlocks() {
				return 0, 0, bad
			}
			frames++
			pixels += w * h
			if frames > maxGIFFrames {
				return frames, pixels, nil
			}
		default:
			return 0, 0, bad
		}
	}
	// No trailer: image/gif accepts that too.
	return frames, pixels, nil
}
