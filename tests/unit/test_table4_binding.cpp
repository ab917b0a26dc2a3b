// 表四 (行政复议、行政诉讼, 3 rows × 5 columns printed as one block of values):
// a value lost or added must not shift every later cell into a false T4-ROW-SUM
// error, and a number after the table (a page number, the next section's prose)
// is not a cell. Documents are constructed; the numbers are 002 晋江市's table
// (2 0 0 0 2 | 0 0 1 4 5 | 1 2 2 0 5), whose rows all hold.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/model/binder.hpp"
#include "gouji/readers.hpp"
#include "gouji/report_model.hpp"
#include "gouji/rules.hpp"

using namespace gouji;

namespace {

const TemplateCatalog& t4_catalog() {
    static const TemplateCatalog c = load_templates(default_rulepack_dir() + "/templates.yaml");
    return c;
}

const TableSchema& t4_schema() { return *t4_catalog().find("gov-2019")->table("表四"); }

const char* const kRows[] = {"行政复议", "未经复议直接起诉", "复议后起诉"};
const char* const kColumns[] = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
const int kValues[3][5] = {{2, 0, 0, 0, 2}, {0, 0, 1, 4, 5}, {1, 2, 2, 0, 5}};

// The 15 values row-major, with value `skip` left out (-1: none) and `extra`
// inserted before value `extra_at` (-1: none).
std::vector<std::string> values(int skip = -1, int extra_at = -1, const std::string& extra = "7") {
    std::vector<std::string> out;
    for (int k = 0; k < 15; ++k) {
        if (k == extra_at) out.push_back(extra);
        if (k != skip) out.push_back(std::to_string(kValues[k / 5][k % 5]));
    }
    return out;
}

std::string joined(const std::vector<std::string>& parts, const std::string& sep) {
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
    return s;
}

// The flattened header of seed 001 (every cell its own line, blank lines between).
const std::string kFlatHeader =
    "行政复议\n\n行政诉讼\n\n结果维持\n\n结果纠正\n\n其他结果\n\n尚未审结\n\n总计\n\n未经复议直接起诉\n\n复议后起诉\n\n"
    "结果维持\n\n结果纠正\n\n其他结果\n\n尚未审结\n\n总计\n\n结果维持\n\n结果纠正\n\n其他结果\n\n尚未审结\n\n总计\n\n";

// Section 四 and what follows it, as plain text.
std::string section_four(const std::string& body) {
    return "四、政府信息公开行政复议、行政诉讼情况\n\n" + body +
           "\n\n五、存在的主要问题及改进情况\n\n一是公开内容有待加强。\n\n12\n\n"
           "六、其他需要报告的事项\n\n本年度无其他需要报告的事项。\n";
}

BoundTable bind_document(const Document& d) { return bind_table(d, t4_schema(), 0, d.blocks.size()); }

BoundTable bind_text(const std::string& body) {
    return bind_document(read_plain_text("t4.txt", section_four(body), ReadLimits{}));
}

// Section 四 of a Markdown report holding `tables`, and section 五 after it.
BoundTable bind_markdown(const std::string& tables) {
    const std::string md = "## 四、政府信息公开行政复议、行政诉讼情况\n\n" + tables +
                           "\n## 五、存在的主要问题及改进情况\n\n一是公开内容有待加强。\n";
    return bind_document(read_markdown("t4.md", md, ReadLimits{}));
}

const BoundCell& cell(const BoundTable& t, int r, int c) {
    const BoundCell* p = t.cell(kRows[r], kColumns[c]);
    REQUIRE(p);
    return *p;
}

void check_bound(const BoundTable& t, int r, int c) {
    INFO(kRows[r], " × ", kColumns[c]);
    const BoundCell& x = cell(t, r, c);
    REQUIRE(x.value.has_number());
    CHECK(x.value.number == kValues[r][c]);
}

void check_row_bound(const BoundTable& t, int r) {
    for (int c = 0; c < 5; ++c) check_bound(t, r, c);
}

// A row whose values are there but could not be placed: unplaced (the document has
// the row), at its values, not absent.
void check_row_unplaced(const BoundTable& t, int r) {
    for (int c = 0; c < 5; ++c) {
        INFO(kRows[r], " × ", kColumns[c]);
        CHECK(cell(t, r, c).value.missing == MissingReason::Unplaced);
        CHECK(cell(t, r, c).column_binding == BindingMethod::Missing);
        CHECK(cell(t, r, c).pos.known());
    }
}

bool has_note(const BoundTable& t, const std::string& part) {
    return std::any_of(t.notes.begin(), t.notes.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

std::string notes_of(const BoundTable& t) { return joined(t.notes, "\n"); }

// ---- the standard rule T4-ROW-SUM on a whole report ----------------------------------

std::string report_text(const std::string& table4_body) {
    return "清溪县人民政府2020年政府信息公开工作年度报告\n\n"
           "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。\n\n"
           "一、总体情况\n\n2020年，我县政府信息公开工作取得新进展。\n\n"
           "二、主动公开政府信息情况\n\n全年主动公开政府信息235条。\n\n"
           "三、收到和处理政府信息公开申请情况\n\n全年共收到申请9件。\n\n" +
           section_four(table4_body);
}

const RuleSet& table_rules() {
    static const RuleSet set = [] {
        std::vector<RuleDiagnostic> errors;
        RuleSet s = compile_rule_packs(std::vector<std::string>{default_rulepack_dir() + "/gov-tables.yaml"}, t4_catalog(),
                                       errors);
        INFO(render(errors));
        REQUIRE(errors.empty());
        return s;
    }();
    return set;
}

struct RowSumFindings {
    int errors = 0;
    int not_assessable = 0;
    std::string text;
};

RowSumFindings row_sum_findings(Document d) {
    ReportModel model = build_model(std::move(d), t4_catalog());
    REQUIRE(model.template_schema);
    CHECK(model.template_schema->id == "gov-2019");
    RowSumFindings out;
    for (const Finding& f : evaluate(table_rules(), model)) {
        if (f.rule != "T4-ROW-SUM") continue;
        out.text += f.binding + ": " + f.message + "\n";
        if (f.severity == Severity::Error) ++out.errors;
        if (!f.assessable) ++out.not_assessable;
    }
    return out;
}

RowSumFindings row_sum_findings_of_text(const std::string& body) {
    return row_sum_findings(read_plain_text("report.txt", report_text(body), ReadLimits{}));
}

// ---- HTML: the two-level header of the 2019 template, one row of 15 cells ---------------

// `remarks`: the grid has a 16th column, 备注, that is none of the template's.
std::string html_table(const std::vector<std::string>& cells, bool remarks) {
    std::string row;
    for (const auto& c : cells) row += "<td>" + c + "</td>";
    return "<table>\n"
           "<tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td>" +
           std::string(remarks ? "<td rowspan=\"3\">备注</td>" : "") + "</tr>\n"
           "<tr><td rowspan=\"2\">结果<br>维持</td><td rowspan=\"2\">结果<br>纠正</td><td rowspan=\"2\">其他<br>结果</td>"
           "<td rowspan=\"2\">尚未<br>审结</td><td rowspan=\"2\">总计</td>"
           "<td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>\n"
           "<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
           "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>\n"
           "<tr>" + row + "</tr>\n</table>\n";
}

std::string html_report(const std::vector<std::string>& cells, bool remarks = false) {
    return "<html><body><h1>清溪县人民政府2020年政府信息公开工作年度报告</h1>\n"
           "<p>本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。</p>\n"
           "<p>一、总体情况</p><p>2020年，我县政府信息公开工作取得新进展。</p>\n"
           "<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息235条。</p>\n"
           "<p>三、收到和处理政府信息公开申请情况</p><p>全年共收到申请9件。</p>\n"
           "<p>四、政府信息公开行政复议、行政诉讼情况</p>\n" + html_table(cells, remarks) +
           "<p>3</p>\n<p>五、存在的主要问题及改进情况</p><p>一是公开内容有待加强。</p>\n"
           "<p>六、其他需要报告的事项</p><p>本年度无其他需要报告的事项。</p>\n</body></html>\n";
}

BoundTable bind_html(const std::vector<std::string>& cells, bool remarks = false) {
    return bind_document(read_html("t4.html", html_report(cells, remarks), ReadLimits{}));
}

// The table rules on an HTML report whose 表四 cells are `cells`, none a number:
// the table is found and said to hold no number once, and no rule reads its cells.
void check_one_no_number(const std::vector<std::string>& cells) {
    ReportModel model = build_model(read_html("report.html", html_report(cells), ReadLimits{}), t4_catalog());
    std::vector<std::string> rules;
    for (const Finding& f : evaluate(table_rules(), model)) rules.push_back(f.rule);
    INFO(joined(rules, " "));
    CHECK(std::count(rules.begin(), rules.end(), "T4-NO-NUMBER") == 1);
    CHECK(std::count(rules.begin(), rules.end(), "T4-FOUND") == 0);
    CHECK(std::count(rules.begin(), rules.end(), "T4-CELL") == 0);
    CHECK(std::count(rules.begin(), rules.end(), "T4-ROW-SUM") == 0);
}

}  // namespace

TEST_CASE("table4 binding: exactly 15 values under a flattened header bind row-major") {
    BoundTable t = bind_text(kFlatHeader + joined(values(), "\n\n"));
    INFO(notes_of(t));
    CHECK(t.found);
    for (int r = 0; r < 3; ++r) check_row_bound(t, r);
    CHECK(cell(t, 2, 4).column_binding == BindingMethod::Position);
    CHECK(t.notes.empty());
    RowSumFindings f = row_sum_findings_of_text(kFlatHeader + joined(values(), "\n\n"));
    INFO(f.text);
    CHECK(f.errors == 0);
    CHECK(f.not_assessable == 0);
}

TEST_CASE("table4 binding: one value missing, one per line, is not shifted into later cells") {
    // 未经复议直接起诉 结果维持 (0) lost: read row-major, every later cell would move
    // one place left and all three rows would fail their sums.
    const std::string body = kFlatHeader + joined(values(5), "\n\n");
    BoundTable t = bind_text(body);
    INFO(notes_of(t));
    CHECK(t.found);
    for (int r = 0; r < 3; ++r) check_row_unplaced(t, r);
    CHECK(has_note(t, "14 values for 15 cells"));
    RowSumFindings f = row_sum_findings_of_text(body);
    INFO(f.text);
    CHECK(f.errors == 0);
    CHECK(f.not_assessable == 3);
}

TEST_CASE("table4 binding: one extra value on the table's line is not shifted into later cells") {
    const std::string body = kFlatHeader + joined(values(-1, 7), " ");
    BoundTable t = bind_text(body);
    INFO(notes_of(t));
    for (int r = 0; r < 3; ++r) check_row_unplaced(t, r);
    CHECK(has_note(t, "16 values for 15 cells"));
    RowSumFindings f = row_sum_findings_of_text(body);
    INFO(f.text);
    CHECK(f.errors == 0);
    CHECK(f.not_assessable == 3);
}

TEST_CASE("table4 binding: values over several lines, one row per line") {
    auto line = [](int r, int skip = -1, bool extra = false) {
        std::vector<std::string> v;
        for (int c = 0; c < 5; ++c) {
            if (extra && c == 2) v.push_back("9");
            if (c != skip) v.push_back(std::to_string(kValues[r][c]));
        }
        return joined(v, "  ");
    };
    SUBCASE("all 15") {
        BoundTable t = bind_text(line(0) + "\n" + line(1) + "\n" + line(2));
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_bound(t, r);
        CHECK(t.notes.empty());
    }
    SUBCASE("the middle row one value short: only that row is left missing") {
        const std::string body = line(0) + "\n" + line(1, 3) + "\n" + line(2);
        BoundTable t = bind_text(body);
        INFO(notes_of(t));
        check_row_bound(t, 0);
        check_row_unplaced(t, 1);
        check_row_bound(t, 2);
        CHECK(cell(t, 2, 0).row_binding == BindingMethod::Position);
        CHECK(has_note(t, "4 values where rows of 5 are expected; 未经复议直接起诉 left missing"));
        RowSumFindings f = row_sum_findings_of_text(body);
        INFO(f.text);
        CHECK(f.errors == 0);
        CHECK(f.not_assessable == 1);
    }
    SUBCASE("the middle row one value long: only that row is left missing") {
        const std::string body = line(0) + "\n" + line(1, -1, true) + "\n" + line(2);
        BoundTable t = bind_text(body);
        INFO(notes_of(t));
        check_row_bound(t, 0);
        check_row_unplaced(t, 1);
        check_row_bound(t, 2);
        RowSumFindings f = row_sum_findings_of_text(body);
        INFO(f.text);
        CHECK(f.errors == 0);
    }
    SUBCASE("all 15, rows out of the template's order: their labels place them") {
        BoundTable t = bind_text("复议后起诉 " + line(2) + "\n行政复议 " + line(0) + "\n未经复议直接起诉 " + line(1));
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_bound(t, r);
        CHECK(cell(t, 0, 0).row_binding == BindingMethod::Label);
        CHECK(has_note(t, "unlike the template"));
    }
    SUBCASE("rows named by their labels, under a header printed once") {
        const std::string body = "结果维持 结果纠正 其他结果 尚未审结 总计\n复议后起诉 " + line(2) + "\n行政复议 " + line(0) +
                                 "\n未经复议直接起诉 " + line(1, 0);
        BoundTable t = bind_text(body);
        INFO(notes_of(t));
        check_row_bound(t, 0);
        check_row_unplaced(t, 1);
        check_row_bound(t, 2);
        CHECK(cell(t, 2, 4).row_binding == BindingMethod::Label);
        CHECK(cell(t, 2, 4).column_binding == BindingMethod::Label);
    }
}

TEST_CASE("table4 binding: a page number after a short table is not a cell") {
    SUBCASE("14 values on a line, then a lone 3") {
        const std::string body = joined(values(14), " ") + "\n\n3";
        BoundTable t = bind_text(body);
        INFO(notes_of(t));
        CHECK(cell(t, 2, 4).value.missing == MissingReason::Unplaced);
        for (int r = 0; r < 3; ++r) check_row_unplaced(t, r);
        CHECK(has_note(t, "lone number 3"));
        RowSumFindings f = row_sum_findings_of_text(body);
        INFO(f.text);
        CHECK(f.errors == 0);
    }
    SUBCASE("15 values on a line, then a lone 3: the table is whole") {
        BoundTable t = bind_text(joined(values(), " ") + "\n\n3");
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_bound(t, r);
        CHECK(has_note(t, "lone number 3"));
    }
    SUBCASE("rows per line, the last one short, then a lone 3") {
        BoundTable t = bind_text("2 0 0 0 2\n0 0 1 4 5\n1 2 2 0\n3");
        INFO(notes_of(t));
        check_row_bound(t, 0);
        check_row_bound(t, 1);
        check_row_unplaced(t, 2);
        CHECK(has_note(t, "lone number 3"));
    }
    SUBCASE("the next section's numbers are not the table's") {
        // Section 五 holds a lone "12": it is past a heading, so not a 15th value.
        BoundTable t = bind_text(kFlatHeader + joined(values(14), "\n\n"));
        INFO(notes_of(t));
        CHECK(cell(t, 2, 4).value.missing == MissingReason::Unplaced);
        CHECK(has_note(t, "14 values for 15 cells"));
    }
}

TEST_CASE("table4 binding: an HTML grid places each cell by its header column") {
    SUBCASE("all 15") {
        BoundTable t = bind_html(values());
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_bound(t, r);
        CHECK(t.notes.empty());  // the <p>3</p> after the grid is not a cell
    }
    SUBCASE("a cell lost from the row: nothing tells which, so nothing is shifted") {
        BoundTable t = bind_html(values(5));
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_unplaced(t, r);
        CHECK(has_note(t, "a grid row of 14 columns under a header of 15"));
        RowSumFindings f = row_sum_findings(read_html("report.html", html_report(values(5)), ReadLimits{}));
        INFO(f.text);
        CHECK(f.errors == 0);
        CHECK(f.not_assessable == 3);
    }
    SUBCASE("a blank cell stays where it is") {
        std::vector<std::string> v = values();
        v[6] = "";  // 未经复议直接起诉 结果纠正
        BoundTable t = bind_html(v);
        INFO(notes_of(t));
        check_row_bound(t, 0);
        check_row_bound(t, 2);
        CHECK(cell(t, 1, 1).value.missing == MissingReason::Blank);
        check_bound(t, 1, 2);
        check_bound(t, 1, 4);
        CHECK(cell(t, 1, 2).row_binding == BindingMethod::Label);
        CHECK(cell(t, 1, 2).column_binding == BindingMethod::Label);
    }
    SUBCASE("a 16th cell under a column that is not the template's is ignored") {
        std::vector<std::string> v = values();
        v.push_back("8");
        BoundTable t = bind_html(v, /*remarks=*/true);
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_bound(t, r);
        CHECK(has_note(t, "value 8 is under no column"));
    }
    SUBCASE("a 16th cell where the header has no column: nothing tells which is stray") {
        std::vector<std::string> v = values(-1, 3);
        BoundTable t = bind_html(v);
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_unplaced(t, r);
        RowSumFindings f = row_sum_findings(read_html("report.html", html_report(v), ReadLimits{}));
        INFO(f.text);
        CHECK(f.errors == 0);
    }
}

TEST_CASE("table4 binding: a Markdown grid that lost its spans is read by its header") {
    BoundTable t = bind_markdown(
        "| 行政复议 |  |  |  |  | 行政诉讼 |  |  |  |  |  |  |  |  |  |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  |  |\n"
        "|  |  |  |  |  | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
        "| 2 | 0 | 0 | 0 | 2 | 0 |  | 1 | 4 | 5 | 1 | 2 | 2 | 0 | 5 |\n");
    INFO(notes_of(t));
    check_row_bound(t, 0);
    check_row_bound(t, 2);
    check_bound(t, 1, 0);
    CHECK(cell(t, 1, 1).value.missing == MissingReason::Blank);
    for (int c = 2; c < 5; ++c) check_bound(t, 1, c);
    // 未经复议直接起诉 stands over grid columns 5 to 9 though the Markdown kept no span.
    CHECK(cell(t, 1, 4).row_binding == BindingMethod::Label);
    CHECK(cell(t, 2, 0).row_binding == BindingMethod::Label);
    CHECK(cell(t, 2, 0).column_binding == BindingMethod::Label);
}

TEST_CASE("table4 binding: a row the table does not print is absent, not unplaced") {
    // One row a line under one header, 复议后起诉 not printed: its cells are what the
    // document lacks (T4-ROW-MISSING), unlike a row whose values could not be placed.
    BoundTable t = bind_markdown("| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|---|\n"
                                 "| 行政复议 | 2 | 0 | 0 | 0 | 2 |\n| 行政诉讼（未经复议直接起诉） | 0 | 0 | 1 | 4 | 5 |\n");
    INFO(notes_of(t));
    check_row_bound(t, 0);
    check_row_bound(t, 1);
    for (int c = 0; c < 5; ++c) {
        INFO(kColumns[c]);
        CHECK(cell(t, 2, c).value.missing == MissingReason::Absent);
        CHECK_FALSE(cell(t, 2, c).pos.known());
    }
}

TEST_CASE("table4 binding: a grid row narrower than its header is unplaced at its first value") {
    // "| 行政复议 |  | 1 | 0 | 0 |": four cells under five columns, the first empty.
    BoundTable t = bind_markdown("| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|---|\n"
                                 "| 行政复议 |  | 1 | 0 | 0 |\n| 行政诉讼（未经复议直接起诉） | 0 | 0 | 1 | 4 | 5 |\n");
    INFO(notes_of(t));
    check_row_unplaced(t, 0);
    // At the 1, not at the empty cell before it (column 9).
    CHECK(cell(t, 0, 0).pos.column == 13);
}

TEST_CASE("table4 binding: a column the header does not print is absent in an unplaced row too") {
    // 其他结果 not printed, and 未经复议直接起诉 one number short of the header's four.
    BoundTable t = bind_markdown("| 类别 | 结果维持 | 结果纠正 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
                                 "| 行政复议 | 2 | 0 | 0 | 2 |\n| 行政诉讼（未经复议直接起诉） | 0 | 4 | 5 |\n"
                                 "| 行政诉讼（复议后起诉） | 1 | 2 | 0 | 3 |\n");
    INFO(notes_of(t));
    for (int r = 0; r < 3; ++r) {
        INFO(kRows[r]);
        CHECK(cell(t, r, 2).value.missing == MissingReason::Absent);
    }
    CHECK(cell(t, 1, 0).value.missing == MissingReason::Unplaced);
    CHECK(cell(t, 1, 4).value.missing == MissingReason::Unplaced);
}

TEST_CASE("table4 binding: three small tables, one per row, one of them short") {
    // 沭阳县 2025's layout: a heading per row, then its own five-column table.
    auto table = [](const char* heading, const std::string& row) {
        return std::string("### ") + heading + "\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
               "|----------|----------|----------|----------|------|\n| " + row + " |\n\n";
    };
    BoundTable t = bind_markdown(table("行政复议", "2 | 0 | 0 | 0 | 2") + table("行政诉讼（未经复议直接起诉）", "0 | 0 | 1 | 5") +
                                 table("行政诉讼（复议后起诉）", "1 | 2 | 2 | 0 | 5"));
    INFO(notes_of(t));
    check_row_bound(t, 0);
    check_row_unplaced(t, 1);  // four cells under five columns: which one is lost is unknown
    check_row_bound(t, 2);
    CHECK(has_note(t, "未经复议直接起诉 left missing"));
}

TEST_CASE("table4 binding: a table every cell of which is \"/\" is found, its cells slashed") {
    const std::vector<std::string> slashes(15, "/");
    auto check_slashed = [](const BoundTable& t) {
        INFO(notes_of(t));
        CHECK(t.found);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 5; ++c) {
                INFO(kRows[r], " × ", kColumns[c]);
                CHECK(cell(t, r, c).value.missing == MissingReason::Slash);
                CHECK(cell(t, r, c).text == "/");
                CHECK(cell(t, r, c).pos.known());
            }
    };
    SUBCASE("an HTML grid") { check_slashed(bind_html(slashes)); }
    SUBCASE("a Markdown grid") {
        check_slashed(bind_markdown(
            "| 行政复议 |  |  |  |  | 行政诉讼 |  |  |  |  |  |  |  |  |  |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  |  |\n"
            "|  |  |  |  |  | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
            "| / | / | / | / | / | / | / | / | / | / | / | / | / | / | / |\n"));
    }
    SUBCASE("flattened text, a cell a line") { check_slashed(bind_text(kFlatHeader + joined(slashes, "\n\n"))); }
    SUBCASE("the rules: one T4-NO-NUMBER, no T4-CELL, no T4-ROW-SUM") { check_one_no_number(slashes); }
}

TEST_CASE("table4 binding: a table every cell of which is blank is found, its cells blank") {
    const std::vector<std::string> blanks(15, "");
    auto check_blank = [](const BoundTable& t, BindingMethod row_how) {
        INFO(notes_of(t));
        CHECK(t.found);
        CHECK(has_note(t, "every one of its 15 cells blank"));
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 5; ++c) {
                INFO(kRows[r], " × ", kColumns[c]);
                CHECK(cell(t, r, c).value.missing == MissingReason::Blank);
                CHECK(cell(t, r, c).row_binding == row_how);
                CHECK(cell(t, r, c).pos.known());
            }
    };
    const std::string kMarkdownHeader =
        "| 行政复议 |  |  |  |  | 行政诉讼 |  |  |  |  |  |  |  |  |  |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  |  |\n"
        "|  |  |  |  |  | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n";
    SUBCASE("an HTML grid, one row of 15") { check_blank(bind_html(blanks), BindingMethod::Position); }
    SUBCASE("a Markdown grid, one row of 15") {
        check_blank(bind_markdown(kMarkdownHeader + "|  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |\n"),
                    BindingMethod::Position);
    }
    SUBCASE("a row a line, each under its label, out of the template's order") {
        BoundTable t = bind_markdown("| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|---|\n"
                                     "| 行政复议 |  |  |  |  |  |\n| 行政诉讼（复议后起诉） |  |  |  |  |  |\n"
                                     "| 行政诉讼（未经复议直接起诉） |  |  |  |  |  |\n");
        check_blank(t, BindingMethod::Label);
        // 复议后起诉 is printed second: its cells are on the second line of the grid.
        CHECK(cell(t, 2, 0).pos.line < cell(t, 1, 0).pos.line);
    }
    SUBCASE("two of three rows printed, blank: which row is lost is plain, but not that this is the table") {
        BoundTable t = bind_markdown("| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|---|\n"
                                     "| 行政复议 |  |  |  |  |  |\n| 行政诉讼（未经复议直接起诉） |  |  |  |  |  |\n");
        CHECK_FALSE(t.found);
    }
    SUBCASE("values after the blank grid, a row's worth or more, are the table's") {
        BoundTable t = bind_markdown(kMarkdownHeader + "|  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |\n\n" +
                                     joined(values(), " ") + "\n");
        INFO(notes_of(t));
        CHECK(t.found);
        CHECK_FALSE(has_note(t, "blank"));
        check_bound(t, 0, 0);
        CHECK(cell(t, 2, 4).value.number == 5);
    }
    SUBCASE("a number after the blank grid too few for a row (a page number) is not a value") {
        BoundTable t = bind_markdown(kMarkdownHeader + "|  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |\n\n3\n");
        check_blank(t, BindingMethod::Position);
    }
    SUBCASE("a blank row above the values is no cell of the table") {
        BoundTable t = bind_markdown(kMarkdownHeader + "|  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |\n"
                                     "| 2 | 0 | 0 | 0 | 2 | 0 | 0 | 1 | 4 | 5 | 1 | 2 | 2 | 0 | 5 |\n");
        INFO(notes_of(t));
        for (int r = 0; r < 3; ++r) check_row_bound(t, r);
        CHECK_FALSE(has_note(t, "blank"));
    }
    SUBCASE("the rules: one T4-NO-NUMBER, not T4-FOUND; no T4-CELL, no T4-ROW-SUM") { check_one_no_number(blanks); }
}
