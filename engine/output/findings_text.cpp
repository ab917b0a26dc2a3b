// The findings for a person at a terminal, compiler style: where, what, the
// line it is about with a caret, the values used, and what would fix it.
#include <fmt/format.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "engine/output/finding_words.hpp"
#include "gouji/check.hpp"
#include "gouji/source.hpp"
#include "gouji/text.hpp"
#include "gouji/value.hpp"
#include "engine/output/quoting.hpp"

namespace gouji {

std::string plural(std::size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

namespace quoting {

std::size_t display_width(char32_t c) {
    auto w = static_cast<UEastAsianWidth>(u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_EAST_ASIAN_WIDTH));
    return w == U_EA_WIDE || w == U_EA_FULLWIDTH ? 2 : 1;
}

namespace {

// Spaces reaching the character at 1-based `column` of `line` on screen.
std::string caret_indent(std::string_view line, std::uint32_t column) {
    std::u32string chars = to_u32(line);
    std::string out;
    for (std::size_t i = 0; i + 1 < column && i < chars.size(); ++i) {
        if (chars[i] == '\t') out += '\t';
        else out.append(display_width(chars[i]), ' ');
    }
    return out;
}

// Terminal columns of a source line quoted under a finding, at most: a report
// published as one line of megabytes would otherwise be quoted whole under every
// finding on it, and the listing would run to gigabytes.
constexpr std::size_t max_quote_width = 160;

// Columns a character may take in the quote's budget: a tab reaches the next
// stop, eight at most.
std::size_t budget_width(char32_t c) { return c == '\t' ? 8 : display_width(c); }

}  // namespace

QuotedLine quoted_line(std::string_view line, std::uint32_t column) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < line.size() && width <= max_quote_width;) width += budget_width(next_char(line, i));
    if (width <= max_quote_width) return {std::string(line), column};

    // Characters are walked with next_char, so a cut never falls inside one;
    // only the window's neighbourhood is kept, since the line may be megabytes.
    const std::size_t room = max_quote_width - 2;  // an ellipsis may take one column each side
    struct Char {
        std::size_t offset, width;
    };
    std::deque<Char> before;  // the characters just before the finding's, at most `room` columns
    std::size_t before_width = 0, at = 0;
    for (std::uint32_t index = 1; index < column && at < line.size(); ++index) {
        std::size_t offset = at;
        std::size_t w = budget_width(next_char(line, at));
        before.push_back({offset, w});
        for (before_width += w; before_width > room; before.pop_front()) before_width -= before.front().width;
    }
    std::size_t after_width = 0;
    for (std::size_t i = at; i < line.size() && after_width < room;) after_width += budget_width(next_char(line, i));
    // Half the room on either side, and what one side lacks goes to the other.
    std::size_t left = std::min(before_width, std::max(room / 2, room - std::min(after_width, room)));
    std::size_t from = at, taken = 0;
    std::uint32_t skipped = 0;  // characters of the window before the finding's
    for (; !before.empty() && taken + before.back().width <= left; before.pop_back(), ++skipped) {
        taken += before.back().width;
        from = before.back().offset;
    }
    std::size_t to = at;
    for (std::size_t used = taken; to < line.size();) {
        std::size_t next = to;
        std::size_t w = budget_width(next_char(line, next));
        if (used + w > room) break;
        used += w;
        to = next;
    }
    QuotedLine quoted;
    if (from > 0) quoted.text = "…";
    quoted.text += line.substr(from, to - from);
    if (to < line.size()) quoted.text += "…";
    quoted.column = skipped + 1 + (from > 0 ? 1 : 0);
    return quoted;
}

const CellRef* cell_at_location(const Finding& f) {
    for (const auto& c : f.cells)
        if (c.pos == f.location.pos && c.table == f.location.table && c.row == f.location.row &&
            c.column == f.location.column)
            return &c;
    return nullptr;
}

std::vector<const CellRef*> listed_cells(const Finding& f) {
    auto says_why = [](const CellRef& c) {
        if (!c.numeric) return c.value.missing == MissingReason::Absent;
        return !(c.value.has_number() && !c.value.approximate);
    };
    const bool some_say_why = std::any_of(f.cells.begin(), f.cells.end(), says_why);
    std::vector<const CellRef*> listed;
    for (const auto& c : f.cells)
        if (f.assessable || (some_say_why ? says_why(c) : c.numeric)) listed.push_back(&c);
    return listed;
}

}  // namespace quoting

namespace {

using quoting::QuotedLine;
using quoting::cell_at_location;
using quoting::quoted_line;

using quoting::caret_indent;

struct Style {
    bool color = false;
    std::string paint(std::string_view code, std::string_view text) const {
        if (!color) return std::string(text);
        return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
    }
    std::string severity(Severity s, std::string_view text) const {
        switch (s) {
            case Severity::Error: return paint("1;31", text);
            case Severity::Warning: return paint("1;33", text);
            case Severity::Info: return paint("1;36", text);
        }
        return std::string(text);
    }
    std::string bold(std::string_view text) const { return paint("1", text); }
    std::string dim(std::string_view text) const { return paint("2", text); }
    std::string good(std::string_view text) const { return paint("32", text); }
};

// The lines of a text or Markdown report the findings point at, kept when it was
// checked (ReportFindings::source_lines).
class SourceLines {
public:
    explicit SourceLines(const ReportFindings& report) : lines_(report.source_lines) {}

    std::optional<std::string_view> line(std::uint32_t n) const {
        auto it = lines_.find(n);
        if (it == lines_.end()) return std::nullopt;
        return it->second;
    }

private:
    const std::map<std::uint32_t, std::string>& lines_;
};

constexpr std::size_t max_head_binding_chars = 60;

// A binding or message quoting prose may span lines; a finding's head is one line.
std::string one_line(std::string_view text) {
    std::string s = printable(text);
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}

std::string cell_name(const std::string& table, const std::string& row, const std::string& column) {
    return table + " " + row + " × " + column;
}

// The source under the finding: the line with a caret, or for formats without
// meaningful lines (HTML, DOCX, PDF) the text of the cell or figure it is about.
std::string quote(const Finding& f, const SourceLines& lines, const Style& style) {
    const SourcePos& pos = f.location.pos;
    if (!pos.known()) return {};
    std::string gutter = fmt::format("{:>6} | ", pos.line);
    std::string blank(gutter.size() - 2, ' ');
    if (auto text = lines.line(pos.line)) {
        QuotedLine quoted = quoted_line(*text, pos.column);
        return style.dim(gutter) + one_line(quoted.text) + "\n" + style.dim(blank + "| ") +
               caret_indent(quoted.text, quoted.column) + style.good("^") + "\n";
    }
    const CellRef* cell = cell_at_location(f);
    if (!cell) return {};
    std::string what = cell->table.empty() ? cell->path : cell_name(cell->table, cell->row, cell->column);
    // A table member (表三.blanks_read_as_zero) is shown by a cell of its table: as that cell is written.
    const bool member = !cell->numeric && !cell->row.empty();
    return style.dim(blank + "| ") + "「" + (member ? one_line(cell->text) : cell_value_text(*cell)) + "」 " +
           style.dim("(" + what + ")") + "\n";
}

// The values a finding read (quoting::listed_cells). In a format whose lines are
// no reader's lines (an HTML page of one line of 160,000 characters, a PDF
// page), the column too, which finds the value in the source.
std::string cells_text(const Finding& f, bool with_columns, const Style& style) {
    std::string out;
    for (const CellRef* cell : quoting::listed_cells(f)) {
        const CellRef& c = *cell;
        // A value of last year's report says which file its line is in.
        std::string in = c.file.empty() ? std::string() : one_line(c.file) + " ";
        std::string column = with_columns && c.pos.column ? fmt::format(", column {}", c.pos.column) : std::string();
        std::string at = c.pos.known() ? fmt::format("  ({}line {}{}{})", in, c.pos.line, column,
                                                     c.pos.page ? fmt::format(", page {}", c.pos.page) : std::string())
                                       : std::string();
        // A match captured whole ("captured: 未收到政府信息公开申请") is its own value: said once.
        const std::string value = cell_value_text(c);
        const bool path_says_value = c.path.ends_with(": " + value);
        out += style.dim("       = ") + one_line(c.path) + (path_says_value ? std::string() : " = " + value) + style.dim(at) + "\n";
    }
    return out;
}

std::string suggestion_text(const Suggestion& s, const Style& style) {
    return style.dim("       = ") + style.good("suggestion") + ": " + cell_name(s.table, s.row, s.column) + " " +
           format_number(s.current, s.decimals) + " → " + style.bold(format_number(s.value, s.decimals)) +
           style.dim(suggestion_fixes_text(s)) + "\n";
}

std::string counts_text(const FindingsSummary& s, const Style& style) {
    return fmt::format("{}, {}, {}, {} not assessable", style.severity(Severity::Error, plural(s.errors, "error")),
                       style.severity(Severity::Warning, plural(s.warnings, "warning")), plural(s.infos, "info"),
                       s.not_assessable);
}

// The counts are of the findings written; what --min-severity left out is
// said after them, so that a short listing is not read as a clean report or batch.
std::string not_shown_text(std::size_t not_shown) {
    return not_shown ? " (" + plural(not_shown, "finding") + " below --min-severity not shown)" : std::string();
}

}  // namespace

std::string suggestion_fixes_text(const Suggestion& s) {
    std::string fixes;
    for (const auto& x : s.fixes) fixes += (fixes.empty() ? "" : ", ") + x;
    return " (makes " + fixes + " hold)";
}

std::string shell_command_line(const std::vector<std::string>& arguments) {
    std::string line;
    for (const auto& a : arguments) {
        const bool plain = !a.empty() && std::all_of(a.begin(), a.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80 ||
                   std::string_view("-_./=:,+@%").find(c) != std::string_view::npos;
        });
        std::string word = "'";
        for (char c : a) word += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += (line.empty() ? "" : " ") + (plain ? a : word + "'");
    }
    return line;
}

std::string position_text(const std::string& file, const SourcePos& pos) {
    if (!pos.known()) return file;
    std::string out = file;
    if (pos.page) out += ":page " + std::to_string(pos.page);
    return out + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column == 0 ? 1 : pos.column);
}

std::string cell_value_text(const CellRef& c) {
    // A table cell marked none ("—", "/", "无") that its table means 0 by (T3-BLANK-ZERO):
    // its text, read alone, is no number (a 〇 or ０ is one).
    if (!c.text.empty() && c.value.has_number() && !c.table.empty() && c.numeric && c.value.number == 0) {
        // No word of a catalog makes a blank marker: none is needed to tell one.
        const MissingReason written = parse_cell_value(c.text, {}, NumberWords{}).missing;
        if (written == MissingReason::Dash || written == MissingReason::Slash || written == MissingReason::Nil)
            return one_line(c.text) + " (read as 0)";
    }
    // A cell or figure as written may be a whole page run together: its start is shown.
    if (!c.text.empty()) return one_line(quoted_line(c.text, 1).text);
    // A table cell with a number and no text is a blank its table means 0 by (T3-BLANK-ZERO).
    if (c.value.has_number() && !c.table.empty() && c.numeric) return format_number(c.value.number, c.value.decimals) + " (blank)";
    if (c.value.has_number()) return format_number(c.value.number, c.value.decimals) + c.value.unit;
    return "(" + std::string(to_string(c.value.missing)) + ")";
}

std::string findings_text(const ReportFindings& report, bool color) {
    Style style{color};
    const std::string file = one_line(report.file);
    if (report.error) {
        // In its place, as in every format, besides its line on stderr: results kept
        // in a file (`gouji check batch/ > audit.txt`) say which reports they lack, and why.
        const char* what = report.previous_year ? (report.folder ? "--previous folder gave no report" : "--previous report not used")
                           : report.folder      ? "folder could not be read"
                                                : "could not be read";
        return style.bold("── " + file) + style.dim(std::string(" (") + what + ")") + "\n" +
               style.severity(Severity::Error, report.error->describe()) + "\n\n";
    }
    std::string out = style.bold("── " + file) +
                      style.dim(fmt::format(" ({}, template {}{})", report.format,
                                            report.template_id.empty() ? "unknown" : report.template_id,
                                            report.previous.empty() ? "" : ", previous year " + one_line(report.previous))) +
                      "\n";
    const SourceLines lines(report);
    for (const auto& f : report.findings) {
        // A binding that quotes a whole list sentence ran the head line to 600
        // characters; its start tells the findings of a rule apart, the source line
        // below says the rest. JSON keeps it whole: it identifies the finding.
        std::string label = f.binding.empty() ? f.rule : f.rule + "[" + shortened(f.binding, max_head_binding_chars) + "]";
        out += position_text(file, f.location.pos) + ": " +
               style.severity(f.severity, std::string(to_string(f.severity)) + "[" + one_line(label) + "]") + " " +
               one_line(f.message) + "\n";
        out += quote(f, lines, style);
        out += cells_text(f, report.format != "text" && report.format != "markdown", style);
        if (f.suggestion) out += suggestion_text(*f.suggestion, style);
    }
    return out + "   " + counts_text(summarize(report.findings), style) + not_shown_text(report.findings_not_shown) + "\n\n";
}

std::string batch_summary_text(const BatchTally& tally, bool color) {
    Style style{color};
    std::string out = "checked " + plural(tally.reports, "report");
    // Not a shortfall: files of a folder that are no report (each has its note on
    // stderr). In the one parenthesis, uncoloured, before what the counts miss.
    const std::string passed_over =
        tally.passed_over ? plural(tally.passed_over, "file") + " passed over, not " +
                                (tally.passed_over == 1 ? "a report" : "reports")
                          : "";
    // What the counts leave out: reports and folders not read, last year's
    // reports the rules could not compare with, rules cut short (their findings
    // are partial). Each was an error line on stderr, and exit 2.
    std::vector<std::string> missed;
    // Named, so that results kept in a file (`gouji check DIR > audit.txt`) say which
    // reports they lack: each one's reason is its error line, on stderr.
    if (tally.unreadable) {
        constexpr std::size_t max_named = 10;
        std::string named;
        for (std::size_t i = 0; i < tally.unreadable_files.size() && i < max_named; ++i)
            named += (i ? ", " : "") + one_line(tally.unreadable_files[i]);
        if (tally.unreadable_files.size() > max_named)
            named += fmt::format(" and {} more", tally.unreadable_files.size() - max_named);
        missed.push_back(fmt::format("{} could not be read{}", tally.unreadable, named.empty() ? "" : ": " + named));
    }
    if (tally.unreadable_folders)
        missed.push_back(plural(tally.unreadable_folders, "folder") + " could not be read");
    if (tally.unreadable_previous)
        missed.push_back(plural(tally.unreadable_previous, "--previous report") + " not used");
    if (tally.unreadable_previous_folders)
        missed.push_back(plural(tally.unreadable_previous_folders, "--previous folder") + " gave no report");
    if (tally.rule_errors)
        missed.push_back(plural(tally.unfinished_rules.size(), "rule") + " could not finish on " +
                         plural(tally.rule_errors, "report"));
    std::string said;
    for (const auto& m : missed) said += (said.empty() ? "" : "; ") + m;
    if (!said.empty()) out += " (" + (passed_over.empty() ? "" : passed_over + "; ") + style.severity(Severity::Error, said) + ")";
    else if (!passed_over.empty()) out += " (" + passed_over + ")";
    out += ": " + counts_text(tally.findings, style);
    return out + not_shown_text(tally.findings_not_shown) + "\n";
}

}  // namespace gouji
