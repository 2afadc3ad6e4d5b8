// ring: 503 goroutines linked in a circle by unbuffered channels pass a
// counter along; each hop decrements it. The member that receives zero
// reports its number (1-based). N hops, default 5,000,000.
//
// Variant of ../../../shared/bench/go/ring.go (faithful port: full/ring.gol)
// for the Gol of today: the size is the package variable size, read through
// sizeArg (tools/bench/run.sh rewrites it) and the result goes to stderr
// through print. The output line is the same as the original's. ring.go is this
// same program.
package main

import "runtime"

const members = 503

var size = 5000000 // check-size: 10000

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func member(id int, in <-chan int, next chan<- int, winner chan<- int) {
	for {
		left := <-in
		if left == 0 {
			winner <- id
			return
		}
		next <- left - 1
	}
}

func main() {
	hops := sizeArg(size)
	links := make([]chan int, members)
	for i := range links {
		links[i] = make(chan int)
	}
	winner := make(chan int)
	for i := 0; i < members; i++ {
		go member(i+1, links[i], links[(i+1)%members], winner)
	}
	links[0] <- hops
	print("hops ", hops, " winner ", <-winner, "\n")
}
