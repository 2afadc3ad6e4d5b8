// sieve: concurrent prime sieve. A counter goroutine emits 2,3,4,...;
// every prime found adds a goroutine to the chain that drops multiples
// of that prime. Prints the Nth prime (default N=3000) and the sum of the
// first N primes.
//
// Variant of ../../../shared/bench/go/sieve.go (faithful port: full/sieve.gol)
// for the Gol of today: the size is the package variable size, read through
// sizeArg (tools/bench/run.sh rewrites it) and the result goes to stderr
// through print. The output line is the same as the original's. sieve.go is
// this same program.
package main

import "runtime"

var size = 3000 // check-size: 100

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func count(out chan<- int) {
	for k := 2; ; k++ {
		out <- k
	}
}

func dropMultiples(p int, in <-chan int, out chan<- int) {
	for v := range in {
		if v%p != 0 {
			out <- v
		}
	}
}

func main() {
	n := sizeArg(size)
	head := make(chan int)
	go count(head)
	sum, last := 0, 0
	for found := 1; found <= n; found++ {
		last = <-head
		sum += last
		if found == n {
			break
		}
		tail := make(chan int)
		go dropMultiples(last, head, tail)
		head = tail
	}
	print("prime #", n, " is ", last, ", sum ", sum, "\n")
}
