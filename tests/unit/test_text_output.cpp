// The text output's lines for the values a finding read: where a reader finds each.
#include <doctest/doctest.h>

#include "gouji/check.hpp"
#include "gouji/readers.hpp"
#include "gouji/rules.hpp"
#include "gouji/template_schema.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;

namespace {

std::string checked_text(const std::string& path) {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::vector<RuleDiagnostic> diagnostics;
    RuleSet rules = compile_rule_packs(standard_rule_pack_files(), catalog, diagnostics);
    REQUIRE(diagnostics.empty());
    return findings_text(check_document(read_document(path), rules, catalog), false);
}

}  // namespace

TEST_CASE("text output: a value of an HTML page whose article is one line has its column") {
    // pingtan-2019.html holds its article on line 349; NARR-LIST-SUM reads its 2599条 list.
    const std::string out = checked_text(test::test_dir() + "/corpus/real/pingtan-2019.html");
    CHECK(out.find("= narrative: 我区政府信息公开单位共公布政府信息 = 2599条  (line 349, column 2875)\n") != std::string::npos);
    CHECK(out.find("(line 349)") == std::string::npos);
}

TEST_CASE("text output: a value of a text report has its line, its column under the caret") {
    const std::string out = checked_text(test::test_dir() + "/corpus/seeds/002_0ec7f487509b9c4f.txt");
    CHECK(out.find("= 表三.总计.商业企业 = 9  (line 120)\n") != std::string::npos);
    CHECK(out.find(", column ") == std::string::npos);
}

TEST_CASE("text output: a check not assessable lists its values without a number, or all when each has one") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::string errors;
    RuleSet rules = fixture::compile_texts(
        {{"division.yaml", fixture::pack_with_rules("  - id: RATIO\n    severity: error\n    kind: sum\n"
                                                    "    check: 表三.本年新收.总计 / 表三.上年结转.总计 > 0\n"
                                                    "  - id: BLANK\n    severity: error\n    kind: sum\n"
                                                    "    check: 表三.本年新收.总计 + 表三.结转下年度继续办理.自然人 > 0\n")}},
        catalog, errors);
    REQUIRE(errors.empty());
    const std::string out =
        findings_text(check_document(read_document(test::test_dir() + "/corpus/seeds/002_0ec7f487509b9c4f.txt"), rules, catalog),
                      false);
    INFO(out);
    // 231 / 0: every value has its number, and the 0 is the reason.
    const std::size_t ratio = out.find("info[RATIO] not assessable: division by zero\n");
    REQUIRE(ratio != std::string::npos);
    const std::string ratio_block = out.substr(ratio, out.find("info[BLANK]") - ratio);
    CHECK(ratio_block.find("= 表三.本年新收.总计 = 231  (line 95)\n") != std::string::npos);
    CHECK(ratio_block.find("= 表三.上年结转.总计 = 0  (line 96)\n") != std::string::npos);
    // A blank: it alone is listed, the reason.
    const std::size_t blank = out.find("info[BLANK] not assessable");
    REQUIRE(blank != std::string::npos);
    const std::string blank_block = out.substr(blank);
    CHECK(blank_block.find("表三.本年新收.总计 =") == std::string::npos);
    CHECK(blank_block.find("= 表三.结转下年度继续办理.自然人 = (blank)  (line 121)\n") != std::string::npos);

    // A statistics period not found: it is listed, not the numbers read beside it.
    RuleSet period_rule = fixture::compile_texts(
        {{"period.yaml", fixture::pack_with_rules("  - id: PERIOD\n    severity: error\n    kind: consistency\n"
                                                  "    check: period.start.year == 2020 and 表三.本年新收.总计 > 0\n")}},
        catalog, errors);
    REQUIRE(errors.empty());
    const std::string sample = test::test_dir() + "/../docs/sample-report.md";  // states no period
    const std::string period_out = findings_text(check_document(read_document(sample), period_rule, catalog), false);
    INFO(period_out);
    REQUIRE(period_out.find("info[PERIOD] not assessable") != std::string::npos);
    CHECK(period_out.find("= period = (absent)\n") != std::string::npos);
    CHECK(period_out.find("表三.本年新收.总计 =") == std::string::npos);
}

TEST_CASE("text output: an unreadable report, folder or --previous input is an entry in its place") {
    const InputError empty("many_bad/e11.txt", SourcePos{}, "file is empty", "download or copy the report again");
    CHECK(findings_text(unreadable_report("many_bad/e11.txt", empty), false) ==
          "── many_bad/e11.txt (could not be read)\n"
          "many_bad/e11.txt: error: file is empty (download or copy the report again)\n\n");
    ReportFindings folder = unreadable_report("b5/noperm", InputError("b5/noperm", SourcePos{}, "cannot read directory: Permission denied", ""));
    folder.folder = true;
    CHECK(findings_text(folder, false).starts_with("── b5/noperm (folder could not be read)\nb5/noperm: error: cannot read directory"));
    ReportFindings previous = unreadable_report("last\nyear.txt", empty);
    previous.previous_year = true;
    CHECK(findings_text(previous, false).starts_with("── last year.txt (--previous report not used)\n"));
}

TEST_CASE("text output: a report's counts say what --min-severity left out of them") {
    ReportFindings r;
    r.file = "r.txt";
    r.format = "text";
    r.findings_not_shown = 3;
    CHECK(findings_text(r, false) ==
          "── r.txt (text, template unknown)\n   0 errors, 0 warnings, 0 infos, 0 not assessable (3 findings below "
          "--min-severity not shown)\n\n");
}
