// docs/rule-language.md runs: every ```yaml block of it compiles against the
// standard templates (rulepacks/templates.yaml); a block followed by a
// ```findings block is evaluated against the sample report the document
// describes (docs/sample-report.md) and must give exactly those findings; a
// block followed by ```errors must fail to compile with exactly those errors;
// "<!-- expect: no findings -->" after a block asks for no finding at all.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gouji/readers.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;
namespace fs = std::filesystem;

namespace {

struct Example {
    std::size_t line = 0;  // of the ```yaml fence in the markdown
    std::string yaml;
    std::string expect_kind;  // "findings", "errors", "none" or "" (compile only)
    std::string expected;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The fenced block starting at lines[i] (a ``` line): its body; `i` moves past the closing fence.
std::string fenced_body(const std::vector<std::string>& lines, std::size_t& i) {
    std::string body;
    for (++i; i < lines.size() && lines[i].rfind("```", 0) != 0; ++i) body += lines[i] + "\n";
    ++i;
    return body;
}

std::vector<Example> examples_of(const std::string& markdown) {
    auto lines = lines_of(markdown);
    std::vector<Example> out;
    for (std::size_t i = 0; i < lines.size();) {
        if (lines[i] != "```yaml") {
            ++i;
            continue;
        }
        Example ex;
        ex.line = i + 1;
        ex.yaml = fenced_body(lines, i);
        std::size_t j = i;
        while (j < lines.size() && lines[j].empty()) ++j;
        if (j < lines.size() && (lines[j] == "```findings" || lines[j] == "```errors")) {
            ex.expect_kind = lines[j].substr(3);
            ex.expected = fenced_body(lines, j);
            i = j;
        } else if (j < lines.size() && lines[j] == "<!-- expect: no findings -->") {
            ex.expect_kind = "none";
        }
        out.push_back(std::move(ex));
    }
    return out;
}

// A block that is a list of rules becomes the rules of a pack named "example".
std::string as_pack(const std::string& yaml) {
    if (yaml.rfind("pack:", 0) == 0 || yaml.find("\npack:") != std::string::npos) return yaml;
    std::string out = "pack: example\nrules:\n";
    for (const auto& line : lines_of(yaml)) out += (line.empty() ? "" : "  ") + line + "\n";
    return out;
}

// One line per finding: "error T3-BALANCE [c=商业企业]: message".
std::string render_findings(const std::vector<Finding>& findings) {
    std::string out;
    for (const auto& f : findings) {
        out += std::string(to_string(f.severity)) + " " + f.rule;
        if (!f.binding.empty()) out += " [" + f.binding + "]";
        out += ": " + f.message + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("rule docs: every example of docs/rule-language.md compiles and gives the findings shown") {
    fs::path doc = fs::path(GOUJI_SOURCE_DIR) / "docs" / "rule-language.md";
    fs::path templates = fs::path(GOUJI_SOURCE_DIR) / "rulepacks" / "templates.yaml";
    REQUIRE(fs::exists(doc));
    REQUIRE(fs::exists(templates));
    TemplateCatalog catalog = load_templates(templates.string());
    // The sample report is a real file read as `gouji check` reads it, so that
    // every example can be run from the command line as the page says.
    fs::path sample = fs::path(GOUJI_SOURCE_DIR) / "docs" / "sample-report.md";
    ReportModel report = build_model(read_document(sample.string()), catalog, {.judge_every_template = false});

    std::ifstream in(doc, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto examples = examples_of(ss.str());
    CHECK(examples.size() >= 14);
    std::size_t checked = 0;
    for (const auto& ex : examples) {
        CAPTURE(ex.line);
        CAPTURE(ex.yaml);
        // "---" separates packs shown together: example.yaml, example-2.yaml…
        std::vector<PackText> packs;
        std::string current;
        for (const auto& line : lines_of(ex.yaml)) {
            if (line == "---") {
                packs.push_back({packs.empty() ? "example.yaml" : "example-" + std::to_string(packs.size() + 1) + ".yaml", as_pack(current)});
                current.clear();
            } else {
                current += line + "\n";
            }
        }
        packs.push_back({packs.empty() ? "example.yaml" : "example-" + std::to_string(packs.size() + 1) + ".yaml", as_pack(current)});
        std::vector<RuleDiagnostic> diagnostics;
        RuleSet set = compile_rule_packs(packs, catalog, diagnostics);
        std::string errors = render(diagnostics);
        if (ex.expect_kind == "errors") {
            CHECK(errors == ex.expected);
            ++checked;
            continue;
        }
        CHECK(errors == "");
        if (ex.expect_kind.empty()) continue;
        std::string findings = render_findings(evaluate(set, report));
        CHECK(findings == (ex.expect_kind == "none" ? std::string() : ex.expected));
        ++checked;
    }
    CHECK(checked >= 12);
}
