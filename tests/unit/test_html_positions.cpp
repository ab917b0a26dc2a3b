// Positions of prose figures in HTML pages: a block's text is joined from text
// nodes with markup and character references between them, so a figure's column
// must be counted from where its own text node is, not from the block's start.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "engine/model/block_position.hpp"
#include "engine/model/narrative.hpp"
#include "gouji/readers.hpp"
#include "tests/unit/reader_test_support.hpp"

namespace {

using gouji::Figure;
using gouji::SourcePos;

// Line and character column of the first `needle` in `page` (UTF-8), counted the
// way an editor shows them.
SourcePos place_in(const std::string& page, const std::string& needle, std::size_t from = 0) {
    std::size_t at = page.find(needle, from);
    REQUIRE(at != std::string::npos);
    SourcePos pos{1, 1, 0};
    for (std::size_t i = 0; i < at; ++i) {
        if (page[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(page[i]) & 0xC0) != 0x80) {
            ++pos.column;
        }
    }
    return pos;
}

std::vector<Figure> figures_of(const std::string& path, const std::string& page) {
    gouji::Document doc = gouji::read_html(path, page, {});
    std::vector<Figure> figures;
    std::vector<gouji::FigureList> lists;
    gouji::extract_narrative(doc, {}, figures, lists);
    return figures;
}

const Figure& figure(const std::vector<Figure>& figures, const std::string& text) {
    for (const Figure& f : figures)
        if (f.text == text) return f;
    FAIL("no figure written " << text);
    throw;  // unreachable: FAIL throws
}

void check_at(const SourcePos& actual, const SourcePos& expected) {
    CHECK(actual.line == expected.line);
    CHECK(actual.column == expected.column);
}

}  // namespace

TEST_CASE("html positions: a figure after </span> is placed where it is written") {
    const std::string page =
        "<html><body><p><span style=\"font-size:16px\">本年度共收到政府信息公开申请</span>"
        "<span>12</span>件。</p></body></html>\n";
    check_at(figure(figures_of("t.html", page), "12件").pos, place_in(page, "12</span>"));
}

TEST_CASE("html positions: a figure after a character reference") {
    const std::string page =
        "<html><body>\n<p>主动公开政府信息&nbsp;&#x4E00;&amp;共计3456条，其中文件&#20013;78条。</p>\n</body></html>\n";
    auto figures = figures_of("t.html", page);
    check_at(figure(figures, "3456条").pos, place_in(page, "3456"));
    check_at(figure(figures, "78条").pos, place_in(page, "78条"));
}

TEST_CASE("html positions: a figure in a second <span> on a later line") {
    const std::string page =
        "<html><body>\n<p><span>全年受理依申请公开</span>\n"
        "    <span>申请共</span><b>9</b><span>1件</span>，办结\r\n  <span>90件</span>。</p>\n</body></html>\n";
    auto figures = figures_of("t.html", page);
    check_at(figure(figures, "91件").pos, place_in(page, "9</b>"));
    check_at(figure(figures, "90件").pos, place_in(page, "90件"));
}

TEST_CASE("html positions: lines after <br> keep their own source place") {
    const std::string page = "<p>第一行<br/>\n  <i>第二行</i>共有<em>5</em>6件</p>";
    auto figures = figures_of("t.html", page);
    check_at(figure(figures, "56件").pos, place_in(page, "5</em>"));
}

TEST_CASE("html positions: text without anchors runs on from the block's start") {
    const std::vector<std::size_t> newlines{3};
    std::vector<gouji::TextAnchor> none;
    check_at(gouji::position_in_text({4, 7, 0}, none, newlines, 2), {4, 9, 0});
    check_at(gouji::position_in_text({4, 7, 0}, none, newlines, 5), {5, 2, 0});
    std::vector<gouji::TextAnchor> anchors{{2, {9, 30, 0}}, {4, {11, 5, 0}}};
    check_at(gouji::position_in_text({4, 7, 0}, anchors, newlines, 3), {9, 31, 0});
    check_at(gouji::position_in_text({4, 7, 0}, anchors, newlines, 6), {11, 7, 0});
    check_at(gouji::position_in_text({4, 7, 0}, anchors, newlines, 1), {4, 8, 0});
}

TEST_CASE("html positions: pingtan-2019 '2599条' at the column it is written") {
    std::string path = reader_tests::corpus_path("real", "pingtan-2019.html");
    std::string page = reader_tests::file_bytes(path);
    auto figures = figures_of(path, page);
    const Figure& f = figure(figures, "2599条");
    CHECK(f.pos.line == 349);
    CHECK(f.pos.column == 2875);
    // The same place counted from the file itself.
    check_at(f.pos, place_in(page, "2599条"));
}
