#include "engine/model/binder.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <span>

#include <fmt/format.h>

#include "engine/model/labels.hpp"
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
           v.missing == MissingReason::Nil;
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

void tokenize_line(std::string_view line, SourcePos pos, std::vector<Token>& out) {
    const std::string_view trimmed = trim_view(line);
    if (!has_digit(line)) {
        // "/", "—", "无" stand where a number should.
        Value v = trimmed.size() <= 3 ? parse_cell_value(trimmed) : Value::missing_because(MissingReason::Unparseable);
        if (!is_value_cell(v)) {
            out.push_back(label_token(std::string(trimmed), pos));
            return;
        }
    }
    // Several numbers on one line (a PDF table row) are peeled off below; only a
    // line without inner white space is a single cell.
    bool single_piece = !has_inner_space(trimmed);
    Value whole = single_piece ? parse_cell_value(line) : Value::missing_because(MissingReason::Unparseable);
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
            Value v = parse_cell_value(piece);
            if (!is_value_cell(v)) break;
            Token t;
            t.kind = TokenKind::Value;
            t.text = piece;
            t.value = v;
            t.pos = pos;
            t.pos.column += static_cast<std::uint32_t>(start);
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
void tokenize(const Document& doc, std::vector<Token>& tokens, std::vector<std::size_t>& block_start) {
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
                    Value v = parse_cell_value(cell.text);
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
        std::uint32_t line = block.pos.line;
        std::size_t start = 0;
        const std::string& text = block.text;
        while (start <= text.size()) {
            std::size_t nl = text.find('\n', start);
            if (nl == std::string::npos) nl = text.size();
            std::string_view piece = std::string_view(text).substr(start, nl - start);
            if (!trim_view(piece).empty()) {
                SourcePos pos = block.pos;
                pos.line = line;
                if (line != block.pos.line) pos.column = 1;
                tokenize_line(piece, pos, tokens);
            }
            ++line;
            start = nl + 1;
        }
    }
    block_start.push_back(tokens.size());
}

// ---- label matching ---------------------------------------------------------

// ---- value rows ---------------------------------------------------------------

struct ValueRow {
    std::vector<const Token*> labels;  // labels since the previous value row, nearest last
    std::vector<const Token*> cells;   // from the first value cell on (grid: with empties)
    std::vector<const Token*> header;  // the most recent column-header labels
    int table = -1;
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
            if (!has_number) {
                for (std::size_t k = i; k < end; ++k)
                    if (tokens[k].kind == TokenKind::Label) note_label(&tokens[k]);
            } else {
                for (std::size_t k = i; k < first_value; ++k)
                    if (tokens[k].kind == TokenKind::Label) pending.push_back(&tokens[k]);
                ValueRow row;
                start_row(row);
                row.table = t.table;
                std::size_t last = end;
                while (last > first_value && tokens[last - 1].kind == TokenKind::Empty) --last;
                // Leading empty cells right before the first value may be the blank of a
                // short row; keep the empties adjacent to the label side for layout use.
                std::size_t begin = first_value;
                while (begin > i && tokens[begin - 1].kind == TokenKind::Empty) --begin;
                for (std::size_t k = begin; k < last; ++k)
                    if (tokens[k].kind != TokenKind::Label) row.cells.push_back(&tokens[k]);
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

    constexpr double kSkipValueRow = -2.0, kSkipSchemaRow = -1.0;
    auto pair_score = [&](std::size_t v, std::size_t s) {
        const RowMatch& mt = matches[v];
        double score;
        if (mt.best_score == 0) score = 1.0;  // no label: the position speaks
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

BoundCell make_cell(const TableSchema& schema, std::size_t r, std::size_t c, const Token* token, BindingMethod row_how,
                    BindingMethod col_how) {
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
            cell.value = parse_cell_value(token->text, schema.columns[c].unit);
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
    GridBinder(const TableSchema& schema, BoundTable& out) : schema_(schema), out_(out) {}

    void bind(const std::vector<ValueRow>& rows) {
        std::vector<int> assigned = align_rows(rows, schema_);
        std::vector<bool> used(rows.size(), false);
        for (std::size_t r = 0; r < schema_.rows.size(); ++r) {
            if (assigned[r] < 0) {
                bind_missing_row(r);
                continue;
            }
            const ValueRow& row = rows[static_cast<std::size_t>(assigned[r])];
            used[static_cast<std::size_t>(assigned[r])] = true;
            out_.found = true;
            if (!out_.pos.known()) out_.pos = row.cells.front()->pos;
            RowMatch m = match_row(row, schema_);
            BindingMethod how = m.score[r] > 0 ? BindingMethod::Label : BindingMethod::Position;
            bind_values(r, row, how);
            if (row.table >= 0 && row.number_count() == schema_.blocks[schema_.rows[r].block].columns.size())
                last_full_row_[row.table] = &row;
        }
        for (std::size_t v = 0; v < rows.size(); ++v)
            if (!used[v])
                out_.notes.push_back(fmt::format("line {}: {} values not bound to any row of {}", rows[v].cells.front()->pos.line,
                                                 rows[v].number_count(), schema_.id));
    }

private:
    void bind_missing_row(std::size_t r) {
        for (std::size_t c : schema_.blocks[schema_.rows[r].block].columns)
            out_.cells[r][c] = make_cell(schema_, r, c, nullptr, BindingMethod::Missing, BindingMethod::Missing);
        out_.notes.push_back(fmt::format("row {} not found", schema_.rows[r].id));
    }

    void bind_values(std::size_t r, const ValueRow& row, BindingMethod row_how) {
        auto options = column_options(schema_, schema_.rows[r]);
        std::vector<const Token*> values;
        for (const Token* t : row.cells)
            if (t->kind == TokenKind::Value) values.push_back(t);

        // 1. Header labels that name one option's columns, as many as there are values.
        if (auto named = header_option(row, schema_, options); named && named->size() == values.size()) {
            assign_in_order(r, *named, values, row_how, BindingMethod::Label);
            return;
        }
        // 2. As many values as an option has columns: their order is the template's.
        for (const auto& option : options)
            if (option.size() == values.size()) {
                BindingMethod col_how = agrees_with_header(row, option, values) ? BindingMethod::Label : BindingMethod::Position;
                assign_in_order(r, option, values, row_how, col_how);
                return;
            }
        const auto& columns = options.front();
        // 3. Too few or too many values in a real grid: place each by its grid column.
        if (row.table >= 0) {
            auto map = header_columns(row, schema_, columns);
            BindingMethod col_how = BindingMethod::Label;
            if (!covers(map, row)) {
                map = layout_of_last_full_row(row, columns);
                col_how = BindingMethod::Position;
            }
            if (covers(map, row)) {
                for (std::size_t c : columns) out_.cells[r][c] = make_cell(schema_, r, c, nullptr, row_how, BindingMethod::Missing);
                for (const Token* t : row.cells) {
                    auto it = map.find(t->col);
                    if (it != map.end()) out_.cells[r][it->second] = make_cell(schema_, r, it->second, t, row_how, col_how);
                }
                out_.notes.push_back(fmt::format("row {} (line {}): {} values for {} columns, placed by grid column",
                                                 schema_.rows[r].id, row.cells.front()->pos.line, values.size(),
                                                 columns.size()));
                return;
            }
        }
        // 4. Nothing tells which column a value belongs to: bind none rather than guess.
        if (values.size() > columns.size()) {
            std::vector<const Token*> head(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(columns.size()));
            assign_in_order(r, columns, head, row_how, BindingMethod::Position);
            out_.notes.push_back(fmt::format("row {} (line {}): {} values for {} columns, extra values ignored",
                                             schema_.rows[r].id, row.cells.front()->pos.line, values.size(), columns.size()));
            return;
        }
        for (std::size_t c : columns) out_.cells[r][c] = make_cell(schema_, r, c, nullptr, row_how, BindingMethod::Missing);
        out_.notes.push_back(fmt::format("row {} (line {}): {} values for {} columns and no header or grid to place them; "
                                         "cells left missing",
                                         schema_.rows[r].id, row.cells.front()->pos.line, values.size(), columns.size()));
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
                make_cell(schema_, r, columns[k], k < values.size() ? values[k] : nullptr, row_how,
                          k < values.size() ? col_how : BindingMethod::Missing);
    }

    const TableSchema& schema_;
    BoundTable& out_;
    std::map<int, const ValueRow*> last_full_row_;
};

// 表四: one sequence of rows × columns values, row-major.
void bind_flat(const std::vector<ValueRow>& rows, const TableSchema& schema, BoundTable& out) {
    std::vector<const Token*> values;
    const std::size_t wanted = schema.rows.size() * schema.columns.size();
    for (const auto& row : rows) {
        for (const Token* t : row.cells)
            if (t->kind == TokenKind::Value && values.size() < wanted) values.push_back(t);
        if (values.size() >= wanted) break;
    }
    out.found = !values.empty();
    if (out.found) out.pos = values.front()->pos;
    for (std::size_t k = 0; k < wanted; ++k) {
        std::size_t r = k / schema.columns.size(), c = k % schema.columns.size();
        const Token* t = k < values.size() ? values[k] : nullptr;
        out.cells[r][c] = make_cell(schema, r, c, t, t ? BindingMethod::Position : BindingMethod::Missing,
                                    t ? BindingMethod::Position : BindingMethod::Missing);
    }
    if (out.found && values.size() < wanted)
        out.notes.push_back(fmt::format("{} of {} values found", values.size(), wanted));
}

}  // namespace

struct DocumentTokens::Impl {
    std::vector<Token> tokens;
    std::vector<std::size_t> block_start;
};

DocumentTokens::DocumentTokens(const Document& doc) : impl_(std::make_unique<Impl>()) {
    tokenize(doc, impl_->tokens, impl_->block_start);
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
    const std::size_t blocks = impl.block_start.size() - 1;
    end_block = std::min(end_block, blocks);
    first_block = std::min(first_block, end_block);
    std::span<const Token> tokens(impl.tokens.data() + impl.block_start[first_block],
                                  impl.block_start[end_block] - impl.block_start[first_block]);
    std::vector<ValueRow> rows = segment(tokens, schema);
    if (schema.layout == TableLayout::Flat) {
        bind_flat(rows, schema, out);
        return out;
    }
    if (rows.empty()) {
        for (std::size_t r = 0; r < schema.rows.size(); ++r)
            for (std::size_t c : schema.blocks[schema.rows[r].block].columns)
                out.cells[r][c] = make_cell(schema, r, c, nullptr, BindingMethod::Missing, BindingMethod::Missing);
        out.notes.push_back("no values found");
        return out;
    }
    GridBinder(schema, out).bind(rows);
    return out;
}

}  // namespace gouji
