// spawn.go - the Go peer of workload (4): start N trivial goroutines in
// batches of 1,000 and wait for each batch with a WaitGroup.  Run with
// GOMAXPROCS=1 (bench/run.sh sets it), one thread as in the cogen loop.
// Usage: spawn N (rounded up to whole batches).  Prints
// `go NS_PER_TASK TASKS`; exits 1 if a task did not run.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const batch = 1000

func main() {
	n := int64(10000000)
	if len(os.Args) > 1 {
		f, err := strconv.ParseFloat(os.Args[1], 64)
		if err != nil || f < 1 {
			fmt.Fprintln(os.Stderr, "usage: spawn N  (N >= 1)")
			os.Exit(2)
		}
		n = int64(f)
	}
	batches := (n + batch - 1) / batch
	var ran int64
	var wg sync.WaitGroup

	t0 := time.Now() // monotonic clock
	for b := int64(0); b < batches; b++ {
		wg.Add(batch)
		for i := 0; i < batch; i++ {
			go func() {
				atomic.AddInt64(&ran, 1)
				wg.Done()
			}()
		}
		wg.Wait()
	}
	el := time.Since(t0)

	if ran != batches*batch {
		fmt.Fprintf(os.Stderr, "spawn: %d tasks ran, not %d\n", ran, batches*batch)
		os.Exit(1)
	}
	fmt.Printf("go %.3f %d\n", float64(el.Nanoseconds())/float64(ran), ran)
}
