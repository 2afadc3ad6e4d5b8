// deep: recursion 1,000,000 frames deep (default), 20 times, each time on a fresh goroutine and
// once more on main: measures stack growth (Gol: new segments, then cached ones on main; Go:
// copying the stack to twice its size, 19 times per goroutine). deep's result feeds a
// multiplication, so no compiler turns the recursion into a loop.
package main

import "runtime"

var size = 1000000 // check-size: 10000

func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func deep(n int) int {
	if n == 0 {
		return 0
	}
	return deep(n-1)*3 + 1
}

func main() {
	n := sizeArg(size)
	done := make(chan int)
	sum := 0
	for i := 0; i < 20; i++ {
		go func() {
			done <- deep(n) & 1023
		}()
		sum += <-done
	}
	sum += deep(n) & 1023
	print("deep(", n, ") x 21: ", sum, "\n")
}
