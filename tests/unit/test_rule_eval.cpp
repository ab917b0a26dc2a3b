// Evaluation of compiled rules against hand-built report models: the
// compatibility rules, interval arithmetic (~=), missing values, findings'
// cells and locations, and every built-in.
#include <doctest/doctest.h>

#include <optional>

#include "gouji/text.hpp"
#include "rules/program.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;

namespace {

const TemplateCatalog& test_catalog() {
    static const TemplateCatalog c = fixture::catalog();
    return c;
}

// The compatibility promise of issue 3, verbatim.
const char* compatibility_rules = R"(- id: T3-BALANCE-TOTAL
  severity: error
  kind: sum
  check: 表三.本年新收.总计 + 表三.上年结转.总计 == 表三.总计.总计 + 表三.结转下年度继续办理.总计
  message: "表三 第一项加第二项 {表三.本年新收.总计 + 表三.上年结转.总计} ≠ 第三项加第四项 {表三.总计.总计 + 表三.结转下年度继续办理.总计}"
- id: T3-BALANCE
  severity: error
  kind: sum
  for: c in 表三.columns
  check: 表三.本年新收[c] + 表三.上年结转[c] == 表三.总计[c] + 表三.结转下年度继续办理[c]
  message: "表三「{c}」列：新收 {表三.本年新收[c]} + 结转 {表三.上年结转[c]} ≠ 总计 {表三.总计[c]} + 结转下年度 {表三.结转下年度继续办理[c]}"
- id: SEC-6
  severity: error
  kind: required
  check: has_section("其他需要报告的事项")
  message: "缺少第六部分「其他需要报告的事项」"
)";

RuleSet compile_ok(const std::string& rules_yaml, const std::string& header = "pack: test\n") {
    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(rules_yaml, header)}}, test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    return set;
}

fixture::ModelBuilder seed002() {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", fixture::seed002_table3());
    b.section("一、总体情况", "总体情况", 1, "本机关……", 1, 9);
    b.section("六、其他需要报告的事项", "其他事项", 6, "无。", 200, 201);
    return b;
}

// Truth of one condition against a model: "pass", "fail" or the not-assessable message.
std::string outcome(const ReportModel& model, const std::string& check, const std::string& header = "pack: test\n") {
    RuleSet set = compile_ok("  - id: X\n    severity: error\n    kind: consistency\n    check: '" + check + "'\n", header);
    auto findings = evaluate(set, model);
    if (findings.empty()) return "pass";
    if (!findings[0].assessable) return findings[0].message;
    return "fail";
}

// The value of an expression as a message renders it.
std::string value_of(const ReportModel& model, const std::string& expr) {
    RuleSet set = compile_ok("  - id: X\n    severity: error\n    kind: consistency\n    check: 'false'\n    message: '{" + expr + "}'\n");
    auto findings = evaluate(set, model);
    REQUIRE(findings.size() == 1);
    return findings[0].message;
}

}  // namespace

TEST_CASE("rule eval: the compatibility rules on seed 002 (晋江市 2020)") {
    auto b = seed002();
    RuleSet set = compile_ok(compatibility_rules);
    EvaluationStats stats;
    auto findings = evaluate(set, b.model(), &stats);
    REQUIRE(findings.size() == 3);

    // 结转下年度继续办理 has no 总计 cell: the total balance cannot be assessed.
    CHECK(findings[0].rule == "T3-BALANCE-TOTAL");
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].severity == Severity::Info);
    CHECK(findings[0].message == "not assessable: 表三.结转下年度继续办理.总计 (absent)");

    CHECK(findings[1].rule == "T3-BALANCE");
    CHECK(findings[1].assessable);
    CHECK(findings[1].severity == Severity::Error);
    CHECK(findings[1].kind == RuleKind::Sum);
    CHECK(findings[1].binding == "c=商业企业");
    CHECK(findings[1].message == "表三「商业企业」列：新收 0 + 结转 0 ≠ 总计 9 + 结转下年度 0");
    REQUIRE(findings[1].cells.size() == 4);
    CHECK(findings[1].cells[0].path == "表三.本年新收.商业企业");
    CHECK(findings[1].cells[0].text == "0");
    CHECK(findings[1].cells[0].pos == SourcePos{100, 11, 0});
    CHECK(findings[1].cells[2].path == "表三.总计.商业企业");
    CHECK(findings[1].location.table == "表三");
    CHECK(findings[1].location.row == "本年新收");
    CHECK(findings[1].location.column == "商业企业");
    CHECK(findings[1].location.pos == SourcePos{100, 11, 0});
    CHECK(findings[1].location.section == "依申请公开");
    CHECK(findings[1].location.file == "report.txt");
    CHECK(findings[1].pack == "test");

    CHECK(findings[2].rule == "T3-BALANCE");
    CHECK(findings[2].binding == "c=总计");
    CHECK_FALSE(findings[2].assessable);

    CHECK(stats.rules_run == 3);
    CHECK(stats.checks == 1 + 7 + 1);
    CHECK(stats.passed == 6);
    CHECK(stats.failed == 1);
    CHECK(stats.not_assessable == 2);
}

TEST_CASE("rule eval: the compatibility rules hold on a consistent 表三, SEC-6 fails without section 六") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    auto t = fixture::seed002_table3();
    t["本年新收"][1] = "9";
    t["结转下年度继续办理"].push_back("0");
    b.table("表三", t);
    b.section("一、总体情况", "总体情况", 1, "", 1, 9);
    RuleSet set = compile_ok(compatibility_rules);
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule == "SEC-6");
    CHECK(findings[0].severity == Severity::Error);
    CHECK(findings[0].message == "缺少第六部分「其他需要报告的事项」");
    REQUIRE(findings[0].cells.size() == 1);
    CHECK(findings[0].cells[0].path == "section 其他需要报告的事项");
}

TEST_CASE("rule eval: the total balance fails with both sides in the message") {
    auto b = seed002();
    b.model().tables[0].cells[9][6] = b.model().tables[0].cells[9][5];  // 结转下年度 总计 = 0
    b.model().tables[0].cells[0][6]->value = parse_cell_value("240");
    b.model().tables[0].cells[0][6]->text = "240";
    RuleSet set = compile_ok(compatibility_rules);
    auto findings = evaluate(set, b.model());
    REQUIRE(!findings.empty());
    CHECK(findings[0].rule == "T3-BALANCE-TOTAL");
    CHECK(findings[0].message == "表三 第一项加第二项 240 ≠ 第三项加第四项 231");
    CHECK(findings[0].cells.size() == 4);
}

TEST_CASE("rule eval: ~= compares numbers within the rounding of their written digits") {
    auto b = seed002();
    const ReportModel& m = b.model();
    CHECK(outcome(m, "12.9 + 4.0 + 2.9 + 9.5 + 37.1 + 33.5 ~= 100") == "pass");
    CHECK(outcome(m, "0.0007 ~= 1 / 1370 * 100") == "fail");
    CHECK(outcome(m, "0.07 ~= 1 / 1370 * 100") == "pass");
    CHECK(outcome(m, "88.9 ~= 8 / 9 * 100") == "pass");
    CHECK(outcome(m, "88.9 ~= 8 / 8 * 100") == "fail");
    CHECK(outcome(m, "5.1 ~= 60 / 1190 * 100") == "fail");
    CHECK(outcome(m, "within(5.1, 60 / 1190 * 100, unit(5.1))") == "pass");
    CHECK(outcome(m, "14.57 ~= 119 / 1366 * 100") == "fail");
    CHECK(outcome(m, "14.57 ~= 199 / 1366 * 100") == "pass");
    CHECK(outcome(m, "100 ~= 100.4") == "fail");
    CHECK(outcome(m, "99.9 ~= 100") == "fail");
    CHECK(outcome(m, "99.9 + 0.1 ~= 100") == "pass");
    CHECK(outcome(m, "1 / 0 == 1") == "not assessable: division by zero");
    // A zero written with decimals is still a zero: not assessable, never "anything goes".
    CHECK(outcome(m, "1 / 0.0 ~= 1") == "not assessable: division by zero");
    CHECK(outcome(m, "100 / 0.00 == 5") == "not assessable: division by zero");
    CHECK(outcome(m, "1 / (0.1 - 0.1) ~= 5") == "not assessable: division by zero");
    CHECK(outcome(m, "1 / (0.3 - 0.1 - 0.2) ~= 5") == "not assessable: division by zero");  // zero as == has it
    // A divisor whose interval only reaches zero still divides: [-∞, ∞] holds anything.
    CHECK(outcome(m, "1 / (0.1 - 0.05) ~= 20") == "pass");
}

TEST_CASE("rule eval: large and tiny numbers, lists and filters compare as written") {
    auto b = seed002();
    const ReportModel& m = b.model();
    // Binary rounding is forgiven, a difference of one in a billion is not.
    CHECK(outcome(m, "0.1 + 0.2 == 0.3") == "pass");
    CHECK(outcome(m, "1000000000 == 1000000001") == "fail");
    CHECK(outcome(m, "5000000000 ~= 5000000004") == "fail");
    CHECK(outcome(m, "3000000000 < 3000000002") == "pass");
    CHECK(outcome(m, "0.0000000001 > 0") == "pass");
    CHECK(outcome(m, "1 / 0.0 == 5") == "not assessable: division by zero");
    // Digits and positions far out of range are clamped, not undefined.
    CHECK(value_of(m, "round(1234.5, -400)") == "0");
    CHECK(value_of(m, "round(2.25, 10000000000)") == "2.25000000000000000");  // 17 digits, all a double has
    CHECK(value_of(m, "count([10, 20, 30][0:10000000000 * 10000000000])") == "3");
    CHECK(value_of(m, "[10, 20, 30][-10000000000 * 10000000000:2]") == "[10, 20]");
    // Lists compare element by element; a missing element leaves it unknown
    // unless another pair already differs.
    CHECK(outcome(m, "[1, 2] == [1, 2]") == "pass");
    CHECK(outcome(m, "[1, 2] != [1, 3]") == "pass");
    CHECK(outcome(m, "[1, 2] == [1, 2, 3]") == "fail");
    CHECK(outcome(m, "[1, 1 / 0] == [1, 2]") == "not assessable: division by zero");
    CHECK(outcome(m, "[2, 1 / 0] == [1, 2]") == "fail");
    // A filter that cannot decide an element cannot say what is left.
    CHECK(outcome(m, "count(filter(x in [1, 1 / 0, 3], x > 0)) == 3") == "not assessable: division by zero");
    CHECK(outcome(m, "count(filter(x in [1, -2, 3], x > 0)) == 2") == "pass");
}

TEST_CASE("rule eval: arithmetic keeps written precision in messages") {
    auto b = seed002();
    const ReportModel& m = b.model();
    CHECK(value_of(m, "12.9 + 4.0") == "16.9");
    CHECK(value_of(m, "1.25 + 1") == "2.25");
    CHECK(value_of(m, "0.5 * 0.5") == "0.25");
    CHECK(value_of(m, "8 / 9 * 100") == "88.89");
    CHECK(value_of(m, "1 / 1370 * 100") == "0.07299");
    CHECK(value_of(m, "8 / 9 * 100:.1f") == "88.9");
    // A width alone pads the number as written without a spec; a precision or a
    // sign formats it anew.
    CHECK(value_of(m, "8 / 9 * 100:>8") == "   88.89");
    CHECK(value_of(m, "12.90:>7") == "  12.90");
    CHECK(value_of(m, "表三.本年新收.总计:*^7") == "**231**");
    CHECK(value_of(m, "8 / 9 * 100:>8.1f") == "    88.9");
    CHECK(value_of(m, "表三.本年新收.总计:+") == "+231");
    CHECK(value_of(m, "表三.本年新收.总计:6") == "   231");  // a number's own alignment, to the right
    CHECK(value_of(m, "表三.本年新收.总计:<6") == "231   ");
    CHECK(value_of(m, "-表三.本年新收.总计") == "-231");
    CHECK(value_of(m, "round(8 / 9 * 100, 1)") == "88.9");
    // Half up (四舍五入) of the decimals written, whatever a double makes of them:
    // 201 / 400 * 100 = 50.25 is held as 50.2499…, 1.005 as 1.00499…, 2.675 as 2.67499….
    CHECK(value_of(m, "round(201 / 400 * 100, 1)") == "50.3");
    CHECK(value_of(m, "round(1.005, 2)") == "1.01");
    CHECK(value_of(m, "round(0.145, 2)") == "0.15");
    CHECK(value_of(m, "round(1.255, 2)") == "1.26");
    CHECK(value_of(m, "round(2.675, 2)") == "2.68");
    CHECK(value_of(m, "round(29 / 20000 * 100, 2)") == "0.15");
    CHECK(value_of(m, "round(2.5)") == "3");
    CHECK(value_of(m, "round(-2.5)") == "-3");  // away from zero
    CHECK(value_of(m, "round(-0.145, 2)") == "-0.15");
    CHECK(value_of(m, "round(2.4999)") == "2");
    CHECK(value_of(m, "round(1.2449, 2)") == "1.24");
    // Large numbers are not all "halves" (a tolerance relative to the value, not ==`s slack).
    CHECK(value_of(m, "round(1000000000000)") == "1000000000000");
    CHECK(value_of(m, "round(5000000000, 2)") == "5000000000.00");
    CHECK(value_of(m, "round(12345678901.49)") == "12345678901");
    CHECK(value_of(m, "round(-12345678901.49)") == "-12345678901");
    CHECK(value_of(m, "abs(3 - 5)") == "2");
    // |x| of an interval across zero starts at zero: abs(0.0 − 0.04) is in [0, 0.09].
    CHECK(outcome(m, "abs(0.0 - 0.04) ~= -0.01") == "fail");
    CHECK(outcome(m, "abs(0.0 - 0.04) ~= 0.09") == "pass");
}

TEST_CASE("rule eval: names resolve through ids, labels and aliases") {
    auto b = seed002();
    const ReportModel& m = b.model();
    CHECK(value_of(m, "表三[\"予以公开\"][\"自然人\"]") == "120");
    CHECK(value_of(m, "表三[\"（一）予以公开\"][\"自然人\"]") == "120");
    CHECK(value_of(m, "表三.予以公开.合计") == "129");
    CHECK(value_of(m, "表三.结转下年度.自然人") == "0");
    CHECK(value_of(m, "表三[予以公开][自然人]") == "120");
    CHECK(value_of(m, "表三.column(\"自然人\").予以公开") == "120");
    CHECK(value_of(m, "表三[表三.column(\"自然人\")][予以公开]") == "120");
    CHECK(value_of(m, "表三.予以公开.label") == "（一）予以公开");
    CHECK(value_of(m, "表三.rows[0].id") == "本年新收");
    CHECK(value_of(m, "count(表三.rows)") == "10");
    CHECK(value_of(m, "count(表三.columns)") == "7");
}

TEST_CASE("rule eval: aggregates, slices, groups and quantifiers") {
    auto b = seed002();
    const ReportModel& m = b.model();
    CHECK(value_of(m, "sum(表三.本年新收[自然人:其他])") == "222");
    CHECK(value_of(m, "sum(表三.本年新收[:6])") == "222");
    CHECK(value_of(m, "sum(表三.本年新收[商业企业:])") == "238");
    CHECK(value_of(m, "count(表三.rows[2:4])") == "2");
    CHECK(value_of(m, "count(表三[予以公开:总计])") == "7");
    CHECK(value_of(m, "map(r in 表三.group(\"不予公开\"), r.id)") == "[国家秘密, 第三方权益]");
    CHECK(value_of(m, "sum(r in 表三.group(\"不予公开\"), r.总计)") == "5");
    CHECK(value_of(m, "max(表三.予以公开.cells)") == "129");
    CHECK(value_of(m, "min(3, 1.5, 2)") == "1.5");
    CHECK(value_of(m, "max(c in 表三.columns, 表三.总计[c])") == "231");
    CHECK(value_of(m, "count(c in 表三.columns, 表三.予以公开[c] > 1)") == "4");
    CHECK(value_of(m, "first(filter(c in 表三.columns, 表三.本年新收[c] != 表三.总计[c]))") == "商业企业");
    CHECK(outcome(m, "all(c in 表三.columns, 表三.予以公开[c] >= 0)") == "pass");
    CHECK(outcome(m, "any(c in 表三.columns, 表三.予以公开[c] > 200)") == "fail");
    // R3.2 per row: the 本年新收 row fails (222 ≠ 231).
    CHECK(outcome(m, "all(r in 表三.rows[0:9], r.总计 == sum(r[自然人:其他]))") == "fail");
    // R3.3 per column on the consistent columns.
    CHECK(outcome(m, "表三.总计.自然人 == 表三.予以公开.自然人 + 表三.部分公开.自然人 + sum(r in 表三.group(\"不予公开\"), r.自然人) + 表三.不掌握.自然人 + 表三.其他处理.自然人",
                  "pack: t\napplies-to: template == \"gov-2019\"\n") == "pass");
    CHECK(outcome(m, "3 in [1, 2, 3] and \"b\" not in [\"a\"] and \"公开\" in \"予以公开\"") == "pass");
    CHECK(outcome(m, "increasing([1, 2, 2, 5]) and not increasing([2, 1])") == "pass");
    CHECK(outcome(m, "if 表三.总计.总计 > 100 then true else false") == "pass");
}

TEST_CASE("rule eval: missing values make a check not assessable, never pass or fail") {
    auto b = seed002();
    const ReportModel& m = b.model();
    CHECK(outcome(m, "表三.结转下年度继续办理.总计 == 0") == "not assessable: 表三.结转下年度继续办理.总计 (absent)");
    CHECK(outcome(m, "表三.结转下年度继续办理.总计 + 1 > 0") == "not assessable: 表三.结转下年度继续办理.总计 (absent)");
    // Three-valued logic: a known false decides 'and', a known true decides 'or'.
    CHECK(outcome(m, "表三.结转下年度继续办理.总计 == 0 and 1 == 2") == "fail");
    CHECK(outcome(m, "表三.结转下年度继续办理.总计 == 0 or 1 == 1") == "pass");
    CHECK(outcome(m, "all(c in 表三.columns, 表三.结转下年度继续办理[c] == 0)") ==
          "not assessable: 表三.结转下年度继续办理.总计 (absent)");
    CHECK(outcome(m, "all(c in 表三.columns, 表三.结转下年度继续办理[c] == 1)") == "fail");
    CHECK(outcome(m, "not present(表三.结转下年度继续办理.总计) and not written(表三.结转下年度继续办理.总计)") == "pass");
    CHECK(outcome(m, "present(表三.本年新收.总计) and written(表三.本年新收.总计)") == "pass");
    CHECK(outcome(m, "sum(表三.结转下年度继续办理.cells) == 0") == "not assessable: 表三.结转下年度继续办理.总计 (absent)");

    auto blank = seed002();
    blank.model().tables[0].cells[1][0]->value = parse_cell_value("/");
    blank.model().tables[0].cells[1][0]->text = "/";
    CHECK(outcome(blank.model(), "表三.上年结转.自然人 >= 0") == "not assessable: 表三.上年结转.自然人 (written '/')");
    CHECK(outcome(blank.model(), "written(表三.上年结转.自然人) and not present(表三.上年结转.自然人)") == "pass");
    // absent(): a cell the document does not have, not a blank one nor one that could not be placed.
    CHECK(outcome(blank.model(), "not absent(表三.上年结转.自然人) and not absent(表三.上年结转.总计) and not absent(1)") ==
          "pass");
    blank.model().tables[0].cells[1][0]->value = Value::missing_because(MissingReason::Unplaced);
    CHECK(outcome(blank.model(), "not absent(表三.上年结转.自然人) and not written(表三.上年结转.自然人)") == "pass");
    blank.model().tables[0].cells[1][0]->value = Value::missing_because(MissingReason::Absent);
    CHECK(outcome(blank.model(), "absent(表三.上年结转.自然人) and placed(表三.上年结转.自然人)") == "pass");
    blank.model().tables[0].cells[1][0].reset();
    CHECK(outcome(blank.model(), "absent(表三.上年结转.自然人)") == "pass");
}

TEST_CASE("rule eval: a not-assessable finding lists the cells it used") {
    auto b = seed002();
    RuleSet set = compile_ok(compatibility_rules);
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() >= 1);
    const auto& f = findings[0];
    REQUIRE(f.cells.size() == 4);
    CHECK(f.cells[3].path == "表三.结转下年度继续办理.总计");
    CHECK(f.cells[3].value.missing == MissingReason::Absent);
    CHECK(f.cells[0].value.number == 231);
}

TEST_CASE("rule eval: metadata, sections, narrative figures and lists") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", fixture::seed002_table3());
    b.section("一、总体情况", "总体情况", 1, "收到政府信息公开申请8件，其中当面申请8件，占88.9%，网络申请1件，占11.1%。", 1, 9);
    b.section("六、其他需要报告的事项", "其他事项", 6, "", 200, 200);
    std::size_t total = 0, p1 = 0, p1pct = 0, p2 = 0, p2pct = 0;
    b.figure("8件", "收到政府信息公开申请", 0, 3, &total);
    b.figure("8件", "当面申请", 0, 3, &p1);
    b.figure("88.9%", "当面申请", 0, 3, &p1pct);
    b.figure("1件", "网络申请", 0, 3, &p2);
    b.figure("11.1%", "网络申请", 0, 3, &p2pct);
    b.list(total, {{p1, p1pct, "当面申请"}, {p2, p2pct, "网络申请"}}, false, "收到政府信息公开申请8件，其中……");
    const ReportModel& m = b.model();

    CHECK(outcome(m, "year == 2020 and template == \"gov-2019\"") == "pass");
    CHECK(outcome(m, "has_section(\"其他需要报告的事项\") and has_section(\"六、其他需要报告的事项\")") == "pass");
    CHECK(outcome(m, "has_section(\"其他事项\") and has_section(\"总体情况\")") == "pass");
    CHECK(outcome(m, "has_section(\"复议诉讼\")") == "fail");
    CHECK(outcome(m, "section(\"其他需要报告的事项\").empty") == "pass");
    CHECK(outcome(m, "empty(section(\"总体情况\").text)") == "fail");
    CHECK(value_of(m, "section(\"复议诉讼\").text") == "—");
    CHECK(outcome(m, "section(\"复议诉讼\").empty") == "not assessable: no section '复议诉讼'");
    CHECK(value_of(m, "map(s in sections, s.number)") == "[1, 6]");
    CHECK(outcome(m, "increasing(map(s in sections, s.number))") == "pass");
    CHECK(value_of(m, "count(section(\"总体情况\").figures)") == "5");

    // Seed 001's error: 8 + 1 ≠ 8, and 88.9% is 8/9, not 8/8.
    CHECK(outcome(m, "all(l in lists, l.total == sum(p in l.parts, p.count))") == "fail");
    CHECK(value_of(m, "sum(p in lists[0].parts, p.count)") == "9");
    CHECK(value_of(m, "lists[0].total") == "8");
    CHECK(value_of(m, "lists[0].total.text") == "8件");
    CHECK(value_of(m, "lists[0].total.value") == "8");
    CHECK(value_of(m, "lists[0].parts[0].percent.unit") == "%");
    CHECK(outcome(m, "all(p in lists[0].parts, p.percent ~= p.count / lists[0].total * 100)") == "fail");
    CHECK(outcome(m, "all(p in lists[0].parts, p.percent ~= p.count / sum(q in lists[0].parts, q.count) * 100)") == "pass");
    CHECK(outcome(m, "sum(p in lists[0].parts, p.percent) ~= 100") == "pass");
    CHECK(outcome(m, "not lists[0].partial") == "pass");
    CHECK(value_of(m, "lists[0].parts[1].label") == "网络申请");
    CHECK(value_of(m, "first(filter(f in figures, f.context == \"网络申请\")).value") == "1");

    // Regular expressions over the prose, with numeric captures.
    CHECK(outcome(m, "matches(section(\"总体情况\").text, \"当面申请\\\\d+件\")") == "pass");
    CHECK(value_of(m, "number(captures(section(\"总体情况\").text, \"申请(\\\\d+)件\")[1])") == "8");
    CHECK(value_of(m, "numbers(section(\"总体情况\").text, \"(\\\\d+(?:\\\\.\\\\d+)?)%\")") == "[88.9, 11.1]");
    CHECK(value_of(m, "sum(numbers(section(\"总体情况\").text, \"占([\\\\d.]+)%\"))") == "100.0");
    CHECK(value_of(m, "find_all(section(\"总体情况\").text, \"(\\\\p{Han}{2})申请\\\\d\")") == "[公开, 当面, 网络]");
    CHECK(outcome(m, "number(captures(\"无匹配\", \"(\\\\d+)件\")[1]) > 0") == "not assessable: no element 1 in a list of 0");
}

TEST_CASE("rule eval: the message of a failing check renders fmt specs") {
    auto b = seed002();
    RuleSet set = compile_ok(R"(  - id: PCT
    severity: warning
    kind: percentage
    let:
      share: 表三.予以公开.总计 / 表三.本年新收.总计 * 100
    check: share > 60
    message: "予以公开占 {share:.2f}% ({表三.予以公开.总计}/{表三.本年新收.总计}) {{note}} {表三.予以公开.总计:>5}|"
)");
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Warning);
    CHECK(findings[0].kind == RuleKind::Percentage);
    CHECK(findings[0].message == "予以公开占 55.84% (129/231) {note}   129|");

    // A missing value has no digits to format, but keeps its place in a column.
    RuleSet missing = compile_ok(R"(  - id: GAP
    severity: info
    kind: sum
    check: false
    message: "[{1 / 0:>8.1f}] [{1 / 0:*<6}] [{1 / 0:.2f}]"
)");
    auto gap = evaluate(missing, b.model());
    REQUIRE(gap.size() == 1);
    CHECK(gap[0].message == "[       —] [—*****] [—]");
}

TEST_CASE("rule eval: a message quoting a long text is cut, each placeholder and the whole") {
    std::string page;
    for (int i = 0; i < 20000; ++i) page += "本机关认真落实。";
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.section("五、存在的主要问题及改进情况", "存在的主要问题及改进情况", 5, page, 1, 2);
    // One placeholder of 160,000 characters: cut to max_placeholder_chars.
    RuleSet one = compile_ok(R"(  - id: LONG
    severity: warning
    kind: format
    for: s in sections
    check: false
    message: "第五部分：{s.text}|"
)");
    auto findings = evaluate(one, b.model());
    REQUIRE(findings.size() == 1);
    const std::string& m = findings[0].message;
    CHECK(char_count(m) == char_count("第五部分：") + max_placeholder_chars + 1);
    CHECK(m.starts_with("第五部分：本机关认真落实。"));
    CHECK(m.ends_with("…|"));
    CHECK(is_valid_utf8(m));
    // Many placeholders: the message as a whole stops at max_message_chars.
    std::string many;
    for (int i = 0; i < 10; ++i) many += "{s.text}";
    RuleSet all = compile_ok("  - id: LONGER\n    severity: warning\n    kind: format\n    for: s in sections\n"
                             "    check: false\n    message: \"" + many + "\"\n");
    findings = evaluate(all, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(char_count(findings[0].message) == max_message_chars);
    CHECK(findings[0].message.ends_with("…"));
    // A binding's value is cut as a placeholder is.
    RuleSet bound = compile_ok(R"(  - id: BOUND
    severity: warning
    kind: format
    for:
      - s in sections
      - t in [s.text]
    check: t == ""
    message: "m"
)");
    findings = evaluate(bound, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].binding.starts_with("s="));
    CHECK(findings[0].binding.find(", t=本机关认真落实。") != std::string::npos);
    CHECK(findings[0].binding.ends_with("…"));
    CHECK(char_count(findings[0].binding) < 2 * max_placeholder_chars);
    // A message saying what is missing may quote the report too.
    RuleSet missing = compile_ok(R"(  - id: NOT-A-NUMBER
    severity: warning
    kind: format
    for: s in sections
    check: number(s.text) == 1
)");
    findings = evaluate(missing, b.model());
    REQUIRE(findings.size() == 1);
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].message.starts_with("not assessable: "));
    CHECK(char_count(findings[0].message) == max_message_chars);
    // A cell that holds a page is listed with its text cut.
    std::map<std::string, std::vector<std::string>> table3 = fixture::seed002_table3();
    table3["本年新收"][0] = "215" + page;
    fixture::ModelBuilder paged(test_catalog(), "gov-2019", 2020);
    paged.table("表三", table3);
    RuleSet cell = compile_ok("  - id: CELL\n    severity: error\n    kind: format\n    check: 表三.本年新收.自然人 == 1\n");
    findings = evaluate(cell, paged.model());
    REQUIRE(findings.size() == 1);
    REQUIRE(!findings[0].cells.empty());
    CHECK(findings[0].cells[0].text.starts_with("215本机关"));
    CHECK(char_count(findings[0].cells[0].text) == max_value_text_chars);
    // Short texts are untouched.
    CHECK(shortened("予以公开", 4) == "予以公开");
    CHECK(shortened("予以公开", 3) == "予以…");
    CHECK(shortened("ab", 1) == "…");
}

TEST_CASE("rule eval: when skips a binding, for with two bindings") {
    auto b = seed002();
    RuleSet set = compile_ok(R"(  - id: ROWSUM
    severity: error
    kind: sum
    for: r in 表三.rows
    when: r.id != "结转下年度继续办理"
    check: r.总计 == sum(r[自然人:其他])
    message: "{r}: {sum(r[自然人:其他])} ≠ {r.总计}"
  - id: NONNEG
    severity: error
    kind: format
    for:
      - r in 表三.rows[0:2]
      - c in 表三.columns[自然人:商业企业]
    check: r[c] > 0
)");
    EvaluationStats stats;
    auto findings = evaluate(set, b.model(), &stats);
    REQUIRE(findings.size() == 4);
    CHECK(findings[0].rule == "ROWSUM");
    CHECK(findings[0].binding == "r=本年新收");
    CHECK(findings[0].message == "本年新收: 222 ≠ 231");
    CHECK(stats.skipped_by_when == 1);
    CHECK(findings[1].binding == "r=本年新收, c=商业企业");
    CHECK(findings[1].message == "NONNEG: r[c] > 0 does not hold: 0 against 0");
    CHECK(findings[2].binding == "r=上年结转, c=自然人");
    CHECK(findings[3].binding == "r=上年结转, c=商业企业");
}

TEST_CASE("rule eval: params, applies-to and a report of another template") {
    auto b = seed002();
    std::string pack = R"(pack: t2019
applies-to: template == "gov-2019" and year >= 2019
params:
  limit: 200
  names: ["自然人", '商业企业']
  label: "本年新收"
rules:
  - id: BIG
    severity: info
    kind: consistency
    check: 表三[label].总计 < limit and count(names) == 2
)";
    std::string errors;
    RuleSet set = fixture::compile_texts({{"p.yaml", pack}}, test_catalog(), errors);
    REQUIRE(errors.empty());
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Info);
    CHECK(findings[0].assessable);

    fixture::ModelBuilder other(test_catalog(), "gov-2021", 2021);
    CHECK(evaluate(set, other.model()).empty());
    fixture::ModelBuilder unknown_year(test_catalog(), "gov-2019", 0);
    CHECK(evaluate(set, unknown_year.model()).empty());
}

TEST_CASE("rule eval: a pack reads the params of the packs it extends, in rules, params and applies-to") {
    auto b = seed002();  // 表三 本年新收 总计 231, year 2020
    std::string base = R"(pack: base
params:
  since: 2019
  limit: 200
  row_name: "本年新收"
  threshold: limit + 31
rules: []
)";
    std::string middle = R"(pack: middle
extends: [base]
params:
  ceiling: 1000
rules: []
)";
    std::string extending = R"(pack: extending
extends: [middle]
applies-to: year >= since
params:
  doubled: ceiling * 2
rules:
  - id: OVER
    severity: warning
    kind: consistency
    check: 表三[row_name].总计 != threshold
    message: "{表三[row_name].总计} = {threshold}; limit {limit}, ceiling {ceiling}, doubled {doubled}"
)";
    std::string errors;
    RuleSet set = fixture::compile_texts({{"base.yaml", base}, {"middle.yaml", middle}, {"extending.yaml", extending}},
                                         test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 1);
    // `threshold` is base's and reads base's `limit` (200 + 31); `ceiling` is
    // middle's, read through it.
    CHECK(findings[0].message == "231 = 231; limit 200, ceiling 1000, doubled 2000");
    // applies-to read base's `since`: a 2018 report is not audited by `extending`.
    fixture::ModelBuilder early(test_catalog(), "gov-2019", 2018);
    early.table("表三", {{"本年新收", {"215", "0", "0", "1", "3", "3", "231"}}});
    CHECK(evaluate(set, early.model()).empty());

    // Packs that do not extend each other still cannot see each other's params.
    std::string stranger = R"(pack: stranger
rules:
  - id: X
    severity: error
    kind: consistency
    check: limit > 1
)";
    fixture::compile_texts({{"base.yaml", base}, {"stranger.yaml", stranger}}, test_catalog(), errors);
    CHECK(errors.find("stranger.yaml:6:12: error: unknown name 'limit'") != std::string::npos);

    // A param of an extended pack's name would not change what that pack's
    // rules read (base's `threshold` would still be 200 + 31): an error.
    std::string hiding = R"(pack: hiding
extends: [middle]
params:
  limit: 1000
rules: []
)";
    errors.clear();
    fixture::compile_texts({{"base.yaml", base}, {"middle.yaml", middle}, {"hiding.yaml", hiding}}, test_catalog(), errors);
    CHECK(errors.starts_with("hiding.yaml:4:3: error: param 'limit' has the name of a param of the extended pack 'base' "
                             "(base.yaml:4), whose rules read their own"));
}

// A finding points at the first value its check read that has a position: a
// prose claim compared with a table at the claim, a table relation at its cell.
TEST_CASE("rule eval: a finding is located at the first value read that has a position") {
    auto b = seed002();
    b.figure("300件", "收到政府信息公开申请", 0, 5);
    RuleSet set = compile_ok(R"(  - id: PROSE-FIRST
    severity: warning
    kind: consistency
    for: f in figures
    check: f.value == 表三.本年新收.总计
  - id: TABLE-FIRST
    severity: warning
    kind: consistency
    for: f in figures
    check: 表三.本年新收.总计 == f.value
)");
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].rule == "PROSE-FIRST");
    CHECK(findings[0].location.pos == SourcePos{5, 5, 0});
    CHECK(findings[0].location.table.empty());
    CHECK(findings[0].location.section == "总体情况");
    REQUIRE(findings[0].cells.size() == 2);
    CHECK(findings[0].cells[1].table == "表三");
    CHECK(findings[1].rule == "TABLE-FIRST");
    CHECK(findings[1].location.table == "表三");
    CHECK(findings[1].location.row == "本年新收");
    CHECK(findings[1].location.pos == findings[0].cells[1].pos);

    // Not assessable: at the first table cell read, where the missing value
    // usually is, even when it has no position (表二 is not in the document).
    RuleSet missing = compile_ok(R"(  - id: MISSING-FIRST
    severity: warning
    kind: consistency
    check: 表二.规章.本年新制作数量 <= 表三.本年新收.总计
)");
    findings = evaluate(missing, b.model());
    REQUIRE(findings.size() == 1);
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].location.table == "表二");
    CHECK(findings[0].location.row == "规章");
    CHECK_FALSE(findings[0].location.pos.known());

    // A cell the table lacks has no position of its own; the finding points at
    // its table, and names the cell.
    RuleSet absent = compile_ok(R"(  - id: ABSENT-CELL
    severity: warning
    kind: consistency
    check: 表三.结转下年度继续办理.总计 >= 0
)");
    findings = evaluate(absent, b.model());
    REQUIRE(findings.size() == 1);
    CHECK_FALSE(findings[0].assessable);
    REQUIRE(findings[0].cells.size() == 1);
    CHECK_FALSE(findings[0].cells[0].pos.known());
    CHECK(findings[0].location.row == "结转下年度继续办理");
    CHECK(findings[0].location.column == "总计");
    REQUIRE(b.model().table("表三"));
    CHECK(findings[0].location.pos == b.model().table("表三")->pos);
    CHECK(findings[0].location.pos.known());
}

TEST_CASE("rule eval: a prose figure on the left of a comparison is listed and located first") {
    // A figure is read as a number when both sides are compared: the left one must
    // still come first, as the rule states the relation.
    auto b = seed002();
    std::size_t total = 0, p1 = 0, p2 = 0;
    b.figure("8件", "收到政府信息公开申请", 0, 3, &total);
    b.figure("8件", "当面申请", 0, 4, &p1);
    b.figure("1件", "网络申请", 0, 5, &p2);
    b.list(total, {{p1, std::nullopt, "当面申请"}, {p2, std::nullopt, "网络申请"}}, false, "收到政府信息公开申请8件……");
    RuleSet set = compile_ok(R"(  - id: LIST-SUM
    severity: error
    kind: sum
    for: l in lists
    check: l.total == sum(p in l.parts, p.count)
)");
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 1);
    REQUIRE(findings[0].cells.size() == 3);
    CHECK(findings[0].cells[0].path == "narrative: 收到政府信息公开申请");
    CHECK(findings[0].cells[1].path == "narrative: 当面申请");
    CHECK(findings[0].location.pos == SourcePos{3, 5, 0});
}

// A param is worked out once per report by whichever check reads it first,
// which records nothing unless it fails: what the param read must still explain
// every finding that uses it.
TEST_CASE("rule eval: a finding lists the values a param read, and why one was missing") {
    std::string pack = R"(pack: figs
params:
  received: sum(x in filter(y in figures, y.unit == "件"), x.value)
rules:
  - id: FIRST-READER
    severity: info
    kind: consistency
    check: received >= 0
  - id: PARAM-FIGURES
    severity: warning
    kind: consistency
    check: received == 表三.本年新收.总计
)";
    std::string errors;
    RuleSet set = fixture::compile_texts({{"p.yaml", pack}}, test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());

    auto b = seed002();
    b.figure("300件", "收到政府信息公开申请", 0, 5);
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule == "PARAM-FIGURES");
    REQUIRE(findings[0].cells.size() == 2);
    CHECK(findings[0].cells[0].path == "narrative: 收到政府信息公开申请");
    CHECK(findings[0].cells[1].path == "表三.本年新收.总计");
    CHECK(findings[0].location.pos == SourcePos{5, 5, 0});

    auto approximate = seed002();
    approximate.figure("300件", "收到政府信息公开申请", 0, 5);
    approximate.model().figures.back().value.approximate = true;  // as "300多件" reads
    findings = evaluate(set, approximate.model());
    REQUIRE(findings.size() == 2);
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].message == "not assessable: figure '300件' is approximate");
    CHECK(findings[1].message == findings[0].message);
}

// A param or an applies-to is evaluated in the middle of some rule, whose
// variables are in use: its quantifiers must have variables of their own.
TEST_CASE("rule eval: quantifiers in params and applies-to keep variables of their own") {
    auto b = seed002();
    std::string pack = R"(pack: shared
applies-to: any(t in ["gov-2019", "gov-2021"], t == template)
params:
  numbered: filter(x in sections, present(x.number))
  numbered_count: count(y in sections, present(y.number))
  first_used_in_a_rule: filter(z in sections, present(z.number))
rules:
  - id: NO-FOR
    severity: info
    kind: consistency
    check: count(numbered) == numbered_count and numbered_count == 2
  - id: OVER-PARAM
    severity: error
    kind: consistency
    for: s in numbered
    check: present(s.number) and count(numbered) == numbered_count
  - id: PARAM-IN-A-RULE
    severity: error
    kind: consistency
    for: c in 表三.columns
    applies-to: all(t in ["gov-2019"], t == template)
    check: count(first_used_in_a_rule) == 2 and c in 表三.columns
)";
    std::string errors;
    RuleSet set = fixture::compile_texts({{"p.yaml", pack}}, test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    EvaluationStats stats;
    auto findings = evaluate(set, b.model(), &stats);
    std::string first = findings.empty() ? std::string() : findings[0].rule + ": " + findings[0].message;
    INFO(first);
    CHECK(findings.empty());
    CHECK(stats.rules_run == 3);
    CHECK(stats.passed == stats.checks);
    CHECK(stats.checks > 3);
}

// The error evaluating `rule` (one rule, at line 3 of test.yaml) against `model` gives.
static std::optional<InputError> evaluation_failure(const ReportModel& model, const std::string& rule) {
    RuleSet set = compile_ok(rule);
    try {
        (void)evaluate(set, model);
    } catch (const InputError& e) {
        CHECK(e.file() == "test.yaml");
        CHECK(e.pos().line == 3);
        return e;
    }
    return std::nullopt;
}

static std::string evaluation_error(const ReportModel& model, const std::string& rule) {
    const auto e = evaluation_failure(model, rule);
    return e ? e->what() : "no error";
}

static std::string evaluation_hint(const ReportModel& model, const std::string& rule) {
    const auto e = evaluation_failure(model, rule);
    return e ? e->hint() : "no error";
}

TEST_CASE("rule eval: runaway rules hit the work bound with a clear error") {
    auto b = seed002();
    const std::string rule = R"(  - id: SLOW
    severity: error
    kind: consistency
    check: all(a in 表三.rows, all(b in 表三.rows, all(c in 表三.rows, all(d in 表三.rows, all(e in 表三.rows, all(f in 表三.rows, a.总计 >= 0))))))
)";
    CHECK(evaluation_error(b.model(), rule) == "rule 'SLOW' needs more than 2000000 evaluation steps for report report.txt");
    // Who reads it may be auditing a report far longer than the standard packs were
    // written for, and cannot edit them; or the rule's author. The size of the
    // report's text says which (its sections' text here; test_cli.cpp has figures).
    CHECK(evaluation_hint(b.model(), rule) ==
          "the report is of an ordinary size (its text 21 bytes): the rule is at fault, tell its author; if you wrote "
          "it, simplify its quantifiers or split it into several rules");
}

TEST_CASE("rule eval: a rule that fails for every binding of several lists stops at its finding bound") {
    // 10⁴ bindings of 表三's rows, each a finding: the work bound would let such a
    // rule build millions of findings (a 5-deep `for` took 9 GB) before stopping.
    auto b = seed002();
    const std::string rule = R"(  - id: EVERYWHERE
    severity: error
    kind: consistency
    for:
      - a in 表三.rows
      - b in 表三.rows
      - c in 表三.rows
      - d in 表三.rows
    check: a.自然人 + b.自然人 + c.自然人 + d.自然人 < 0
)";
    CHECK(evaluation_error(b.model(), rule) ==
          "rule 'EVERYWHERE' gives more than 1000 findings for report report.txt (the first are kept)");
    CHECK(evaluation_hint(b.model(), rule) == std::string("the report is of an ordinary size (its text 21 bytes): the rule "
                                                          "is at fault, tell its author; if you wrote it, narrow its for or its when"));
    Evaluation e = evaluate_each_rule(compile_ok(rule), b.model());
    CHECK(e.findings.size() == 1000);
    REQUIRE(e.rule_errors.size() == 1);
}

TEST_CASE("rule eval: checks decided from a cell's number already seen are charged the work bound all the same") {
    // Cells of few distinct numbers; each check tens of thousands of steps. A check
    // whose cell's number was seen is decided without its plan (Plan::one_cell),
    // and a kept `for` list without working it out: each is charged what it cost
    // the first time, so the rule still stops as it did before either shortcut.
    auto b = seed002();
    CHECK(evaluation_error(b.model(), R"(  - id: HEAVY
    severity: error
    kind: consistency
    for:
      - c in 表三.columns
      - r in 表三.rows
    when: present(r[c])
    check: count(x in 表三.rows, count(y in 表三.columns, count(z in 表三.rows, count(w in 表三.columns, count(v in [1, 2], r[c] <= 1000000000) > 0) > 0) > 0) > 0) >= 0
)") == "rule 'HEAVY' needs more than 2000000 evaluation steps for report report.txt");
}

TEST_CASE("rule eval: a regular expression that backtracks without end is stopped with a clear error") {
    auto b = seed002();
    // The x the pattern requires is there (else the text is known not to match
    // without a search), but not after the a's.
    b.section("二、主动公开政府信息情况", "主动公开", 2, "x" + std::string(40, 'a'), 10, 19);
    const std::string rule = R"(  - id: BACKTRACK
    severity: error
    kind: format
    check: not matches(section("主动公开").text, "(a+)+x$")
)";
    CHECK(evaluation_error(b.model(), rule) ==
          "rule 'BACKTRACK': the regular expression \"(a+)+x$\" took too long on a text of report report.txt");
    CHECK(evaluation_hint(b.model(), rule) == std::string(
        "the report is of an ordinary size (its text 62 bytes): the rule is at fault, tell its author; if you wrote it, "
        "simplify the pattern (nested repeats such as (a+)+ or (.*)* try exponentially many ways)"));
}

TEST_CASE("rule eval: written_unit() reads the unit a cell's text writes, not its column's") {
    auto b = seed002();
    // "" is a blank cell; 规范性文件 writes none of its three.
    b.table("表二", {{"规章", {"3件", "2", "", "", "", ""}}, {"行政许可", {"", "", "", "8", "-1", "8590元"}}});
    const ReportModel& m = b.model();
    CHECK(value_of(m, "written_unit(表二.规章.本年新制作数量)") == "件");
    CHECK(value_of(m, "written_unit(表二.规章[\"本年新公开数量\"])") == "");
    // Over every cell: r[c] read in `when` too (the compiler names it once, a let),
    // or through a let of the rule's own; "3" passing before "3件" is no verdict for
    // it (a check decided by a cell's number alone would be).
    auto same_numbers = seed002();
    same_numbers.table("表二", {{"规章", {"3", "3件", "", "", "", ""}}, {"行政许可", {"", "", "", "8", "-1", "8590元"}}});
    for (const char* rule : {R"(  - id: UNITS
    severity: warning
    kind: format
    for: [r in 表二.rows, c in r.columns]
    when: present(r[c])
    check: written_unit(r[c]) == ""
)",
                             R"(  - id: UNITS
    severity: warning
    kind: format
    for: [r in 表二.rows, c in r.columns]
    let:
      cell: r[c]
    when: present(cell)
    check: written_unit(cell) == ""
)"}) {
        INFO(rule);
        auto findings = evaluate(compile_ok(rule), same_numbers.model());
        std::vector<std::string> bound;
        for (const auto& f : findings)
            if (f.assessable) bound.push_back(f.binding);
        CHECK(bound == std::vector<std::string>{"r=规章, c=本年新公开数量", "r=行政许可, c=处理决定数量"});
        CHECK(findings.size() == bound.size());
    }
    CHECK(value_of(m, "written_unit(表二.行政许可.处理决定数量)") == "元");
    // Bound by a quantifier's variables: r[c] names a cell too.
    CHECK(outcome(m, "sum(r in 表二.rows, count(c in r.columns, present(r[c]) and written_unit(r[c]) != \"\")) == 2") ==
          "pass");
    // A blank cell has no number, so no unit: not assessable, naming the cell.
    CHECK(outcome(m, "written_unit(表二.规章.对外公开总数量) == \"\"") ==
          "not assessable: 表二.规章.对外公开总数量 (blank)");
}

TEST_CASE("rule eval: written_text() quotes a cell as the report wrote it, number or not") {
    auto b = seed002();
    b.table("表二", {{"规章", {"3件", "80*", "", "约7", "", ""}}});
    const ReportModel& m = b.model();
    CHECK(value_of(m, "written_text(表二.规章.本年新制作数量)") == "3件");
    // A cell with no number to read still has its text: what a message quotes.
    CHECK(value_of(m, "written_text(表二.规章.本年新公开数量)") == "80*");
    CHECK(value_of(m, "written_text(表二.规章.对外公开总数量)") == "");
    CHECK(outcome(m, "present(表二.规章.本年新公开数量)") == "fail");
    // A cell the document does not have (a row it lacks) is written as nothing.
    CHECK(value_of(m, "written_text(表二.行政许可.处理决定数量)") == "");
    // The number it is read as, if any, says nothing about its text: "80*" is not 80.
    CHECK(outcome(m, "表二.规章.本年新公开数量 == 80").rfind("not assessable: 表二.规章.本年新公开数量 (not a number: '80*')", 0) == 0);
    // A computed number was written nowhere: a compile error, as for written_unit().
    std::string errors;
    fixture::compile_texts({{"test.yaml", fixture::pack_with_rules("  - id: T\n    severity: error\n    kind: format\n"
                                                                   "    check: written_text(表三.总计.总计 + 1) == \"\"\n",
                                                                   "pack: test\n")}},
                           test_catalog(), errors);
    CHECK(errors.find("written_text()'s argument must be a table cell") != std::string::npos);
}

TEST_CASE("rule eval: the statistics period, dates and text functions") {
    auto b = seed002();
    ReportModel& m = b.model();
    m.metadata.period.found = true;
    m.metadata.period.parsed = true;
    m.metadata.period.start = {2020, 1, 1};
    m.metadata.period.end = {2020, 12, 31};
    m.metadata.period.text = "2020年1月1日至12月31日";
    m.metadata.published = Date{2021, 1, 28};
    CHECK(outcome(m, "period.found and period.start.year == year and period.end.month == 12 and period.end.day == 31") == "pass");
    CHECK(outcome(m, "published.year == year + 1 and published.month * 100 + published.day <= 131") == "pass");
    CHECK(value_of(m, "period.text") == "2020年1月1日至12月31日");
    CHECK(value_of(m, "text(表三.columns[1])") == "商业企业");
    CHECK(value_of(m, "join([1, 2.50, \"三\"], \" + \")") == "1 + 2.50 + 三");
    CHECK(value_of(m, "join(表三.columns[自然人:商业企业], \"、\")") == "自然人、商业企业");
    CHECK(value_of(m, "join([], \"+\")").empty());
    CHECK(outcome(m, "join([1, 1 / 0], \"+\") == \"\"").rfind("not assessable", 0) == 0);
    CHECK(outcome(m, "contains(period.text, \"12月31日\") and length(\"政府信息\") == 4 and length([1, 2]) == 2") == "pass");
    CHECK(outcome(m, "decimals(12.90) == 2 and unit(12.90) == 0.01 and unit(7) == 1") == "pass");
    CHECK(outcome(m, "regex(period.text, \"^\\\\d{4}年\") and not matches(period.text, \"2019\")") == "pass");
    CHECK(value_of(m, "last(表三.rows).label") == "四、结转下年度继续办理");
    CHECK(value_of(m, "text(表三.本年新收.总计)") == "231");

    m.metadata.period.parsed = false;
    CHECK(outcome(m, "period.start.year == year") == "not assessable: the statistics period could not be read");
    m.metadata.published.reset();
    CHECK(outcome(m, "published.year > 2000") == "not assessable: the publication date is unknown");
}

// The evaluator keeps the value of a quantifier that every binding shares
// (engine/eval/evaluate.cpp); only one that reads nothing bound outside it may be kept.
TEST_CASE("rule compile: only closed quantifiers are marked invariant") {
    RuleSet set = compile_ok(R"(  - id: SHARED
    severity: error
    kind: sum
    for: c in 表三.columns
    let:
      outcomes: sum(r in filter(x in 表三.rows, x.group != ""), r[c])
    check: outcomes >= 0 and all(a in 表三.rows, any(b in 表三.columns, a[b] >= 0))
)");
    const auto& rule = set.program().rules.at(0);
    const auto& sum = rule.lets.at(0);
    REQUIRE(sum.op == program::Op::Call);
    CHECK_FALSE(sum.invariant);  // reads c
    REQUIRE(sum.kids.at(0).op == program::Op::Call);
    CHECK(sum.kids.at(0).invariant);  // the filter reads only its own x
    const auto& all = rule.check.kids.at(1);
    REQUIRE(all.op == program::Op::Call);
    CHECK(all.invariant);
    REQUIRE(all.kids.at(1).op == program::Op::Call);
    CHECK_FALSE(all.kids.at(1).invariant);  // any(...) reads a, bound outside it

    // Kept or not, the findings are those of evaluating every binding afresh.
    auto b = seed002();
    CHECK(evaluate(set, b.model()).empty());
}
