// blocked.go - the Go peer of workload (3): K goroutines, each blocked
// receiving from its own unbuffered channel.  Bytes per task = growth of
// the peak resident set (VmHWM in /proc/self/status) while the channels
// and goroutines are created, divided by K; the slice holding the
// channels is counted too.  Then each channel is closed and every
// goroutine finishes.  Usage: blocked K.  Prints `go BYTES_PER_TASK K`.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
)

// statusKB returns the value in kB of one field of /proc/self/status.
func statusKB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, field) {
			fs := strings.Fields(line[len(field):])
			if len(fs) > 0 {
				v, _ := strconv.ParseInt(fs[0], 10, 64)
				return v
			}
		}
	}
	return -1
}

func main() {
	k := 1000000
	if len(os.Args) > 1 {
		f, err := strconv.ParseFloat(os.Args[1], 64)
		if err != nil || f < 1 {
			fmt.Fprintln(os.Stderr, "usage: blocked K  (K >= 1)")
			os.Exit(2)
		}
		k = int(f)
	}
	var started, finished int64
	hwm0 := statusKB("VmHWM:")

	chs := make([]chan int, k)
	for i := range chs {
		chs[i] = make(chan int)
		go func(ch chan int) {
			atomic.AddInt64(&started, 1)
			<-ch
			atomic.AddInt64(&finished, 1)
		}(chs[i])
	}
	for atomic.LoadInt64(&started) < int64(k) {
		runtime.Gosched()
	}
	hwm1 := statusKB("VmHWM:")

	for _, ch := range chs {
		close(ch)
	}
	for atomic.LoadInt64(&finished) < int64(k) {
		runtime.Gosched()
	}
	if hwm0 < 0 || hwm1 < 0 {
		fmt.Fprintln(os.Stderr, "blocked: cannot read VmHWM from /proc/self/status")
		os.Exit(1)
	}
	fmt.Printf("go %.1f %d\n", float64(hwm1-hwm0)*1024/float64(k), k)
}
