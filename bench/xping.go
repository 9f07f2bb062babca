// xping.go - the Go peer of workload (2x): two goroutines pass ints back
// and forth over two unbuffered channels, ping out and echo back, with
// GOMAXPROCS=2 (bench/run.sh sets it), as the cogen side runs two loops on
// two threads.  Go's scheduler decides where each goroutine runs: it
// keeps both on one thread.  With a second argument `threads` each
// goroutine is locked to an OS thread of its own (runtime.LockOSThread),
// so every message crosses threads, as in the cogen program.
// Usage: xping N [threads], N messages (N/2 round trips).  Prints
// `go NS_PER_MESSAGE MESSAGES` (`go-threads ...`); exits 1 if an echo is
// wrong.
package main

import (
	"fmt"
	"os"
	"runtime"
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
	locked := len(os.Args) > 2 && os.Args[2] == "threads"
	variant := "go"
	if locked {
		variant = "go-threads"
		runtime.LockOSThread()
	}
	rounds := n / 2
	ping := make(chan int64)
	back := make(chan int64)
	go func() {
		if locked {
			runtime.LockOSThread()
		}
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
	fmt.Printf("%s %.3f %d\n", variant, float64(el.Nanoseconds())/float64(2*rounds), 2*rounds)
}
