// chanbuf: several producers and consumers share one buffered channel
// (capacity 128). Producers send 0..N-1 between them (default N = 10,000,000);
// consumers add up what they receive.
//
// Variant of ../../../shared/bench/go/chanbuf.go (faithful port:
// full/chanbuf.gol) for the Gol of today: the size is the package variable
// size, read through sizeArg (tools/bench/run.sh rewrites it) and the result
// goes to stderr through print. There is no sync.WaitGroup yet: producers
// report on a done channel, and each consumer sends its sum and its count on
// two channels. The output line is the same as the original's. chanbuf.go is
// this same program.
package main

import "runtime"

const (
	producers = 4
	consumers = 4
	capacity  = 128
)

var size = 10000000 // check-size: 10000

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func produce(from, to int, ch chan<- int, done chan<- bool) {
	for v := from; v < to; v++ {
		ch <- v
	}
	done <- true
}

func consume(ch <-chan int, sums, counts chan<- int) {
	s, c := 0, 0
	for v := range ch {
		s += v
		c++
	}
	sums <- s
	counts <- c
}

func main() {
	n := sizeArg(size)
	ch := make(chan int, capacity)
	done := make(chan bool)
	sums := make(chan int, consumers)
	counts := make(chan int, consumers)
	for c := 0; c < consumers; c++ {
		go consume(ch, sums, counts)
	}
	for p := 0; p < producers; p++ {
		go produce(p*n/producers, (p+1)*n/producers, ch, done)
	}
	for p := 0; p < producers; p++ {
		<-done
	}
	close(ch)
	total, items := 0, 0
	for c := 0; c < consumers; c++ {
		total += <-sums
		items += <-counts
	}
	print("items ", items, " sum ", total, "\n")
}
