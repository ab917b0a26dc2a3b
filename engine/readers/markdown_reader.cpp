// Markdown as produced by document converters and OCR tools: ATX headings,
// bold lines and pipe tables, often broken by page boundaries. Lines are never
// merged (the section stage needs them one by one) and tables are never joined
// or padded (the binder knows the template and does that).
#include <algorithm>
#include <optional>
#include <vector>

#include "engine/readers/line_scan.hpp"
#include "engine/readers/markdown_syntax.hpp"
#include "gouji/readers.hpp"

namespace gouji {

namespace {

using line_scan::Span;
using markdown_syntax::heading_level;
using markdown_syntax::is_separator_row;

// "---", "***", "___" on their own: horizontal rules carry no text.
bool is_thematic_break(std::string_view line) {
    if (line.size() < 3 || (line[0] != '-' && line[0] != '*' && line[0] != '_')) return false;
    char mark = line[0];
    std::size_t marks = 0;
    for (char c : line) {
        if (c == mark) ++marks;
        else if (c != ' ' && c != '\t') return false;
    }
    return marks >= 3;
}

// "**text**" -> "text" when the markers wrap the whole span (not "**a** b **c**").
Span unwrap_bold(Span span, bool& bold) {
    std::string_view s = span.text;
    if (s.size() > 4 && s.starts_with("**") && s.ends_with("**")) {
        std::string_view inner = s.substr(2, s.size() - 4);
        if (inner.find("**") == std::string_view::npos) {
            Span unwrapped = line_scan::trim({inner, span.column + 2});
            if (!unwrapped.text.empty()) {
                bold = true;
                return unwrapped;
            }
        }
    }
    return span;
}

// The heading's text without the opening "#"s and an optional closing "#" run.
Span heading_text(Span line, int level) {
    auto hashes = static_cast<std::size_t>(level);
    Span text = line_scan::trim({line.text.substr(hashes), line.column + static_cast<std::uint32_t>(hashes)});
    std::string_view s = text.text;
    std::size_t end = s.size();
    while (end > 0 && s[end - 1] == '#') --end;
    if (end == 0) return {{}, text.column};
    if (end < s.size() && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        text = line_scan::trim({s.substr(0, end), text.column});
    return text;
}

// "<br>", "<br/>", "<BR />" at s[i]; returns its length, 0 when there is none.
std::size_t line_break_tag_at(std::string_view s, std::size_t i) {
    if (s.size() - i < 4 || s[i] != '<' || (s[i + 1] != 'b' && s[i + 1] != 'B') || (s[i + 2] != 'r' && s[i + 2] != 'R'))
        return 0;
    std::size_t j = i + 3;
    while (j < s.size() && s[j] == ' ') ++j;
    if (j < s.size() && s[j] == '/') ++j;
    return j < s.size() && s[j] == '>' ? j + 1 - i : 0;
}

// Cell text: escaped pipes unescaped, <br> and white-space runs collapsed to one space.
std::string cell_text(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < raw.size();) {
        if (std::size_t tag = line_break_tag_at(raw, i)) {
            pending_space = true;
            i += tag;
            continue;
        }
        std::size_t length = 0;
        char32_t c = line_scan::char_at(raw, i, length);
        if (line_scan::is_blank(c)) {
            pending_space = true;
            i += length;
            continue;
        }
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        if (c == '\\' && i + 1 < raw.size() && raw[i + 1] == '|') {
            out.push_back('|');
            i += 2;
            continue;
        }
        out.append(raw.substr(i, length));
        i += length;
    }
    return out;
}

// Cells of a row line that starts with '|': split on unescaped pipes; the
// empty piece after a closing pipe is not a cell.
std::vector<TableCell> split_row(Span row, std::uint32_t line_number, std::uint32_t row_index,
                                 line_scan::BlockBudget& budget) {
    std::vector<TableCell> cells;
    std::string_view s = row.text;
    cells.reserve(static_cast<std::size_t>(std::count(s.begin(), s.end(), '|')));
    std::size_t cell_start = 1;
    std::uint32_t cell_column = row.column + 1;
    std::uint32_t column = cell_column;
    auto finish_cell = [&](std::size_t end) {
        std::string_view raw = s.substr(cell_start, end - cell_start);
        Span content = line_scan::trim({raw, cell_column});
        budget.spend({line_number, cell_column, 0});
        TableCell& cell = cells.emplace_back();
        cell.text = cell_text(content.text);
        cell.pos.line = line_number;
        cell.pos.column = content.text.empty() ? cell_column : content.column;
        cell.row = row_index;
        cell.col = static_cast<std::uint32_t>(cells.size() - 1);
    };
    for (std::size_t i = 1; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size() && s[i + 1] == '|') {
            ++i;
            column += 2;
            continue;
        }
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
        if (c != '|') continue;
        finish_cell(i);
        cell_start = i + 1;
        cell_column = column;
    }
    if (cell_start < s.size()) finish_cell(s.size());
    return cells;
}

class MarkdownBuilder {
public:
    MarkdownBuilder(Document& document, line_scan::BlockBudget& budget) : document_(document), budget_(budget) {}

    void line(std::uint32_t line_number, std::string_view raw) {
        Span content = line_scan::trim({raw, 1});
        if (content.text.empty()) {
            close_table();
            return;
        }
        // Page footers of PDF extracts fall inside tables; skipping them keeps the table whole.
        if (line_scan::is_page_furniture(content.text)) return;
        if (content.text.front() == '|') {
            table_row(line_number, content);
            return;
        }
        close_table();
        if (is_thematic_break(content.text)) return;
        if (int level = heading_level(content.text)) {
            add_text_block(BlockKind::Heading, level, line_number, heading_text(content, level));
            return;
        }
        add_text_block(BlockKind::Paragraph, 0, line_number, content);
    }

    void finish() { close_table(); }

private:
    void add_text_block(BlockKind kind, int level, std::uint32_t line_number, Span text) {
        bool bold = false;
        text = unwrap_bold(text, bold);
        if (text.text.empty()) return;
        budget_.spend({line_number, text.column, 0});
        Block& block = document_.blocks.emplace_back();
        block.kind = kind;
        block.heading_level = level;
        block.bold = bold;
        block.text = std::string(text.text);
        block.pos.line = line_number;
        block.pos.column = text.column;
    }

    void table_row(std::uint32_t line_number, Span row) {
        if (!table_) {
            table_.emplace();
            table_->pos.line = line_number;
            table_->pos.column = row.column;
        }
        if (is_separator_row(row.text)) return;
        auto row_index = static_cast<std::uint32_t>(table_->rows.size());
        std::vector<TableCell> cells = split_row(row, line_number, row_index, budget_);
        if (cells.empty()) return;
        table_->column_count = std::max(table_->column_count, static_cast<std::uint32_t>(cells.size()));
        table_->rows.push_back(std::move(cells));
    }

    void close_table() {
        if (!table_) return;
        if (!table_->rows.empty()) {
            Block& block = document_.blocks.emplace_back();
            block.kind = BlockKind::Table;
            block.pos = table_->pos;
            block.table = std::move(*table_);
        }
        table_.reset();
    }

    Document& document_;
    line_scan::BlockBudget& budget_;
    std::optional<Table> table_;
};

}  // namespace

Document read_markdown(const std::string& path, std::string_view bytes, const ReadLimits& limits) {
    Document document;
    document.path = path;
    document.format = std::string(to_string(Format::Markdown));
    std::string text = decode_text(path, bytes, document.encoding);
    line_scan::BlockBudget budget(path, limits.max_blocks);
    MarkdownBuilder builder(document, budget);
    line_scan::for_each_line(text, [&](std::uint32_t line_number, std::string_view line) { builder.line(line_number, line); });
    builder.finish();
    document.text = std::move(text);
    return document;
}

}  // namespace gouji
