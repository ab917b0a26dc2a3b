// What the terminal listing and the HTML page show alike of a finding: the
// window of a long source line around it, the cell it is located at, and which
// of its values say why it could not be assessed. Shared so that both outputs
// quote and list the same things.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gouji/finding.hpp"

namespace gouji::quoting {

// What is quoted of a line: the whole line when it fits in 160 terminal
// columns, else a window of it around the finding's character, with "…" where
// it was cut. A report published as one line of megabytes would otherwise be
// quoted whole under every finding on it.
struct QuotedLine {
    std::string text;
    std::uint32_t column = 0;  // the finding's column within `text`
};
QuotedLine quoted_line(std::string_view line, std::uint32_t column);

// Columns a character takes in a terminal: East Asian wide and full-width take two.
std::size_t display_width(char32_t c);

// The value the finding is located at, or null (a finding at a heading).
const CellRef* cell_at_location(const Finding& f);

// The values a finding read that are worth listing: all of an assessable
// one's; of one that could not be assessed, only those that say why (a number
// that is not there, a period or section not found), or when none does, its
// numbers (the arithmetic could not be done: a division by zero).
std::vector<const CellRef*> listed_cells(const Finding& f);

}  // namespace gouji::quoting
