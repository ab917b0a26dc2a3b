// The report model on the real corpus: every 表三 and 表四 cell bound to the
// right names (numbers checked against the documents and tests/corpus/README.md),
// sections found as the template names them, metadata read.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gouji/readers.hpp"
#include "gouji/report_model.hpp"

using namespace gouji;

namespace {

const TemplateCatalog& catalog() {
    static const TemplateCatalog c = load_templates(default_rulepack_dir() + "/templates.yaml");
    return c;
}

ReportModel model_of(const std::string& relative) {
    return build_model(read_document(std::string(GOUJI_TEST_DIR) + "/" + relative), catalog());
}

const std::vector<std::string> kT3Columns = {"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"};
const std::vector<std::string> kT4Rows = {"行政复议", "未经复议直接起诉", "复议后起诉"};
const std::vector<std::string> kT4Columns = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};

void check_row(const ReportModel& m, const std::string& table, const std::string& row,
               const std::vector<std::string>& columns, const std::vector<double>& expected) {
    const BoundTable* t = m.table(table);
    REQUIRE(t != nullptr);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        CAPTURE(table);
        CAPTURE(row);
        CAPTURE(columns[i]);
        const BoundCell* c = t->cell(row, columns[i]);
        REQUIRE(c != nullptr);
        REQUIRE(c->value.has_number());
        CHECK(c->value.number == expected[i]);
    }
}

void check_t4(const ReportModel& m, const std::vector<double>& fifteen) {
    for (std::size_t r = 0; r < 3; ++r)
        check_row(m, "表四", kT4Rows[r], kT4Columns,
                  std::vector<double>(fifteen.begin() + static_cast<long>(r * 5), fifteen.begin() + static_cast<long>(r * 5 + 5)));
}

std::vector<std::string> canonical_sections(const ReportModel& m) {
    std::vector<std::string> ids;
    for (const auto& s : m.sections) ids.push_back(s.canonical);
    return ids;
}

}  // namespace

TEST_CASE("model: seed 000 泉州市 2019, flattened text without 表三/表四 headers") {
    ReportModel m = model_of("corpus/seeds/000_831a942c0d0dfd8c.txt");
    CHECK(m.metadata.year == 2019);
    CHECK(m.metadata.detected.template_id == "gov-2019");
    // "从201911日至1231日止": the copy dropped 年 and 月; the digits still say 2019-01-01
    // to 12-31 of the same year.
    REQUIRE(m.metadata.period.parsed);
    CHECK(m.metadata.period.start == Date{2019, 1, 1});
    CHECK(m.metadata.period.end == Date{2019, 12, 31});
    CHECK(m.metadata.period.text == "统计期限从201911日至1231日止");
    CHECK(canonical_sections(m).size() == 6);
    check_row(m, "表三", "本年新收", kT3Columns, {1102, 64, 2, 4, 7, 16, 1195});
    check_row(m, "表三", "上年结转", kT3Columns, {11, 0, 0, 0, 0, 0, 11});
    check_row(m, "表三", "予以公开", kT3Columns, {474, 45, 1, 1, 5, 6, 532});
    check_row(m, "表三", "总计", kT3Columns, {1096, 64, 2, 4, 7, 16, 1189});
    check_row(m, "表三", "结转下年度继续办理", kT3Columns, {17, 0, 0, 0, 0, 0, 17});
    check_t4(m, {21, 9, 2, 4, 36, 12, 5, 4, 21, 42, 7, 2, 0, 6, 15});
    // 表二's variant columns: 本年项目数量 / 处理决定数量.
    const BoundCell* c = m.table("表二")->cell("行政许可", "本年项目数量");
    REQUIRE(c);
    CHECK(c->value.number == 14682);
    // The variant's columns are the row's; the main layout's are not applicable.
    CHECK(m.table("表二")->cell("行政许可", "上一年项目数量") == nullptr);
    // Every 表三 value came from the line it is on.
    CHECK(m.table("表三")->cell("本年新收", "自然人")->pos.line == 144);
}

TEST_CASE("model: seed 001 建宁县 2020, negative 本年增/减") {
    ReportModel m = model_of("corpus/seeds/001_64c08c7c78b4b61b.txt");
    check_row(m, "表三", "本年新收", kT3Columns, {8, 0, 0, 0, 0, 0, 8});
    const BoundCell* c = m.table("表二")->cell("行政许可", "本年增减");
    REQUIRE(c);
    CHECK(c->value.number == -12);
    CHECK(c->value.sign_written);
    CHECK(canonical_sections(m).back() == "其他需要报告的事项");
    // "统计数据时限为20201月1日至202012月31日电子版在…发布": the period ends with its date.
    REQUIRE(m.metadata.period.parsed);
    CHECK(m.metadata.period.start == Date{2020, 1, 1});
    CHECK(m.metadata.period.end == Date{2020, 12, 31});
    CHECK(m.metadata.period.text == "数据时限为20201月1日至202012月31日");
}

TEST_CASE("model: seed 002 晋江市 2020, Markdown split tables with shifted rows") {
    ReportModel m = model_of("corpus/seeds/002_0ec7f487509b9c4f.txt");
    CHECK(m.document.format == "markdown");
    check_row(m, "表三", "本年新收", kT3Columns, {215, 0, 0, 1, 3, 3, 231});
    check_row(m, "表三", "另行制作", kT3Columns, {21, 1, 0, 1, 0, 0, 23});  // shifted one column right
    check_row(m, "表三", "总计", kT3Columns, {215, 9, 0, 1, 3, 3, 231});
    // Six numbers for seven columns: placed by grid column, the missing one marked.
    const BoundTable* t = m.table("表三");
    CHECK(t->cell("结转下年度继续办理", "自然人")->value.missing == MissingReason::Blank);
    CHECK(t->cell("结转下年度继续办理", "总计")->value.number == 0);
    check_t4(m, {2, 0, 0, 0, 2, 0, 0, 1, 4, 5, 1, 2, 2, 0, 5});
    // "## 2. 科学设计…" inside section 一 is not a section.
    std::vector<std::string> six = {"总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                    "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"};
    CHECK(canonical_sections(m) == six);
    CHECK(m.metadata.period.parsed);
    CHECK(m.metadata.period.start.year == 2020);
}

TEST_CASE("model: seed 003 厦门市 2017, pre-2019 annex") {
    ReportModel m = model_of("corpus/seeds/003_facd0ed23eb95129.txt");
    CHECK(m.metadata.detected.template_id == "pre-2019");
    CHECK(canonical_sections(m).size() == 7);
    const std::vector<std::string> cols = {"本年度", "历年累计"};
    check_row(m, "附表", "受理申请总数", cols, {1370, 6503});
    check_row(m, "附表", "当面申请数", cols, {246, 1851});
    check_row(m, "附表", "答复总数", cols, {1366, 6451});
    check_row(m, "附表", "不予公开答复数", cols, {199, 551});
    check_row(m, "附表", "行政诉讼数", cols, {23, 53});
}

TEST_CASE("model: seed 004 泉州市统计局 2020") {
    ReportModel m = model_of("corpus/seeds/004_361d8fbe3341eb2a.txt");
    check_row(m, "表三", "本年新收", kT3Columns, {18, 0, 0, 0, 0, 0, 18});
    check_row(m, "表三", "予以公开", kT3Columns, {5, 0, 0, 0, 0, 0, 5});
    CHECK(m.table("表三")->cell("第三方合法权益", "总计")->value.number == 1);
    CHECK(m.table("表三")->cell("行政查询事项", "总计")->value.number == 1);
    CHECK(m.table("表二")->cell("政府集中采购", "采购总金额")->value.unit == "元");
    // "本报告所列数据的期限从202011日至20201231日": no 统计, and 年 月 dropped.
    REQUIRE(m.metadata.period.parsed);
    CHECK(m.metadata.period.start == Date{2020, 1, 1});
    CHECK(m.metadata.period.end == Date{2020, 12, 31});
}

TEST_CASE("model: pingtan 2017 HTML, digits split across tags") {
    ReportModel m = model_of("corpus/real/pingtan-2017.html");
    CHECK(m.metadata.detected.template_id == "pre-2019");
    check_row(m, "附表", "主动公开文件数", {"本年度", "历年累计"}, {2122, 10037});
}

TEST_CASE("model: pingtan 2019 HTML tables with rowspan/colspan") {
    ReportModel m = model_of("corpus/real/pingtan-2019.html");
    check_row(m, "表三", "本年新收", kT3Columns, {23, 0, 0, 0, 0, 0, 23});
    check_row(m, "表三", "予以公开", kT3Columns, {7, 0, 0, 0, 0, 0, 7});
    check_row(m, "表三", "不掌握", kT3Columns, {7, 0, 0, 0, 0, 0, 7});
    check_row(m, "表三", "总计", kT3Columns, {23, 0, 0, 0, 0, 0, 23});
    check_t4(m, std::vector<double>(15, 0));
}

TEST_CASE("model: pingtan 2023 HTML, 2021 template with three （六） rows") {
    ReportModel m = model_of("corpus/real/pingtan-2023.html");
    CHECK(m.metadata.detected.template_id == "gov-2021");
    check_row(m, "表三", "本年新收", kT3Columns, {80, 1, 0, 0, 0, 0, 81});
    check_row(m, "表三", "逾期不补正", kT3Columns, {1, 0, 0, 0, 0, 0, 1});
    check_row(m, "表三", "其他处理其他", kT3Columns, {1, 0, 0, 0, 0, 0, 1});
    check_row(m, "表三", "总计", kT3Columns, {80, 1, 0, 0, 0, 0, 81});
    check_t4(m, {1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2});
    CHECK(m.table("表二")->cell("行政事业性收费", "本年收费金额")->value.unit == "万元");
}

TEST_CASE("model: shanghai 2025, PDF text with broken table rows and footers") {
    ReportModel m = model_of("corpus/real/shanghai-office-2025.md");
    CHECK(m.metadata.agency == "上海市人民政府办公厅");
    CHECK(m.metadata.period.parsed);
    check_row(m, "表三", "本年新收", kT3Columns, {1259, 36, 0, 0, 0, 0, 1295});
    check_row(m, "表三", "部分公开", kT3Columns, {2, 0, 0, 0, 0, 0, 2});  // its label is on a line of its own
    check_row(m, "表三", "确认或重新出具", kT3Columns, {0, 0, 0, 0, 0, 0, 0});  // label-less row, by position
    check_row(m, "表三", "逾期不补正", kT3Columns, {40, 1, 0, 0, 2, 0, 43});
    check_row(m, "表三", "总计", kT3Columns, {1139, 48, 0, 0, 4, 0, 1191});
    check_row(m, "表三", "结转下年度继续办理", kT3Columns, {290, 3, 0, 0, 0, 0, 293});
    check_t4(m, {40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22});
    // Section 五's heading is lost in the extraction: five sections found.
    CHECK(canonical_sections(m).size() == 5);
}

TEST_CASE("model: shuyang 2025, OCR'd Markdown with garbage column headers") {
    ReportModel m = model_of("corpus/real/shuyang-2025.txt");
    check_row(m, "表三", "本年新收", kT3Columns, {705, 3, 0, 0, 5, 0, 713});
    check_row(m, "表三", "上年结转", kT3Columns, {36, 0, 0, 0, 0, 0, 36});
    check_row(m, "表三", "逾期未缴费", kT3Columns, {7, 0, 0, 0, 0, 0, 7});
    check_row(m, "表三", "其他处理其他", kT3Columns, {142, 1, 0, 0, 0, 0, 143});
    check_row(m, "表三", "总计", kT3Columns, {710, 3, 0, 0, 5, 0, 718});
    check_row(m, "表三", "结转下年度继续办理", kT3Columns, {31, 0, 0, 0, 0, 0, 31});
    check_t4(m, {27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10});
}

// `check` builds the model without judging every template's shape; apart from
// that judgement it must be the very model `explain` shows.
TEST_CASE("model: check's model is explain's without the shape judgement") {
    for (const char* relative : {"corpus/seeds/001_64c08c7c78b4b61b.txt", "corpus/seeds/003_facd0ed23eb95129.txt",
                                 "corpus/real/pingtan-2023.html", "corpus/real/shanghai-office-2025.md"}) {
        CAPTURE(relative);
        const std::string path = std::string(GOUJI_TEST_DIR) + "/" + relative;
        ReportModel full = build_model(read_document(path), catalog());
        ReportModel lean = build_model(read_document(path), catalog(), {.judge_every_template = false});
        CHECK_FALSE(full.metadata.detected.shape_template_id.empty());
        CHECK(lean.metadata.detected.shape_template_id.empty());
        CHECK(lean.metadata.detected.template_id == full.metadata.detected.template_id);
        CHECK(lean.metadata.detected.reason == full.metadata.detected.reason);
        REQUIRE(lean.sections.size() == full.sections.size());
        for (std::size_t i = 0; i < lean.sections.size(); ++i) {
            CHECK(lean.sections[i].title == full.sections[i].title);
            CHECK(lean.sections[i].text == full.sections[i].text);
        }
        REQUIRE(lean.tables.size() == full.tables.size());
        for (std::size_t t = 0; t < lean.tables.size(); ++t) {
            REQUIRE(lean.tables[t].cells.size() == full.tables[t].cells.size());
            for (std::size_t r = 0; r < lean.tables[t].cells.size(); ++r)
                for (std::size_t c = 0; c < lean.tables[t].cells[r].size(); ++c) {
                    const auto& a = lean.tables[t].cells[r][c];
                    const auto& b = full.tables[t].cells[r][c];
                    REQUIRE(a.has_value() == b.has_value());
                    if (!a) continue;
                    CHECK(a->text == b->text);
                    CHECK(a->value.number == b->value.number);
                    CHECK(a->row_binding == b->row_binding);
                }
        }
        CHECK(lean.figures.size() == full.figures.size());
        CHECK(lean.lists.size() == full.lists.size());
    }
}

// Without a year, the shape is what chooses the template, so it is judged anyway.
TEST_CASE("model: a report without a year is judged by shape even for check") {
    const std::string path = std::string(GOUJI_TEST_DIR) + "/corpus/seeds/001_64c08c7c78b4b61b.txt";
    Document original = read_document(path);
    std::string text;
    for (const auto& b : original.blocks) text += b.text + "\n";
    for (std::size_t at; (at = text.find("2020")) != std::string::npos;) text.erase(at, 4);
    for (std::size_t at; (at = text.find("2021")) != std::string::npos;) text.erase(at, 4);
    ReportModel lean = build_model(read_plain_text("no-year.txt", text, {}), catalog(), {.judge_every_template = false});
    CHECK(lean.metadata.year == 0);
    CHECK(lean.metadata.detected.shape_template_id == "gov-2019");
    CHECK(lean.metadata.detected.template_id == "gov-2019");
    REQUIRE(lean.table("表三") != nullptr);
    CHECK(lean.table("表三")->found);
    // Its 表二 is the 2019 form's: gov-2021 matches less.
    CHECK(lean.metadata.detected.reason == "report year unknown; chose the best match by shape");
    // A template based on gov-2019 that changes nothing the report shows matches as
    // well: the reason says which was chosen and why.
    const auto later = std::filesystem::temp_directory_path() / ("gouji-model-later-" + std::to_string(::getpid()) + ".yaml");
    {
        std::ofstream out(later);
        out << "templates:\n  - id: gov-2019-b\n    based-on: gov-2019\n    years: {from: 2030}\n";
    }
    TemplateCatalog with_later = catalog();
    load_templates_into(with_later, later.string());
    std::filesystem::remove(later);
    ReportModel tied = build_model(read_plain_text("no-year.txt", text, {}), with_later, {.judge_every_template = false});
    CHECK(tied.metadata.detected.template_id == "gov-2019");
    CHECK(tied.metadata.detected.reason ==
          "report year unknown; chose the best match by shape; gov-2019-b matches as well, and gov-2019 is loaded first "
          "(a report year would tell them apart)");
}

// Variants of seed 000 that real reports also write: the model must read them as
// the seed (a slip here is a false finding there).
TEST_CASE("model: seed 000 variants — 第三部分 headings, a section's text on its heading line") {
    std::ifstream in(std::string(GOUJI_TEST_DIR) + "/corpus/seeds/000_831a942c0d0dfd8c.txt", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string seed = ss.str();
    auto model_with = [&](const std::string& from, const std::string& to) {
        std::string text = seed;
        const std::size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        return build_model(read_plain_text("variant.txt", text, {}), catalog());
    };
    auto section = [](const ReportModel& m, const std::string& canonical) -> const Section* {
        for (const auto& s : m.sections)
            if (s.canonical == canonical) return &s;
        return nullptr;
    };

    ReportModel part = model_with("三、收到和处理政府信息公开申请情况", "第三部分 收到和处理政府信息公开申请情况");
    CHECK(canonical_sections(part).size() == 6);
    REQUIRE(section(part, "收到和处理政府信息公开申请情况"));
    CHECK(section(part, "收到和处理政府信息公开申请情况")->title == "第三部分 收到和处理政府信息公开申请情况");

    // Section 六 with its one sentence after the title's 。 on the same line.
    const std::size_t six = seed.find("六、其他需要报告的事项");
    REQUIRE(six != std::string::npos);
    std::string tail = seed.substr(six);
    ReportModel inline_six = model_with(tail, "六、其他需要报告的事项。本机关2019年度未收取政府信息公开处理费。\n");
    const Section* s = section(inline_six, "其他需要报告的事项");
    REQUIRE(s);
    CHECK(s->title == "六、其他需要报告的事项");
    CHECK(s->text == "本机关2019年度未收取政府信息公开处理费。");
}
