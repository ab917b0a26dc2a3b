// Where a finding points and how it is named when the check reads no value with a
// place of its own: at what its `for` binds, and told apart from a finding of the
// same rule whose binding reads alike.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "tests/unit/golden.hpp"
#include "tests/unit/pack_check.hpp"

using namespace gouji;

namespace {

const std::string seed001 = gouji::test::test_dir() + "/corpus/seeds/001_64c08c7c78b4b61b.txt";

// Seed 001 counts some things in 个: "共关停18个…剩余8个", and "26个" four times.
const char* units_pack = R"(pack: units
rules:
  - id: NO-GE
    severity: warning
    kind: format
    for: f in figures
    check: f.unit != "个"
    message: "「{f.context}{f.text}」计量单位应为件"
  - id: LIST-TEXT
    severity: info
    kind: format
    for: l in lists
    check: l.text == ""
  - id: ROW-LABEL
    severity: info
    kind: format
    for: r in 表三.rows
    check: r.label == ""
)";

std::vector<const Finding*> of_rule(const std::vector<Finding>& findings, const std::string& rule) {
    std::vector<const Finding*> out;
    for (const auto& f : findings)
        if (f.rule == rule) out.push_back(&f);
    return out;
}

}  // namespace

TEST_CASE("finding identity: a check reading only a bound figure's, list's or row's words is located at it") {
    auto c = gouji::test::check_with(seed001, units_pack);
    auto ge = of_rule(c.findings, "NO-GE");
    REQUIRE(ge.size() >= 5);
    for (const Finding* f : ge) {
        CAPTURE(f->binding);
        CHECK(f->cells.empty());  // f.unit is no value with a place
        CHECK(f->location.pos.known());
        CHECK_FALSE(f->location.section.empty());
    }
    CHECK(ge[0]->location.pos.line == 17);
    CHECK(ge[0]->location.pos.column == 99);
    for (const char* rule : {"LIST-TEXT", "ROW-LABEL"}) {
        auto fs = of_rule(c.findings, rule);
        CAPTURE(rule);
        REQUIRE_FALSE(fs.empty());
        for (const Finding* f : fs) CHECK(f->location.pos.known());
    }
}

TEST_CASE("finding identity: findings of one rule whose bindings read alike are told apart by their place") {
    auto c = gouji::test::check_with(seed001, units_pack);
    std::set<std::pair<std::string, std::string>> ids;
    for (const auto& f : c.findings) CHECK(ids.insert({f.rule, f.binding}).second);
    std::vector<std::string> bindings;
    for (const Finding* f : of_rule(c.findings, "NO-GE")) bindings.push_back(f->binding);
    // The one 18个 keeps its plain binding; the four 26个 carry where each is.
    CHECK(std::count(bindings.begin(), bindings.end(), "f=18个") == 1);
    CHECK(std::count(bindings.begin(), bindings.end(), "f=26个@31:98") == 1);
    CHECK(std::count(bindings.begin(), bindings.end(), "f=26个@51:219") == 1);
    CHECK(std::count(bindings.begin(), bindings.end(), "f=26个") == 0);
}

TEST_CASE("finding identity: alike findings at one place are numbered") {
    // The `when` reads a table cell first, so every finding is located at it.
    auto c = gouji::test::check_with(std::string(GOUJI_SOURCE_DIR) + "/docs/sample-report.md", R"(pack: alike
rules:
  - id: A1
    severity: warning
    kind: consistency
    for: f in figures
    when: 表三.本年新收.总计 > 0
    check: number(f) != 8
)");
    auto fs = of_rule(c.findings, "A1");
    REQUIRE(fs.size() == 2);
    CHECK(fs[0]->binding == "f=8件@19:54");
    CHECK(fs[1]->binding == "f=8件@19:54#2");
}
