// The report model: what the rule language addresses. Built once per document by
// the model stages (sections, metadata, binding, narrative) from a Document and a
// template catalog; everything in it points back to its place in the source.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gouji/document.hpp"
#include "gouji/source.hpp"
#include "gouji/template_schema.hpp"
#include "gouji/value.hpp"

namespace gouji {

// ---- metadata -------------------------------------------------------------

struct Date {
    int year = 0, month = 0, day = 0;  // 0 = not written
    friend bool operator==(const Date&, const Date&) = default;
};

struct StatisticsPeriod {
    bool found = false;      // a period sentence was located
    bool parsed = false;     // and its dates could be read
    Date start, end;
    std::string text;        // the text found, verbatim
    SourcePos pos;
};

struct TemplateDetection {
    std::string template_id;  // the template the report year requires; empty when unknown
    std::string reason;       // "report year 2020 → gov-2019; ..."
    // The template the document's own tables and wording look like, decided without
    // the year (表二 columns, 表三's （六） rows, the 〔2021〕30号 basis). Differs from
    // template_id when a report uses the wrong template for its year.
    std::string shape_template_id;
    std::string shape_reason;
};

struct Metadata {
    std::string title;
    std::string agency;
    int year = 0;             // report year; 0 = unknown
    std::string year_reason;  // where the year came from
    StatisticsPeriod period;
    std::optional<Date> published;
    SourcePos published_pos;
    TemplateDetection detected;
};

// ---- sections -------------------------------------------------------------

struct Section {
    std::string title;         // as written, numbering included
    std::string numbering;     // "一", "（一）", "1", "##" …
    int level = 1;             // 1 = a template top-level section
    std::string canonical;     // template section id when matched, else empty
    int template_number = 0;   // the matched section's number in the template
    // When its title names the section by no label or alias: the section's keyword it
    // holds, the heading taken by its number ("五、问题与改进": 问题).
    std::string matched_keyword;
    std::uint32_t first_line = 0, last_line = 0;
    // Document blocks [first_block, end_block): what the section spans even when a
    // whole HTML article sits on one source line.
    std::size_t first_block = 0, end_block = 0;
    SourcePos pos;
    // Body text (without the title), joined by '\n'. Its tables are there as a
    // plain-text report has them, whatever the format: a line per row, cells
    // separated by a tab.
    std::string text;
    std::size_t tables = 0;    // document tables inside the section (a section of tables is not empty)
    std::vector<Section> children;
};

// ---- tables ---------------------------------------------------------------

enum class BindingMethod {
    Label,     // the row and the column were identified by their labels
    Position,  // labels lost: identified by the template's shape
    Missing,   // the template has the cell; the document does not
};
std::string_view to_string(BindingMethod m);

struct BoundCell {
    std::string row;      // canonical row id
    std::string column;   // canonical column id
    Value value;
    // Marked none, or blank in a table that writes no 0 anywhere: read as 0
    // (TableSchema::blank_is_zero_without_zeros).
    bool blank_read_as_zero = false;
    std::string text;     // the cell text as written ("" for Absent)
    SourcePos pos;
    BindingMethod row_binding = BindingMethod::Label;
    BindingMethod column_binding = BindingMethod::Label;
};

struct BoundTable {
    std::string id;  // 表二, 表三, 表四, 附表
    const TableSchema* schema = nullptr;
    bool found = false;       // anything of the table was located in the document
    SourcePos pos;
    // cells[r][c] for schema rows/columns; a cell the row's block lacks is nullopt.
    std::vector<std::vector<std::optional<BoundCell>>> cells;
    std::vector<std::string> notes;  // binding remarks: short rows, skipped junk…

    const BoundCell* cell(std::string_view row, std::string_view column) const;
    // Found with cells written, none of them a number: every cell "/", "无", "—",
    // blank or text (a township with no applications). Numbers that could not be
    // placed and approximate ones ("2万多") are numbers; a table none of whose cells
    // the document has is not this.
    bool numberless() const;
    // Its blank cells read as 0 (BoundCell::blank_read_as_zero).
    std::size_t blanks_read_as_zero() const;
};

// ---- narrative ------------------------------------------------------------

struct Figure {
    Value value;               // unit in value.unit; % figures keep their decimals
    std::string text;          // as written: "1206件", "88.9%", "2万多"
    std::string context;       // the words it qualifies: "受理依申请公开"
    // The words after it (and its unit) to its clause's end (，。；：、 or a bracket) or
    // the next number, normalized as `context` is: "本年度共受理20件政府信息公开申请。"
    // gives 20件 the context "受理" and the words after it "政府信息公开申请". Words
    // of one block only: a sentence broken across paragraphs gives less.
    std::string after;
    SourcePos pos;
    std::size_t section = 0;   // index of the top-level section it is in (0-based), or npos
    std::size_t sentence = 0;  // running sentence number in the document
    // The year the words before it name, 0 when they name none: a year written
    // ("2022年予以公开40件", "二〇二二年度…"), the report's year − 1 for 上年, 上一年度,
    // 去年 and − 2 for 前年, the report's year for 本年度, 今年, 全年, 当年 (−1, −2 and
    // 0 when the report's year is unknown). A sentence's topic year names its figures
    // to the sentence's end (and a next sentence opening with 其中), one after a
    // comparison ("较上年增加20件") those of its clause, one in a parenthesis those of
    // the parenthesis. Not a date's year ("2023年1月1日"), nor a year things go to or
    // come from ("结转至2024年", "上年结转5件": this year's carried-in applications).
    // The narrative stage works it out (narrative_scan.cpp, year_word).
    int year = 0;
};

// "总数为X条。其中：A条，占a%；B条，占b%…" or "X件，其中A件、B件…": one list.
struct FigureList {
    std::optional<std::size_t> total;          // index into ReportModel::figures
    // A total read as the count right before 其中 may not be the one the parts break
    // down ("收到申请10件，上年结转3件，其中自然人9件…" breaks down 10): the counts of
    // its unit that the same sentence states before it, in document order. The rules
    // decide which one the parts make up.
    std::vector<std::size_t> other_totals;     // indexes into ReportModel::figures
    struct Part {
        std::size_t count;                     // figure index
        std::optional<std::size_t> percent;    // figure index of its "占a%"
        std::string label;                     // "当面申请"
    };
    std::vector<Part> parts;
    bool partial = false;   // the text says the list is not exhaustive ("主要有", "等")
    std::string text;       // the whole list as written
    SourcePos pos;
};

// ---- the model --------------------------------------------------------------

struct ReportModel {
    Document document;
    Metadata metadata;
    const TemplateSchema* template_schema = nullptr;  // from the catalog; null if none fits
    // The catalog's words its cells and figures were read with, for rules that read a
    // number from text (a regex's group); NumberWords::standard() when null.
    const NumberWords* number_words = nullptr;
    std::vector<Section> sections;  // top-level sections, children nested
    std::vector<BoundTable> tables;
    std::vector<Figure> figures;
    std::vector<FigureList> lists;
    // A report of an earlier year kept for previous() (ReportHistory): its
    // figures and lists are dropped, and rules that read them are told so.
    bool prose_dropped = false;

    const BoundTable* table(std::string_view id) const;
};

// Builds the model of a document: sections, metadata and template, bound tables,
// narrative figures. Never throws on odd content: what cannot be understood is
// recorded (unknown year, unbound table, notes) for the rules to judge.
//
// The template is the one the report year names. To judge the document's shape
// (Metadata::detected.shape_*) every template's sections and tables are found
// as well, which costs about twice the binding: `explain` shows that judgement;
// `check` asks for it only when the year names no template, since then the
// shape chooses.
struct ModelOptions {
    bool judge_every_template = true;
};
ReportModel build_model(Document document, const TemplateCatalog& catalog, const ModelOptions& options = {});

}  // namespace gouji
