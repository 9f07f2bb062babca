// echo.go - the Go peer of workload (5): an echo server on 127.0.0.1
// (port 0) and 100 client connections in one program; each client sends
// a 64-byte message, reads the 64 bytes back, checks them, N/100 times.
// Run with GOMAXPROCS=1 (bench/run.sh sets it) so that, like the cogen
// loop, one thread runs everything.  Usage: echo N.  Prints
// `go ROUND_TRIPS_PER_SECOND ROUND_TRIPS`; exits 1 if an echo is wrong.
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const conns = 100
const msg = 64

// handle writes back what comes in, until the client closes.
func handle(c net.Conn, failures *int64) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				atomic.AddInt64(failures, 1)
				return
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			atomic.AddInt64(failures, 1)
			return
		}
	}
}

// client makes `rounds` round trips of one message on a new connection.
func client(addr string, id int, rounds int64, failures *int64, wg *sync.WaitGroup) {
	defer wg.Done()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		atomic.AddInt64(failures, 1)
		return
	}
	defer c.Close()
	out := bytes.Repeat([]byte{byte('a' + id%26)}, msg)
	in := make([]byte, msg)
	for i := int64(0); i < rounds; i++ {
		binary.LittleEndian.PutUint64(out, uint64(i))
		if _, err := c.Write(out); err != nil {
			atomic.AddInt64(failures, 1)
			return
		}
		if _, err := io.ReadFull(c, in); err != nil || !bytes.Equal(in, out) {
			atomic.AddInt64(failures, 1)
			return
		}
	}
}

func main() {
	n := int64(1000000)
	if len(os.Args) > 1 {
		f, err := strconv.ParseFloat(os.Args[1], 64)
		if err != nil || f < conns {
			fmt.Fprintf(os.Stderr, "usage: echo N  (N >= %d round trips)\n", conns)
			os.Exit(2)
		}
		n = int64(f)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
	var failures int64
	go func() {
		for i := 0; i < conns; i++ {
			c, err := ln.Accept()
			if err != nil {
				atomic.AddInt64(&failures, 1)
				return
			}
			go handle(c, &failures)
		}
	}()
	rounds := n / conns
	var wg sync.WaitGroup
	t0 := time.Now() // monotonic clock
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go client(ln.Addr().String(), i, rounds, &failures, &wg)
	}
	wg.Wait()
	el := time.Since(t0)
	ln.Close()
	if failures != 0 {
		fmt.Fprintf(os.Stderr, "echo: %d connections failed\n", failures)
		os.Exit(1)
	}
	fmt.Printf("go %.0f %d\n", float64(rounds*conns)/el.Seconds(), rounds*conns)
}
