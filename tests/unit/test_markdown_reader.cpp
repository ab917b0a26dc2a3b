// Markdown reader: headings, bold lines, pipe tables as converters and OCR tools
// write them (split across pages, shifted cells), on seeds, real files and a fixture.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "gouji/readers.hpp"
#include "reader_test_support.hpp"

using gouji::Block;
using gouji::BlockKind;
using gouji::Document;
using gouji::SourcePos;
using Cells = std::vector<std::string>;

namespace {

Document read_md(const std::string& bytes) { return gouji::read_markdown("report.md", bytes, {}); }

Document read_corpus(const std::string& folder, const std::string& name) {
    return gouji::read_document(reader_tests::corpus_path(folder, name));
}

const std::vector<gouji::TableCell>& require_row(const Document& d, const std::string& label) {
    const auto* row = reader_tests::find_row(d, label);
    REQUIRE_MESSAGE(row != nullptr, "no table row starting with " << label);
    return *row;
}

// The non-empty cells after the label.
Cells values_of(const std::vector<gouji::TableCell>& row) {
    Cells filled = reader_tests::filled_cells(row);
    return Cells(filled.begin() + 1, filled.end());
}

const Block* find_text_block(const Document& d, const std::string& text) {
    for (const auto& b : d.blocks)
        if (b.kind != BlockKind::Table && b.text == text) return &b;
    return nullptr;
}

}  // namespace

TEST_CASE("markdown reader: ATX headings with their level, text without the marks") {
    Document d = read_md("# 年度报告\n\n## 一、总体情况 ##\n###### 六级\n####### 七个井号\n#没有空格\n#\n");
    REQUIRE(d.blocks.size() == 5);
    CHECK(d.format == "markdown");
    CHECK(d.blocks[0].kind == BlockKind::Heading);
    CHECK(d.blocks[0].heading_level == 1);
    CHECK(d.blocks[0].text == "年度报告");
    CHECK(d.blocks[0].pos == SourcePos{1, 3, 0});
    CHECK(d.blocks[1].heading_level == 2);
    CHECK(d.blocks[1].text == "一、总体情况");
    CHECK(d.blocks[1].pos == SourcePos{3, 4, 0});
    CHECK(d.blocks[2].heading_level == 6);
    CHECK(d.blocks[3].kind == BlockKind::Paragraph);
    CHECK(d.blocks[3].text == "####### 七个井号");
    CHECK(d.blocks[4].kind == BlockKind::Paragraph);
    CHECK(d.blocks[4].text == "#没有空格");
}

TEST_CASE("markdown reader: bold headings and wholly bold lines are bold without the stars") {
    Document d = read_md("## **六、其他需要报告的事项**\n**（一）主动公开**\n**(1) 围绕上级要求。**邀请编办\n**a** 和 **b**\n**粗**体**\n");
    REQUIRE(d.blocks.size() == 5);
    CHECK(d.blocks[0].kind == BlockKind::Heading);
    CHECK(d.blocks[0].text == "六、其他需要报告的事项");
    CHECK(d.blocks[0].bold);
    CHECK(d.blocks[0].pos.column == 6);
    CHECK(d.blocks[1].kind == BlockKind::Paragraph);
    CHECK(d.blocks[1].text == "（一）主动公开");
    CHECK(d.blocks[1].bold);
    CHECK(d.blocks[1].pos.column == 3);
    CHECK_FALSE(d.blocks[2].bold);  // only a leading run is bold
    CHECK(d.blocks[2].text == "**(1) 围绕上级要求。**邀请编办");
    CHECK_FALSE(d.blocks[3].bold);
    CHECK_FALSE(d.blocks[4].bold);
    CHECK(d.blocks[4].text == "**粗**体**");
}

TEST_CASE("markdown reader: lines are never merged, blank lines and rules make no block") {
    Document d = read_md("第一行\n第二行\n\n---\n***\n第三行\n");
    REQUIRE(d.blocks.size() == 3);
    CHECK(d.blocks[0].text == "第一行");
    CHECK(d.blocks[1].text == "第二行");
    CHECK(d.blocks[1].pos.line == 2);
    CHECK(d.blocks[2].pos.line == 6);
}

TEST_CASE("markdown reader: a pipe table — separator dropped, cells trimmed with positions") {
    Document d = read_md("前言\n\n| 信息内容 | 本年新制作数量 |\n|---|:---:|\n| 规章 |  49 |\n|规范性文件|61|\n后记\n");
    REQUIRE(d.blocks.size() == 3);
    const Block& t = d.blocks[1];
    REQUIRE(t.kind == BlockKind::Table);
    CHECK(t.pos == SourcePos{3, 1, 0});
    CHECK(t.table.column_count == 2);
    REQUIRE(t.table.rows.size() == 3);
    CHECK(reader_tests::cell_texts(t.table.rows[0]) == Cells{"信息内容", "本年新制作数量"});
    CHECK(reader_tests::cell_texts(t.table.rows[1]) == Cells{"规章", "49"});
    CHECK(reader_tests::cell_texts(t.table.rows[2]) == Cells{"规范性文件", "61"});
    const gouji::TableCell& cell = t.table.rows[1][1];
    CHECK(cell.pos == SourcePos{5, 9, 0});
    CHECK(cell.row == 1);
    CHECK(cell.col == 1);
    CHECK(cell.rowspan == 1);
    CHECK(cell.colspan == 1);
    CHECK(t.table.rows[2][0].pos == SourcePos{6, 2, 0});
    CHECK(d.blocks[2].text == "后记");
}

TEST_CASE("markdown reader: empty cells kept, rows not padded, <br> and escaped pipes") {
    Document d = read_md("| a |  | c |\n|---|---|---|\n| 1 |\n| x \\| y | 本年收费金额<br>（单位：万元）| z<br/>w |\n| 末 | 尾\n");
    REQUIRE(d.blocks.size() == 1);
    const gouji::Table& t = d.blocks[0].table;
    CHECK(t.column_count == 3);
    REQUIRE(t.rows.size() == 4);
    CHECK(reader_tests::cell_texts(t.rows[0]) == Cells{"a", "", "c"});
    CHECK(t.rows[0][1].pos.column == 6);  // an empty cell points just after its pipe
    CHECK(reader_tests::cell_texts(t.rows[1]) == Cells{"1"});
    CHECK(reader_tests::cell_texts(t.rows[2]) == Cells{"x | y", "本年收费金额 （单位：万元）", "z w"});
    CHECK(t.rows[2][1].pos.column == 12);
    CHECK(reader_tests::cell_texts(t.rows[3]) == Cells{"末", "尾"});  // no closing pipe
}

TEST_CASE("markdown reader: tables separated by anything stay separate tables") {
    Document d = read_md("| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n## 表二\n| 5 | 6 |\n");
    REQUIRE(reader_tests::tables(d).size() == 3);
    CHECK(d.blocks[0].table.rows.size() == 2);
    CHECK(d.blocks[1].table.rows.size() == 1);
    CHECK(d.blocks[1].pos.line == 5);
    CHECK(d.blocks[2].kind == BlockKind::Heading);
    CHECK(d.blocks[3].table.rows[0][0].text == "5");
}

TEST_CASE("markdown reader: a page footer between table rows does not split the table") {
    Document d = read_md("| 一 | 1 |\n— 5 —\n| 二 | 2 |\n");
    REQUIRE(d.blocks.size() == 1);
    REQUIRE(d.blocks[0].table.rows.size() == 2);
    CHECK(d.blocks[0].table.rows[1][0].text == "二");
    CHECK(d.blocks[0].table.rows[1][0].pos.line == 3);
    CHECK(d.blocks[0].table.rows[1][0].row == 1);
}

TEST_CASE("markdown reader: a table of separators only makes no block") {
    Document d = read_md("|---|---|\n\n正文\n");
    REQUIRE(d.blocks.size() == 1);
    CHECK(d.blocks[0].text == "正文");
}

TEST_CASE("markdown reader: seed 002 (晋江市 2020), detected despite .txt") {
    Document d = read_corpus("seeds", "002_0ec7f487509b9c4f.txt");
    CHECK(d.format == "markdown");
    CHECK(d.encoding == "UTF-8");

    const Block* title = find_text_block(d, "晋江市人民政府 2020 年政府信息公开工作年度报告");
    REQUIRE(title != nullptr);
    CHECK(title->kind == BlockKind::Heading);
    CHECK(title->heading_level == 1);
    CHECK(title->pos == SourcePos{3, 3, 0});
    const Block* six = find_text_block(d, "六、其他需要报告的事项");
    REQUIRE(six != nullptr);
    CHECK(six->heading_level == 2);
    CHECK(six->bold);
    CHECK(six->pos.line == 137);
    const Block* two = find_text_block(d, "2. 科学设计“目录+内容+参数”架构");
    REQUIRE(two != nullptr);
    CHECK(two->heading_level == 2);
    const Block* four = find_text_block(d, "四、政府信息公开行政复议、行政诉讼情况");
    REQUIRE(four != nullptr);
    CHECK(four->heading_level == 4);

    // 表三's first row with the arithmetic error (215+0+0+1+3+3 ≠ 231), as written.
    const auto& received = require_row(d, "一、本年新收政府信息公开申请数量");
    CHECK(values_of(received) == Cells{"215", "0", "0", "1", "3", "3", "231"});
    CHECK(received[2].text == "215");
    CHECK(received[2].pos == SourcePos{95, 74, 0});
    // The row missing a cell keeps its own count: six zeros, not padded.
    const auto& carried = require_row(d, "四、结转下年度继续办理");
    CHECK(values_of(carried) == Cells{"0", "0", "0", "0", "0", "0"});
    CHECK(carried.size() == 10);

    // 表三 is split across pages: the second half is its own table.
    auto tables = reader_tests::tables(d);
    REQUIRE(tables.size() == 5);
    CHECK(tables[2]->pos.line == 91);
    CHECK(tables[2]->column_count == 10);
    CHECK(tables[2]->rows.size() == 16);
    CHECK(tables[3]->pos.line == 109);
    CHECK(tables[3]->rows.size() == 12);
    // Rows of the second half shifted one column left, as written.
    const auto& petitions = tables[3]->rows[4];
    CHECK(petitions[1].text == "1. 信访举报投诉类申请");
    CHECK(petitions[2].text == "0");
    CHECK(values_of(*reader_tests::find_row(d, "(七) 总计")) == Cells{"215", "9", "0", "1", "3", "3", "231"});
    // 表四: 15 cells in its last row.
    CHECK(reader_tests::cell_texts(tables[4]->rows[3]) ==
          Cells{"2", "0", "0", "0", "2", "0", "0", "1", "4", "5", "1", "2", "2", "0", "5"});
}

TEST_CASE("markdown reader: seed 002 表二 merged header cell with <br>") {
    Document d = read_corpus("seeds", "002_0ec7f487509b9c4f.txt");
    auto tables = reader_tests::tables(d);
    REQUIRE(tables.size() >= 2);
    CHECK(reader_tests::cell_texts(tables[0]->rows[1]) ==
          Cells{"信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量 (2019 年起)"});
    CHECK(reader_tests::cell_texts(tables[1]->rows[2]) == Cells{"政府集中采购", "271", "249887966.42"});
}

TEST_CASE("markdown reader: shuyang 2025 (OCR, many small tables)") {
    Document d = read_corpus("real", "shuyang-2025.txt");
    CHECK(d.format == "markdown");
    CHECK(reader_tests::tables(d).size() == 19);
    CHECK(values_of(require_row(d, "本年新收政府信息公开申请数量")) == Cells{"705", "3", "0", "0", "5", "0", "713"});
    CHECK(values_of(require_row(d, "四、结转下年度继续办理")) == Cells{"31", "0", "0", "0", "0", "0", "31"});
    // 表四: three tables, header then values.
    auto tables = reader_tests::tables(d);
    std::vector<Cells> review;
    for (const gouji::Table* t : tables)
        if (!t->rows.empty() && t->rows[0][0].text == "结果维持" && t->rows.size() == 2)
            review.push_back(reader_tests::cell_texts(t->rows[1]));
    REQUIRE(review.size() == 3);
    CHECK(review[0] == Cells{"27", "10", "9", "15", "61"});
    CHECK(review[1] == Cells{"3", "0", "0", "0", "3"});
    CHECK(review[2] == Cells{"8", "0", "1", "1", "10"});
    const Block* heading = find_text_block(d, "行政诉讼（复议后起诉）");
    REQUIRE(heading != nullptr);
    CHECK(heading->heading_level == 3);
}

TEST_CASE("markdown reader: shanghai 2025 (PDF extract: footers dropped, separators mid-table)") {
    Document d = read_corpus("real", "shanghai-office-2025.md");
    CHECK(d.format == "markdown");
    for (const auto& b : d.blocks) CHECK(b.text.find("— ") == std::string::npos);
    CHECK(reader_tests::tables(d).size() == 10);
    CHECK(values_of(require_row(d, "一、本年新收政府信息公开申请数量")) ==
          Cells{"1259", "36", "0", "0", "0", "0", "1295"});
    // The row after a mid-table "|---|" belongs to the same table.
    const auto& disclosed = require_row(d, "（一）予以公开");
    CHECK(values_of(disclosed) == Cells{"201", "5", "0", "0", "0", "0", "206"});
    CHECK(disclosed[0].row == 2);
    CHECK(values_of(require_row(d, "四、结转下年度继续办理")) == Cells{"290", "3", "0", "0", "0", "0", "293"});
    // Sentences broken across lines stay separate lines.
    const Block* broken = find_text_block(d, "2025 年上海市人民政府办公厅政府信息公开");
    REQUIRE(broken != nullptr);
    CHECK(broken->pos.line == 2);
}

TEST_CASE("markdown reader: the 2021 fixture (split 表三 with shifted rows)") {
    Document d = gouji::read_document(reader_tests::fixture_path("markdown/report-2021.md"));
    CHECK(d.format == "markdown");
    const Block* six = find_text_block(d, "六、其他需要报告的事项");
    REQUIRE(six != nullptr);
    CHECK(six->bold);
    CHECK(six->heading_level == 2);
    const Block* active = find_text_block(d, "（一）主动公开");
    REQUIRE(active != nullptr);
    CHECK(active->bold);
    CHECK(active->kind == BlockKind::Paragraph);

    auto tables = reader_tests::tables(d);
    REQUIRE(tables.size() == 7);
    CHECK(reader_tests::cell_texts(tables[3]->rows[0]) == Cells{"信息内容", "本年收费金额 （单位：万元）"});
    const gouji::Table& first = *tables[4];
    const gouji::Table& second = *tables[5];
    CHECK(first.rows.size() == 16);
    CHECK(second.rows.size() == 15);
    CHECK(first.column_count == 10);
    CHECK(second.column_count == 10);
    // The deliberate error is read as written.
    CHECK(values_of(require_row(d, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")) ==
          Cells{"4", "1", "0", "0", "0", "0", "6"});
    // Aligned row, then shifted rows (label in column 1 instead of 2).
    CHECK(second.rows[1][2].text == "2.没有现成信息需要另行制作");
    CHECK(second.rows[2][1].text == "3.补正后申请内容仍不明确");
    CHECK(second.rows[2][2].text == "1");
    CHECK(second.rows[2][9].text == "");
    CHECK(values_of(require_row(d, "（七）总计")) == Cells{"59", "12", "0", "1", "3", "1", "76"});
    CHECK(values_of(require_row(d, "四、结转下年度继续办理")) == Cells{"1", "1", "0", "0", "0", "0", "2"});
    CHECK(reader_tests::cell_texts(tables[6]->rows[3]) ==
          Cells{"3", "1", "0", "1", "5", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"});
}
