// The two Markdown constructs that both the format sniffer and the Markdown
// reader recognize: ATX headings and pipe-table separator rows.
#pragma once

#include <algorithm>
#include <string_view>

namespace gouji::markdown_syntax {

// ATX heading level (1-6) of a line without leading white space; 0 when it is
// not one. "#标题" without a space is not a heading (CommonMark), nor is "#######".
inline int heading_level(std::string_view line) {
    std::size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    if (hashes == 0 || hashes > 6) return 0;
    if (hashes < line.size() && line[hashes] != ' ' && line[hashes] != '\t') return 0;
    return static_cast<int>(hashes);
}

// "|---|:---:|" — the row under a pipe table's header (and, in converted
// documents, under every page's first row).
inline bool is_separator_row(std::string_view line) {
    if (line.find('-') == std::string_view::npos || line.find('|') == std::string_view::npos) return false;
    return std::all_of(line.begin(), line.end(),
                       [](char c) { return c == '|' || c == '-' || c == ':' || c == ' ' || c == '\t'; });
}

}  // namespace gouji::markdown_syntax
