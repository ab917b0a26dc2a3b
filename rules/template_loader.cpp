// Loads template schemas from YAML. Every structural mistake is reported at the
// YAML position that causes it, so a rule author can fix the pack without reading C++,
// and as many of a file's mistakes as can be told apart are reported in one run.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>

#include "gouji/template_schema.hpp"
#include "gouji/text.hpp"
#include "rules/diagnostics.hpp"
#include "rules/names.hpp"
#include "rules/yaml_tree.hpp"

namespace gouji {

namespace {

constexpr int kFirstTemplateYear = 1990, kLastTemplateYear = 2100;

using rules::YamlDocument;
using rules::YamlNode;

// Thrown to leave a part whose problem has been said already (a misspelt key
// that leaves a required one missing).
struct AlreadySaid {};

class SchemaReader {
public:
    SchemaReader(const SourceText& source, std::vector<InputError>& errors) : source_(source), errors_(errors) {}

    SourcePos pos_of(const YamlNode& node) const { return source_.position_of(node.start()); }

    // A problem that ends the part being read (the innermost recover()).
    [[noreturn]] void fail(const YamlNode& at, const std::string& message, const std::string& hint = {}) const {
        throw InputError(source_.name(), pos_of(at), message, hint);
    }

    // A problem after which reading the part can go on.
    void report(const YamlNode& at, const std::string& message, const std::string& hint = {}) const {
        keep(InputError(source_.name(), pos_of(at), message, hint));
    }

    // Reads a part with `read`; a problem in it is kept and the reading goes on
    // after the part. Whether the part was read without a problem.
    template <typename Read>
    bool recover(Read&& read) const {
        const std::size_t before = errors_.size();
        try {
            read();
        } catch (const InputError& e) {
            keep(e);
            return false;
        } catch (const AlreadySaid&) {
            return false;
        }
        return errors_.size() == before;
    }

    std::size_t error_count() const { return errors_.size(); }

    // A scalar's text; a list or a map where a value belongs is an error.
    std::string text_of(const YamlNode& node) const {
        if (node.is_sequence() || node.is_mapping()) fail(node, "expected a single value, not a list or a map", "check the value's type");
        return std::string(node.scalar());
    }

    int number_of(const YamlNode& node) const {
        std::string_view v = node.scalar();
        int n = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (!node.is_scalar() || ec != std::errc() || end != v.data() + v.size())
            fail(node, "expected a whole number", "check the value's type");
        return n;
    }

    // A misspelt key (`alias:` for `aliases:`) would silently drop what it holds
    // and change how reports bind: every key of a schema map must be one we read.
    // Each other key is reported, and the map is read without it: whether there was none.
    bool expect_keys(const YamlNode& map, const std::vector<std::string>& allowed, const std::string& what) const {
        if (!map.is_mapping()) return true;
        bool known = true;
        for (const auto& kv : map.entries()) {
            const std::string key(kv.key.scalar());
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                report(kv.key, "unknown key '" + key + "' in " + what + names::did_you_mean(key, allowed),
                       "the keys here are " + joined(allowed));
                known = false;
            }
        }
        return known;
    }

    static std::string joined(const std::vector<std::string>& words) {
        std::string out;
        for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
        return out;
    }

    // `agencies:`, optional: how reports of one agency are told across years.
    void read_agencies(const YamlNode& node, TemplateCatalog& catalog) const {
        if (!node) return;
        if (!node.is_mapping()) fail(node, "expected a map with 'same-without-suffix'");
        expect_keys(node, {"same-without-suffix"}, "agencies");
        if (const YamlNode suffixes = node["same-without-suffix"]) {
            if (!suffixes.is_sequence()) fail(suffixes, "expected a list of words", "write [人民政府]");
            for (const auto& s : suffixes.items()) catalog.agency_suffixes.push_back(text_of(s));
        }
    }

    // A word of `metadata:`, folded as the text it is looked for in is.
    std::u32string word_of(const YamlNode& node) const {
        std::u32string word = fold_chars(trim(text_of(node)));
        if (word.empty()) fail(node, "empty word", "remove it or write the word");
        return word;
    }

    void read_words(const YamlNode& list, std::vector<std::u32string>& out) const {
        if (!list) return;
        if (!list.is_sequence()) fail(list, "expected a list of words", "write [统计期限, 统计时限]");
        for (const auto& w : list.items()) out.push_back(word_of(w));
    }

    // Words written next to a number ("约80", "3人次"): a digit in one would be read as
    // part of the number, so the word could never be found. Each entry on its own, so
    // that every bad one is said in one run.
    void read_number_words(const YamlNode& list, std::vector<std::u32string>& out, const char* example) const {
        if (!list) return;
        if (!list.is_sequence()) fail(list, "expected a list of words", example);
        for (const auto& w : list.items())
            recover([&] {
                std::u32string word = word_of(w);
                if (std::any_of(word.begin(), word.end(), [](char32_t c) { return c >= U'0' && c <= U'9'; }))
                    fail(w, "'" + to_utf8(word) + "' holds a digit: a word next to a number has none (the digit is read as the number's)",
                         "write the word alone");
                out.push_back(std::move(word));
            });
    }

    // Words of a title, normalized as its lines are.
    void read_title_words(const YamlNode& list, std::vector<std::string>& out) const {
        if (!list) return;
        if (!list.is_sequence()) fail(list, "expected a list of words", "write [标题, 题目]");
        for (const auto& w : list.items()) {
            std::string word = normalize_label(text_of(w));
            if (word.empty()) fail(w, "empty word", "remove it or write the word");
            out.push_back(std::move(word));
        }
    }

    // `metadata:`, optional: the words a report's title, period and dates are read by.
    // A later file adds its words to the earlier ones' (its subject replaces theirs).
    void read_metadata_words(const YamlNode& node, MetadataWords& m) const {
        if (!node) return;
        static const std::vector<std::string> keys = {
            "report-names", "subject",      "title-continuations", "title-labels", "agency-joiners",
            "agency-endings", "agency-completions", "period-keys", "published-keys", "date-keys",
            "other-times",  "written-on", "heading-year-exceptions", "approximate-before", "prose-units"};
        if (!node.is_mapping()) fail(node, "expected a map with " + joined(keys));
        expect_keys(node, keys, "metadata");
        // Each key on its own: a problem in one leaves the others to be checked.
        recover([&] { read_report_names(node["report-names"], m); });
        recover([&] {
            if (const YamlNode subject = node["subject"]) m.subject = word_of(subject);
        });
        recover([&] { read_title_words(node["title-continuations"], m.title_continuations); });
        recover([&] { read_title_words(node["title-labels"], m.title_labels); });
        recover([&] { read_words(node["agency-joiners"], m.agency_joiners); });
        recover([&] {
            if (const YamlNode endings = node["agency-endings"]) m.agency_endings += word_of(endings);
        });
        recover([&] { read_completions(node["agency-completions"], m); });
        const std::size_t period_before = m.period_keys.size(), published_before = m.published_keys.size(),
                          date_before = m.date_keys.size();
        recover([&] { read_words(node["period-keys"], m.period_keys); });
        recover([&] { read_words(node["published-keys"], m.published_keys); });
        recover([&] { read_words(node["date-keys"], m.date_keys); });
        recover([&] { read_words(node["other-times"], m.other_times); });
        recover([&] { read_words(node["written-on"], m.written_on); });
        recover([&] { read_title_words(node["heading-year-exceptions"], m.heading_year_exceptions); });
        recover([&] { read_number_words(node["approximate-before"], m.number_words.approximate_before, "write [超过, 约]"); });
        recover([&] { read_number_words(node["prose-units"], m.number_words.prose_units, "write [人次, 件]"); });
        m.number_words.sort_longest_first();
        for (std::size_t i = period_before; i < m.period_keys.size(); ++i) add_mark(m.period_key_marks, m.period_keys[i].front());
        for (std::size_t i = published_before; i < m.published_keys.size(); ++i) add_mark(m.date_key_marks, m.published_keys[i].back());
        for (std::size_t i = date_before; i < m.date_keys.size(); ++i) add_mark(m.date_key_marks, m.date_keys[i].back());
    }

    void read_report_names(const YamlNode& names, MetadataWords& m) const {
        if (names) {
            if (!names.is_sequence()) fail(names, "expected a list of words or of lists of words", "write [年度报告, [政府信息公开, 工作报告]]");
            for (const auto& n : names.items()) {
                std::vector<std::string> together;
                if (n.is_sequence()) {
                    read_title_words(n, together);
                    if (together.empty()) fail(n, "empty list of words", "remove it or write the words");
                } else {
                    together.push_back(normalize_label(text_of(n)));
                    if (together.back().empty()) fail(n, "empty word", "remove it or write the word");
                }
                const std::u32string last = fold_chars(together.back());
                if (!last.empty()) add_mark(m.report_name_marks, last.back());
                m.report_names.push_back(std::move(together));
            }
        }
    }

    void read_completions(const YamlNode& completions, MetadataWords& m) const {
        if (completions) {
            if (!completions.is_sequence()) fail(completions, "expected a list of {cut, name}", "write [{cut: 人民, name: 人民政府}]");
            for (const auto& c : completions.items()) {
                if (!c.is_mapping()) fail(c, "expected {cut, name}", "write {cut: 人民, name: 人民政府}");
                expect_keys(c, {"cut", "name"}, "an agency completion");
                if (!c["cut"] || !c["name"]) fail(c, "expected both 'cut' and 'name'", "write {cut: 人民, name: 人民政府}");
                std::u32string cut = word_of(c["cut"]), name = word_of(c["name"]);
                if (!name.starts_with(cut)) fail(c["name"], "the name must start with what was cut ('" + to_utf8(cut) + "')", "write {cut: 人民, name: 人民政府}");
                m.agency_completions.emplace_back(std::move(cut), std::move(name));
            }
        }
    }

    static void add_mark(std::vector<std::string>& marks, char32_t c) {
        std::string utf8 = to_utf8(c);
        if (std::find(marks.begin(), marks.end(), utf8) == marks.end()) marks.push_back(std::move(utf8));
    }

    // Whether `map` holds `key` misspelt (`idd:` for `id:`, `yeers:` for `years:`),
    // which expect_keys has reported as an unknown key: that is the problem, and
    // `key` is not also said to be missing.
    static bool misspelt(const YamlNode& map, const std::string& key) {
        if (!map.is_mapping()) return false;
        for (const auto& kv : map.entries())
            if (kv.key.scalar() != key && !names::did_you_mean(kv.key.scalar(), {key}).empty()) return true;
        return false;
    }

    // fail(), unless `key`, which `map` lacks, is there misspelt (said already).
    [[noreturn]] void missing(const YamlNode& map, const std::string& key, const std::string& message) const {
        if (misspelt(map, key)) throw AlreadySaid{};
        fail(map, message);
    }

    std::string scalar(const YamlNode& node, const char* key, bool required) const {
        const YamlNode value = node[key];
        if (!value) {
            if (!required) return {};
            missing(node, key, std::string("missing key '") + key + "'");
        }
        if (!value.is_scalar()) fail(value, std::string("'") + key + "' must be a single value");
        return text_of(value);
    }

    // `what` names the thing read ("a row of table 表三"): a map without an id is
    // told which one it is and what to add, as a bare "missing key 'id'" does not.
    void read_label(const YamlNode& node, NamedLabel& out, const std::string& what) const {
        if (node.is_scalar()) {
            out.id = text_of(node);
        } else if (node.is_mapping()) {
            if (!node["id"]) missing_id(node, what, "the name rules use for it");
            out.id = scalar(node, "id", true);
            out.label = scalar(node, "label", false);
            if (const YamlNode aliases = node["aliases"]) {
                if (!aliases.is_sequence()) fail(aliases, "'aliases' must be a list");
                for (const auto& alias : aliases.items()) out.aliases.push_back(text_of(alias));
            }
        } else {
            fail(node, "expected a name or a map with 'id'");
        }
        if (out.id.empty()) fail(node, "empty id");
        // Where the template prints the id itself ("规章"), the id is the label.
        if (out.label.empty()) out.label = out.id;
        out.pos = pos_of(node);
        for (const std::string* form : {&out.id, &out.label}) {
            std::string n = normalize_label(*form);
            if (!n.empty()) out.normalized.push_back(std::move(n));
        }
        for (const auto& alias : out.aliases) {
            std::string n = normalize_label(alias);
            if (!n.empty()) out.normalized.push_back(std::move(n));
        }
        for (const auto& n : out.normalized) out.signatures.push_back(char_signature(n));
    }

    // fail() for a map that has no 'id' (unless it is there misspelt, said
    // already), naming what the map is, by its label or title if it has one.
    [[noreturn]] void missing_id(const YamlNode& map, const std::string& what, const std::string& id_is) const {
        if (misspelt(map, "id")) throw AlreadySaid{};
        std::string which;
        for (const char* key : {"label", "title"})
            if (const YamlNode named = map[key]; named.is_scalar() && !named.scalar().empty()) {
                which = " (" + std::string(key) + " " + shortened(std::string(named.scalar()), 40) + ")";
                break;
            }
        fail(map, "missing key 'id' in " + what + which, "add 'id: …', " + id_is);
    }

    // A key whose value is a list. A map there (its items' '- ' left out), a
    // single value or nothing reads as no items: what it declares would be
    // dropped without a word, and a based-on template's would be kept.
    void expect_list(const YamlNode& value, const std::string& key, const std::string& each) const {
        if (value.is_sequence()) return;
        // The docs' example writes '…' for a list it does not spell out.
        const std::string_view v = value.is_scalar() ? value.scalar() : std::string_view();
        fail(value, "'" + key + "' must be a list: start each " + each + " with '- '",
             v == "…" || v == "..." ? "'…' stands for the list to be written here: write out its items" : "");
    }

    // Where the first of two with one id is, said from where the second is.
    std::string also_at(SourcePos first, const YamlNode& second) const {
        return first.line == pos_of(second).line
                   ? "also at column " + std::to_string(first.column) + " of this line"
                   : "also at line " + std::to_string(first.line);
    }

    // `columns_read`: whether every column of the table was read; if not, the one
    // named may be one that was not, whose problem has been said.
    std::size_t column_ref(const YamlNode& ref, const TableSchema& table, bool columns_read) const {
        const std::string id = text_of(ref);
        if (auto index = table.column_index(id)) return *index;
        if (!columns_read) throw AlreadySaid{};
        fail(ref, "unknown column '" + id + "' in table " + table.id, "declare it under the table's 'columns'");
    }

    // `groups:` or `column-groups:` of a table: names over several rows or columns.
    // Whether every group was read.
    // `each` is what one of them is ("row group"), of table `table`.
    bool read_groups(const YamlNode& groups, const char* key, const std::string& each, const std::string& table,
                     std::vector<NamedLabel>& out) const {
        if (!groups) return true;
        if (!recover([&] { expect_list(groups, key, each); })) return false;
        bool all_read = true;
        for (const auto& g : groups.items())
            all_read = recover([&] {
                           NamedLabel group;
                           expect_keys(g, {"id", "label", "aliases"}, "a " + each);
                           read_label(g, group, "a " + each + " of table " + table);
                           out.push_back(std::move(group));
                       }) &&
                       all_read;
        return all_read;
    }

    TableSchema read_table(const YamlNode& node) const {
        if (!node.is_mapping()) fail(node, "a table must be a map with 'id', 'columns' and 'rows' or 'blocks'");
        expect_keys(node, {"id", "label", "aliases", "section", "layout", "blank-cells", "anchors", "columns",
                           "column-groups", "groups", "blocks", "rows"},
                    "a table");
        TableSchema table;
        read_label(node, table, "a table");
        table.section = scalar(node, "section", false);
        recover([&] {
            const std::string layout = scalar(node, "layout", false);
            if (layout == "flat") table.layout = TableLayout::Flat;
            else if (!layout.empty() && layout != "grid") fail(node["layout"], "layout must be 'grid' or 'flat'");
        });
        recover([&] {
            const std::string blanks = scalar(node, "blank-cells", false);
            if (blanks == "zero when no zero") table.blank_is_zero_without_zeros = true;
            else if (!blanks.empty() && blanks != "missing")
                fail(node["blank-cells"], "blank-cells must be 'missing' (the default) or 'zero when no zero'");
        });
        // The binder looks for the first anchor, then the second a few lines on:
        // any other number of them would find the table by nothing.
        if (const YamlNode anchors = node["anchors"])
            recover([&] {
                if (!anchors.is_sequence() || anchors.size() != 2)
                    fail(anchors,
                         "'anchors' must be a list of two header cells, not " +
                             (anchors.is_sequence() ? std::to_string(anchors.size()) + (anchors.size() == 1 ? " cell" : " cells")
                                                    : std::string(anchors.is_mapping() ? "a map" : "a single value")),
                         "write [FIRST, SECOND]: a header cell that starts the table, and one that follows it within a "
                         "few lines");
                for (const auto& a : anchors.items()) table.anchors.push_back(text_of(a));
            });
        // Each column, group, block and row on its own: one with a problem is left
        // out and the next one read, and so are the keys after a list that is none.
        // A block or row that names one left out is not blamed for it.
        const YamlNode columns = node["columns"];
        bool columns_read = recover([&] {
            if (!columns) missing(node, "columns", "table " + table.id + " needs a list of 'columns'");
            expect_list(columns, "columns", "column");
            if (columns.size() == 0) fail(columns, "table " + table.id + " needs a list of 'columns'", "list them here");
        });
        for (const auto& c : columns.items())
            columns_read = recover([&] {
                               ColumnSchema column;
                               expect_keys(c, {"id", "label", "aliases", "unit"}, "a column");
                               read_label(c, column, "a column of table " + table.id);
                               if (c.is_mapping()) column.unit = scalar(c, "unit", false);
                               if (auto first = table.column_index(column.id))
                                   fail(c, "duplicate column '" + column.id + "' in table " + table.id + " (" +
                                               also_at(table.columns[*first].pos, c) + ")",
                                        "give each column its own id");
                               // A header that names two columns would bind to either.
                               for (const auto& other : table.columns)
                                   for (const auto& name : column.normalized)
                                       if (std::find(other.normalized.begin(), other.normalized.end(), name) !=
                                           other.normalized.end())
                                           report(c, "'" + name + "' names two columns of table " + table.id + ": '" +
                                                         other.id + "' and '" + column.id + "' (an id, label or alias of each)",
                                                  "a header must name one column: drop or change one of the two");
                               table.columns.push_back(std::move(column));
                           }) &&
                           columns_read;
        read_groups(node["column-groups"], "column-groups", "column group", table.id, table.column_groups);
        const bool groups_read = read_groups(node["groups"], "groups", "row group", table.id, table.groups);
        if (const YamlNode blocks = node["blocks"]) {
            expect_list(blocks, "blocks", "block");
            for (const auto& b : blocks.items())
                recover([&] {
                    BlockSchema block;
                    const bool known_keys = expect_keys(b, {"id", "label", "aliases", "columns", "variants", "rows"}, "a block");
                    read_label(b, block, "a block of table " + table.id);
                    if (const YamlNode refs = b["columns"]) {
                        expect_list(refs, "columns", "column");
                        for (const auto& ref : refs.items()) block.columns.push_back(column_ref(ref, table, columns_read));
                    }
                    if (const YamlNode variants = b["variants"]) {
                        expect_list(variants, "variants", "variant");
                        for (const auto& variant : variants.items()) {
                            if (!variant.is_sequence())
                                fail(variant, "a variant must be a list of columns", "write [COLUMN, COLUMN] in 'variants'");
                            std::vector<std::size_t> cols;
                            for (const auto& ref : variant.items()) cols.push_back(column_ref(ref, table, columns_read));
                            block.variants.push_back(std::move(cols));
                        }
                    }
                    if (block.columns.empty()) {
                        if (!known_keys) throw AlreadySaid{};  // `column:` for `columns:`
                        fail(b, "block " + block.id + " needs 'columns'");
                    }
                    std::size_t block_index = table.blocks.size();
                    if (const YamlNode rows = b["rows"]) {
                        expect_list(rows, "rows", "row");
                        for (const auto& r : rows.items())
                            recover([&] { block.rows.push_back(add_row(r, table, block_index, groups_read)); });
                    }
                    table.blocks.push_back(std::move(block));
                });
        } else {
            BlockSchema whole;
            whole.id = table.id;
            for (std::size_t c = 0; c < table.columns.size(); ++c) whole.columns.push_back(c);
            const YamlNode rows = node["rows"];
            if (!rows && misspelt(node, "blocks")) throw AlreadySaid{};
            if (!rows) missing(node, "rows", "table " + table.id + " needs 'rows' or 'blocks'");
            expect_list(rows, "rows", "row");
            if (rows.size() == 0) fail(rows, "table " + table.id + " needs 'rows' or 'blocks'", "list its rows here");
            for (const auto& r : rows.items()) recover([&] { whole.rows.push_back(add_row(r, table, 0, groups_read)); });
            table.blocks.push_back(std::move(whole));
        }
        return table;
    }

    // `groups_read`: whether every row group of the table was read (column_ref).
    std::size_t add_row(const YamlNode& r, TableSchema& table, std::size_t block, bool groups_read) const {
        RowSchema row;
        expect_keys(r, {"id", "label", "aliases", "group"}, "a row");
        read_label(r, row, "a row of table " + table.id);
        if (r.is_mapping()) row.group = scalar(r, "group", false);
        row.block = block;
        if (auto first = table.row_index(row.id))
            fail(r, "duplicate row '" + row.id + "' in table " + table.id + " (" + also_at(table.rows[*first].pos, r) + ")",
                 "give each row its own id");
        // A row label that names two rows would bind a document's row to either,
        // and a rule's name to the first. Once a pair: one change mends it.
        for (const auto& other : table.rows)
            for (const auto& name : row.normalized)
                if (std::find(other.normalized.begin(), other.normalized.end(), name) != other.normalized.end()) {
                    report(r, "'" + name + "' names two rows of table " + table.id + ": '" + other.id + "' (" +
                                  also_at(other.pos, r).substr(5) + ") and '" + row.id + "' (an id, label or alias of each)",
                           "a row's label must name one row: drop or change one of the two");
                    break;
                }
        if (!row.group.empty()) {
            bool known = false;
            for (const auto& g : table.groups) known = known || g.id == row.group;
            if (!known && !groups_read) throw AlreadySaid{};
            if (!known) fail(r["group"], "unknown group '" + row.group + "'", "declare it under the table's 'groups'");
        }
        table.rows.push_back(std::move(row));
        return table.rows.size() - 1;
    }

    // A template; `catalog` holds those loaded before it, which `based-on` may name,
    // and `failed` the ids of this file's templates that had a problem. Its years,
    // its sections and each of its tables are read on their own: `years_read` says
    // whether its years were.
    TemplateSchema read_template(const YamlNode& node, const TemplateCatalog& catalog, const std::vector<std::string>& failed,
                                 bool& years_read) const {
        if (!node.is_mapping()) fail(node, "a template must be a map");
        expect_keys(node, {"id", "title", "based-on", "years", "sections", "tables"}, "a template");
        TemplateSchema t;
        if (!node["id"]) missing_id(node, "a template", "the name rules and applies-to use for it");
        t.id = scalar(node, "id", true);
        recover([&] { t.title = scalar(node, "title", false); });
        t.file = source_.name();
        const TemplateSchema* base = nullptr;
        // Based on a template whose problem has been said (or on one not found):
        // what this one inherits is not known, so what it lacks is not said.
        bool base_unknown = false;
        if (const YamlNode based_on = node["based-on"]) {
            base_unknown = !recover([&] {
                const std::string id = text_of(based_on);
                if (std::find(failed.begin(), failed.end(), id) != failed.end() && id != t.id) throw AlreadySaid{};
                std::vector<std::string> known;
                for (const auto& other : catalog.templates) known.push_back(other.id);
                base = catalog.find(id);
                if (!base)
                    fail(based_on, "unknown template '" + id + "' to base " + t.id + " on" + names::did_you_mean(id, known),
                         "a template is based on one declared before it (here or in an earlier file): " + joined(known));
                t.sections = base->sections;
                t.tables = base->tables;
                if (t.title.empty()) t.title = base->title;
                // Based on the one of its own id (a local gov-2021 that changes one table
                // of the standard one): it replaces it, and is no base of itself.
                if (base->id != t.id) t.based_on.push_back(base->id);
                t.local_copy = base->id == t.id || base->local_copy;
                t.based_on.insert(t.based_on.end(), base->based_on.begin(), base->based_on.end());
            });
            if (base_unknown) base = nullptr;
        }
        years_read = recover([&] {
            if (const YamlNode years = node["years"]) {
                if (!years.is_mapping())
                    fail(years, "template " + t.id + "'s 'years' must be a map", "write {from: 2026} or {from: 2019, to: 2020}");
                if (!expect_keys(years, {"from", "to"}, "'years'")) throw AlreadySaid{};
                // A report's year is read from 2000 to 2099 (engine/model/metadata.cpp);
                // years far past those are a slip (to: 20300000) that would have the
                // compiler try each year between.
                for (const char* key : {"from", "to"})
                    if (const YamlNode year = years[key]) {
                        const int n = number_of(year);
                        if (n < kFirstTemplateYear || n > kLastTemplateYear)
                            fail(year, "template " + t.id + "'s 'years' " + key + " " + std::to_string(n) + " is no report's year",
                                 "write a year from " + std::to_string(kFirstTemplateYear) + " to " +
                                     std::to_string(kLastTemplateYear));
                        (std::string_view(key) == "from" ? t.first_year : t.last_year) = n;
                    }
                if (t.first_year > 0 && t.last_year > 0 && t.last_year < t.first_year)
                    fail(years, "template " + t.id + " ends (" + std::to_string(t.last_year) + ") before it starts (" +
                                    std::to_string(t.first_year) + ")",
                         "write {from: " + std::to_string(t.last_year) + ", to: " + std::to_string(t.first_year) + "}");
            } else {
                missing(node, "years", "template " + t.id + " needs 'years' ({from: YEAR, to: YEAR})");
            }
        });
        const YamlNode sections = node["sections"];
        recover([&] {
            if (!base && !base_unknown && !sections) missing(node, "sections", "template " + t.id + " needs a list of 'sections'");
            if (sections) expect_list(sections, "sections", "section");
            // Based on another, the sections listed replace its sections of the same id
            // and the others are added; so are the tables.
            const std::size_t inherited_sections = t.sections.size();
            bool all_read = true;
            if (sections)
                for (const auto& s : sections.items())
                    all_read = recover([&] {
                                   SectionSchema section;
                                   expect_keys(s, {"id", "label", "aliases", "number", "keywords"}, "a section");
                                   read_label(s, section, "a section of template " + t.id);
                                   if (const YamlNode words = s["keywords"]) {
                                       if (!words.is_sequence()) fail(words, "'keywords' must be a list");
                                       for (const auto& word : words.items()) {
                                           std::string n = normalize_label(text_of(word));
                                           if (n.empty()) fail(word, "empty keyword", "a keyword is a word a reworded heading of the section holds");
                                           section.keywords.push_back(std::move(n));
                                       }
                                   }
                                   section.number = s["number"] ? number_of(s["number"]) : static_cast<int>(t.sections.size()) + 1;
                                   place(t.sections, std::move(section), inherited_sections, s, "section");
                               }) &&
                               all_read;
            // A section left out, or read without a misspelt key, could make two seem to clash.
            if (all_read) check_sections(t, sections ? sections : node);
        });
        if (const YamlNode tables = node["tables"]) {
            const std::size_t inherited_tables = t.tables.size();
            recover([&] { expect_list(tables, "tables", "table"); });
            for (const auto& tn : tables.items()) recover([&] { place(t.tables, read_table(tn), inherited_tables, tn, "table"); });
        }
        return t;
    }

    // Puts `item` in `list`: over the inherited one of its id (the first
    // `inherited`), else at the end; the same id twice in the file is an error.
    template <typename T>
    void place(std::vector<T>& list, T item, std::size_t inherited, const YamlNode& at, const char* what) const {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i].id != item.id) continue;
            if (i >= inherited)
                fail(at, std::string("duplicate ") + what + " '" + item.id + "' (also at line " + std::to_string(list[i].pos.line) + ")",
                     std::string("give each ") + what + " its own id");
            list[i] = std::move(item);
            return;
        }
        list.push_back(std::move(item));
    }

    // Two sections of one number, or a name that is another section's too, would
    // send a heading to either at random.
    void check_sections(const TemplateSchema& t, const YamlNode& sections) const {
        // The entry of this file that declares a section, found by its id (an
        // inherited section's position is in another file); else the list.
        auto declared = [&](const SectionSchema& section) -> YamlNode {
            if (sections.is_sequence())
                for (const auto& s : sections.items()) {
                    const YamlNode id = s.is_mapping() ? s["id"] : s;
                    if (id && id.is_scalar() && id.scalar() == section.id) return s;
                }
            return YamlNode();
        };
        for (std::size_t i = 0; i < t.sections.size(); ++i)
            for (std::size_t j = 0; j < i; ++j) {
                const SectionSchema& a = t.sections[j];
                const SectionSchema& b = t.sections[i];
                // Where the clash is written: the later one if this file declares it,
                // else the earlier, else (both inherited: a base that changed) the list.
                auto at = [&]() -> YamlNode {
                    if (YamlNode n = declared(b)) return n;
                    if (YamlNode n = declared(a)) return n;
                    return sections;
                };
                if (a.number == b.number)
                    fail(at(), "sections '" + a.id + "' and '" + b.id + "' of template " + t.id + " are both number " +
                                    std::to_string(b.number),
                         "give each section its own 'number' (its place in the template, 1 for 一)");
                for (const auto& name : b.normalized)
                    if (std::find(a.normalized.begin(), a.normalized.end(), name) != a.normalized.end())
                        fail(at(), "'" + name + "' names two sections of template " + t.id + ": '" + a.id + "' and '" +
                                        b.id + "' (an id, label or alias of each)",
                             "a heading must name one section: drop or change one of the two");
            }
    }

private:
    // A problem once: the same message on a line again (a table reported twice) adds nothing.
    void keep(InputError e) const {
        for (const auto& other : errors_)
            if (other.pos().line == e.pos().line && std::string_view(other.what()) == e.what()) return;
        errors_.push_back(std::move(e));
    }

    const SourceText& source_;
    std::vector<InputError>& errors_;
};

}  // namespace

std::optional<std::size_t> TableSchema::row_index(std::string_view wanted) const {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].id == wanted) return i;
    return std::nullopt;
}

std::optional<std::size_t> TableSchema::column_index(std::string_view wanted) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].id == wanted) return i;
    return std::nullopt;
}

const TableSchema* TemplateSchema::table(std::string_view table_id) const {
    for (const auto& t : tables)
        if (t.id == table_id) return &t;
    return nullptr;
}

bool TemplateSchema::is(std::string_view id_or_base) const {
    return id == id_or_base || std::find(based_on.begin(), based_on.end(), id_or_base) != based_on.end();
}

const TemplateSchema* template_for_year(const TemplateCatalog& catalog, int year) {
    if (year == 0) return nullptr;
    const TemplateSchema* chosen = nullptr;
    for (const auto& t : catalog.templates)
        if ((t.first_year == 0 || year >= t.first_year) && (t.last_year == 0 || year <= t.last_year))
            if (!chosen || t.first_year > chosen->first_year) chosen = &t;
    return chosen;
}

const TemplateSchema* TemplateCatalog::find(std::string_view id) const {
    for (const auto& t : templates)
        if (t.id == id) return &t;
    return nullptr;
}

namespace {

// What to do when a template file cannot be read for `error`. The standard one
// is where default_rulepack_dir() says: the user's GOUJI_RULEPACKS, or the source
// tree gouji was built in, which may have moved.
std::string unreadable_template_hint(const std::string& yaml_path, int error) {
    const std::string dir = default_rulepack_dir();
    if (yaml_path != dir + "/templates.yaml" || error == EACCES || error == EPERM) return rules::yaml_file_hint(error);
    if (const char* env = std::getenv("GOUJI_RULEPACKS"); env && *env)
        return "GOUJI_RULEPACKS=" + dir +
               " names the folder of the standard templates and rule packs: set it to gouji's rulepacks folder, or "
               "unset it";
    return "gouji reads its standard templates and rule packs from " + dir +
           ", where it was built: set GOUJI_RULEPACKS to the rulepacks folder if it has moved";
}

// Which file loaded before `yaml_path` (one whose templates `catalog` holds)
// defines the anchor `name`: an author who copied a template of the standard file
// keeps its aliases (*sections-2019), which name nothing in a file of their own.
std::optional<std::string> file_with_anchor(const TemplateCatalog& catalog, const std::string& yaml_path, const std::string& name) {
    if (name.empty()) return std::nullopt;
    std::vector<std::string> files;
    for (const auto& t : catalog.templates)
        if (t.file != yaml_path && std::find(files.begin(), files.end(), t.file) == files.end()) files.push_back(t.file);
    for (const auto& file : files) {
        const std::optional<std::string> text = rules::read_yaml_file(file);
        if (!text) continue;
        // '&name' followed by a blank or a line's end: an anchor, not a longer one.
        const std::string anchor = "&" + name;
        for (std::size_t at = text->find(anchor); at != std::string::npos; at = text->find(anchor, at + 1)) {
            const std::size_t end = at + anchor.size();
            if (end == text->size() || std::string_view(" \t\r\n").find((*text)[end]) != std::string_view::npos) return file;
        }
    }
    return std::nullopt;
}

// The templates of one file into `catalog`: its problems, in the order found.
std::vector<InputError> read_template_file(TemplateCatalog& catalog, const std::string& yaml_path,
                                           std::optional<SourceText>& source) {
    std::error_code ec;
    if (std::filesystem::is_directory(yaml_path, ec))
        return {InputError(yaml_path, {}, "is a directory, not a template file",
                           "give the .yaml file itself, e.g. --templates " +
                               (std::filesystem::path(yaml_path) / "templates.yaml").string())};
    bool too_large = false;
    int error = 0;
    std::optional<std::string> text = rules::read_yaml_file(yaml_path, &too_large, &error);
    if (too_large) return {InputError(yaml_path, {}, "is larger than 16 MiB, so not a template file", "give the templates' .yaml file")};
    if (!text)
        return {InputError(yaml_path, {}, std::string("cannot read the template file: ") + std::strerror(error),
                           unreadable_template_hint(yaml_path, error))};
    source.emplace(yaml_path, std::move(*text));
    const YamlDocument yaml(source->text());
    if (const auto& e = yaml.error()) {
        if (auto other = file_with_anchor(catalog, yaml_path, e->unknown_alias))
            return {InputError(yaml_path, source->position_of(e->byte),
                               "'*" + e->unknown_alias + "' names an anchor of " + *other +
                                   ", and YAML anchors work within one file: a --templates file cannot use another file's",
                               "reuse a template of that file with 'based-on:' and write only what changes, as "
                               "docs/templates.md shows")};
        return {InputError(yaml_path, source->position_of(e->byte), e->describe(*source), "fix the YAML syntax")};
    }
    std::vector<InputError> errors;
    for (const auto& d : yaml.duplicate_keys())
        errors.emplace_back(yaml_path, source->position_of(d.byte), YamlDocument::describe(d, *source));
    SchemaReader reader(*source, errors);
    reader.recover([&] { reader.read_agencies(yaml.root()["agencies"], catalog); });
    reader.recover([&] { reader.read_metadata_words(yaml.root()["metadata"], catalog.metadata); });
    const YamlNode templates = yaml.root()["templates"];
    // Other top-level keys may hold YAML anchors (common:), but one close to a key
    // gouji reads is a misspelling that would drop what it holds.
    if (yaml.root().is_mapping())
        for (const auto& kv : yaml.root().entries()) {
            const std::string key(kv.key.scalar());
            static const std::vector<std::string> read = {"metadata", "agencies", "templates"};
            if (std::find(read.begin(), read.end(), key) != read.end()) continue;
            if (auto meant = names::closest(key, read))
                reader.report(kv.key, "unknown key '" + key + "' (did you mean '" + *meant + "'?)",
                              "the keys gouji reads here are metadata, agencies and templates; others may hold YAML anchors");
        }
    if (!templates || templates.is_null()) {
        reader.report(yaml.root(), "no 'templates:' list in this file", "a file of words only says templates: []");
        return errors;
    }
    if (!templates.is_sequence()) {
        // A map here is most often one template whose '- ' was left out.
        reader.report(templates, "'templates' must be a list: start each template with '- '");
        return errors;
    }
    std::vector<std::pair<std::string, std::uint32_t>> in_this_file;  // id, line
    std::vector<std::string> failed;                                  // ids of this file's templates with a problem
    for (const auto& node : templates.items()) {
        const std::size_t errors_before = reader.error_count();
        std::optional<TemplateSchema> read;
        bool years_read = false;
        reader.recover([&] { read = reader.read_template(node, catalog, failed, years_read); });
        if (!read) {
            // Its id, if it has one, so that a template based on it is not told its base is unknown.
            if (node.is_mapping() && node["id"].is_scalar()) failed.emplace_back(node["id"].scalar());
            continue;
        }
        TemplateSchema& t = *read;
        const SourcePos pos = reader.pos_of(node);
        // A later file replaces a template of the same id (a local copy of a
        // standard one); the same id twice in one file is a slip.
        for (const auto& [id, line] : in_this_file)
            if (id == t.id)
                reader.report(node["id"], "template '" + t.id + "' is declared twice in this file (also at line " + std::to_string(line) + ")",
                              "give the new one its own id");
        in_this_file.emplace_back(t.id, pos.line);
        // Years covered by two templates go to the one that starts later; two that
        // start in the same year cannot be told apart.
        if (years_read)
            for (const auto& other : catalog.templates)
                if (other.id != t.id && other.first_year == t.first_year &&
                    (other.last_year == 0 || t.first_year <= other.last_year))
                    reader.report(node["years"], "templates '" + other.id + "' (" + other.file + ") and '" + t.id +
                                                     (t.first_year ? "' both start in " + std::to_string(t.first_year)
                                                                   : std::string("' both have no first year (from)")),
                                  "the reports of a year go to the template that starts latest: start one later, or "
                                  "replace '" + other.id + "' by giving yours its id");
        // A template that ends in a year it names ('to:') is meant for every year up
        // to it; one starting later among them takes them, and the years it was
        // written for would go elsewhere without a word (a slip in 'years').
        if (years_read && t.last_year != 0) {
            const TemplateSchema* later = nullptr;
            for (const auto& other : catalog.templates)
                if (other.id != t.id && other.first_year > t.first_year && other.first_year <= t.last_year &&
                    (!later || other.first_year < later->first_year))
                    later = &other;
            if (later) {
                const int lost_to = later->last_year != 0 ? std::min(later->last_year, t.last_year) : t.last_year;
                auto span = [](int from, int to) {
                    if (from == 0) return "those up to " + std::to_string(to);
                    return from == to ? std::to_string(from) : std::to_string(from) + "–" + std::to_string(to);
                };
                reader.report(node["years"], "template '" + t.id + "' gets the reports of " +
                                                 span(t.first_year, later->first_year - 1) + ", not those of " +
                                                 span(later->first_year, lost_to) + " that its 'years' name: they go to '" +
                                                 later->id + "' (" + later->file + ", from " +
                                                 std::to_string(later->first_year) + "), which starts later",
                              "the reports of a year go to the template that starts latest: end '" + t.id + "' before " +
                                  std::to_string(later->first_year) + ", or start it later");
            }
        }
        // The same slip seen from the template that starts later, when it comes
        // after the one whose 'to:' it cuts in the same file: the check above only
        // sees templates read before. A template of a later file that starts inside
        // an earlier file's 'to:' is no slip: it is how a local file takes a year
        // from a standard template ({from: 2020, to: 2020} over gov-2019's 2019–2020).
        if (years_read && t.first_year != 0)
            for (const auto& earlier : catalog.templates)
                if (earlier.id != t.id && earlier.file == t.file && earlier.last_year != 0 &&
                    earlier.first_year < t.first_year &&
                    t.first_year <= earlier.last_year) {
                    const int lost_to = t.last_year != 0 ? std::min(t.last_year, earlier.last_year) : earlier.last_year;
                    const std::string lost = t.first_year == lost_to ? std::to_string(lost_to)
                                                                     : std::to_string(t.first_year) + "–" +
                                                                           std::to_string(lost_to);
                    reader.report(node["years"], "template '" + t.id + "' starts in " + std::to_string(t.first_year) +
                                                     ", inside the years '" + earlier.id + "' (" + earlier.file +
                                                     ") names, up to " + std::to_string(earlier.last_year) +
                                                     ": the reports of " + lost + " go to '" + t.id + "', not to '" +
                                                     earlier.id + "'",
                                  "the reports of a year go to the template that starts latest: end '" + earlier.id +
                                      "' before " + std::to_string(t.first_year) + ", or start '" + t.id + "' after " +
                                      std::to_string(earlier.last_year));
                    break;
                }
        if (reader.error_count() != errors_before) {
            failed.push_back(t.id);
            continue;
        }
        for (auto& table : t.tables) table.name_index = std::make_shared<const names::NameIndex>(table);
        bool replaced = false;
        for (auto& existing : catalog.templates)
            if (existing.id == t.id) {
                existing = std::move(t);
                replaced = true;
                break;
            }
        if (!replaced) catalog.templates.push_back(std::move(t));
    }
    return errors;
}

}  // namespace

namespace {

// A file's problems in the order of its lines, as a reader fixes them: they are
// found by what is read first (the metadata words key by key, each template whole).
std::vector<InputError> in_line_order(std::vector<InputError> found) {
    std::stable_sort(found.begin(), found.end(), [](const InputError& a, const InputError& b) {
        return std::pair(a.pos().line, a.pos().column) < std::pair(b.pos().line, b.pos().column);
    });
    return found;
}

}  // namespace

bool load_templates_into(TemplateCatalog& catalog, const std::string& yaml_path, std::vector<RuleDiagnostic>& errors) {
    std::optional<SourceText> source;
    const std::vector<InputError> found = in_line_order(read_template_file(catalog, yaml_path, source));
    rules::Diagnostics diagnostics(errors);
    for (const InputError& e : found) {
        std::string message = e.what();
        if (!e.hint().empty()) message += " (" + e.hint() + ")";
        if (source && e.pos().known())
            diagnostics.error(*source, e.pos(), std::move(message));
        else
            diagnostics.error(e.file(), std::move(message));
    }
    return found.empty();
}

void load_templates_into(TemplateCatalog& catalog, const std::string& yaml_path) {
    std::optional<SourceText> source;
    std::vector<InputError> found = in_line_order(read_template_file(catalog, yaml_path, source));
    if (!found.empty()) throw found.front();
}

TemplateCatalog load_templates(const std::string& yaml_path) {
    TemplateCatalog catalog;
    load_templates_into(catalog, yaml_path);
    return catalog;
}

std::string default_rulepack_dir() {
    if (const char* env = std::getenv("GOUJI_RULEPACKS"); env && *env) return env;
    return std::string(GOUJI_SOURCE_DIR) + "/rulepacks";
}

}  // namespace gouji
