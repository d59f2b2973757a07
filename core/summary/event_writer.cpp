// EventWriter: hand-encoded Events framed by RecordWriter, with a background
// flush timer. Events are encoded straight into the record buffer (no
// intermediate strings), which keeps addScalar at a few tens of nanoseconds.
#include "core/summary/event_writer.h"

#include "core/proto/wire_format.h"
#include "core/summary/summary_encoding.h"
#include "core/util/strings.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace scopeviz {

using detail::WireType;

namespace {

double nowSeconds()
{
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string hostName()
{
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0')
        return "localhost";
    return buf;
}

// wall_time (field 1, always written) and step (field 2, omitted when 0 as proto3 does).
size_t headerSize(int64_t step) { return 9 + (step != 0 ? 1 + detail::varintSize(uint64_t(step)) : 0); }

char* writeHeader(char* p, double wallTime, int64_t step)
{
    p = detail::writeDoubleField(p, 1, wallTime);
    if (step != 0)
        p = detail::writeVarintField(p, 2, uint64_t(step));
    return p;
}

} // namespace

EventWriter::EventWriter(std::string logdir, std::string suffix)
    : m_logdir(std::move(logdir)), m_suffix(std::move(suffix))
{
    std::lock_guard lock(m_mutex);
    std::error_code ec;
    std::filesystem::create_directories(m_logdir, ec);
    if (ec) {
        setErrorLocked(cat(m_logdir, ": cannot create log directory: ", ec.message()));
        return;
    }
    if (!openNewFileLocked())
        return;
    m_timer = std::thread([this] { timerLoop(); });
}

EventWriter::~EventWriter() { (void)close(); }

void EventWriter::setErrorLocked(std::string message)
{
    if (m_error.empty())
        m_error = std::move(message);
}

bool EventWriter::openNewFileLocked()
{
    const auto secs = static_cast<long long>(std::time(nullptr));
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%010lld", secs);
    const std::string base = cat(m_logdir, "/events.out.tfevents.", stamp, ".", hostName());
    for (int n = 0; n < 1000; ++n) {
        const std::string path = n == 0 ? base + m_suffix : cat(base, ".", n, m_suffix);
        auto opened = RecordWriter::open(path, RecordWriter::Mode::CreateNew);
        if (!opened.ok()) {
            struct stat st {};
            if (::stat(path.c_str(), &st) == 0)
                continue; // taken by another writer in the same second
            setErrorLocked(opened.error());
            return false;
        }
        m_writer = std::move(opened.value());
        const std::string_view version = "brain.Event:2";
        writeEventLocked(detail::bytesFieldSize(3, version.size()), double(secs), 0,
                         [&](char* p) { detail::writeBytesField(p, 3, version); });
        flushLocked();
        return m_error.empty();
    }
    setErrorLocked(cat(base, m_suffix, ": too many event files with this name"));
    return false;
}

template <class Fill>
void EventWriter::writeEventLocked(size_t bodySize, double wallTime, int64_t step, Fill&& fill)
{
    if (!m_error.empty())
        return;
    if (!m_writer || m_closed) {
        setErrorLocked(cat(m_logdir, ": event writer used after close"));
        return;
    }
    auto written = m_writer->writeWith(headerSize(step) + bodySize, [&](char* p) {
        p = writeHeader(p, wallTime, step);
        fill(p);
    });
    if (!written.ok())
        setErrorLocked(written.error());
}

void EventWriter::addBytesEvent(uint32_t field, std::string_view bytes, int64_t step,
                                std::optional<double> wallTime)
{
    const double wall = wallTime ? *wallTime : nowSeconds();
    std::lock_guard lock(m_mutex);
    writeEventLocked(detail::bytesFieldSize(field, bytes.size()), wall, step,
                     [&](char* p) { detail::writeBytesField(p, field, bytes); });
}

void EventWriter::addSummary(const std::string& serializedSummary, int64_t step, std::optional<double> wallTime)
{
    addBytesEvent(5, serializedSummary, step, wallTime);
}

void EventWriter::addScalar(std::string_view tag, double value, int64_t step, std::optional<double> wallTime)
{
    const double wall = wallTime ? *wallTime : nowSeconds();
    // Event.summary, written straight into the record buffer.
    const size_t summarySize = scalarSummarySize(tag);
    std::lock_guard lock(m_mutex);
    writeEventLocked(detail::bytesFieldSize(5, summarySize), wall, step, [&](char* p) {
        p = detail::writeVarint(detail::writeTag(p, 5, WireType::Bytes), summarySize);
        writeScalarSummary(p, tag, float(value));
    });
}

void EventWriter::addHistogram(std::string_view tag, std::span<const double> values, int64_t step,
                               std::optional<double> wallTime)
{
    auto summary = encodeHistogramSummary(tag, values);
    if (!summary.ok()) {
        std::lock_guard lock(m_mutex);
        setErrorLocked(summary.error());
        return;
    }
    addBytesEvent(5, summary.value(), step, wallTime);
}

void EventWriter::addGraphDef(const std::string& serializedGraphDef, int64_t step)
{
    addBytesEvent(4, serializedGraphDef, step, {});
}

void EventWriter::addMetaGraphDef(const std::string& serializedMetaGraphDef, int64_t step)
{
    addBytesEvent(9, serializedMetaGraphDef, step, {});
}

void EventWriter::addSessionLog(SessionStatus status, int64_t step, std::string_view checkpointPath,
                                std::string_view message)
{
    std::string log;
    if (status != SessionStatus::Unspecified) {
        char buf[16];
        log.append(buf, size_t(detail::writeVarintField(buf, 1, uint64_t(int64_t(status))) - buf));
    }
    if (!checkpointPath.empty())
        detail::appendBytesField(log, 2, checkpointPath);
    if (!message.empty())
        detail::appendBytesField(log, 3, message);
    addBytesEvent(7, log, step, {});
}

void EventWriter::flushLocked()
{
    if (!m_writer || m_writer->fd() < 0 || !m_error.empty())
        return;
    // Like TF's EventsWriter: if the file was deleted under us, start a new
    // one (in a re-created log directory) and move the unwritten events there.
    struct stat st {};
    if (::fstat(m_writer->fd(), &st) == 0 && st.st_nlink == 0) {
        std::unique_ptr<RecordWriter> old = std::move(m_writer);
        std::error_code ec;
        std::filesystem::create_directories(m_logdir, ec);
        if (!openNewFileLocked())
            return;
        auto moved = m_writer->takeBuffered(*old);
        if (!moved.ok())
            setErrorLocked(moved.error());
        (void)old->close(); // holds nothing any more
    }
    auto flushed = m_writer->flush();
    if (!flushed.ok())
        setErrorLocked(flushed.error());
}

Expected<void> EventWriter::flush()
{
    std::lock_guard lock(m_mutex);
    flushLocked();
    if (!m_error.empty())
        return unexpected(m_error);
    return {};
}

Expected<void> EventWriter::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_timer.joinable())
        m_timer.join();
    std::lock_guard lock(m_mutex);
    if (!m_closed) {
        flushLocked();
        if (m_writer) {
            auto closed = m_writer->close();
            if (!closed.ok())
                setErrorLocked(closed.error());
        }
        m_closed = true;
    }
    if (!m_error.empty())
        return unexpected(m_error);
    return {};
}

void EventWriter::setFlushSecs(double secs)
{
    {
        std::lock_guard lock(m_mutex);
        m_flushSecs = secs;
    }
    m_cv.notify_all(); // re-arm the timer with the new period
}

double EventWriter::flushSecs() const
{
    std::lock_guard lock(m_mutex);
    return m_flushSecs;
}

Expected<void> EventWriter::status() const
{
    std::lock_guard lock(m_mutex);
    if (!m_error.empty())
        return unexpected(m_error);
    return {};
}

std::string EventWriter::filePath() const
{
    std::lock_guard lock(m_mutex);
    return m_writer ? m_writer->path() : std::string();
}

void EventWriter::timerLoop()
{
    using Clock = std::chrono::steady_clock;
    std::unique_lock lock(m_mutex);
    auto last = Clock::now();
    while (!m_stopping) {
        const double period = m_flushSecs;
        if (period <= 0) {
            m_cv.wait(lock); // disabled until the period changes or we stop
            last = Clock::now();
            continue;
        }
        const auto due = last + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period));
        if (m_cv.wait_until(lock, due) == std::cv_status::timeout || Clock::now() >= due) {
            if (m_stopping)
                break;
            flushLocked();
            last = Clock::now();
        }
        // Otherwise woken early (new period, or stopping): loop and recompute.
    }
}

} // namespace scopeviz
