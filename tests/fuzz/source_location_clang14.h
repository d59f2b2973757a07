#pragma once
// Force-included (-include) by scripts/fuzz.sh into every C++ file of the fuzz
// build. clang 14 lacks __builtin_source_location, so Debian 12's libstdc++ 12
// leaves std::source_location undefined under it, and core/scope uses it
// (docs/toolchain.md §10). This fills the gap from clang's older builtins, only
// when the library did not define it; g++ and newer clang never see it.
#include <cstdint>
#include <source_location>

#if !defined(__cpp_lib_source_location)
namespace std {
struct source_location {
    static constexpr source_location current(const char* file = __builtin_FILE(),
                                             const char* function = __builtin_FUNCTION(),
                                             uint_least32_t line = __builtin_LINE(),
                                             uint_least32_t column = __builtin_COLUMN()) noexcept
    {
        source_location l;
        l.m_file = file;
        l.m_function = function;
        l.m_line = line;
        l.m_column = column;
        return l;
    }
    constexpr source_location() noexcept = default;
    constexpr uint_least32_t line() const noexcept { return m_line; }
    constexpr uint_least32_t column() const noexcept { return m_column; }
    constexpr const char* file_name() const noexcept { return m_file; }
    constexpr const char* function_name() const noexcept { return m_function; }

private:
    const char* m_file = "";
    const char* m_function = "";
    uint_least32_t m_line = 0;
    uint_least32_t m_column = 0;
};
} // namespace std
#endif
