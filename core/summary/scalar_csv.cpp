#include "core/summary/scalar_csv.h"

#include "core/summary/logdir_watcher.h"
#include "core/util/strings.h"

#include <charconv>
#include <filesystem>
#include <sys/stat.h>

namespace scopeviz {
namespace {

void writeField(std::ostream& out, const std::string& s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        out << s;
        return;
    }
    out << '"';
    for (char c : s) {
        if (c == '"')
            out << '"';
        out << c;
    }
    out << '"';
}

void writeDouble(std::ostream& out, double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.write(buf, r.ptr - buf);
}

// Most scalars are float32: print those as the float they are ("0.1", not "0.10000000149011612").
void writeValue(std::ostream& out, double v)
{
    const float f = float(v);
    if (double(f) == v) {
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, f);
        out.write(buf, r.ptr - buf);
    } else {
        writeDouble(out, v); // NaN compares unequal: printed as "nan" here
    }
}

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

Expected<void> dumpScalarsCsv(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err)
{
    out << "run,tag,step,wall_time,value\n";
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
            for (const ScalarPoint& p : series.points) {
                writeField(out, run);
                out << ',';
                writeField(out, series.tag);
                out << ',' << p.step << ',';
                writeDouble(out, p.wallTime);
                out << ',';
                writeValue(out, p.value);
                out << '\n';
            }
        }
    }
    if (!out)
        return unexpected("CSV output failed");
    if (problems > 0)
        return unexpected(cat(problems, problems == 1 ? " problem" : " problems", " while reading; see above"));
    return {};
}

} // namespace scopeviz
