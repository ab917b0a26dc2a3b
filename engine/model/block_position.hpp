// Source positions of characters inside a block's text, for every model stage
// that points into prose: the block's start, its readers' anchors and its line
// breaks say where each character was written.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "gouji/document.hpp"

namespace gouji {

// Character offsets of the '\n's in UTF-8 text, in order.
inline std::vector<std::size_t> newline_offsets(std::string_view utf8) {
    std::vector<std::size_t> out;
    std::size_t chars = 0;
    for (char c : utf8) {
        if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;  // continuation byte
        if (c == '\n') out.push_back(chars);
        ++chars;
    }
    return out;
}

// Position of character `offset` of a text that starts at `start`: counted from
// the last anchor at or before it, a '\n' between them starting a new source line
// at column 1 (as in a text file). `newlines` are the text's '\n' offsets, sorted.
inline SourcePos position_in_text(SourcePos start, std::span<const TextAnchor> anchors,
                                  std::span<const std::size_t> newlines, std::size_t offset) {
    if (!start.known()) return start;
    SourcePos p = start;
    std::size_t from = 0;
    auto anchor = std::upper_bound(anchors.begin(), anchors.end(), offset,
                                   [](std::size_t o, const TextAnchor& a) { return o < a.offset; });
    if (anchor != anchors.begin()) {
        --anchor;
        p = anchor->pos;
        from = anchor->offset;
    }
    auto first = std::lower_bound(newlines.begin(), newlines.end(), from);
    auto after = std::lower_bound(first, newlines.end(), offset);
    if (after == first) {
        p.column += static_cast<std::uint32_t>(offset - from);
    } else {
        p.line += static_cast<std::uint32_t>(after - first);
        p.column = static_cast<std::uint32_t>(offset - *(after - 1));
    }
    return p;
}

}  // namespace gouji
