// UTF-16 files through read_document: their markup shows only once decoded, so
// a UTF-16 Markdown or HTML report must be read in its own format, whatever its
// name, exactly as its UTF-8 copy is; one cut off is refused, not guessed at.
#include <doctest/doctest.h>

#include <unicode/ucnv.h>

#include <string>
#include <vector>

#include "gouji/readers.hpp"
#include "reader_test_support.hpp"

using gouji::Document;
using gouji::Format;

namespace {

// `utf8` in UTF-16 of the byte order named (ICU: "UTF-16LE"/"UTF-16BE", no BOM),
// after a byte-order mark when `bom`.
std::string utf16(const std::string& utf8, const std::string& order, bool bom) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 4 + 16, '\0');
    int32_t length = ucnv_convert(order.c_str(), "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                  static_cast<int32_t>(utf8.size()), &status);
    REQUIRE(U_SUCCESS(status));
    out.resize(static_cast<std::size_t>(length));
    if (!bom) return out;
    return (order == "UTF-16LE" ? std::string("\xFF\xFE") : std::string("\xFE\xFF")) + out;
}

std::string read_error(const std::string& path) {
    try {
        gouji::read_document(path);
    } catch (const gouji::InputError& e) {
        return e.describe();
    }
    return {};
}

// Everything a reader gives but the encoding's name, compared block by block.
void check_same_document(const Document& got, const Document& expected) {
    CHECK(got.format == expected.format);
    REQUIRE(got.blocks.size() == expected.blocks.size());
    for (std::size_t i = 0; i < got.blocks.size(); ++i) {
        const gouji::Block& a = got.blocks[i];
        const gouji::Block& b = expected.blocks[i];
        INFO("block " << i << ": " << b.text);
        CHECK(a.kind == b.kind);
        CHECK(a.heading_level == b.heading_level);
        CHECK(a.bold == b.bold);
        CHECK(a.text == b.text);
        CHECK(a.pos == b.pos);
        CHECK(a.anchors.size() == b.anchors.size());
        REQUIRE(a.table.rows.size() == b.table.rows.size());
        for (std::size_t r = 0; r < a.table.rows.size(); ++r) {
            REQUIRE(a.table.rows[r].size() == b.table.rows[r].size());
            for (std::size_t c = 0; c < a.table.rows[r].size(); ++c) {
                CHECK(a.table.rows[r][c].text == b.table.rows[r][c].text);
                CHECK(a.table.rows[r][c].pos == b.table.rows[r][c].pos);
            }
        }
    }
    CHECK(got.page_meta.published == expected.page_meta.published);
    CHECK(got.page_meta.title == expected.page_meta.title);
}

}  // namespace

TEST_CASE("UTF-16 documents: Markdown and HTML are read in their own format, whatever their name") {
    reader_tests::TempDir dir;
    struct Case {
        std::string fixture;
        Format format;
    };
    for (const Case& one : {Case{"markdown/report-2021.md", Format::Markdown}, Case{"html/report-2021.html", Format::Html}}) {
        const std::string utf8 = reader_tests::file_bytes(reader_tests::fixture_path(one.fixture));
        const Document expected = gouji::read_document(reader_tests::fixture_path(one.fixture));
        for (const std::string order : {"UTF-16LE", "UTF-16BE"})
            for (bool bom : {true, false})
                // By the extension of its format, as a .txt (the folder search takes .txt
                // files), and with no extension at all: the content decides.
                for (const std::string& name : {one.fixture.substr(one.fixture.find('/') + 1), std::string("report.txt"),
                                               std::string("report")}) {
                    INFO(one.fixture << " in " << order << (bom ? " with" : " without") << " a BOM, as " << name);
                    const std::string bytes = utf16(utf8, order, bom);
                    CHECK(gouji::detect_format(name, bytes) == one.format);
                    const Document got = gouji::read_document(dir.write(name, bytes));
                    CHECK(got.encoding == order);
                    check_same_document(got, expected);
                }
    }
}

TEST_CASE("UTF-16 documents: plain text stays plain text, and the extension still breaks ties") {
    const std::string text = "政府信息公开工作年度报告\n一、总体情况\n收到申请８件。\n";
    CHECK(gouji::detect_format("report.txt", utf16(text, "UTF-16LE", true)) == Format::Text);
    CHECK(gouji::detect_format("report.md", utf16(text, "UTF-16LE", true)) == Format::Markdown);
    CHECK(gouji::detect_format("report.htm", utf16(text, "UTF-16BE", true)) == Format::Html);
    // Two headings, or a pipe table, in a UTF-16 .txt: Markdown, as in UTF-8.
    CHECK(gouji::detect_format("report.txt", utf16("# 年度报告\n\n## 一、总体情况\n", "UTF-16BE", true)) == Format::Markdown);
    CHECK(gouji::detect_format("report.txt", utf16("| 信息内容 | 数量 |\n|---|---|\n| 规章 | 0 |\n", "UTF-16LE", false)) ==
          Format::Markdown);
    // A page saved under a Word name is read (Word's "save as web page" keeps .doc);
    // text under a PDF's name is refused, as in UTF-8.
    CHECK(gouji::detect_format("report.doc", utf16("<html><body><p>年度报告</p></body></html>", "UTF-16LE", true)) ==
          Format::Html);
    CHECK_THROWS_WITH(gouji::detect_format("report.pdf", utf16(text, "UTF-16LE", true)),
                      "named .pdf but not a PDF: the file is damaged or not what its name says");
}

TEST_CASE("UTF-16 documents: a page whose <meta> still says gb2312 is read as the UTF-16 it is") {
    // An editor that re-saves a GB page as "Unicode" keeps its <meta charset>.
    reader_tests::TempDir dir;
    const std::string page =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>"
        "<body><p>收到申请146件</p></body></html>";
    for (const std::string order : {"UTF-16LE", "UTF-16BE"}) {
        const Document d = gouji::read_document(dir.write("page.txt", utf16(page, order, true)));
        CHECK(d.format == "html");
        CHECK(d.encoding == order);
        REQUIRE(d.blocks.size() == 1);
        CHECK(d.blocks[0].text == "收到申请146件");
        CHECK(d.blocks[0].pos == gouji::SourcePos{1, 97, 0});
    }
    // The same page in GB2312 bytes, as it declares, whatever its name.
    for (const std::string name : {"page.html", "page.txt"}) {
        const Document gb = gouji::read_document(dir.write(name, reader_tests::to_gb18030(page)));
        CHECK(gb.format == "html");
        CHECK(gb.encoding == "GB18030");
        REQUIRE(gb.blocks.size() == 1);
        CHECK(gb.blocks[0].text == "收到申请146件");
    }
}

TEST_CASE("UTF-16 documents: a file cut in half a character is refused where it ends, not read as garbage") {
    reader_tests::TempDir dir;
    const std::string utf8 = reader_tests::file_bytes(reader_tests::fixture_path("markdown/report-2021.md"));
    for (const std::string order : {"UTF-16LE", "UTF-16BE"})
        for (bool bom : {true, false}) {
            INFO(order << (bom ? " with" : " without") << " a BOM");
            std::string bytes = utf16(utf8, order, bom);
            bytes.pop_back();
            const std::string path = dir.write("report.md", bytes);
            // The last character of the fixture is the line break that ends its line 106.
            CHECK(read_error(path) == path + ":106:13: error: the UTF-16 text ends in half a character: the file was "
                                             "cut off (copy or save the file again)");
        }
    // A byte-order mark and half a character.
    const std::string half = dir.write("half.html", "\xFF\xFE<");
    CHECK(read_error(half) == half + ":1:1: error: the UTF-16 text ends in half a character: the file was cut off "
                                     "(copy or save the file again)");
    // An unpaired surrogate inside is still said as one.
    const std::string lone = dir.write("lone.md", "\xFF\xFE" + std::string("#\0 \0\x00\xD8x\0\n\0", 10));
    CHECK(read_error(lone) == lone + ":1:3: error: not valid UTF-16 (unpaired surrogate or truncated file) (re-save the "
                                     "file as UTF-8)");
}
