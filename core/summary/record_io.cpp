// Record framing: writing and incremental reading.
//
// Reading a file that another process is still writing
// ----------------------------------------------------
// An event file only ever grows, by whole or partial records: a writer's
// buffer may reach the disk in arbitrary pieces (TF 0.12 flushed 4 KiB pages,
// which is how a real file in the test data ends in the middle of a record).
// The reader therefore keeps exactly one piece of state between polls: the
// file offset of the first record it has not returned yet. A poll
//
//   1. opens the path and fstat()s it. A different inode, or a size smaller
//      than our offset, means the file was replaced or truncated: our offset
//      no longer means anything, so reading restarts from 0 and the caller is
//      told (FileChange::Replaced) so it can drop what it derived from the old
//      content. (Rewriting a file in place with the same size cannot be
//      detected cheaply and is not handled.)
//   2. reads forward from the offset up to the size seen in step 1, in chunks
//      of up to 1 MiB, never record by record, and never more than the bytes
//      that exist: a buffer is at most min(1 MiB, bytes left) or, for a
//      bigger record, the record's size, which was checked against the file
//      size first. A length field of 2^63 therefore never allocates.
//   3. per record: fewer than 12 header bytes, or fewer than length + 4 body
//      bytes, is NeedMoreData (the writer has not finished; retry later from
//      the same record start); zero bytes left at a record boundary is Eof.
//      A bad length CRC means the stream can no longer be framed, a length
//      above 2 GiB cannot be a protobuf message, and a bad payload CRC means
//      the bytes are damaged: each is Corrupt, "corrupted record at
//      <offset>" (TensorFlow's text) with the path, and the file is dead from
//      there on. Records before it were already returned and stay valid.
//   4. closes the file and frees the buffer, so idle readers hold no file
//      descriptors and no memory (a logdir may hold thousands of files).
//
// A length whose CRC is valid but which points past the end of the file is
// NOT corruption: it is exactly what a half-written record looks like.
#include "core/summary/record_io.h"

#include "core/proto/crc32c.h"
#include "core/util/strings.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace scopeviz {
namespace {

inline void storeLe64(char* p, uint64_t v) { std::memcpy(p, &v, 8); } // little-endian hosts only
inline void storeLe32(char* p, uint32_t v) { std::memcpy(p, &v, 4); }

inline uint64_t loadLe64(const unsigned char* p)
{
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
inline uint32_t loadLe32(const unsigned char* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

std::string errnoText(int err) { return std::strerror(err); }

} // namespace

void appendRecord(std::string& out, std::string_view payload)
{
    char header[kRecordHeaderSize];
    storeLe64(header, payload.size());
    storeLe32(header + 8, maskedCrc32c(header, 8));
    out.append(header, kRecordHeaderSize);
    out.append(payload);
    char footer[kRecordFooterSize];
    storeLe32(footer, maskedCrc32c(payload.data(), payload.size()));
    out.append(footer, kRecordFooterSize);
}

// ---- RecordWriter -----------------------------------------------------------

Expected<std::unique_ptr<RecordWriter>> RecordWriter::open(const std::string& path, Mode mode)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
    switch (mode) {
    case Mode::CreateNew: flags |= O_EXCL; break;
    case Mode::Truncate: flags |= O_TRUNC; break;
    case Mode::Append: flags |= O_APPEND; break;
    }
    const int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0)
        return unexpected(cat(path, ": cannot open for writing: ", errnoText(errno)));
    struct stat st {};
    uint64_t size = 0;
    if (mode == Mode::Append && ::fstat(fd, &st) == 0)
        size = uint64_t(st.st_size);
    return std::unique_ptr<RecordWriter>(new RecordWriter(fd, path, size));
}

RecordWriter::RecordWriter(int fd, std::string path, uint64_t size)
    : m_fd(fd), m_path(std::move(path)), m_written(size)
{
}

RecordWriter::~RecordWriter()
{
    if (m_fd >= 0) {
        writeOut();
        ::close(m_fd);
    }
}

bool RecordWriter::setError(std::string message)
{
    if (m_error.empty())
        m_error = std::move(message);
    return false;
}

bool RecordWriter::writeOut()
{
    if (!m_error.empty())
        return false;
    size_t done = 0;
    while (done < m_len) {
        const ssize_t n = ::write(m_fd, m_buf.get() + done, m_len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            // Keep what was not written at the front, so nothing is silently lost.
            std::memmove(m_buf.get(), m_buf.get() + done, m_len - done);
            m_len -= done;
            m_written += done;
            return setError(cat(m_path, ": write failed at offset ", m_written, ": ", errnoText(errno)));
        }
        done += size_t(n);
    }
    m_written += m_len;
    m_len = 0;
    return true;
}

// Returns room for n more bytes at the end of the buffer (not yet counted in m_len).
char* RecordWriter::reserveBytes(size_t n)
{
    if (!m_error.empty())
        return nullptr;
    if (m_fd < 0) {
        setError(cat(m_path, ": write after close"));
        return nullptr;
    }
    if (m_len + n > m_cap) {
        if (m_len > 0 && m_len + n > kBufferLimit && !writeOut())
            return nullptr;
        if (m_len + n > m_cap) {
            size_t cap = std::max<size_t>(m_cap * 2, 64 * 1024);
            cap = std::max(std::min(cap, kBufferLimit), m_len + n);
            auto grown = std::make_unique_for_overwrite<char[]>(cap);
            if (m_len)
                std::memcpy(grown.get(), m_buf.get(), m_len);
            m_buf = std::move(grown);
            m_cap = cap;
        }
    }
    return m_buf.get() + m_len;
}

char* RecordWriter::reserveRecord(size_t payloadSize)
{
    char* header = reserveBytes(payloadSize + kRecordHeaderSize + kRecordFooterSize);
    if (!header)
        return nullptr;
    storeLe64(header, payloadSize);
    storeLe32(header + 8, maskedCrc32c(header, 8));
    return header + kRecordHeaderSize;
}

Expected<void> RecordWriter::takeBuffered(RecordWriter& other)
{
    if (other.m_len > 0) {
        char* dst = reserveBytes(other.m_len);
        if (!dst)
            return unexpected(m_error);
        std::memcpy(dst, other.m_buf.get(), other.m_len);
        m_len += other.m_len;
        other.m_len = 0;
    }
    return {};
}

void RecordWriter::commitRecord(char* payload, size_t payloadSize)
{
    storeLe32(payload + payloadSize, maskedCrc32c(payload, payloadSize));
    m_len += payloadSize + kRecordHeaderSize + kRecordFooterSize;
}

Expected<void> RecordWriter::write(std::string_view payload)
{
    return writeWith(payload.size(), [&](char* dst) {
        if (!payload.empty())
            std::memcpy(dst, payload.data(), payload.size());
    });
}

Expected<void> RecordWriter::flush()
{
    if (m_fd >= 0)
        writeOut();
    if (!m_error.empty())
        return unexpected(m_error);
    return {};
}

Expected<void> RecordWriter::sync()
{
    if (m_fd >= 0 && writeOut() && ::fsync(m_fd) != 0 && errno != EINVAL && errno != EROFS)
        setError(cat(m_path, ": fsync failed: ", errnoText(errno)));
    if (!m_error.empty())
        return unexpected(m_error);
    return {};
}

Expected<void> RecordWriter::close()
{
    if (m_fd >= 0) {
        (void)sync();
        if (::close(m_fd) != 0)
            setError(cat(m_path, ": close failed: ", errnoText(errno)));
        m_fd = -1;
        m_buf.reset();
        m_cap = 0;
    }
    if (!m_error.empty())
        return unexpected(m_error);
    return {};
}

// ---- RecordReader -----------------------------------------------------------

RecordReader::RecordReader(std::string path) : m_path(std::move(path)) {}

RecordReader::~RecordReader() { end(); }

void RecordReader::reset()
{
    end();
    m_known = false;
    m_offset = 0;
    m_size = 0;
    m_needUntil = 0;
    m_dead = false;
    m_errorOffset = 0;
    m_error.clear();
}

Expected<RecordReader::FileChange> RecordReader::begin(uint64_t wanted)
{
    end();
    int fd;
    do // O_NONBLOCK: a FIFO with an event-file name must not hang the poll (it is rejected below)
        fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return FileChange::Missing;
        return unexpected(cat(m_path, ": cannot open: ", errnoText(errno)));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return unexpected(cat(m_path, ": cannot stat: ", errnoText(err)));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return unexpected(cat(m_path, ": not a regular file"));
    }
    FileChange change = FileChange::Same;
    const uint64_t size = uint64_t(st.st_size);
    if (m_known && (uint64_t(st.st_dev) != m_dev || uint64_t(st.st_ino) != m_ino || size < m_offset)) {
        reset();
        change = FileChange::Replaced;
    }
    m_fd = fd;
    m_known = true;
    m_dev = uint64_t(st.st_dev);
    m_ino = uint64_t(st.st_ino);
    m_size = size;
    m_pos = m_len = 0;
    m_readUntil = wanted > UINT64_MAX - m_offset ? UINT64_MAX : m_offset + wanted;
    return change;
}

void RecordReader::end()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_buf.reset();
    m_cap = m_pos = m_len = 0;
}

// Makes at least n unconsumed bytes available in m_buf, reading more of the
// file if needed. False when the file (as of begin()) does not hold them.
bool RecordReader::ensure(size_t n)
{
    size_t avail = m_len - m_pos;
    if (avail >= n)
        return true;
    const uint64_t fileLeft = m_size - std::min(m_size, m_offset + avail); // bytes after the buffered ones
    if (m_fd < 0 || avail + fileLeft < n)
        return false;
    // Move the unconsumed tail to the front and make room; never beyond the file's bytes.
    if (m_pos > 0 && avail > 0)
        std::memmove(m_buf.get(), m_buf.get() + m_pos, avail);
    m_pos = 0;
    m_len = avail;
    // A chunk, but no more than the poll wants (a sweep's poll takes a few KB of each of 1,000 files; reading
    // a whole chunk of each, to keep a sliver, copied the files many times over).
    const uint64_t bufferedEnd = m_offset + avail;
    const uint64_t wantedLeft = m_readUntil > bufferedEnd ? m_readUntil - bufferedEnd : 0;
    const uint64_t chunk = std::min<uint64_t>(kChunkSize, std::max<uint64_t>(kMinChunkSize, wantedLeft));
    const size_t want = std::max<size_t>(n, size_t(std::min<uint64_t>(chunk, avail + fileLeft)));
    if (want > m_cap) {
        auto grown = std::make_unique_for_overwrite<unsigned char[]>(want);
        if (avail)
            std::memcpy(grown.get(), m_buf.get(), avail);
        m_buf = std::move(grown);
        m_cap = want;
    }
    size_t toRead = size_t(std::min<uint64_t>(m_cap - m_len, fileLeft));
    uint64_t filePos = m_offset + m_len;
    while (toRead > 0) {
        const ssize_t got = ::pread(m_fd, m_buf.get() + m_len, toRead, off_t(filePos));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            // Shrunk while we read (or an I/O error): stop here; the next
            // poll's fstat sees the new size and decides.
            m_size = m_offset + m_len;
            break;
        }
        m_len += size_t(got);
        filePos += uint64_t(got);
        toRead -= size_t(got);
    }
    return m_len - m_pos >= n;
}

RecordStatus RecordReader::corrupt(std::string reason)
{
    m_dead = true;
    m_errorOffset = m_offset;
    m_error = cat(m_path, ": corrupted record at ", m_offset, " (", reason, ")");
    return RecordStatus::Corrupt;
}

RecordStatus RecordReader::next(RecordRef& record)
{
    if (m_dead)
        return RecordStatus::Corrupt;
    // A big record still being written: don't re-read its first bytes on every poll.
    if (m_needUntil > m_size && m_pos == m_len)
        return RecordStatus::NeedMoreData;
    if (!ensure(kRecordHeaderSize))
        return (m_len == m_pos && m_offset >= m_size) ? RecordStatus::Eof : RecordStatus::NeedMoreData;
    const unsigned char* header = m_buf.get() + m_pos;
    const uint64_t length = loadLe64(header);
    if (maskedCrc32c(header, 8) != loadLe32(header + 8))
        return corrupt("bad length checksum");
    if (length > kMaxRecordLength)
        return corrupt(cat("length ", length, " exceeds the largest possible protobuf message"));
    const size_t total = kRecordHeaderSize + size_t(length) + kRecordFooterSize;
    if (!ensure(total)) {
        m_needUntil = m_offset + total;
        return RecordStatus::NeedMoreData;
    }
    m_needUntil = 0;
    const unsigned char* payload = m_buf.get() + m_pos + kRecordHeaderSize; // ensure() may have moved the buffer
    if (maskedCrc32c(payload, size_t(length)) != loadLe32(payload + length))
        return corrupt("bad data checksum");
    record.payload = std::string_view(reinterpret_cast<const char*>(payload), size_t(length));
    record.offset = m_offset;
    m_pos += total;
    m_offset += total;
    return RecordStatus::Record;
}

} // namespace scopeviz
