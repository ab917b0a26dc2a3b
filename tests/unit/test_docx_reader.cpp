// DOCX reader: the 2020-template fixture (tests/fixtures/docx/make_docx.py),
// constructed documents for styles and merges, and broken or hostile containers.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bench/zip_bomb.hpp"
#include "gouji/readers.hpp"
#include "tests/unit/reader_test_support.hpp"

namespace {

using gouji::Block;
using gouji::BlockKind;
using gouji::Document;
using gouji::Table;
using gouji::TableCell;

using reader_tests::file_bytes;

std::string fixture_path() { return std::string(GOUJI_TEST_DIR) + "/fixtures/docx/report-2020.docx"; }

std::filesystem::path temp_zip_path() {
    static int counter = 0;
    return std::filesystem::temp_directory_path() /
           ("gouji-docx-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ".zip");
}

// Writes a zip with libzip and returns its bytes; `add` adds the entries.
template <class Add>
std::string build_zip(Add add) {
    std::filesystem::path path = temp_zip_path();
    int error = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    REQUIRE(archive);
    add(archive);
    REQUIRE(zip_close(archive) == 0);
    std::string bytes = file_bytes(path.string());
    std::filesystem::remove(path);
    return bytes;
}

std::string make_docx(const std::vector<std::pair<std::string, std::string>>& parts) {
    return build_zip([&](zip_t* archive) {
        for (const auto& [name, data] : parts) {
            zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
            REQUIRE(source);
            REQUIRE(zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE) >= 0);
        }
    });
}

constexpr const char* kOpen =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
constexpr const char* kClose = "</w:body></w:document>";

std::string document_with(const std::string& body) { return std::string(kOpen) + body + kClose; }

Document read_bytes(const std::string& bytes, const gouji::ReadLimits& limits = {}) {
    return gouji::read_docx("test.docx", bytes, limits);
}

Document read_body(const std::string& body, const std::string& styles = {}) {
    std::vector<std::pair<std::string, std::string>> parts{{"word/document.xml", document_with(body)}};
    if (!styles.empty()) parts.emplace_back("word/styles.xml", styles);
    return read_bytes(make_docx(parts));
}

std::string error_of(const std::string& bytes, const gouji::ReadLimits& limits = {}) {
    try {
        read_bytes(bytes, limits);
    } catch (const gouji::InputError& e) {
        return e.what();
    }
    return "(no error)";
}

const Table* table_with(const Document& d, const std::string& corner_text) {
    for (const Block& b : d.blocks)
        if (b.kind == BlockKind::Table && !b.table.rows.empty() && !b.table.rows[0].empty() &&
            b.table.rows[0][0].text.find(corner_text) != std::string::npos)
            return &b.table;
    return nullptr;
}

const TableCell* cell_at(const Table& t, std::uint32_t row, std::uint32_t col) {
    if (row >= t.rows.size()) return nullptr;
    for (const TableCell& c : t.rows[row])
        if (c.col == col) return &c;
    return nullptr;
}

std::vector<std::string> row_texts(const Table& t, std::size_t row) {
    std::vector<std::string> out;
    for (const TableCell& c : t.rows.at(row)) out.push_back(c.text);
    return out;
}

using Texts = std::vector<std::string>;

// The bench's hand-made bomb (bench/zip_bomb.cpp): no compression time to build.
std::string zip_bomb(std::uint64_t inflated_size, std::uint64_t declared_size) {
    return bench::docx_zip_bomb(inflated_size, declared_size, temp_zip_path());
}

}  // namespace

TEST_CASE("docx reader: 2020-template fixture paragraphs and headings") {
    Document d = gouji::read_docx(fixture_path(), file_bytes(fixture_path()), {});
    CHECK(d.format == "docx");
    REQUIRE(d.blocks.size() == 26);
    const Block& title = d.blocks[0];
    CHECK(title.kind == BlockKind::Heading);
    CHECK(title.heading_level == 1);  // Chinese Word style id "1"
    CHECK(title.bold);
    CHECK(title.text == "示例县自然资源局2020年政府信息公开工作年度报告");
    CHECK(title.pos == gouji::SourcePos{1, 1, 0});

    std::vector<std::string> sections;
    for (const Block& b : d.blocks)
        if (b.kind == BlockKind::Heading && b.heading_level == 2) sections.push_back(b.text);
    CHECK(sections == Texts{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                            "六、其他需要报告的事项"});

    CHECK(d.blocks[4].text == "（一）主动公开");
    CHECK(d.blocks[4].kind == BlockKind::Paragraph);
    CHECK(d.blocks[4].bold);
    CHECK(d.blocks[5].text.starts_with("全年通过县政府门户网站主动公开政府信息312条"));  // "3","1","2" in three runs
    CHECK_FALSE(d.blocks[5].bold);
    CHECK(d.blocks[10].text == "（四）平台建设");
    CHECK(d.blocks[10].heading_level == 3);  // w:outlineLvl 2
    CHECK(d.blocks[11].text == "持续做好县政府门户网站\t“自然资源”专栏的维护更新。");  // w:tab, as a table of contents has it before its page
    CHECK(d.blocks[22].text == "一是公开内容的深度和广度有待加强；\n二是政策解读形式较为单一。");  // w:br
}

TEST_CASE("docx reader: 2020-template fixture tables with gridSpan and vMerge") {
    Document d = gouji::read_docx(fixture_path(), file_bytes(fixture_path()), {});
    const Table* t3 = table_with(d, "勾稽关系");
    REQUIRE(t3);
    CHECK(t3->column_count == 10);
    REQUIRE(t3->rows.size() == 26);
    const TableCell* corner = cell_at(*t3, 0, 0);
    CHECK(corner->rowspan == 3);
    CHECK(corner->colspan == 3);
    CHECK(cell_at(*t3, 1, 3)->text == "自然人");
    CHECK(cell_at(*t3, 1, 3)->rowspan == 2);
    CHECK(cell_at(*t3, 1, 9)->rowspan == 2);
    // Continuation cells are folded into the cell above, not emitted.
    CHECK(row_texts(*t3, 2) == Texts{"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"});
    CHECK(cell_at(*t3, 2, 4)->text == "商业企业");
    CHECK(cell_at(*t3, 5, 0)->text == "三、本年度办理结果");
    CHECK(cell_at(*t3, 5, 0)->rowspan == 20);
    CHECK(cell_at(*t3, 7, 1)->text == "（三）不予公开");
    CHECK(cell_at(*t3, 7, 1)->rowspan == 8);
    CHECK(row_texts(*t3, 8) == Texts{"2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"});
    CHECK(row_texts(*t3, 24) == Texts{"（七）总计", "42", "4", "0", "1", "2", "0", "49"});
    CHECK(row_texts(*t3, 25) == Texts{"四、结转下年度继续办理", "3", "1", "0", "0", "0", "0", "4"});

    const Table* t2 = table_with(d, "第二十条第（一）项");
    REQUIRE(t2);
    CHECK(row_texts(*t2, 6) == Texts{"行政许可", "48", "+2", "1260"});
    CHECK(row_texts(*t2, 17) == Texts{"政府集中采购", "14", "386.52万元"});
    CHECK(cell_at(*t2, 17, 2)->colspan == 2);

    const Table* t4 = table_with(d, "行政复议");
    REQUIRE(t4);
    CHECK(t4->column_count == 15);
    CHECK(cell_at(*t4, 1, 4)->rowspan == 2);
    CHECK(row_texts(*t4, 3) == Texts{"1", "0", "1", "0", "3", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"});

    // Positions: paragraph numbers, counting every cell paragraph (continuations too).
    const Block* table3_block = nullptr;
    const Block* after = nullptr;
    for (std::size_t i = 0; i + 1 < d.blocks.size(); ++i)
        if (&d.blocks[i].table == t3) {
            table3_block = &d.blocks[i];
            after = &d.blocks[i + 1];
        }
    REQUIRE(table3_block);
    CHECK(table3_block->pos == gouji::SourcePos{70, 1, 0});
    CHECK(t3->rows[0][0].pos.line == 70);
    CHECK(t3->rows[0][1].pos.line == 71);
    CHECK(t3->rows[1][0].pos.line == 73);  // 72 is the continuation cell under the corner
    CHECK(after->pos.line == 304);
    CHECK(after->text.starts_with("2020年，本局共收到政府信息公开申请50件"));
}

TEST_CASE("docx reader: styles, bold and namespaces") {
    std::string styles =
        "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:style w:type=\"paragraph\" w:styleId=\"a5\"><w:name w:val=\"heading 3\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"zhang\"><w:name w:val=\"章标题\"/>"
        "<w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"jie\"><w:name w:val=\"节\"/><w:basedOn w:val=\"zhang\"/></w:style>"
        "<w:style w:type=\"character\" w:styleId=\"strong\"><w:name w:val=\"Strong\"/><w:rPr><w:b/></w:rPr></w:style>"
        "</w:styles>";
    Document d = read_body(
        "<w:p><w:pPr><w:pStyle w:val=\"a5\"/></w:pPr><w:r><w:t>样式名标题</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"jie\"/></w:pPr><w:r><w:t>继承的标题</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t>英文标题</w:t></w:r></w:p>"
        "<w:p><w:r><w:rPr><w:rStyle w:val=\"strong\"/></w:rPr><w:t>字符样式加粗</w:t></w:r></w:p>"
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>粗</w:t></w:r><w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>细</w:t></w:r></w:p>"
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>全粗</w:t></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r></w:p>"
        "<w:p><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t xml:space=\"preserve\"> 插入 </w:t></w:r></w:ins><w:r><w:t>结束</w:t></w:r></w:p>"
        "<w:p/><w:p><w:r><w:t xml:space=\"preserve\">   </w:t></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>内容控件</w:t></w:r></w:p></w:sdtContent></w:sdt>",
        styles);
    REQUIRE(d.blocks.size() == 8);
    CHECK(d.blocks[0].heading_level == 3);
    CHECK(d.blocks[1].heading_level == 1);
    CHECK(d.blocks[1].bold);
    CHECK(d.blocks[2].heading_level == 2);
    CHECK(d.blocks[3].bold);
    CHECK_FALSE(d.blocks[4].bold);
    CHECK(d.blocks[5].bold);
    CHECK(d.blocks[5].text == "全粗");
    CHECK(d.blocks[6].text == "链接 插入 结束");
    CHECK(d.blocks[7].text == "内容控件");
    CHECK(d.blocks[7].pos.line == 10);  // the empty paragraphs are counted

    // Another prefix bound to the WordprocessingML namespace.
    std::string prefixed =
        "<ns0:document xmlns:ns0=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><ns0:body>"
        "<ns0:p><ns0:r><ns0:t>前缀不同</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>";
    Document p = read_bytes(make_docx({{"word/document.xml", prefixed}}));
    REQUIRE(p.blocks.size() == 1);
    CHECK(p.blocks[0].text == "前缀不同");
}

TEST_CASE("docx reader: merges, gridBefore and nested tables") {
    auto tc = [](const std::string& text, const std::string& props = {}) {
        return "<w:tc>" + (props.empty() ? "" : "<w:tcPr>" + props + "</w:tcPr>") + "<w:p><w:r><w:t>" + text +
               "</w:t></w:r></w:p></w:tc>";
    };
    std::string nested = "<w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p><w:tbl><w:tr>" + tc("内1") + tc("内2") +
                         "</w:tr></w:tbl></w:tc>";
    Document d = read_body("<w:tbl>"
                           "<w:tr>" + tc("甲", "<w:vMerge w:val=\"restart\"/>") + tc("乙", "<w:gridSpan w:val=\"2\"/>") + "</w:tr>"
                           "<w:tr>" + tc("", "<w:vMerge/>") + tc("1") + tc("2") + "</w:tr>"
                           "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + tc("3") + nested + "</w:tr>"
                           "<w:tr>" + tc("孤", "<w:vMerge/>") + tc("4") + "</w:tr>"
                           "</w:tbl><w:p><w:r><w:t>表后</w:t></w:r></w:p>");
    REQUIRE(d.blocks.size() == 2);
    const Table& t = d.blocks[0].table;
    CHECK(t.column_count == 3);
    REQUIRE(t.rows.size() == 4);
    CHECK(t.rows[0][0].rowspan == 2);
    CHECK(t.rows[0][1].colspan == 2);
    CHECK(row_texts(t, 1) == Texts{"1", "2"});
    CHECK(t.rows[1][0].col == 1);
    CHECK(t.rows[2][0].col == 1);
    CHECK(t.rows[2][1].text == "外 内1 内2");
    CHECK(row_texts(t, 3) == Texts{"孤", "4"});  // a continuation with nothing open above stands alone
    CHECK(d.blocks[1].pos.line == 12);
}

TEST_CASE("docx reader: damaged containers are InputErrors with clear messages") {
    std::string good = file_bytes(fixture_path());
    // Cut anywhere, even inside the 22-byte record that ends it, a zip has lost its directory.
    const std::string cut = "the ZIP archive is cut off or damaged: its end-of-central-directory record is missing";
    CHECK(error_of(good.substr(0, 400)) == cut);
    CHECK(error_of(good.substr(0, good.size() / 2)) == cut);
    CHECK(error_of(good.substr(0, good.size() - 10)) == cut);
    CHECK(error_of("PK\x03\x04 garbage") == cut);
    CHECK(error_of("") == "file is empty");
    CHECK(error_of("MZ\x90\0 an executable").starts_with("not a readable DOCX (zip archive): Not a zip archive"));
    // Whole but inconsistent: an entry's local name differs from the directory's.
    std::string renamed = good;
    renamed.replace(renamed.find("word/document.xml"), 4, "WORD");
    CHECK(error_of(renamed) == "the ZIP archive is damaged (Zip archive inconsistent)");
    // Whole, with its record, but the record is wrong: damaged, not cut off.
    std::string miscounted = good;
    miscounted[miscounted.rfind(std::string("PK\x05\x06", 4)) + 10] ^= 1;
    CHECK(error_of(miscounted) == "the ZIP archive is damaged (Not a zip archive)");
    CHECK(error_of(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, '\0'))
              .find("legacy Word .doc") != std::string::npos);
    CHECK(error_of(make_docx({{"word/other.xml", "<x/>"}})) ==
          "the zip archive has no word/document.xml; it is not a Word document");
    CHECK(error_of(make_docx({{"word/document.xml", document_with("<w:p><w:r><w:t>未闭合</w:r></w:p>")}}))
              .starts_with("word/document.xml is not well-formed XML at byte offset "));
    CHECK(error_of(make_docx({{"word/document.xml", "<w:document xmlns:w=\"x\"/>"}})).find("no document body") !=
          std::string::npos);

    // Flipping bytes inside the compressed document part: zlib or the CRC check catches it.
    std::string flipped = good;
    std::size_t data_at = flipped.find("word/document.xml") + std::strlen("word/document.xml");
    for (std::size_t i = data_at + 20; i < data_at + 60; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
    CHECK_THROWS_AS(read_bytes(flipped), gouji::InputError);
}

// How fast a bomb is refused is measured by bench/.
TEST_CASE("docx reader: a zip bomb is refused") {
    SUBCASE("the hand-made deflate stream is real") {
        // A small one inflates (libzip checks the CRC) to exactly its zeros.
        std::string small = zip_bomb(100000, 100000);
        gouji::ReadLimits limits;
        CHECK(error_of(small, limits).starts_with("word/document.xml is not well-formed XML"));
        CHECK(bench::crc32_of_zero_bytes(1000) == 0x060B1780u);  // zlib.crc32(bytes(1000))
    }
    SUBCASE("1 GiB of zeros, declared honestly") {
        std::string bomb = zip_bomb(1ull << 30, 1ull << 30);
        CHECK(bomb.size() < (8u << 20));
        CHECK_THROWS_AS(read_bytes(bomb), gouji::InputError);
        CHECK(error_of(bomb) == "word/document.xml inflates beyond 256 MiB; refusing");
    }
    SUBCASE("1 GiB of zeros whose headers claim 1000 bytes") {
        // The headers pass the size check; inflation itself is cut at the limit.
        std::string liar = zip_bomb(1ull << 30, 1000);
        gouji::ReadLimits limits;
        limits.max_uncompressed_bytes = 16u << 20;
        CHECK_THROWS_AS(read_bytes(liar, limits), gouji::InputError);
        CHECK(error_of(liar, limits) == "word/document.xml inflates beyond 16 MiB; refusing");
    }
    SUBCASE("an honest part over a lower limit") {
        gouji::ReadLimits limits;
        limits.max_uncompressed_bytes = 1000;
        CHECK(error_of(file_bytes(fixture_path()), limits) == "word/document.xml inflates beyond 1000 bytes; refusing");
    }
}

TEST_CASE("docx reader: deeply nested XML does not overflow the stack") {
    std::string open, close;
    for (int i = 0; i < 200000; ++i) {
        open += "<w:customXml>";
        close += "</w:customXml>";
    }
    Document d = read_body(open + "<w:p><w:r><w:t>最深处</w:t></w:r></w:p>" + close);
    REQUIRE(d.blocks.size() == 1);
    CHECK(d.blocks[0].text == "最深处");

    std::string cells;
    for (int i = 0; i < 20000; ++i) cells += "<w:tbl><w:tr><w:tc>";
    cells += "<w:p><w:r><w:t>嵌套</w:t></w:r></w:p>";
    for (int i = 0; i < 20000; ++i) cells += "</w:tc></w:tr></w:tbl>";
    Document nested = read_body(cells);
    REQUIRE(nested.blocks.size() == 1);
    CHECK(nested.blocks[0].table.rows[0][0].text == "嵌套");
}
