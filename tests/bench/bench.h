#pragma once
// Shared helpers for benchmarks: every figure is one line "BENCH <name> <value> <unit>".
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <cstdio>
#include <string>
#include <vector>

#include <time.h>

namespace scopeviz::bench {

/// Prints one benchmark figure in the format scripts/bench.sh collects.
inline void report(const std::string& name, double value, const std::string& unit)
{
    std::printf("BENCH %s %.6g %s\n", name.c_str(), value, unit.c_str());
    std::fflush(stdout);
}

/// The CPU time the calling thread has used, in seconds: what a piece of work costs that thread, whatever
/// else the machine runs.
inline double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// Monotonic seconds since an arbitrary epoch.
inline double now()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/// The p-th percentile (p in [0, 1]) of `v` by nearest rank: the smallest value with at least p of the
/// values at or below it; NaN when `v` is empty.
inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(v.begin(), v.end());
    const std::size_t rank = std::size_t(std::ceil(p * double(v.size())));
    return v[std::min(v.size() - 1, rank > 0 ? rank - 1 : 0)];
}

/// Peak resident set size of this process in bytes (from /proc/self/status VmHWM).
long peakRssBytes();
/// Current resident set size in bytes (VmRSS).
long currentRssBytes();

} // namespace scopeviz::bench

#include <fstream>
inline long scopeviz_bench_read_status(const char* key)
{
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::string k(key);
    while (std::getline(f, line)) {
        if (line.compare(0, k.size(), k) == 0)
            return std::stol(line.substr(k.size() + 1)) * 1024;
    }
    return 0;
}
inline long scopeviz::bench::peakRssBytes() { return scopeviz_bench_read_status("VmHWM"); }
inline long scopeviz::bench::currentRssBytes() { return scopeviz_bench_read_status("VmRSS"); }
