// Source text and positions: every value gouji reports can be traced back to a
// line and column of the file the user gave, whatever the file's encoding or format.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gouji {

// A place in the original document. `line` and `column` are 1-based; the column
// counts Unicode characters (not bytes), so it means the same thing for a UTF-8
// and a GB18030 file. Formats without lines use them as documented per reader:
// DOCX: line = paragraph number in document order; PDF: `page` is set and line is
// the line within the extracted text of the whole document. line == 0 means unknown.
struct SourcePos {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t page = 0;

    bool known() const { return line != 0; }
    friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

// An input problem the user must fix: unreadable file, undecidable encoding,
// corrupt container, rule syntax error... `what()` is the bare message; use
// `describe()` for the one-line "file:line:column: error: message" form.
class InputError : public std::runtime_error {
public:
    InputError(std::string file, SourcePos pos, std::string message, std::string hint = {})
        : std::runtime_error(message), file_(std::move(file)), pos_(pos), hint_(std::move(hint)) {}

    const std::string& file() const { return file_; }
    SourcePos pos() const { return pos_; }
    const std::string& hint() const { return hint_; }
    // The id of the rule the error is about, when it is one that could not finish on
    // a report (check's JSON `rule_errors[].rule`); empty otherwise.
    const std::string& rule() const { return rule_; }
    void set_rule(std::string id) { rule_ = std::move(id); }
    // "file:line:column: error: message (hint)" — always exactly one line.
    std::string describe() const;

private:
    std::string file_;
    SourcePos pos_;
    std::string hint_;
    std::string rule_;
};

// `text` as a terminal may show it: a control character (an ESC that would start
// a terminal command, a bell, a carriage return that overwrites the line; C0, DEL
// and C1) becomes U+FFFD. With `keep_layout`, tabs and line breaks stay, for
// report text and messages; a file name keeps none.
std::string printable(std::string_view text, bool keep_layout = true);

// Decoded text of a whole file (always UTF-8 after decoding) with a line index,
// so a byte offset into `text` can be turned into a line/column of the original.
class SourceText {
public:
    SourceText() = default;
    SourceText(std::string name, std::string utf8_text);

    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }
    std::size_t line_count() const { return line_starts_.size(); }
    // Byte offset (into text()) -> 1-based line and character column.
    SourcePos position_of(std::size_t byte_offset) const;
    // The text of a 1-based line without its line terminator.
    std::string_view line(std::uint32_t line_number) const;

private:
    // Lines longer than a stretch are counted from the last stretch boundary before
    // the offset: a column counted from the line's start made each position on a
    // 400 KB line (a pack's list written on one line) cost the whole line, and
    // compiling one such rule took seconds.
    static constexpr std::size_t kStretch = 4096;
    std::string name_;
    std::string text_;
    std::vector<std::size_t> line_starts_;
    // [k]: characters from the start of the line holding byte k * kStretch to that
    // byte, for the stretches that fall inside a line; empty when no line is that long.
    std::vector<std::size_t> chars_before_stretch_;
};

}  // namespace gouji
