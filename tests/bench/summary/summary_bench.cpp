// Event file throughput: writing and reading scalar events, and the cost of
// an incremental poll after a small append to a big file.
//
//   scopeviz_bench_summary [--quick]
//
// Goals (issue "Summaries and TensorBoard-compatible files"): reading scalar
// events with CRC checks at >= 5M records/s and >= 300 MB/s on one core.
// Rates are printed per wall-clock second and per CPU second of the calling
// thread; on a shared, busy machine the CPU-second figure is the one that
// says what one core does (the wall figure includes time the scheduler gave
// to other processes).
#include "core/proto/crc32c.h"
#include "core/proto/event.pb.h"
#include "core/summary/event_reader.h"
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "core/summary/record_io.h"
#include "core/util/strings.h"
#include "tests/bench/bench.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

using namespace scopeviz;
namespace fs = std::filesystem;

namespace {

constexpr double kGoalRecordsPerSec = 5e6;
constexpr double kGoalMBPerSec = 300;

const char* const kTags[] = {"train/loss", "train/accuracy", "eval/loss", "optimizer/learning_rate"};

// Counts what a poll decodes, touching every value so nothing is optimised away.
class Counter final : public EventVisitor {
public:
    uint64_t events = 0, scalars = 0;
    double sum = 0;
    void onEvent(const EventHeader&, EventKind) override { ++events; }
    void onScalar(const EventHeader& h, std::string_view tag, double v) override
    {
        ++scalars;
        sum += v + double(h.step) + double(tag.size());
    }
};

double cpuNow()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Prints rate lines for `records` records of `mb` megabytes that took `wall` and `cpu` seconds.
void reportRates(const std::string& what, double records, double mb, double wall, double cpu)
{
    bench::report(what + "_records_per_s", records / wall, "records/s");
    bench::report(what + "_MB_per_s", mb / wall, "MB/s");
    bench::report(what + "_records_per_cpu_s", records / cpu, "records/s");
    bench::report(what + "_MB_per_cpu_s", mb / cpu, "MB/s");
    bench::report(what + "_records_ratio_to_goal", records / wall / kGoalRecordsPerSec, "x");
    bench::report(what + "_MB_ratio_to_goal", mb / wall / kGoalMBPerSec, "x");
    bench::report(what + "_records_per_cpu_s_ratio_to_goal", records / cpu / kGoalRecordsPerSec, "x");
    bench::report(what + "_MB_per_cpu_s_ratio_to_goal", mb / cpu / kGoalMBPerSec, "x");
}

uint64_t fileSize(const std::string& path)
{
    std::error_code ec;
    return fs::file_size(path, ec);
}

// A file of roughly `bytes` bytes of scalar events, written directly through RecordWriter (fast to build).
void makeScalarFile(const std::string& path, uint64_t bytes, int64_t& step)
{
    auto w = RecordWriter::open(path, RecordWriter::Mode::Append);
    if (!w.ok()) {
        std::fprintf(stderr, "%s\n", w.error().c_str());
        std::exit(1);
    }
    while ((*w)->size() < bytes) {
        tfproto::Event e;
        e.set_wall_time(1.7e9 + double(step));
        e.set_step(step);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag(kTags[step % 4]);
        v->set_simple_value(float(step) * 0.5f);
        (void)(*w)->write(e.SerializeAsString());
        ++step;
    }
    (void)(*w)->close();
}

// Median of several timings of: append `appendBytes` of scalar events, then poll.
double medianPollSeconds(const std::string& path, EventReader& reader, uint64_t appendBytes, int repeats,
                         int64_t& step, uint64_t& polledRecords)
{
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
        std::string chunk;
        while (chunk.size() < appendBytes) {
            tfproto::Event e;
            e.set_wall_time(1.7e9 + double(step));
            e.set_step(step);
            auto* v = e.mutable_summary()->add_value();
            v->set_tag(kTags[step % 4]);
            v->set_simple_value(1.0f);
            appendRecord(chunk, e.SerializeAsString());
            ++step;
        }
        FILE* f = std::fopen(path.c_str(), "ab");
        std::fwrite(chunk.data(), 1, chunk.size(), f);
        std::fclose(f);
        Counter c;
        const double t0 = bench::now();
        (void)reader.poll(c);
        times.push_back(bench::now() - t0);
        polledRecords += c.events;
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int64_t n = quick ? 1'000'000 : 10'000'000;
    char tmpl[] = "/tmp/scopeviz-bench-summary-XXXXXX";
    if (!::mkdtemp(tmpl)) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string root = tmpl;
    std::printf("# scalar events: %lld, temp dir %s, CRC32C %s\n", static_cast<long long>(n), root.c_str(),
                crc32cUsesHardware() ? "SSE4.2" : "software");

    // ---- write ----
    const std::string logdir = root + "/run";
    std::string file;
    {
        EventWriter w(logdir);
        file = w.filePath();
        const double t0 = bench::now(), c0 = cpuNow();
        for (int64_t i = 0; i < n; ++i)
            w.addScalar(kTags[i & 3], double(i) * 0.25, i);
        (void)w.flush();
        const double dt = bench::now() - t0, cpu = cpuNow() - c0;
        if (!w.close().ok()) {
            std::fprintf(stderr, "write failed: %s\n", w.status().error().c_str());
            return 1;
        }
        const double mb = double(fileSize(file)) / 1e6;
        reportRates("summary_write", double(n), mb, dt, cpu);
        bench::report("summary_file_bytes_per_record", mb * 1e6 / double(n), "bytes");
    }
    const double fileMB = double(fileSize(file)) / 1e6;

    // ---- read: EventReader (visitor, CRCs checked) ----
    {
        EventReader reader(file);
        Counter c;
        const double t0 = bench::now(), c0 = cpuNow();
        const ReadStatus st = reader.poll(c);
        const double dt = bench::now() - t0, cpu = cpuNow() - c0;
        if (c.scalars != uint64_t(n) || st.code != ReadStatus::Code::Ok) {
            std::fprintf(stderr, "read back %llu scalars, expected %lld (%s)\n",
                         static_cast<unsigned long long>(c.scalars), static_cast<long long>(n), st.message.c_str());
            return 1;
        }
        reportRates("summary_read", double(c.events), fileMB, dt, cpu);
    }

    // ---- read: LogdirWatcher (points grouped per run and tag, what the UI consumes) ----
    {
        LogdirWatcher watcher(root);
        const double t0 = bench::now(), c0 = cpuNow();
        const WatchBatch b = watcher.poll();
        const double dt = bench::now() - t0, cpu = cpuNow() - c0;
        size_t points = 0;
        for (const auto& s : b.scalars)
            points += s.points.size();
        if (points != size_t(n)) {
            std::fprintf(stderr, "watcher delivered %zu points\n", points);
            return 1;
        }
        reportRates("summary_watcher", double(n), fileMB, dt, cpu);
    }

    // ---- yardstick: the same records parsed with the generated protobuf classes ----
    {
        RecordReader rr(file);
        (void)rr.begin();
        RecordRef rec;
        uint64_t count = 0;
        double sum = 0;
        tfproto::Event e;
        const uint64_t limit = uint64_t(n) / 4; // a quarter is enough for the rate
        const double t0 = bench::now(), c0 = cpuNow();
        while (count < limit && rr.next(rec) == RecordStatus::Record) {
            e.ParseFromArray(rec.payload.data(), int(rec.payload.size()));
            if (e.has_summary())
                sum += e.summary().value(0).simple_value();
            ++count;
        }
        const double dt = bench::now() - t0, cpu = cpuNow() - c0;
        rr.end();
        bench::report("summary_read_protobuf_classes_records_per_s", double(count) / dt, "records/s");
        bench::report("summary_read_protobuf_classes_records_per_cpu_s", double(count) / cpu, "records/s");
        if (sum < 0)
            std::printf("#\n");
    }
    fs::remove_all(logdir);

    // ---- incremental polls: cost follows the appended bytes, not the file size ----
    const uint64_t sizes[] = {10'000'000, quick ? 50'000'000ull : 200'000'000ull};
    for (const uint64_t size : sizes) {
        const std::string path = root + "/events.out.tfevents.big";
        int64_t step = 0;
        makeScalarFile(path, size, step);
        EventReader reader(path);
        Counter full;
        const double t0 = bench::now();
        (void)reader.poll(full);
        const double fullDt = bench::now() - t0;
        const std::string label = cat(size / 1'000'000, "MB");
        bench::report("summary_initial_poll_ms_" + label, fullDt * 1e3, "ms");
        uint64_t polled = 0;
        for (const uint64_t append : {uint64_t(0), uint64_t(1000), uint64_t(100'000), uint64_t(1'000'000)}) {
            const double med = medianPollSeconds(path, reader, append, 15, step, polled);
            bench::report(cat("summary_poll_us_append_", append >= 1'000'000 ? cat(append / 1'000'000, "MB")
                                                         : append >= 1000 ? cat(append / 1000, "KB")
                                                                          : cat(append, "B"),
                              "_to_", label),
                          med * 1e6, "us");
        }
        // The watcher on the same directory: discovery + every file's poll.
        LogdirWatcher watcher(root);
        (void)watcher.poll();
        std::vector<double> times;
        for (int i = 0; i < 15; ++i) {
            std::string chunk;
            tfproto::Event e;
            e.set_wall_time(1.0);
            e.set_step(step++);
            auto* v = e.mutable_summary()->add_value();
            v->set_tag("x");
            v->set_simple_value(1.0f);
            while (chunk.size() < 1000)
                appendRecord(chunk, e.SerializeAsString());
            FILE* f = std::fopen(path.c_str(), "ab");
            std::fwrite(chunk.data(), 1, chunk.size(), f);
            std::fclose(f);
            const double w0 = bench::now();
            (void)watcher.poll();
            times.push_back(bench::now() - w0);
        }
        std::sort(times.begin(), times.end());
        bench::report("summary_watcher_poll_us_append_1KB_to_" + label, times[times.size() / 2] * 1e6, "us");
        fs::remove(path);
    }

    bench::report("summary_peak_rss_MB", double(bench::peakRssBytes()) / 1e6, "MB");
    fs::remove_all(root);
    return 0;
}
