#include "rules/diagnostics.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <vector>

#include "gouji/text.hpp"

namespace gouji {

namespace {

// Columns a character takes in a terminal: East Asian wide and full-width take two.
int display_width(char32_t c) {
    auto w = static_cast<UEastAsianWidth>(u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_EAST_ASIAN_WIDTH));
    return w == U_EA_WIDE || w == U_EA_FULLWIDTH ? 2 : 1;
}

}  // namespace

std::string RuleDiagnostic::render() const {
    // Goes to a terminal, as InputError::describe() does: a control character in
    // a file name or a quoted value must not recolour or clear the user's screen.
    std::string out = printable(file, false);
    // A line without a column has no source to show (one that cannot be decoded).
    const bool shown = pos.known() && (pos.column != 0 || !source_line.empty());
    if (pos.known()) out += ":" + std::to_string(pos.line) + (shown ? ":" + std::to_string(pos.column == 0 ? 1 : pos.column) : "");
    std::string said = printable(message);
    std::replace(said.begin(), said.end(), '\n', ' ');
    out += ": error: " + said + "\n";
    if (!shown) return out;
    // A line of thousands of characters (a pack of one line, a run of '[') is
    // shown as a window of display columns around the column (a Chinese
    // character takes two), so the error stays one screen.
    constexpr std::size_t window = 160;
    const std::u32string chars = to_u32(source_line);
    const std::size_t column = pos.column == 0 ? 0 : pos.column - 1;
    std::vector<std::size_t> width_before(chars.size() + 1, 0);  // display columns before each character
    for (std::size_t i = 0; i < chars.size(); ++i)
        width_before[i + 1] = width_before[i] + static_cast<std::size_t>(display_width(chars[i]));
    std::size_t first = 0, end = chars.size();
    if (width_before.back() > window) {
        const std::size_t at = width_before[std::min(column, chars.size())];
        const std::size_t from = std::min(at > window / 2 ? at - window / 2 : 0, width_before.back() - window);
        first = static_cast<std::size_t>(std::lower_bound(width_before.begin(), width_before.end() - 1, from) - width_before.begin());
        for (end = first; end < chars.size() && width_before[end + 1] - width_before[first] <= window;) ++end;
    }
    const std::u32string ellipsis = U"…";
    std::u32string shown_chars = (first > 0 ? ellipsis : U"") + chars.substr(first, end - first) + (end < chars.size() ? ellipsis : U"");
    out += printable(to_utf8(shown_chars)) + "\n";
    std::string caret;
    if (first > 0) caret.append(static_cast<std::size_t>(display_width(ellipsis[0])), ' ');
    for (std::size_t i = first; i < column && i < end; ++i) {
        if (chars[i] == '\t')
            caret += '\t';
        else
            caret.append(static_cast<std::size_t>(display_width(chars[i])), ' ');
    }
    return out + caret + "^\n";
}

std::string render(const std::vector<RuleDiagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) out += d.render();
    return out;
}

namespace rules {

bool Diagnostics::reported(const std::string& file, std::uint32_t line, const std::string& message) const {
    for (std::size_t i = start_; i < out_.size(); ++i)
        if (out_[i].file == file && out_[i].pos.line == line && out_[i].message == message) return true;
    return false;
}

void Diagnostics::error(const SourceText& source, SourcePos pos, std::string message) {
    // The same problem twice on one line (a table used twice…) is reported once.
    if (reported(source.name(), pos.line, message)) return;
    RuleDiagnostic d;
    d.file = source.name();
    d.pos = pos;
    d.message = std::move(message);
    if (pos.known()) d.source_line = std::string(source.line(pos.line));
    out_.push_back(std::move(d));
}

void Diagnostics::add(std::vector<RuleDiagnostic> found) {
    for (auto& d : found)
        if (!d.pos.known() || !reported(d.file, d.pos.line, d.message)) out_.push_back(std::move(d));
}

void Diagnostics::error(const std::string& file, std::string message) {
    RuleDiagnostic d;
    d.file = file;
    d.message = std::move(message);
    out_.push_back(std::move(d));
}

void Diagnostics::error(const YamlText& text, std::uint32_t offset, std::string message) {
    if (!text.source) {
        RuleDiagnostic d;
        d.message = std::move(message);
        out_.push_back(std::move(d));
        return;
    }
    error(*text.source, text.position(offset), std::move(message));
}

}  // namespace rules

}  // namespace gouji
