package main

import (
	"fmt"
	m "math"
	. "strings"
	_ "os"
)

const (
	A = iota
	B
	C, D int = 1, 2
	E
)

type (
	P struct {
		X, Y int `json:"x"`
		*Q
		fmt.Stringer
	}
	A2 = int
	I interface {
		fmt.Stringer
		M(int) (string, error)
	}
	Ch chan<- chan int
	Rc <-chan <-chan int
	Arr [...]int
	F func(a, b int, c ...string) bool
)

func (p *P) M(x int) (r int, err error) {
	if x := f(); x == (T{}) {
	} else if y {
	} else {
	}
	for i := 0; i < 10; i++ {
		continue
	}
	for k, v := range m {
		_ = k
	}
	for range ch {
	}
	switch y := x.(type) {
	case int, string:
		fallthrough
	default:
	}
	switch x := 1; x {
	case 1:
	}
	select {
	case v, ok := <-c:
	case c <- 1:
	case <-c:
	default:
	}
L:
	for {
		break L
	}
	go f(a...)
	defer func() { recover() }()
	x := []int{1, 2: 3}[1:2:3]
	y := map[string]P{"a": {1, 2}}
	z := <-ch
	*p = P{}
	a, b = b, a
	x <<= 2
	i++
	return 1, nil
}
