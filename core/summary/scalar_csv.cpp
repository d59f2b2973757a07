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
        const WatchBatch batch = watcher.poll();
        for (const RunEvent& e : batch.events) {
            if (e.kind == RunEvent::Kind::FileError || e.kind == RunEvent::Kind::LogdirMissing) {
                err << e.message << '\n';
                ++problems;
            }
        }
        for (const ScalarSeriesBatch& series : batch.scalars) {
            std::string run = series.run;
            if (paths.size() > 1) {
                struct stat st {};
                const bool isFile = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
                run = (isFile || series.run == ".") ? path : path + "/" + series.run;
            } else if (run == ".") {
                run = directoryName(path); // the run at the top of the directory is named after it
            }
            std::string rows;
            for (const ScalarPoint& p : series.points)
                appendScalarCsvRow(rows, run, series.tag, p.step, p.wallTime, p.value);
            out << rows;
        }
    }
    if (!out)
        return unexpected("CSV output failed");
    if (problems > 0)
        return unexpected(cat(problems, problems == 1 ? " problem" : " problems", " while reading; see above"));
    return {};
}

} // namespace scopeviz
