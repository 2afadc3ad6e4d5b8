// mandel: Mandelbrot set membership (50 iterations, escape radius 2) on an
// n x n grid over [-1.5,0.5] x [-1,1] (default n=4000). Pixels are packed
// 8 to a byte per row; prints the count of member points and an FNV-1a
// hash of the packed bitmap. One goroutine; writes no image.
//
// Variant of ../../../shared/bench/go/mandel.go (faithful port:
// full/mandel.gol) for the Gol of today: the size is the package variable size,
// read through sizeArg (tools/bench/run.sh rewrites it) and %016x is printed by
// hand to stderr. The output line is the same as the original's. mandel.go is
// this same program.
package main

import "runtime"

const iterations = 50

var size = 4000 // check-size: 200

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func member(cr, ci float64) bool {
	zr, zi := 0.0, 0.0
	for i := 0; i < iterations; i++ {
		zr, zi = zr*zr-zi*zi+cr, 2*zr*zi+ci
		if zr*zr+zi*zi > 4 {
			return false
		}
	}
	return true
}

// printHex16 prints h as fmt's %016x would.
func printHex16(h uint64) {
	const digits = "0123456789abcdef"
	buf := make([]byte, 16)
	for i := 15; i >= 0; i-- {
		buf[i] = digits[h&15]
		h >>= 4
	}
	print(string(buf))
}

func main() {
	n := sizeArg(size)
	hash := uint64(14695981039346656037)
	inside := 0
	scale := 2.0 / float64(n)
	for y := 0; y < n; y++ {
		ci := float64(y)*scale - 1
		var bits byte
		for x := 0; x < n; x++ {
			bits <<= 1
			if member(float64(x)*scale-1.5, ci) {
				bits |= 1
				inside++
			}
			if x%8 == 7 || x == n-1 {
				hash = (hash ^ uint64(bits)) * 1099511628211
				bits = 0
			}
		}
	}
	print("n ", n, " inside ", inside, " hash ")
	printHex16(hash)
	print("\n")
}
