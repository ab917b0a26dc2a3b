// 表三's columns are bound by their header labels wherever a grid keeps them: a
// table printed with 总计 first, two applicant columns swapped or an extra 小计 column
// gives the findings the template's order gives for the same numbers, and a column
// the template does not have is set aside, not read as the next one. Flattened text
// that lost its header is still read by position. The numbers are those of a
// consistent 2020 report (1195 new applications), one cell changed where an error
// is wanted.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/model/binder.hpp"
#include "gouji/check.hpp"
#include "gouji/readers.hpp"
#include "gouji/report_model.hpp"
#include "gouji/rules.hpp"
#include "gouji/text.hpp"

using namespace gouji;

namespace {

const TemplateCatalog& catalog() {
    static const TemplateCatalog c = load_templates(default_rulepack_dir() + "/templates.yaml");
    return c;
}

const RuleSet& standard_rules() {
    static const RuleSet set = [] {
        std::vector<RuleDiagnostic> errors;
        RuleSet s = compile_rule_packs(standard_rule_pack_files(), catalog(), errors);
        INFO(render(errors));
        REQUIRE(errors.empty());
        return s;
    }();
    return set;
}

const TableSchema& t3_schema() { return *catalog().find("gov-2019")->table("表三"); }

// The template's columns, in its order: 自然人, the five 法人或其他组织 columns, 总计.
constexpr int kColumns = 7;
const char* const kColumnIds[kColumns] = {"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"};

struct T3Row {
    const char* label;
    std::array<int, kColumns> values;
};

const T3Row kRows[] = {
    {"一、本年新收政府信息公开申请数量", {1102, 64, 2, 4, 7, 16, 1195}},
    {"二、上年结转政府信息公开申请数量", {11, 0, 0, 0, 0, 0, 11}},
    {"（一）予以公开", {474, 45, 1, 1, 5, 6, 532}},
    {"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", {128, 1, 0, 0, 0, 5, 134}},
    {"1.属于国家秘密", {2, 0, 0, 0, 0, 0, 2}},
    {"2.其他法律行政法规禁止公开", {16, 0, 0, 0, 0, 0, 16}},
    {"3.危及“三安全一稳定”", {0, 0, 0, 0, 0, 0, 0}},
    {"4.保护第三方合法权益", {24, 1, 0, 0, 0, 0, 25}},
    {"5.属于三类内部事务信息", {11, 0, 0, 0, 0, 0, 11}},
    {"6.属于四类过程性信息", {7, 0, 0, 0, 0, 0, 7}},
    {"7.属于行政执法案卷", {8, 0, 0, 0, 1, 0, 9}},
    {"8.属于行政查询事项", {12, 0, 0, 0, 0, 0, 12}},
    {"1.本机关不掌握相关政府信息", {333, 16, 1, 3, 1, 5, 359}},
    {"2.没有现成信息需要另行制作", {41, 1, 0, 0, 0, 0, 42}},
    {"3.补正后申请内容仍不明确", {23, 0, 0, 0, 0, 0, 23}},
    {"1.信访举报投诉类申请", {3, 0, 0, 0, 0, 0, 3}},
    {"2.重复申请", {11, 0, 0, 0, 0, 0, 11}},
    {"3.要求提供公开出版物", {0, 0, 0, 0, 0, 0, 0}},
    {"4.无正当理由大量反复申请", {1, 0, 0, 0, 0, 0, 1}},
    {"5.要求行政机关确认或重新出具已获取信息", {2, 0, 0, 0, 0, 0, 2}},
    {"（六）其他处理", {0, 0, 0, 0, 0, 0, 0}},
    {"（七）总计", {1096, 64, 2, 4, 7, 16, 1189}},
    {"四、结转下年度继续办理", {17, 0, 0, 0, 0, 0, 17}},
};
constexpr int kRowCount = static_cast<int>(sizeof(kRows) / sizeof(kRows[0]));

// How the table is printed: its columns in `order` (indexes into kColumnIds), a
// 小计 of the five 法人或其他组织 columns before the column `subtotal_before` (-1:
// none; kColumns: after the last), headed `subtotal_label`, and 本年新收 × 法律服务机构
// written as 9 instead of 7 when `error`. (html_table() takes a 小计 among the five
// 法人或其他组织 columns only: `subtotal_before` 1 to 5.)
struct Layout {
    std::vector<int> order = {0, 1, 2, 3, 4, 5, 6};
    int subtotal_before = -1;
    bool error = false;
    std::set<int> rows_left_out = {};  // indexes into kRows the table does not print
    // Rows whose every cell is written so ("/", "", "无"), by index into kRows; -1: every row.
    std::map<int, std::string> written_as = {};
    // Zeros written so ("" leaves them blank), but in the row `zeros_kept_in` (-1: none).
    std::string zeros_as = "0";
    int zeros_kept_in = -1;
    std::string subtotal_label = "小计";
};

// The printed cells of one row: numbers, and "小计" in the header.
std::vector<std::string> printed(const Layout& layout, int row) {
    std::vector<std::string> cells;
    auto subtotal = [&] {
        if (row < 0) {
            cells.push_back(layout.subtotal_label);
        } else {
            const auto& v = kRows[row].values;
            cells.push_back(std::to_string(v[1] + v[2] + v[3] + v[4] + v[5]));
        }
    };
    for (int c : layout.order) {
        if (c == layout.subtotal_before) subtotal();
        if (row < 0) cells.push_back(kColumnIds[c]);
        else if (auto it = layout.written_as.find(layout.written_as.count(-1) ? -1 : row); it != layout.written_as.end())
            cells.push_back(it->second);
        else if (const int v = layout.error && row == 0 && c == 4 ? 9 : kRows[row].values[c]; v == 0 && row != layout.zeros_kept_in)
            cells.push_back(layout.zeros_as);
        else cells.push_back(std::to_string(v));
    }
    if (layout.subtotal_before == kColumns) subtotal();
    return cells;
}

std::string report(const std::string& table3) {
    return "某某县统计局2020年政府信息公开工作年度报告\n\n"
           "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。\n\n"
           "## 一、总体情况\n\n本年度共收到政府信息公开申请1195件。\n\n"
           "## 二、主动公开政府信息情况\n\n全年主动公开政府信息235条。\n\n"
           "## 三、收到和处理政府信息公开申请情况\n\n" + table3 +
           "\n## 四、政府信息公开行政复议、行政诉讼情况\n\n本年度无行政复议、行政诉讼。\n\n"
           "## 五、存在的主要问题及改进情况\n\n主要问题是公开内容不够丰富。\n\n"
           "## 六、其他需要报告的事项\n\n本年度无其他需要报告的事项。\n";
}

// A Markdown pipe table with one header row, as the tester's files have it.
std::string markdown_table(const Layout& layout) {
    auto line = [](const std::string& first, const std::vector<std::string>& cells) {
        std::string s = "| " + first + " |";
        for (const auto& c : cells) s += " " + c + " |";
        return s + "\n";
    };
    std::vector<std::string> header = printed(layout, -1);
    std::string s = line("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", header);
    s += "|---|";
    for (std::size_t k = 0; k < header.size(); ++k) s += "---|";
    s += "\n";
    for (int r = 0; r < kRowCount; ++r)
        if (!layout.rows_left_out.count(r)) s += line(kRows[r].label, printed(layout, r));
    return s;
}

// An HTML table with the template's two-level header: 申请人情况 over every column,
// 法人或其他组织 over its own (and the 小计, when there is one), the others rowspan.
std::string html_table(const Layout& layout) {
    std::string top, below;
    int organisation_columns = 0;
    for (int c : layout.order) {
        if (c == layout.subtotal_before) {
            below += "<td>" + layout.subtotal_label + "</td>";
            ++organisation_columns;
        }
        if (c >= 1 && c <= 5) {
            below += std::string("<td>") + kColumnIds[c] + "</td>";
            ++organisation_columns;
        }
    }
    // The group's cell stands where its first column does: these layouts keep
    // 法人或其他组织's columns together, as the template does.
    bool group_written = false;
    for (int c : layout.order) {
        bool organisation = (c >= 1 && c <= 5) || c == layout.subtotal_before;
        if (organisation) {
            if (!group_written)
                top += "<td colspan=\"" + std::to_string(organisation_columns) + "\">法人或其他组织</td>";
            group_written = true;
        } else {
            top += std::string("<td rowspan=\"2\">") + kColumnIds[c] + "</td>";
        }
    }
    const int width = kColumns + (layout.subtotal_before >= 0 ? 1 : 0);
    std::string s = "<table>\n<tr><td rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
                    "<td colspan=\"" + std::to_string(width) + "\">申请人情况</td></tr>\n"
                    "<tr>" + top + "</tr>\n<tr>" + below + "</tr>\n";
    for (int r = 0; r < kRowCount; ++r) {
        s += std::string("<tr><td>") + kRows[r].label + "</td>";
        for (const auto& v : printed(layout, r)) s += "<td>" + v + "</td>";
        s += "</tr>\n";
    }
    return s + "</table>\n";
}

std::string html_report(const Layout& layout) {
    std::string md = report("@@TABLE@@");
    // The same report as a page: each line a paragraph, the table in its place.
    std::string body;
    std::size_t start = 0;
    while (start < md.size()) {
        std::size_t end = md.find('\n', start);
        if (end == std::string::npos) end = md.size();
        std::string line = md.substr(start, end - start);
        if (line.starts_with("## ")) line = line.substr(3);
        if (line == "@@TABLE@@") body += html_table(layout);
        else if (!line.empty()) body += "<p>" + line + "</p>\n";
        start = end + 1;
    }
    return "<html><body>\n" + body + "</body></html>\n";
}

Document markdown_document(const Layout& layout) {
    return read_markdown("t3.md", report(markdown_table(layout)), ReadLimits{});
}

BoundTable bind_t3(const Document& d) { return bind_table(d, t3_schema(), 0, d.blocks.size()); }

// What a finding says about the report: rule and binding, severity, and the
// suggested cell and value, if any.
using Said = std::tuple<std::string, Severity, std::string>;

std::set<Said> findings_of(Document d) {
    ReportFindings report = check_document(std::move(d), standard_rules(), catalog());
    std::set<Said> out;
    for (const Finding& f : report.findings) {
        std::string suggestion;
        if (f.suggestion)
            suggestion = f.suggestion->row + "." + f.suggestion->column + "=" + std::to_string(f.suggestion->value);
        out.insert({finding_label(f), f.severity, suggestion});
    }
    return out;
}

std::string text_of(const std::set<Said>& findings) {
    std::string s;
    for (const auto& [label, severity, suggestion] : findings)
        s += label + " " + std::to_string(static_cast<int>(severity)) + " " + suggestion + "\n";
    return s;
}

bool has(const std::set<Said>& findings, const std::string& label) {
    return std::any_of(findings.begin(), findings.end(), [&](const Said& s) { return std::get<0>(s) == label; });
}

bool has_note(const BoundTable& t, const std::string& part) {
    return std::any_of(t.notes.begin(), t.notes.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

// Every cell of the bound table holds the template-order number and was bound by label.
void check_all_cells(const BoundTable& t) {
    for (int r = 0; r < kRowCount; ++r)
        for (int c = 0; c < kColumns; ++c) {
            const BoundCell* cell = t.cell(t3_schema().rows[static_cast<std::size_t>(r)].id, kColumnIds[c]);
            REQUIRE(cell);
            INFO(kRows[r].label, " × ", kColumnIds[c], " = ", cell->text);
            CHECK(cell->value.number == kRows[r].values[static_cast<std::size_t>(c)]);
            CHECK(cell->column_binding == BindingMethod::Label);
        }
}

}  // namespace

TEST_CASE("table3 columns: a Markdown grid is bound by its header labels, in any order") {
    SUBCASE("the template's order (the control)") {
        check_all_cells(bind_t3(markdown_document(Layout{})));
    }
    SUBCASE("社会公益组织 and 法律服务机构 swapped") {
        check_all_cells(bind_t3(markdown_document(Layout{{0, 1, 2, 4, 3, 5, 6}})));
    }
    SUBCASE("总计 first") {
        check_all_cells(bind_t3(markdown_document(Layout{{6, 0, 1, 2, 3, 4, 5}})));
    }
    SUBCASE("a 小计 of 法人或其他组织 before 总计 is set aside, not read as 总计") {
        BoundTable t = bind_t3(markdown_document(Layout{{0, 1, 2, 3, 4, 5, 6}, 6}));
        check_all_cells(t);
        CHECK(has_note(t, "23 values under 「小计」, a column 表三 does not have, set aside"));
    }
}

TEST_CASE("table3 columns: the findings of a reordered table are those of the template's order") {
    const std::set<Said> control = findings_of(markdown_document(Layout{}));
    const std::set<Said> control_error = findings_of(markdown_document(Layout{{0, 1, 2, 3, 4, 5, 6}, -1, true}));
    INFO("control:\n", text_of(control), "control with an error:\n", text_of(control_error));
    REQUIRE(!has(control, "T3-ROW-SUM[r=本年新收]"));
    REQUIRE(has(control_error, "T3-BALANCE[c=法律服务机构]"));
    REQUIRE(!has(control_error, "T3-BALANCE[c=社会公益组织]"));

    SUBCASE("swapped columns, the changed cell blamed where it is") {
        std::set<Said> swapped = findings_of(markdown_document(Layout{{0, 1, 2, 4, 3, 5, 6}, -1, true}));
        INFO(text_of(swapped));
        CHECK(swapped == control_error);
        CHECK(findings_of(markdown_document(Layout{{0, 1, 2, 4, 3, 5, 6}})) == control);
    }
    SUBCASE("总计 first: no false row sums") {
        std::set<Said> total_first = findings_of(markdown_document(Layout{{6, 0, 1, 2, 3, 4, 5}}));
        INFO(text_of(total_first));
        CHECK(total_first == control);
    }
    SUBCASE("an extra 小计 column: no false errors") {
        std::set<Said> subtotal = findings_of(markdown_document(Layout{{0, 1, 2, 3, 4, 5, 6}, 6}));
        INFO(text_of(subtotal));
        CHECK(subtotal == control);
        std::set<Said> subtotal_error = findings_of(markdown_document(Layout{{0, 1, 2, 3, 4, 5, 6}, 6, true}));
        INFO(text_of(subtotal_error));
        CHECK(subtotal_error == control_error);
    }
}

TEST_CASE("table3 columns: an HTML grid under the two-level header, 法人或其他组织 spanning its columns") {
    auto bind_html = [](const Layout& layout) {
        return bind_t3(read_html("t3.html", html_report(layout), ReadLimits{}));
    };
    SUBCASE("the template's order") { check_all_cells(bind_html(Layout{})); }
    SUBCASE("总计 first, two columns swapped, a 小计 under 法人或其他组织") {
        BoundTable t = bind_html(Layout{{6, 0, 1, 2, 4, 3, 5}, 5});
        check_all_cells(t);
        CHECK(has_note(t, "under 「小计」"));
        // The group headings are no columns: nothing is set aside under them.
        CHECK(!has_note(t, "法人或其他组织"));
        CHECK(!has_note(t, "申请人情况"));
    }
    SUBCASE("the findings are the control's") {
        const std::set<Said> control = findings_of(markdown_document(Layout{{0, 1, 2, 3, 4, 5, 6}, -1, true}));
        std::set<Said> html =
            findings_of(read_html("t3.html", html_report(Layout{{6, 0, 1, 2, 4, 3, 5}, 5, true}), ReadLimits{}));
        INFO(text_of(control), "html:\n", text_of(html));
        CHECK(html == control);
    }
}

TEST_CASE("table3 columns: a column headed with a group's name (法人或其他组织小计) is set aside wherever it stands") {
    // A local form prints the five 法人或其他组织 columns' subtotal under a label naming
    // the group: it named no template column and was no column the template lacks, the
    // row's eight numbers were read by the template's seven (小计 as 商业企业 … 其他 as 总计).
    const std::set<Said> control = findings_of(markdown_document(Layout{}));
    for (const int before : {1, 6, kColumns}) {
        for (const char* label : {"法人或其他组织小计", "法人或其他组织", "备注"}) {
            Layout layout;
            layout.subtotal_before = before;
            layout.subtotal_label = label;
            INFO("before column ", before, ": ", label);
            BoundTable t = bind_t3(markdown_document(layout));
            check_all_cells(t);
            CHECK(has_note(t, fmt::format("23 values under 「{}」, a column 表三 does not have, set aside", label)));
            const std::set<Said> findings = findings_of(markdown_document(layout));
            INFO(text_of(findings));
            CHECK(findings == control);
        }
    }
    SUBCASE("under 法人或其他组织 in an HTML two-level header") {
        Layout layout;
        layout.subtotal_before = 1;
        layout.subtotal_label = "法人或其他组织小计";
        BoundTable t = bind_t3(read_html("t3.html", html_report(layout), ReadLimits{}));
        check_all_cells(t);
        CHECK(has_note(t, "23 values under 「法人或其他组织小计」"));
    }
    SUBCASE("a group's title that lost its span is no column: its first column's label stands under it") {
        // Two header rows, as a converter leaves a two-level header: 法人或其他组织 over 商业企业.
        std::string table = markdown_table(Layout{});
        const std::size_t rows = table.find('\n', table.find("|---|")) + 1;
        table = "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 自然人 | 法人或其他组织 |  |  |  |  | 总计 |\n"
                "|---|---|---|---|---|---|---|---|\n"
                "|  |  | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |  |\n" +
                table.substr(rows);
        BoundTable t = bind_t3(read_markdown("t3.md", report(table), ReadLimits{}));
        check_all_cells(t);
        CHECK(!has_note(t, "set aside"));
    }
    SUBCASE("a group's title copied over each of its columns, a 小计 among them: the note names the 小计") {
        Layout layout;
        layout.subtotal_before = 1;
        std::string table = markdown_table(layout);
        const std::size_t rows = table.find('\n', table.find("|---|")) + 1;
        table = "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 自然人 | 法人或其他组织 | 法人或其他组织 | "
                "法人或其他组织 | 法人或其他组织 | 法人或其他组织 | 法人或其他组织 | 总计 |\n"
                "|---|---|---|---|---|---|---|---|---|\n"
                "|  |  | 小计 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |  |\n" +
                table.substr(rows);
        BoundTable t = bind_t3(read_markdown("t3.md", report(table), ReadLimits{}));
        check_all_cells(t);
        CHECK(has_note(t, "23 values under 「小计」, a column 表三 does not have, set aside"));
    }
}

TEST_CASE("table3 columns: a grid row a cell short under a header with a 小计 is left missing, not shifted") {
    std::string table = markdown_table(Layout{{0, 1, 2, 3, 4, 5, 6}, 6});
    // 上年结转 loses its last cell: "| 11 | 0 | 0 | 0 | 0 | 0 | 0 | 11 |" → seven cells.
    const std::string full = "| 二、上年结转政府信息公开申请数量 | 11 | 0 | 0 | 0 | 0 | 0 | 0 | 11 |";
    const auto at = table.find(full);
    REQUIRE(at != std::string::npos);
    table.replace(at, full.size(), "| 二、上年结转政府信息公开申请数量 | 11 | 0 | 0 | 0 | 0 | 0 | 0 |");
    BoundTable t = bind_t3(read_markdown("t3.md", report(table), ReadLimits{}));
    for (const char* column : kColumnIds) {
        INFO(column);
        CHECK(t.cell("上年结转", column)->value.missing == MissingReason::Unplaced);
    }
    CHECK(has_note(t, "which cell is lost cannot be told"));
    CHECK(t.cell("本年新收", "总计")->value.number == 1195);
}

TEST_CASE("table3 columns: text in a grid cell under a header is that cell's, not a lost one") {
    std::string table = markdown_table(Layout{{0, 1, 2, 3, 4, 5, 6}, 6});
    const std::string full = "| 二、上年结转政府信息公开申请数量 | 11 | 0 | 0 | 0 | 0 | 0 | 0 | 11 |";
    const auto at = table.find(full);
    REQUIRE(at != std::string::npos);
    table.replace(at, full.size(), "| 二、上年结转政府信息公开申请数量 | 11 | 0 | 暂无 | 0 | 0 | 0 | 0 | 11 |");
    BoundTable t = bind_t3(read_markdown("t3.md", report(table), ReadLimits{}));
    const BoundCell* text = t.cell("上年结转", kColumnIds[2]);
    REQUIRE(text);
    CHECK(text->value.missing == MissingReason::Unparseable);
    CHECK(text->text == "暂无");
    CHECK(text->column_binding == BindingMethod::Label);
    CHECK(t.cell("上年结转", kColumnIds[0])->value.number == 11);
    CHECK(t.cell("上年结转", "总计")->value.number == 11);
}

TEST_CASE("table3 columns: a column the header does not print is absent, the others bound by label") {
    // A later form adds 个体工商户 before 总计; a report printed on the older form lacks it.
    TableSchema later = t3_schema();
    ColumnSchema added;
    added.id = added.label = "个体工商户";
    added.normalized = {normalize_label(added.id)};
    added.signatures = {char_signature(added.normalized[0])};
    later.columns.insert(later.columns.end() - 1, added);
    for (auto& block : later.blocks) {
        block.columns.clear();
        for (std::size_t c = 0; c < later.columns.size(); ++c) block.columns.push_back(c);
    }
    const Document d = read_markdown("t3.md", report(markdown_table(Layout{})), ReadLimits{});
    BoundTable t = bind_table(d, later, 0, d.blocks.size());
    const BoundCell* lacking = t.cell("本年新收", "个体工商户");
    REQUIRE(lacking);
    CHECK(lacking->value.missing == MissingReason::Absent);
    // At the header, where the column would be: the label of the next column it prints
    // (总计), for every row; the header line is two above the first row's (its separator between).
    const SourcePos first_row = t.cell("本年新收", "自然人")->pos;
    CHECK(lacking->pos.line + 2 == first_row.line);
    CHECK(lacking->pos.column > first_row.column);
    CHECK(t.cell("结转下年度继续办理", "个体工商户")->pos == lacking->pos);
    CHECK(t.cell("本年新收", "自然人")->value.number == 1102);
    CHECK(t.cell("本年新收", "自然人")->column_binding == BindingMethod::Label);
    CHECK(t.cell("本年新收", "总计")->value.number == 1195);
}

TEST_CASE("table3 columns: a row the table does not print is absent, where it would be") {
    Layout layout;
    layout.rows_left_out = {6, kRowCount - 1};  // 3.危及“三安全一稳定”, and the last row
    BoundTable t = bind_t3(markdown_document(layout));
    const BoundCell* lacking = t.cell("三安全一稳定", "自然人");
    REQUIRE(lacking);
    CHECK(lacking->value.missing == MissingReason::Absent);
    // At the label of the next row the table prints (4.保护第三方合法权益), for every column.
    const SourcePos next = t.cell("第三方合法权益", "自然人")->pos;
    CHECK(lacking->pos.line == next.line);
    CHECK(lacking->pos.column < next.column);
    CHECK(t.cell("三安全一稳定", "总计")->pos == lacking->pos);
    // The last row, at the one before it: （七）总计.
    const BoundCell* last = t.cell("结转下年度继续办理", "总计");
    REQUIRE(last);
    CHECK(last->value.missing == MissingReason::Absent);
    CHECK(last->pos.line == t.cell("总计", "自然人")->pos.line);
    CHECK(has_note(t, "row 三安全一稳定 not found"));

    // One finding a row, there; no T3-CELL for its cells.
    const std::set<Said> findings = findings_of(markdown_document(layout));
    INFO(text_of(findings));
    CHECK(has(findings, "T3-ROW-MISSING[r=三安全一稳定]"));
    CHECK(has(findings, "T3-ROW-MISSING[r=结转下年度继续办理]"));
    CHECK_FALSE(std::any_of(findings.begin(), findings.end(),
                            [](const Said& f) { return std::get<0>(f).starts_with("T3-CELL"); }));
}

TEST_CASE("table3 columns: a row every cell of which is \"/\" or blank is the row's, not a missing one") {
    for (const std::string written : {"/", "", "无", "—"}) {
        INFO("written: '", written, "'");
        Layout layout;
        layout.written_as = {{6, written}};  // 3.危及“三安全一稳定”
        for (const Document& d : {markdown_document(layout), read_html("t3.html", html_report(layout), ReadLimits{})}) {
            INFO(d.format);
            BoundTable t = bind_t3(d);
            INFO(fmt::format("{}", fmt::join(t.notes, "\n")));
            CHECK_FALSE(has_note(t, "not found"));
            const MissingReason expected = written == "/"   ? MissingReason::Slash
                                           : written == ""  ? MissingReason::Blank
                                           : written == "无" ? MissingReason::Nil
                                                            : MissingReason::Dash;
            for (int c = 0; c < kColumns; ++c) {
                const BoundCell* cell = t.cell("三安全一稳定", kColumnIds[c]);
                REQUIRE(cell);
                CHECK(cell->value.missing == expected);
                CHECK(cell->row_binding == BindingMethod::Label);
                CHECK(cell->text == written);
                // At the row's own line, not where a missing row would be.
                CHECK(cell->pos.line + 1 == t.cell("第三方合法权益", "自然人")->pos.line);
            }
            // The rows after it keep their numbers.
            CHECK(t.cell("第三方合法权益", "总计")->value.number == 25);
            CHECK_FALSE(t.numberless());
        }
        // Not T3-ROW-MISSING. A blank row, in a table that writes 0 elsewhere, is
        // T3-CELL's, cell by cell, as any blank cell; a row marked none says 0 (one
        // T3-BLANK-ZERO), whatever the table writes elsewhere.
        const std::set<Said> findings = findings_of(markdown_document(layout));
        INFO(text_of(findings));
        CHECK_FALSE(has(findings, "T3-ROW-MISSING[r=三安全一稳定]"));
        CHECK(has(findings, "T3-CELL[r=三安全一稳定, c=自然人]") == written.empty());
        CHECK(has(findings, "T3-BLANK-ZERO") == !written.empty());
        CHECK_FALSE(has(findings, "T3-NO-NUMBER"));
    }
}

TEST_CASE("table3 columns: a table every cell of which has no number is found, with one finding") {
    for (const std::string written : {"/", "", "无"}) {
        INFO("written: '", written, "'");
        Layout layout;
        layout.written_as = {{-1, written}};
        for (const Document& d : {markdown_document(layout), read_html("t3.html", html_report(layout), ReadLimits{})}) {
            INFO(d.format);
            BoundTable t = bind_t3(d);
            INFO(fmt::format("{}", fmt::join(t.notes, "\n")));
            CHECK(t.found);
            CHECK(t.numberless());
            for (int r = 0; r < kRowCount; ++r)
                for (int c = 0; c < kColumns; ++c) {
                    const BoundCell* cell = t.cell(t3_schema().rows[static_cast<std::size_t>(r)].id, kColumnIds[c]);
                    REQUIRE(cell);
                    CHECK_FALSE(cell->value.has_number());
                    CHECK(cell->value.missing != MissingReason::Absent);
                    CHECK(cell->row_binding == BindingMethod::Label);
                }
        }
        const std::set<Said> findings = findings_of(markdown_document(layout));
        INFO(text_of(findings));
        CHECK(has(findings, "T3-NO-NUMBER"));
        CHECK_FALSE(has(findings, "T3-FOUND"));
        for (const auto& f : findings) {
            const std::string& label = std::get<0>(f);
            CHECK_FALSE(label.starts_with("T3-CELL"));
            CHECK_FALSE(label.starts_with("T3-ROW"));
            CHECK_FALSE(label.starts_with("T3-BALANCE["));
            CHECK_FALSE(label.starts_with("T3-OUTCOME-SUM"));
        }
    }
}

TEST_CASE("table3 columns: numberless is a table found with cells written and no number, unplaced numbers being numbers") {
    auto table = [](std::initializer_list<MissingReason> reasons) {
        BoundTable t;
        t.found = true;
        t.cells.emplace_back();
        for (MissingReason reason : reasons) {
            BoundCell cell;
            cell.value = reason == MissingReason::None ? Value::of(3) : Value::missing_because(reason);
            t.cells.back().emplace_back(cell);
        }
        t.cells.back().emplace_back();  // a cell the block lacks
        return t;
    };
    CHECK(table({MissingReason::Slash, MissingReason::Blank, MissingReason::Nil, MissingReason::Dash}).numberless());
    CHECK(table({MissingReason::Absent, MissingReason::Unparseable}).numberless());
    CHECK_FALSE(table({MissingReason::Slash, MissingReason::None}).numberless());
    CHECK_FALSE(table({MissingReason::Slash, MissingReason::Unplaced}).numberless());
    // None of its cells in the document: T3-CELL's, cell by cell, not one table without numbers.
    CHECK_FALSE(table({MissingReason::Absent, MissingReason::Absent}).numberless());
    CHECK_FALSE(table({}).numberless());
    BoundTable approximate = table({MissingReason::None});
    approximate.cells[0][0]->value.approximate = true;  // "约3": a number, if not one to add up
    CHECK_FALSE(approximate.numberless());
}

TEST_CASE("table3 columns: a table that writes no 0 but leaves cells blank means 0 by them, its sums are checked") {
    int zeros = 0;
    for (const auto& row : kRows) zeros += static_cast<int>(std::count(row.values.begin(), row.values.end(), 0));
    Layout blank;
    blank.zeros_as = "";
    SUBCASE("the blanks are 0: one warning that says how many, no T3-CELL, every relation holds") {
        std::set<Said> expected = findings_of(markdown_document(Layout{}));  // the report lacks 表二 and 表四
        expected.insert({"T3-BLANK-ZERO", Severity::Warning, ""});
        const std::set<Said> findings = findings_of(markdown_document(blank));
        INFO(text_of(findings));
        CHECK(findings == expected);
        ReportFindings report = check_document(markdown_document(blank), standard_rules(), catalog());
        auto it = std::find_if(report.findings.begin(), report.findings.end(),
                               [](const Finding& x) { return x.rule == "T3-BLANK-ZERO"; });
        REQUIRE(it != report.findings.end());
        const Finding& f = *it;
        CHECK(f.message.starts_with("表三 有" + std::to_string(zeros) + "个格子未填数字（空白或填「—」「/」「无」）"));
        // At the first blank: 上年结转 × 商业企业.
        REQUIRE(f.cells.size() == 1);
        CHECK(f.cells[0].path == "表三.blanks_read_as_zero");
        CHECK(f.location.row == "上年结转");
        CHECK(f.location.column == "商业企业");
    }
    SUBCASE("a wrong number among them is found, and the cell that explains it") {
        blank.error = true;
        const std::set<Said> findings = findings_of(markdown_document(blank));
        INFO(text_of(findings));
        CHECK(has(findings, "T3-BLANK-ZERO"));
        CHECK(findings.count({"T3-ROW-SUM[r=本年新收]", Severity::Error, "本年新收.法律服务机构=7.000000"}) == 1);
        CHECK(findings.count({"T3-BALANCE[c=法律服务机构]", Severity::Error, "本年新收.法律服务机构=7.000000"}) == 1);
    }
    SUBCASE("a table that writes 0 somewhere means a missing number by a blank") {
        blank.zeros_kept_in = 1;  // 上年结转 writes its zeros
        const std::set<Said> findings = findings_of(markdown_document(blank));
        INFO(text_of(findings));
        CHECK_FALSE(has(findings, "T3-BLANK-ZERO"));
        CHECK(has(findings, "T3-CELL[r=予以公开, c=社会公益组织]") == false);  // 1, written
        CHECK(has(findings, "T3-CELL[r=部分公开, c=科研机构]"));
    }
}

namespace {

// The template's two-level header as a converter writes it in Markdown (from an HTML
// page), without spans: 申请人情况 over nothing, then 自然人 法人或其他组织 总计, then the
// 法人或其他组织 columns the layout prints; each row's numbers straight after its label.
std::string markdown_table_without_spans(const Layout& layout, const std::map<std::pair<int, int>, std::string>& written = {}) {
    std::string s = "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |\n|---|---|\n"
                    "| 自然人 | 法人或其他组织 | 总计 |\n|";
    for (int c : layout.order)
        if (c >= 1 && c <= 5) s += std::string(" ") + kColumnIds[c] + " |";
    s += "\n";
    for (int r = 0; r < kRowCount; ++r) {
        s += std::string("| ") + kRows[r].label + " |";
        for (int c : layout.order) {
            auto it = written.find({r, c});
            s += " " + (it != written.end() ? it->second : std::to_string(kRows[r].values[static_cast<std::size_t>(c)])) + " |";
        }
        s += "\n";
    }
    return s;
}

}  // namespace

TEST_CASE("table3 columns: a header over three rows without spans is read as it prints its columns") {
    SUBCASE("every column: bound by label") {
        BoundTable t = bind_t3(read_markdown("t3.md", report(markdown_table_without_spans(Layout{})), ReadLimits{}));
        check_all_cells(t);
        CHECK(has_note(t, "its columns read as it prints them: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计"));
    }
    SUBCASE("without 法律服务机构: that column absent at the header, the others bound by label") {
        const Document d = read_markdown("t3.md", report(markdown_table_without_spans(Layout{{0, 1, 2, 3, 5, 6}})), ReadLimits{});
        BoundTable t = bind_t3(d);
        for (int r = 0; r < kRowCount; ++r)
            for (int c : {0, 1, 2, 3, 5, 6}) {
                const BoundCell* cell = t.cell(t3_schema().rows[static_cast<std::size_t>(r)].id, kColumnIds[c]);
                REQUIRE(cell);
                INFO(kRows[r].label, " × ", kColumnIds[c], " = ", cell->text);
                CHECK(cell->value.number == kRows[r].values[static_cast<std::size_t>(c)]);
                CHECK(cell->column_binding == BindingMethod::Label);
            }
        const BoundCell* lacking = t.cell("本年新收", "法律服务机构");
        REQUIRE(lacking);
        CHECK(lacking->value.missing == MissingReason::Absent);
        // At the label of the next column it prints (其他), on the header's third line.
        CHECK(lacking->pos.line + 1 == t.cell("本年新收", "自然人")->pos.line);
        // One T3-COLUMN; no T3-CELL (175 of them, every cell unplaced, before).
        const auto findings = findings_of(read_markdown("t3.md", report(markdown_table_without_spans(Layout{{0, 1, 2, 3, 5, 6}})), ReadLimits{}));
        INFO(text_of(findings));
        CHECK(has(findings, "T3-COLUMN[c=法律服务机构]"));
        for (const auto& [label, severity, suggestion] : findings) CHECK_FALSE(label.starts_with("T3-CELL"));
    }
    SUBCASE("two columns swapped: each where its label says") {
        BoundTable t = bind_t3(read_markdown("t3.md", report(markdown_table_without_spans(Layout{{0, 2, 1, 3, 4, 5, 6}})), ReadLimits{}));
        check_all_cells(t);
    }
}

TEST_CASE("table3 columns: a cell written with more than its number is placed in its column, its text kept") {
    // "80人" reads as "4件" does; "约80" is approximate; "八十" a count in Chinese numerals;
    // "80*" (a footnote's mark) no number, but the cell's, with its text. The row has one
    // cell per column: no cell is lost, whatever the header.
    struct Written {
        std::string text;
        MissingReason missing;
        double number;
        bool approximate;
    };
    const std::vector<Written> cases = {{"1102人", MissingReason::None, 1102, false},
                                        {"约1102", MissingReason::None, 1102, true},
                                        {"一千一百零二", MissingReason::None, 1102, false},
                                        {"1102*", MissingReason::Unparseable, 0, false}};
    for (const Written& w : cases) {
        CAPTURE(w.text);
        const std::map<std::pair<int, int>, std::string> written = {{{0, 0}, w.text}};
        // One header row; three without spans; none (the header's line left out).
        std::string one_row = markdown_table(Layout{});
        const std::string first = "| 一、本年新收政府信息公开申请数量 | 1102 |";
        REQUIRE(one_row.find(first) != std::string::npos);
        one_row.replace(one_row.find(first), first.size(), "| 一、本年新收政府信息公开申请数量 | " + w.text + " |");
        std::string no_header = one_row.substr(one_row.find("| 一、"));
        no_header = "| 表三 |  |  |  |  |  |  |  |\n|---|---|---|---|---|---|---|---|\n" + no_header;
        for (const std::string& table : {one_row, markdown_table_without_spans(Layout{}, written), no_header}) {
            CAPTURE(table.substr(0, 200));
            BoundTable t = bind_t3(read_markdown("t3.md", report(table), ReadLimits{}));
            const BoundCell* cell = t.cell("本年新收", "自然人");
            REQUIRE(cell);
            CHECK(cell->text == w.text);
            CHECK(cell->value.missing == w.missing);
            CHECK(cell->column_binding != BindingMethod::Missing);
            if (w.missing == MissingReason::None) {
                CHECK(cell->value.number == w.number);
                CHECK(cell->value.approximate == w.approximate);
            }
            CHECK(t.cell("本年新收", "商业企业")->value.number == 64);
            CHECK(t.cell("本年新收", "总计")->value.number == 1195);
        }
    }
}
