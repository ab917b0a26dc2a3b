// A report read and modelled as `gouji check` does, checked with one pack given as
// text (no standard packs): for tests of what findings say and where they point.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "gouji/readers.hpp"
#include "gouji/report_model.hpp"
#include "gouji/rules.hpp"
#include "gouji/template_schema.hpp"

namespace gouji::test {

struct Checked {
    ReportModel model;
    std::vector<Finding> findings;
};

inline Checked check_with(const std::string& report, const std::string& pack) {
    TemplateCatalog catalog = load_templates(std::string(GOUJI_SOURCE_DIR) + "/rulepacks/templates.yaml");
    Checked c{build_model(read_document(report), catalog, {.judge_every_template = false}), {}};
    std::vector<RuleDiagnostic> diagnostics;
    RuleSet set = compile_rule_packs(std::vector<PackText>{{"pack.yaml", pack}}, catalog, diagnostics);
    REQUIRE(render(diagnostics) == "");
    c.findings = evaluate(set, c.model);
    return c;
}

}  // namespace gouji::test
