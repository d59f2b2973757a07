// Fuzz target: decoding Event / Summary payloads (EventReader, docs/formats.md
// §3-§4). The input is read as TFRecords whose checksums are ignored and then
// written out again with correct checksums, so mutations reach the decoder
// instead of dying at the CRC (real event files are good seeds as they are).
//
// Invariants, beyond "no crash, no sanitizer report":
// - the file is either read to its end or reported dead at a record boundary;
// - polling with a small byte budget, again and again, decodes exactly the
//   same events as one unlimited poll;
// - every event's offset is a record offset inside the file.
#include "core/summary/event_reader.h"
#include "core/summary/record_io.h"
#include "tests/fuzz/fuzz_support.h"

#include <cmath>
#include <cstring>
#include <set>
#include <vector>

using namespace scopeviz;

namespace {

class Digest final : public EventVisitor {
public:
    std::string text;
    void onEvent(const EventHeader& h, EventKind kind) override
    {
        text += "\nE" + std::to_string(h.offset) + "/" + std::to_string(int(kind)) + "/" + std::to_string(h.step);
    }
    void onScalar(const EventHeader&, std::string_view tag, double v) override
    {
        text += "|s" + std::string(tag) + "=" + (std::isnan(v) ? std::string("nan") : std::to_string(v));
    }
    void onHistogram(const EventHeader&, std::string_view tag, const Histogram& h) override
    {
        text += "|h" + std::string(tag) + "#" + std::to_string(h.buckets.size());
        (void)tensorBoardBuckets(h);
    }
    void onOtherValue(const EventHeader&, std::string_view tag) override { text += "|o" + std::string(tag); }
    void onGraph(const EventHeader&, GraphSource s, std::string_view g) override
    {
        text += "|g" + std::to_string(int(s)) + "#" + std::to_string(g.size());
    }
    void onSessionLog(const EventHeader&, SessionStatus s, std::string_view path, std::string_view msg) override
    {
        text += "|l" + std::to_string(int(s)) + std::string(path) + "/" + std::string(msg);
    }
    void onFileVersion(const EventHeader&, std::string_view v) override { text += "|v" + std::string(v); }
    void onRunMetadata(const EventHeader&, std::string_view t, std::string_view m) override
    {
        text += "|r" + std::string(t) + "#" + std::to_string(m.size());
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // Re-frame: length (8 bytes), 4 ignored, payload, 4 ignored; a length beyond
    // the data takes the rest as the last payload.
    std::string file;
    std::set<uint64_t> offsets;
    size_t pos = 0;
    while (size - pos >= 12) {
        uint64_t len;
        std::memcpy(&len, data + pos, 8);
        pos += 12;
        len = std::min<uint64_t>(len, size - pos);
        offsets.insert(file.size());
        appendRecord(file, std::string_view(reinterpret_cast<const char*>(data + pos), size_t(len)));
        pos += size_t(len);
        pos += std::min<size_t>(4, size - pos);
    }
    fuzz::writeScratch(file);

    Digest whole;
    EventReader reader(fuzz::scratchPath());
    const ReadStatus st = reader.poll(whole);
    SCOPEVIZ_FUZZ_CHECK(st.code == ReadStatus::Code::Ok || st.code == ReadStatus::Code::Dead);
    SCOPEVIZ_FUZZ_CHECK(!st.more);
    if (st.code == ReadStatus::Code::Ok)
        SCOPEVIZ_FUZZ_CHECK(reader.offset() == file.size());
    else
        SCOPEVIZ_FUZZ_CHECK(offsets.count(st.offset) == 1 && !st.message.empty());

    // The batch API decodes the same file without trouble.
    const EventBatch batch = EventReader(fuzz::scratchPath()).poll();
    SCOPEVIZ_FUZZ_CHECK(batch.status.code == st.code);
    for (const ScalarEvent& s : batch.scalars)
        SCOPEVIZ_FUZZ_CHECK(offsets.count(s.offset) == 1);
    for (const HistogramEvent& h : batch.histograms)
        (void)tensorBoardBuckets(h.histogram);

    // Budgeted polls: the same events, in the same order.
    Digest pieces;
    EventReader budgeted(fuzz::scratchPath());
    const uint64_t budget = 1 + (size ? data[size - 1] : 0);
    ReadStatus b;
    size_t polls = 0;
    do {
        b = budgeted.poll(pieces, budget);
        SCOPEVIZ_FUZZ_CHECK(++polls <= offsets.size() + 2);
    } while (b.more);
    SCOPEVIZ_FUZZ_CHECK(b.code == st.code);
    SCOPEVIZ_FUZZ_CHECK(pieces.text == whole.text);
    return 0;
}
