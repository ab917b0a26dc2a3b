#include "rules/names.hpp"

#include <algorithm>
#include <numeric>

namespace gouji::names {

namespace {

// normalize_label() of an item's id, label and aliases: the loader's when it
// stored them all (it drops empty ones, and a hand-built schema has none), else computed.
template <typename T>
std::vector<std::string> normalized_names(const T& item) {
    if (item.normalized.size() == 2 + item.aliases.size()) return item.normalized;
    std::vector<std::string> out{normalize_label(item.id), normalize_label(item.label)};
    for (const auto& a : item.aliases) out.push_back(normalize_label(a));
    return out;
}

template <typename T>
void index_names(std::unordered_map<std::string, std::size_t>& out, const std::vector<T>& items) {
    std::vector<std::vector<std::string>> names;
    names.reserve(items.size());
    for (const auto& item : items) names.push_back(normalized_names(item));
    // Ids of every item first, then labels, then aliases: the first spelling wins.
    for (std::size_t i = 0; i < items.size(); ++i) out.emplace(names[i][0], i);
    for (std::size_t i = 0; i < items.size(); ++i) out.emplace(names[i][1], i);
    for (std::size_t i = 0; i < items.size(); ++i)
        for (std::size_t k = 2; k < names[i].size(); ++k) out.emplace(names[i][k], i);
    out.erase(std::string());
}

}  // namespace

NameIndex::NameIndex(const TableSchema& schema) {
    index_names(rows_, schema.rows);
    index_names(columns_, schema.columns);
    index_names(groups_, schema.groups);
    for (std::size_t i = 0; i < schema.rows.size(); ++i)
        if (!schema.rows[i].group.empty()) row_groups_.emplace(normalize_label(schema.rows[i].group), i);
    // Every cell a rule reads asks whether its row has the column: a bit test
    // instead of a search of the row's block and its variants.
    if (schema.columns.size() > 64) return;
    for (std::size_t r = 0; r < schema.rows.size(); ++r) {
        std::uint64_t mask = 0;
        for (std::size_t c : names::row_columns(schema, r)) mask |= std::uint64_t{1} << c;
        row_columns_.push_back(mask);
    }
}

std::vector<std::size_t> row_columns(const TableSchema& table, std::size_t row) {
    std::vector<std::size_t> all(table.columns.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    if (row >= table.rows.size() || table.blocks.empty()) return all;
    std::size_t b = table.rows[row].block;
    if (b >= table.blocks.size() || table.blocks[b].columns.empty()) return all;
    std::vector<std::size_t> cols = table.blocks[b].columns;
    for (const auto& variant : table.blocks[b].variants)
        for (std::size_t c : variant)
            if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    return cols;
}

bool row_has_column_searched(const TableSchema& table, std::size_t row, std::size_t column) {
    // The same answer as searching row_columns(), without building it.
    if (row >= table.rows.size() || table.blocks.empty()) return column < table.columns.size();
    std::size_t b = table.rows[row].block;
    if (b >= table.blocks.size() || table.blocks[b].columns.empty()) return column < table.columns.size();
    const auto& block = table.blocks[b];
    auto holds = [column](const std::vector<std::size_t>& cols) {
        return std::find(cols.begin(), cols.end(), column) != cols.end();
    };
    return holds(block.columns) || std::any_of(block.variants.begin(), block.variants.end(), holds);
}

std::string with_chinese_numerals(std::string_view name) {
    static constexpr std::u32string_view digits = U"〇一二三四五六七八九";
    auto digit_of = [](char32_t c) -> int {
        if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
        if (c >= U'\uFF10' && c <= U'\uFF19') return static_cast<int>(c - U'\uFF10');
        return -1;
    };
    const std::u32string chars = to_u32(name);
    std::u32string out;
    for (std::size_t i = 0; i < chars.size();) {
        if (digit_of(chars[i]) < 0) {
            out += chars[i++];
            continue;
        }
        int value = 0;
        std::size_t length = 0;
        for (; i < chars.size() && digit_of(chars[i]) >= 0; ++i, ++length) value = value * 10 + digit_of(chars[i]);
        if (length > 2) return std::string(name);
        const auto units = static_cast<std::size_t>(value % 10), tens = static_cast<std::size_t>(value / 10);
        if (tens > 1) out += digits[tens];
        if (tens > 0) out += U'十';
        if (units > 0 || tens == 0) out += digits[units];
    }
    return to_utf8(out);
}

std::size_t edit_distance(std::u32string_view a, std::u32string_view b) {
    // Optimal string alignment: a swap of two neighbours ("yaer") costs one.
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    std::iota(prev.begin(), prev.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::optional<std::string> closest(std::string_view name, const std::vector<std::string>& candidates) {
    std::u32string n = to_u32(normalize_label(name));
    if (n.empty()) return std::nullopt;
    std::optional<std::string> best;
    std::size_t best_score = static_cast<std::size_t>(-1);
    for (const auto& c : candidates) {
        std::u32string k = to_u32(normalize_label(c));
        if (k.empty() || k == n) continue;
        std::size_t d = edit_distance(n, k);
        std::size_t limit = std::max<std::size_t>(1, std::max(n.size(), k.size()) / 3);
        // One name inside the other ("新收" in "本年新收") is a likely slip unless the
        // shorter is a letter or two of a much longer name ("e" in "year").
        const std::size_t shorter = std::min(n.size(), k.size()), longer = std::max(n.size(), k.size());
        bool contained = shorter >= 2 && shorter * 3 >= longer &&
                         (k.find(n) != std::u32string::npos || n.find(k) != std::u32string::npos);
        if (d > limit && !contained) continue;
        if (d < best_score) {
            best_score = d;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
    auto best = closest(name, candidates);
    return best ? " (did you mean '" + *best + "'?)" : std::string();
}

}  // namespace gouji::names
