// Hostile shapes for the HTML and DOCX readers: millions of cells in a few
// kilobytes, lists nested thousands deep, stray text between table rows, DOCX
// text that is not UTF-8. Each is refused with a message that says where and
// what to do, or read in time linear in the file. Inputs are generated here; the
// shapes that check speed are sized so that the quadratic code they replaced
// needs minutes, and their assertions are on results, never on wall time.
#include <doctest/doctest.h>
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/readers/html_condense.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"
#include "reader_test_support.hpp"

using gouji::BlockKind;
using gouji::Document;
using gouji::InputError;
using gouji::ReadLimits;
using gouji::SourcePos;
using reader_tests::TempDir;

namespace {

constexpr const char* kCapMessage =
    "error: too many lines and table cells (more than 1000); this does not look like a report "
    "(check that this is the right file)";

template <class Read>
std::string error_of(Read read) {
    try {
        read();
    } catch (const InputError& e) {
        return e.describe();
    }
    return {};
}

ReadLimits small_limits() {
    ReadLimits limits;
    limits.max_blocks = 1000;
    return limits;
}

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

// 1-based character column of byte `offset` in `line`.
std::uint32_t column_at(std::string_view line, std::size_t offset) {
    return static_cast<std::uint32_t>(gouji::char_count(line.substr(0, offset)) + 1);
}

// ---------------------------------------------------------------- DOCX

constexpr const char* kWordOpen =
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
constexpr const char* kWordClose = "</w:body></w:document>";

std::string paragraph(std::string_view text) { return "<w:p><w:r><w:t>" + std::string(text) + "</w:t></w:r></w:p>"; }

// A DOCX holding only word/document.xml, which is all the reader needs.
std::string docx_with(const std::string& document_xml) {
    TempDir dir;
    std::string path = dir.file("built.docx");
    int error = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    REQUIRE(archive);
    zip_source_t* source = zip_source_buffer(archive, document_xml.data(), document_xml.size(), 0);
    REQUIRE(source);
    REQUIRE(zip_file_add(archive, "word/document.xml", source, ZIP_FL_OVERWRITE) >= 0);
    REQUIRE(zip_close(archive) == 0);
    return reader_tests::file_bytes(path);
}

std::string docx_of_body(const std::string& body) { return docx_with(kWordOpen + body + kWordClose); }

Document read_docx_bytes(const std::string& bytes, const ReadLimits& limits = {}) {
    return gouji::read_docx("report.docx", bytes, limits);
}

// UTF-16LE with a byte-order mark, for ASCII-only XML.
std::string utf16le(std::string_view ascii) {
    std::string out = "\xFF\xFE";
    for (char c : ascii) {
        out.push_back(c);
        out.push_back('\0');
    }
    return out;
}

// ---------------------------------------------------------------- HTML

Document read_page(const std::string& html, const ReadLimits& limits = {}) {
    return gouji::read_html("page.html", html, limits);
}

std::vector<std::string> block_texts(const Document& d) {
    std::vector<std::string> out;
    for (const auto& b : d.blocks) out.push_back(b.kind == BlockKind::Table ? "<table>" : b.text);
    return out;
}

}  // namespace

TEST_CASE("reader limits: DOCX paragraphs and cells past max_blocks are refused at their paragraph") {
    // 1000 paragraphs are read, the 1001st is refused.
    std::string thousand = repeat(paragraph("段"), 1000);
    CHECK(read_docx_bytes(docx_of_body(thousand), small_limits()).blocks.size() == 1000);
    CHECK(error_of([&] { read_docx_bytes(docx_of_body(thousand + "<w:p/>"), small_limits()); }) ==
          std::string("report.docx:1001:1: ") + kCapMessage);

    // Empty cells cost nothing to store in the zip and are kept one by one: two
    // paragraphs and 998 cells fit, the 999th cell does not. Cells sit at the
    // paragraph that follows them.
    auto table_of = [](std::size_t cells) {
        std::string rows;
        for (std::size_t done = 0; done < cells; done += 10)
            rows += "<w:tr>" + repeat("<w:tc/>", std::min<std::size_t>(10, cells - done)) + "</w:tr>";
        return paragraph("表一") + paragraph("说明") + "<w:tbl>" + rows + "</w:tbl>" + paragraph("后记");
    };
    Document fits = read_docx_bytes(docx_of_body(table_of(997)), small_limits());
    REQUIRE(fits.blocks.size() == 4);
    CHECK(fits.blocks[2].table.rows.size() == 100);
    CHECK(error_of([&] { read_docx_bytes(docx_of_body(table_of(999)), small_limits()); }) ==
          std::string("report.docx:3:1: ") + kCapMessage);

    // A UTF-16 part, which the byte scan does not read, is counted by the body walk.
    std::string utf16_part = utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + std::string(kWordOpen) +
                                     repeat(paragraph("p"), 1001) + kWordClose);
    CHECK(error_of([&] { read_docx_bytes(docx_with(utf16_part), small_limits()); }) ==
          std::string("report.docx:1001:1: ") + kCapMessage);
    utf16_part = utf16le(std::string(kWordOpen) + repeat(paragraph("p"), 1000) + kWordClose);
    CHECK(read_docx_bytes(docx_with(utf16_part), small_limits()).blocks.size() == 1000);
}

TEST_CASE("reader limits: 2 Mi empty DOCX cells are refused under the default limits") {
    // The reviewer's 139 KB file of 5 million <w:tc/> took 2.1 GB; this one
    // passes the default cap by one cell.
    std::string rows = repeat("<w:tr>" + repeat("<w:tc/>", 64) + "</w:tr>", (std::size_t{2} << 20) / 64);
    std::string body = paragraph("表") + "<w:tbl>" + rows + "</w:tbl>";
    CHECK(error_of([&] { read_docx_bytes(docx_of_body(body)); }) ==
          "report.docx:2:1: error: too many lines and table cells (more than 2097152); this does not look like a "
          "report (check that this is the right file)");
}

TEST_CASE("reader limits: HTML cells past max_blocks are refused before parsing, paragraphs while reading") {
    auto page = [](std::size_t cells) {
        return "<html><body><p>前言</p>\n<table><tr>" + repeat("<td>1</td>", cells) + "</tr></table></body></html>";
    };
    // 1001 <td> tags: refused by the byte scan at the 1001st tag, line 2.
    constexpr std::size_t kRowStart = std::string_view("<table><tr>").size();
    CHECK(error_of([&] { read_page(page(1001), small_limits()); }) ==
          "page.html:2:" + std::to_string(kRowStart + 1000 * 10 + 1) + ": " + kCapMessage);
    // 1000 tags pass the scan, but the paragraph and 1000 cells are 1001 blocks:
    // refused at the last cell's text.
    CHECK(error_of([&] { read_page(page(1000), small_limits()); }) ==
          "page.html:2:" + std::to_string(kRowStart + 999 * 10 + 5) + ": " + kCapMessage);
    Document fits = read_page(page(999), small_limits());
    REQUIRE(fits.blocks.size() == 2);
    CHECK(fits.blocks[1].table.rows[0].size() == 999);

    // Paragraphs alone count too.
    std::string paragraphs = repeat("<p>段</p>\n", 1001);
    CHECK(error_of([&] { read_page(paragraphs, small_limits()); }) == std::string("page.html:1001:4: ") + kCapMessage);
    paragraphs.resize(paragraphs.size() - std::string_view("<p>段</p>\n").size());
    CHECK(read_page(paragraphs, small_limits()).blocks.size() == 1000);
}

TEST_CASE("reader limits: link lists nested inside lists are told from content lists") {
    // A menu goes; a content list stays; a menu inside content goes alone.
    CHECK(block_texts(read_page("<ul><li><a>首页</a></li><li><a>新闻</a></li></ul><p>正文</p>")) ==
          std::vector<std::string>{"正文"});
    CHECK(block_texts(read_page("<ul><li>内容一<ul><li><a>菜单</a></li></ul></li></ul>")) ==
          std::vector<std::string>{"内容一"});
    // Text three lists down, outside any link, makes every list around it content.
    CHECK(block_texts(read_page("<ul><li><a>甲</a><ul><li><a>乙</a><ul><li>丙</li></ul></li></ul></li></ul>")) ==
          std::vector<std::string>{"甲", "乙", "丙"});
    CHECK(block_texts(read_page("<ul><li><a>甲</a><ul><li>乙<ul><li><a>丙</a></li></ul></li></ul></li></ul>")) ==
          std::vector<std::string>{"甲", "乙"});
    // A content list inside a link is link text for the list around the link.
    CHECK(block_texts(read_page("<ul><li><a>链接<ul><li>里面</li></ul></a></li></ul><p>尾</p>")) ==
          std::vector<std::string>{"尾"});
}

TEST_CASE("reader limits: 3000 nested link lists with text at the bottom are judged once per item") {
    // Every list holds the text at the bottom, so none is a menu, and the old
    // check walked each list's whole subtree: 3000²/2 × 500 ideographic spaces
    // decoded, half a minute of work (minutes in a debug build). Deciding each
    // item once makes it linear.
    const std::string level = "<ul><li><a>x</a>" + repeat("\u3000", 500);
    std::string html = "<html><body>" + repeat(level, 3000) + "tail" + repeat("</li></ul>", 3000) + "</body></html>";
    Document d = read_page(html);
    // Each <li> is a block down to max_nesting (512 open elements, 254 levels);
    // below that the lists are flattened into one block.
    REQUIRE(d.blocks.size() == 255);
    for (std::size_t i = 0; i + 1 < d.blocks.size(); ++i) REQUIRE(d.blocks[i].text == "x");
    CHECK(d.blocks.back().text == repeat("x ", 3000 - 254) + "tail");
}

TEST_CASE("reader limits: markup deep over too many tags is refused before gumbo parses it") {
    // 8000 open <div>s pass the depth check, but gumbo's work per tag grows with
    // the depth: 70000 bold words under them would take it over a second, and a
    // 256 MB page of them hours.
    std::string html = repeat("<div>", 8000) + repeat("<b>x</b>", 70000);
    std::string message = error_of([&] { read_page(html); });
    CHECK(message.starts_with("page.html:1:"));
    CHECK(message.find("error: HTML is nested too deeply (thousands of open elements around too many tags: the depth "
                       "summed over its tags passes 1073741824); refusing") != std::string::npos);
    // The same words under 50 <div>s are a page like any other.
    Document d = read_page(repeat("<div>", 50) + repeat("<b>x</b>", 70000) + repeat("</div>", 50));
    REQUIRE(d.blocks.size() == 1);
    CHECK(d.blocks[0].text.size() == 70000);
}

TEST_CASE("reader limits: a tag with 200000 attributes is condensed in linear time") {
    // Condensing looked each attribute's name up among all the names met before in
    // its tag, so one tag of n attributes cost n²/2 comparisons: 2·10^10 here, half a
    // minute in a release build, much longer in a debug one (a 20 MB page of it,
    // hours). Only the names that may be kept need remembering: the first of them
    // still decides, after any number of other attributes.
    std::string unread;
    for (int i = 0; i < 200000; ++i) unread += " data-a" + std::to_string(i) + "=1";
    std::string page = "<html><body><p" + unread + R"( style="color:red" style="display:none">正文</p><div)" + unread +
                       " hidden class=a" + unread + " class=b>隐藏</div></body></html>";
    constexpr std::string_view kept[] = {"class", "hidden"};
    constexpr std::string_view style[] = {"display"};
    std::string condensed = gouji::html::CondensedPage(page, gouji::html::KeptMarkup{kept, style}).html();
    CHECK(condensed == "<html><body><p>正文</p><div hidden class=a>隐藏</div></body></html>");
    CHECK(block_texts(read_page(page)) == std::vector<std::string>{"正文"});
}

TEST_CASE("reader limits: stray text moved in front of its table keeps exact positions") {
    // Browsers move text between table rows out in front of the table: the text
    // comes first in the tree, after the table's start in the page.
    const std::string table = "<table><tr><td>1</td><td>2</td></tr>甲</table>";
    std::string line2 = repeat(table, 3);
    Document d = read_page("<html><body>\n" + line2 + "\n</body></html>");
    REQUIRE(block_texts(d) == std::vector<std::string>{"甲", "<table>", "甲", "<table>", "甲", "<table>"});
    std::size_t at = 0;
    for (int k = 0; k < 3; ++k) {
        std::size_t table_start = line2.find("<table>", at);
        std::size_t text = line2.find("甲", table_start);
        CHECK(d.blocks[2 * k].pos == SourcePos{2, column_at(line2, text), 0});
        CHECK(d.blocks[2 * k + 1].pos == SourcePos{2, column_at(line2, table_start), 0});
        CHECK(d.blocks[2 * k + 1].table.rows[0][1].pos ==
              SourcePos{2, column_at(line2, line2.find(">2<", table_start) + 1), 0});
        at = text;
    }
}

TEST_CASE("reader limits: page locator steps back from a checkpoint, not from the page's start") {
    // An 8 MiB line asked, 50000 times, for a place and then for one just before
    // it (the order a table with stray text asks in). Restarting from the page's
    // start each time would count 2·10^11 bytes.
    constexpr std::size_t kSize = std::size_t{8} << 20;
    std::string page(kSize, 'a');
    gouji::html::PageLocator locator(page);
    constexpr std::size_t kSteps = 50000;
    std::size_t mismatches = 0;
    for (std::size_t k = 0; k < kSteps; ++k) {
        std::size_t table = 100 + k * (kSize / kSteps - 1);
        if (locator.at(table + 60).column != table + 61) ++mismatches;
        if (locator.at(table).column != table + 1) ++mismatches;
    }
    CHECK(mismatches == 0);
    // One pass over the page, plus at most a stride back per step.
    CHECK(locator.bytes_counted() <= kSize + kSteps * gouji::html::PageLocator::kCheckpointStride);
}

TEST_CASE("reader limits: page locator answers in any order as it does in page order") {
    // Mixed widths, 4-byte characters split by checkpoint boundaries, short and
    // long lines: every answer equals a fresh locator's, which only walks forward.
    std::mt19937 random(2024);
    const std::string_view pieces[] = {"a", "汉", "\U0001F600", "\n", "é", "  ", "表三"};
    std::string page;
    while (page.size() < 5 * gouji::html::PageLocator::kCheckpointStride)
        page += pieces[random() % std::size(pieces)];
    gouji::html::PageLocator shared(page);
    std::size_t mismatches = 0;
    for (int i = 0; i < 3000; ++i) {
        std::size_t offset = random() % (page.size() + 1);
        gouji::html::PageLocator fresh(page);
        if (!(shared.at(offset) == fresh.at(offset))) ++mismatches;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("reader limits: DOCX text that is not UTF-8 is refused with the part, line and column") {
    // A converter that wrote 件 in GBK (BC FE); Word puts the XML declaration on a line of its own.
    const std::string line2_start = std::string(kWordOpen) + "<w:p><w:r><w:t>收到申请12";
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + line2_start +
                      "\xBC\xFE</w:t></w:r></w:p>" + kWordClose;
    CHECK(error_of([&] { read_docx_bytes(docx_with(xml)); }) ==
          "report.docx: error: word/document.xml is not valid UTF-8 at line 2, column " +
              std::to_string(gouji::char_count(line2_start) + 1) +
              " (byte 0xBC): the program that made the file wrote text in another encoding (open the file in Word "
              "and save it again as .docx)");
    // The same text in UTF-8 is read.
    xml.replace(xml.find("\xBC\xFE"), 2, "件");
    Document d = read_docx_bytes(docx_with(xml));
    REQUIRE(d.blocks.size() == 1);
    CHECK(d.blocks[0].text == "收到申请12件");
}
