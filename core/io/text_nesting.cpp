// See text_nesting.h. One pass, constant memory: a depth counter, the current
// line start, and whether we are inside a string or a comment.
#include "core/io/text_nesting.h"

namespace scopeviz::detail {

TextNesting scanTextNesting(std::string_view text, int limit)
{
    TextNesting r;
    int depth = 0;
    int line = 1;
    size_t lineStart = 0;
    const size_t n = text.size();
    for (size_t i = 0; i < n; ++i) {
        const char c = text[i];
        switch (c) {
        case '\n':
            ++line;
            lineStart = i + 1;
            break;
        case '#': // a comment runs to the end of the line
            while (i + 1 < n && text[i + 1] != '\n')
                ++i;
            break;
        case '"':
        case '\'': {
            const char quote = c;
            while (i + 1 < n) {
                const char d = text[i + 1];
                if (d == '\n') // unterminated: the tokenizer ends the string here too
                    break;
                ++i;
                if (d == '\\') {
                    if (i + 1 < n && text[i + 1] != '\n')
                        ++i; // the escaped character, whatever it is
                } else if (d == quote) {
                    break;
                }
            }
            break;
        }
        case '{':
        case '<':
        case '[':
            if (depth == 0)
                ++r.topLevelBlocks;
            if (depth == limit) {
                r.exceeded = true;
                r.offset = i;
                r.line = line;
                r.column = int(i - lineStart) + 1;
                r.maxDepth = depth;
                return r;
            }
            ++depth;
            if (depth > r.maxDepth)
                r.maxDepth = depth;
            break;
        case '}':
        case '>':
        case ']':
            if (depth > 0)
                --depth;
            break;
        default: break;
        }
    }
    return r;
}

} // namespace scopeviz::detail
