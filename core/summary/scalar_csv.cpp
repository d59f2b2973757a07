#include "core/summary/scalar_csv.h"

#include "core/summary/logdir_watcher.h"
#include "core/util/strings.h"

#include <cmath>
#include <filesystem>
#include <sys/stat.h>

namespace scopeviz {

void appendCsvField(std::string& out, std::string_view s)
{
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += s;
        return;
    }
    out += '"';
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void appendScalarValue(std::string& out, double v)
{
    if (std::isnan(v)) {
        out += "nan"; // also for a NaN with its sign bit set
    } else if (std::isinf(v)) {
        out += v > 0 ? "inf" : "-inf";
    } else if (const float f = float(v); double(f) == v) {
        appendShortest(out, f);
    } else {
        appendShortest(out, v);
    }
}

namespace {

/// The last component of a directory path ("runs/exp1/" gives "exp1"; "." gives the working directory's).
std::string directoryName(const std::string& path)
{
    std::error_code ec;
    std::filesystem::path p = std::filesystem::absolute(std::filesystem::path(path), ec).lexically_normal();
    if (!p.has_filename())
        p = p.parent_path();
    const std::string name = p.filename().string();
    return name.empty() ? path : name;
}

/// The CSV name of `run` read from `path`, one of `pathCount` paths (see dumpScalarsCsv).
std::string csvRunName(const std::string& path, size_t pathCount, const std::string& run)
{
    if (pathCount > 1) {
        struct stat st {};
        const bool isFile = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
        return (isFile || run == ".") ? path : path + "/" + run;
    }
    return run == "." ? directoryName(path) : run; // the run at the top of the directory is named after it
}

/// Polls `path` once, reporting file and directory problems to `err`; returns how many there were.
size_t pollOnce(LogdirWatcher& watcher, WatchBatch& batch, std::ostream& err)
{
    batch = watcher.poll();
    size_t problems = 0;
    for (const RunEvent& e : batch.events) {
        if (e.kind == RunEvent::Kind::FileError || e.kind == RunEvent::Kind::LogdirMissing) {
            err << e.message << '\n';
            ++problems;
        }
    }
    return problems;
}

Expected<void> csvResult(std::ostream& out, size_t problems)
{
    if (!out)
        return unexpected("CSV output failed");
    if (problems > 0)
        return unexpected(cat(problems, problems == 1 ? " problem" : " problems", " while reading; see above"));
    return {};
}

} // namespace

void appendScalarCsvRow(std::string& out, std::string_view run, std::string_view tag, int64_t step, double wallTime,
                        double value)
{
    appendCsvField(out, run);
    out += ',';
    appendCsvField(out, tag);
    out += ',';
    appendShortest(out, step);
    out += ',';
    appendShortest(out, wallTime);
    out += ',';
    appendScalarValue(out, value);
    out += '\n';
}

Expected<void> dumpScalarsCsv(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err)
{
    out << kScalarCsvHeader;
    size_t problems = 0;
    for (const std::string& path : paths) {
        LogdirWatcher watcher(path);
        WatchBatch batch;
        problems += pollOnce(watcher, batch, err);
        for (const ScalarSeriesBatch& series : batch.scalars) {
            const std::string run = csvRunName(path, paths.size(), series.run);
            std::string rows;
            for (const ScalarPoint& p : series.points)
                appendScalarCsvRow(rows, run, series.tag, p.step, p.wallTime, p.value);
            out << rows;
        }
    }
    return csvResult(out, problems);
}

Expected<void> dumpSummariesCsv(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err)
{
    out << kSummaryCsvHeader;
    size_t problems = 0;
    for (const std::string& path : paths) {
        LogdirWatcher watcher(path);
        watcher.setCollectSummaries(true);
        WatchBatch batch;
        problems += pollOnce(watcher, batch, err);
        std::string rows, lastRun, run;
        for (const SummaryValueRow& v : batch.summaries) {
            if (run.empty() || v.run != lastRun) {
                lastRun = v.run;
                run = csvRunName(path, paths.size(), v.run);
            }
            appendCsvField(rows, run);
            rows += ',';
            appendCsvField(rows, v.tag);
            rows += ',';
            appendShortest(rows, v.step);
            rows += ',';
            appendCsvField(rows, v.kind);
            rows += ',';
            appendCsvField(rows, v.detail);
            rows += '\n';
        }
        out << rows;
    }
    return csvResult(out, problems);
}

} // namespace scopeviz
