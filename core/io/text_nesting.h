#pragma once
// A pre-scan of protobuf text format (`.pbtxt`) before it is handed to
// protobuf's TextFormat parser. The parser recurses once per nested block, and
// protobuf 3.21 does so without any limit while it skips unknown fields: a
// 20,000-level `unknown { unknown { ...` overflows the stack. The scan counts
// nesting outside strings and comments in one linear pass with no recursion,
// so a file nested too deep is refused before protobuf sees it. Internal to
// core/io.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace scopeviz::detail {

/// What scanTextNesting found.
struct TextNesting {
    int maxDepth = 0;             ///< deepest nesting seen (up to the limit)
    uint64_t topLevelBlocks = 0;  ///< blocks opened at depth 0 (an upper bound of a GraphDef's nodes)
    bool exceeded = false;        ///< the nesting went beyond `limit`
    size_t offset = 0;            ///< exceeded: byte offset of the opening bracket one level too deep
    int line = 0;                 ///< exceeded: its line (1-based)
    int column = 0;               ///< exceeded: its column (1-based, in bytes)
};

/// Scans protobuf text: `{` `<` `[` open a level, `}` `>` `]` close one, except
/// inside "..." and '...' strings (with backslash escapes; a string also ends at
/// a line end, as protobuf's tokenizer has it) and `#` comments. Stops at the
/// first opening bracket that makes the depth exceed `limit`.
TextNesting scanTextNesting(std::string_view text, int limit);

} // namespace scopeviz::detail
