// Plain-text reader (one paragraph per non-blank line, trimmed, with its position)
// and format detection, on the scraped seeds, the GB18030 fixture and constructed text.
#include <doctest/doctest.h>

#include <string>

#include "gouji/readers.hpp"
#include "reader_test_support.hpp"

using gouji::BlockKind;
using gouji::Document;
using gouji::Format;

namespace {

Document read_text(const std::string& bytes) { return gouji::read_plain_text("report.txt", bytes, {}); }

Document read_seed(const std::string& name) { return gouji::read_document(reader_tests::corpus_path("seeds", name)); }

// The block that starts at `line`, or nullptr.
const gouji::Block* block_at_line(const Document& d, std::uint32_t line) {
    for (const auto& b : d.blocks)
        if (b.pos.line == line) return &b;
    return nullptr;
}

}  // namespace

TEST_CASE("text reader: one paragraph per non-blank line, with line and column") {
    Document d = read_text("标题\n\n  第二段\r\n\t\n最后一行");
    REQUIRE(d.blocks.size() == 3);
    CHECK(d.format == "text");
    CHECK(d.encoding == "UTF-8");
    CHECK(d.path == "report.txt");
    CHECK(d.blocks[0].kind == BlockKind::Paragraph);
    CHECK(d.blocks[0].text == "标题");
    CHECK(d.blocks[0].pos == gouji::SourcePos{1, 1, 0});
    CHECK(d.blocks[1].text == "第二段");  // CRLF's \r is not part of the text
    CHECK(d.blocks[1].pos == gouji::SourcePos{3, 3, 0});
    CHECK(d.blocks[2].text == "最后一行");  // no final newline
    CHECK(d.blocks[2].pos.line == 5);
}

TEST_CASE("text reader: NBSP, U+3000 and tabs around a line are trimmed, inner ones and full-width digits stay") {
    Document d = read_text("\u00A0\u00A0\u00A0\u00A01102\u00A0\n\u3000\u3000一、总体情况\u3000\n\t收到申请\u00A0８件 \n");
    REQUIRE(d.blocks.size() == 3);
    CHECK(d.blocks[0].text == "1102");
    CHECK(d.blocks[0].pos.column == 5);
    CHECK(d.blocks[1].text == "一、总体情况");
    CHECK(d.blocks[1].pos.column == 3);
    CHECK(d.blocks[2].text == "收到申请\u00A0８件");
    CHECK(d.blocks[2].pos.column == 2);
}

TEST_CASE("text reader: numbered headings stay paragraphs (the section stage decides)") {
    Document d = read_text("一、总体情况\n（一）主动公开\n# 不是标题\n");
    REQUIRE(d.blocks.size() == 3);
    for (const auto& b : d.blocks) {
        CHECK(b.kind == BlockKind::Paragraph);
        CHECK(b.heading_level == 0);
    }
    CHECK(d.blocks[2].text == "# 不是标题");
}

TEST_CASE("text reader: PDF page footers are dropped, bare numbers are not") {
    Document d = read_text("本年新收\n— 1 —\n12\n- 2 -\n第 3 页\n合计\n");
    REQUIRE(d.blocks.size() == 3);
    CHECK(d.blocks[0].text == "本年新收");
    CHECK(d.blocks[1].text == "12");
    CHECK(d.blocks[1].pos.line == 3);
    CHECK(d.blocks[2].text == "合计");
    CHECK(d.blocks[2].pos.line == 6);
}

TEST_CASE("text reader: seed 000 (泉州市 2019), flattened tables with NBSP indentation") {
    Document d = read_seed("000_831a942c0d0dfd8c.txt");
    CHECK(d.format == "text");
    CHECK(d.encoding == "UTF-8");
    CHECK(d.blocks.size() == 291);
    CHECK(d.blocks.front().text == "泉州市2019年政府信息公开工作年度报告");
    const gouji::Block* cell = block_at_line(d, 144);
    REQUIRE(cell != nullptr);
    CHECK(cell->text == "1102");
    CHECK(cell->pos.column == 5);
    const gouji::Block* label = block_at_line(d, 142);
    REQUIRE(label != nullptr);
    CHECK(label->text == "一、本年新收政府信息公开申请数量");
    CHECK(block_at_line(d, 143) == nullptr);  // blank lines make no block
    const gouji::Block* time = block_at_line(d, 2);
    REQUIRE(time != nullptr);
    CHECK(time->text == "时间:2020-03-06 16:04");
}

TEST_CASE("text reader: seed 001 (建宁县 2020)") {
    Document d = read_seed("001_64c08c7c78b4b61b.txt");
    CHECK(d.format == "text");
    CHECK(d.blocks.size() == 349);
    const gouji::Block* sentence = block_at_line(d, 21);
    REQUIRE(sentence != nullptr);
    CHECK(sentence->text.starts_with("1.依申请受理情况收到政府信息公开申请8件中"));
    CHECK(sentence->text.find("当面申请8件,占88.9%,网络申请数1件,占11.1%") != std::string::npos);
    const gouji::Block* change = block_at_line(d, 137);
    REQUIRE(change != nullptr);
    CHECK(change->text == "-12");
    const gouji::Block* section = block_at_line(d, 93);
    REQUIRE(section != nullptr);
    CHECK(section->text == "二、主动公开政府信息情况");
    CHECK(section->pos.column == 3);
}

TEST_CASE("text reader: seed 003 (厦门市 2017), navigation lines with a stray '|' are still text") {
    Document d = read_seed("003_facd0ed23eb95129.txt");
    CHECK(d.format == "text");
    REQUIRE(!d.blocks.empty());
    CHECK(d.blocks[0].text == "• |");
    CHECK(d.blocks[1].text == "• EN |");
    CHECK(d.blocks[1].pos == gouji::SourcePos{2, 3, 0});
    const gouji::Block* figure = block_at_line(d, 119);
    REQUIRE(figure != nullptr);
    CHECK(figure->text == "42938");
    const gouji::Block* sentence = block_at_line(d, 39);
    REQUIRE(sentence != nullptr);
    CHECK(sentence->text.starts_with("2017年我市各级政府及其工作部门主动公开政府信息42938条"));
    CHECK(sentence->pos.column == 3);
}

TEST_CASE("text reader: seed 004 (泉州市统计局 2020), trailing NBSP trimmed") {
    Document d = read_seed("004_361d8fbe3341eb2a.txt");
    CHECK(d.format == "text");
    CHECK(d.blocks.size() == 351);
    const gouji::Block* intro = block_at_line(d, 4);
    REQUIRE(intro != nullptr);
    CHECK(intro->text == "引言");
    CHECK(intro->pos.column == 5);
    const gouji::Block* truncated = block_at_line(d, 123);
    REQUIRE(truncated != nullptr);
    CHECK(truncated->text == "本年增/");
}

TEST_CASE("text reader: the GB18030 fixture reads like its UTF-8 source") {
    std::string path = reader_tests::fixture_path("text/gb18030-2020.txt");
    CHECK(gouji::detect_format(path, reader_tests::file_bytes(path)) == Format::Text);
    Document d = gouji::read_document(path);
    CHECK(d.format == "text");
    CHECK(d.encoding == "GB18030");
    CHECK(d.blocks.front().text == "清溪县人民政府2020年政府信息公开工作年度报告");

    Document source = read_text(reader_tests::file_bytes(reader_tests::fixture_path("text/src/gb18030-2020.utf8.txt")));
    REQUIRE(d.blocks.size() == source.blocks.size());
    for (std::size_t i = 0; i < d.blocks.size(); ++i) {
        CHECK(d.blocks[i].text == source.blocks[i].text);
        CHECK(d.blocks[i].pos == source.blocks[i].pos);
    }

    const gouji::Block* narrative = block_at_line(d, 13);
    REQUIRE(narrative != nullptr);
    CHECK(narrative->pos.column == 5);  // four NBSPs of indentation
    CHECK(narrative->text.find("全年共收到政府信息公开申请９４件") != std::string::npos);
    CHECK(narrative->text.find("予以公开48件") != std::string::npos);
    const gouji::Block* section = block_at_line(d, 7);
    REQUIRE(section != nullptr);
    CHECK(section->text == "一、总体情况");
    CHECK(section->pos.column == 3);  // two U+3000
    // The footer "— 3 —" (line 369) inside 表三 is gone; the cells around it stay.
    CHECK(block_at_line(d, 369) == nullptr);
    REQUIRE(block_at_line(d, 367) != nullptr);
    CHECK(block_at_line(d, 367)->text == "20");
    REQUIRE(block_at_line(d, 371) != nullptr);
    CHECK(block_at_line(d, 371)->text == "2.没有现成信息需要另行制作");
}

TEST_CASE("format detection: content decides, the extension breaks ties") {
    using gouji::detect_format;
    CHECK(detect_format("a.txt", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n") == Format::Pdf);
    CHECK(detect_format("a.md", "%PDF-1.4\n") == Format::Pdf);
    CHECK(detect_format("a.pdf", "junk before the header\n%PDF-1.4\n") == Format::Pdf);
    CHECK(detect_format("a.txt", "正文提到 %PDF- 这个标记\n") == Format::Text);
    CHECK(detect_format("a.txt", std::string("PK\x03\x04....word/document.xml....")) == Format::Docx);
    CHECK(detect_format("a.txt", "<!DOCTYPE html><html><body>x</body></html>") == Format::Html);
    CHECK(detect_format("a.txt", "\xEF\xBB\xBF  <!-- saved --> <HTML lang=zh>") == Format::Html);
    CHECK(detect_format("a.md", "<html><body></body></html>") == Format::Html);
    CHECK(detect_format("report.HTML", "年度报告") == Format::Html);
    CHECK(detect_format("report.htm", "年度报告") == Format::Html);
    CHECK(detect_format("report.md", "年度报告") == Format::Markdown);
    CHECK(detect_format("report.markdown", "年度报告") == Format::Markdown);
    CHECK(detect_format("report.txt", "年度报告\n一、总体情况\n") == Format::Text);
    CHECK(detect_format("report", "年度报告") == Format::Text);
    CHECK(detect_format("dir.v2/report", "年度报告") == Format::Text);
}

TEST_CASE("format detection: a .txt that is Markdown (pipe table or headings)") {
    using gouji::detect_format;
    CHECK(detect_format("a.txt", "前言\n\n| 信息内容 | 数量 |\n|---|---|\n| 规章 | 0 |\n") == Format::Markdown);
    CHECK(detect_format("a.txt", "| a | b |\n| :--- | ---: |\n") == Format::Markdown);
    CHECK(detect_format("a.txt", "# 年度报告\n\n## 一、总体情况\n") == Format::Markdown);
    // Lines ended by CR alone (classic Mac) or CRLF are lines too.
    CHECK(detect_format("a.txt", "前言\r\r| 信息内容 | 数量 |\r|---|---|\r| 规章 | 0 |\r") == Format::Markdown);
    CHECK(detect_format("a.txt", "# 年度报告\r\r## 一、总体情况") == Format::Markdown);
    CHECK(detect_format("a.txt", "前言\r\n| 信息内容 | 数量 |\r\n|---|---|\r\n") == Format::Markdown);
    CHECK(detect_format("a.txt", "| a | b |\r\r|---|---|\r") == Format::Text);  // a blank line parts row and separator
    // One heading-like line, a lone separator or a lone pipe row is not enough.
    CHECK(detect_format("a.txt", "# 年度报告\n一、总体情况\n") == Format::Text);
    CHECK(detect_format("a.txt", "|---|\n") == Format::Text);
    CHECK(detect_format("a.txt", "• |\n  • EN |\n") == Format::Text);
    CHECK(detect_format("a.txt", "#话题#\n#另一个话题#\n") == Format::Text);
    // GB18030 bytes do not hide the markup.
    CHECK(detect_format("a.txt", reader_tests::to_gb18030("| 规章 | 0 |\n|---|---|\n")) == Format::Markdown);
}

TEST_CASE("format detection: the seeds and real files") {
    struct Case {
        const char* folder;
        const char* name;
        Format format;
    };
    for (const Case& c : {Case{"seeds", "000_831a942c0d0dfd8c.txt", Format::Text},
                          Case{"seeds", "001_64c08c7c78b4b61b.txt", Format::Text},
                          Case{"seeds", "002_0ec7f487509b9c4f.txt", Format::Markdown},
                          Case{"seeds", "003_facd0ed23eb95129.txt", Format::Text},
                          Case{"seeds", "004_361d8fbe3341eb2a.txt", Format::Text},
                          Case{"real", "shuyang-2025.txt", Format::Markdown},
                          Case{"real", "shanghai-office-2025.md", Format::Markdown}}) {
        std::string path = reader_tests::corpus_path(c.folder, c.name);
        INFO(c.name);
        CHECK(gouji::detect_format(path, reader_tests::file_bytes(path)) == c.format);
    }
}

TEST_CASE("format detection: names of formats") {
    CHECK(gouji::to_string(Format::Text) == "text");
    CHECK(gouji::to_string(Format::Markdown) == "markdown");
    CHECK(gouji::to_string(Format::Html) == "html");
    CHECK(gouji::to_string(Format::Docx) == "docx");
    CHECK(gouji::to_string(Format::Pdf) == "pdf");
}
