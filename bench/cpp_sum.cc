// cpp_sum.cc - the C++20 peer for workload (1): the same sum from a
// generator written on std::coroutine_handle, consumed by a range-for.
// Hand-written (no std::generator before C++23).  Usage: cpp_sum N.
// Prints `c++20 SUM NS_PER_ITEM`.
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <time.h>
#include <utility>

template <typename T>
class generator {
public:
    struct promise_type {
        T value;
        generator get_return_object() { return generator(handle::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        std::suspend_always yield_value(T v) noexcept { value = v; return {}; }
        void return_void() noexcept {}
        void unhandled_exception() { std::terminate(); }
    };
    using handle = std::coroutine_handle<promise_type>;

    struct iterator {
        handle h;
        iterator &operator++() { h.resume(); return *this; }
        T operator*() const { return h.promise().value; }
        bool operator!=(std::default_sentinel_t) const { return !h.done(); }
    };

    explicit generator(handle h) : h_(h) {}
    generator(generator &&o) noexcept : h_(std::exchange(o.h_, {})) {}
    generator(const generator &) = delete;
    ~generator() { if (h_) h_.destroy(); }

    iterator begin() { h_.resume(); return iterator{h_}; }
    std::default_sentinel_t end() { return {}; }

private:
    handle h_;
};

static generator<long> count(long n)
{
    for (long i = 0; i < n; i++)
        co_yield i;
}

static long sum_range_for(long n)
{
    long s = 0;
    for (long x : count(n)) {
        s += x;
        __asm__ volatile("");   // as in plain_sum.c
    }
    return s;
}

static double now_ns()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? (long)std::strtod(argv[1], nullptr) : 1000000000L;
    long (*volatile f)(long) = sum_range_for;   // keep n unknown inside

    if (n <= 0) {
        std::fprintf(stderr, "usage: cpp_sum N  (N > 0)\n");
        return 2;
    }
    double t = now_ns();
    long s = f(n);
    t = now_ns() - t;
    std::printf("c++20 %ld %.3f\n", s, t / n);
    return 0;
}
