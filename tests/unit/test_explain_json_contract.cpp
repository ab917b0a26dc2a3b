// The JSON of `gouji explain --format json` against its contract, docs/explain-json.md:
// every documented key present (null when the model has nothing), in the documented
// order, of the documented type; a number written without decimals an integer.
// The JSON is dumped and parsed again so the types are the ones a reader of the output sees;
// fields are read with .at() so a key left out fails the test instead of aborting it.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gouji/explain.hpp"
#include "gouji/readers.hpp"

using namespace gouji;
using json = nlohmann::ordered_json;

namespace {

const TemplateCatalog& catalog() {
    static const TemplateCatalog c = load_templates(default_rulepack_dir() + "/templates.yaml");
    return c;
}

json explain_json_of(Document document) {
    return json::parse(model_to_json(build_model(std::move(document), catalog())).dump());
}

json explain_json_of_file(const std::string& relative) {
    return explain_json_of(read_document(std::string(GOUJI_TEST_DIR) + "/" + relative));
}

std::vector<std::string> keys_of(const json& object) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.push_back(key);
    return keys;
}

bool is_string_or_null(const json& j) { return j.is_string() || j.is_null(); }

void check_pos(const json& pos) {
    REQUIRE(pos.is_object());
    std::vector<std::string> keys = keys_of(pos);
    if (pos.contains("page")) {
        CHECK(keys == std::vector<std::string>{"line", "column", "page"});
        CHECK(pos.at("page").is_number_unsigned());
    } else {
        CHECK(keys == std::vector<std::string>{"line", "column"});
    }
    CHECK(pos.at("line").is_number_unsigned());
    CHECK(pos.at("column").is_number_unsigned());
    CHECK(pos.at("line").get<long long>() >= 1);
}

void check_pos_or_null(const json& pos) {
    if (!pos.is_null()) check_pos(pos);
}

// `{"number", "decimals", "signed"?, "approximate"?, "unit"?}` or `{"missing": R}`.
void check_value(const json& v) {
    REQUIRE(v.is_object());
    if (v.contains("missing")) {
        CHECK(keys_of(v) == std::vector<std::string>{"missing"});
        CHECK(v.at("missing").is_string());
        return;
    }
    REQUIRE(v.contains("number"));
    REQUIRE(v.at("decimals").is_number_integer());
    std::vector<std::string> expected{"number", "decimals"};
    for (const char* optional : {"signed", "approximate", "unit"})
        if (v.contains(optional)) expected.emplace_back(optional);
    CHECK(keys_of(v) == expected);
    if (v.contains("signed")) CHECK(v.at("signed") == true);
    if (v.contains("approximate")) CHECK(v.at("approximate") == true);
    if (v.contains("unit")) CHECK(v.at("unit").is_string());
    // The number as written: "73" an integer, "73.0" and "88.9" floats.
    CAPTURE(v.dump());
    bool exact_whole = v.at("decimals").get<int>() == 0 && std::fabs(v.at("number").get<double>()) <= 9007199254740992.0;
    if (exact_whole) CHECK(v.at("number").is_number_integer());
    else CHECK(v.at("number").is_number_float());
}

void check_section(const json& s) {
    CHECK(keys_of(s) ==
          std::vector<std::string>{"title", "level", "canonical", "template_number", "lines", "text_chars", "children"});
    CHECK(s.at("title").is_string());
    CHECK(s.at("level").is_number_integer());
    CHECK(is_string_or_null(s.at("canonical")));
    CHECK(s.at("template_number").is_null() == s.at("canonical").is_null());
    if (!s.at("template_number").is_null()) CHECK(s.at("template_number").is_number_integer());
    REQUIRE(s.at("lines").is_array());
    CHECK(s.at("lines").size() == 2);
    for (const auto& line : s.at("lines")) CHECK(line.is_number_unsigned());
    CHECK(s.at("text_chars").is_number_unsigned());
    REQUIRE(s.at("children").is_array());
    for (const auto& c : s.at("children")) check_section(c);
}

void check_table(const json& t) {
    CHECK(keys_of(t) == std::vector<std::string>{"id", "found", "pos", "rows", "notes"});
    CHECK(t.at("id").is_string());
    CHECK(t.at("found").is_boolean());
    CHECK(t.at("pos").is_null() == !t.at("found").get<bool>());
    check_pos_or_null(t.at("pos"));
    REQUIRE(t.at("rows").is_array());
    for (const auto& row : t.at("rows")) {
        CHECK(keys_of(row) == std::vector<std::string>{"row", "cells"});
        CHECK(row.at("row").is_string());
        REQUIRE(row.at("cells").is_array());
        for (const auto& c : row.at("cells")) {
            CHECK(keys_of(c) ==
                  std::vector<std::string>{"column", "value", "text", "pos", "row_binding", "column_binding"});
            CHECK(c.at("column").is_string());
            check_value(c.at("value"));
            CHECK(c.at("text").is_string());
            check_pos_or_null(c.at("pos"));
            CHECK(c.at("row_binding").is_string());
            CHECK(c.at("column_binding").is_string());
        }
    }
    REQUIRE(t.at("notes").is_array());
    for (const auto& n : t.at("notes")) CHECK(n.is_string());
}

void check_figure_index(const json& index, std::size_t figure_count) {
    REQUIRE(index.is_number_unsigned());
    CHECK(index.get<std::size_t>() < figure_count);
}

void check_list(const json& l, std::size_t figure_count) {
    CHECK(keys_of(l) == std::vector<std::string>{"text", "pos", "total", "other_totals", "parts", "partial"});
    CHECK(l.at("text").is_string());
    check_pos(l.at("pos"));
    if (!l.at("total").is_null()) check_figure_index(l.at("total"), figure_count);
    REQUIRE(l.at("other_totals").is_array());
    if (l.at("total").is_null()) CHECK(l.at("other_totals").empty());
    for (const auto& t : l.at("other_totals")) check_figure_index(t, figure_count);
    REQUIRE(l.at("parts").is_array());
    for (const auto& p : l.at("parts")) {
        CHECK(keys_of(p) == std::vector<std::string>{"label", "count", "percent"});
        CHECK(p.at("label").is_string());
        check_figure_index(p.at("count"), figure_count);
        if (!p.at("percent").is_null()) check_figure_index(p.at("percent"), figure_count);
    }
    CHECK(l.at("partial").is_boolean());
}

void check_metadata(const json& m) {
    CHECK(keys_of(m) == std::vector<std::string>{"title", "agency", "year", "year_reason", "period", "published",
                                                 "template", "template_reason", "shape_template", "shape_reason"});
    CHECK(m.at("title").is_string());
    CHECK(m.at("agency").is_string());
    CHECK(m.at("year").is_number_integer());
    CHECK(m.at("year_reason").is_string());
    const json& period = m.at("period");
    bool parsed = period.at("parsed") == true;
    std::vector<std::string> period_keys{"found", "parsed", "text", "pos"};
    if (parsed) period_keys.insert(period_keys.end(), {"start", "end"});
    CHECK(keys_of(period) == period_keys);
    CHECK(period.at("found").is_boolean());
    CHECK(period.at("parsed").is_boolean());
    CHECK(period.at("text").is_null() == (period.at("found") == false));
    CHECK(is_string_or_null(period.at("text")));
    check_pos_or_null(period.at("pos"));
    if (parsed) {
        CHECK(period.at("start").is_string());
        CHECK(period.at("end").is_string());
    }
    CHECK(is_string_or_null(m.at("published")));
    CHECK(is_string_or_null(m.at("template")));
    CHECK(m.at("template_reason").is_string());
    CHECK(is_string_or_null(m.at("shape_template")));
    CHECK(m.at("shape_reason").is_string());
}

// Every documented field of one report, recursively.
void check_contract(const json& report) {
    REQUIRE(report.is_object());
    CHECK(keys_of(report) ==
          std::vector<std::string>{"file", "format", "encoding", "metadata", "sections", "tables", "figures", "lists"});
    CHECK(report.at("file").is_string());
    CHECK(report.at("format").is_string());
    CHECK(report.at("encoding").is_string());
    check_metadata(report.at("metadata"));
    for (const auto& s : report.at("sections")) check_section(s);
    for (const auto& t : report.at("tables")) check_table(t);
    for (const auto& f : report.at("figures")) {
        CHECK(keys_of(f) == std::vector<std::string>{"text", "value", "context", "after", "year", "pos"});
        CHECK(f.at("text").is_string());
        check_value(f.at("value"));
        CHECK(f.at("context").is_string());
        CHECK(f.at("after").is_string());
        CHECK((f.at("year").is_null() || f.at("year").is_number_integer()));
        check_pos(f.at("pos"));
    }
    for (const auto& l : report.at("lists")) check_list(l, report.at("figures").size());
}

const json& list_with_part(const json& report, const std::string& label) {
    for (const auto& l : report.at("lists"))
        for (const auto& p : l.at("parts"))
            if (p.at("label") == label) return l;
    FAIL("no list has a part " << label);
    throw;
}

const json& part_labelled(const json& list, const std::string& label) {
    for (const auto& p : list.at("parts"))
        if (p.at("label") == label) return p;
    FAIL("no part " << label);
    throw;
}

const json& figure_at(const json& report, const json& index) { return report.at("figures").at(index.get<std::size_t>()); }

const json& table_named(const json& report, const std::string& id) {
    for (const auto& t : report.at("tables"))
        if (t.at("id") == id) return t;
    FAIL("no table " << id);
    throw;
}

constexpr const char* kConstructedReport =
    "某市2020年政府信息公开工作年度报告\n"
    "\n"
    "一、总体情况\n"
    "本年度共受理政府信息公开申请9件，其中网络申请8件，占88.9%；信函申请1件，占11.1%。\n"
    "（一）主动公开\n"
    "门户网站设有专栏，其中信息公开专栏设有栏目73个，重点工作专栏设有栏目15个。申请办结率73.0%。\n"
    "二、主动公开政府信息情况\n"
    "无。\n";

}  // namespace

TEST_CASE("explain json contract: seed 004, a real report") {
    json report = explain_json_of_file("corpus/seeds/004_361d8fbe3341eb2a.txt");
    check_contract(report);

    SUBCASE("a number written without decimals is an integer, one written with decimals a float") {
        const json& t3 = table_named(report, "表三");
        const json& cell = t3.at("rows").at(0).at("cells").at(0);
        CHECK(cell.at("column") == "自然人");
        CHECK(cell.at("value").at("number").is_number_integer());
        CHECK(cell.at("value").at("number").get<long long>() == 18);
        CHECK(cell.at("value").dump() == R"({"number":18,"decimals":0})");

        const json& list = list_with_part(report, "统计信息");
        const json& part = part_labelled(list, "统计信息");
        const json& count = figure_at(report, part.at("count"));
        CHECK(count.at("text") == "72条");
        CHECK(count.at("value").dump() == R"({"number":72,"decimals":0,"unit":"条"})");
        const json& percent = figure_at(report, part.at("percent"));
        CHECK(percent.at("text") == "51.80%");
        CHECK(percent.at("value").at("number").is_number_float());
        CHECK(percent.at("value").at("number").get<double>() == doctest::Approx(51.8));
        CHECK(percent.at("value").at("decimals") == 2);
    }
    SUBCASE("a list with no stated total has \"total\": null, a part without 占 \"percent\": null") {
        const json& numbered = list_with_part(report, "统计信息");
        REQUIRE(numbered.contains("total"));
        CHECK(numbered.at("total").is_null());
        CHECK(numbered.at("parts").size() == 12);

        const json& channels = list_with_part(report, "政府公报");
        CHECK(figure_at(report, channels.at("total")).at("value").at("number").is_number_integer());
        const json& part = part_labelled(channels, "政府公报");
        REQUIRE(part.contains("percent"));
        CHECK(part.at("percent").is_null());
    }
    SUBCASE("sub-sections have null canonical and template_number, leaves an empty children") {
        bool saw_sub_section = false;
        for (const auto& s : report.at("sections")) {
            CHECK(s.at("canonical").is_string());
            for (const auto& c : s.at("children")) {
                saw_sub_section = true;
                CHECK(c.at("canonical").is_null());
                CHECK(c.at("template_number").is_null());
            }
        }
        CHECK(saw_sub_section);
    }
}

TEST_CASE("explain json contract: seed 000 (examples/quanzhou-2019.txt), as the doc's example shows it") {
    json report = explain_json_of_file("corpus/seeds/000_831a942c0d0dfd8c.txt");
    check_contract(report);
    const json& period = report.at("metadata").at("period");
    CHECK(period.at("parsed") == true);
    CHECK(period.at("start") == "2019-01-01");
    CHECK(period.at("end") == "2019-12-31");
    const json& list = list_with_part(report, "网络申请");
    CHECK(figure_at(report, list.at("total")).at("value").dump() == R"({"number":1206,"decimals":0,"unit":"件"})");
    CHECK(list.at("partial") == true);
}

TEST_CASE("explain json contract: a PDF position writes page after line and column") {
    json report = explain_json_of_file("fixtures/pdf/report-2021.pdf");
    check_contract(report);
    CHECK(report.at("encoding") == "");
    REQUIRE(!report.at("figures").empty());
    CHECK(keys_of(report.at("figures").at(0).at("pos")) == std::vector<std::string>{"line", "column", "page"});
}

TEST_CASE("explain json contract: a DOCX's encoding is UTF-8") {
    json report = explain_json_of_file("fixtures/docx/report-2020.docx");
    check_contract(report);
    CHECK(report.at("encoding") == "UTF-8");
}

TEST_CASE("explain json contract: a constructed report with nothing for many keys") {
    json report = explain_json_of(read_plain_text("constructed.txt", kConstructedReport, {}));
    check_contract(report);

    SUBCASE("no period found: text and pos are null, start and end left out") {
        const json& period = report.at("metadata").at("period");
        CHECK(period.dump() == R"({"found":false,"parsed":false,"text":null,"pos":null})");
        CHECK(report.at("metadata").at("published").is_null());
        CHECK(report.at("metadata").at("template") == "gov-2019");
    }
    SUBCASE("tables not found: their pos and their cells' pos are null") {
        REQUIRE(report.at("tables").size() == 3);
        for (const auto& t : report.at("tables")) {
            CHECK(t.at("found") == false);
            CHECK(t.at("pos").is_null());
            const json& cell = t.at("rows").at(0).at("cells").at(0);
            CHECK(cell.at("value").dump() == R"({"missing":"absent"})");
            CHECK(cell.at("text") == "");
            CHECK(cell.at("pos").is_null());
        }
    }
    SUBCASE("counts are integers, 73.0% and 88.9% floats") {
        std::vector<std::string> texts;
        for (const auto& f : report.at("figures")) texts.push_back(f.at("text"));
        REQUIRE(texts == std::vector<std::string>{"9件", "8件", "88.9%", "1件", "11.1%", "73个", "15个", "73.0%"});
        const json& figures = report.at("figures");
        CHECK(figures.at(0).at("value").dump() == R"({"number":9,"decimals":0,"unit":"件"})");
        CHECK(figures.at(2).at("value").dump() == R"({"number":88.9,"decimals":1,"unit":"%"})");
        CHECK(figures.at(5).at("value").dump() == R"({"number":73,"decimals":0,"unit":"个"})");
        CHECK(figures.at(7).at("value").dump() == R"({"number":73.0,"decimals":1,"unit":"%"})");
    }
    SUBCASE("lists: total null where none is stated, percent null where none is written") {
        REQUIRE(report.at("lists").size() == 2);
        const json& applications = report.at("lists").at(0);
        CHECK(applications.at("total") == 0);
        CHECK(applications.at("parts").dump() ==
              R"([{"label":"网络申请","count":1,"percent":2},{"label":"信函申请","count":3,"percent":4}])");
        const json& columns = report.at("lists").at(1);
        CHECK(columns.at("total").is_null());
        CHECK(columns.at("parts").dump() ==
              R"([{"label":"信息公开专栏设有栏目","count":5,"percent":null},{"label":"重点工作专栏设有栏目","count":6,"percent":null}])");
    }
    SUBCASE("sections: a sub-section has null canonical; every section has children") {
        REQUIRE(report.at("sections").size() == 2);
        const json& sub = report.at("sections").at(0).at("children").at(0);
        CHECK(sub.at("title") == "（一）主动公开");
        CHECK(sub.at("canonical").is_null());
        CHECK(sub.at("template_number").is_null());
        CHECK(sub.at("children") == json::array());
        CHECK(report.at("sections").at(1).at("children") == json::array());
        CHECK(report.at("sections").at(1).at("template_number") == 2);
    }
}

TEST_CASE("explain json contract: other_totals are the earlier counts a 其中 may break down") {
    json report = explain_json_of(read_plain_text(
        "other.txt", "某县2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
                     "本年度共收到政府信息公开申请10件，上年结转3件，其中自然人申请9件，法人或其他组织申请1件。\n", {}));
    check_contract(report);
    REQUIRE(report.at("lists").size() == 1);
    const json& list = report.at("lists").at(0);
    CHECK(figure_at(report, list.at("total")).at("text") == "3件");
    REQUIRE(list.at("other_totals").size() == 1);
    CHECK(figure_at(report, list.at("other_totals").at(0)).at("text") == "10件");
}

TEST_CASE("explain json contract: a whole number too large for a double's integers stays a float") {
    Document doc = read_plain_text("big.txt", "某市2020年政府信息公开工作年度报告\n一、总体情况\n共发布信息9999999999999999条。\n", {});
    json report = explain_json_of(std::move(doc));
    check_contract(report);
    REQUIRE(report.at("figures").size() == 1);
    // 16 digits, the most a figure may have, are past 2^53: the double is 1e16, not the number written.
    CHECK(report.at("figures").at(0).at("value").at("number").is_number_float());
    CHECK(report.at("figures").at(0).at("value").at("number").get<double>() == 1e16);
}
