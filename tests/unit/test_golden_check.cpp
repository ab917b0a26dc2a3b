// Every report in tests/golden-cases.txt audited with the standard packs; the
// `gouji check --format json` output (run from tests/) compared with the golden
// beside the report (<report>.check.json). Refresh: GOUJI_REFRESH_GOLDENS=1.
#include <doctest/doctest.h>

#include "gouji/check.hpp"
#include "gouji/readers.hpp"
#include "tests/unit/golden.hpp"

using namespace gouji;

TEST_CASE("golden check: every corpus document and fixture, standard packs, JSON") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::vector<RuleDiagnostic> errors;
    RuleSet rules = compile_rule_packs(standard_rule_pack_files(), catalog, errors);
    INFO(render(errors));
    REQUIRE(errors.empty());
    REQUIRE_FALSE(rules.empty());
    auto cases = test::golden_cases();
    REQUIRE(cases.size() >= 10);
    for (const auto& one : cases) {
        const std::string& relative = one.report;
        CAPTURE(relative);
        std::string path = test::test_dir() + "/" + relative;
        ReportHistory history(catalog);
        for (const auto& earlier : one.previous)
            REQUIRE_FALSE(history.add(build_model(test::read_golden_case(earlier), catalog)).has_value());
        ReportFindings report = check_document(test::read_golden_case(relative), rules, catalog, &history);
        std::string json = findings_to_json({report}).dump(1) + "\n";
        std::string diff = test::compare_golden(path + ".check.json", json);
        CHECK_MESSAGE(diff.empty(), diff);
    }
}
