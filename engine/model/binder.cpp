#include "engine/model/binder.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/model/block_position.hpp"
#include "engine/model/labels.hpp"
#include "engine/model/narrative.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace binding {

enum class TokenKind { Label, Value, Empty, RowEnd };

// Labels are at most 60 characters (labels.hpp); 3 bytes a character, with room for spaces.
constexpr std::size_t kMaxLabelBytes = 240;

struct Token {
    TokenKind kind = TokenKind::Label;
    std::string text;
    // normalize_label(text) and its char_signature(), for a label of at most
    // kMaxLabelBytes; made on first use, since most prose lines are never compared.
    const std::string& norm() const {
        if (!normalized) {
            normalized = true;
            if (kind == TokenKind::Label && text.size() <= kMaxLabelBytes) {
                norm_ = normalize_label(text);
                signature_ = char_signature(norm_);
            }
        }
        return norm_;
    }
    std::uint64_t signature() const {
        norm();
        return signature_;
    }
    Value value;
    SourcePos pos;
    int table = -1;    // index of the document table, -1 for prose lines
    std::uint32_t grid_row = 0;  // the grid row a table cell starts in
    std::uint32_t col = 0;
    std::uint32_t colspan = 1;

private:
    mutable bool normalized = false;
    mutable std::string norm_;
    mutable std::uint64_t signature_ = 0;
};

}  // namespace binding

using binding::Token;
using binding::TokenKind;

namespace {

// A line with a label followed by this many or more numbers (a PDF table row).
constexpr std::size_t kMaxSplitLineChars = 120;

bool is_number_token(const Value& v) { return v.has_number(); }
// A cell that stands where a number should: a number, or a written blank marker.
bool is_value_cell(const Value& v) {
    return v.has_number() || v.missing == MissingReason::Slash || v.missing == MissingReason::Dash ||
           v.missing == MissingReason::Nil || v.beyond_range;
}

Token label_token(std::string text, SourcePos pos, int table = -1, std::uint32_t col = 0, std::uint32_t span = 1) {
    Token t;
    t.kind = TokenKind::Label;
    t.text = std::move(text);
    t.pos = pos;
    t.table = table;
    t.col = col;
    t.colspan = span;
    return t;
}

// Splits a prose line "一、本年新收政府信息公开申请数量 705 3 0 0 5 0 713" into a label and
// its numbers; a line that is only a number is one value token.
// True when the line has an ASCII or full-width digit: lines without one are labels.
bool has_digit(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        if (c >= '0' && c <= '9') return true;
        // U+FF10..U+FF19 are EF BC 90..99 in UTF-8.
        if (c == 0xEF && i + 2 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0xBC &&
            static_cast<unsigned char>(line[i + 2]) >= 0x90 && static_cast<unsigned char>(line[i + 2]) <= 0x99)
            return true;
    }
    return false;
}

bool has_inner_space(std::string_view trimmed) {
    for (std::size_t i = 0; i < trimmed.size();) {
        auto b = static_cast<unsigned char>(trimmed[i]);
        if (b < 0x80 && b != ' ' && (b < '\t' || b > '\r')) {
            ++i;  // the common case, without decoding
            continue;
        }
        // Three-byte characters from U+4000 to U+EFFF (all of CJK) are never white
        // space; prose lines are made of them, so they are stepped over undecoded.
        if (b >= 0xE4 && b <= 0xEE && i + 2 < trimmed.size() &&
            (static_cast<unsigned char>(trimmed[i + 1]) & 0xC0) == 0x80 &&
            (static_cast<unsigned char>(trimmed[i + 2]) & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        if (is_space(next_char(trimmed, i))) return true;
    }
    return false;
}

// Where the characters of one line of a paragraph block are in the source.
struct LinePlace {
    const Block& block;
    std::span<const std::size_t> newlines;  // of the block's text
    std::size_t first_char;                 // the line's offset in the block's text
    SourcePos at(std::size_t column_offset) const {
        return position_in_text(block.pos, block.anchors, newlines, first_char + column_offset);
    }
};

void tokenize_line(std::string_view line, const LinePlace& place, const NumberWords& words, std::vector<Token>& out) {
    const SourcePos pos = place.at(0);
    const std::string_view trimmed = trim_view(line);
    if (!has_digit(line)) {
        // "/", "—", "无" stand where a number should.
        Value v = trimmed.size() <= 3 ? parse_cell_value(trimmed, {}, words) : Value::missing_because(MissingReason::Unparseable);
        if (!is_value_cell(v)) {
            out.push_back(label_token(std::string(trimmed), pos));
            return;
        }
    }
    // Several numbers on one line (a PDF table row) are peeled off below; only a
    // line without inner white space is a single cell.
    bool single_piece = !has_inner_space(trimmed);
    Value whole = single_piece ? parse_cell_value(line, {}, words) : Value::missing_because(MissingReason::Unparseable);
    if (is_value_cell(whole)) {
        Token t;
        t.kind = TokenKind::Value;
        t.text = std::string(trimmed);
        t.value = whole;
        t.pos = pos;
        out.push_back(std::move(t));
        return;
    }
    if (char_count(line) <= kMaxSplitLineChars) {
        // Peel numbers off the end, separated by white space.
        std::u32string s = to_u32(line);
        std::vector<Token> tail;
        std::size_t end = s.size();
        while (end > 0) {
            while (end > 0 && is_space(s[end - 1])) --end;
            std::size_t start = end;
            while (start > 0 && !is_space(s[start - 1])) --start;
            if (start == end) break;
            std::string piece = to_utf8(s.substr(start, end - start));
            Value v = parse_cell_value(piece, {}, words);
            if (!is_value_cell(v)) break;
            Token t;
            t.kind = TokenKind::Value;
            t.text = piece;
            t.value = v;
            t.pos = place.at(start);
            tail.push_back(std::move(t));
            end = start;
        }
        bool has_number = std::any_of(tail.begin(), tail.end(), [](const Token& t) { return t.value.has_number(); });
        if (has_number) {
            if (end > 0) out.push_back(label_token(trim(to_utf8(s.substr(0, end))), pos));
            out.insert(out.end(), tail.rbegin(), tail.rend());
            return;
        }
    }
    out.push_back(label_token(std::string(trimmed), pos));
}

// Every block's tokens, in document order; block_start[b] is where block b's begin.
void tokenize(const Document& doc, const NumberWords& words, std::vector<Token>& tokens, std::vector<std::size_t>& block_start) {
    block_start.reserve(doc.blocks.size() + 1);
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        block_start.push_back(tokens.size());
        const Block& block = doc.blocks[b];
        if (block.kind == BlockKind::Table) {
            int index = static_cast<int>(b);
            const Table& table = block.table;
            if (table.rows.empty()) continue;
            for (const auto& row : table.rows) {
                for (const TableCell& cell : row) {
                    Value v = parse_cell_value(cell.text, {}, words);
                    Token t;
                    if (v.missing == MissingReason::Blank) {
                        t.kind = TokenKind::Empty;
                        t.value = v;
                    } else if (is_value_cell(v)) {
                        t.kind = TokenKind::Value;
                        t.value = v;
                    } else {
                        t = label_token(cell.text, cell.pos);
                    }
                    t.text = cell.text;
                    t.pos = cell.pos.known() ? cell.pos : block.pos;
                    t.table = index;
                    t.grid_row = cell.row;
                    t.col = cell.col;
                    t.colspan = cell.colspan;
                    tokens.push_back(std::move(t));
                }
                Token end;
                end.kind = TokenKind::RowEnd;
                end.table = index;
                tokens.push_back(std::move(end));
            }
            continue;
        }
        std::size_t start = 0;
        const std::string& text = block.text;
        const std::vector<std::size_t> newlines = newline_offsets(text);
        for (std::size_t line = 0; start <= text.size(); ++line) {
            std::size_t nl = text.find('\n', start);
            if (nl == std::string::npos) nl = text.size();
            std::string_view piece = std::string_view(text).substr(start, nl - start);
            if (!trim_view(piece).empty())
                tokenize_line(piece, LinePlace{block, newlines, line == 0 ? 0 : newlines[line - 1] + 1}, words, tokens);
            start = nl + 1;
        }
    }
    block_start.push_back(tokens.size());
}

// ---- label matching ---------------------------------------------------------

// The one row (or column) that a document label names best, with a score of 3 or
// more that no other shares; -1 when none or several do ("行政诉讼" heads two rows).
template <typename Named>
int sole_best_match(const Token& t, const std::vector<Named>& names) {
    if (t.kind != TokenKind::Label || t.norm().empty()) return -1;
    int best = 0, index = -1, ties = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        int sc = label_score(t.norm(), t.signature(), names[i]);
        if (sc > best) {
            best = sc;
            index = static_cast<int>(i);
            ties = 1;
        } else if (sc == best && sc > 0) {
            ++ties;
        }
    }
    return best >= 3 && ties == 1 ? index : -1;
}

// True when a label names the table or one of its rows, columns, row groups or
// (with `column_groups`) column groups: such labels may stand between a table's
// values; any other text ends the table.
bool names_part_of(const Token& t, const TableSchema& schema, bool column_groups = true) {
    if (t.kind != TokenKind::Label || t.norm().empty()) return false;
    auto named = [&](const NamedLabel& n) { return label_score(t.norm(), t.signature(), n) >= 3; };
    return named(schema) || std::any_of(schema.columns.begin(), schema.columns.end(), named) ||
           std::any_of(schema.rows.begin(), schema.rows.end(), named) ||
           std::any_of(schema.groups.begin(), schema.groups.end(), named) ||
           (column_groups && std::any_of(schema.column_groups.begin(), schema.column_groups.end(), named));
}

// ---- value rows ---------------------------------------------------------------

struct ValueRow {
    std::vector<const Token*> labels;  // labels since the previous value row, nearest last
    std::vector<const Token*> cells;   // from the first value cell on (grid: with empties)
    std::vector<const Token*> header;  // the most recent column-header labels
    std::vector<const Token*> texts;   // grid: text among the cells ("暂无"), by its grid column
    // Grid: the empty cells after the last value ("| 0 | 0 |  |"), kept apart from
    // `cells`, which they would make look longer than its values: a column placed
    // by the header over one of them is blank, not lost from the row.
    std::vector<const Token*> trailing_empties;
    int table = -1;
    std::uint32_t grid_width = 0;      // grid rows: one past the last cell's column, empty cells included
    // A flat table's (表四's) grid row of blank cells, after a label in its first cell
    // (`blank_row_label`) or not: the table's cells when it holds fewer values than a
    // row of it has cells (a form left blank; FlatBinder::bind), else passed over.
    bool blank_only = false;
    const Token* blank_row_label = nullptr;
    std::size_t number_count() const {
        return static_cast<std::size_t>(
            std::count_if(cells.begin(), cells.end(), [](const Token* t) { return t->kind == TokenKind::Value; }));
    }
};

bool is_column_header(const Token& t, const TableSchema& schema) {
    if (t.kind != TokenKind::Label) return false;
    for (const auto& c : schema.columns)
        if (may_score_3(t.norm(), c) && label_score(t.norm(), t.signature(), c) >= 3) return true;
    return false;
}

// Whether the grid row after the one ending at `end` holds numbers under no row
// label of its own: the label above is wrapped over two lines ("（二）部分公开" above
// "（区分处理的，只计这一情形，不计其他情形）" and the numbers), and joins them.
bool continued_below(std::span<const Token> tokens, std::size_t end, const TableSchema& schema) {
    std::size_t next = end;
    while (next < tokens.size() && tokens[next].kind == TokenKind::RowEnd) ++next;
    if (next >= tokens.size() || tokens[next].table != tokens[end - 1].table) return false;
    const Token* last_label = nullptr;
    bool numbers = false;
    for (std::size_t k = next; k < tokens.size() && tokens[k].kind != TokenKind::RowEnd; ++k) {
        if (tokens[k].kind == TokenKind::Label && !numbers) last_label = &tokens[k];
        numbers = numbers || (tokens[k].kind == TokenKind::Value && is_number_token(tokens[k].value));
    }
    return numbers && (!last_label || sole_best_match(*last_label, schema.rows) < 0);
}

// Where the cells of grid row [begin, end) start when no cell of it has a number
// (a township's 表三 written all "/", "无", "—", or left blank), or `end` when the
// row is no row of values (a header row, a group's own line). Values written with
// no number ("/") start the cells when every label stands before them: a corner
// cell "/" before the column labels heads a header. A row of blank cells alone
// is one when its last label names a row of the template (not a column the
// header ends with: "其他 |  |" under 法人或其他组织; nor a group's) and no two of its
// labels name columns; in a grid table (表二, 表三) only: the headers of a flat one (表四) name
// its rows (复议后起诉) above blank cells.
std::size_t numberless_cells_start(std::span<const Token> tokens, std::size_t begin, std::size_t end,
                                   std::size_t first_value, const TableSchema& schema) {
    if (first_value < end) {
        for (std::size_t k = first_value; k < end; ++k)
            if (tokens[k].kind == TokenKind::Label) return end;
        return first_value;
    }
    if (schema.layout == TableLayout::Flat) return end;
    std::size_t last_label = end, column_labels = 0;
    for (std::size_t k = begin; k < end; ++k)
        if (tokens[k].kind == TokenKind::Label) {
            last_label = k;
            column_labels += is_column_header(tokens[k], schema) ? 1 : 0;
        }
    if (last_label == end || last_label + 1 == end || column_labels > 1) return end;
    // A group's own line ("（六）其他处理" over its three rows) names no row, whatever it shares with one.
    const int row = sole_best_match(tokens[last_label], schema.rows);
    if (row < 0) return end;
    const Token& label = tokens[last_label];
    const int row_score = label_score(label.norm(), label.signature(), schema.rows[static_cast<std::size_t>(row)]);
    for (const auto& group : schema.groups)
        if (label_score(label.norm(), label.signature(), group) >= row_score) return end;
    if (is_column_header(tokens[last_label], schema) && end - last_label - 1 < 2) return end;
    if (continued_below(tokens, end, schema)) return end;
    return last_label + 1;
}

// Whether text is written the way a number is, with something more: a footnote mark,
// a word ("80*", "80余人次"), or Chinese numerals alone ("八十"). Short, as a cell's
// value is.
bool written_like_a_number(const std::string& text) {
    constexpr std::size_t kMostChars = 8;
    if (text.empty() || char_count(text) > kMostChars) return false;
    if (has_digit(text)) return true;
    for (char32_t c : to_u32(text))
        if (std::u32string_view(U"〇零一二两三四五六七八九十百千万亿").find(c) == std::u32string_view::npos) return false;
    return true;
}

// Whether label token k of the grid row starting at `row_begin` is a cell of the row
// written like a number ("80*" under 自然人), not a label of it: a label of the row
// stands before it, and it names nothing of the table.
bool text_cell_before_values(std::span<const Token> tokens, std::size_t row_begin, std::size_t k,
                             const TableSchema& schema) {
    const Token& t = tokens[k];
    if (t.kind != TokenKind::Label || !written_like_a_number(trim(t.text)) || names_part_of(t, schema)) return false;
    for (std::size_t j = row_begin; j < k; ++j)
        if (tokens[j].kind == TokenKind::Label && !written_like_a_number(trim(tokens[j].text))) return true;
    return false;
}

std::vector<ValueRow> segment(std::span<const Token> tokens, const TableSchema& schema) {
    std::vector<ValueRow> rows;
    std::vector<const Token*> pending;     // labels since the last value row
    std::vector<const Token*> header;      // current column header labels
    std::vector<const Token*> new_header;  // header labels being collected
    ValueRow current;                      // prose mode: the run being collected
    auto note_label = [&](const Token* t) {
        pending.push_back(t);
        if (is_column_header(*t, schema)) new_header.push_back(t);
    };
    auto close_run = [&]() {
        if (current.cells.empty()) return;
        if (current.number_count() > 0) rows.push_back(std::move(current));
        current = ValueRow{};
    };
    auto start_row = [&](ValueRow& row) {
        if (!new_header.empty()) {
            header = new_header;
            new_header.clear();
        }
        row.labels = pending;
        row.header = header;
        pending.clear();
    };

    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.table >= 0) {
            close_run();
            // Gather one grid row.
            std::size_t end = i;
            while (end < tokens.size() && tokens[end].kind != TokenKind::RowEnd) ++end;
            std::size_t first_value = end;
            for (std::size_t k = i; k < end; ++k)
                if (tokens[k].kind == TokenKind::Value) { first_value = k; break; }
            bool has_number = false;
            for (std::size_t k = first_value; k < end; ++k) has_number = has_number || is_number_token(tokens[k].value);
            if (!has_number) first_value = numberless_cells_start(tokens, i, end, first_value, schema);
            const std::size_t blanks_from = i < end && tokens[i].kind == TokenKind::Label ? i + 1 : i;
            const bool blanks_alone =
                schema.layout == TableLayout::Flat && first_value == end && blanks_from < end &&
                std::all_of(tokens.begin() + static_cast<std::ptrdiff_t>(blanks_from),
                            tokens.begin() + static_cast<std::ptrdiff_t>(end),
                            [](const Token& k) { return k.kind == TokenKind::Empty; });
            if (blanks_alone) {
                // Its label is still noted, as any label of a row without values: a header
                // line that lost its spans ("| 行政复议 |  |  |  |  |  |") reads the same, and
                // the value rows after it need it. No start_row(): what is pending stays theirs.
                if (blanks_from > i) note_label(&tokens[i]);
                ValueRow row;
                row.table = t.table;
                row.blank_only = true;
                if (blanks_from > i) row.blank_row_label = &tokens[i];
                for (std::size_t k = blanks_from; k < end; ++k) row.cells.push_back(&tokens[k]);
                rows.push_back(std::move(row));
            } else if (first_value == end) {
                for (std::size_t k = i; k < end; ++k)
                    if (tokens[k].kind == TokenKind::Label) note_label(&tokens[k]);
            } else {
                for (std::size_t k = i; k < first_value; ++k)
                    if (tokens[k].kind == TokenKind::Label) pending.push_back(&tokens[k]);
                ValueRow row;
                start_row(row);
                row.table = t.table;
                for (std::size_t k = i; k < end; ++k) row.grid_width = std::max(row.grid_width, tokens[k].col + tokens[k].colspan);
                std::size_t last = end;
                // A row of blank cells alone: all of them are its cells.
                const bool blank_row = tokens[first_value].kind == TokenKind::Empty;
                while (!blank_row && last > first_value && tokens[last - 1].kind == TokenKind::Empty) --last;
                // Leading empty cells right before the first value may be the blank of a
                // short row; keep the empties adjacent to the label side for layout use.
                // So are text cells written like a number ("80*", "八十") after the row's
                // own label: cells of the row, not labels of it.
                std::size_t begin = first_value;
                while (begin > i && (tokens[begin - 1].kind == TokenKind::Empty ||
                                     text_cell_before_values(tokens, i, begin - 1, schema)))
                    --begin;
                for (std::size_t k = begin; k < last; ++k)
                    (tokens[k].kind != TokenKind::Label ? row.cells : row.texts).push_back(&tokens[k]);
                for (std::size_t k = last; k < end; ++k)
                    if (tokens[k].kind == TokenKind::Empty) row.trailing_empties.push_back(&tokens[k]);
                rows.push_back(std::move(row));
            }
            i = end;
            continue;
        }
        if (t.kind == TokenKind::Value) {
            if (current.cells.empty()) start_row(current);
            current.cells.push_back(&t);
        } else if (t.kind == TokenKind::Label) {
            close_run();
            note_label(&t);
        }
    }
    close_run();
    return rows;
}

// ---- grid headers -------------------------------------------------------------

// A grid's header rows read by grid column: which schema column and which schema
// row each grid column stands under, and which columns the template does not have.
class GridHeader {
public:
    // `column_of[i]`: sole_best_match(labels[i], schema.columns), worked out by the caller.
    void read(const std::vector<const Token*>& labels, const std::vector<int>& column_of, const TableSchema& schema) {
        // Two labels in one grid column naming two columns: the grid columns say nothing.
        bool columns_disagree = false;
        for (std::size_t i = 0; i < labels.size(); ++i) {
            const Token& t = *labels[i];
            width_ = std::max(width_, t.col + t.colspan);
            if (int c = column_of[i]; c >= 0 && t.colspan == 1) {
                if (auto at = columns_.find(t.col); at != columns_.end() && at->second != static_cast<std::size_t>(c))
                    columns_disagree = true;
                columns_[t.col] = static_cast<std::size_t>(c);
                column_labels_[t.col] = &t;
                continue;
            }
            // A header cell of one column that names nothing the template knows (小计,
            // 备注) heads a column the template does not have. So does one naming a column
            // group (法人或其他组织小计, the group's subtotal) where no label in its grid
            // column names a template column (extra_at(), printed_columns()): a group's
            // title that lost its span stands over its first column's label. Cells over
            // several columns are titles or groups, whatever their wording.
            if (t.colspan == 1 && !t.norm().empty() && !names_part_of(t, schema, false)) {
                // A group's name repeated over each of its columns (a merged cell copied
                // into every one) gives way to the column's own label below it (小计).
                auto [at, added] = extra_.emplace(t.col, &t);
                if (!added && !names_part_of(t, schema) && names_part_of(*at->second, schema)) at->second = &t;
                continue;
            }
            int r = sole_best_match(t, schema.rows);
            if (r < 0) continue;
            // Markdown grids lose spans: a row label there reaches to the next label of its row.
            std::uint32_t end = t.col + t.colspan;
            if (t.colspan == 1) {
                end = std::numeric_limits<std::uint32_t>::max();
                for (std::size_t j = i + 1; j < labels.size() && labels[j]->grid_row == t.grid_row; ++j)
                    if (labels[j]->col > t.col) {
                        end = labels[j]->col;
                        break;
                    }
            }
            rows_.push_back({t.grid_row, t.col, end, static_cast<std::size_t>(r)});
        }
        if (columns_disagree) read_lost_spans(labels, column_of, schema);
    }
    // Whether the header's cells lost their spans over several grid rows: its columns
    // are then read as it prints them (printed_columns()), not by grid column.
    bool lost_spans() const { return !lost_spans_.empty(); }
    std::optional<std::size_t> column_at(std::uint32_t col) const {
        auto it = columns_.find(col);
        return it == columns_.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    }
    // The row named over `col` by the lowest header row; else, when the column
    // labels repeat, the row whose repetition `col` is in (template order).
    std::optional<std::size_t> row_at(std::uint32_t col) const {
        const RowSpan* best = nullptr;
        for (const RowSpan& s : rows_)
            if (s.begin <= col && col < s.end && (!best || s.grid_row >= best->grid_row)) best = &s;
        if (best) return best->row;
        std::size_t run = 0;
        std::optional<std::size_t> previous;
        for (const auto& [c, column] : columns_) {
            if (previous && column <= *previous) ++run;
            previous = column;
            if (c == col) return run > 0 || repeats() ? std::optional<std::size_t>(run) : std::nullopt;
        }
        return std::nullopt;
    }
    // The header cell of a column the template does not have, when no label above or
    // below it in the header names a template column.
    const Token* extra_at(std::uint32_t col) const {
        if (columns_.count(col)) return nullptr;
        auto it = extra_.find(col);
        return it == extra_.end() ? nullptr : it->second;
    }
    // The grid column headed by schema column `column` when exactly one is.
    std::optional<std::uint32_t> sole_grid_column(std::size_t column) const {
        std::optional<std::uint32_t> found;
        for (const auto& [col, named] : columns_)
            if (named == column) {
                if (found) return std::nullopt;
                found = col;
            }
        return found;
    }
    // The columns the header prints from its first template column on, left to right: the
    // label of each and the template column it names, none for a column the template
    // does not have (小计, 备注). (Left of the first are the corner and the row labels.)
    // Empty when it names a template column twice.
    struct PrintedColumn {
        const Token* label;
        std::optional<std::size_t> column;
    };
    std::vector<PrintedColumn> printed_columns() const {
        if (lost_spans()) return lost_spans_;
        std::map<std::uint32_t, PrintedColumn> by_col;
        if (columns_.empty()) return {};
        const std::uint32_t first = columns_.begin()->first;
        for (const auto& [col, label] : extra_)
            if (col > first && !columns_.count(col)) by_col.emplace(col, PrintedColumn{label, std::nullopt});
        std::vector<bool> named;
        for (const auto& [col, column] : columns_) {
            if (column >= named.size()) named.resize(column + 1, false);
            if (named[column]) return {};
            named[column] = true;
            by_col.emplace(col, PrintedColumn{column_labels_.at(col), column});
        }
        std::vector<PrintedColumn> printed;
        for (const auto& entry : by_col) printed.push_back(entry.second);
        return printed;
    }
    bool empty() const { return columns_.empty(); }
    // One past the last column any header label stands over.
    std::uint32_t width() const { return width_; }

private:
    // A header over several grid rows whose cells lost their spans (Markdown, or HTML as
    // a converter writes it): a group's title stands over its first column's label, and
    // grid columns say nothing (two rows' labels in one of them name two columns). Its columns are read as the rows print them, each row
    // from its first cell naming a column or a group (before it: the corner), the one
    // group's title in the rows above standing for the row below it: 申请人情况 for
    // 自然人 法人或其他组织 总计, then 法人或其他组织 for 商业企业 … 其他. A cell naming neither
    // (小计) is a column the template does not have. Not so read when a cell spans
    // columns (the grid columns are right), fewer than two rows name columns or groups,
    // a row stands under no group's title or under several, a title stands over no row,
    // or a column is named twice.
    void read_lost_spans(const std::vector<const Token*>& labels, const std::vector<int>& column_of,
                         const TableSchema& schema) {
        struct HeaderCell {
            PrintedColumn printed;
            bool group;
        };
        std::vector<HeaderCell> read;
        std::size_t rows_read = 0;
        for (std::size_t i = 0; i < labels.size();) {
            const std::uint32_t grid_row = labels[i]->grid_row;
            std::vector<HeaderCell> cells;
            for (; i < labels.size() && labels[i]->grid_row == grid_row; ++i) {
                const Token& t = *labels[i];
                if (t.colspan != 1) return;
                const bool group = column_of[i] < 0 && sole_best_match(t, schema.column_groups) >= 0;
                if (cells.empty() && column_of[i] < 0 && !group) continue;
                std::optional<std::size_t> column;
                if (column_of[i] >= 0) column = static_cast<std::size_t>(column_of[i]);
                cells.push_back({{&t, column}, group});
            }
            if (cells.empty()) continue;
            if (rows_read++ == 0) {
                read = std::move(cells);
                continue;
            }
            auto is_group = [](const HeaderCell& c) { return c.group; };
            const auto title = std::find_if(read.begin(), read.end(), is_group);
            if (title == read.end() || std::find_if(title + 1, read.end(), is_group) != read.end()) return;
            read.insert(read.erase(title), cells.begin(), cells.end());
        }
        if (rows_read < 2) return;
        std::vector<bool> named(schema.columns.size(), false);
        for (const HeaderCell& c : read) {
            if (c.group) return;
            if (!c.printed.column) continue;
            if (named[*c.printed.column]) return;
            named[*c.printed.column] = true;
        }
        for (const HeaderCell& c : read) lost_spans_.push_back(c.printed);
    }
    bool repeats() const {
        std::optional<std::size_t> previous;
        for (const auto& entry : columns_) {
            if (previous && entry.second <= *previous) return true;
            previous = entry.second;
        }
        return false;
    }
    struct RowSpan {
        std::uint32_t grid_row, begin, end;
        std::size_t row;
    };
    std::map<std::uint32_t, std::size_t> columns_;
    std::map<std::uint32_t, const Token*> column_labels_;  // the label naming each of columns_
    // Over each grid column, the first such cell that names no column group, else the first.
    std::map<std::uint32_t, const Token*> extra_;
    std::vector<RowSpan> rows_;
    std::uint32_t width_ = 0;
    std::vector<PrintedColumn> lost_spans_;  // read_lost_spans(): the columns as printed
};

// ---- binding ------------------------------------------------------------------

struct RowMatch {
    int best_score = 0;               // best label score over all schema rows
    std::vector<int> score;           // per schema row
};

RowMatch match_row(const ValueRow& row, const TableSchema& schema) {
    RowMatch m;
    m.score.assign(schema.rows.size(), 0);
    // The nearest label speaks for the row; earlier ones (group headings) only if it is silent.
    for (auto it = row.labels.rbegin(); it != row.labels.rend(); ++it) {
        bool any = false;
        for (std::size_t s = 0; s < schema.rows.size(); ++s) {
            int sc = label_score((*it)->norm(), (*it)->signature(), schema.rows[s]);
            if (sc > m.score[s]) m.score[s] = sc;
            any = any || sc > 0;
        }
        if (any) break;
    }
    for (int sc : m.score) m.best_score = std::max(m.best_score, sc);
    return m;
}

std::vector<std::vector<std::size_t>> column_options(const TableSchema& schema, const RowSchema& row) {
    const BlockSchema& block = schema.blocks.at(row.block);
    std::vector<std::vector<std::size_t>> options{block.columns};
    for (const auto& v : block.variants) options.push_back(v);
    return options;
}

bool fits_count(const TableSchema& schema, const RowSchema& row, std::size_t count) {
    for (const auto& option : column_options(schema, row))
        if (option.size() == count) return true;
    return false;
}

// Whether a label of the value row's own (a grid row's labels in it, a text row's
// nearest) names a template row; labels before (a header's "其他") are not its own.
bool names_a_row(const ValueRow& row, const TableSchema& schema) {
    for (auto it = row.labels.rbegin(); it != row.labels.rend(); ++it) {
        const Token& t = **it;
        if (row.table >= 0 && (t.table != row.table || t.grid_row != row.cells.front()->grid_row)) break;
        for (const auto& named : schema.rows)
            if (label_score(t.norm(), t.signature(), named) >= 3) return true;
        if (row.table < 0) break;
    }
    return false;
}

// Rows are matched in two passes. First, a value row whose nearest label names
// exactly one template row, and is the only one to name it, is bound to it
// wherever it stands (a page-split table can put blocks out of order). Then the
// remaining rows are aligned in order (Needleman–Wunsch), labels outweighing
// position. Returns for each schema row the index of its value row or -1.
std::vector<int> align_rows(const std::vector<ValueRow>& rows, const TableSchema& schema) {
    const std::size_t n = rows.size(), m = schema.rows.size();
    std::vector<RowMatch> matches;
    matches.reserve(n);
    for (const auto& r : rows) matches.push_back(match_row(r, schema));

    std::vector<int> assigned(m, -1);
    std::vector<bool> taken(n, false);
    std::vector<int> claims(m, 0);
    std::vector<int> unique_best(n, -1);
    for (std::size_t v = 0; v < n; ++v) {
        if (matches[v].best_score < 3) continue;
        int count = 0;
        for (std::size_t s = 0; s < m; ++s)
            if (matches[v].score[s] == matches[v].best_score) {
                ++count;
                unique_best[v] = static_cast<int>(s);
            }
        if (count != 1) unique_best[v] = -1;
        else ++claims[static_cast<std::size_t>(unique_best[v])];
    }
    for (std::size_t v = 0; v < n; ++v)
        if (unique_best[v] >= 0 && claims[static_cast<std::size_t>(unique_best[v])] == 1) {
            assigned[static_cast<std::size_t>(unique_best[v])] = static_cast<int>(v);
            taken[v] = true;
        }

    std::vector<std::size_t> free_rows, free_schema;
    for (std::size_t v = 0; v < n; ++v)
        if (!taken[v]) free_rows.push_back(v);
    for (std::size_t s = 0; s < m; ++s)
        if (assigned[s] < 0) free_schema.push_back(s);

    // The template rows that the nearest rows bound by their own label above and below
    // each value row were given: the alignment below runs over the free rows alone, so
    // without them an unknown row from the middle of the table (a local "5.1" item) and
    // the free template row 本年新收 look adjacent, and position would pair them.
    std::vector<int> bound_above(n, -1), bound_below(n, static_cast<int>(m));
    for (std::size_t s = 0; s < m; ++s)
        if (assigned[s] >= 0) {
            const auto v = static_cast<std::size_t>(assigned[s]);
            for (std::size_t k = v + 1; k < n && !taken[k]; ++k) bound_above[k] = static_cast<int>(s);
            for (std::size_t k = v; k-- > 0 && !taken[k];) bound_below[k] = static_cast<int>(s);
        }
    // Whether value row v may stand for template row s where its label does not say so:
    // between its labelled neighbours' rows when they are in the template's order; after
    // the one above or before the one below where they are not (the blocks of a
    // page-split table out of order).
    auto position_agrees = [&](std::size_t v, std::size_t s) {
        const int row = static_cast<int>(s);
        const bool after_above = row > bound_above[v], before_below = row < bound_below[v];
        return bound_above[v] < bound_below[v] ? after_above && before_below : after_above || before_below;
    };
    // The template row a value row's labelled neighbours leave it alone to stand for: the
    // one free row between the rows they were given, the value row the one free row
    // between them, and its own label naming no row (reworded: "本年度新收到的申请"). The
    // first (last) row has a labelled neighbour below (above) only: there it must be a
    // cell row of that neighbour's grid, not a line of prose before (after) the table.
    auto place_made_certain = [&](std::size_t v) -> std::optional<std::size_t> {
        if (names_a_row(rows[v], schema) || bound_above[v] >= bound_below[v]) return std::nullopt;
        const bool open_above = bound_above[v] < 0, open_below = bound_below[v] == static_cast<int>(m);
        if (open_above && open_below) return std::nullopt;
        const int neighbour = assigned[static_cast<std::size_t>(open_above ? bound_below[v] : bound_above[v])];
        if ((open_above || open_below) && (rows[v].table < 0 || rows[v].table != rows[static_cast<std::size_t>(neighbour)].table))
            return std::nullopt;
        std::size_t free_values = 0;
        for (std::size_t k = 0; k < n; ++k)
            free_values += !taken[k] && bound_above[k] == bound_above[v] && bound_below[k] == bound_below[v] ? 1 : 0;
        std::optional<std::size_t> row;
        for (std::size_t s = static_cast<std::size_t>(bound_above[v] + 1); s < static_cast<std::size_t>(bound_below[v]); ++s) {
            if (assigned[s] >= 0) continue;
            if (row) return std::nullopt;
            row = s;
        }
        if (free_values != 1 || !row || !fits_count(schema, schema.rows[*row], rows[v].number_count()))
            return std::nullopt;
        return row;
    };
    std::vector<std::optional<std::size_t>> certain(n);
    for (std::size_t v = 0; v < n; ++v)
        if (!taken[v]) certain[v] = place_made_certain(v);

    constexpr double kSkipValueRow = -2.0, kSkipSchemaRow = -1.0;
    // Far below both skips together: such a pair is never chosen.
    constexpr double kContradicted = -1000.0;
    auto pair_score = [&](std::size_t v, std::size_t s) {
        const RowMatch& mt = matches[v];
        const bool label_says = mt.best_score > 0 && mt.score[s] == mt.best_score;
        if (!label_says && !position_agrees(v, s)) return kContradicted;
        double score;
        if (certain[v]) score = certain[v] == s ? 10.0 : kContradicted;  // the position alone says so
        else if (mt.best_score == 0) score = 1.0;  // no label: the position speaks
        else if (mt.score[s] == mt.best_score) score = 10.0 + mt.score[s];
        else if (mt.score[s] > 0) score = 0.5;
        else score = -6.0;
        score += fits_count(schema, schema.rows[s], rows[v].number_count()) ? 1.0 : -1.0;
        return score;
    };
    const std::size_t fn = free_rows.size(), fm = free_schema.size();
    std::vector<std::vector<double>> dp(fn + 1, std::vector<double>(fm + 1, 0.0));
    for (std::size_t v = 1; v <= fn; ++v) dp[v][0] = dp[v - 1][0] + kSkipValueRow;
    for (std::size_t s = 1; s <= fm; ++s) dp[0][s] = dp[0][s - 1] + kSkipSchemaRow;
    for (std::size_t v = 1; v <= fn; ++v)
        for (std::size_t s = 1; s <= fm; ++s)
            dp[v][s] = std::max({dp[v - 1][s - 1] + pair_score(free_rows[v - 1], free_schema[s - 1]),
                                 dp[v - 1][s] + kSkipValueRow, dp[v][s - 1] + kSkipSchemaRow});
    std::size_t v = fn, s = fm;
    while (v > 0 && s > 0) {
        if (dp[v][s] == dp[v - 1][s - 1] + pair_score(free_rows[v - 1], free_schema[s - 1])) {
            assigned[free_schema[s - 1]] = static_cast<int>(free_rows[v - 1]);
            --v;
            --s;
        } else if (dp[v][s] == dp[v - 1][s] + kSkipValueRow) {
            --v;
        } else {
            --s;
        }
    }
    return assigned;
}

BoundCell make_cell(const TableSchema& schema, const NumberWords& words, std::size_t r, std::size_t c, const Token* token,
                    BindingMethod row_how, BindingMethod col_how) {
    BoundCell cell;
    cell.row = schema.rows[r].id;
    cell.column = schema.columns[c].id;
    cell.row_binding = row_how;
    cell.column_binding = col_how;
    if (token) {
        cell.text = token->text;
        cell.pos = token->pos;
        if (token->kind == TokenKind::Empty) {
            cell.value = Value::missing_because(MissingReason::Blank);
        } else if (token->kind == TokenKind::Value) {
            // Parsed when tokenized; only the column's default unit is new here.
            cell.value = token->value;
            if (cell.value.has_number() && cell.value.unit.empty()) cell.value.unit = schema.columns[c].unit;
        } else {
            // Text placed in the cell ("暂无", "80*"): no number, but its text is kept; a
            // count spelled in Chinese numerals ("八十") is that count.
            cell.value = parse_cell_value(token->text, schema.columns[c].unit, words);
            if (cell.value.missing == MissingReason::Unparseable)
                if (auto count = parse_chinese_count(to_u32(trim(token->text)))) cell.value = Value::of(static_cast<double>(*count));
        }
    } else {
        cell.value = Value::missing_because(MissingReason::Absent);
    }
    return cell;
}

// The grid column → schema column map from header labels in a real table.
std::map<std::uint32_t, std::size_t> header_columns(const ValueRow& row, const TableSchema& schema,
                                                    const std::vector<std::size_t>& wanted) {
    std::map<std::uint32_t, std::size_t> map;
    for (const Token* h : row.header) {
        if (h->table != row.table || h->colspan != 1) continue;
        int best = 0;
        std::size_t best_col = 0;
        for (std::size_t c : wanted) {
            // Only a best of 3 or more is used, so columns that cannot reach it score 0.
            int sc = may_score_3(h->norm(), schema.columns[c]) ? label_score(h->norm(), h->signature(), schema.columns[c]) : 0;
            if (sc > best) { best = sc; best_col = c; }
        }
        if (best >= 3) map[h->col] = best_col;
    }
    return map;
}

// The header labels, in order, when they name exactly the columns of one option.
std::optional<std::vector<std::size_t>> header_option(const ValueRow& row, const TableSchema& schema,
                                                      const std::vector<std::vector<std::size_t>>& options) {
    std::vector<std::size_t> named;
    for (const Token* h : row.header) {
        int best = 0;
        std::size_t best_col = 0;
        for (std::size_t c = 0; c < schema.columns.size(); ++c) {
            int sc = may_score_3(h->norm(), schema.columns[c]) ? label_score(h->norm(), h->signature(), schema.columns[c]) : 0;
            if (sc > best) { best = sc; best_col = c; }
        }
        if (best >= 3 && std::find(named.begin(), named.end(), best_col) == named.end()) named.push_back(best_col);
    }
    for (const auto& option : options) {
        std::vector<std::size_t> in_option;
        for (std::size_t c : named)
            if (std::find(option.begin(), option.end(), c) != option.end()) in_option.push_back(c);
        if (in_option == option) return option;
    }
    return std::nullopt;
}

class GridBinder {
public:
    GridBinder(const TableSchema& schema, const NumberWords& words, BoundTable& out)
        : schema_(schema), words_(words), out_(out) {}

    void bind(const std::vector<ValueRow>& rows) {
        rows_ = &rows;
        read_headers(rows);
        std::vector<int> assigned = align_rows(rows, schema_);
        std::vector<bool> used(rows.size(), false);
        for (std::size_t r = 0; r < schema_.rows.size(); ++r) {
            if (assigned[r] < 0) {
                bind_missing_row(r, where_row_would_be(rows, assigned, r));
                continue;
            }
            const ValueRow& row = rows[static_cast<std::size_t>(assigned[r])];
            used[static_cast<std::size_t>(assigned[r])] = true;
            out_.found = true;
            if (!out_.pos.known()) out_.pos = row.cells.front()->pos;
            RowMatch m = match_row(row, schema_);
            BindingMethod how = m.score[r] > 0 ? BindingMethod::Label : BindingMethod::Position;
            const auto v = static_cast<std::size_t>(assigned[r]);
            bind_values(r, row, how, header_of_[v], continued_header_of_[v]);
            if (row.table >= 0 && row.number_count() == schema_.blocks[schema_.rows[r].block].columns.size())
                last_full_row_[row.table] = &row;
        }
        for (std::size_t v = 0; v < rows.size(); ++v)
            if (!used[v])
                out_.notes.push_back(fmt::format("line {}: {} values not bound to any row of {}", rows[v].cells.front()->pos.line,
                                                 rows[v].number_count(), schema_.id));
        for (const GridHeader* header : lost_span_headers_) {
            std::vector<std::string> printed;
            for (const auto& p : header->printed_columns())
                printed.push_back(p.column ? schema_.columns[*p.column].id : p.label->text);
            out_.notes.push_back(fmt::format("line {}: a header of several rows without spans, its columns read as it "
                                             "prints them: {}",
                                             header->printed_columns().front().label->pos.line, fmt::join(printed, ", ")));
        }
        for (const auto& [head, count] : set_aside_)
            out_.notes.push_back(fmt::format("line {}: {} values under 「{}」, a column {} does not have, set aside",
                                             head->pos.line, count, head->text, schema_.id));
    }

private:
    // Each grid row's header: the label rows above it in its grid, from the last of
    // them that name a column (a grid holding all of 表二 heads each block anew; a
    // row group's own line, （五）不予处理, heads nothing).
    void read_headers(const std::vector<ValueRow>& rows) {
        headers_.reserve(rows.size());
        header_of_.assign(rows.size(), nullptr);
        continued_header_of_.assign(rows.size(), nullptr);
        std::map<int, const GridHeader*> current;
        int previous_table = -1;
        const GridHeader* effective = nullptr;  // the header the last grid row read was under
        const GridHeader* continued = nullptr;  // the header of the grid the current one continues
        for (std::size_t v = 0; v < rows.size(); ++v) {
            const ValueRow& row = rows[v];
            if (row.table < 0) continue;
            std::vector<const Token*> labels;
            std::vector<int> column_of;
            bool names_a_column = false;
            for (const Token* t : row.labels)
                if (t->table == row.table && t->grid_row < row.cells.front()->grid_row) {
                    labels.push_back(t);
                    column_of.push_back(sole_best_match(*t, schema_.columns));
                    names_a_column = names_a_column || column_of.back() >= 0;
                }
            if (names_a_column) {
                headers_.emplace_back().read(labels, column_of, schema_);
                current[row.table] = &headers_.back();
            }
            auto it = current.find(row.table);
            header_of_[v] = it == current.end() ? nullptr : it->second;
            // A grid whose first row of values has no header above it continues the grid
            // before it (a table split across pages): its rows are under that grid's
            // header (or the one that grid continued), whatever a label further down
            // names ("（六）其他处理" names the column 其他 too).
            if (row.table != previous_table) {
                continued = previous_table >= 0 && !header_of_[v] ? effective : nullptr;
                previous_table = row.table;
            }
            continued_header_of_[v] = continued;
            effective = continued ? continued : header_of_[v];
        }
    }

    void bind_missing_row(std::size_t r, SourcePos where) {
        for (std::size_t c : schema_.blocks[schema_.rows[r].block].columns) {
            out_.cells[r][c] = make_cell(schema_, words_, r, c, nullptr, BindingMethod::Missing, BindingMethod::Missing);
            out_.cells[r][c]->pos = where;
        }
        out_.notes.push_back(fmt::format("row {} not found", schema_.rows[r].id));
    }

    // Where a row the document does not print would be: at the next row in the
    // template's order that it prints (the one before, for the last), as a column the
    // header lacks is at the header's next label. A finding about the row sends the
    // reader there rather than to the table's first value. Unknown when no row is printed.
    // The next row of its block the table prints (the one before it, for the last),
    // else of the table: 表二's blocks each have a heading of their own, and a row of
    // another block is under another heading.
    SourcePos where_row_would_be(const std::vector<ValueRow>& rows, const std::vector<int>& assigned, std::size_t r) const {
        for (const bool same_block : {true, false}) {
            auto fits = [&](std::size_t k) {
                return assigned[k] >= 0 && (!same_block || schema_.rows[k].block == schema_.rows[r].block);
            };
            for (std::size_t k = r + 1; k < assigned.size(); ++k)
                if (fits(k)) return row_place(rows[static_cast<std::size_t>(assigned[k])]);
            for (std::size_t k = r; k-- > 0;)
                if (fits(k)) return row_place(rows[static_cast<std::size_t>(assigned[k])]);
        }
        return {};
    }

    // A value row's own place: its nearest label, else its first cell.
    static SourcePos row_place(const ValueRow& row) {
        if (!row.labels.empty()) return row.labels.back()->pos;
        return row.cells.empty() ? SourcePos{} : row.cells.front()->pos;
    }

    void bind_values(std::size_t r, const ValueRow& row, BindingMethod row_how, const GridHeader* header,
                     const GridHeader* continued_header) {
        auto options = column_options(schema_, schema_.rows[r]);
        std::vector<const Token*> values;
        for (const Token* t : row.cells)
            if (t->kind == TokenKind::Value) values.push_back(t);

        // 1. A grid whose header names every column of an option: each value goes
        // where the label over its grid column says, in whatever order the header has
        // them (总计 first, two columns swapped).
        if (header && bind_by_header(r, row, *header, options, row_how)) return;
        // 1b. A header over several rows whose cells lost their spans (a Markdown 表三):
        // by the columns it prints, in its order, as 2 does, the columns it does not print
        // being ones the table lacks.
        if (header && header->lost_spans() && bind_by_printed_columns(r, row, *header, options, values, row_how, true))
            return;
        // 2. A grid continuing another (a table split across pages): by the columns that
        // grid's header prints, in its order, as for the rows under it (an old form's,
        // without a column; a local one's, with 小计), or not at all when which cell is
        // which cannot be told (before the labels of 2b, which may be that header's).
        if (continued_header && bind_by_printed_columns(r, row, *continued_header, options, values, row_how))
            return;
        // 2b. Header labels that name one option's columns, as many as there are values.
        if (auto named = header_option(row, schema_, options); named && named->size() == values.size()) {
            assign_in_order(r, *named, values, row_how, BindingMethod::Label);
            return;
        }
        // 3. As many values as an option has columns: their order is the template's.
        for (const auto& option : options)
            if (option.size() == values.size()) {
                BindingMethod col_how = agrees_with_header(row, option, values) ? BindingMethod::Label : BindingMethod::Position;
                assign_in_order(r, option, values, row_how, col_how);
                return;
            }
        // 3b. No value but as many blank cells as an option has columns: blank, in the template's order.
        if (values.empty())
            for (const auto& option : options)
                if (option.size() == row.cells.size()) {
                    assign_in_order(r, option, row.cells, row_how, BindingMethod::Position);
                    return;
                }
        // 3c. A grid row with one cell per column of an option, some of them text ("80*",
        // "八十"): its cells in the template's order, the text in its cell, not a number lost.
        if (!row.texts.empty())
            if (const std::vector<const Token*> cells = cells_after_label(row); !cells.empty())
                for (const auto& option : options)
                    if (option.size() == cells.size()) {
                        assign_in_order(r, option, cells, row_how, BindingMethod::Position);
                        return;
                    }
        const auto& columns = options.front();
        // 4. Too few or too many values in a real grid: place each by its grid column.
        if (row.table >= 0) {
            auto map = header_columns(row, schema_, columns);
            BindingMethod col_how = BindingMethod::Label;
            if (!covers(map, row)) {
                map = layout_of_last_full_row(row, columns);
                col_how = BindingMethod::Position;
            }
            if (covers(map, row)) {
                // Under a header that names the columns, one it does not name is a column
                // the document's table lacks (an older form's): absent, not lost from the row,
                // and at the header, where the column would be.
                for (std::size_t c : columns) {
                    out_.cells[r][c] = unplaced(r, c, row, row_how);
                    if (col_how != BindingMethod::Label) continue;
                    out_.cells[r][c]->value = Value::missing_because(MissingReason::Absent);
                    if (const Token* next = printed_neighbour(row, map, c)) out_.cells[r][c]->pos = next->pos;
                }
                for (const auto* tokens : {&row.cells, &row.texts, &row.trailing_empties})
                    for (const Token* t : *tokens) {
                        auto it = map.find(t->col);
                        if (it != map.end()) out_.cells[r][it->second] = make_cell(schema_, words_, r, it->second, t, row_how, col_how);
                    }
                out_.notes.push_back(fmt::format("row {} (line {}): {} values for {} columns, placed by grid column",
                                                 schema_.rows[r].id, row.cells.front()->pos.line, values.size(),
                                                 columns.size()));
                return;
            }
        }
        // 5. Nothing tells which column a value belongs to: bind none rather than guess.
        // Too many values are no better than too few: a stray number before the row's
        // (a footnote mark, a row's ordinal on a line of its own) would shift every cell
        // after it, and one after them cannot be told from it.
        for (std::size_t c : columns) out_.cells[r][c] = unplaced(r, c, row, row_how);
        out_.notes.push_back(fmt::format("row {} (line {}): {} values for {} columns and no header or grid to place them; "
                                         "cells left missing",
                                         schema_.rows[r].id, row.cells.front()->pos.line, values.size(), columns.size()));
    }

    // Binds a grid row by its header when the header names each column of one of
    // the row's options once and every value stands under one of them or under a
    // column the template does not have (小计), whose values are set aside: they are
    // no template cell's, and binding them by position would shift every cell after
    // them. False, binding nothing, when the header does not account for the row.
    bool bind_by_header(std::size_t r, const ValueRow& row, const GridHeader& header,
                        const std::vector<std::vector<std::size_t>>& options, BindingMethod row_how) {
        for (const auto& option : options) {
            std::vector<std::uint32_t> grid_columns;
            for (std::size_t c : option)
                if (auto col = header.sole_grid_column(c)) grid_columns.push_back(*col);
            if (grid_columns.size() != option.size()) continue;
            std::vector<const Token*> placed(option.size(), nullptr), extra;
            bool accounted = true;
            for (const Token* t : row.cells) {
                auto at = std::find(grid_columns.begin(), grid_columns.end(), t->col);
                if (at != grid_columns.end()) placed[static_cast<std::size_t>(at - grid_columns.begin())] = t;
                else if (t->kind != TokenKind::Value) continue;
                else if (header.extra_at(t->col)) extra.push_back(t);
                else accounted = false;
            }
            if (!accounted) continue;
            std::size_t value_count = 0;
            for (const Token* t : placed) value_count += t && t->kind == TokenKind::Value ? 1 : 0;
            const bool short_row = std::any_of(grid_columns.begin(), grid_columns.end(),
                                               [&](std::uint32_t col) { return col >= row.grid_width; });
            if (!extra.empty() && short_row) {
                // Narrower than its header and holding a column the template lacks: a
                // cell was lost somewhere, and which one cannot be told.
                for (std::size_t c : option) out_.cells[r][c] = unplaced(r, c, row, row_how);
                out_.notes.push_back(fmt::format("row {} (line {}): a grid row of {} columns under a header of {} with a "
                                                 "column {} does not have: which cell is lost cannot be told; cells left "
                                                 "missing",
                                                 schema_.rows[r].id, row.cells.front()->pos.line, row.grid_width,
                                                 header.width(), schema_.id));
                return true;
            }
            for (std::size_t k = 0; k < option.size(); ++k) {
                // Text in the cell ("暂无", "不涉及"): the cell has it, not a number.
                const Token* at = placed[k] ? placed[k] : text_in_row(row, grid_columns[k]);
                if (!at) at = in_grid_column(row.trailing_empties, grid_columns[k]);
                out_.cells[r][option[k]] = at ? make_cell(schema_, words_, r, option[k], at, row_how, BindingMethod::Label)
                                              : unplaced(r, option[k], row, row_how);
            }
            for (const Token* t : extra) ++set_aside_[header.extra_at(t->col)];
            if (value_count != option.size())
                out_.notes.push_back(fmt::format("row {} (line {}): {} values for {} columns, placed by grid column",
                                                 schema_.rows[r].id, row.cells.front()->pos.line, value_count,
                                                 option.size()));
            return true;
        }
        return false;
    }

    // Binds a row of a grid continuing another (a table split across pages) by the columns
    // the header of that grid prints, in its order: the continued grid's own columns
    // are no guide (its rows shift where the first part's merged label cells are lost).
    // The cells after the row's label are read as the printed columns when one way
    // alone fits them, the first and last numbers within and the row's own cells
    // around: a blank between numbers is that column's blank; values under a column the
    // template does not have (小计) are set aside. As many numbers as the header prints
    // template columns, with no such column, are read in order (an older form's row
    // with a stray empty cell). The option's columns the header does not print are
    // ones the table lacks: absent, at the header, where each would be.
    // Where several ways fit (a blank at one end beside a spare empty cell at the other),
    // a row above with its label in the same grid column says which (see below), else
    // only the columns every way reads the same cell for are bound.
    // Bound (wholly or in part): true. Not a continued row this can read (no printed
    // columns, or of another option): false, binding nothing. Undecided (no way fits):
    // the row is left unplaced with one note and true; the template's order would bind
    // its numbers to the wrong columns.
    // `own_header`: the header is the row's own grid's, whose cells lost their spans
    // (GridHeader::lost_spans()): the same, its columns bound by label.
    bool bind_by_printed_columns(std::size_t r, const ValueRow& row, const GridHeader& header,
                                 const std::vector<std::vector<std::size_t>>& options,
                                 const std::vector<const Token*>& values, BindingMethod row_how,
                                 bool own_header = false) {
        const auto printed = header.printed_columns();
        const BindingMethod col_how = own_header ? BindingMethod::Label : BindingMethod::Position;
        const char* whose = own_header ? "its header (over several rows, without spans)" : "the header of the table it continues";
        if (printed.empty()) return false;
        std::vector<std::pair<const Token*, std::size_t>> named;
        for (const auto& p : printed)
            if (p.column) named.emplace_back(p.label, *p.column);
        const auto option = std::find_if(options.begin(), options.end(), [&](const std::vector<std::size_t>& o) {
            return std::all_of(named.begin(), named.end(), [&](const auto& p) {
                return std::find(o.begin(), o.end(), p.second) != o.end();
            });
        });
        if (option == options.end()) return false;
        const std::vector<const Token*> cells = cells_after_label(row);
        const auto [lowest, highest] = fits(cells, printed.size());
        // The cell read for each printed column; none where the readings that fit differ.
        std::vector<const Token*> chosen(printed.size(), nullptr);
        std::string how;  // said in a note when not one reading alone fits
        auto read_from = [&](std::size_t at) {
            for (std::size_t k = 0; k < printed.size(); ++k) chosen[k] = cells[at + k];
        };
        if (lowest == highest) {
            read_from(lowest);
            fitted_start_[{row.table, cells.front()->col}] = cells[lowest]->col;
        } else if (lowest < highest) {
            // A blank first or last cell beside a spare empty one. A row above in the same
            // grid whose cells begin in the same grid column (its label in the same one: the
            // same shift) and that fitted one way alone decides, if one way agrees; else
            // a column reads the same cell text in every way that fits, or nothing.
            std::optional<std::uint32_t> start;
            if (auto it = fitted_start_.find({row.table, cells.front()->col}); it != fitted_start_.end())
                start = it->second;
            else if (!header.lost_spans())  // whose grid columns say nothing
                start = start_under_header(row, header, cells.front()->col, printed.front().label->col);
            for (std::size_t o = lowest; o <= highest && start; ++o)
                if (cells[o]->col == *start) {
                    read_from(o);
                    how = "placed by the grid columns of a row above with its label in the same column";
                }
            if (how.empty()) {
                for (std::size_t k = 0; k < printed.size(); ++k) {
                    const Token* t = cells[lowest + k];
                    bool same = true;
                    for (std::size_t o = lowest + 1; o <= highest && same; ++o)
                        same = cells[o + k]->kind == t->kind && cells[o + k]->text == t->text;
                    if (same) chosen[k] = t;
                }
                how = "which cell is blank cannot be told; columns read the same in every way they fit placed";
            }
        } else if (named.size() == printed.size() && values.size() == named.size()) {
            chosen = values;
            how = "read in order";
        }
        if (std::none_of(chosen.begin(), chosen.end(), [](const Token* t) { return t != nullptr; })) {
            for (std::size_t c : *option) out_.cells[r][c] = unplaced(r, c, row, row_how);
            out_.notes.push_back(fmt::format("row {} (line {}): {} values in {} cells for the {} columns {} "
                                             "prints: which cell is blank, lost or extra cannot be told; cells left missing",
                                             schema_.rows[r].id, row.cells.front()->pos.line, values.size(),
                                             cells.size(), printed.size(), whose));
            return true;
        }
        for (std::size_t c : *option) {
            out_.cells[r][c] = unplaced(r, c, row, row_how);
            out_.cells[r][c]->value = Value::missing_because(MissingReason::Absent);
            if (const Token* next = neighbour_label(named, c)) out_.cells[r][c]->pos = next->pos;
        }
        std::vector<std::string> left;
        std::size_t numbers = 0;  // bound to template columns
        for (std::size_t k = 0; k < printed.size(); ++k) {
            const Token* t = chosen[k];
            if (printed[k].column && t) {
                numbers += t->kind == TokenKind::Value ? 1 : 0;
                out_.cells[r][*printed[k].column] = make_cell(schema_, words_, r, *printed[k].column, t, row_how, col_how);
            } else if (printed[k].column) {
                out_.cells[r][*printed[k].column] = unplaced(r, *printed[k].column, row, row_how);
                left.push_back(schema_.columns[*printed[k].column].id);
            } else if (t && t->kind == TokenKind::Value) {
                ++set_aside_[printed[k].label];
            }
        }
        if (!how.empty())
            out_.notes.push_back(fmt::format("row {} (line {}): {} values in {} cells for the {} columns {} prints: "
                                             "{}{}{}",
                                             schema_.rows[r].id, row.cells.front()->pos.line, values.size(),
                                             cells.size(), printed.size(), whose, how, left.empty() ? "" : "; left missing: ",
                                             fmt::join(left, ", ")));
        else if (!own_header && (named.size() != option->size() || numbers != named.size()))
            out_.notes.push_back(fmt::format("row {} (line {}): {} values read by the {} columns {} prints",
                                             schema_.rows[r].id, row.cells.front()->pos.line, values.size(),
                                             printed.size(), whose));
        if (own_header) lost_span_headers_.insert(&header);
        return true;
    }

    // Where the printed columns start in a continued grid's row whose cells after its
    // label begin in grid column `after_label`, as the rows under `header` say: the grid
    // column of its first printed column (`first_printed`) when a row of that grid as wide
    // has its cells after its label begin there too and its first number under it.
    std::optional<std::uint32_t> start_under_header(const ValueRow& row, const GridHeader& header,
                                                    std::uint32_t after_label, std::uint32_t first_printed) const {
        const int table = header_table(header);
        for (std::size_t v = 0; v < rows_->size(); ++v) {
            const ValueRow& above = (*rows_)[v];
            if (header_of_[v] != &header || above.table != table || above.grid_width != row.grid_width)
                continue;
            const std::vector<const Token*> cells = cells_after_label(above);
            const auto value = std::find_if(cells.begin(), cells.end(), [](const Token* t) { return t->kind == TokenKind::Value; });
            if (!cells.empty() && cells.front()->col == after_label && value != cells.end() && (*value)->col == first_printed)
                return first_printed;
        }
        return std::nullopt;
    }

    // The grid the header heads: that of its first printed column's label.
    static int header_table(const GridHeader& header) {
        const auto printed = header.printed_columns();
        return printed.empty() ? -1 : printed.front().label->table;
    }

    // A grid row's cells after its label, left to right: blanks, numbers and text in
    // cells. Empty when a cell spans columns (a grid that kept its spans is read by them).
    static std::vector<const Token*> cells_after_label(const ValueRow& row) {
        std::vector<const Token*> cells;
        for (const auto* tokens : {&row.cells, &row.texts, &row.trailing_empties})
            cells.insert(cells.end(), tokens->begin(), tokens->end());
        std::sort(cells.begin(), cells.end(), [](const Token* a, const Token* b) { return a->col < b->col; });
        if (std::any_of(cells.begin(), cells.end(), [](const Token* t) { return t->colspan != 1; })) return {};
        return cells;
    }

    // The first and last places in `cells` where `width` columns may start and hold every
    // number within them; the first above the last when none may (too few cells for
    // them), equal when one alone may. A row with no number fits every place: its
    // columns read the same blank in each, and a table that writes no 0 reads them as 0.
    static std::pair<std::size_t, std::size_t> fits(const std::vector<const Token*>& cells, std::size_t width) {
        auto is_value = [](const Token* t) { return t->kind == TokenKind::Value; };
        if (cells.size() < width || width == 0) return {1, 0};
        const auto first = std::find_if(cells.begin(), cells.end(), is_value);
        if (first == cells.end()) return {0, cells.size() - width};
        const auto a = static_cast<std::size_t>(first - cells.begin());
        const auto b = static_cast<std::size_t>(std::find_if(cells.rbegin(), cells.rend(), is_value).base() - cells.begin()) - 1;
        return {b + 1 > width ? b + 1 - width : 0, std::min(a, cells.size() - width)};
    }

    // The text written in grid column `col` of the row's own grid row, if any.
    static const Token* text_in_row(const ValueRow& row, std::uint32_t col) { return in_grid_column(row.texts, col); }

    static const Token* in_grid_column(const std::vector<const Token*>& tokens, std::uint32_t col) {
        for (const Token* t : tokens)
            if (t->col == col) return t;
        return nullptr;
    }

    // The header label of the column the template puts after `column` that the
    // header prints (else of the last before it): where a column it does not print
    // would be.
    static const Token* printed_neighbour(const ValueRow& row, const std::map<std::uint32_t, std::size_t>& map,
                                          std::size_t column) {
        std::vector<std::pair<const Token*, std::size_t>> printed;
        for (const Token* h : row.header) {
            if (h->table != row.table || h->colspan != 1) continue;
            if (auto it = map.find(h->col); it != map.end()) printed.emplace_back(h, it->second);
        }
        return neighbour_label(printed, column);
    }

    // Of header labels and the template columns they name, the label of the column the
    // template puts next after `column` (else last before it).
    static const Token* neighbour_label(const std::vector<std::pair<const Token*, std::size_t>>& printed,
                                        std::size_t column) {
        const Token* after = nullptr;
        const Token* before = nullptr;
        std::size_t after_column = 0, before_column = 0;
        for (const auto& [h, c] : printed) {
            if (c > column && (!after || c < after_column)) {
                after = h;
                after_column = c;
            } else if (c < column && (!before || c > before_column)) {
                before = h;
                before_column = c;
            }
        }
        return after ? after : before;
    }

    // A cell of a row found in the document whose value could not be placed (too
    // few values and nothing to tell which is lost): absent, but at the row, which
    // is where a finding about it sends the reader.
    BoundCell unplaced(std::size_t r, std::size_t c, const ValueRow& row, BindingMethod row_how) const {
        BoundCell cell = make_cell(schema_, words_, r, c, nullptr, row_how, BindingMethod::Missing);
        cell.value = Value::missing_because(MissingReason::Unplaced);
        cell.pos = row_place(row);
        return cell;
    }

    bool agrees_with_header(const ValueRow& row, const std::vector<std::size_t>& option,
                            const std::vector<const Token*>& values) const {
        if (row.table < 0) return false;
        auto map = header_columns(row, schema_, option);
        if (map.empty()) return false;
        for (std::size_t k = 0; k < values.size(); ++k) {
            auto it = map.find(values[k]->col);
            if (it == map.end() || it->second != option[k]) return false;
        }
        return true;
    }

    static bool covers(const std::map<std::uint32_t, std::size_t>& map, const ValueRow& row) {
        if (map.empty()) return false;
        for (const Token* t : row.cells)
            if (t->kind == TokenKind::Value && !map.count(t->col)) return false;
        return true;
    }

    std::map<std::uint32_t, std::size_t> layout_of_last_full_row(const ValueRow& row,
                                                                 const std::vector<std::size_t>& columns) const {
        std::map<std::uint32_t, std::size_t> map;
        auto it = last_full_row_.find(row.table);
        if (it == last_full_row_.end()) return map;
        std::size_t k = 0;
        for (const Token* t : it->second->cells)
            if (t->kind == TokenKind::Value && k < columns.size()) map[t->col] = columns[k++];
        return map;
    }

    void assign_in_order(std::size_t r, const std::vector<std::size_t>& columns, const std::vector<const Token*>& values,
                         BindingMethod row_how, BindingMethod col_how) {
        for (std::size_t k = 0; k < columns.size(); ++k)
            out_.cells[r][columns[k]] =
                make_cell(schema_, words_, r, columns[k], k < values.size() ? values[k] : nullptr, row_how,
                          k < values.size() ? col_how : BindingMethod::Missing);
    }

    const TableSchema& schema_;
    const NumberWords& words_;  // of cells written with more than their number
    BoundTable& out_;
    std::map<int, const ValueRow*> last_full_row_;
    std::vector<GridHeader> headers_;              // reserved up front: header_of_ points into it
    std::vector<const GridHeader*> header_of_;     // per value row, null where its grid has no header
    // Per value row of a grid that continues another: the header of that grid, if any.
    std::vector<const GridHeader*> continued_header_of_;
    std::map<const Token*, std::size_t> set_aside_;  // values set aside, by the header cell over them
    std::set<const GridHeader*> lost_span_headers_;  // headers without spans that rows were read by
    // Of the rows of a grid continuing another that fitted the columns its header prints
    // one way alone: by (grid, grid column of the first cell after the label), the grid
    // column of the first printed column.
    std::map<std::pair<int, std::uint32_t>, std::uint32_t> fitted_start_;
    const std::vector<ValueRow>* rows_ = nullptr;  // bind()'s
};

// ---- flat tables (表四) ---------------------------------------------------------

// Values that the layout shows belong together: a grid row, a text line holding
// several values, or the values between two labels.
struct ValueGroup {
    const ValueRow* source = nullptr;
    std::vector<const Token*> cells;  // values; a grid row keeps its empty cells
    bool has_labels = false;          // the first group of its ValueRow: source->labels precede it
    std::size_t value_count() const {
        return static_cast<std::size_t>(
            std::count_if(cells.begin(), cells.end(), [](const Token* t) { return t->kind == TokenKind::Value; }));
    }
    std::uint32_t line() const { return cells.front()->pos.line; }
};

// The columns a text label names: one, or several when a header line lists them
// apart ("结果维持 结果纠正 其他结果 尚未审结 总计"); empty when it names none.
std::vector<std::size_t> columns_named(const Token& t, const TableSchema& schema) {
    std::vector<std::size_t> named;
    if (t.kind != TokenKind::Label || t.norm().empty()) return named;
    if (!has_inner_space(t.text)) {
        if (int c = sole_best_match(t, schema.columns); c >= 0) named.push_back(static_cast<std::size_t>(c));
        return named;
    }
    std::u32string text = to_u32(t.text);
    for (std::size_t i = 0; i < text.size();) {
        while (i < text.size() && is_space(text[i])) ++i;
        std::size_t end = i;
        while (end < text.size() && !is_space(text[end])) ++end;
        if (end == i) break;
        Token piece = label_token(to_utf8(text.substr(i, end - i)), t.pos);
        int c = sole_best_match(piece, schema.columns);
        if (c < 0) {
            named.clear();
            break;
        }
        named.push_back(static_cast<std::size_t>(c));
        i = end;
    }
    if (named.size() > 1) return named;
    named.clear();
    if (int c = sole_best_match(t, schema.columns); c >= 0) named.push_back(static_cast<std::size_t>(c));
    return named;
}

// Column labels in document order, cut into runs where the order starts again:
// a flattened header of 表四 repeats 结果维持 … 总计 once per row.
std::vector<std::vector<std::size_t>> header_runs(const std::vector<const Token*>& labels, const TableSchema& schema) {
    std::vector<std::vector<std::size_t>> runs;
    for (const Token* t : labels)
        for (std::size_t column : columns_named(*t, schema)) {
            if (runs.empty() || runs.back().back() >= column) runs.emplace_back();
            runs.back().push_back(column);
        }
    return runs;
}

// Binds a table printed as one block of rows × columns values (表四: 3 × 5, often
// one row of 15 cells under a two-level header). When the block holds exactly as
// many values as the table has cells, they are read row-major, as the template
// prints them. Otherwise each value is placed by what the header and the layout
// say (grid column, header labels, a row label, one row per line), and cells that
// nothing places are left missing with a note: a lost or stray value must not
// shift every later cell into a false inconsistency.
class FlatBinder {
public:
    FlatBinder(const TableSchema& schema, const NumberWords& words, BoundTable& out)
        : schema_(schema), words_(words), out_(out), placed_(schema.rows.size() * schema.columns.size(), nullptr),
          unplaced_at_(schema.rows.size()) {}

    void bind(const std::vector<ValueRow>& rows) {
        // Rows of blank cells alone are the table's only when nothing else is
        // (bind_values() passes them over).
        std::vector<const ValueRow*> blank_rows;
        for (const ValueRow& row : rows)
            if (row.blank_only) blank_rows.push_back(&row);
        if (!blank_rows.empty()) {
            // Values after the blank grid, as many as a row of the table at least (a
            // continued grid, lines of numbers), are the table's; fewer (a page number)
            // are not.
            std::size_t values = 0;
            for (const ValueRow& row : rows)
                if (!row.blank_only) values += row.number_count();
            if (values < schema_.columns.size() && bind_all_blank(blank_rows)) return fill_missing();
        }
        bind_values(rows);
    }

private:
    void bind_values(const std::vector<ValueRow>& rows) {
        std::vector<ValueGroup> groups = split_lines(region(rows));
        drop_lone_last_value(groups);
        std::vector<const Token*> values;
        for (const auto& g : groups)
            for (const Token* t : g.cells)
                if (t->kind == TokenKind::Value) values.push_back(t);
        out_.found = !values.empty();
        if (out_.found) out_.pos = values.front()->pos;
        if (values.size() == cell_count()) {
            bind_row_major(values);
            prefer_labels_over_order(groups);
        } else if (out_.found) {
            bind_by_layout(groups);
            note_result(values.size());
        }
        fill_missing();
    }

    std::size_t cell_count() const { return schema_.rows.size() * schema_.columns.size(); }

    // A table with no value at all, printed as rows of blank cells under its header:
    // a form left blank, found (T4-NO-NUMBER's), not missing (T4-FOUND's). Either
    // blank cells alone, as many as the table has (one row of 15, three of 5), read
    // row-major; or, for each row of the table, one line whose first cell is a label
    // naming that row (each named once, in any order) and whose other cells are as
    // many blanks as the table has columns ("| 行政复议 |  |  |  |  |  |"). A labelled
    // line that names no row, or of another width, is a header's and passed over.
    // Blank rows of another count are a header's merged cells as likely.
    bool bind_all_blank(const std::vector<const ValueRow*>& blank_rows) {
        const std::size_t width = schema_.columns.size();
        std::vector<std::pair<std::size_t, const ValueRow*>> by_label;
        std::vector<const Token*> unlabelled;
        for (const ValueRow* row : blank_rows) {
            if (!row->blank_row_label) {
                unlabelled.insert(unlabelled.end(), row->cells.begin(), row->cells.end());
                continue;
            }
            const int r = sole_best_match(*row->blank_row_label, schema_.rows);
            if (r < 0 || row->cells.size() != width) continue;  // a header's line
            if (std::any_of(by_label.begin(), by_label.end(), [&](const auto& b) { return b.first == static_cast<std::size_t>(r); }))
                return false;
            by_label.emplace_back(static_cast<std::size_t>(r), row);
        }
        const bool labelled = by_label.size() == schema_.rows.size() && unlabelled.empty();
        if (!labelled && (!by_label.empty() || unlabelled.size() != cell_count())) return false;
        for (std::size_t k = 0; k < cell_count(); ++k) {
            const std::size_t r = labelled ? by_label[k / width].first : k / width;
            const Token* t = labelled ? by_label[k / width].second->cells[k % width] : unlabelled[k];
            place(r, k % width, t, labelled ? BindingMethod::Label : BindingMethod::Position, BindingMethod::Position);
        }
        out_.found = true;
        out_.pos = labelled ? by_label.front().second->cells.front()->pos : unlabelled.front()->pos;
        out_.notes.push_back(fmt::format("every one of its {} cells blank", cell_count()));
        return true;
    }

    // The table's value rows: from the first on, while only the table's own labels
    // stand between them and a grid is not left for text (the next section's
    // prose, a footnote and a page number are not cells).
    std::vector<const ValueRow*> region(const std::vector<ValueRow>& rows) const {
        std::vector<const ValueRow*> kept;
        for (const ValueRow& row : rows) {
            if (row.blank_only) continue;  // bind_all_blank()'s
            // The rows of one grid are one table whatever their labels say.
            if (!kept.empty() && !(row.table >= 0 && row.table == kept.back()->table)) {
                bool foreign = std::any_of(row.labels.begin(), row.labels.end(),
                                           [&](const Token* t) { return !names_part_of(*t, schema_); });
                if (foreign || (kept.back()->table >= 0 && row.table < 0)) break;
            }
            kept.push_back(&row);
        }
        return kept;
    }

    // A run of text values becomes one group per line when some line holds several
    // (a row per line); values one per line stay one group.
    static std::vector<ValueGroup> split_lines(const std::vector<const ValueRow*>& rows) {
        std::vector<ValueGroup> groups;
        for (const ValueRow* row : rows) {
            std::size_t first = groups.size();
            bool several_on_a_line = false;
            for (std::size_t k = 1; k < row->cells.size() && row->table < 0; ++k)
                several_on_a_line = several_on_a_line || row->cells[k]->pos.line == row->cells[k - 1]->pos.line;
            for (const Token* t : row->cells) {
                if (groups.size() == first || (several_on_a_line && t->pos.line != groups.back().line())) {
                    groups.emplace_back();
                    groups.back().source = row;
                    groups.back().has_labels = groups.size() == first + 1;
                }
                groups.back().cells.push_back(t);
            }
        }
        return groups;
    }

    // A lone number on its own line after rows of several values is a page number
    // or a stray figure, not a cell.
    void drop_lone_last_value(std::vector<ValueGroup>& groups) {
        if (groups.size() < 2) return;
        const ValueGroup& last = groups.back();
        if (last.source->table >= 0 || last.cells.size() != 1) return;
        bool labelled = last.has_labels && !last.source->labels.empty() &&
                        last.source->labels.back()->pos.line == last.line();
        bool rows_before = std::all_of(groups.begin(), groups.end() - 1,
                                       [](const ValueGroup& g) { return g.value_count() > 1; });
        if (labelled || !rows_before) return;
        out_.notes.push_back(fmt::format("line {}: lone number {} after the table's values ignored", last.line(),
                                         last.cells.front()->text));
        groups.pop_back();
    }

    void bind_row_major(const std::vector<const Token*>& values) {
        for (std::size_t k = 0; k < values.size(); ++k)
            place(k / schema_.columns.size(), k % schema_.columns.size(), values[k], BindingMethod::Position,
                  BindingMethod::Position);
    }

    // A full table whose header or row labels place every value, and not where the
    // template's order would (rows printed out of order, columns in another order),
    // is bound as they say.
    void prefer_labels_over_order(const std::vector<ValueGroup>& groups) {
        BoundTable scratch;
        scratch.cells.assign(schema_.rows.size(), std::vector<std::optional<BoundCell>>(schema_.columns.size()));
        FlatBinder by_layout(schema_, words_, scratch);
        by_layout.bind_by_layout(groups);
        bool complete = std::none_of(by_layout.placed_.begin(), by_layout.placed_.end(),
                                     [](const Token* t) { return t == nullptr; });
        if (!complete || by_layout.placed_ == placed_) return;
        out_.cells = std::move(scratch.cells);
        placed_ = by_layout.placed_;
        out_.notes.push_back("values placed by the table's header and row labels, which order them unlike the template");
    }

    void bind_by_layout(const std::vector<ValueGroup>& groups) {
        std::size_t next_row = 0;
        for (const ValueGroup& g : groups) {
            if (g.has_labels) read_header(g);
            if (g.source->table >= 0 && bind_grid_by_header(g, next_row)) continue;
            bind_in_order(g, next_row);
        }
    }

    void read_header(const ValueGroup& g) {
        if (g.source->table >= 0) {
            // Header rows are the grid rows above this one; its own labels name its row.
            std::vector<const Token*> header;
            std::vector<int> column_of;
            for (const Token* t : g.source->labels)
                if (t->table == g.source->table && t->grid_row != g.cells.front()->grid_row) {
                    header.push_back(t);
                    column_of.push_back(sole_best_match(*t, schema_.columns));
                }
            grid_headers_[g.source->table].read(header, column_of, schema_);
            return;
        }
        if (auto runs = header_runs(g.source->labels, schema_); !runs.empty()) text_runs_ = std::move(runs);
    }

    // The row a group's own label names. Labels above a header that repeats for
    // several rows are that header's, not this group's.
    std::optional<std::size_t> labelled_row(const ValueGroup& g) const {
        if (!g.has_labels) return std::nullopt;
        const auto& labels = g.source->labels;
        std::size_t from = 0;
        if (g.source->table >= 0) {
            from = labels.size();
            while (from > 0 && labels[from - 1]->table == g.source->table &&
                   labels[from - 1]->grid_row == g.cells.front()->grid_row)
                --from;
        } else if (header_runs(labels, schema_).size() > 1) {
            from = labels.size();
            while (from > 0 && columns_named(*labels[from - 1], schema_).empty()) --from;
        }
        // The nearest label that is not a column label; one of a list of row labels
        // (行政复议 未经复议直接起诉 复议后起诉 above the values) is a header's, not this group's.
        std::size_t k = labels.size();
        while (k > from && !columns_named(*labels[k - 1], schema_).empty()) --k;
        if (k == from) return std::nullopt;
        int r = sole_best_match(*labels[k - 1], schema_.rows);
        if (r < 0) return std::nullopt;
        if (k - 1 > from && sole_best_match(*labels[k - 2], schema_.rows) >= 0) return std::nullopt;
        return static_cast<std::size_t>(r);
    }

    // A grid row under a header: every cell goes where its grid column's labels say.
    bool bind_grid_by_header(const ValueGroup& g, std::size_t& next_row) {
        auto it = grid_headers_.find(g.source->table);
        if (it == grid_headers_.end() || it->second.empty()) return false;
        const GridHeader& header = it->second;
        // Where the header names no row, the row's own label or its place does.
        const std::optional<std::size_t> own_row = labelled_row(g);
        const std::size_t default_row = own_row ? *own_row : next_row;
        const BindingMethod default_how = own_row ? BindingMethod::Label : BindingMethod::Position;
        if (g.source->grid_width != header.width()) {
            leave_grid_row_missing(g, header, default_row, next_row);
            return true;
        }
        std::vector<const Token*> unplaced;
        bool placed_any = false;
        for (const Token* t : g.cells) {
            std::optional<std::size_t> column = header.column_at(t->col);
            std::optional<std::size_t> row = header.row_at(t->col);
            BindingMethod row_how = row ? BindingMethod::Label : default_how;
            if (!column) {
                if (t->kind == TokenKind::Value) unplaced.push_back(t);
                continue;
            }
            std::size_t r = row.value_or(default_row);
            placed_any = place(r, *column, t, row_how, BindingMethod::Label) || placed_any;
            next_row = std::max(next_row, r + 1);
        }
        if (!placed_any) return false;
        for (const Token* t : unplaced)
            out_.notes.push_back(fmt::format("line {}: value {} is under no column of the header; ignored", t->pos.line,
                                             t->text));
        return true;
    }

    // A grid row narrower or wider than its header lost or gained a cell somewhere:
    // every cell after that one stands a column off, and nothing tells where it is.
    void leave_grid_row_missing(const ValueGroup& g, const GridHeader& header, std::size_t default_row,
                                std::size_t& next_row) {
        std::vector<std::string> ids;
        std::size_t last = default_row;
        for (std::uint32_t col = 0; col < std::max(g.source->grid_width, header.width()); ++col) {
            if (!header.column_at(col)) continue;
            std::size_t r = header.row_at(col).value_or(default_row);
            if (r >= schema_.rows.size()) continue;
            leave_unplaced(r, g);
            if (std::find(ids.begin(), ids.end(), schema_.rows[r].id) == ids.end()) ids.push_back(schema_.rows[r].id);
            last = std::max(last, r);
        }
        out_.notes.push_back(fmt::format("line {}: a grid row of {} columns under a header of {}: which cell is lost or "
                                         "extra cannot be told; {} left missing",
                                         g.line(), g.source->grid_width, header.width(), fmt::join(ids, ", ")));
        next_row = std::max(next_row, last + 1);
    }

    // Values in the template's order from the group's row on: a header run as long
    // as the group names its columns; whole rows of values fill whole rows; any
    // other count leaves the rows it stands for missing.
    void bind_in_order(const ValueGroup& g, std::size_t& next_row) {
        std::vector<const Token*> cells;
        for (const Token* t : g.cells)
            if (t->kind == TokenKind::Value || g.source->table >= 0) cells.push_back(t);
        const std::optional<std::size_t> own_row = labelled_row(g);
        const std::size_t row = own_row ? *own_row : next_row;
        const BindingMethod row_how = own_row ? BindingMethod::Label : BindingMethod::Position;
        const std::size_t width = schema_.columns.size();
        if (row >= schema_.rows.size()) {
            out_.notes.push_back(fmt::format("line {}: {} values after the table's last row ignored", g.line(), cells.size()));
            return;
        }
        if (const std::vector<std::size_t>* run = text_run_for(row); run && run->size() == cells.size()) {
            for (std::size_t k = 0; k < cells.size(); ++k) place(row, (*run)[k], cells[k], row_how, BindingMethod::Label);
            next_row = row + 1;
            return;
        }
        if (cells.size() % width == 0) {
            for (std::size_t k = 0; k < cells.size(); ++k)
                place(row + k / width, k % width, cells[k], row_how, BindingMethod::Position);
            next_row = row + cells.size() / width;
            return;
        }
        const std::size_t rows_meant = std::max<std::size_t>(1, (cells.size() + width / 2) / width);
        std::vector<std::string> ids;
        for (std::size_t r = row; r < std::min(row + rows_meant, schema_.rows.size()); ++r) {
            ids.push_back(schema_.rows[r].id);
            leave_unplaced(r, g);
        }
        out_.notes.push_back(fmt::format("line {}: {} values where rows of {} are expected; {} left missing", g.line(),
                                         cells.size(), width, fmt::join(ids, ", ")));
        next_row = row + rows_meant;
    }

    const std::vector<std::size_t>* text_run_for(std::size_t row) const {
        if (text_runs_.size() == 1) return &text_runs_.front();
        return row < text_runs_.size() ? &text_runs_[row] : nullptr;
    }

    // Binds one cell unless it is outside the table or already bound (the first
    // value placed there stays, and the clash is noted).
    bool place(std::size_t r, std::size_t c, const Token* t, BindingMethod row_how, BindingMethod col_how) {
        if (r >= schema_.rows.size()) {
            out_.notes.push_back(fmt::format("line {}: value {} beyond the table's last row; ignored", t->pos.line, t->text));
            return false;
        }
        auto& slot = out_.cells[r][c];
        if (slot) {
            out_.notes.push_back(fmt::format("line {}: value {} for {} × {}, which already has one; ignored", t->pos.line,
                                             t->text, schema_.rows[r].id, schema_.columns[c].id));
            return false;
        }
        slot = make_cell(schema_, words_, r, c, t, row_how, col_how);
        placed_[r * schema_.columns.size() + c] = t;
        return true;
    }

    // The document has row `r`, in group `g`, but not values that can be placed in
    // it: what no later group places there is unplaced, not absent (the row is not
    // one the document lacks), at the group's first value.
    // At the row's first value (a grid row's cells may begin with an empty one).
    void leave_unplaced(std::size_t r, const ValueGroup& g) {
        if (r >= unplaced_at_.size() || unplaced_at_[r]) return;
        const Token* first = g.cells.front();
        for (const Token* t : g.cells)
            if (t->kind == TokenKind::Value) {
                first = t;
                break;
            }
        unplaced_at_[r] = first->pos;
    }

    void fill_missing() {
        // A column no row placed a cell in, while some row placed cells, is one the
        // table does not print: absent in an unplaced row too, or T4-COLUMN, which
        // asks that it be absent in every row, would leave it to T4-CELL row by row.
        std::vector<bool> printed(schema_.columns.size(), false);
        bool any_placed = false;
        for (std::size_t r = 0; r < schema_.rows.size(); ++r)
            for (std::size_t c = 0; c < schema_.columns.size(); ++c)
                if (out_.cells[r][c]) printed[c] = any_placed = true;
        for (std::size_t r = 0; r < schema_.rows.size(); ++r)
            for (std::size_t c = 0; c < schema_.columns.size(); ++c) {
                if (out_.cells[r][c]) continue;
                out_.cells[r][c] = make_cell(schema_, words_, r, c, nullptr, BindingMethod::Missing, BindingMethod::Missing);
                if (!unplaced_at_[r] || (any_placed && !printed[c])) continue;
                out_.cells[r][c]->value = Value::missing_because(MissingReason::Unplaced);
                out_.cells[r][c]->pos = *unplaced_at_[r];
            }
    }

    void note_result(std::size_t value_count) {
        std::size_t bound = 0;
        for (const auto& row : out_.cells)
            for (const auto& cell : row) bound += cell && cell->row_binding != BindingMethod::Missing ? 1 : 0;
        out_.notes.push_back(fmt::format("{} values for {} cells: {} placed by header and layout, the rest left missing",
                                         value_count, cell_count(), bound));
    }

    const TableSchema& schema_;
    const NumberWords& words_;  // of cells written with more than their number
    BoundTable& out_;
    std::map<int, GridHeader> grid_headers_;
    std::vector<std::vector<std::size_t>> text_runs_;
    std::vector<const Token*> placed_;  // the token bound to each cell, row-major
    std::vector<std::optional<SourcePos>> unplaced_at_;  // per row: leave_unplaced()
};

void bind_flat(const std::vector<ValueRow>& rows, const TableSchema& schema, const NumberWords& words, BoundTable& out) {
    FlatBinder(schema, words, out).bind(rows);
}

}  // namespace

struct DocumentTokens::Impl {
    const NumberWords* words = nullptr;
    std::vector<Token> tokens;
    std::vector<std::size_t> block_start;
};

DocumentTokens::DocumentTokens(const Document& doc, const NumberWords& words) : impl_(std::make_unique<Impl>()) {
    impl_->words = &words;
    tokenize(doc, words, impl_->tokens, impl_->block_start);
}
DocumentTokens::~DocumentTokens() = default;

BoundTable bind_table(const Document& doc, const TableSchema& schema, std::size_t first_block,
                      std::size_t end_block) {
    return bind_table(DocumentTokens(doc), schema, first_block, end_block);
}

BoundTable bind_table(const DocumentTokens& document_tokens, const TableSchema& schema, std::size_t first_block,
                      std::size_t end_block) {
    BoundTable out;
    out.id = schema.id;
    out.schema = &schema;
    out.cells.assign(schema.rows.size(), std::vector<std::optional<BoundCell>>(schema.columns.size()));
    const auto& impl = *document_tokens.impl_;
    const NumberWords& words = *impl.words;
    const std::size_t blocks = impl.block_start.size() - 1;
    end_block = std::min(end_block, blocks);
    first_block = std::min(first_block, end_block);
    std::span<const Token> tokens(impl.tokens.data() + impl.block_start[first_block],
                                  impl.block_start[end_block] - impl.block_start[first_block]);
    std::vector<ValueRow> rows = segment(tokens, schema);
    if (schema.layout == TableLayout::Flat) {
        bind_flat(rows, schema, words, out);
        return out;
    }
    if (rows.empty()) {
        for (std::size_t r = 0; r < schema.rows.size(); ++r)
            for (std::size_t c : schema.blocks[schema.rows[r].block].columns)
                out.cells[r][c] = make_cell(schema, words, r, c, nullptr, BindingMethod::Missing, BindingMethod::Missing);
        out.notes.push_back("no values found");
        return out;
    }
    GridBinder(schema, words, out).bind(rows);
    return out;
}

}  // namespace gouji
