// The text output's lines for the values a finding read: where a reader finds each.
#include <doctest/doctest.h>

#include "gouji/check.hpp"
#include "gouji/readers.hpp"
#include "gouji/rules.hpp"
#include "gouji/template_schema.hpp"
#include "tests/unit/golden.hpp"

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
