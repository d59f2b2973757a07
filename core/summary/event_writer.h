#pragma once
// EventWriter: writes a TensorBoard event file, like TensorFlow's FileWriter /
// C++ EventsWriter.
#include "core/summary/event_reader.h"
#include "core/summary/record_io.h"
#include "core/util/expected.h"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>

namespace scopeviz {

/// Writes events to `<logdir>/events.out.tfevents.<secs %010d>.<hostname><suffix>`.
///
/// The log directory is created (recursively) on construction and the file is
/// opened with a first record `{wall_time: <integral secs>, file_version:
/// "brain.Event:2"}`, flushed at once so TensorBoard sees the run. Events are
/// buffered in memory and handed to the OS by flush(), by the background timer
/// every flushSecs() seconds (120 by default, as TF), when about 1 MiB has
/// accumulated, and by close(); a crash of the process loses at most what was
/// added since the last of these. If the file is deleted while the writer is
/// open, the next flush starts a new file (TF does the same). If a file of the
/// same name already exists (two writers in one second), `.<n>` is inserted
/// before the suffix instead of overwriting it.
///
/// All methods are thread-safe. Errors (cannot create the directory, disk
/// full) never throw: the first one is kept in status(), later writes are
/// dropped, and flush()/close() return it.
class EventWriter {
public:
    /// Creates the log directory and the event file.
    explicit EventWriter(std::string logdir, std::string suffix = "");
    /// Closes the file (see close()).
    ~EventWriter();
    EventWriter(const EventWriter&) = delete;
    EventWriter& operator=(const EventWriter&) = delete;

    /// Adds an Event holding a serialized Summary; wall time defaults to now.
    void addSummary(const std::string& serializedSummary, int64_t step, std::optional<double> wallTime = {});
    /// Adds a scalar as a `simple_value` (float32, like TF1 and PyTorch).
    void addScalar(std::string_view tag, double value, int64_t step, std::optional<double> wallTime = {});
    /// Adds a TF1-style histogram of `values` (see encodeHistogramSummary); NaN/Inf values are an error.
    void addHistogram(std::string_view tag, std::span<const double> values, int64_t step,
                      std::optional<double> wallTime = {});
    /// Adds an Event holding a serialized GraphDef.
    void addGraphDef(const std::string& serializedGraphDef, int64_t step = 0);
    /// Adds an Event holding a serialized MetaGraphDef.
    void addMetaGraphDef(const std::string& serializedMetaGraphDef, int64_t step = 0);
    /// Adds a SessionLog (START marks a restart: readers drop points with step >= `step`).
    void addSessionLog(SessionStatus status, int64_t step, std::string_view checkpointPath = {},
                       std::string_view message = {});

    /// Hands buffered events to the OS.
    Expected<void> flush();
    /// Flushes, syncs and closes the file and stops the timer; idempotent.
    Expected<void> close();

    /// Sets the background flush period in seconds (<= 0 disables the timer).
    void setFlushSecs(double secs);
    /// The background flush period in seconds.
    double flushSecs() const;

    /// The first error met, or success.
    Expected<void> status() const;
    /// Path of the current event file (empty if it could not be created).
    std::string filePath() const;
    /// The log directory.
    const std::string& logdir() const { return m_logdir; }

private:
    bool openNewFileLocked();
    template <class Fill>
    void writeEventLocked(size_t bodySize, double wallTime, int64_t step, Fill&& fill);
    void addBytesEvent(uint32_t field, std::string_view bytes, int64_t step, std::optional<double> wallTime);
    void flushLocked();
    void timerLoop();
    void setErrorLocked(std::string message);

    const std::string m_logdir;
    const std::string m_suffix;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::unique_ptr<RecordWriter> m_writer;
    std::string m_error;
    double m_flushSecs = 120;
    bool m_stopping = false;
    bool m_closed = false;
    std::thread m_timer;
};

} // namespace scopeviz
