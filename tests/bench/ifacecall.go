// ifacecall: interface method calls in a hot loop. A slice of 1024 shapes of three dynamic
// types (value and pointer receivers) is summed size times through the interface, so every
// call is a real dynamic dispatch (neither gc nor golc can devirtualize it); measures the itab
// load, the indirect call and any receiver wrapper.
//
// No reference program: written for issue 6 (target <= 1.2x Go). ifacecall.go is this same
// program. The size is the package variable size, read through sizeArg (tools/bench/run.sh
// rewrites it for --check and name=SIZE); the result goes to stderr through print.
package main

import "runtime"

var size = 20000 // check-size: 100

func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

type shape interface {
	area() int
}

type square struct{ s int }
type rect struct{ w, h int }
type tri struct{ b, h int }

func (q square) area() int { return q.s * q.s }
func (r *rect) area() int  { return r.w * r.h }
func (t tri) area() int    { return t.b * t.h / 2 }

func main() {
	n := sizeArg(size)
	shapes := make([]shape, 1024)
	for i := range shapes {
		switch i % 3 {
		case 0:
			shapes[i] = square{i % 7}
		case 1:
			shapes[i] = &rect{i % 5, i % 11}
		default:
			shapes[i] = tri{i % 13, i % 3}
		}
	}
	total := 0
	for it := 0; it < n; it++ {
		for _, s := range shapes {
			total += s.area()
		}
		total &= 0xffffffff
	}
	print("ifacecall(", n, ") = ", total, "\n")
}
