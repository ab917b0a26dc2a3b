// Suggestions: the one cell whose change makes several failing relations hold,
// worked out from the relations alone (engine/eval/suggest.cpp). Seed 002's 表三
// is the model case: 本年新收 × 商业企业 is written 0 where 9 is meant.
#include <doctest/doctest.h>

#include "engine/eval/suggest.hpp"
#include "gouji/readers.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;

namespace {

// T3-BALANCE of the issue, and each row's parts against its total.
const char* balance_and_row_sums = R"(- id: T3-BALANCE
  severity: error
  kind: sum
  for: c in 表三.columns
  check: 表三.本年新收[c] + 表三.上年结转[c] == 表三.总计[c] + 表三.结转下年度继续办理[c]
- id: T3-ROW-SUM
  severity: error
  kind: sum
  for: r in 表三.rows
  check: sum(r[自然人:其他]) == r.总计
)";

RuleSet compile_with(const TemplateCatalog& catalog, const std::string& rules) {
    std::string errors;
    std::string header = "pack: test\napplies-to: template in [\"gov-2019\", \"gov-2021\"]\n";
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(rules, header)}}, catalog, errors);
    INFO(errors);
    REQUIRE(errors.empty());
    return set;
}

std::vector<const Finding*> failing(const std::vector<Finding>& findings) {
    std::vector<const Finding*> out;
    for (const auto& f : findings)
        if (f.assessable) out.push_back(&f);
    return out;
}

const CellRef& cell_named(const Finding& f, const std::string& path) {
    for (const auto& c : f.cells)
        if (c.path == path) return c;
    FAIL("no cell " << path);
    return f.cells.front();
}

// A failing relation for attach_suggestions: cells as (path, value, coefficient).
Finding relation(const std::string& rule, const std::string& binding, double difference,
                 const std::vector<std::tuple<std::string, std::string, std::optional<double>>>& cells) {
    Finding f;
    f.rule = rule;
    f.binding = binding;
    f.kind = RuleKind::Sum;
    f.difference = difference;
    for (const auto& [path, text, coefficient] : cells) {
        CellRef c;
        c.path = path;
        c.table = "表三";
        c.row = path.substr(0, path.find('.'));
        c.column = path.substr(path.find('.') + 1);
        c.text = text;
        c.value = parse_cell_value(text);
        c.coefficient = coefficient;
        f.cells.push_back(c);
    }
    return f;
}

}  // namespace

TEST_CASE("suggest: seed 002's 表三 (hand-built) — 本年新收 × 商业企业 0 → 9 fixes both failures") {
    static const TemplateCatalog catalog = fixture::catalog();
    fixture::ModelBuilder b(catalog, "gov-2019", 2020);
    b.table("表三", fixture::seed002_table3());
    auto findings = evaluate(compile_with(catalog, balance_and_row_sums), b.model());
    auto fails = failing(findings);
    REQUIRE(fails.size() == 2);
    const Finding& column = *fails[0];
    const Finding& row = *fails[1];
    CHECK(finding_label(column) == "T3-BALANCE[c=商业企业]");
    CHECK(finding_label(row) == "T3-ROW-SUM[r=本年新收]");

    // The measured relations: lhs − rhs and each cell's side.
    REQUIRE(column.difference);
    CHECK(*column.difference == -9);
    CHECK(cell_named(column, "表三.本年新收.商业企业").coefficient == 1.0);
    CHECK(cell_named(column, "表三.上年结转.商业企业").coefficient == 1.0);
    CHECK(cell_named(column, "表三.总计.商业企业").coefficient == -1.0);
    CHECK(cell_named(column, "表三.结转下年度继续办理.商业企业").coefficient == -1.0);
    REQUIRE(row.difference);
    CHECK(*row.difference == -9);
    CHECK(cell_named(row, "表三.本年新收.自然人").coefficient == 1.0);
    CHECK(cell_named(row, "表三.本年新收.总计").coefficient == -1.0);
    // Each table cell knows its place in the schema, which is what cells are
    // compared by (a finding's cells with each other, and with a sum's terms).
    const TableSchema& t3 = *catalog.find("gov-2019")->table("表三");
    for (const Finding* f : fails)
        for (const CellRef& c : f->cells) {
            INFO(c.path);
            REQUIRE(c.row_index < t3.rows.size());
            REQUIRE(c.column_index < t3.columns.size());
            CHECK(t3.rows[c.row_index].id == c.row);
            CHECK(t3.columns[c.column_index].id == c.column);
        }

    for (const Finding* f : fails) {
        REQUIRE(f->suggestion);
        const Suggestion& s = *f->suggestion;
        CHECK(s.table == "表三");
        CHECK(s.row == "本年新收");
        CHECK(s.column == "商业企业");
        CHECK(s.current == 0);
        CHECK(s.value == 9);
        CHECK(s.decimals == 0);
        CHECK(s.fixes == std::vector<std::string>{"T3-BALANCE[c=商业企业]", "T3-ROW-SUM[r=本年新收]"});
    }
    // Not assessable findings (结转下年度 lacks its 总计) get none.
    for (const auto& f : findings)
        if (!f.assessable) CHECK_FALSE(f.suggestion);
}

// Money cells run to billions of 元 (采购总金额 3456160965.06): a cell's slope of 1
// is the relation's, not rounding, whatever the size of the difference.
TEST_CASE("suggest: cells of a billion keep their coefficients and the suggestion") {
    static const TemplateCatalog catalog = fixture::catalog();
    fixture::ModelBuilder b(catalog, "gov-2019", 2020);
    auto table = fixture::seed002_table3();
    table["本年新收"][0] = "1000000215";  // 自然人, and its row's 总计 with it: the row still adds up
    table["本年新收"][6] = "1000000231";
    b.table("表三", table);
    auto findings = evaluate(compile_with(catalog, balance_and_row_sums), b.model());
    auto fails = failing(findings);
    REQUIRE(fails.size() == 3);  // 自然人 by a billion; 商业企业 and 本年新收 by 9 (总计 lacks 结转下年度)
    const Finding& natural = *fails[0];
    CHECK(finding_label(natural) == "T3-BALANCE[c=自然人]");
    REQUIRE(natural.difference);
    CHECK(*natural.difference == 1000000000);
    CHECK(cell_named(natural, "表三.本年新收.自然人").coefficient == 1.0);
    CHECK(cell_named(natural, "表三.总计.自然人").coefficient == -1.0);
    // 0 → 9 still explains the two failures of nine.
    const Finding& row = *fails[2];
    CHECK(finding_label(row) == "T3-ROW-SUM[r=本年新收]");
    CHECK(cell_named(row, "表三.本年新收.自然人").coefficient == 1.0);
    REQUIRE(row.suggestion);
    CHECK(row.suggestion->column == "商业企业");
    CHECK(row.suggestion->value == 9);
}

// 表三 of seed 002 mended (商业企业 9), with every 结转下年度 cell, and (七)总计
// the sum of the outcome rows, column by column.
std::map<std::string, std::vector<std::string>> consistent_table3() {
    auto t = fixture::seed002_table3();
    t["本年新收"][1] = "9";
    t["结转下年度继续办理"] = {"0", "0", "0", "0", "0", "0", "0"};
    return t;
}

const std::string balance_rows_and_outcomes = std::string(balance_and_row_sums) + R"(- id: T3-OUTCOME-SUM
  severity: error
  kind: sum
  for: c in 表三.columns
  check: 表三.总计[c] == sum(r in filter(x in 表三.rows, x.group != "" and x.id != "总计"), r[c])
)";

// Two cells ten too many together (总计 × 自然人 and 总计 × 总计, so that row
// (七) still adds up) look like one wrong cell to each column's relations; but
// mending either alone would make row (七) fail, so neither is suggested.
TEST_CASE("suggest: a value that would break a relation that holds is not suggested") {
    static const TemplateCatalog catalog = fixture::catalog();
    auto two_wrong = consistent_table3();
    two_wrong["总计"][0] = "225";
    two_wrong["总计"][6] = "241";
    fixture::ModelBuilder b(catalog, "gov-2019", 2020);
    b.table("表三", two_wrong);
    auto findings = evaluate(compile_with(catalog, balance_rows_and_outcomes), b.model());
    auto fails = failing(findings);
    REQUIRE(fails.size() == 4);  // T3-BALANCE and T3-OUTCOME-SUM of 自然人 and of 总计
    for (const Finding* f : fails) {
        INFO(finding_label(*f));
        CHECK_FALSE(f->suggestion);
    }

    // One cell wrong (总计 × 总计 alone): its three failures are mended by it, and
    // nothing that holds breaks.
    auto one_wrong = consistent_table3();
    one_wrong["总计"][6] = "241";
    fixture::ModelBuilder c(catalog, "gov-2019", 2020);
    c.table("表三", one_wrong);
    auto one_findings = evaluate(compile_with(catalog, balance_rows_and_outcomes), c.model());
    auto one = failing(one_findings);
    REQUIRE(one.size() == 3);
    for (const Finding* f : one) {
        REQUIRE(f->suggestion);
        CHECK(f->suggestion->row == "总计");
        CHECK(f->suggestion->column == "总计");
        CHECK(f->suggestion->value == 231);
    }
}

TEST_CASE("suggest: a rule that reads cells by name is tried out only when it reads the cell suggested") {
    // Seed 002's suggestion is 本年新收 × 商业企业 0 → 9. A rule that names that cell
    // (and holds as written) is checked with 9: it breaks, so nothing is suggested.
    // One that names other cells alone, or another row's cells, cannot change: it is
    // not run again, and the suggestion stands.
    static const TemplateCatalog catalog = fixture::catalog();
    auto suggested_with = [&](const std::string& extra) {
        fixture::ModelBuilder b(catalog, "gov-2019", 2020);
        b.table("表三", fixture::seed002_table3());
        auto findings = evaluate(compile_with(catalog, std::string(balance_and_row_sums) + extra), b.model());
        auto fails = failing(findings);
        REQUIRE(fails.size() == 2);
        return fails[0]->suggestion.has_value() && fails[1]->suggestion.has_value();
    };
    CHECK(suggested_with(""));
    CHECK_FALSE(suggested_with(R"(- id: NO-FIRMS
  severity: warning
  kind: consistency
  check: 表三.本年新收.商业企业 == 0
)"));
    CHECK_FALSE(suggested_with(R"(- id: NO-FIRMS-IN-ROW
  severity: warning
  kind: consistency
  for: c in 表三.columns
  check: c.id != "商业企业" or 表三.本年新收[c] == 0
)"));
    CHECK(suggested_with(R"(- id: OTHER-CELLS
  severity: warning
  kind: consistency
  check: 表三.本年新收.自然人 + 表三.上年结转.商业企业 >= 0 and 表三.found
)"));
    // A rule whose `for` over columns (or rows) keys every cell it reads is tried
    // out on the column (row) of the cell alone; one that reads a cell another way
    // in its other bindings is tried out on all of them, and here they break.
    CHECK_FALSE(suggested_with(R"(- id: NAMED-IN-EVERY-COLUMN
  severity: warning
  kind: consistency
  for: c in 表三.columns
  check: c.id == "商业企业" or 表三.本年新收.商业企业 == 0
)"));
    CHECK_FALSE(suggested_with(R"(- id: ANOTHER-ROW-VARIABLE
  severity: warning
  kind: consistency
  for: r in 表三.rows
  check: r.id == "本年新收" or all(x in 表三.rows, x.id != "本年新收" or x.商业企业 == 0)
)"));
    // Reviewers' cases: a column got from a named row's columns reaches every row; a
    // value whose kind the compiler could not tell may be any row; a quantifier in a
    // `for`'s list that reuses the slot of the `for`'s variable is another variable.
    for (const char* reaching : {R"(- id: COLUMNS-OF-A-NAMED-ROW
  severity: warning
  kind: consistency
  for: c in 表三.总计.columns
  check: c.id != "商业企业" or c.本年新收 == 0
)", R"(- id: A-ROW-OF-UNTOLD-KIND
  severity: warning
  kind: consistency
  for: r in 表三.rows
  let:
    peer: first(if true then [表三.本年新收] else [])
  check: r.id == "本年新收" or peer[商业企业] == 0
)", R"(- id: A-QUANTIFIER-IN-THE-LIST
  severity: warning
  kind: consistency
  for: c in (if any(y in 表三.columns, 表三.本年新收[y] == 9) then 表三.columns else filter(z in 表三.columns, false))
  check: c.id == "商业企业" or 表三.予以公开[c] < 0
)"}) {
        INFO(reaching);
        CHECK_FALSE(suggested_with(reaching));
    }
    CHECK(suggested_with(R"(- id: KEYED-BY-ROW
  severity: warning
  kind: consistency
  for: r in 表三.rows
  check: r.id != "本年新收" or r.商业企业 < 100
)"));
}

TEST_CASE("suggest: seed 002 read from the corpus, with the standard templates") {
    static const TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    ReportModel model = build_model(read_document(test::test_dir() + "/corpus/seeds/002_0ec7f487509b9c4f.txt"), catalog);
    auto findings = evaluate(compile_with(catalog, balance_and_row_sums), model);
    auto fails = failing(findings);
    REQUIRE(fails.size() == 2);
    for (const Finding* f : fails) {
        REQUIRE(f->suggestion);
        CHECK(f->suggestion->row == "本年新收");
        CHECK(f->suggestion->column == "商业企业");
        CHECK(f->suggestion->current == 0);
        CHECK(f->suggestion->value == 9);
        CHECK(f->suggestion->fixes.size() == 2);
    }
}

TEST_CASE("suggest: a value that mends one of two alike checks and fails the other is not suggested") {
    // docs/sample-report.md line 5, "收到政府信息公开申请8件，其中当面申请8件": two figures
    // 8件, one label (f=8件). 本年新收 × 商业企业 0 → 9 mends the sums, mends the check
    // of the first 8件 and fails that of the second, which held.
    static const TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    ReportModel model = build_model(read_document(std::string(GOUJI_SOURCE_DIR) + "/docs/sample-report.md"), catalog);
    const std::string alike = std::string(balance_and_row_sums) + R"(- id: ALIKE
  severity: error
  kind: consistency
  for: f in filter(x in figures, x.text == "8件")
  check: if matches(f.context, "当面") then 表三.本年新收.商业企业 != 9 else 表三.本年新收.商业企业 == 9
)";
    const auto alike_findings = evaluate(compile_with(catalog, alike), model);
    auto with_alike = failing(alike_findings);
    REQUIRE(with_alike.size() == 3);
    CHECK(finding_label(*with_alike[2]) == "ALIKE[f=8件]");
    for (const Finding* f : with_alike) {
        const std::string label = finding_label(*f);
        INFO(label);
        CHECK_FALSE(f->suggestion);
    }
    // Without it, the sums get their suggestion.
    const auto sum_findings = evaluate(compile_with(catalog, balance_and_row_sums), model);
    auto sums = failing(sum_findings);
    REQUIRE(sums.size() == 2);
    for (const Finding* f : sums) {
        const std::string label = finding_label(*f);
        INFO(label);
        REQUIRE(f->suggestion);
        CHECK(f->suggestion->value == 9);
    }
}

TEST_CASE("suggest: failures that share no cell get no suggestion") {
    static const TemplateCatalog catalog = fixture::catalog();
    fixture::ModelBuilder b(catalog, "gov-2019", 2020);
    auto t = fixture::seed002_table3();
    t["本年新收"][1] = "9";
    t["结转下年度继续办理"].push_back("0");
    // 总计 × 商业企业 and 总计 × 总计 both one short: the 总计 row still adds up, and
    // the two failing columns have no cell in common (it takes two changes).
    t["总计"][1] = "8";
    t["总计"][6] = "230";
    b.table("表三", t);
    auto findings = evaluate(compile_with(catalog, balance_and_row_sums), b.model());
    auto fails = failing(findings);
    REQUIRE(fails.size() == 2);
    CHECK(finding_label(*fails[0]) == "T3-BALANCE[c=商业企业]");
    CHECK(finding_label(*fails[1]) == "T3-BALANCE[c=总计]");
    CHECK_FALSE(fails[0]->suggestion);
    CHECK_FALSE(fails[1]->suggestion);
}

TEST_CASE("suggest: the rules that decide whether one cell explains the failures") {
    SUBCASE("one value for all relations: suggested, attached to each") {
        std::vector<Finding> fs{relation("A", "", -9, {{"本年新收.商业企业", "0", 1.0}, {"总计.商业企业", "9", -1.0}}),
                                relation("B", "", -9, {{"本年新收.商业企业", "0", 1.0}, {"本年新收.总计", "231", -1.0}})};
        attach_suggestions(fs);
        REQUIRE(fs[0].suggestion);
        REQUIRE(fs[1].suggestion);
        CHECK(fs[0].suggestion->value == 9);
        CHECK(fs[1].suggestion->fixes == std::vector<std::string>{"A", "B"});
    }
    SUBCASE("the relations want different values: none") {
        std::vector<Finding> fs{relation("A", "", -9, {{"本年新收.商业企业", "0", 1.0}}),
                                relation("B", "", -10, {{"本年新收.商业企业", "0", 1.0}})};
        attach_suggestions(fs);
        CHECK_FALSE(fs[0].suggestion);
    }
    SUBCASE("a count cannot become negative or a fraction") {
        std::vector<Finding> negative{relation("A", "", 9, {{"本年新收.商业企业", "5", 1.0}}),
                                      relation("B", "", 9, {{"本年新收.商业企业", "5", 1.0}})};
        attach_suggestions(negative);
        CHECK_FALSE(negative[0].suggestion);
        std::vector<Finding> fraction{relation("A", "", -1, {{"本年新收.商业企业", "5", 2.0}}),
                                      relation("B", "", -1, {{"本年新收.商业企业", "5", 2.0}})};
        attach_suggestions(fraction);
        CHECK_FALSE(fraction[0].suggestion);
    }
    SUBCASE("a value written with decimals is solved to its precision") {
        std::vector<Finding> fs{relation("A", "", -0.5, {{"本年新收.商业企业", "1.5", 1.0}}),
                                relation("B", "", 0.5, {{"本年新收.商业企业", "1.5", -1.0}})};
        attach_suggestions(fs);
        REQUIRE(fs[0].suggestion);
        CHECK(fs[0].suggestion->value == 2.0);
        CHECK(fs[0].suggestion->decimals == 1);
    }
    SUBCASE("two cells explain the same failures equally: the fault is not pinned on either") {
        std::vector<Finding> fs{relation("A", "", -9, {{"本年新收.商业企业", "0", 1.0}, {"本年新收.自然人", "215", 1.0}}),
                                relation("B", "", -9, {{"本年新收.商业企业", "0", 1.0}, {"本年新收.自然人", "215", 1.0}})};
        attach_suggestions(fs);
        CHECK_FALSE(fs[0].suggestion);
    }
    SUBCASE("the cell explaining more failures wins over one explaining a subset") {
        std::vector<Finding> fs{
            relation("A", "", -9, {{"本年新收.商业企业", "0", 1.0}, {"本年新收.自然人", "215", 1.0}}),
            relation("B", "", -9, {{"本年新收.商业企业", "0", 1.0}, {"本年新收.自然人", "215", 1.0}}),
            relation("C", "", 9, {{"本年新收.商业企业", "0", -1.0}})};
        attach_suggestions(fs);
        REQUIRE(fs[2].suggestion);
        CHECK(fs[2].suggestion->column == "商业企业");
        CHECK(fs[0].suggestion->fixes.size() == 3);
    }
    SUBCASE("a relation not linear in the cell rules it out") {
        std::vector<Finding> fs{relation("A", "", -9, {{"本年新收.商业企业", "0", 1.0}}),
                                relation("B", "", -9, {{"本年新收.商业企业", "0", std::nullopt}})};
        attach_suggestions(fs);
        CHECK_FALSE(fs[0].suggestion);
    }
    SUBCASE("only assessable sum findings take part") {
        std::vector<Finding> fs{relation("A", "", -9, {{"本年新收.商业企业", "0", 1.0}}),
                                relation("B", "", -9, {{"本年新收.商业企业", "0", 1.0}})};
        fs[1].kind = RuleKind::Consistency;
        attach_suggestions(fs);
        CHECK_FALSE(fs[0].suggestion);
    }
}
