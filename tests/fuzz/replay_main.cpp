// Replays a fuzz target's regression corpus without libFuzzer: every file in
// the folders given on the command line (default: SCOPEVIZ_FUZZ_CORPUS, which
// CMake sets to tests/data/fuzz/<target>) is passed to LLVMFuzzerTestOneInput
// once. A broken invariant aborts, a sanitizer report fails the test; an empty
// or missing folder fails too, so a lost corpus is noticed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    std::vector<std::string> dirs(argv + 1, argv + argc);
    if (dirs.empty())
        dirs.push_back(SCOPEVIZ_FUZZ_CORPUS);
    int total = 0;
    for (const std::string& dir : dirs) {
        std::error_code ec;
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_regular_file())
                files.push_back(it->path());
        if (ec || files.empty()) {
            std::fprintf(stderr, "%s: no corpus files (%s)\n", dir.c_str(), ec ? ec.message().c_str() : "empty");
            return 1;
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            std::ifstream in(f, std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::fprintf(stderr, "replay %s (%zu bytes)\n", f.c_str(), bytes.size());
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
            ++total;
        }
    }
    std::fprintf(stderr, "%d inputs replayed\n", total);
    return 0;
}
