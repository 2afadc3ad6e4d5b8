// pingpong: context-switch cost through unbuffered channels.  main and one
// partner goroutine bounce an int back and forth N times (default 2,000,000
// round trips). Each side adds one to the value.
//
// Variant of ../../../shared/bench/go/pingpong.go (faithful port:
// full/pingpong.gol) for the Gol of today: the size is the package variable
// size, read through sizeArg (tools/bench/run.sh rewrites it) and the result
// goes to stderr through print. The output line is the same as the original's.
// pingpong.go is this same program.
package main

import "runtime"

var size = 2000000 // check-size: 10000

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func partner(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v + 1
	}
	close(out)
}

func main() {
	n := sizeArg(size)
	ping := make(chan int)
	pong := make(chan int)
	go partner(ping, pong)
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong + 1
	}
	close(ping)
	_, open := <-pong
	print("round trips ", n, " value ", v, " partner closed ", !open, "\n")
}
