// The YAML reader rule packs and template schemas go through (rules/yaml_tree):
// node kinds and styles, aliases, byte positions of nodes in non-ASCII text, and
// where a syntax error is reported; template files' errors, one by one and as
// the golden cases (tests/cases/template-errors/*/templates.yaml -> expected.txt,
// loaded after the standard templates) show them, with line and caret.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include "gouji/template_schema.hpp"
#include "tests/unit/golden.hpp"
#include "rules/yaml_text.hpp"
#include "rules/yaml_tree.hpp"

using namespace gouji;
using namespace gouji::rules;

TEST_CASE("yaml tree: kinds, styles, nulls and key lookup") {
    YamlDocument doc("a: 表三\nb: 'x'\nc:\nd: ~\ne: [1, \"2\"]\nf: |\n  line\n");
    REQUIRE_FALSE(doc.error());
    YamlNode root = doc.root();
    REQUIRE(root.is_mapping());
    CHECK(root.size() == 12);
    CHECK(root["a"].scalar() == "表三");
    CHECK(root["a"].style() == YamlStyle::Plain);
    CHECK(root["b"].style() == YamlStyle::SingleQuoted);
    CHECK(root["c"].is_null());
    CHECK(root["d"].is_null());
    CHECK(root["e"].is_sequence());
    CHECK(root["e"].item(1).scalar() == "2");
    CHECK(root["e"].item(1).style() == YamlStyle::DoubleQuoted);
    CHECK(root["f"].scalar() == "line\n");
    CHECK(root["f"].style() == YamlStyle::Literal);
    CHECK_FALSE(root["missing"]);
    CHECK_FALSE(root["a"]["x"]);  // a scalar has no keys
}

TEST_CASE("yaml tree: node starts are file bytes, after multi-byte characters") {
    std::string text = "标题: 一\nkey: [表三, 值]\n";
    YamlDocument doc(text);
    REQUIRE_FALSE(doc.error());
    YamlNode list = doc.root()["key"];
    CHECK(list.start() == text.find('['));
    CHECK(list.item(1).start() == text.find("值"));
    auto source = std::make_shared<const SourceText>("p.yaml", text);
    YamlText t = yaml_text(list.item(0), source);
    CHECK(t.text == "表三");
    CHECK(t.position(0) == SourcePos{2, 7, 0});
}

TEST_CASE("yaml tree: a BOM is not counted in node positions") {
    std::string text = "\xEF\xBB\xBF" "a: 表\nb: x\n";
    YamlDocument doc(text);
    REQUIRE_FALSE(doc.error());
    CHECK(doc.root()["b"].start() == text.find("x"));
}

TEST_CASE("yaml tree: aliases are the anchored node, an unknown alias is an error") {
    YamlDocument doc("base: &cols [a, b]\nuse: *cols\n");
    REQUIRE_FALSE(doc.error());
    YamlNode use = doc.root()["use"];
    REQUIRE(use.is_sequence());
    CHECK(use.item(1).scalar() == "b");
    CHECK(use.start() == doc.root()["base"].start());

    YamlDocument bad("a: 1\nb: *nowhere\n");
    REQUIRE(bad.error());
    CHECK(bad.error()->byte == 8);
    CHECK(bad.error()->message.find("'*nowhere'") != std::string::npos);
}

TEST_CASE("yaml tree: a syntax error names where it is and what was being parsed") {
    std::string text = "k:\n  - [1, 2\n";
    YamlDocument doc(text);
    REQUIRE(doc.error());
    SourceText source("p.yaml", text);
    CHECK(doc.error()->describe(source) == "did not find expected ',' or ']' while parsing a flow sequence started at line 2, column 5");
    CHECK(doc.root().is_null());

    YamlDocument invalid_utf8("a: \xFF\n");
    REQUIRE(invalid_utf8.error());
    CHECK(invalid_utf8.error()->byte == 3);
}

// The error loading `text` as a template file gives.
InputError template_error(const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() / "gouji-yaml-tree-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "templates.yaml";
    std::ofstream(file) << text;
    std::optional<InputError> error;
    try {
        (void)load_templates(file.string());
    } catch (const InputError& e) {
        error = e;
    }
    std::filesystem::remove_all(dir);
    REQUIRE_MESSAGE(error, "expected an InputError");
    return *error;
}

TEST_CASE("yaml tree: brackets nested past any pack's need are refused before libyaml") {
    const std::string deep = std::string(600, '[') + std::string(600, ']');
    for (const std::string& before : {std::string("pack: p\n"), std::string("title: agency's pack\n"),
                                      std::string("title: 6\" screen\n"), std::string("check: 表三.本年新收[c] > 0\n")}) {
        CAPTURE(before);
        YamlDocument doc(before + "rules: " + deep + "\n");
        REQUIRE(doc.error());
        CHECK(doc.error()->message.find("nest more than 500 levels") != std::string::npos);
    }
    // Brackets of expressions, quotes and comments are no nesting.
    std::string pack = "pack: p\nrules:\n";
    for (int i = 0; i < 600; ++i) pack += "  - {id: R" + std::to_string(i) + ", check: '表三.本年新收[c] > 0'}  # [[[\n";
    CHECK_FALSE(YamlDocument(pack).error());
}

TEST_CASE("templates: one based on another has its sections and tables but for those it declares, and takes its years over") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    auto dir = std::filesystem::temp_directory_path() / "gouji-based-on-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "gov-2026.yaml";
    std::ofstream(file) << R"(templates:
  - id: gov-2026
    based-on: gov-2021
    years: {from: 2026}
    sections:
      - {id: 存在的主要问题及改进情况, number: 5, label: 五、存在的主要问题及改进措施}
      - {id: 附件, number: 7}
    tables:
      - id: 表四
        columns: [总计]
        rows: [行政复议]
  - id: gov-2027
    based-on: gov-2026
    years: {from: 2027}
)";
    load_templates_into(catalog, file.string());
    std::filesystem::remove_all(dir);
    const TemplateSchema* base = catalog.find("gov-2021");
    const TemplateSchema* t = catalog.find("gov-2026");
    REQUIRE(base);
    REQUIRE(t);
    CHECK(t->based_on == std::vector<std::string>{"gov-2021"});
    CHECK(t->is("gov-2026"));
    CHECK(t->is("gov-2021"));
    CHECK_FALSE(t->is("gov-2019"));
    CHECK_FALSE(base->is("gov-2026"));
    CHECK(catalog.find("gov-2027")->based_on == std::vector<std::string>{"gov-2026", "gov-2021"});
    // Sections: the one of the same id replaced in place, a new one added.
    REQUIRE(t->sections.size() == base->sections.size() + 1);
    CHECK(t->sections[4].label == "五、存在的主要问题及改进措施");
    CHECK(t->sections[0].label == base->sections[0].label);
    CHECK(t->sections.back().id == "附件");
    // Tables: 表四 replaced, the others as the base has them.
    REQUIRE(t->tables.size() == base->tables.size());
    CHECK(t->table("表四")->columns.size() == 1);
    CHECK(t->table("表三")->columns.size() == base->table("表三")->columns.size());
    // The years: each template to the year it starts from on; the older one still has the years before.
    CHECK(template_for_year(catalog, 2025)->id == "gov-2021");
    CHECK(template_for_year(catalog, 2026)->id == "gov-2026");
    CHECK(template_for_year(catalog, 2030)->id == "gov-2027");
    CHECK(template_for_year(catalog, 2019)->id == "gov-2019");
    CHECK(template_for_year(catalog, 0) == nullptr);
}

TEST_CASE("templates: a local copy based on the standard template of its own id replaces it, inheriting the rest") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    const std::string title = catalog.find("gov-2021")->title;
    const std::size_t sections = catalog.find("gov-2021")->sections.size();
    auto dir = std::filesystem::temp_directory_path() / "gouji-based-on-self-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "local.yaml";
    std::ofstream(file) << "templates:\n  - id: gov-2021\n    based-on: gov-2021\n    years: {from: 2021}\n"
                           "    sections:\n      - {id: 存在的主要问题及改进情况, number: 5, label: 五、存在的主要问题及改进措施}\n";
    load_templates_into(catalog, file.string());
    std::filesystem::remove_all(dir);
    const TemplateSchema* t = catalog.find("gov-2021");
    REQUIRE(t);
    CHECK(t->based_on.empty());  // no base of itself
    CHECK(t->title == title);    // inherited when not given
    CHECK(t->sections.size() == sections);
    CHECK(t->sections[4].label == "五、存在的主要问题及改进措施");
    CHECK(catalog.templates.size() == 3);
}

TEST_CASE("yaml tree: template schema errors are reported at the character column") {
    InputError number = template_error("templates:\n  - id: 模板\n    years: {from: 二〇一九}\n    sections: [一]\n");
    CHECK(number.pos() == SourcePos{3, 19, 0});
    CHECK(std::string(number.what()) == "expected a whole number");

    // Where the unclosed list starts, not on the line after it where libyaml stops.
    InputError unclosed = template_error("templates:\n  - id: x\n    title: [a\n");
    CHECK(unclosed.pos() == SourcePos{3, 12, 0});
    CHECK(std::string(unclosed.what()) ==
          "a value that starts with '[' is read as YAML's own list: put the whole value in quotes (title: \"…\")");

    // A misspelt key would drop what it holds without a word.
    InputError key = template_error("templates:\n  - id: x\n    years: {from: 2019}\n    sections:\n      - id: 一\n        alias: [概述]\n");
    CHECK(key.pos() == SourcePos{6, 9, 0});
    CHECK(std::string(key.what()) == "unknown key 'alias' in a section (did you mean 'aliases'?)");
    CHECK(key.hint() == "the keys here are id, label, aliases, number, keywords");

    // A section's keywords are a list of words.
    InputError keywords = template_error("templates:\n  - id: x\n    years: {from: 2019}\n    sections:\n      - {id: 一, keywords: 问题}\n");
    CHECK(keywords.pos().line == 5);
    CHECK(std::string(keywords.what()) == "'keywords' must be a list");

    InputError agencies = template_error("agencies:\n  same-without: [人民政府]\ntemplates: []\n");
    CHECK(agencies.pos() == SourcePos{2, 3, 0});
    CHECK(std::string(agencies.what()) == "unknown key 'same-without' in agencies (did you mean 'same-without-suffix'?)");
    InputError suffixes = template_error("agencies:\n  same-without-suffix: 人民政府\ntemplates: []\n");
    CHECK(suffixes.pos() == SourcePos{2, 24, 0});
    CHECK(std::string(suffixes.what()) == "expected a list of words");

    // The words metadata is read by: a misspelt key, a word where a list belongs, an empty word.
    InputError words_key = template_error("metadata:\n  period-key: [统计期限]\ntemplates: []\n");
    CHECK(words_key.pos() == SourcePos{2, 3, 0});
    CHECK(std::string(words_key.what()) == "unknown key 'period-key' in metadata (did you mean 'period-keys'?)");
    InputError words_list = template_error("metadata:\n  period-keys: 统计期限\ntemplates: []\n");
    CHECK(words_list.pos() == SourcePos{2, 16, 0});
    CHECK(std::string(words_list.what()) == "expected a list of words");
    InputError empty_word = template_error("metadata:\n  date-keys: [时间, \"\"]\ntemplates: []\n");
    CHECK(empty_word.pos().line == 2);
    CHECK(std::string(empty_word.what()) == "empty word");
    InputError completion = template_error("metadata:\n  agency-completions: [{cut: 人民, name: 政府}]\ntemplates: []\n");
    CHECK(std::string(completion.what()) == "the name must start with what was cut ('人民')");

    // Template years and ids that would send a report to the wrong template without a word.
    const std::string sections = "    sections: [{id: 一, number: 1}]\n";
    InputError backwards = template_error("templates:\n  - id: x\n    years: {from: 2026, to: 2020}\n" + sections);
    CHECK(backwards.pos() == SourcePos{3, 12, 0});
    CHECK(std::string(backwards.what()) == "template x ends (2020) before it starts (2026)");
    CHECK(backwards.hint() == "write {from: 2020, to: 2026}");
    InputError twice = template_error("templates:\n  - id: x\n    years: {from: 2026}\n" + sections +
                                      "  - id: x\n    years: {from: 2027}\n" + sections);
    CHECK(twice.pos() == SourcePos{5, 9, 0});
    CHECK(std::string(twice.what()) == "template 'x' is declared twice in this file (also at line 2)");
    InputError same_start = template_error("templates:\n  - id: x\n    years: {from: 2026}\n" + sections +
                                           "  - id: y\n    years: {from: 2026, to: 2030}\n" + sections);
    CHECK(same_start.pos() == SourcePos{6, 12, 0});
    CHECK(std::string(same_start.what()).find("templates 'x' (") == 0);
    CHECK(std::string(same_start.what()).ends_with("and 'y' both start in 2026"));
    InputError numbered = template_error("templates:\n  - id: x\n    years: {from: 2026}\n"
                                       "    sections: [{id: 一, number: 1}, {id: 二, number: 1}]\n");
    CHECK(std::string(numbered.what()) == "sections '一' and '二' of template x are both number 1");
    InputError named = template_error("templates:\n  - id: x\n    years: {from: 2026}\n"
                                      "    sections:\n      - {id: 总体情况, number: 1}\n      - {id: 概述, number: 2, aliases: [总体情况]}\n");
    CHECK(named.pos().line == 6);
    CHECK(std::string(named.what()) == "'总体情况' names two sections of template x: '总体情况' and '概述' (an id, label or alias of each)");
    InputError duplicate_section = template_error("templates:\n  - id: x\n    years: {from: 2026}\n"
                                                  "    sections: [{id: 一, number: 1}, {id: 一, number: 2}]\n");
    CHECK(std::string(duplicate_section.what()) == "duplicate section '一' (also at line 4)");
    InputError column = template_error("templates:\n  - id: x\n    years: {from: 2026}\n" + sections +
                                       "    tables:\n      - id: 表\n        columns: [自然人, {id: 个体工商户, aliases: [自然人]}]\n"
                                       "        rows: [总计]\n");
    CHECK(column.pos().line == 7);
    CHECK(std::string(column.what()) == "'自然人' names two columns of table 表: '自然人' and '个体工商户' (an id, label or alias of each)");
    InputError no_start = template_error("templates:\n  - id: x\n    years: {to: 2010}\n" + sections +
                                         "  - id: y\n    years: {to: 2012}\n" + sections);
    CHECK(std::string(no_start.what()).ends_with("and 'y' both have no first year (from)"));
    InputError years_scalar = template_error("templates:\n  - id: x\n    years: 2026\n" + sections);
    CHECK(years_scalar.pos() == SourcePos{3, 12, 0});
    CHECK(std::string(years_scalar.what()) == "template x's 'years' must be a map");
    // A file's problems come in the order of its lines, not in the order they are looked for.
    InputError first = template_error("metadata:\n  published-keys: 发布时间\n  report-names: 年报\ntemplates: []\n");
    CHECK(first.pos().line == 2);
    InputError misspelt = template_error("metdata:\n  period-keys: [统计期限]\ntemplates: []\n");
    CHECK(misspelt.pos() == SourcePos{1, 1, 0});
    CHECK(std::string(misspelt.what()) == "unknown key 'metdata' (did you mean 'metadata'?)");
    InputError base = template_error("templates:\n  - id: x\n    based-on: gov-2012\n    years: {from: 2026}\n");
    CHECK(base.pos() == SourcePos{3, 15, 0});
    CHECK(std::string(base.what()) == "unknown template 'gov-2012' to base x on");

    // A directory given as the template file says it is one.
    std::optional<InputError> dir;
    try {
        (void)load_templates(std::filesystem::temp_directory_path().string());
    } catch (const InputError& e) {
        dir = e;
    }
    REQUIRE(dir);
    CHECK(std::string(dir->what()) == "is a directory, not a template file");
}

TEST_CASE("templates: golden error cases") {
    namespace fs = std::filesystem;
    const fs::path root = fs::path(GOUJI_TEST_DIR) / "cases" / "template-errors";
    std::size_t cases = 0;
    for (const auto& entry : fs::directory_iterator(root)) {
        const fs::path file = entry.path() / "templates.yaml";
        if (!fs::exists(file)) continue;
        ++cases;
        CAPTURE(entry.path().filename().string());
        TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
        std::vector<RuleDiagnostic> errors;
        CHECK_FALSE(load_templates_into(catalog, file.string(), errors));
        CHECK_FALSE(errors.empty());
        std::string actual = render(errors);
        // The case's folder, and the standard templates' (a message may name that file), as in the goldens.
        for (const std::string& dir : {entry.path().string() + "/", default_rulepack_dir() + "/"})
            for (std::size_t at = actual.find(dir); at != std::string::npos; at = actual.find(dir, at)) actual.erase(at, dir.size());
        const std::string diff = gouji::test::compare_golden((entry.path() / "expected.txt").string(), actual);
        CHECK_MESSAGE(diff.empty(), diff);
    }
    CHECK(cases >= 6);
}

TEST_CASE("templates: a local file may take a year from a standard template whose 'to' names it") {
    // gov-2019 runs to 2020; a regulator's file gives 2020 a template of its own.
    // The same overlap inside one file is a slip (tests/cases/template-errors/
    // years-cut-by-a-later-template); across files it is the way to override.
    auto dir = std::filesystem::temp_directory_path() / "gouji-template-override-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "local.yaml";
    std::ofstream(file) << "templates:\n  - id: gov-2020-local\n    based-on: gov-2019\n    years: {from: 2020, to: 2020}\n";
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::vector<RuleDiagnostic> errors;
    CHECK(load_templates_into(catalog, file.string(), errors));
    CHECK(errors.empty());
    REQUIRE(template_for_year(catalog, 2020) != nullptr);
    CHECK(template_for_year(catalog, 2020)->id == "gov-2020-local");
    CHECK(template_for_year(catalog, 2019)->id == "gov-2019");
    std::filesystem::remove_all(dir);
}

TEST_CASE("templates: every problem of a file is reported, and the first is the one load_templates throws") {
    auto dir = std::filesystem::temp_directory_path() / "gouji-template-errors-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "t.yaml";
    // A misspelt key in a column, and a row naming a group the table lacks: two
    // mistakes of one table, the two errors of one run.
    std::ofstream(file) << "templates:\n  - id: x\n    years: {from: 2030}\n    sections: [{id: 一, number: 1}]\n"
                           "    tables:\n      - id: 表\n        columns: [甲, {id: 乙, alias: [丙]}]\n"
                           "        groups: [组]\n        rows: [{id: 行, group: 组}, {id: 列, group: 祖}]\n";
    std::vector<RuleDiagnostic> errors;
    TemplateCatalog catalog;
    CHECK_FALSE(load_templates_into(catalog, file.string(), errors));
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].pos == SourcePos{7, 30, 0});
    CHECK(errors[0].message == "unknown key 'alias' in a column (did you mean 'aliases'?) (the keys here are id, label, aliases, unit)");
    CHECK(errors[0].source_line == "        columns: [甲, {id: 乙, alias: [丙]}]");
    CHECK(errors[1].pos.line == 9);
    CHECK(errors[1].message == "unknown group '祖' (declare it under the table's 'groups')");
    CHECK(catalog.find("x") == nullptr);  // a template with a problem is not in the catalog
    // The first line of each is InputError::describe()'s, as before.
    std::optional<InputError> thrown;
    try {
        (void)load_templates(file.string());
    } catch (const InputError& e) {
        thrown = e;
    }
    REQUIRE(thrown);
    CHECK(errors[0].render().substr(0, errors[0].render().find('\n')) == thrown->describe());
    std::filesystem::remove_all(dir);
}

TEST_CASE("yaml slips: the slip a rule author made, where libyaml stopped later or said only what it expected") {
    auto slip_of = [](const std::string& text) {
        YamlDocument doc(text);
        REQUIRE(doc.error());
        SourceText source("p.yaml", text);
        SourcePos at = source.position_of(doc.error()->byte);
        return std::to_string(at.line) + ":" + std::to_string(at.column) + " " + doc.error()->describe(source);
    };
    CHECK(slip_of("rules:\n  - id: A\n    check\xEF\xBC\x9A true\n  - id: B\n") ==
          "3:10 '：' is a full-width colon: write ':' and a space after 'check'");
    CHECK(slip_of("rules:\n  - id A\n    kind: sum\n") == "2:7 'id' needs a ':' after it (id: …)");
    CHECK(slip_of("rules:\n  - id: A\n    message: {x} 件\n") ==
          "3:14 a value that starts with '{' is read as YAML's own mapping: put the whole value in quotes (message: \"…\")");
    CHECK(slip_of("rules:\n  - id: A\n    check: a(\"x: y\")\n") ==
          "3:16 the value of 'check' contains ': ', which YAML reads as another key: put the whole value in quotes, or write it "
          "on the lines below 'check: >-'");
    CHECK(slip_of("rules:\n  - id: A\n    kind: sum\n   check: true\n") ==
          "4:4 'check' is indented 3 spaces, unlike the keys above it (4): the keys of one mapping line up");
    // A list that is meant as one (tags, a param's values) is missing its ']'.
    CHECK(slip_of("rules:\n  - id: A\n    tags: [a, b\n") ==
          "3:11 the list that starts here is not closed by ']' (if the value is text, put all of it in quotes)");
    CHECK(slip_of("params:\n  sections_wanted: [1, 5, 6\nrules: []\n").starts_with("2:20 the list that starts here"));
    // A line of a text block is not a key missing its colon: the slip is where
    // libyaml stopped (an unclosed quote), not on "title of the report".
    const std::string block = "rules:\n  - id: A\n    message: >-\n      title of the report\n    check: \"true\n";
    CHECK(slip_of(block).find("needs a ':'") == std::string::npos);
}

TEST_CASE("templates: approximate-before and prose-units are read longest first, whatever the file's order") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    // The lists a caller without a catalog gets (unit tests, the bench) are those shipped.
    CHECK(catalog.metadata.number_words.approximate_before == NumberWords::standard().approximate_before);
    CHECK(catalog.metadata.number_words.prose_units == NumberWords::standard().prose_units);
    // Without the word, a cell "不足5" holds no number; a later file's word makes it an
    // approximate 5, and 超出 goes before the standard 超, whose prefix it is, and 超 stays once.
    CHECK(parse_cell_value("不足5", {}, catalog.metadata.number_words).missing == MissingReason::Unparseable);
    auto dir = std::filesystem::temp_directory_path() / "gouji-number-words-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "words.yaml";
    std::ofstream(file) << "metadata:\n  approximate-before: [超, 不足, 超出]\n  prose-units: [辆, 辆次]\ntemplates: []\n";
    load_templates_into(catalog, file.string());
    std::filesystem::remove_all(dir);
    const NumberWords& words = catalog.metadata.number_words;
    const Value cell = parse_cell_value("不足5", {}, words);
    CHECK(cell.has_number());
    CHECK(cell.approximate);
    CHECK(cell.number == 5);
    const auto& before = words.approximate_before;
    CHECK(std::count(before.begin(), before.end(), U"超") == 1);
    const auto at = [&](const std::vector<std::u32string>& list, std::u32string_view word) {
        return std::find(list.begin(), list.end(), word) - list.begin();
    };
    CHECK(at(before, U"超出") < at(before, U"超"));
    CHECK(at(words.prose_units, U"辆次") < at(words.prose_units, U"辆"));
    for (const auto* list : {&before, &words.prose_units})
        CHECK(std::is_sorted(list->begin(), list->end(), [](const auto& a, const auto& b) { return a.size() > b.size(); }));
}
