// Words for a finding's parts that the terminal listing, SARIF and JUnit say
// alike, so that a value reads the same in every format.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gouji/finding.hpp"

namespace gouji {

// A value as the terminal listing shows it: its text as written (the start of a
// long one, on one line), "0 (blank)" for a blank read as 0, "(slash)" for none.
std::string cell_value_text(const CellRef& cell);
// "1 report", "2 reports": a count and its English word (which takes an s).
std::string plural(std::size_t n, std::string_view word);
// "file:line:column" (with ":page N" before the line in a PDF), or the file alone
// when the position is unknown.
std::string position_text(const std::string& file, const SourcePos& pos);
// What a suggestion mends, as every listing closes its line: " (makes T3-BALANCE[c=商业企业], … hold)".
std::string suggestion_fixes_text(const Suggestion& s);
// A run's arguments as one line a POSIX shell would read back into them: a word
// of plain characters (UTF-8 ones too: Chinese file names read as they are) bare,
// any other in single quotes. SARIF's commandLine and the HTML page's heading.
std::string shell_command_line(const std::vector<std::string>& arguments);

}  // namespace gouji
