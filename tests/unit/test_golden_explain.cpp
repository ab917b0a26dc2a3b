// Every report in tests/golden-cases.txt is read and modelled, and its `explain`
// output compared with the golden beside it (<report>.explain).
#include <doctest/doctest.h>

#include "gouji/explain.hpp"
#include "gouji/readers.hpp"
#include "tests/unit/golden.hpp"

using namespace gouji;

TEST_CASE("golden explain: every corpus document and fixture") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    auto cases = test::golden_cases();
    REQUIRE(cases.size() >= 10);
    for (const auto& one : cases) {
        const std::string& relative = one.report;
        CAPTURE(relative);
        std::string path = test::test_dir() + "/" + relative;
        ReportModel model = build_model(test::read_golden_case(relative), catalog);
        std::string diff = test::compare_golden(path + ".explain", explain_text(model));
        CHECK_MESSAGE(diff.empty(), diff);
    }
}
