// xping.go - the Go peer of workload (2x): two goroutines pass ints back
// and forth over two unbuffered channels, ping out and echo back, with
// GOMAXPROCS=2 (bench/run.sh sets it), as the cogen side runs two loops on
// two threads.  Go's scheduler decides where each goroutine runs.
// Usage: xping N, N messages (N/2 round trips).  Prints
// `go NS_PER_MESSAGE MESSAGES`; exits 1 if an echo is wrong.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	n := int64(1000000)
	if len(os.Args) > 1 {
		f, err := strconv.ParseFloat(os.Args[1], 64)
		if err != nil || f < 2 {
			fmt.Fprintln(os.Stderr, "usage: xping N  (N >= 2)")
			os.Exit(2)
		}
		n = int64(f)
	}
	rounds := n / 2
	ping := make(chan int64)
	back := make(chan int64)
	go func() {
		for v := range ping {
			back <- v
		}
	}()

	var sum int64
	t0 := time.Now() // monotonic clock
	for i := int64(0); i < rounds; i++ {
		ping <- i
		sum += <-back
	}
	el := time.Since(t0)
	close(ping)

	if sum != rounds*(rounds-1)/2 {
		fmt.Fprintf(os.Stderr, "xping: wrong sum %d\n", sum)
		os.Exit(1)
	}
	fmt.Printf("go %.3f %d\n", float64(el.Nanoseconds())/float64(2*rounds), 2*rounds)
}
