#pragma once
// TFRecord framing (docs/formats.md §1): every record is
//   uint64 length | uint32 masked CRC32C(length) | payload | uint32 masked CRC32C(payload)
// all little-endian. RecordWriter appends records to a file through a memory
// buffer; RecordReader follows a file that may still be growing.
#include "core/util/expected.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace scopeviz {

/// Bytes before a record's payload (length + length CRC).
inline constexpr size_t kRecordHeaderSize = 12;
/// Bytes after a record's payload (payload CRC).
inline constexpr size_t kRecordFooterSize = 4;
/// Largest payload a reader accepts: a protobuf message cannot exceed 2 GiB - 1,
/// so any longer length is corruption even when its CRC matches.
inline constexpr uint64_t kMaxRecordLength = 0x7fffffff;

/// Appends one framed record holding `payload` to `out`.
void appendRecord(std::string& out, std::string_view payload);

/// Appends framed records to a file. Records collect in a memory buffer that is
/// handed to the OS by flush(), or automatically once it holds about 1 MiB.
/// Not thread-safe; errors are sticky (after one, every call returns it).
class RecordWriter {
public:
    /// How open() treats an existing file.
    enum class Mode {
        CreateNew, ///< fail if the file exists (O_EXCL)
        Truncate,  ///< create or empty it
        Append,    ///< create or append to it
    };

    /// Opens `path` for writing.
    static Expected<std::unique_ptr<RecordWriter>> open(const std::string& path, Mode mode);

    /// Writes out buffered records and closes the file (errors are dropped; call close() to see them).
    ~RecordWriter();
    RecordWriter(const RecordWriter&) = delete;
    RecordWriter& operator=(const RecordWriter&) = delete;

    /// Buffers one record holding `payload`.
    Expected<void> write(std::string_view payload);

    /// Buffers one record of `size` payload bytes that `fill(char* dst)` writes in place.
    template <class Fill>
    Expected<void> writeWith(size_t size, Fill&& fill)
    {
        char* dst = reserveRecord(size);
        if (!dst)
            return unexpected(m_error);
        fill(dst);
        commitRecord(dst, size);
        return {};
    }

    /// Moves the records buffered in `other` (not yet written to its file) to the end of this buffer.
    Expected<void> takeBuffered(RecordWriter& other);

    /// Hands every buffered byte to the OS (write(2); readers see the records from now on).
    Expected<void> flush();
    /// flush() plus fsync(2).
    Expected<void> sync();
    /// sync() and close; idempotent.
    Expected<void> close();

    /// The file's path.
    const std::string& path() const { return m_path; }
    /// File size including buffered, unwritten bytes.
    uint64_t size() const { return m_written + m_len; }
    /// Bytes waiting in the buffer.
    size_t buffered() const { return m_len; }
    /// The file descriptor, or -1 after close().
    int fd() const { return m_fd; }
    /// The sticky error message; empty while all is well.
    const std::string& error() const { return m_error; }

    /// Buffered bytes beyond which records are written out without waiting for flush().
    static constexpr size_t kBufferLimit = size_t(1) << 20;

private:
    RecordWriter(int fd, std::string path, uint64_t size);
    char* reserveBytes(size_t n);
    char* reserveRecord(size_t payloadSize);
    void commitRecord(char* payload, size_t payloadSize);
    bool writeOut();
    bool setError(std::string message);

    int m_fd = -1;
    std::string m_path;
    std::unique_ptr<char[]> m_buf;
    size_t m_len = 0;
    size_t m_cap = 0;
    uint64_t m_written = 0;
    std::string m_error;
};

/// What RecordReader::next() found.
enum class RecordStatus {
    Record,       ///< a complete record with valid checksums
    NeedMoreData, ///< the file ends inside a record: not an error, retry from the same record later
    Eof,          ///< the file ends exactly at a record boundary
    Corrupt,      ///< a bad checksum or impossible length; the file is dead from this offset on
};

/// A record returned by RecordReader::next(); `payload` is valid until the next call.
struct RecordRef {
    std::string_view payload;
    uint64_t offset = 0; ///< file offset of the record's first header byte
};

/// Reads the records of a file incrementally: each poll (begin() ... next()
/// ... end()) reads only the bytes appended since the last one. See the essay
/// in record_io.cpp for the rules.
class RecordReader {
public:
    /// How the file looked at the start of a poll.
    enum class FileChange {
        Same,     ///< nothing new (or it grew: new bytes to read)
        Replaced, ///< a different file (inode changed) or it shrank: reading restarts from offset 0
        Missing,  ///< the path does not exist
    };

    /// A reader of `path`; nothing is opened yet.
    explicit RecordReader(std::string path);
    ~RecordReader();
    RecordReader(const RecordReader&) = delete;
    RecordReader& operator=(const RecordReader&) = delete;

    /// Opens the file and notes its size; records up to that size can be read. `wanted` is about how many
    /// bytes the caller means to consume in this poll: reads then stop near there (at least kMinChunkSize, and
    /// always the whole record under way) instead of filling a whole chunk that end() would throw away.
    Expected<FileChange> begin(uint64_t wanted = UINT64_MAX);
    /// The next record; only between begin() and end().
    RecordStatus next(RecordRef& record);
    /// Closes the file and releases the read buffer.
    void end();

    /// Forgets all progress: the next poll reads from offset 0.
    void reset();

    /// File offset of the next unread record (= bytes consumed).
    uint64_t offset() const { return m_offset; }
    /// File size seen by the last begin().
    uint64_t fileSize() const { return m_size; }
    /// True after a Corrupt result (until the file is replaced).
    bool dead() const { return m_dead; }
    /// Offset of the corrupt record when dead().
    uint64_t errorOffset() const { return m_errorOffset; }
    /// "<path>: corrupted record at <offset> (<reason>)" when dead().
    const std::string& error() const { return m_error; }
    /// The file's path.
    const std::string& path() const { return m_path; }

    /// Largest read(2) the reader issues.
    static constexpr size_t kChunkSize = size_t(1) << 20;
    /// Smallest read(2) when begin() was told how much is wanted.
    static constexpr size_t kMinChunkSize = size_t(16) << 10;

private:
    bool ensure(size_t n);
    RecordStatus corrupt(std::string reason);

    std::string m_path;
    int m_fd = -1;
    bool m_known = false; // m_dev/m_ino describe the file we have been reading
    uint64_t m_dev = 0;
    uint64_t m_ino = 0;
    uint64_t m_size = 0;   // size at begin()
    uint64_t m_offset = 0; // file offset of m_buf[m_pos]
    uint64_t m_readUntil = UINT64_MAX; // this poll's reads need not go past here (begin()'s `wanted`)
    std::unique_ptr<unsigned char[]> m_buf;
    size_t m_cap = 0;
    size_t m_pos = 0; // first unconsumed byte in m_buf
    size_t m_len = 0; // bytes held in m_buf
    uint64_t m_needUntil = 0; // an unfinished record at m_offset ends here; nothing to do before the file reaches it
    bool m_dead = false;
    uint64_t m_errorOffset = 0;
    std::string m_error;
};

} // namespace scopeviz
