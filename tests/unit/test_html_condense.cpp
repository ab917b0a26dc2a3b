// Condensing a page before gumbo: what is dropped, what must never be, and that
// every kept byte maps back to its own place in the page.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "engine/readers/html_condense.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"

namespace {

using gouji::html::CondensedPage;
using gouji::html::KeptMarkup;
using gouji::html::PageLocator;

constexpr std::string_view kAttributes[] = {"class", "colspan", "hidden"};
constexpr std::string_view kStyle[] = {"display", "font-weight"};

std::string condense(std::string_view page) { return CondensedPage(page, KeptMarkup{kAttributes, kStyle}).html(); }

// Every byte of the condensed text is the page's byte at its mapped offset, and
// the mapped offsets only grow.
void check_maps_back(std::string_view page) {
    CondensedPage condensed(page, KeptMarkup{kAttributes, kStyle});
    std::size_t previous = 0;
    for (std::size_t i = 0; i < condensed.html().size(); ++i) {
        std::size_t at = condensed.page_offset(i);
        REQUIRE(at < page.size());
        CHECK(page[at] == condensed.html()[i]);
        if (i > 0) CHECK(at > previous);
        previous = at;
    }
}

}  // namespace

TEST_CASE("html condense: unread attributes and unread style declarations go, the rest stays") {
    std::string_view page =
        R"(<td style="BORDER-BOTTOM: windowtext 1pt solid; WIDTH: 420pt" valign="center" width=560 colspan="4">)"
        R"(<span lang=EN-US style='font-family:宋体;FONT-WEIGHT: bold'>2023</span></td>)"
        R"(<div CLASS=menu Hidden data-x='a b'>导航</div>)";
    CHECK(condense(page) ==
          R"(<td colspan="4"><span style='font-family:宋体;FONT-WEIGHT: bold'>2023</span></td>)"
          R"(<div CLASS=menu Hidden>导航</div>)");
    check_maps_back(page);
}

TEST_CASE("html condense: a quoted '>' does not end the tag") {
    std::string_view page = R"(<td title="a>b" colspan=2 alt='<p x="y">'>数字</td>)";
    CHECK(condense(page) == "<td colspan=2>数字</td>");
    check_maps_back(page);
}

TEST_CASE("html condense: script and style text go, other text, comments and raw text stay") {
    std::string_view page =
        R"(<script type="x">var s = '<td style="width:1">';</script>)"
        R"(<!-- <td width=3> --><!--><!---><!-- a --!><style>p[title="<b x=1>"]{}</style>)"
        R"(<textarea><i lang=zh></textarea><title><b id=t lang=x></TITLE >)"
        R"(<p width=1>1 < 2 <3 </ p></p><![CDATA[<b lang=x>]]>)";
    CHECK(condense(page) ==
          R"(<script></script>)"
          R"(<!-- <td width=3> --><!--><!---><!-- a --!><style></style>)"
          R"(<textarea><i lang=zh></textarea><title><b id=t lang=x></TITLE >)"
          R"(<p>1 < 2 <3 </ p></p><![CDATA[<b lang=x>]]>)");
    check_maps_back(page);
}

TEST_CASE("html condense: a script that may hide its end from the tokenizer is kept whole") {
    // "<!--<script>" enters the script's double-escaped state, where the first
    // "</script>" does not end it.
    std::string_view page = "<script><!--<script>a</script>b</script><p lang=x>c</p>";
    CHECK(condense(page) == "<script><!--<script>a</script>b</script><p>c</p>");
    CHECK(condense("<SCRIPT>x</Script >y") == "<SCRIPT></Script >y");
    CHECK(condense("<script>never closed <p lang=x>") == "<script>");
}

TEST_CASE("html condense: the first of duplicate attributes decides, as the tokenizer keeps only it") {
    // The first style is unread, so the element is not hidden; keeping the second
    // would hide it.
    CHECK(condense(R"(<div style="color:red" style="display:none" class=a class=b>x</div>)") ==
          "<div class=a>x</div>");
    CHECK(condense("<p hidden hidden=1></p >") == "<p hidden></p >");
}

TEST_CASE("html condense: end tags lose their attributes, plaintext and cut-off tags are left alone") {
    CHECK(condense(R"(<b>x</b class="y" style='display:none'>)") == "<b>x</b>");
    CHECK(condense("<plaintext><p width=1>x") == "<plaintext><p width=1>x");
    std::string_view cut = R"(<p>a</p><td width="3)";
    std::string condensed = condense(cut);
    CHECK(condensed.starts_with("<p>a</p><td"));
    check_maps_back(cut);
    CHECK(condense("") == "");
    CHECK(condense("<") == "<");
    CHECK(condense("<a") == "<a");
}

TEST_CASE("html condense: locator gives lines and character columns, forward and back") {
    std::string_view page = "ab\n中文x\n\nz";
    PageLocator locator(page);
    CHECK(locator.at(1) == gouji::SourcePos{1, 2, 0});
    CHECK(locator.at(9) == gouji::SourcePos{2, 3, 0});  // after 中文: two characters, six bytes
    CHECK(locator.at(12) == gouji::SourcePos{4, 1, 0});
    CHECK(locator.at(0) == gouji::SourcePos{1, 1, 0});
    CHECK(locator.at(3) == gouji::SourcePos{2, 1, 0});
    CHECK(locator.at(100) == gouji::SourcePos{4, 2, 0});  // past the end: the end
}

TEST_CASE("html condense: reader positions still point into the page as written") {
    gouji::Document d = gouji::read_html(
        "t.html", "<p style=\"color:red\" lang=zh-CN>甲</p>\n<table width=1><tr><td valign=top>乙</td><td>丙</td></tr></table>",
        {});
    REQUIRE(d.blocks.size() == 2);
    CHECK(d.blocks[0].pos == gouji::SourcePos{1, 33, 0});
    CHECK(d.blocks[1].table.pos == gouji::SourcePos{2, 1, 0});
    CHECK(d.blocks[1].table.rows[0][0].pos == gouji::SourcePos{2, 35, 0});
    CHECK(d.blocks[1].table.rows[0][1].pos == gouji::SourcePos{2, 45, 0});

    // A dropped attribute that spans lines: the text after it is still on line 2.
    gouji::Document wrapped = gouji::read_html("t.html", "<div><p style=\"color:red;\nwidth:1\">乙丙</p></div>", {});
    REQUIRE(wrapped.blocks.size() == 1);
    CHECK(wrapped.blocks[0].pos == gouji::SourcePos{2, 10, 0});
}

TEST_CASE("html condense: character counts of long runs of mixed-width text") {
    // char_count reads eight bytes at a time; lengths around the word size and
    // characters cut by a word boundary are where it could go wrong.
    std::string text;
    std::size_t expected = 0;
    for (int i = 0; i < 40; ++i) {
        CHECK(gouji::char_count(text) == expected);
        text += i % 3 == 0 ? "中" : (i % 3 == 1 ? "a" : "😀");
        ++expected;
    }
    CHECK(gouji::char_count(text) == expected);
    CHECK(gouji::char_count(std::string_view(text).substr(0, 7)) == 3);  // 😀 cut after its lead byte counts once
}
