#pragma once
// EventReader: follows one tfevents file and decodes what was appended since
// the last poll (scalars, histograms, graphs, session logs, file version).
// See the essay at the top of event_reader.cpp.
#include "core/summary/record_io.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scopeviz {

/// TensorFlow's SessionLog.SessionStatus.
enum class SessionStatus : int32_t { Unspecified = 0, Start = 1, Stop = 2, Checkpoint = 3 };

/// Which member of Event's `what` oneof a record holds (values are the field numbers).
enum class EventKind : int32_t {
    None = 0, ///< only wall_time/step (tensorboardX 1.x first record)
    FileVersion = 3,
    GraphDef = 4,
    Summary = 5,
    LogMessage = 6,
    SessionLog = 7,
    TaggedRunMetadata = 8,
    MetaGraphDef = 9,
};

/// Where a graph came from.
enum class GraphSource { GraphDef, MetaGraphDef };

/// The fields every Event has, and where its record starts.
struct EventHeader {
    uint64_t offset = 0; ///< file offset of the record
    double wallTime = 0; ///< seconds since the Unix epoch
    int64_t step = 0;
};

/// One histogram bucket: `count` values in (left, right].
struct HistogramBucket {
    double left = 0;
    double right = 0;
    double count = 0;
};

/// A histogram, from a HistogramProto (TF1, tensorboardX, PyTorch) or a TF2 [k,3] tensor.
struct Histogram {
    double min = 0;
    double max = 0;
    double num = 0;        ///< number of values
    double sum = 0;        ///< NaN when unknown (TF2 tensors do not carry it)
    double sumSquares = 0; ///< NaN when unknown
    /// Buckets as stored: for a HistogramProto bucket i is (limit[i-1], limit[i]], bucket 0 starting at -DBL_MAX.
    std::vector<HistogramBucket> buckets;
    bool tensorForm = false; ///< true for TF2 [k,3] tensors, which are already in display form
};

/// TensorBoard's display form of a histogram: empty buckets at both ends
/// dropped and the outermost edges replaced by min and max.
std::vector<HistogramBucket> tensorBoardBuckets(const Histogram& h);

/// The buckets [first, second) of `h` that its display form keeps: all of a TF2 tensor's, a
/// HistogramProto's from its first to its last non-empty one.
std::pair<std::size_t, std::size_t> displayBucketRange(const Histogram& h);

/// What a summary value is, as `--dump-summaries` prints it (summaryKindName).
enum class SummaryKind : uint8_t {
    Scalar,    ///< simple_value, or a rank-0 numeric tensor; detail: the value
    Histogram, ///< HistogramProto, or a [k,3] tensor with plugin "histograms"; detail: bucket count
    Image,     ///< Summary.Image, or a string tensor [width, height, png...] with plugin "images"; detail: WxH
    Audio,     ///< Summary.Audio, or a string tensor of WAV clips with plugin "audio"; detail: frames (samples per channel)
    Text,      ///< a string tensor with plugin "text"; detail: bytes of the first element
    Tensor,    ///< any other value (also malformed ones); `plugin` names the plugin; detail: element count
};

/// The kind of one summary value and what describes it in a word (see SummaryKind).
struct SummaryValueInfo {
    SummaryKind kind = SummaryKind::Tensor;
    std::string_view plugin; ///< SummaryMetadata.plugin_data.plugin_name (may be empty); valid during the call
    std::string detail;
};

/// An image, audio or text summary value with its payloads (EventVisitor::onMedia). The views are valid
/// only during the call.
struct MediaValue {
    SummaryKind kind = SummaryKind::Image;
    /// Images: encoded images (PNG, JPEG, GIF, ...); audio: encoded clips (WAV); text: the tensor's
    /// elements in row-major order.
    std::vector<std::string_view> items;
    std::vector<std::string_view> labels; ///< audio: a label per clip, when the tensor form carries them
    int64_t width = 0;                    ///< images: as declared by the writer (0 when unknown)
    int64_t height = 0;
    double sampleRate = 0;                ///< audio: Summary.Audio's sample_rate (0: read it from the WAV header)
    std::string_view contentType;         ///< audio: Summary.Audio's content_type
    std::vector<int64_t> shape;           ///< text: the tensor's shape (rank 2 is a table)
};

/// "scalar", "histogram", "image", "audio", "text", or "tensor:<plugin>".
std::string summaryKindName(const SummaryValueInfo& info);

/// A scalar point.
struct ScalarEvent {
    std::string tag;
    int64_t step = 0;
    double wallTime = 0;
    double value = 0; ///< NaN and Inf kept as they are
    uint64_t offset = 0;
};

/// A histogram point.
struct HistogramEvent {
    std::string tag;
    int64_t step = 0;
    double wallTime = 0;
    Histogram histogram;
    uint64_t offset = 0;
};

/// A graph: Event.graph_def, or the graph_def inside Event.meta_graph_def.
struct GraphEvent {
    GraphSource source = GraphSource::GraphDef;
    int64_t step = 0;
    double wallTime = 0;
    std::string graphDef; ///< serialized GraphDef
    uint64_t offset = 0;
};

/// A SessionLog record.
struct SessionLogEvent {
    SessionStatus status = SessionStatus::Unspecified;
    int64_t step = 0;
    double wallTime = 0;
    std::string checkpointPath;
    std::string message;
    uint64_t offset = 0;
};

/// A file_version record ("brain.Event:2").
struct FileVersionEvent {
    std::string version;
    double wallTime = 0;
    uint64_t offset = 0;
};

/// A tagged_run_metadata record (PyTorch/tensorboardX add_graph writes one).
struct RunMetadataEvent {
    std::string tag;
    int64_t step = 0;
    double wallTime = 0;
    std::string runMetadata; ///< serialized RunMetadata
    uint64_t offset = 0;
};

/// How a poll ended.
struct ReadStatus {
    enum class Code {
        Ok,           ///< read up to a clean end of the file (or up to the byte budget: see `more`)
        NeedMoreData, ///< the file ends inside a record; not an error, the next poll retries it
        Dead,         ///< a corrupt record at `offset`; nothing after it will be read
        IoError,      ///< the file could not be opened or read; the next poll tries again
        Missing,      ///< there is no file at the path (deleted, or not created yet)
    };
    Code code = Code::Ok;
    std::string message; ///< for Dead / IoError / Missing: text naming the file (and offset)
    uint64_t offset = 0; ///< Dead: the bad record; otherwise where the next poll resumes
    bool restarted = false; ///< the file was replaced or truncated; this poll re-read it from offset 0
    bool more = false;      ///< stopped at the byte budget; more complete records are waiting

    /// True for Ok and NeedMoreData (the file is healthy).
    bool healthy() const { return code == Code::Ok || code == Code::NeedMoreData; }
};

/// Receives decoded events, in file order. All views are valid only during the call.
class EventVisitor {
public:
    virtual ~EventVisitor() = default;
    /// Every decoded Event, before any of its contents.
    virtual void onEvent(const EventHeader& header, EventKind kind) {}
    /// A scalar value (simple_value or a rank-0 numeric tensor).
    virtual void onScalar(const EventHeader& header, std::string_view tag, double value) {}
    /// A histogram value; only called when wantsHistograms() is true.
    virtual void onHistogram(const EventHeader& header, std::string_view tag, const Histogram& histogram) {}
    /// Any other summary value (image, audio, text, other tensors).
    virtual void onOtherValue(const EventHeader& header, std::string_view tag) {}
    /// Every summary value, scalars and histograms included, classified (after the
    /// onScalar/onHistogram/onOtherValue call for it); only called when wantsSummaryValues() is true.
    virtual void onSummaryValue(const EventHeader& header, std::string_view tag, const SummaryValueInfo& info) {}
    /// An image, audio or text value with its payloads (after onOtherValue for it); only called when
    /// wantsMedia() is true.
    virtual void onMedia(const EventHeader& header, std::string_view tag, const MediaValue& value) {}
    /// A serialized GraphDef.
    virtual void onGraph(const EventHeader& header, GraphSource source, std::string_view graphDef) {}
    /// A SessionLog.
    virtual void onSessionLog(const EventHeader& header, SessionStatus status, std::string_view checkpointPath,
                              std::string_view message)
    {
    }
    /// A file_version string.
    virtual void onFileVersion(const EventHeader& header, std::string_view version) {}
    /// A tagged_run_metadata record.
    virtual void onRunMetadata(const EventHeader& header, std::string_view tag, std::string_view runMetadata) {}
    /// False to skip decoding histograms (they then arrive through onOtherValue).
    virtual bool wantsHistograms() const { return true; }
    /// True to receive onMedia (off by default: most consumers want only scalars).
    virtual bool wantsMedia() const { return false; }
    /// True to receive onSummaryValue (off by default: classifying costs time on the scalar hot path).
    virtual bool wantsSummaryValues() const { return false; }
};

/// Everything one poll() decoded, in file order within each list.
struct EventBatch {
    std::vector<ScalarEvent> scalars;
    std::vector<HistogramEvent> histograms;
    std::vector<GraphEvent> graphs;
    std::vector<SessionLogEvent> sessionLogs;
    std::vector<FileVersionEvent> fileVersions;
    std::vector<RunMetadataEvent> runMetadata;
    uint64_t records = 0;     ///< Event records decoded
    uint64_t otherValues = 0; ///< summary values that are neither scalars nor histograms
    ReadStatus status;
};

namespace detail {
/// One Summary.Value located during decoding (views into the record).
struct SummaryValueView {
    enum class Kind : uint8_t { None, Simple, Histo, Tensor, Image, Audio, Other };
    std::string_view tag;
    Kind kind = Kind::None;
    float simple = 0;
    std::string_view payload;  ///< HistogramProto, TensorProto, Summary.Image or Summary.Audio bytes
    std::string_view metadata; ///< SummaryMetadata bytes
};
} // namespace detail

/// Follows one event file. Not thread-safe; poll it from one thread.
class EventReader {
public:
    /// A reader of the file at `path` (which may not exist yet).
    explicit EventReader(std::string path);

    /// Decodes the records appended since the last poll into a batch.
    EventBatch poll();
    /// Decodes the records appended since the last poll, handing them to `visitor`;
    /// stops after about `maxBytes` bytes of records.
    ReadStatus poll(EventVisitor& visitor, uint64_t maxBytes = UINT64_MAX);

    /// Forgets all progress: the next poll reads from offset 0.
    void reset();

    /// The file's path.
    const std::string& path() const { return m_records.path(); }
    /// Bytes consumed so far (offset of the next unread record).
    uint64_t offset() const { return m_records.offset(); }
    /// Event records decoded since construction or the last restart.
    uint64_t recordCount() const { return m_recordCount; }
    /// True when the file is dead (corrupt).
    bool dead() const { return m_dead || m_records.dead(); }

private:
    bool decodeEvent(std::string_view payload, uint64_t offset, EventVisitor& visitor);

    RecordReader m_records;
    uint64_t m_recordCount = 0;
    bool m_dead = false; // a record with valid CRCs that is not an Event
    uint64_t m_errorOffset = 0;
    std::string m_error;
    std::vector<detail::SummaryValueView> m_values; // reused per record: decoding allocates nothing in steady state
    Histogram m_histogram; // reused per histogram value, like m_values
};

} // namespace scopeviz
