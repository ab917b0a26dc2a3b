// previous(表三): a rule reads the same agency's report of the year before
// (ReportHistory, `gouji check --previous`). Its cells are named and placed in
// that report; they never locate a finding nor become a suggestion; without a
// previous report they are missing and say how to give one.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <utility>

#include "gouji/check.hpp"
#include "gouji/text.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;

namespace {

const TemplateCatalog& test_catalog() {
    static const TemplateCatalog c = fixture::catalog();
    return c;
}

std::vector<Finding> findings_of(const ReportModel& model, const ReportModel* previous, const std::string& rules) {
    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(rules)}}, test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    return evaluate(set, model, nullptr, previous);
}

ReportModel report(const std::string& template_id, int year, const std::string& file,
                   const std::map<std::string, std::vector<std::string>>& table3) {
    fixture::ModelBuilder b(test_catalog(), template_id, year);
    b.table("表三", table3);
    ReportModel m = b.model();
    m.metadata.agency = "云岭市生态环境局";
    m.document.path = file;
    return m;
}

// One rule of severity error, as the `rules:` of a pack.
std::string rule(const std::string& id, const std::string& kind, const std::string& check) {
    return "  - id: " + id + "\n    severity: error\n    kind: " + kind + "\n    check: " + check + "\n";
}

// 2019 and 2020 on the one 2019 template, each with 本年新收 7 (自然人 7).
std::pair<ReportModel, ReportModel> same_template_years() {
    return {report("gov-2019", 2019, "2019.txt", {{"本年新收", {"7", "0", "0", "0", "0", "0", "7"}}}),
            report("gov-2019", 2020, "2020.txt", {{"本年新收", {"7", "0", "0", "0", "0", "0", "7"}}})};
}

const char* carried_rule =
    "  - id: CARRIED\n"
    "    severity: error\n"
    "    kind: consistency\n"
    "    for: c in 表三.columns\n"
    "    when: previous(表三).found\n"
    "    check: 表三.上年结转[c] == previous(表三).结转下年度继续办理[c]\n"
    "    message: '{c}: {表三.上年结转[c]} ≠ {previous(表三).结转下年度继续办理[c]}'\n";

}  // namespace

TEST_CASE("previous year: previous(表三) reads last year's table, and its cells say where they are") {
    ReportModel before = report("gov-2019", 2020, "2020.txt", {{"结转下年度继续办理", {"1", "1", "0", "0", "0", "0", "2"}}});
    ReportModel now = report("gov-2021", 2021, "2021.txt", {{"上年结转", {"1", "0", "0", "0", "0", "0", "1"}}});
    // Names resolve in each report's own schema: 2020 is on the 2019 template.
    auto findings = findings_of(now, &before, carried_rule);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].binding == "c=商业企业");
    CHECK(findings[0].message == "商业企业: 0 ≠ 1");
    CHECK(findings[1].binding == "c=总计");
    CHECK(findings[1].message == "总计: 1 ≠ 2");
    const Finding& f = findings[0];
    // Located in the audited report, at its own cell.
    CHECK(f.location.file == "2021.txt");
    CHECK(f.location.table == "表三");
    CHECK(f.location.row == "上年结转");
    REQUIRE(f.cells.size() == 2);
    CHECK(f.cells[0].path == "表三.上年结转.商业企业");
    CHECK(f.cells[0].file.empty());
    CHECK(f.cells[1].path == "previous(表三).结转下年度继续办理.商业企业");
    CHECK(f.cells[1].table == "previous(表三)");
    CHECK(f.cells[1].file == "2020.txt");
    CHECK(f.cells[1].from_previous_report());
    // Schema rows of the 2019 template: 结转下年度继续办理 is its last row.
    CHECK(f.cells[1].pos.line == 100 + before.tables[0].schema->rows.size() - 1);

    // Agreeing years: nothing.
    ReportModel agreeing = report("gov-2021", 2021, "2021.txt", {{"上年结转", {"1", "1", "0", "0", "0", "0", "2"}}});
    CHECK(findings_of(agreeing, &before, carried_rule).empty());
}

TEST_CASE("previous year: without last year's report a guarded rule is silent, an unguarded one not assessable") {
    ReportModel now = report("gov-2021", 2021, "2021.txt", {{"上年结转", {"1", "0", "0", "0", "0", "0", "1"}}});
    CHECK(findings_of(now, nullptr, carried_rule).empty());
    auto findings = findings_of(now, nullptr,
                                rule("UNGUARDED", "consistency", "表三.上年结转.总计 == previous(表三).结转下年度继续办理.总计"));
    REQUIRE(findings.size() == 1);
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].message.find("no report of 云岭市生态环境局 for 2020 was given") != std::string::npos);
    CHECK(findings[0].message.find("--previous") != std::string::npos);
    // Last year's report without the table: named as missing from that file.
    ReportModel bare = report("gov-2019", 2020, "2020.txt", {});
    bare.tables.clear();
    findings = findings_of(now, &bare,
                           rule("UNGUARDED", "consistency", "表三.上年结转.总计 == previous(表三).结转下年度继续办理.总计"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].message.find("表三 is not in 2020.txt") != std::string::npos);
}

TEST_CASE("previous year: a suggestion probes the audited report's cell only, even where both years share a schema") {
    auto [before, now] = same_template_years();
    auto findings = findings_of(now, &before,
                                rule("TWICE", "sum", "表三.本年新收.自然人 + previous(表三).本年新收.自然人 == 20"));
    REQUIRE(findings.size() == 1);
    const auto& cells = findings[0].cells;
    REQUIRE(cells.size() == 2);
    // Had the probe also changed last year's cell (same schema, same row and
    // column), the audited cell would seem to move the sum by two.
    REQUIRE(cells[0].coefficient);
    CHECK(*cells[0].coefficient == 1.0);
    CHECK_FALSE(cells[1].coefficient);

    // Last year's 自然人 cell explains both failing relations (7 → 13 makes each
    // hold), but last year's report is not the one to mend: no suggestion.
    findings = findings_of(now, &before,
                           rule("A", "sum", "previous(表三).本年新收.自然人 + 表三.本年新收.自然人 == 20") +
                           rule("B", "sum", "previous(表三).本年新收.自然人 + 表三.本年新收.商业企业 == 13"));
    REQUIRE(findings.size() == 2);
    CHECK_FALSE(findings[0].suggestion);
    CHECK_FALSE(findings[1].suggestion);
}

TEST_CASE("previous year: last year's table is not this year's, and has no previous of its own") {
    auto [before, now] = same_template_years();
    auto findings = findings_of(now, &before,
                                rule("SAME", "consistency", "previous(表三) == 表三") +
                                    "    message: '{previous(表三)} vs {表三}'\n" +
                                    rule("TWO-BACK", "consistency", "previous(previous(表三)).本年新收.总计 == 7"));
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].rule == "SAME");
    CHECK(findings[0].message == "previous(表三) vs 表三");
    CHECK(findings[1].rule == "TWO-BACK");
    CHECK_FALSE(findings[1].assessable);
    CHECK(findings[1].message.find("only the report of the year before is read") != std::string::npos);
}

TEST_CASE("previous year: a report's previous one has its agency and the year before, two such are neither") {
    ReportHistory history;
    ReportModel y2020 = report("gov-2019", 2020, "a/2020.txt", {});
    y2020.metadata.agency = "云岭市 生态环境局";  // spaced as a title may be
    CHECK_FALSE(history.add(y2020).has_value());
    ReportModel other_agency = report("gov-2019", 2020, "b/2020.txt", {});
    other_agency.metadata.agency = "云岭市教育局";
    CHECK_FALSE(history.add(other_agency).has_value());
    ReportModel unknown_year = report("gov-2019", 0, "c.txt", {});
    CHECK_FALSE(history.add(unknown_year).has_value());
    CHECK(history.size() == 2);

    ReportModel y2021 = report("gov-2021", 2021, "2021.txt", {});
    const ReportModel* found = history.previous_of(y2021);
    REQUIRE(found);
    CHECK(found->document.path == "a/2020.txt");
    ReportModel y2022 = report("gov-2021", 2022, "2022.txt", {});
    CHECK(history.previous_of(y2022) == nullptr);

    // A second 2020 report of the same agency: which is meant cannot be told.
    ReportModel again = report("gov-2019", 2020, "d/2020.txt", {});
    auto clash = history.add(again);
    REQUIRE(clash);
    CHECK(*clash == "a/2020.txt");
    CHECK(history.previous_of(y2021) == nullptr);
    auto third = history.add(report("gov-2019", 2020, "e/2020.txt", {}));
    REQUIRE(third);
    CHECK(history.previous_of(y2021) == nullptr);
}

TEST_CASE("previous year: a government's report names it with or without the catalog's suffix") {
    TemplateCatalog catalog = fixture::catalog();
    catalog.agency_suffixes = {"人民政府"};
    ReportHistory history(catalog);
    ReportModel y2020 = report("gov-2019", 2020, "2020.txt", {});
    y2020.metadata.agency = "泉州市";
    CHECK_FALSE(history.add(y2020).has_value());
    ReportModel y2021 = report("gov-2021", 2021, "2021.txt", {});
    y2021.metadata.agency = "泉州市人民政府";
    REQUIRE(history.previous_of(y2021));
    // Not any prefix: a department of the city is another agency.
    y2021.metadata.agency = "泉州市统计局";
    CHECK(history.previous_of(y2021) == nullptr);
    // And without the suffix in the catalog, the names differ.
    ReportHistory plain(test_catalog());
    CHECK_FALSE(plain.add(y2020).has_value());
    y2021.metadata.agency = "泉州市人民政府";
    CHECK(plain.previous_of(y2021) == nullptr);
}

TEST_CASE("previous year: previous() takes a table, or a param that is a condition, a number or a text") {
    auto errors_of = [](const std::string& header, const std::string& check) {
        std::string errors;
        fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(rule("BAD", "consistency", check), header)}},
                               test_catalog(), errors);
        return errors;
    };
    std::string errors = errors_of("pack: test\n", "previous(year) == 1");
    CHECK(errors.find("test.yaml:6:21: error: previous()'s argument must be a table (previous(表三)) or a param "
                      "(previous(other_form)), not an expression: name it in the pack's params") != std::string::npos);
    // A list of figures points into the report it comes from.
    errors = errors_of("pack: test\nparams:\n  pieces: filter(x in figures, x.unit == \"件\")\n", "empty(previous(pieces))");
    CHECK(errors.find("error: previous()'s argument must be a table (previous(表三)) or a param that is a condition, "
                      "a number or a text (previous(other_form)), not a list of narrative figures") != std::string::npos);
    CHECK(errors_of("pack: test\nparams:\n  born: year\n", "previous(born) == year - 1").empty());
}

// A param of last year's report (previous(other_form) in gov-2021.yaml): worked
// out in that report, so a rule sees whether last year's was on the other form.
TEST_CASE("previous year: previous(param) is the param worked out in last year's report") {
    const std::string header = "pack: test\nparams:\n  old_form: template == \"gov-2019\"\n  says: count(figures)\n";
    auto run = [&](const ReportModel& now, const ReportModel* before, const std::string& check) {
        std::string errors;
        RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(rule("P", "consistency", check), header)}},
                                             test_catalog(), errors);
        INFO(errors);
        REQUIRE(errors.empty());
        return evaluate(set, now, nullptr, before);
    };
    ReportModel now = report("gov-2021", 2021, "2021.txt", {});
    ReportModel on_2019 = report("gov-2019", 2020, "2020.txt", {});
    ReportModel on_2021 = report("gov-2021", 2020, "2020.txt", {});
    CHECK(run(now, &on_2019, "not old_form").empty());  // this year's own
    auto findings = run(now, &on_2019, "not previous(old_form)");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].assessable);
    CHECK(run(now, &on_2021, "not previous(old_form)").empty());

    // Without last year's report: not assessable, saying how to give it.
    findings = run(now, nullptr, "not previous(old_form)");
    REQUIRE(findings.size() == 1);
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].message.find("previous(old_form): no report of 云岭市生态环境局 for 2020 was given") != std::string::npos);

    // ReportHistory keeps last year's sections and metadata, not its figures: a
    // param that counts them is not known, rather than zero.
    ReportHistory history(test_catalog());
    on_2021.figures.resize(3);
    CHECK(run(now, &on_2021, "previous(says) == 3").empty());
    CHECK_FALSE(history.add(on_2021).has_value());
    const ReportModel* kept = history.previous_of(now);
    REQUIRE(kept);
    findings = run(now, kept, "previous(says) == 3");
    REQUIRE(findings.size() == 1);
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].message.find("previous(says): not known in 2020.txt") != std::string::npos);
}

// A later form that renames a column, its old name kept as an alias, and adds one:
// last year's report on the form before reads the renamed column by its old name,
// and of the new one says that last year's table lacks it (user tester).
TEST_CASE("previous year: a renamed column reads last year's by its alias, a new one is said missing in last year's") {
    static const TemplateCatalog catalog = [] {
        TemplateCatalog c = fixture::catalog();
        TemplateSchema later = c.templates.back();  // gov-2021
        later.id = "gov-2027";
        later.first_year = 2027;
        auto& columns = later.tables.at(0).columns;
        for (auto& column : columns)
            if (column.id == "法律服务机构") {
                column.id = column.label = "律师事务所";
                column.aliases = {"法律服务机构"};
                column.normalized = {normalize_label("律师事务所"), normalize_label("法律服务机构")};
            }
        columns.insert(columns.begin() + 2, fixture::as<ColumnSchema>(fixture::named("个体工商户")));
        c.templates.back().last_year = 2026;
        c.templates.push_back(later);
        return c;
    }();
    fixture::ModelBuilder then(catalog, "gov-2021", 2026);
    then.table("表三", {{"结转下年度继续办理", {"1", "0", "0", "0", "3", "0", "4"}}});
    ReportModel before = then.model();
    before.document.path = "2026.txt";
    fixture::ModelBuilder later(catalog, "gov-2027", 2027);
    later.table("表三", {{"上年结转", {"1", "0", "0", "0", "0", "3", "0", "4"}}});
    ReportModel now = later.model();
    now.document.path = "2027.txt";

    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(carried_rule)}}, catalog, errors);
    INFO(errors);
    REQUIRE(errors.empty());
    const std::vector<Finding> findings = evaluate(set, now, nullptr, &before);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].binding == "c=个体工商户");
    CHECK_FALSE(findings[0].assessable);
    CHECK(findings[0].message ==
          "not assessable: no column '个体工商户' in previous(表三) (2026.txt, template gov-2021)");
}
