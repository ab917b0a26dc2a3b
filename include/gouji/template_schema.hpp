// Template schemas: what a report of a given year must contain (sections, tables,
// their rows and columns with every alias seen in the wild). Loaded from YAML under
// rulepacks/ so a new template year or alias needs no recompile.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gouji/diagnostic.hpp"
#include "gouji/source.hpp"
#include "gouji/value.hpp"

namespace gouji {

namespace names {
class NameIndex;
}

// A named thing with the labels it goes by. `id` is the canonical short name that
// rules use (表三.本年新收); `label` is the full label as the template prints it;
// `aliases` are further spellings. Matching is on normalized text (see text.hpp).
struct NamedLabel {
    std::string id;
    std::string label;
    std::vector<std::string> aliases;
    SourcePos pos;  // where the YAML declares it, for error messages
    // id, label and aliases after normalize_label(), computed once at load time:
    // matching runs for every line of every document.
    std::vector<std::string> normalized;
    // char_signature() of each of `normalized`, same order (empty when not computed).
    std::vector<std::uint64_t> signatures;
};

struct ColumnSchema : NamedLabel {
    std::string unit;  // default unit of the column's values ("万元")
};

struct RowSchema : NamedLabel {
    std::string group;        // id of the row group it belongs to ("不予公开"), empty at top
    std::size_t block = 0;    // index into TableSchema::blocks
};

struct BlockSchema : NamedLabel {
    std::vector<std::size_t> columns;  // indexes into TableSchema::columns
    // Other column lists seen in the wild for the same block (2019: （五） with
    // 本年项目数量/处理决定数量 only); a row binds to the one its values fit.
    std::vector<std::vector<std::size_t>> variants;
    std::vector<std::size_t> rows;     // indexes into TableSchema::rows
};

enum class TableLayout {
    Grid,  // one document row per schema row, one value per column
    Flat,  // all values in one sequence, rows × columns in row-major order (表四)
};

struct TableSchema : NamedLabel {
    std::string section;  // id of the section the table belongs to
    TableLayout layout = TableLayout::Grid;
    std::vector<ColumnSchema> columns;
    std::vector<RowSchema> rows;      // value rows in template order
    std::vector<NamedLabel> groups;   // row groups (三、本年度办理结果, （三）不予公开…)
    // Header cells over several columns that are no column themselves (申请人情况,
    // 法人或其他组织): known so that a header cell naming neither one of these nor a
    // column is told apart as a column the template does not have (小计).
    std::vector<NamedLabel> column_groups;
    // 表二's blocks; tables without blocks get one implicit block of all rows and columns.
    std::vector<BlockSchema> blocks;
    // Words that, when found in the document, anchor the table (table title, a
    // header cell that only this table has).
    std::vector<std::string> anchors;
    // A table that writes no 0 anywhere, whose other cells have numbers, leaves its
    // zeros blank (a form filled by someone who thought 0 need not be written): its
    // blank cells are read as 0 when this is set (templates.yaml `blank-cells: zero
    // when no zero`), so that its sums are checked. A table that writes 0 somewhere
    // means something else by a blank: that is a missing number. A cell marked none
    // ("—", "/", "无") says 0 in either table.
    bool blank_is_zero_without_zeros = false;

    // Rows, columns and groups by normalized name (rules/names.hpp), built once
    // at load time; null for a schema built in code (a lookup then builds its own).
    std::shared_ptr<const names::NameIndex> name_index;

    std::optional<std::size_t> row_index(std::string_view id) const;
    std::optional<std::size_t> column_index(std::string_view id) const;
};

struct SectionSchema : NamedLabel {
    int number = 0;  // 1-based position the template gives it
    // Words a reworded heading shares with the section's names (`keywords:`,
    // normalized as labels are): a heading numbered as the section ("五、问题与改进"),
    // where the section stands among the parts found before it, is the section when
    // its title holds one of them, though it names the section by no label or alias.
    std::vector<std::string> keywords;
};

struct TemplateSchema {
    std::string id;     // "gov-2019", "gov-2021", "pre-2019"
    std::string title;  // basis: 国办公开办函〔2019〕60号
    int first_year = 0;
    int last_year = 0;  // 0: open-ended
    std::vector<SectionSchema> sections;
    std::vector<TableSchema> tables;
    std::string file;   // YAML it was loaded from
    // The templates it is based on (`based-on:`), nearest first: it has their
    // sections and tables but for those it declares, and rules that name one of
    // them by id (`template == "gov-2021"`) hold it to the same.
    std::vector<std::string> based_on;
    // Based on the template of its own id (`based-on: gov-2019` in gov-2019): a
    // local copy that replaces the one the rules were written for.
    bool local_copy = false;

    const TableSchema* table(std::string_view id) const;
    // Whether it is the template `id_or_base`, or one based on it.
    bool is(std::string_view id_or_base) const;
};

// How a report names itself, its agency, its statistics period and its
// publication date (`metadata:` in templates.yaml): read before a template is
// chosen. Words are kept as the text they are compared with is: a title's
// lines normalized (normalize_label, UTF-8), other text folded (fold_chars).
struct MetadataWords {
    std::vector<std::vector<std::string>> report_names;  // each: words that together name the report
    std::u32string subject;                               // 政府信息公开
    std::vector<std::string> title_continuations;        // how a title's second line may start
    std::vector<std::string> title_labels;               // 标题: a page's label of its own title
    std::vector<std::u32string> agency_joiners;             // 关于: between the agency and the year
    std::u32string agency_endings;                           // the last characters of a body's name
    std::vector<std::pair<std::u32string, std::u32string>> agency_completions;  // 人民 → 人民政府
    std::vector<std::u32string> period_keys;                 // 统计期限…
    std::vector<std::u32string> published_keys;              // 发布时间…
    std::vector<std::u32string> date_keys;                   // 时间…, before a colon
    std::vector<std::u32string> other_times;                 // 更新…, before a date key
    std::vector<std::u32string> written_on;                  // 成文, before a date key
    // 问题: a sub-heading holding one names a year that is not its figures' (the year of
    // the problems "（一）2024年工作中存在问题的改进情况" reports the improvement of).
    std::vector<std::string> heading_year_exceptions;
    // `approximate-before`, `prose-units`: of the prose's figures and the tables' cells.
    NumberWords number_words;
    // A line is folded and searched only when it holds one of these characters as
    // written (UTF-8): the last of each report name, the first of each period key,
    // the last of each date key. A test checks that no other character folds to
    // those of the standard words.
    std::vector<std::string> report_name_marks, period_key_marks, date_key_marks;
};

struct TemplateCatalog {
    std::vector<TemplateSchema> templates;
    // Words an agency's name may end with or not and still be the same agency
    // (`agencies: same-without-suffix:`), for pairing a report with its previous
    // year's: "泉州市" and "泉州市人民政府".
    std::vector<std::string> agency_suffixes;
    MetadataWords metadata;  // words of every file loaded, in order
    const TemplateSchema* find(std::string_view id) const;
};

// The template for reports of `year`: of those whose years cover it, the one that
// starts latest (a new template takes over from an open-ended older one); null if none.
const TemplateSchema* template_for_year(const TemplateCatalog& catalog, int year);

// Adds the templates of a YAML file (top-level key `templates:`) to a catalog (a
// later id replaces an earlier one), and returns whether the file had no problem.
// Every problem found is appended to `errors` with its position and source line,
// as a pack's compile errors are: reading goes on after a problem in an entry of
// `metadata:`, a template's years, a section, a table, a row or a block, leaving
// out only what the problem makes unknown (a template based on one that had a
// problem is read without what it would inherit; the checks across sections run
// only when every section was read). A YAML syntax error stops the file. After a
// problem the catalog holds the file's templates that had none, and must not be
// used to model reports or compile packs.
bool load_templates_into(TemplateCatalog& catalog, const std::string& yaml_path, std::vector<RuleDiagnostic>& errors);
// The same, throwing the file's first problem as an InputError (its hint apart).
void load_templates_into(TemplateCatalog& catalog, const std::string& yaml_path);
TemplateCatalog load_templates(const std::string& yaml_path);
// The directory of the standard packs: $GOUJI_RULEPACKS, else the source tree's rulepacks/.
std::string default_rulepack_dir();

}  // namespace gouji
