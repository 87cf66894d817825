package fit

import "encoding/binary"

// maxEXIFEntries bounds the IFD0 entries read.
const maxEXIFEntries = 512

// Orientation returns the EXIF orientation (1 to 8) of a JPEG image, or 0
// when it has none or the EXIF data is malformed. It reads only the APP1
// segments before the image data, within data, and never panics.
//
// The orientations are those of EXIF 2.3 tag 0x0112: 1 as stored, 2
// mirrored, 3 rotated 180°, 4 flipped, 5 transposed, 6 to be rotated 90°
// clockwise, 7 transversed, 8 to be rotated 90° counter-clockwise.
func Orientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 0
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xD9 || marker == 0xDA { // EOI, SOS: no more headers
			return 0
		}
		if marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 { // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 0
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
		}
		i += 2 + n
	}
	return 0
}

// tiffOrientation reads tag 0x0112 of IFD0 of a TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := bo.Uint32(t[4:])
	if off < 8 || uint64(off)+2 > uint64(len(t)) {
		return 0
	}
	n := int(bo.Uint16(t[off:]))
	if n > maxEXIFEntries {
		return 0
	}
	for k := range n {
		e := int(off) + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		typ, count := bo.Uint16(t[e+2:]), bo.Uint32(t[e+4:])
		var v uint32
		switch {
		case typ == 3 && count == 1: // SHORT, value in the first two bytes
			v = uint32(bo.Uint16(t[e+8:]))
		case typ == 4 && count == 1: // LONG, written by a few tools
			v = bo.Uint32(t[e+8:])
		default:
			return 0
		}
		if v >= 1 && v <= 8 {
			return int(v)
		}
		return 0
	}
	return 0
}
