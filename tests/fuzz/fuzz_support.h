#pragma once
// Helpers shared by the fuzz targets (tests/fuzz, docs/toolchain.md §10). Each
// target defines LLVMFuzzerTestOneInput; it is linked either with libFuzzer
// (clang, SCOPEVIZ_BUILD_FUZZ) or with replay_main.cpp, which feeds it the
// regression corpus in tests/data/fuzz/<target>/ as a plain CTest test.
//
// A target reports a broken invariant with SCOPEVIZ_FUZZ_CHECK, which prints
// the condition and aborts: libFuzzer saves the input as a crash, and the
// replay test fails.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

#define SCOPEVIZ_FUZZ_CHECK(cond)                                                                                      \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);                         \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (0)

namespace scopeviz::fuzz {

/// A file private to this process (in /dev/shm when there is one), for
/// readers that take a path. Removed at exit.
inline const std::string& scratchPath()
{
    static const std::string path = [] {
        const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        std::string p = std::string(dir) + "/scopeviz-fuzz-" + std::to_string(getpid()) + ".tfevents";
        static std::string forExit;
        forExit = p;
        std::atexit([] { ::unlink(forExit.c_str()); });
        return p;
    }();
    return path;
}

/// Replaces the scratch file's contents with `bytes` (same inode: a reader
/// following it sees a file that grew or shrank, not a new one).
inline void writeScratch(std::string_view bytes, bool truncateFirst = true)
{
    const int fd = ::open(scratchPath().c_str(), O_CREAT | O_WRONLY | (truncateFirst ? O_TRUNC : 0), 0600);
    SCOPEVIZ_FUZZ_CHECK(fd >= 0);
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, off_t(done));
        SCOPEVIZ_FUZZ_CHECK(n > 0);
        done += size_t(n);
    }
    ::close(fd);
}

} // namespace scopeviz::fuzz
