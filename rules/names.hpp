// Names in rules: matching a name written in a rule against a schema's ids,
// labels and aliases (normalized), the columns a row has, and did-you-mean
// suggestions by edit distance.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gouji/template_schema.hpp"
#include "gouji/text.hpp"

namespace gouji::names {

// Index of the item whose id, label or an alias normalizes to `key` (already
// normalized). Ids win over labels, labels over aliases.
template <typename T>
std::optional<std::size_t> find(const std::vector<T>& items, const std::string& key) {
    if (key.empty()) return std::nullopt;
    // The loader normalized every spelling once (id, label, aliases, in order);
    // items built in code, or with a spelling that normalizes to nothing, lack them.
    bool stored = std::all_of(items.begin(), items.end(),
                              [](const T& item) { return item.normalized.size() == 2 + item.aliases.size(); });
    if (stored) {
        for (std::size_t k = 0; k < 2; ++k)
            for (std::size_t i = 0; i < items.size(); ++i)
                if (items[i].normalized[k] == key) return i;
        for (std::size_t i = 0; i < items.size(); ++i)
            for (std::size_t k = 2; k < items[i].normalized.size(); ++k)
                if (items[i].normalized[k] == key) return i;
        return std::nullopt;
    }
    for (std::size_t i = 0; i < items.size(); ++i)
        if (normalize_label(items[i].id) == key) return i;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (normalize_label(items[i].label) == key) return i;
    for (std::size_t i = 0; i < items.size(); ++i)
        for (const auto& a : items[i].aliases)
            if (normalize_label(a) == key) return i;
    return std::nullopt;
}

// Rows, columns and row groups of one table schema by normalized name, built
// once: ids first, then labels, then aliases (first spelling wins).
class NameIndex {
public:
    explicit NameIndex(const TableSchema& schema);
    std::optional<std::size_t> row(const std::string& key) const { return get(rows_, key); }
    std::optional<std::size_t> column(const std::string& key) const { return get(columns_, key); }
    std::optional<std::size_t> group(const std::string& key) const { return get(groups_, key); }
    // Whether some row's `group` is `key` (a group the schema does not list).
    bool row_group(const std::string& key) const { return row_groups_.count(key) > 0; }
    // row_has_column() of the schema, as one bit per column; nullopt past 64
    // columns (no template has so many) or for a row the schema lacks.
    std::optional<bool> row_has_column(std::size_t row, std::size_t column) const {
        if (row >= row_columns_.size() || column >= 64) return std::nullopt;
        return (row_columns_[row] >> column & 1) != 0;
    }

private:
    using Map = std::unordered_map<std::string, std::size_t>;
    static std::optional<std::size_t> get(const Map& m, const std::string& key) {
        auto it = m.find(key);
        if (it == m.end()) return std::nullopt;
        return it->second;
    }
    Map rows_, columns_, groups_, row_groups_;
    std::vector<std::uint64_t> row_columns_;  // empty past 64 columns
};

// NameIndex per schema, built on first use; and normalized names, computed once
// (a compile looks the same few names up hundreds of times).
class NameIndexCache {
public:
    const NameIndex& of(const TableSchema& schema) {
        auto it = cache_.find(&schema);
        if (it == cache_.end()) it = cache_.emplace(&schema, NameIndex(schema)).first;
        return it->second;
    }
    const std::string& key(const std::string& name) {
        auto it = keys_.find(name);
        if (it == keys_.end()) it = keys_.emplace(name, normalize_label(name)).first;
        return it->second;
    }

private:
    std::unordered_map<const TableSchema*, NameIndex> cache_;
    std::unordered_map<std::string, std::string> keys_;
};

// Columns of the block a row lives in (all columns for a table without blocks),
// including the block's variant column lists.
std::vector<std::size_t> row_columns(const TableSchema& table, std::size_t row);
// Whether `row`'s block has `column`: asked for every cell a rule reads, so the
// schema's NameIndex answers inline and the search is for a schema without one.
bool row_has_column_searched(const TableSchema& table, std::size_t row, std::size_t column);
inline bool row_has_column(const TableSchema& table, std::size_t row, std::size_t column) {
    if (table.name_index)
        if (auto has = table.name_index->row_has_column(row, column)) return *has;
    return row_has_column_searched(table, row, column);
}

// `name` with each run of digits (ASCII or full-width) written in Chinese
// numerals, as the templates name their tables: 表3 -> 表三, 表12 -> 表十二.
// `name` itself when it has no digits or a run is above 99.
std::string with_chinese_numerals(std::string_view name);

// Levenshtein distance in characters (not bytes).
std::size_t edit_distance(std::u32string_view a, std::u32string_view b);

// The candidate closest to `name` when it is close enough to be a likely typo
// (distance at most a third of the length, at least 1; or one contains the other).
std::optional<std::string> closest(std::string_view name, const std::vector<std::string>& candidates);
// " (did you mean 'X'?)" or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// The ids (what rules should write) of a schema list, for suggestions: the id
// of an item is offered when the name is close to its id, label or an alias.
template <typename T>
std::optional<std::string> closest_id(std::string_view name, const std::vector<T>& items) {
    std::vector<std::string> spellings;
    std::vector<std::size_t> owner;
    for (std::size_t i = 0; i < items.size(); ++i) {
        spellings.push_back(items[i].id);
        owner.push_back(i);
        spellings.push_back(items[i].label);
        owner.push_back(i);
        for (const auto& a : items[i].aliases) {
            spellings.push_back(a);
            owner.push_back(i);
        }
    }
    auto best = closest(name, spellings);
    if (!best) return std::nullopt;
    for (std::size_t k = 0; k < spellings.size(); ++k)
        if (spellings[k] == *best) return items[owner[k]].id;
    return std::nullopt;
}

}  // namespace gouji::names
