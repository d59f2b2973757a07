#pragma once
// Helpers shared by the summary tests: test data paths, file I/O, hand-built events.
#include "core/proto/event.pb.h"
#include "core/summary/record_io.h"

#include <QDir>
#include <QString>

#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace scopeviz::testutil {

/// Folder with the real event files.
inline std::string eventsDir() { return std::string(SCOPEVIZ_TESTDATA) + "/events"; }

/// The single event file inside testdata/events/<folder>.
inline std::string testFile(const std::string& folder)
{
    static const std::map<std::string, std::string> names = {
        {"catboost-cpp-writer", "events.out.tfevents"},
        {"python-writer-gan-custom-scalars-histos", "events.out.tfevents.111.complex.localdomain"},
        {"pytorch-summarywriter-graph-image", "events.out.tfevents.1715398240.8e23b496c048.20.0"},
        {"tensorboardx-2018-onnx-graph-no-file-version", "events.out.tfevents.1535527301.DESKTOP-4D03LNH"},
        {"tensorboardx-histograms", "events.out.tfevents.1581507292.hskim-pc"},
        {"tf0.12-graph-truncated-last-record", "events.out.tfevents.1483451470.Morvan"},
        {"tf1-estimator-tensorboard-functionaltest", "events.out.tfevents.1476472047.localhost"},
        {"tf1-graph-only-while-loops", "events.out.tfevents.1499787150.MacBook-Pro"},
        {"tf1-keras-breakout-dqn-31k-scalars", "events.out.tfevents.1496968668.young-System-Product-Name"},
        {"tf2-keras-tensor-scalars-graph", "events.out.tfevents.1666350020.67d731bb51ab.314.0.v2"},
        {"tf2-profile-empty", "events.out.tfevents.1666015010.MS-IJHPFNLAGMLT.profile-empty"},
    };
    return eventsDir() + "/" + folder + "/" + names.at(folder);
}

/// Every test data folder.
inline std::vector<std::string> testFolders()
{
    return {"catboost-cpp-writer",
            "python-writer-gan-custom-scalars-histos",
            "pytorch-summarywriter-graph-image",
            "tensorboardx-2018-onnx-graph-no-file-version",
            "tensorboardx-histograms",
            "tf0.12-graph-truncated-last-record",
            "tf1-estimator-tensorboard-functionaltest",
            "tf1-graph-only-while-loops",
            "tf1-keras-breakout-dqn-31k-scalars",
            "tf2-keras-tensor-scalars-graph",
            "tf2-profile-empty"};
}

/// Whole file as bytes (empty if unreadable).
inline std::string readAll(const std::string& path)
{
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// Replaces a file's content (same inode). Overwrites and then cuts to size
/// instead of truncating to 0 first: on ext4, truncate-to-0-then-write makes
/// close() wait for the disk, which made thousands of rewrites take minutes.
inline void writeAll(const std::string& path, const std::string& bytes)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, off_t(done));
        if (n <= 0)
            break;
        done += size_t(n);
    }
    if (::ftruncate(fd, off_t(bytes.size())) != 0) {
    }
    ::close(fd);
}

/// Template for a QTemporaryDir in RAM (/dev/shm) when available, for tests that rewrite files thousands of times.
inline QString ramTempPattern()
{
    if (::access("/dev/shm", W_OK) == 0)
        return QStringLiteral("/dev/shm/scopeviz-test-XXXXXX");
    return QDir::tempPath() + QStringLiteral("/scopeviz-test-XXXXXX");
}

/// Appends bytes to a file.
inline void appendBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream f(path, std::ios::binary | std::ios::app);
    f.write(bytes.data(), std::streamsize(bytes.size()));
}

/// End offsets of the complete records of `bytes` (the framing walked independently of RecordReader).
inline std::vector<uint64_t> recordEnds(const std::string& bytes)
{
    std::vector<uint64_t> ends;
    uint64_t p = 0;
    while (p + 12 <= bytes.size()) {
        uint64_t len;
        std::memcpy(&len, bytes.data() + p, 8);
        if (len > bytes.size() || p + 16 + len > bytes.size())
            break;
        p += 16 + len;
        ends.push_back(p);
    }
    return ends;
}

/// A framed record holding a serialized Event.
inline std::string framed(const tfproto::Event& e)
{
    std::string out;
    appendRecord(out, e.SerializeAsString());
    return out;
}

/// Event {wall_time, step, summary {value {tag, simple_value}}}.
inline tfproto::Event scalarEvent(const std::string& tag, int64_t step, float value, double wallTime = 1000.0)
{
    tfproto::Event e;
    e.set_wall_time(wallTime);
    e.set_step(step);
    auto* v = e.mutable_summary()->add_value();
    v->set_tag(tag);
    v->set_simple_value(value);
    return e;
}

/// Event {wall_time, file_version}.
inline tfproto::Event versionEvent(const std::string& version = "brain.Event:2", double wallTime = 1000.0)
{
    tfproto::Event e;
    e.set_wall_time(wallTime);
    e.set_file_version(version);
    return e;
}

/// Event {wall_time, step, session_log {status}}.
inline tfproto::Event sessionEvent(tfproto::SessionLog::SessionStatus status, int64_t step, double wallTime = 1000.0)
{
    tfproto::Event e;
    e.set_wall_time(wallTime);
    e.set_step(step);
    e.mutable_session_log()->set_status(status);
    return e;
}

} // namespace scopeviz::testutil
