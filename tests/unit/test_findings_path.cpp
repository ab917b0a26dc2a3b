// The path of a failing check (engine/eval/run.cpp, suggest.cpp): its message
// reads the lets the check worked out, its difference is read with them, and
// suggestions group the cells of findings by path without a map of strings.
#include <doctest/doctest.h>

#include "engine/eval/suggest.hpp"
#include "gouji/readers.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;

namespace {

// A table cell of a constructed finding, with its place in the table as the
// evaluator gives it.
CellRef cell(const std::string& table, const std::string& row, const std::string& column, std::size_t row_index,
             std::size_t column_index, const std::string& text, std::optional<double> coefficient) {
    CellRef c;
    c.path = table + "." + row + "." + column;
    c.table = table;
    c.row = row;
    c.column = column;
    c.row_index = row_index;
    c.column_index = column_index;
    c.text = text;
    c.value = parse_cell_value(text);
    c.coefficient = coefficient;
    return c;
}

Finding relation(const std::string& rule, double difference, std::vector<CellRef> cells) {
    Finding f;
    f.rule = rule;
    f.kind = RuleKind::Sum;
    f.difference = difference;
    f.cells = std::move(cells);
    return f;
}

}  // namespace

TEST_CASE("findings path: suggestions group a cell's uses by path, not by its place alone") {
    SUBCASE("one place in two tables: two cells, each in one relation, so no suggestion") {
        std::vector<Finding> fs{relation("A", -9, {cell("表三", "本年新收", "商业企业", 1, 2, "0", 1.0)}),
                                relation("B", -9, {cell("表四", "本年新收", "商业企业", 1, 2, "0", 1.0)})};
        attach_suggestions(fs);
        CHECK_FALSE(fs[0].suggestion);
        CHECK_FALSE(fs[1].suggestion);
    }
    SUBCASE("one cell in relations apart: suggested, its findings in their order") {
        std::vector<Finding> fs{
            relation("A", -9, {cell("表三", "本年新收", "商业企业", 1, 2, "0", 1.0), cell("表三", "总计", "商业企业", 9, 2, "9", -1.0)}),
            relation("B", 5, {cell("表三", "上年结转", "自然人", 2, 1, "5", 1.0)}),
            relation("C", -9, {cell("表三", "本年新收", "总计", 1, 7, "231", -1.0), cell("表三", "本年新收", "商业企业", 1, 2, "0", 1.0)})};
        attach_suggestions(fs);
        REQUIRE(fs[0].suggestion);
        REQUIRE(fs[2].suggestion);
        CHECK_FALSE(fs[1].suggestion);
        CHECK(fs[0].suggestion->row == "本年新收");
        CHECK(fs[0].suggestion->column == "商业企业");
        CHECK(fs[0].suggestion->value == 9);
        CHECK(fs[2].suggestion->fixes == std::vector<std::string>{"A", "C"});
    }
    SUBCASE("a coefficient of 0 neither solves nor blocks; an unknown one blocks") {
        auto x = [](std::optional<double> coefficient) { return cell("表三", "本年新收", "商业企业", 1, 2, "0", coefficient); };
        std::vector<Finding> fs{relation("A", -9, {x(1.0)}), relation("B", -9, {x(1.0)}), relation("C", -4, {x(0.0)})};
        attach_suggestions(fs);
        REQUIRE(fs[0].suggestion);
        CHECK(fs[0].suggestion->fixes == std::vector<std::string>{"A", "B"});
        CHECK_FALSE(fs[2].suggestion);
        fs.push_back(relation("D", -4, {x(std::nullopt)}));
        for (auto& f : fs) f.suggestion.reset();
        attach_suggestions(fs);
        for (const auto& f : fs) CHECK_FALSE(f.suggestion);
    }
}

TEST_CASE("findings path: seed 002, a failing row sum's message and difference read the check's let") {
    static const TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    ReportModel model = build_model(read_document(test::test_dir() + "/corpus/seeds/002_0ec7f487509b9c4f.txt"), catalog);
    const std::string rules = R"(- id: ROW-SUM-LET
  severity: error
  kind: sum
  for: r in 表三.rows
  let:
    parts: sum(r[自然人:其他])
  check: r.总计 == parts
  message: "{r.label}: {parts} != {r.总计}"
)";
    std::string errors;
    std::string header = "pack: test\napplies-to: template in [\"gov-2019\", \"gov-2021\"]\n";
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(rules, header)}}, catalog, errors);
    INFO(errors);
    REQUIRE(errors.empty());
    auto findings = evaluate(set, model);
    std::vector<const Finding*> fails;
    for (const auto& f : findings)
        if (f.assessable) fails.push_back(&f);
    // As T3-ROW-SUM: 本年新收 adds up to 222 where its 总计 says 231 (商业企业 written 0, meant 9).
    REQUIRE(fails.size() == 1);
    const Finding& f = *fails[0];
    CHECK(f.binding == "r=本年新收");
    CHECK(f.message == "一、本年新收政府信息公开申请数量: 222 != 231");
    REQUIRE(f.difference);
    CHECK(*f.difference == 9);
    // The lets did not take the place of the cells the check read.
    REQUIRE(f.cells.size() == 7);
    CHECK(f.cells[0].path == "表三.本年新收.总计");
    for (const auto& c : f.cells) CHECK(c.coefficient.has_value());
    CHECK(f.suggestion.has_value() == false);  // one relation alone names no cell
}
