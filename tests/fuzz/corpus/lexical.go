package main

import "fmt"

type L[T any] struct{ next *L[T] }

func f[T interface{ ~int | string }](x T) T { return x }

func main() {
	var s = "\u00e9\x41\101" + `raw`
	c := '\U0001F600'
	x := 0x1p-2 + 0o17 + 0b1_0 + 1e3i
	switch v := interface{}(x).(type) {
	case int:
		fmt.Println(v, s, c)
	}
}
