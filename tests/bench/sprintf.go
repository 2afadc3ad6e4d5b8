// sprintf: formats size numbers with fmt.Sprintf("%d") and size more with strconv.Itoa
// (default 10 million each) and prints the total length; measures fmt's and strconv's integer
// paths, the boxing of an int into an interface and the allocator's small strings. The issue's
// target: at most 1.2x Go's time. sprintf.go is this same program.
package main

import (
	"fmt"
	"os"
	"strconv"
)

var size = 10000000 // check-size: 10000

func main() {
	n := size
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	total := 0
	for i := 0; i < n; i++ {
		total += len(fmt.Sprintf("%d", i))
		total += len(strconv.Itoa(i - n/2))
	}
	fmt.Println(total)
}
