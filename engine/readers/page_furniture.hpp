// Page furniture: the page numbers and running headers/footers that a paginated
// document prints on every page. In PDFs, and in text extracted from them, they
// land in the middle of sentences and tables, so readers drop them first.
#pragma once

#include <string_view>

namespace gouji {

// True when the whole line (surrounding white space ignored, full-width forms
// folded) is a page-number marker that is never content: "— 5 —", "- 5 -", "－5－",
// "第 5 页", "第5页 共9页", "共9页 第五页", "5/9" (first ≤ second), "Page 5 of 9".
// A bare "5" is not: in flattened tables a number alone on a line is a cell; only a
// reader that knows where the line sits on the page may drop it.
bool is_page_furniture_line(std::string_view line);

// True when the line is nothing but an integer of 1 to 4 digits ("5", "１２").
bool is_bare_page_number(std::string_view line);

}  // namespace gouji
