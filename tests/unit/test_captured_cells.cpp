// What a regular expression captures from the prose is a value the check read:
// listed among a finding's cells with where it was written, and the finding
// points at it rather than at the heading of the section it was read from.
#include <doctest/doctest.h>

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
