// The YAML reader rule packs and template schemas go through (rules/yaml_tree):
// node kinds and styles, aliases, byte positions of nodes in non-ASCII text, and
// where a syntax error is reported.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "gouji/template_schema.hpp"
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

TEST_CASE("yaml tree: aliases are the anchored node; an unknown alias is an error") {
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

TEST_CASE("yaml tree: template schema errors are reported at the character column") {
    auto dir = std::filesystem::temp_directory_path() / "gouji-yaml-tree-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "templates.yaml";
    std::ofstream(file) << "templates:\n  - id: 模板\n    years: {from: 二〇一九}\n";
    try {
        (void)load_templates(file.string());
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(e.pos() == SourcePos{3, 19, 0});
        CHECK(std::string(e.what()) == "expected a whole number");
    }
    std::ofstream(file) << "templates:\n  - id: x\n    title: [a\n";
    try {
        (void)load_templates(file.string());
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(e.pos().line == 4);
        CHECK(std::string(e.what()).find("while parsing a flow sequence started at line 3, column 12") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
