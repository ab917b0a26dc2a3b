// What a regular expression captures from the prose is a value the check read:
// listed among a finding's cells with where it was written, and the finding
// points at it rather than at the heading of the section it was read from.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/golden.hpp"
#include "tests/unit/pack_check.hpp"

using namespace gouji;
using test::check_with;
using test::Checked;

namespace {

std::vector<const CellRef*> captured(const Finding& f) {
    std::vector<const CellRef*> out;
    for (const auto& c : f.cells)
        if (c.path.starts_with("captured: ")) out.push_back(&c);
    return out;
}

const std::string sample_report = std::string(GOUJI_SOURCE_DIR) + "/docs/sample-report.md";

// `f` says `message`, read three matches of a pattern, and is located at the first.
void check_at_first_of_three(const Finding& f, const std::string& message) {
    CHECK(f.message == message);
    REQUIRE(captured(f).size() == 3);
    CHECK(f.location.pos == captured(f)[0]->pos);
}

}  // namespace

TEST_CASE("captured cells: a capture of a section's text is listed where it was written, and the finding is there") {
    // docs/sample-report.md line 5: "2020年，本机关收到政府信息公开申请8件，其中当面申请8件，…"
    Checked c = check_with(sample_report, R"(pack: captures
rules:
  - id: APPLICATIONS-IN-TEXT
    severity: warning
    kind: consistency
    let:
      stated: number(captures(section("总体情况").text, "收到政府信息公开申请(\d+)件")[1])
    check: stated == 表三.本年新收.总计
)");
    REQUIRE(c.findings.size() == 1);
    const Finding& f = c.findings[0];
    auto caps = captured(f);
    REQUIRE(caps.size() == 1);
    CHECK(caps[0]->path == "captured: 收到政府信息公开申请8件");
    CHECK(caps[0]->text == "8");
    CHECK(caps[0]->value.number == 8);
    CHECK(caps[0]->numeric);
    CHECK(caps[0]->pos.line == 5);
    CHECK(caps[0]->pos.column == 10);  // 收 is the 10th character of the line
    // Not the section's heading (line 3), which the check read first.
    CHECK(f.cells.front().path == "section 总体情况");
    CHECK(f.location.pos.line == 5);
    CHECK(f.location.pos.column == 10);
    CHECK(f.location.section == "总体情况");
}

TEST_CASE("captured cells: the same words captured twice are two values, each at its own place") {
    Checked c = check_with(sample_report, R"(pack: captures
rules:
  - id: EACH-FEW
    severity: warning
    kind: consistency
    check: all(n in numbers(section("总体情况").text, "申请(\d+)件"), n < 5)
)");
    REQUIRE(c.findings.size() == 1);
    auto caps = captured(c.findings[0]);
    REQUIRE(caps.size() == 3);
    // "收到政府信息公开申请8件，其中当面申请8件，…，网络申请1件"
    CHECK(caps[0]->path == "captured: 申请8件");
    CHECK(caps[1]->path == "captured: 申请8件");
    CHECK(caps[2]->path == "captured: 申请1件");
    CHECK(caps[0]->pos.line == 5);
    CHECK(caps[0]->pos.column == 18);
    CHECK(caps[1]->pos.line == 5);
    CHECK(caps[1]->pos.column == 27);
    CHECK(caps[2]->pos.line == 5);
    CHECK(caps[2]->pos.column > caps[1]->pos.column);
    CHECK(caps[2]->text == "1");
}

TEST_CASE("captured cells: of several matches, the finding is at the one its message quotes") {
    // "收到政府信息公开申请8件，其中当面申请8件，占88.9%，网络申请1件": the first match is
    // 申请8件, the message quotes 申请1件 (the last kept by the filter).
    Checked c = check_with(sample_report, R"(pack: captures
rules:
  - id: FEW-ONLINE
    severity: warning
    kind: consistency
    let:
      few: filter(m in find_all(section("总体情况").text, "申请\d+件"), m == "申请1件")
    when: not empty(few)
    check: false
    message: "叙述「{few[0]}」"
  - id: FIRST-QUOTED
    severity: warning
    kind: consistency
    let:
      all_of_them: find_all(section("总体情况").text, "申请\d+件")
    when: not empty(all_of_them)
    check: false
    message: "叙述「{all_of_them[0]}」"
)");
    REQUIRE(c.findings.size() == 2);
    const Finding& online = c.findings[0];
    REQUIRE(captured(online).size() == 3);
    CHECK(online.message == "叙述「申请1件」");
    const CellRef& quoted = *captured(online)[2];
    CHECK(online.location.pos == quoted.pos);
    CHECK(online.location.pos.column > captured(online)[1]->pos.column);
    // The first match quoted: at the first match, as before (申请8件 twice: the longer
    // quote does not move it to the second).
    check_at_first_of_three(c.findings[1], "叙述「申请8件」");
}

TEST_CASE("captured cells: a finding moved to a match of another section's text is in that section") {
    // The message quotes 申请231件 of 三、收到和处理政府信息公开申请情况 (line 13); the first
    // match read is 申请8件 of 一、总体情况 (line 5).
    Checked c = check_with(sample_report, R"(pack: captures
rules:
  - id: TWO-SECTIONS
    severity: warning
    kind: consistency
    let:
      a: find_all(section("总体情况").text, "申请\d+件")
      b: find_all(section("收到和处理政府信息公开申请情况").text, "申请\d+件")
    when: not empty(a) and not empty(b)
    check: false
    message: "叙述「{b[0]}」"
)");
    REQUIRE(c.findings.size() == 1);
    const Finding& f = c.findings[0];
    CHECK(f.location.pos.line == 13);
    CHECK(f.location.section == "收到和处理政府信息公开申请情况");
}

TEST_CASE("captured cells: a group's digits in another number of the message do not move the finding") {
    // 申请(\d+)件 captures 8, 8 and 1; the message's "17" and "231" hold a 1, but quote
    // no match: the finding stays at the first (a reviewer's case).
    Checked c = check_with(sample_report, R"(pack: captures
rules:
  - id: SUM-OF-COUNTS
    severity: warning
    kind: consistency
    let:
      counts: numbers(section("总体情况").text, "申请(\d+)件")
    check: sum(counts) == 表三.本年新收.总计
    message: "正文各申请数之和 {sum(counts)} 与表三 本年新收 {表三.本年新收.总计} 不符"
)");
    REQUIRE(c.findings.size() == 1);
    check_at_first_of_three(c.findings[0], "正文各申请数之和 17 与表三 本年新收 231 不符");
}

TEST_CASE("captured cells: a match is placed where the pattern matched, not at the first place its words occur") {
    // "收到政府信息公开申请8件，其中当面申请8件，…": "8件" after 当面申请 is the match;
    // the same words stand earlier, after 收到政府信息公开申请.
    Checked c = check_with(sample_report, R"(pack: captures
rules:
  - id: IN-PERSON
    severity: warning
    kind: consistency
    check: all(n in numbers(section("总体情况").text, "(?<=当面申请)(\d+)件"), n < 5)
)");
    REQUIRE(c.findings.size() == 1);
    auto caps = captured(c.findings[0]);
    REQUIRE(caps.size() == 1);
    CHECK(caps[0]->path == "captured: 8件");
    CHECK(caps[0]->pos.line == 5);
    CHECK(caps[0]->pos.column == 29);  // the 8 after 当面申请 (申请8件 at 27), not 20 (收到…申请8件)
}

TEST_CASE("captured cells: in an HTML page whose article is one source line, the column finds the words") {
    // pingtan-2023.html holds its whole article on line 349.
    const std::string page = test::test_dir() + "/corpus/real/pingtan-2023.html";
    Checked c = check_with(page, R"(pack: captures
rules:
  - id: NONE-COUNTED
    severity: info
    kind: consistency
    check: count(find_all(section("总体情况").text, "(\d+)件")) == 0
)");
    REQUIRE(c.findings.size() == 1);
    auto caps = captured(c.findings[0]);
    REQUIRE(caps.size() >= 2);
    const std::string source = test::read_text_file(page);
    std::size_t line_start = 0;
    for (int line = 1; line < 349; ++line) line_start = source.find('\n', line_start) + 1;
    const std::string line349 = source.substr(line_start, source.find('\n', line_start) - line_start);
    for (const CellRef* cap : caps) {
        CAPTURE(cap->path);
        REQUIRE(cap->pos.line == 349);
        // The column counts characters: the words captured start there.
        std::size_t byte = 0;
        for (std::uint32_t ch = 1; ch < cap->pos.column && byte < line349.size(); ++ch) {
            ++byte;
            while (byte < line349.size() && (static_cast<unsigned char>(line349[byte]) & 0xC0) == 0x80) ++byte;
        }
        const std::string words = cap->path.substr(std::string("captured: ").size());
        CHECK(line349.compare(byte, words.size(), words) == 0);
    }
}

TEST_CASE("captured cells: a text no section holds (a string of the rule) gives no captured cell") {
    Checked c = check_with(sample_report, R"(pack: captures
rules:
  - id: LITERAL
    severity: warning
    kind: consistency
    check: number(captures("申请3件", "申请(\d+)件")[1]) == 表三.本年新收.总计
)");
    REQUIRE(c.findings.size() == 1);
    CHECK(captured(c.findings[0]).empty());
}

TEST_CASE("captured cells: words of a section's title or table are not mistaken for the prose's") {
    // The title holds 2020年 too, and the section's text does not: the two captures of
    // the prose are at lines 5 and 7, not one earlier each.
    std::string report = test::read_text_file(sample_report);
    const std::string title = "## 一、总体情况";
    REQUIRE(report.find(title) != std::string::npos);
    report.replace(report.find(title), title.size(), "## 一、总体情况（2020年）");
    const std::string body = "2020年，本机关收到政府信息公开申请8件";
    const std::size_t line5 = report.find(body);
    REQUIRE(line5 != std::string::npos);
    const std::size_t after5 = report.find('\n', line5);
    report.insert(after5 + 1, "\n本机关2020年总体情况良好。\n");
    const std::string path = std::filesystem::temp_directory_path() / "gouji-captured-title.md";
    { std::ofstream(path, std::ios::binary) << report; }
    Checked c = check_with(path, R"(pack: captures
rules:
  - id: WORDS
    severity: warning
    kind: consistency
    check: count(find_all(section("总体情况").text, "2020年")) == 0
)");
    std::filesystem::remove(path);
    REQUIRE(c.findings.size() == 1);
    auto caps = captured(c.findings[0]);
    REQUIRE(caps.size() == 2);
    CHECK(caps[0]->pos.line == 5);
    CHECK(caps[0]->pos.column == 1);
    CHECK(caps[1]->pos.line == 7);
    CHECK(caps[1]->pos.column == 4);
    // A number of a table in the section's text has no place among its prose: the
    // sentence before the table (line 13) has its four, the table's rows none.
    Checked t = check_with(sample_report, R"yaml(pack: captures
rules:
  - id: NUMS
    severity: warning
    kind: consistency
    check: all(n in numbers(section("收到和处理政府信息公开申请情况").text, "(\d+)"), n < 200)
)yaml");
    REQUIRE(t.findings.size() == 1);
    std::size_t placed = 0, unplaced = 0;
    for (const CellRef* cap : captured(t.findings[0])) {
        CAPTURE(cap->path);
        if (cap->pos.known()) {
            CHECK(cap->pos.line == 13);
            ++placed;
        } else {
            ++unplaced;
        }
    }
    CHECK(placed == 4);
    CHECK(unplaced > 10);
}
