// Fuzz target: TFRecord framing and CRC32C (RecordReader, docs/formats.md §1).
//
// Invariants, beyond "no crash, no sanitizer report":
// - every record RecordReader returns before it stops is byte-identical (offset
//   and payload) to what the small independent parser below finds, and it
//   stops the same way (clean end, unfinished record, or corrupt at the same
//   offset);
// - reading the file in two polls, the first seeing only a prefix of it (the
//   file then grows), returns exactly the same records;
// - so does reading it in many polls that each want only a few bytes
//   (RecordReader::begin(wanted), as a sweep's polls do);
// - nothing is allocated for a record the file does not hold (libFuzzer's
//   -malloc_limit_mb in scripts/fuzz.sh).
#include "core/summary/record_io.h"
#include "tests/fuzz/fuzz_support.h"

#include <cstring>
#include <vector>

using namespace scopeviz;

namespace {

// --- The reference parser: written from docs/formats.md §1 alone, sharing no code with core/summary. ---

uint32_t refCrc32c(const uint8_t* p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; ++i) {
        crc ^= p[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

uint32_t refMasked(const uint8_t* p, size_t n)
{
    const uint32_t c = refCrc32c(p, n);
    return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

uint64_t refLe(const uint8_t* p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

struct RefRecord {
    uint64_t offset;
    std::string payload;
};

struct RefResult {
    std::vector<RefRecord> records;
    RecordStatus end = RecordStatus::Eof;
    uint64_t endOffset = 0; // where it stopped
};

RefResult referenceParse(const uint8_t* data, size_t size)
{
    RefResult r;
    size_t pos = 0;
    for (;;) {
        r.endOffset = pos;
        const size_t left = size - pos;
        if (left == 0) {
            r.end = RecordStatus::Eof;
            return r;
        }
        if (left < 12) {
            r.end = RecordStatus::NeedMoreData;
            return r;
        }
        const uint64_t length = refLe(data + pos, 8);
        if (refMasked(data + pos, 8) != uint32_t(refLe(data + pos + 8, 4)) || length > 0x7fffffffu) {
            r.end = RecordStatus::Corrupt;
            return r;
        }
        if (left - 12 < length + 4) {
            r.end = RecordStatus::NeedMoreData;
            return r;
        }
        const uint8_t* payload = data + pos + 12;
        if (refMasked(payload, size_t(length)) != uint32_t(refLe(payload + length, 4))) {
            r.end = RecordStatus::Corrupt;
            return r;
        }
        r.records.push_back({pos, std::string(reinterpret_cast<const char*>(payload), size_t(length))});
        pos += 12 + size_t(length) + 4;
    }
}

// Reads what the file holds now; appends the records to `out`.
RecordStatus poll(RecordReader& reader, std::vector<RefRecord>& out)
{
    auto began = reader.begin();
    SCOPEVIZ_FUZZ_CHECK(began.ok());
    RecordRef rec;
    RecordStatus st;
    while ((st = reader.next(rec)) == RecordStatus::Record)
        out.push_back({rec.offset, std::string(rec.payload)});
    reader.end();
    return st;
}

void compare(const std::vector<RefRecord>& got, const RefResult& ref)
{
    SCOPEVIZ_FUZZ_CHECK(got.size() == ref.records.size());
    for (size_t i = 0; i < got.size(); ++i) {
        SCOPEVIZ_FUZZ_CHECK(got[i].offset == ref.records[i].offset);
        SCOPEVIZ_FUZZ_CHECK(got[i].payload == ref.records[i].payload);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const RefResult ref = referenceParse(data, size);

    // One poll of the whole file.
    fuzz::writeScratch(bytes);
    {
        RecordReader reader(fuzz::scratchPath());
        std::vector<RefRecord> got;
        const RecordStatus st = poll(reader, got);
        compare(got, ref);
        SCOPEVIZ_FUZZ_CHECK(st == ref.end);
        SCOPEVIZ_FUZZ_CHECK(reader.offset() == ref.endOffset);
        SCOPEVIZ_FUZZ_CHECK(reader.dead() == (ref.end == RecordStatus::Corrupt));
        if (reader.dead()) {
            SCOPEVIZ_FUZZ_CHECK(reader.errorOffset() == ref.endOffset);
            SCOPEVIZ_FUZZ_CHECK(reader.error().rfind(fuzz::scratchPath() + ": corrupted record at ", 0) == 0);
        }
        // A second poll of the unchanged file finds nothing new and ends the same way.
        std::vector<RefRecord> again;
        SCOPEVIZ_FUZZ_CHECK(poll(reader, again) == ref.end);
        SCOPEVIZ_FUZZ_CHECK(again.empty());
    }

    // Polls that each want a few bytes, as the watcher's polls under a byte limit: each stops once it has
    // consumed that much, and the next reads on.
    {
        const uint64_t wanted = size == 0 ? 1 : 1 + uint64_t(data[size - 1] % 64) * 97;
        RecordReader reader(fuzz::scratchPath());
        std::vector<RefRecord> got;
        RecordStatus st = RecordStatus::Record;
        for (size_t polls = 0; st == RecordStatus::Record && polls <= size; ++polls) {
            SCOPEVIZ_FUZZ_CHECK(reader.begin(wanted).ok());
            const uint64_t start = reader.offset();
            RecordRef rec;
            while (reader.offset() - start < wanted && (st = reader.next(rec)) == RecordStatus::Record)
                got.push_back({rec.offset, std::string(rec.payload)});
            reader.end();
        }
        compare(got, ref);
        SCOPEVIZ_FUZZ_CHECK(st == ref.end);
        SCOPEVIZ_FUZZ_CHECK(reader.offset() == ref.endOffset);
    }

    // Two polls: the file first holds a prefix, then grows to the whole input.
    const size_t cut = size == 0 ? 0 : size_t(data[0]) * size / 256;
    fuzz::writeScratch(bytes.substr(0, cut));
    {
        RecordReader reader(fuzz::scratchPath());
        std::vector<RefRecord> got;
        const RecordStatus first = poll(reader, got);
        const RefResult refPrefix = referenceParse(data, cut);
        compare(got, refPrefix);
        SCOPEVIZ_FUZZ_CHECK(first == refPrefix.end);
        fuzz::writeScratch(bytes, false); // same inode, grown
        const RecordStatus second = poll(reader, got);
        compare(got, ref);
        SCOPEVIZ_FUZZ_CHECK(second == ref.end);
    }
    return 0;
}
