// Recognizes the numbering that opens a heading line ("一、", "（一）", "1.", "##").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gouji/document.hpp"

namespace gouji {

struct HeadingShape {
    int level = 0;           // 1: 一、  2: （一）  3: 1.  4: (1)/①; 0: not numbered
    std::string numbering;   // the numbering as folded text: "一", "(一)", "1"
    long long number = 0;    // its value
    std::string title;       // text after the numbering, up to the first 。 when short
    bool short_line = false; // the whole line is heading-sized (no body text after it)
    // Worked out once per block for every template the sections are matched against:
    bool sized = false;          // the title has 1 to 40 characters
    std::string norm_title;      // normalize_label(title) when sized, else empty
    std::uint32_t newlines = 0;  // line breaks in the whole block
};

// Inspects a line (markdown '#' and '**' already stripped by the reader).
HeadingShape heading_shape(std::string_view line);

// heading_shape() of the first line of every block (empty shapes for tables).
std::vector<HeadingShape> heading_shapes(const Document& doc);

}  // namespace gouji
