// select: one goroutine selects over four unbuffered channels, each fed by
// its own producer; N values in total (default 2,000,000).
//
// Variant of ../../../shared/bench/go/select.go (faithful port:
// full/select.gol) for the Gol of today: the size is the package variable size,
// read through sizeArg (tools/bench/run.sh rewrites it) and the result goes to
// stderr through print. With no fmt.Sprintf, gather prints its line itself and
// then reports on a chan bool. The output line is the same as the original's.
// select.go is this same program.
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

func feed(from, to int, ch chan<- int) {
	for v := from; v < to; v++ {
		ch <- v
	}
	close(ch)
}

// gather drains a, b, c and d until all four are closed. A closed
// channel is set to nil so select stops choosing it.
func gather(a, b, c, d <-chan int, report chan<- bool) {
	var got [4]int
	sum, open := 0, 4
	for open > 0 {
		select {
		case v, ok := <-a:
			if !ok {
				a, open = nil, open-1
				continue
			}
			got[0]++
			sum += v
		case v, ok := <-b:
			if !ok {
				b, open = nil, open-1
				continue
			}
			got[1]++
			sum += v
		case v, ok := <-c:
			if !ok {
				c, open = nil, open-1
				continue
			}
			got[2]++
			sum += v
		case v, ok := <-d:
			if !ok {
				d, open = nil, open-1
				continue
			}
			got[3]++
			sum += v
		}
	}
	print("per channel ", got[0], " ", got[1], " ", got[2], " ", got[3], " sum ", sum, "\n")
	report <- true
}

func main() {
	n := sizeArg(size)
	var chans [4]chan int
	for i := range chans {
		chans[i] = make(chan int)
		go feed(i*n/4, (i+1)*n/4, chans[i])
	}
	report := make(chan bool)
	go gather(chans[0], chans[1], chans[2], chans[3], report)
	<-report
}
