// HTML reader: real site pages (pingtan-*), the 2021-template fixture, and
// constructed pages for each rule of inline joining, tables and hostile input.
#include <doctest/doctest.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "engine/model/metadata.hpp"
#include "gouji/readers.hpp"
#include "tests/unit/reader_test_support.hpp"

namespace {

using gouji::Block;
using gouji::BlockKind;
using gouji::Document;
using gouji::Table;
using gouji::TableCell;

using reader_tests::file_bytes;

// The real pages come from tests/corpus/real/ when copied there, else from the
// shared corpus beside the checkout; the tests skip (with a message) without either.
std::string corpus_path(const std::string& name) {
    std::string own = std::string(GOUJI_TEST_DIR) + "/corpus/real/" + name;
    if (std::ifstream(own).good()) return own;
    return std::string(GOUJI_SOURCE_DIR) + "/../shared/corpus/real/" + name;
}
bool corpus_available(const std::string& name) { return std::ifstream(corpus_path(name)).good(); }

Document read_corpus(const std::string& name) {
    std::string path = corpus_path(name);
    return gouji::read_html(path, file_bytes(path), {});
}

std::string fixture_path() { return std::string(GOUJI_TEST_DIR) + "/fixtures/html/report-2021.html"; }

Document read_string(const std::string& html, const gouji::ReadLimits& limits = {}) {
    return gouji::read_html("test.html", html, limits);
}

std::vector<const Block*> text_blocks(const Document& d) {
    std::vector<const Block*> out;
    for (const Block& b : d.blocks)
        if (b.kind != BlockKind::Table) out.push_back(&b);
    return out;
}

std::vector<const Table*> tables(const Document& d) {
    std::vector<const Table*> out;
    for (const Block& b : d.blocks)
        if (b.kind == BlockKind::Table) out.push_back(&b.table);
    return out;
}

const Block* block_containing(const Document& d, const std::string& needle) {
    for (const Block& b : d.blocks)
        if (b.kind != BlockKind::Table && b.text.find(needle) != std::string::npos) return &b;
    return nullptr;
}

bool any_text_contains(const Document& d, const std::string& needle) {
    for (const Block& b : d.blocks) {
        if (b.text.find(needle) != std::string::npos) return true;
        for (const auto& row : b.table.rows)
            for (const TableCell& c : row)
                if (c.text.find(needle) != std::string::npos) return true;
    }
    return false;
}

// The 表三 of a document: the table whose top-left cell states the 勾稽关系.
const Table* table3(const Document& d) {
    for (const Table* t : tables(d))
        if (!t->rows.empty() && !t->rows[0].empty() && t->rows[0][0].text.find("勾稽关系") != std::string::npos) return t;
    return nullptr;
}

// Cell texts of the table row whose cell at grid column `label_col` has `label`.
std::vector<std::string> row_values(const Table& t, const std::string& label) {
    for (const auto& row : t.rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            if (row[i].text == label) {
                std::vector<std::string> values;
                for (std::size_t k = i + 1; k < row.size(); ++k) values.push_back(row[k].text);
                return values;
            }
    return {};
}

const TableCell* cell_at(const Table& t, std::uint32_t row, std::uint32_t col) {
    if (row >= t.rows.size()) return nullptr;
    for (const TableCell& c : t.rows[row])
        if (c.col == col) return &c;
    return nullptr;
}

using Values = std::vector<std::string>;

std::string to_gb18030(const std::string& utf8) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 2 + 16, '\0');
    int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                             static_cast<int32_t>(utf8.size()), &status);
    REQUIRE(U_SUCCESS(status));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

}  // namespace

TEST_CASE("html reader: pingtan-2017 numbers split into one tag per digit come out whole") {
    if (!corpus_available("pingtan-2017.html")) {
        MESSAGE("shared corpus not mounted; skipped");
        return;
    }
    Document d = read_corpus("pingtan-2017.html");
    CHECK(d.format == "html");
    CHECK(d.encoding == "UTF-8");
    const Block* total = block_containing(d, "2017年全区主动公开政府信息2122条");
    REQUIRE(total);
    CHECK(total->text.find("区管委会及区直各部门主动公开政府信息1509条，占71.11%") != std::string::npos);
    CHECK(total->text.find("各乡镇主动公开政府信息613条，占28.89%") != std::string::npos);
    CHECK(total->pos.line == 349);

    auto ts = tables(d);
    REQUIRE(ts.size() == 1);
    CHECK(ts[0]->column_count == 4);
    CHECK(row_values(*ts[0], "主动公开文件数") == Values{"条", "2122", "10037"});

    // Site header links, breadcrumb and footer are not report text.
    CHECK_FALSE(any_text_contains(d, "省人大"));
    CHECK_FALSE(any_text_contains(d, "当前位置"));
    CHECK_FALSE(any_text_contains(d, "隐私保护"));
    CHECK_FALSE(any_text_contains(d, "siteConfig"));
}

TEST_CASE("html reader: pingtan-2019 表三 and 表四 as table rows") {
    if (!corpus_available("pingtan-2019.html")) {
        MESSAGE("shared corpus not mounted; skipped");
        return;
    }
    Document d = read_corpus("pingtan-2019.html");
    const Table* t3 = table3(d);
    REQUIRE(t3);
    CHECK(t3->column_count == 10);
    CHECK(t3->rows.size() == 26);
    CHECK(row_values(*t3, "一、本年新收政府信息公开申请数量") == Values{"23", "0", "0", "0", "0", "0", "23"});
    CHECK(row_values(*t3, "（七）总计") == Values{"23", "0", "0", "0", "0", "0", "23"});
    CHECK(row_values(*t3, "1.本机关不掌握相关政府信息") == Values{"7", "0", "0", "0", "0", "0", "7"});
    // The header: 总计 spans two rows at the right edge; the top-left note spans 3×3.
    const TableCell* corner = cell_at(*t3, 0, 0);
    REQUIRE(corner);
    CHECK(corner->rowspan == 3);
    CHECK(corner->colspan == 3);
    const TableCell* total_header = cell_at(*t3, 1, 9);
    REQUIRE(total_header);
    CHECK(total_header->text == "总计");
    CHECK(total_header->rowspan == 2);
    const TableCell* business = cell_at(*t3, 2, 4);
    REQUIRE(business);
    CHECK(business->text == "商业企业");
    // (七)总计 sits under the rowspan of 三、本年度办理结果: its label is at grid column 1.
    const TableCell* grand_total = cell_at(*t3, 24, 1);
    REQUIRE(grand_total);
    CHECK(grand_total->text == "（七）总计");
    CHECK(cell_at(*t3, 24, 9)->text == "23");

    const Table* t4 = nullptr;
    for (const Table* t : tables(d))
        if (t->column_count == 15) t4 = t;
    REQUIRE(t4);
    REQUIRE(t4->rows.size() == 4);
    CHECK(t4->rows[3].size() == 15);
    CHECK(cell_at(*t4, 1, 10)->text == "复议后起诉");

    CHECK(block_containing(d, "共公布政府信息2599条") != nullptr);
    CHECK_FALSE(any_text_contains(d, "|"));
    CHECK_FALSE(any_text_contains(d, "使用帮助"));
}

TEST_CASE("html reader: pingtan-2023 25-row 表三 with the three （六） items") {
    if (!corpus_available("pingtan-2023.html")) {
        MESSAGE("shared corpus not mounted; skipped");
        return;
    }
    Document d = read_corpus("pingtan-2023.html");
    const Table* t3 = table3(d);
    REQUIRE(t3);
    CHECK(t3->rows.size() == 28);  // 3 header rows + 25 template rows
    const TableCell* other = cell_at(*t3, 23, 1);
    REQUIRE(other);
    CHECK(other->text == "（六）其他处理");
    CHECK(other->rowspan == 3);
    CHECK(cell_at(*t3, 23, 2)->text.starts_with("1.申请人无正当理由逾期不补正"));
    CHECK(cell_at(*t3, 24, 2)->text.starts_with("2.申请人逾期未按收费通知要求缴纳费用"));
    CHECK(cell_at(*t3, 25, 2)->text == "3.其他");
    CHECK(row_values(*t3, "3.其他") == Values{"1", "0", "0", "0", "0", "0", "1"});
    CHECK(row_values(*t3, "（七）总计") == Values{"80", "1", "0", "0", "0", "0", "81"});
    const TableCell* business = cell_at(*t3, 2, 4);
    REQUIRE(business);
    CHECK(business->text == "商业 企业");  // "商业<br>企业"

    const Table* t4 = tables(d).back();
    REQUIRE(t4->rows.size() == 4);
    Values t4_numbers;
    for (const TableCell& c : t4->rows[3]) t4_numbers.push_back(c.text);
    CHECK(t4_numbers == Values{"1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2"});

    const Block* section = block_containing(d, "一、总体情况");
    REQUIRE(section);
    CHECK(section->bold);
    CHECK(section->text == "一、总体情况");
}

TEST_CASE("html reader: 2021-template fixture") {
    std::string bytes = file_bytes(fixture_path());
    Document d = gouji::read_html(fixture_path(), bytes, {});
    REQUIRE_FALSE(d.blocks.empty());
    const Block& title = d.blocks.front();
    CHECK(title.kind == BlockKind::Heading);
    CHECK(title.heading_level == 1);
    CHECK(title.text == "示例市示例局2022年政府信息公开工作年度报告");
    // Position: the title's first character, 1-based character column.
    std::size_t at = bytes.find("<h1>");
    std::size_t line_start = bytes.rfind('\n', at) + 1;
    CHECK(title.pos.line == static_cast<std::uint32_t>(std::count(bytes.begin(), bytes.begin() + static_cast<long>(at), '\n') + 1));
    CHECK(title.pos.column == at - line_start + 5);

    int sections = 0;
    for (const Block* b : text_blocks(d))
        if (b->bold && (b->text.starts_with("一、") || b->text.starts_with("二、") || b->text.starts_with("三、") ||
                        b->text.starts_with("四、") || b->text.starts_with("五、") || b->text.starts_with("六、")))
            ++sections;
    CHECK(sections == 6);

    CHECK(block_containing(d, "全年主动公开政府信息480条。其中，政策文件96条，占20.00%") != nullptr);
    CHECK(block_containing(d, "共收到政府信息公开申请146件，上年结转9件") != nullptr);
    CHECK(block_containing(d, "保密审查制度，全年开展") != nullptr);  // source line break between CJK vanishes
    CHECK(block_containing(d, "专栏，\n完善政策文件库") != nullptr);  // <br> in a paragraph is a line break

    auto ts = tables(d);
    REQUIRE(ts.size() == 3);
    CHECK(ts[0]->rows.size() == 14);
    CHECK(row_values(*ts[0], "行政事业性收费") == Values{"126.35"});
    const Table* t3 = table3(d);
    REQUIRE(t3);
    CHECK(t3->rows.size() == 28);
    CHECK(t3->column_count == 10);
    CHECK(cell_at(*t3, 0, 0)->text == "（本列数据的勾稽关系为：第一项加第二项之和， 等于第三项加第四项之和）");
    CHECK(cell_at(*t3, 2, 4)->text == "商业 企业");
    CHECK(cell_at(*t3, 5, 0)->rowspan == 22);
    CHECK(row_values(*t3, "1.本机关不掌握相关政府信息") == Values{"21", "2", "0", "1", "1", "0", "26"});  // the planted error
    CHECK(row_values(*t3, "（七）总计") == Values{"118", "13", "1", "2", "5", "2", "141"});
    CHECK(row_values(*t3, "四、结转下年度继续办理") == Values{"10", "2", "0", "0", "1", "1", "14"});
    CHECK(ts[2]->column_count == 15);
    CHECK(cell_at(*ts[2], 3, 4)->text == "4");

    for (const char* furniture : {"要闻动态", "当前位置", "字号", "版权所有", "网站地图", "siteConfig", "data-ready"})
        CHECK_MESSAGE(!any_text_contains(d, furniture), furniture);
}

TEST_CASE("html reader: a GB18030 copy of the fixture reads the same") {
    std::string utf8 = file_bytes(fixture_path());
    Document expected = gouji::read_html("a.html", utf8, {});

    std::string declared = utf8;
    std::string meta = "<meta charset=\"utf-8\">";
    REQUIRE(declared.find(meta) != std::string::npos);
    declared.replace(declared.find(meta), meta.size(), "<meta charset=\"gb18030\">");
    Document gb = gouji::read_html("a.html", to_gb18030(declared), {});
    CHECK(gb.encoding == "GB18030");
    REQUIRE(gb.blocks.size() == expected.blocks.size());
    for (std::size_t i = 0; i < gb.blocks.size(); ++i) {
        CHECK(gb.blocks[i].text == expected.blocks[i].text);
        CHECK(gb.blocks[i].pos == expected.blocks[i].pos);
        CHECK(gb.blocks[i].table.rows.size() == expected.blocks[i].table.rows.size());
    }
    CHECK(row_values(*table3(gb), "（七）总计") == Values{"118", "13", "1", "2", "5", "2", "141"});

    // The older http-equiv form with gbk; bytes that are not GB18030 where the page says so are an error.
    std::string gbk = to_gb18030(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head>"
        "<body><p>收到申请146件</p></body></html>");
    Document small = gouji::read_html("b.html", gbk, {});
    CHECK(small.encoding == "GB18030");
    REQUIRE(small.blocks.size() == 1);
    CHECK(small.blocks[0].text == "收到申请146件");
    std::string broken = gbk;
    broken.insert(broken.find("<p>") + 3, "\n\x81\x20");
    CHECK_THROWS_AS(gouji::read_html("b.html", broken, {}), gouji::InputError);
    try {
        gouji::read_html("b.html", broken, {});
    } catch (const gouji::InputError& e) {
        CHECK(e.pos().line == 2);
        CHECK(e.pos().column == 1);
    }
}

TEST_CASE("html reader: inline content joins without inserted spaces") {
    auto text_of = [](const std::string& body) {
        Document d = read_string("<html><body>" + body + "</body></html>");
        REQUIRE(d.blocks.size() == 1);
        return d.blocks[0].text;
    };
    CHECK(text_of("<p><span>2</span><span>1</span><span>2</span><span>2</span>条</p>") == "2122条");
    CHECK(text_of("<p>占<span>7</span><b>1</b>.<i>1</i><font>1</font>%</p>") == "占71.11%");
    CHECK(text_of("<p>a \n\t  b</p>") == "a b");
    CHECK(text_of("<p>政府\n   信息</p>") == "政府信息");
    CHECK(text_of("<p>共 128\n件</p>") == "共 128 件");
    CHECK(text_of("<p>&nbsp;&nbsp;根据&lt;条例&gt;&amp;办法&nbsp;</p>") == "根据<条例>&办法");
    CHECK(text_of("<p>第一行<br>第二行<br><br></p>") == "第一行\n第二行");
    CHECK(text_of("<div>甲<!-- 注释 --><script>var x = 1;</script><style>p{}</style>乙</div>") == "甲乙");
}

TEST_CASE("html reader: one block per block element's own text, headings and bold") {
    Document d = read_string(
        "<body><div>前言<p>正文</p>尾声</div><h2>一、总体情况</h2><h3><strong>（一）主动公开</strong></h3>"
        "<p><strong>二、主动公开政府信息情况</strong></p><p><b>半</b>粗</p>"
        "<p style=\"font-weight: bold\">整段加粗</p><p><b><span style=\"font-weight:normal\">不粗</span></b></p>"
        "<ul><li>条目一</li><li>条目二</li></ul></body>");
    std::vector<std::string> texts;
    for (const Block& b : d.blocks) texts.push_back(b.text);
    CHECK(texts == std::vector<std::string>{"前言", "正文", "尾声", "一、总体情况", "（一）主动公开",
                                            "二、主动公开政府信息情况", "半粗", "整段加粗", "不粗", "条目一", "条目二"});
    REQUIRE(d.blocks.size() == 11);
    CHECK(d.blocks[3].kind == BlockKind::Heading);
    CHECK(d.blocks[3].heading_level == 2);
    CHECK_FALSE(d.blocks[3].bold);
    CHECK(d.blocks[4].heading_level == 3);
    CHECK(d.blocks[4].bold);
    CHECK(d.blocks[5].kind == BlockKind::Paragraph);
    CHECK(d.blocks[5].bold);
    CHECK_FALSE(d.blocks[6].bold);
    CHECK(d.blocks[7].bold);
    CHECK_FALSE(d.blocks[8].bold);
}

TEST_CASE("html reader: positions are 1-based lines and character columns") {
    Document d = read_string("<p>中文</p><p>x</p>\n\t<p>  &nbsp;第二行</p>\n<table><tr><td>甲</td><td>\n  乙</td></tr></table>");
    REQUIRE(d.blocks.size() == 4);
    CHECK(d.blocks[0].pos == gouji::SourcePos{1, 4, 0});
    CHECK(d.blocks[1].pos == gouji::SourcePos{1, 13, 0});
    CHECK(d.blocks[2].pos == gouji::SourcePos{2, 13, 0});  // tab counts one; "  &nbsp;" stepped over
    const Table& t = d.blocks[3].table;
    CHECK(t.pos == gouji::SourcePos{3, 1, 0});
    CHECK(t.rows[0][0].pos == gouji::SourcePos{3, 16, 0});
    CHECK(t.rows[0][1].pos == gouji::SourcePos{4, 3, 0});
}

TEST_CASE("html reader: table grid with rowspan and colspan") {
    Document d = read_string(
        "<table>"
        "<tr><td rowspan=\"2\" colspan=\"2\">角</td><td colspan=\"2\">上</td></tr>"
        "<tr><td>a</td><td>b</td></tr>"
        "<tr><td>行|</td><td rowspan=\"0\">长</td><td>1<br>2</td><td><p>3</p><p>4</p></td></tr>"
        "<tr><td>末</td><td>x</td><td> | y｜ </td></tr>"
        "</table>");
    REQUIRE(d.blocks.size() == 1);
    const Table& t = d.blocks[0].table;
    CHECK(t.column_count == 4);
    REQUIRE(t.rows.size() == 4);
    CHECK(t.rows[1][0].col == 2);
    CHECK(t.rows[1][1].col == 3);
    CHECK(t.rows[2][0].text == "行");
    CHECK(t.rows[2][1].rowspan == 2);  // rowspan=0 runs to the end of the table
    CHECK(t.rows[2][2].text == "1 2");
    CHECK(t.rows[2][3].text == "3 4");
    CHECK(t.rows[3][0].col == 0);
    CHECK(t.rows[3][1].col == 2);  // column 1 is still covered by 长
    CHECK(t.rows[3][2].col == 3);
    CHECK(t.rows[3][2].text == "y");

    CHECK_THROWS_AS(read_string("<table><tr><td colspan=900>a</td><td colspan=900>b</td></tr><tr><td>c</td></tr></table>"),
                    gouji::InputError);
    Document clamped = read_string("<table><tr><td rowspan=99999999>a</td><td>b</td></tr><tr><td>c</td></tr></table>");
    CHECK(clamped.blocks[0].table.rows[0][0].rowspan == 2);
    CHECK(clamped.blocks[0].table.rows[1][0].col == 1);
}

TEST_CASE("html reader: a layout table around the article is read as flow") {
    std::string long_text(80, 'x');
    Document d = read_string(
        "<table><tr><td><h2>一、总体情况</h2><p>正文一</p>"
        "<table><tr><td>指标</td><td>数量</td></tr><tr><td>申请</td><td>5</td></tr></table>"
        "</td></tr></table>"
        "<table><tr><td>唯一格子</td></tr></table>"
        "<table><tr><td>" + long_text + long_text + long_text + "</td><td>b</td></tr></table>");
    REQUIRE(d.blocks.size() == 6);
    CHECK(d.blocks[0].kind == BlockKind::Heading);
    CHECK(d.blocks[1].text == "正文一");
    CHECK(d.blocks[2].kind == BlockKind::Table);
    CHECK(d.blocks[2].table.rows.size() == 2);
    CHECK(d.blocks[3].text == "唯一格子");
    CHECK(d.blocks[4].text == long_text + long_text + long_text);
    CHECK(d.blocks[5].text == "b");
}

TEST_CASE("html reader: navigation, hidden and script content is dropped") {
    Document d = read_string(
        "<body><nav>导航</nav><header>站点头</header><div class=\"menu_base\">菜单</div>"
        "<div id=\"breadcrumb\">当前位置</div><div role=\"navigation\">跳转</div>"
        "<ul><li><a href=\"/\">首页</a></li><li><a href=\"/a\">新闻</a></li></ul>"
        "<div style=\"display: none\">隐藏</div><div hidden>也隐藏</div><noscript>请启用</noscript>"
        "<article><header><h1>年度报告</h1></header><p>正文</p></article>"
        "<ul><li>第一项<a href=\"#\">详情</a></li></ul><div class=\"article_header\">报告标题</div>"
        "<footer>页脚</footer><div class=\"copyright\">版权</div></body>");
    std::vector<std::string> texts;
    for (const Block& b : d.blocks) texts.push_back(b.text);
    CHECK(texts == std::vector<std::string>{"年度报告", "正文", "第一项详情", "报告标题"});
}

// How fast it is refused is measured by bench/.
TEST_CASE("html reader: nesting 200000 levels deep is refused") {
    std::string divs;
    for (int i = 0; i < 200000; ++i) divs += "<div>";
    CHECK_THROWS_WITH_AS(read_string(divs + "x"), doctest::Contains("nested too deeply"), gouji::InputError);
    std::string spans;
    for (int i = 0; i < 200000; ++i) spans += "<span>";
    CHECK_THROWS_WITH_AS(read_string(spans + "x"), doctest::Contains("nested too deeply"), gouji::InputError);

    // Deep but acceptable markup is flattened below max_nesting, its text kept.
    std::string deep;
    for (int i = 0; i < 3000; ++i) deep += "<div>";
    deep += "深处<table><tr><td>a</td><td>b</td></tr></table>";
    for (int i = 0; i < 3000; ++i) deep += "</div>";
    Document d = read_string(deep);
    REQUIRE(d.blocks.size() == 1);
    CHECK(d.blocks[0].text == "深处ab");

    // Unclosed <p>, <li> and <td> do not nest, so a long flat page is fine.
    std::string flat;
    for (int i = 0; i < 20000; ++i) flat += "<p>段";
    CHECK(read_string(flat).blocks.size() == 20000);
}

TEST_CASE("html reader: bad input is an InputError") {
    CHECK_THROWS_AS(read_string(""), gouji::InputError);
    gouji::ReadLimits small;
    small.max_file_bytes = 10;
    CHECK_THROWS_AS(read_string("<p>超过十个字节的页面</p>", small), gouji::InputError);
    CHECK(read_string("<html><body></body></html>").blocks.empty());
    CHECK(read_string("<table></table><p></p>").blocks.empty());
}

TEST_CASE("html reader: the article's date and title from the head's <meta> tags") {
    Document d = read_string(R"(<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<meta name="ArticleTitle" content="示例县2022年政府信息公开工作年度报告">
<meta name='PubDate' content='2023-01-20 10:30'>
</head>
<body><p>正文。</p></body></html>)");
    CHECK(d.page_meta.published == "2023-01-20 10:30");
    CHECK(d.page_meta.published_pos.line == 5);
    CHECK(d.page_meta.title == "示例县2022年政府信息公开工作年度报告");
    // The page's text says neither: the model takes them from the tags.
    static const gouji::TemplateCatalog standard = gouji::load_templates(gouji::default_rulepack_dir() + "/templates.yaml");
    gouji::Metadata m = gouji::read_metadata(d, standard.metadata);
    CHECK(m.year == 2022);
    REQUIRE(m.published);
    CHECK(m.published->month == 1);
    CHECK(m.published->day == 20);
    CHECK(m.published_pos.line == 5);
    // A <meta> in the body is not the head's.
    CHECK(read_string("<html><body><meta name=\"PubDate\" content=\"2023-01-20\"><p>正文。</p></body></html>")
              .page_meta.published.empty());
}
